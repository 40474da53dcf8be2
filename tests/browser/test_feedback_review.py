"""Feedback end to end: thumbs-down with a comment in the widget -> a draft evaluation case -> the /admin page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.api.helpers import run_cli
from tests.browser.driver import FINAL, ask, open_demo, screenshot
from tests.browser.server import RagqaServer

pytestmark = [pytest.mark.browser, pytest.mark.integration]

QUESTION = "How many days of annual leave do staff in Leeds get?"
COMMENT = "It missed the extra day after five years <of service>."


@pytest.fixture
def own_server(sample_index, tmp_path):
    """A server of its own: the admin key this test creates switches authentication on for everyone."""
    server = RagqaServer(tmp_path, Path(sample_index.index_dir)).start()
    yield server
    server.stop()


def test_thumbs_down_becomes_a_draft_case_and_shows_on_the_admin_page(page, context, own_server, tmp_path,
                                                                      artifacts):
    open_demo(page, own_server.url)
    answer = ask(page, QUESTION)
    assert not answer["abstained"] and answer["citations"], answer
    bubble = page.locator(FINAL).last
    bubble.get_by_role("button", name="Not helpful", exact=True).click()
    expect(bubble.get_by_text("Thanks for the feedback")).to_be_visible()
    bubble.get_by_label("Comment (optional)").fill(COMMENT)
    bubble.get_by_role("button", name="Send comment").click()
    expect(bubble.get_by_text("Comment sent. Thank you.")).to_be_visible()

    # The evaluation loop: the real CLI turns the thumbs-down into one draft case.
    drafts = tmp_path / "drafts.jsonl"
    out = run_cli(["eval", "export-feedback", "--data-dir", str(own_server.data_dir), "--out", str(drafts)])
    assert out.returncode == 0 and "wrote 1 draft case(s)" in out.stderr, out.stderr
    (case,) = [json.loads(line) for line in drafts.read_text(encoding="utf-8").splitlines()]
    assert case["question"] == QUESTION and case["draft"] is True and case["groups"] == []
    assert case["expected_sources"] == list(dict.fromkeys(c["doc_id"] for c in answer["citations"]))
    assert case["feedback"]["comment"] == COMMENT and case["feedback"]["request_id"] == answer["request_id"]

    # The admin page lists the same feedback with its question, answer and sources, for an admin key only.
    from ragqa.service.api.keys import KeyStore

    _, key = KeyStore(own_server.data_dir).create(name="content-owner", scopes=["admin"])
    # Anonymous: 403 (the loopback demo's callers may only ask), 401 once the server notices keys exist.
    assert page.goto(own_server.url + "/admin").status in (401, 403)
    expect(page.get_by_role("heading", name="This page is for the articles' owners")).to_be_visible()
    expect(page.get_by_text("RAGQA_PROXY_ADMIN_GROUPS")).to_be_visible()  # how to get in, not a JSON error
    context.set_extra_http_headers({"Authorization": f"Bearer {key}"})
    assert page.goto(own_server.url + "/admin").status == 200
    item = page.locator("article.fb").filter(has_text=answer["request_id"])
    expect(item).to_have_count(1)
    expect(item).to_contain_text(QUESTION)
    expect(item).to_contain_text(COMMENT)  # shown as text, not markup
    expect(item).to_contain_text("not helpful")
    item.get_by_text("Sources").click()
    expect(item.get_by_role("link", name=answer["citations"][0]["title"]).first).to_be_visible()
    expect(page.locator("section svg[role=img]").first).to_be_visible()  # the charts rendered (CSP allowed them)
    screenshot(page, artifacts, "20-admin-page.png")

    # From the keyboard, on a fresh load: the skip link first, then the filters; Enter applies them.
    page.goto(own_server.url + "/admin")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Rating")).to_be_focused()
    page.get_by_label("Rating").select_option("up")
    page.keyboard.press("Tab")
    expect(page.get_by_label("From (YYYY-MM-DD)")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin?rating=up*")
    expect(page.locator("article.fb")).to_have_count(0)
