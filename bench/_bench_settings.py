"""The project's settings (production when FAZHI_PRODUCTION=1) with the bench baselines' URLs
(bench/_urls.py). Used by bench_http.py's gunicorn; never deployed."""

from fazhi.settings import *  # noqa: F403

ROOT_URLCONF = "_urls"
