import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
application = get_wsgi_application()

# Load every view module now, then move what the process holds for its lifetime (settings,
# models, URL patterns, templates' modules) out of the collector's reach: a full collection no
# longer walks them, which was the slow tail (p99) of list pages at one connection.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
gc.freeze()
