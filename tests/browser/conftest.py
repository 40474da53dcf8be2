"""Browser-test fixtures: Debian's headless Chromium driven by Playwright, real `ragqa serve` processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser.server import RagqaServer

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium (never `playwright install`); skips with the fix when it is not installed."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Chromium is missing: `make browser-deps` (or `apt-get install -y chromium`) installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                                    args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_server(sample_index, tmp_path_factory):
    """`ragqa serve` over the sample corpus (corpus/), as `make run` starts it."""
    server = RagqaServer(tmp_path_factory.mktemp("demo-server"), Path(sample_index.index_dir)).start()
    yield server
    server.stop()


@pytest.fixture
def context(chromium):
    ctx = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A fresh page that fails the test on any uncaught error or console error from the page."""
    yield from _watched_page(context)


@pytest.fixture
def phone_page(chromium):
    """A 360 x 740 touch screen, the narrowest phone the widget supports."""
    ctx = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    yield from _watched_page(ctx)
    ctx.close()


def _watched_page(context):
    from tests.browser.driver import SSE_TAP

    page = context.new_page()
    page.add_init_script(SSE_TAP)
    problems: list[str] = []

    def on_console(msg) -> None:
        # Chromium logs every 4xx/5xx and failed fetch as "Failed to load resource"; the tests that provoke
        # those (503, 429, offline, the missing favicon) assert on what the widget shows instead.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"console.error: {msg.text}")

    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    page.on("console", on_console)
    yield page
    assert not problems, "errors in the page:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots of the main states land in test-artifacts/browser/ (gitignored) for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
