"""Browser tests: pytest-playwright drives Debian's Chromium against pytest-django's live server.

Every test here is marked ``e2e`` (deselect with ``-m "not e2e"``). The live server runs in a thread of
this process on a transactional test database, so rows made by fixtures and factories in the test are
visible to it, on SQLite and on PostgreSQL alike.

Set E2E_SCREENSHOTS=some/folder to keep full-page screenshots of the key screens for people to look at.
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the ORM calls that fixtures and the live server make.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Rahasia-Panjang-1"  # every user made by tests/factories.py has it
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium instead of a downloaded one (never run `playwright install` here)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    }


def log_in(page: Page, base_url: str, user, password: str = PASSWORD) -> Page:
    """Signs ``user`` in through the real login form and waits until the login page is left."""
    page.goto(base_url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).not_to_have_url(re.compile(re.escape(reverse("login")) + r"(\?.*)?$"))
    return page


@pytest.fixture
def sign_in(live_server, page):
    """``sign_in(user)`` logs in on the test's page (or ``target=`` another page); returns that page."""

    def _sign_in(user, target: Page | None = None) -> Page:
        return log_in(target or page, live_server.url, user)

    return _sign_in


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "name")`` saves a full-page PNG into $E2E_SCREENSHOTS, when that is set."""
    folder = os.environ.get("E2E_SCREENSHOTS")

    def _shot(page: Page, name: str) -> None:
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        test_name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        page.screenshot(path=str(Path(folder) / f"{test_name}--{name}.png"), full_page=True)

    return _shot
