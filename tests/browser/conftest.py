"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    # The live server runs in a thread: mail and tasks run at once, in memory.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GRAPPE_STAFF_MFA_REQUIRED = True


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(page, live_server):
    page.set_default_timeout(15_000)
    page.base = live_server.url
    return page


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR"}
