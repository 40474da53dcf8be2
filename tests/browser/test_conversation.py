"""The demo page end to end: streamed answer, citations, source view, feedback, follow-ups, "not found"."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from ragqa.service.api.feedback import FeedbackStore
from tests.browser.driver import ANSWER_TIMEOUT_MS, FINAL, ask, open_demo, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

LEAVE_QUESTION = "How many days of annual leave do staff in Leeds get?"
UNANSWERABLE = "What is the airspeed velocity of an unladen swallow?"

# Snapshots of the answer bubble while it streams, taken by the page itself on every DOM change.
RECORD_STREAM = """() => {
    const root = document.querySelector('ragqa-widget').shadowRoot;
    window.__streamed = [];
    new MutationObserver(() => {
        const pending = root.querySelector('.msg.bot.pending');
        const done = root.querySelectorAll('.msg.bot:not(.pending)').length;
        if (pending) window.__streamed.push({text: pending.textContent, done});
    }).observe(root, {subtree: true, childList: true, characterData: true});
}"""


def throttle(context, page, bytes_per_s: int, latency_ms: int = 0) -> None:
    """Chromium's own network throttling (-1 = off): a slow link, so the stream arrives piece by piece."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms,
                                                  "downloadThroughput": bytes_per_s, "uploadThroughput": -1})


def test_streamed_answer_citations_source_and_feedback(page, context, demo_server, artifacts):
    page.goto(demo_server.url + "/")
    screenshot(page, artifacts, "01-demo-page-closed.png")
    open_demo(page, demo_server.url)
    expect(page.get_by_text("Ask a question about our articles")).to_be_visible()
    screenshot(page, artifacts, "02-panel-open-empty.png")

    page.evaluate(RECORD_STREAM)
    page.evaluate("window.addEventListener('ragqa:answer', (e) => { window.__answerEvent = e.detail; })")
    throttle(context, page, 1000)  # on loopback the whole answer would land in one read
    answer = ask(page, LEAVE_QUESTION)
    throttle(context, page, -1)
    assert not answer["abstained"] and answer["citations"], answer
    assert page.evaluate("window.__answerEvent") == {"request_id": answer["request_id"], "abstained": False,
                                                      "citations": len(answer["citations"])}
    bubble = page.locator(FINAL).last

    # Streamed: the pending bubble showed the streamed text (with the final numbering) before the finished answer
    # replaced it. (The extractive answer is written at once, so its deltas may land in one read; a model that
    # streams slowly is shown growing piece by piece in test_a_slow_model_is_shown_as_it_streams.)
    streamed = [s["text"] for s in page.evaluate("window.__streamed") if s["text"].strip() and s["done"] == 0]
    assert streamed and streamed[-1].strip() == answer["answer"].strip(), streamed

    # Numbered markers, one per citation, each named after its source; and a matching source list.
    refs = sorted({c["ref"] for c in answer["citations"]})
    markers = bubble.locator("button.cite")
    assert markers.count() >= 1
    for i in range(markers.count()):
        label = markers.nth(i).get_attribute("aria-label")
        ref = int(markers.nth(i).inner_text())
        assert ref in refs and label.startswith(f"Source {ref}: "), label
    # One source entry per article, however many of its passages are cited.
    expect(bubble.locator(".sources li")).to_have_count(len({c["doc_id"] for c in answer["citations"]}))
    expect(page.locator(".progress")).to_be_hidden()
    screenshot(page, artifacts, "03-answer-with-citations.png")

    # A marker opens the source: title, section path, link to the article, the quoted passage.
    first = markers.first
    cited = next(c for c in answer["citations"] if c["ref"] == int(first.inner_text()))
    first.click()
    source = page.locator("section.source")
    expect(source).to_be_visible()
    expect(source.locator("h3")).to_have_text(cited["title"])
    expect(source.locator("h3")).to_be_focused()
    assert source.locator("blockquote").inner_text().strip()
    if cited.get("url", "").startswith(("http://", "https://")):
        link = source.get_by_role("link", name="Open the article")
        expect(link).to_have_attribute("href", cited["url"])
        expect(link).to_have_attribute("rel", "noopener noreferrer")
        expect(link).to_have_attribute("target", "_blank")
    screenshot(page, artifacts, "04-source-view.png")
    source.get_by_role("button", name="Back to the chat").click()
    expect(source).to_be_hidden()
    expect(first).to_be_focused()

    # Feedback: thumbs up, then a comment; both reach the server's feedback store under the request id.
    bubble.get_by_role("button", name="Helpful", exact=True).click()
    expect(bubble.get_by_text("Thanks for the feedback")).to_be_visible()
    expect(bubble.get_by_role("button", name="Helpful", exact=True)).to_have_attribute("aria-pressed", "true")
    bubble.get_by_label("Comment (optional)").fill("Clear, and the table helped.")
    bubble.get_by_role("button", name="Send comment").click()
    expect(bubble.get_by_text("Comment sent. Thank you.")).to_be_visible()
    screenshot(page, artifacts, "05-feedback-sent.png")
    stored = FeedbackStore(demo_server.data_dir).recent(request_id=answer["request_id"])
    assert {r["rating"] for r in stored} == {"up"}, stored
    assert "Clear, and the table helped." in [r["comment"] for r in stored], stored


def test_unanswerable_question_says_not_found_without_sources(page, demo_server, artifacts):
    page.goto(demo_server.url + "/")
    page.get_by_role("button", name="Ask the assistant").click()  # the host page calls RagqaWidget.open()
    expect(page.get_by_label("Your question")).to_be_focused()
    answer = ask(page, UNANSWERABLE)
    assert answer["abstained"], "the service answered a question the corpus cannot answer: " + answer["answer"]
    bubble = page.locator(FINAL).last
    expect(bubble.get_by_text("Not found in the articles")).to_be_visible()
    expect(bubble.locator("button.cite")).to_have_count(0)
    expect(bubble.locator(".sources")).to_have_count(0)
    expect(page.locator("ragqa-widget div[role=status][aria-live=polite]")).to_have_text(
        "Not found in the articles.", timeout=5000)
    screenshot(page, artifacts, "06-not-found.png")


def test_follow_up_sends_history_and_the_chat_survives_a_reload(page, demo_server):
    open_demo(page, demo_server.url)
    first = ask(page, LEAVE_QUESTION)
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data) if r.url.endswith("/v1/ask/stream") else None)
    ask(page, "And can I carry unused days over to next year?")
    sent = json.loads(bodies[-1])
    assert sent["question"] == "And can I carry unused days over to next year?"
    assert sent["history"] == [{"role": "user", "content": LEAVE_QUESTION},
                               {"role": "assistant", "content": first["answer"]}]

    # Same browser session: a reload (another intranet page) brings the conversation back, panel open.
    page.reload()
    expect(page.locator(".msg.user")).to_have_count(2, timeout=10_000)
    expect(page.locator(FINAL)).to_have_count(2)
    expect(page.get_by_role("button", name="Close chat: Ask Fernhill")).to_have_attribute("aria-expanded", "true")

    page.get_by_role("button", name="New chat").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.get_by_text("Ask a question about our articles")).to_be_visible()
    expect(page.get_by_label("Your question")).to_be_focused()
    page.reload()
    expect(page.get_by_text("Ask a question about our articles")).to_be_visible(timeout=10_000)
    expect(page.locator(".msg")).to_have_count(0)


def test_offline_shows_retry_and_retry_recovers(page, context, demo_server, artifacts):
    open_demo(page, demo_server.url)
    context.set_offline(True)
    box = page.get_by_label("Your question")
    box.fill(LEAVE_QUESTION)
    box.press("Enter")
    error = page.locator(".msg.err")
    expect(error).to_contain_text("You are offline")
    expect(page.get_by_role("button", name="Send question")).to_be_visible()
    screenshot(page, artifacts, "09-offline-error.png")
    context.set_offline(False)
    error.get_by_role("button", name="Retry").click()
    expect(page.locator(FINAL)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    expect(error).to_have_count(0)
    expect(page.locator(FINAL).locator("button.cite").first).to_be_visible()


def test_slow_answer_shows_progress_and_stop_cancels(page, context, demo_server, artifacts):
    open_demo(page, demo_server.url)
    throttle(context, page, -1, latency_ms=20_000)  # a slow network: the reply cannot start for 20 s
    box = page.get_by_label("Your question")
    box.fill(LEAVE_QUESTION)
    box.press("Enter")
    progress = page.locator(".progress")
    expect(progress).to_be_visible()
    expect(progress).to_contain_text("Searching the articles")
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    screenshot(page, artifacts, "10-progress-and-stop.png")
    stop.click()
    expect(page.locator(".msg.note")).to_have_text("Stopped.")
    expect(progress).to_be_hidden()
    expect(page.get_by_role("button", name="Send question")).to_be_visible()
    expect(box).to_be_focused()
    throttle(context, page, -1)
    # The stopped question is not sent as history with the next one.
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data) if r.url.endswith("/v1/ask/stream") else None)
    ask(page, UNANSWERABLE)
    assert json.loads(bodies[-1])["history"] == []


@pytest.fixture(scope="module")
def trickling_server(sample_index, tmp_path_factory):
    """`ragqa serve` on the PROTOCOL STAND-IN, streaming its words 0.15 s apart."""
    from tests.browser.server import served_on_stand_in

    with served_on_stand_in("trickle", sample_index.index_dir, tmp_path_factory.mktemp("trickling-server")) as server:
        yield server


def test_a_slow_model_is_shown_as_it_streams(page, trickling_server):
    open_demo(page, trickling_server.url)
    page.evaluate(RECORD_STREAM)
    answer = ask(page, LEAVE_QUESTION)
    assert not answer["abstained"], answer
    streamed = [s["text"] for s in page.evaluate("window.__streamed") if s["text"].strip() and s["done"] == 0]
    assert len(set(streamed)) >= 2, f"the answer did not appear progressively: {streamed}"
    assert len(streamed[0]) < len(streamed[-1]) and streamed[-1].startswith(streamed[0].rstrip()), streamed

