"""One headless Chromium for the browser tests, screenshots into test-artifacts/browser/.

Debian's /usr/bin/chromium is driven by the Python playwright package (never its own browser
download). Without Chromium the tests are skipped on a developer machine and FAIL under CI
(CI=true), so CI can never pass them silently.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = Path(os.environ.get("FAZHI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
PASSWORD = "pw-for-tests-0"  # the cast's password (fazhi/conftest.py)
TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Headless Chromium, started once for all browser tests (package scope).

    Playwright's sync API keeps an asyncio loop running in the main thread while it is started,
    which trips Django's async-safety check on ORM calls made by fixtures in that thread; the
    check is lifted only while the browser runs and restored when this package is done.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
        if _in_ci():
            pytest.fail(f"CI is set but {reason} (browser tests must run in CI)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Session:
    """A browser context (own cookies) with a page, the requests it made and a screenshot helper."""

    def __init__(self, context: Any, base_url: str, shots_dir: Path) -> None:
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.requests: list[str] = []
        self.blocked_by_csp: set[str] = set()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed", self._failed)
        # nothing may leave this machine, even when a test fails: abort every outside request
        context.route(lambda url: not self.is_local(url), lambda route: route.abort())
        self.shots_dir = shots_dir
        self.shots: list[Path] = []

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str) -> Any:
        return self.page.goto(self.url(path))

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        target = self.shots_dir / f"{len(self.shots) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(target), full_page=full_page)
        self.shots.append(target)
        return target

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.shot(f"login-{username}")
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")

    def is_local(self, url: str) -> bool:
        return url.startswith((self.base_url + "/", "data:", "blob:", "about:"))

    def _failed(self, request: Any) -> None:
        if request.failure == "csp":
            self.blocked_by_csp.add(request.url)

    def external_requests(self) -> list[str]:
        """Outside requests the pages attempted (there must be none: no CDN, no outside calls).

        A load the page's Content-Security-Policy stopped in the browser never left it.
        """
        return [u for u in self.requests if not self.is_local(u) and u not in self.blocked_by_csp]


@pytest.fixture
def open_session(
    browser: Any, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Session]]:
    """open_session(width=1280, height=900) → a fresh logged-out browser session."""
    contexts: list[Any] = []
    test_name = re.sub(r"[^\w-]+", "_", request.node.name)

    def _open(width: int = 1280, height: int = 900, label: str = "") -> Session:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        contexts.append(context)
        folder = ARTIFACTS / connection.vendor / (test_name + (f"-{label}" if label else ""))
        shutil.rmtree(folder, ignore_errors=True)  # keep only this run's screenshots
        return Session(context, live_server.url, folder)

    yield _open
    for context in contexts:
        context.close()
