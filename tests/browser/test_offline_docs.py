"""/docs and /redoc work with no internet: every script, style and font comes from the server itself."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def _loopback_only(page) -> list[tuple[str, str]]:
    """Abort every request that leaves 127.0.0.1; returns what was blocked, as (resource type, url)."""
    blocked: list[tuple[str, str]] = []

    def route(r) -> None:
        url = r.request.url
        if urlparse(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append((r.request.resource_type, url))
            r.abort()

    page.route("**/*", route)
    return blocked


def test_swagger_ui_lists_the_operations_offline(page, demo_server):
    blocked = _loopback_only(page)
    page.goto(f"{demo_server.url}/docs")
    for path in ("/v1/ask", "/v1/search", "/v1/chat/completions", "/v1/models"):
        expect(page.locator(f".opblock-summary-path[data-path='{path}']").first).to_be_visible(timeout=20_000)
    assert not blocked, f"/docs tried to reach outside the server: {blocked}"


def test_redoc_renders_offline(page, demo_server):
    blocked = _loopback_only(page)
    page.goto(f"{demo_server.url}/redoc")
    expect(page.get_by_text("/v1/chat/completions").first).to_be_attached(timeout=20_000)
    expect(page.get_by_text("Answer a question from the articles").first).to_be_attached()
    # ReDoc's bundle links its "API docs by Redocly" logo image from cdn.redoc.ly (no option turns it off):
    # blocked, the page works the same. Everything it needs to work (scripts, styles, fonts, the schema) is local.
    needed = [(kind, url) for kind, url in blocked if kind != "image"]
    assert not needed, f"/redoc needs resources from outside the server: {needed}"
