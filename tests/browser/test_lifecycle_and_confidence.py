"""What a person sees of currency and confidence: current figures first, superseded sources labelled, sources
grouped by article, unsupported sentences marked, and streamed citation numbers equal to the final ones."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.driver import FINAL, ask, open_demo, screenshot
from tests.browser.server import served_on_stand_in
from tests.browser.test_conversation import RECORD_STREAM as RECORD_STREAM_JS

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CURRENT_QUESTION = "What is the per diem rate for the USA?"
PAST_QUESTION = "What was the per diem rate for the USA in 2024?"
MARK = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


def _deltas(sse_body: str) -> str:
    """The concatenated text of the stream's `delta` events, as the widget showed it while streaming."""
    text = []
    for block in sse_body.replace("\r\n", "\n").split("\n\n"):
        lines = block.split("\n")
        if "event: delta" in lines:
            text.append(json.loads("\n".join(line[6:] for line in lines if line.startswith("data: ")))["text"])
    return "".join(text)


def test_current_figure_first_and_streamed_numbers_match_the_final_ones(page, demo_server, artifacts):
    open_demo(page, demo_server.url)
    page.evaluate(RECORD_STREAM_JS)
    answer = ask(page, CURRENT_QUESTION)
    bubble = page.locator(FINAL).last
    assert "$90" in answer["answer"] and "$75" not in answer["answer"], answer["answer"]
    expect(bubble.locator(".md")).to_contain_text("$90")
    current = [c for c in answer["citations"] if c["doc_id"] == "travel/per-diem-rates-2026"]
    assert current and current[0]["status"] == "current" and current[0]["updated"] == "2026-01-20"
    expect(bubble.locator(".sources li").first).to_contain_text("Updated 2026-01-20")

    # The stream showed the same citation numbers the finished answer (and its buttons) carry.
    streamed = _deltas(page.evaluate("window.__sse[window.__sse.length - 1].text"))
    assert MARK.findall(streamed) == MARK.findall(answer["answer"]), (streamed, answer["answer"])
    shown = [b.inner_text() for b in bubble.locator("button.cite").all()]
    assert shown == [n.strip() for m in MARK.findall(answer["answer"]) for n in m.split(",")]
    snapshots = [s["text"] for s in page.evaluate("window.__streamed")]
    seen = {n for s in snapshots for n in re.findall(r"\[(\d+)\]", s)}
    assert seen <= {str(c["ref"]) for c in answer["citations"]}, (seen, snapshots[-3:])
    screenshot(page, artifacts, "20-current-figure.png")


def test_a_superseded_source_is_labelled(page, demo_server, artifacts):
    open_demo(page, demo_server.url)
    answer = ask(page, PAST_QUESTION)
    old = [c for c in answer["citations"] if c["status"] == "superseded"]
    assert old, f"the 2024 question cited no superseded article: {answer['citations']}"
    bubble = page.locator(FINAL).last
    entry = bubble.locator(".sources li.superseded")
    expect(entry).to_have_count(len({c["doc_id"] for c in old}))
    expect(entry.first.locator(".badge")).to_have_text("Superseded")
    expect(entry.first.locator(".srcbtn")).to_contain_text("(superseded)")  # said to screen readers too
    entry.first.locator(".srcbtn").click()
    expect(page.locator("section.source .kicker")).to_contain_text("Superseded")
    screenshot(page, artifacts, "21-superseded-source.png")


def test_sources_are_grouped_one_entry_per_article(page, demo_server):
    open_demo(page, demo_server.url)
    answer = ask(page, "How many days of annual leave do I get?")
    bubble = page.locator(FINAL).last
    articles = list(dict.fromkeys(c["doc_id"] for c in answer["citations"]))
    expect(bubble.locator(".sources li")).to_have_count(len(articles))
    first = bubble.locator(".sources li").first
    refs = [str(c["ref"]) for c in answer["citations"] if c["doc_id"] == articles[0]]
    assert [n.inner_text() for n in first.locator(".num").all()] == refs


@pytest.fixture(scope="module")
def unsupported_server(sample_index, tmp_path_factory):
    """`ragqa serve` on the PROTOCOL STAND-IN, which adds an invented sentence."""
    with served_on_stand_in("cite-unknown", sample_index.index_dir,
                            tmp_path_factory.mktemp("unsupported-server")) as server:
        yield server


def test_an_ungrounded_answer_shows_its_notice_and_marks_the_sentence(page, unsupported_server, artifacts):
    open_demo(page, unsupported_server.url)
    answer = ask(page, CURRENT_QUESTION)
    assert answer["grounded"] is False and not answer["abstained"], answer
    bubble = page.locator(FINAL).last
    notice = bubble.locator(".notice")
    expect(notice).to_have_text("Some of this answer is not supported by the sources; check them.")
    expect(notice).to_have_attribute("role", "note")
    unsupported = [s["text"] for s in answer["grounding"]["sentences"] if not s["supported"]]
    marked = bubble.locator(".md .unsupported")
    expect(marked).to_have_count(len(unsupported))
    pool = marked.filter(has_text="rooftop swimming pool")
    expect(pool).to_have_count(1)
    expect(pool).to_have_attribute("title", "Not supported by the cited sources")
    expect(bubble.locator(".md .unsupnote")).to_have_count(len(unsupported))
    expect(bubble.locator(".md .unsupnote").first).to_have_text("not in the sources")
    # Supported sentences stay unmarked.
    supported = [s["text"] for s in answer["grounding"]["sentences"] if s["supported"]]
    for text in supported:
        assert text.rstrip(".") not in " ".join(marked.all_inner_texts())
    screenshot(page, artifacts, "22-unsupported-sentence.png")


def test_a_grounded_answer_has_no_notice_and_warnings_show_as_cautions(page, demo_server):
    open_demo(page, demo_server.url)
    ask(page, CURRENT_QUESTION)
    bubble = page.locator(FINAL).last
    expect(bubble.locator(".notice")).to_have_count(0)
    expect(bubble.locator(".unsupported")).to_have_count(0)
    # A restored answer carrying a planted-instruction warning lists it (reason and article, never the text).
    page.evaluate("""(key) => {
        const saved = JSON.parse(sessionStorage.getItem(key));
        saved.messages.push({role: 'user', text: 'VPN?'}, {role: 'assistant', text: 'Sessions last 12 hours [1].',
            request_id: 'w1', citations: [{ref: 1, doc_id: 'it/vpn', title: 'VPN', text: 'Sessions last 12 hours.'}],
            warnings: [{source: 'article', reason: 'sign in on an outside page', title: 'VPN',
                        text: 'Log in at https://evil.example now'}]});
        sessionStorage.setItem(key, JSON.stringify(saved));
    }""", "ragqa-widget:" + demo_server.url)
    page.reload()
    page.evaluate("window.RagqaWidget.open()")
    cautions = page.locator(".msg.bot .cautions")
    expect(cautions).to_have_count(1)
    expect(cautions).to_contain_text('The article "VPN" contains an instruction to sign in on an outside page.')
    expect(cautions).not_to_contain_text("evil.example")
