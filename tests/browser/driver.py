"""Driving the widget the way a person does (Playwright locators pierce its open shadow root)."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

ANSWER_TIMEOUT_MS = 90_000  # the shared CI box is slow; an answer normally takes a second or two
FINAL = ".msg.bot:not(.pending)"  # a finished answer (the streaming one carries .pending)


# Chromium keeps no copy of a streamed fetch body, so the page tees each /v1/ask/stream reply: the widget reads
# one branch as it streams, the test reads the other (window.__sse) to learn exactly what the server sent.
SSE_TAP = """(() => {
    const original = window.fetch;
    window.__sse = [];
    window.fetch = async function (input, init) {
        const res = await original.call(this, input, init);
        const url = typeof input === 'string' ? input : input.url;
        if (!url.endsWith('/v1/ask/stream') || !res.body) return res;
        const [mine, theirs] = res.body.tee();
        const entry = {status: res.status, text: '', done: false};
        window.__sse.push(entry);
        (async () => {
            const reader = theirs.getReader(), decoder = new TextDecoder();
            for (let r; !(r = await reader.read()).done;) entry.text += decoder.decode(r.value, {stream: true});
        })().catch(() => {}).finally(() => { entry.done = true; });
        return new Response(mine, {status: res.status, statusText: res.statusText, headers: res.headers});
    };
})();"""


def open_demo(page: Page, base_url: str) -> None:
    """Load the demo intranet page and open the chat from its launcher."""
    page.goto(base_url + "/")
    page.get_by_role("button", name="Open chat: Ask Fernhill").click()
    expect(page.get_by_label("Your question")).to_be_focused()


def ask(page: Page, question: str) -> dict:
    """Type a question, press Enter, wait for the finished answer; returns the answer object from the stream."""
    finished = page.locator(FINAL).count()
    streams = page.evaluate("window.__sse.length")
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(FINAL)).to_have_count(finished + 1, timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function("(n) => window.__sse.length > n && window.__sse[window.__sse.length - 1].done", arg=streams)
    return answer_from_sse(page.evaluate("window.__sse[window.__sse.length - 1].text"))


def answer_from_sse(body: str) -> dict:
    """The `answer` event's object from a raw text/event-stream body."""
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = block.split("\n")
        if "event: answer" in lines:
            return json.loads("\n".join(line[6:] for line in lines if line.startswith("data: ")))
    raise AssertionError(f"no answer event in the stream: {body[:500]!r}")


def shadow_active(page: Page) -> dict:
    """What has keyboard focus inside the widget: tag, id, classes, text, aria-label."""
    return page.evaluate("""() => {
        const host = document.querySelector('ragqa-widget');
        const el = host && host.shadowRoot.activeElement;
        return el ? {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className.baseVal ?? el.className,
                     text: el.textContent.trim(), label: el.getAttribute('aria-label') || '',
                     outline: getComputedStyle(el).outlineStyle, outlineWidth: getComputedStyle(el).outlineWidth}
                  : null;
    }""")


def embed_page(page: Page, base_url: str, path: str, attributes: str = "", head: str = "") -> str:
    """Serve a plain host page at base_url + path (same origin as the server) that embeds the widget."""
    html = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>embed</title>{head}</head>"
            f"<body><main><h1>Plain host page</h1><p>Nothing but the widget.</p></main>"
            f'<script src="/widget.js" data-title="Ask Fernhill" {attributes}></script></body></html>')
    page.route(base_url + path, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    return base_url + path


def screenshot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / name))
