"""Browser tests: pytest-playwright drives Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the ORM calls that fixtures make.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Rahasia-Panjang-1"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def sign_in(live_server, page):
    """Logs a user in through the real login form."""

    def _sign_in(user, target=page):
        target.goto(f"{live_server.url}/masuk/")
        target.fill("#id_username", user.username)
        target.fill("#id_password", PASSWORD)
        target.get_by_role("button", name="Masuk", exact=True).click()
        return target

    return _sign_in


@pytest.fixture
def screenshot():
    """Saves a full-page screenshot when E2E_SCREENSHOTS names a folder (for people to look at)."""
    folder = os.environ.get("E2E_SCREENSHOTS")

    def _shot(page, name):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return _shot
