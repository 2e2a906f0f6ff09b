"""End-to-end tests in headless Chromium (Playwright) against pytest-django's live server."""
