"""Browser tests: Debian's Chromium driven by Playwright (sync API) against live_server.

One browser for the whole session, a fresh context (cookies, storage) per test. Every test
gets the demo data afresh: live_server needs a transactional database, which is flushed
after each test.
"""

from __future__ import annotations

import io
import os

import pytest
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread, which makes Django refuse ORM
# calls there (SynchronousOnlyOperation). The loop never runs our ORM code concurrently.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home, and the network is closed: slow start-up, noise.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Auto-waiting covers the slow cases; anything slower than this is a hang, not a wait.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def _chromium_missing_message() -> str:
    return f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install chromium`"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, launched once per session."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            # In CI a missing browser must never turn the accessibility gate into a skip.
            pytest.fail(_chromium_missing_message(), pytrace=False)
        pytest.skip(_chromium_missing_message())

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(chromium, live_server):
    """A page in a fresh browser context whose relative URLs go to the live server."""
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db, live_server):
    """The demo förbund samo, vastra and solleftea with their <role>@<slug> users."""
    from django.test import override_settings

    from apps.demo.loader import load_demo

    # Demo accounts have a known password: the loader is for DEBUG only (the command refuses
    # otherwise), so it runs here as it would in development.
    with override_settings(DEBUG=True):
        load_demo(stdout=io.StringIO())
