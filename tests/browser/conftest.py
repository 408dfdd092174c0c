"""Browser tests: Debian's Chromium driven by pytest-playwright against ``live_server``."""

import os

# Playwright runs an event loop in the test thread; Django's async guard would trip on it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.services import chromium_path, require  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        return browser_type_launch_args
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _chromium_present():
    require("Chromium", chromium_path() is not None, "install Debian's chromium package")


@pytest.fixture
def page(page, live_server):
    """A page whose relative URLs are resolved against the live server."""
    page.set_default_timeout(15_000)
    return page
