"""A small server of our own: server error then Retry, a hostile article rendered inert with no outside request,
the host page's token hook (with a refresh after 401), and the rate-limit message.

The server starts with no index (so the first question meets a real 503), then the test publishes one.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.driver import ANSWER_TIMEOUT_MS, FINAL, ask, embed_page, open_demo, screenshot
from tests.browser.server import RagqaServer

pytestmark = [pytest.mark.browser, pytest.mark.integration]

BADGE_QUESTION = "When does the Zephyr badge office open?"
BONUS_QUESTION = "How much does the Zephyr referral bonus pay?"

# Written for this test: a public article carrying three classic injection attempts, and an HR-only article.
ARTICLES = {
    "zephyr-badges.md": (
        "# Zephyr badge office\n\n"
        'The Zephyr badge office opens at 9am on weekdays <img src=x onerror="window.__pwned=1;alert(1)"> '
        "and closes at 4pm.\n\n"
        "Replacement badges are printed at the Zephyr desk within ten minutes [click](javascript:alert(1)) "
        "of asking.\n\n"
        "The Zephyr badge office map hangs next to reception ![x](http://evil.example/pixel.png) by the lifts.\n"
    ),
    "zephyr-bonus.md": (
        "---\naudience: [hr]\n---\n# Zephyr referral bonus\n\n"
        "The Zephyr referral bonus pays 400 pounds to staff who refer a new hire who stays six months.\n"
    ),
    "zephyr-canteen.md": (
        "# Zephyr canteen\n\nThe Zephyr canteen serves lunch from noon until 2pm and closes on public holidays.\n"
    ),
}


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """`ragqa serve` over an empty index folder; anonymous callers stay allowed after keys are created."""
    root = tmp_path_factory.mktemp("small-server")
    server = RagqaServer(root, root / "index", env={"RAGQA_REQUIRE_AUTH": "false",
                                                    "RAGQA_RATE_LIMIT_PER_MINUTE": "6"})
    server.start(ready_path="/healthz")
    yield server
    server.stop()


@pytest.fixture
def published(small_server, embedder):
    """The small corpus published into the running server's index, served."""
    return publish(small_server, embedder)


def publish(server: RagqaServer, embedder) -> RagqaServer:
    """Write and ingest the small corpus into the server's index (once), then wait until it serves it."""
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    corpus = server.root / "corpus"
    if not corpus.exists():
        corpus.mkdir()
        for name, text in ARTICLES.items():
            (corpus / name).write_text(text, encoding="utf-8")
        ingest_paths([corpus], settings=Settings(index_dir=server.index_dir, data_dir=server.root / "ingest-data"),
                     embedder=embedder)
    server.wait_ready()
    return server


def test_server_error_offers_retry_and_retry_recovers(page, small_server, embedder, artifacts):
    if httpx.get(small_server.url + "/readyz").status_code == 200:
        pytest.skip("the index was already published by an earlier test in this run")
    open_demo(page, small_server.url)
    box = page.get_by_label("Your question")
    box.fill(BADGE_QUESTION)
    box.press("Enter")
    error = page.locator(".msg.err")
    expect(error).to_contain_text("error 503", timeout=ANSWER_TIMEOUT_MS)
    expect(error).to_contain_text("No index is loaded yet")  # the server's own detail, as text
    retry = error.get_by_role("button", name="Retry")
    expect(retry).to_be_enabled()
    screenshot(page, artifacts, "14-server-error-with-retry.png")

    publish(small_server, embedder)  # the operator ingests; the running server picks the version up
    retry.click()
    expect(page.locator(FINAL)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(".msg.err")).to_have_count(0)
    expect(page.locator(FINAL).locator("button.cite").first).to_be_visible()
    expect(page.locator(".msg.user")).to_have_count(1)  # the retry re-asked; it did not duplicate the question


def test_hostile_article_renders_inert_and_nothing_leaves_the_server(page, published, artifacts):
    requests, dialogs = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_demo(page, published.url)
    answer = ask(page, BADGE_QUESTION)
    passage = " ".join(c["text"] for c in answer["citations"])
    # The test only means something if the hostile text really reached the browser.
    assert "onerror" in answer["answer"] + passage and "javascript:" in passage and "evil.example" in passage

    bubble = page.locator(FINAL).last
    expect(bubble.locator(".md")).to_contain_text("<img src=x onerror=")  # shown as text, not parsed
    bubble.locator("button.cite").first.click()
    quote = page.locator("section.source blockquote")
    expect(quote).to_contain_text('<img src=x onerror="window.__pwned=1;alert(1)">')
    expect(quote).to_contain_text("[image: x]")  # the Markdown image is named, never fetched
    expect(quote).to_contain_text("click")  # the javascript: link keeps its words and loses its link
    screenshot(page, artifacts, "15-hostile-article-inert.png")

    page.wait_for_timeout(500)  # give any stray onerror or image request the chance to happen
    inside = page.evaluate("""() => {
        const root = document.querySelector('ragqa-widget').shadowRoot;
        return {elements: root.querySelectorAll('img, script, iframe, object, embed, image').length,
                links: [...root.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.rel, a.target]),
                pwned: typeof window.__pwned + typeof window.pwned};
    }""")
    assert inside["elements"] == 0
    assert inside["pwned"] == "undefinedundefined"
    for href, rel, target in inside["links"]:
        assert re.match(r"https?://", href) and rel == "noopener noreferrer" and target == "_blank", href
    assert dialogs == []
    outside = [u for u in requests if not u.startswith(published.url + "/")]
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def test_token_provider_is_used_and_asked_again_after_a_401(page, published):
    from ragqa.service.api.keys import KeyStore

    _, admin_key = KeyStore(published.data_dir).create(name="intranet-backend", scopes=["admin"])
    reply = httpx.post(published.url + "/v1/token", headers={"Authorization": f"Bearer {admin_key}"},
                       json={"subject": "ines", "groups": ["hr"], "ttl_s": 600})
    assert reply.status_code == 200, reply.text
    token = reply.json()["token"]

    auth_headers = []
    page.on("request", lambda r: auth_headers.append(r.headers.get("authorization"))
            if r.url.endswith("/v1/ask/stream") else None)
    open_demo(page, published.url)
    # The host page knows its user; the first token it hands over has expired, the second is fresh.
    page.evaluate("""(token) => {
        window.__calls = 0;
        RagqaWidget.setTokenProvider(async () => (++window.__calls === 1 ? 'rqt_expired.token' : token));
    }""", token)
    answer = ask(page, BONUS_QUESTION)
    assert auth_headers == ["Bearer rqt_expired.token", f"Bearer {token}"]
    assert page.evaluate("window.__calls") == 2
    # The token's groups open the HR-only article that anonymous callers cannot read.
    assert not answer["abstained"] and "400" in answer["answer"], answer
    assert any(c["title"] == "Zephyr referral bonus" for c in answer["citations"])

    page.evaluate("RagqaWidget.setTokenProvider(null); RagqaWidget.newChat()")
    anonymous = ask(page, BONUS_QUESTION)
    assert not any(c["title"] == "Zephyr referral bonus" for c in anonymous["citations"]), anonymous


def test_rate_limited_shows_the_wait_from_retry_after(page, published, artifacts):
    from ragqa.service.api.keys import KeyStore

    _, key = KeyStore(published.data_dir).create(name="intranet-widget", scopes=["ask"], origins=[published.url])
    # Another tab used up this key's quota (the limit is per caller, so other tests keep theirs).
    for _ in range(100):
        spent = httpx.post(published.url + "/v1/feedback", json={"request_id": "quota-filler", "rating": "up"},
                           headers={"Authorization": f"Bearer {key}", "Origin": published.url})
        if spent.status_code == 429:
            break
        assert spent.status_code == 201, spent.text
    else:
        pytest.fail("the rate limit never triggered")

    sent = []
    page.on("request", lambda r: sent.append(r.headers.get("authorization"))
            if r.url.endswith("/v1/ask/stream") else None)
    page.goto(embed_page(page, published.url, "/__keyed.html", f'data-ragqa-key="{key}" data-open="true"'))
    box = page.get_by_label("Your question")
    box.fill(BADGE_QUESTION)
    box.press("Enter")
    error = page.locator(".msg.err")
    expect(error).to_contain_text("Too many questions right now. Try again in", timeout=ANSWER_TIMEOUT_MS)
    wait = int(re.search(r"Try again in (\d+)\s+s", error.inner_text()).group(1))
    assert 1 <= wait <= 60
    expect(error.get_by_role("button", name="Retry")).to_be_disabled()
    assert sent == [f"Bearer {key}"]
    screenshot(page, artifacts, "16-rate-limited.png")
