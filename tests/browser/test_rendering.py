"""The Markdown subset, built as DOM nodes: what becomes markup, what stays text, and which links survive.

The conversation is restored from sessionStorage (as after moving to another intranet page), so every
construct renders without depending on what the answerer happens to say.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.driver import embed_page

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ANSWER = "\n".join([
    "Leave is **25 days** a year [1], booked in `PeopleHub` [2, 9].",
    "",
    "- one *first* item",
    "- see [the policy](https://intranet.example/leave) or https://intranet.example/faq.",
    "1. ordered",
    "",
    "| Service | Days |",
    "|---|---|",
    "| 5 years | 27 |",
    "",
    "Inert: [run](javascript:alert(1)) [data](data:text/html,hi) [rel](/admin) ![logo](https://evil.example/p.png)",
    '<img src=x onerror="alert(1)"> <b>not bold</b> snake_case_name',
])
CONVERSATION = [
    {"role": "user", "text": "<script>alert(1)</script> How much leave?"},
    {"role": "assistant", "text": ANSWER, "request_id": "r1", "citations": [
        {"ref": 1, "title": "Annual leave <i>UK</i>", "headings": ["Annual leave <i>UK</i>", "Entitlement"],
         "text": "# Entitlement\n\nStaff get **25 days**.", "url": "javascript:alert(1)", "source": "hr/leave.md"},
        {"ref": 2, "title": "PeopleHub", "headings": [], "text": "Book in PeopleHub.",
         "url": "https://intranet.example/peoplehub", "source": "it/peoplehub.md"},
    ]},
]


def test_markdown_subset_and_link_rules(page, demo_server):
    url = embed_page(page, demo_server.url, "/__render.html", 'data-open="true"')
    page.add_init_script(f"sessionStorage.setItem('ragqa-widget:' + location.origin, "
                         f"JSON.stringify({json.dumps({'messages': CONVERSATION})}))")
    page.goto(url)
    bot = page.locator(".msg.bot")
    expect(bot).to_be_visible()
    md = bot.locator(".md")

    expect(page.locator(".msg.user")).to_contain_text("<script>alert(1)</script> How much leave?")
    expect(md.locator("strong")).to_have_text(["25 days"])
    expect(md.locator("code")).to_have_text(["PeopleHub"])
    expect(md.locator("em")).to_have_text(["first"])
    expect(md.locator("ul > li")).to_have_count(2)
    expect(md.locator("ol > li")).to_have_text(["ordered"])
    expect(md.locator("table th")).to_have_text(["Service", "Days"])
    expect(md.locator("table td")).to_have_text(["5 years", "27"])

    # Markers with a source become buttons; [9] has none and stays text.
    expect(md.locator("button.cite")).to_have_text(["1", "2"])
    expect(md.locator("button.cite").first).to_have_attribute("aria-label", "Source 1: Annual leave <i>UK</i>")
    expect(md).to_contain_text("[9]")

    links = md.locator("a").evaluate_all("(els) => els.map((a) => [a.textContent, a.href, a.rel, a.target])")
    assert links == [
        ["the policy", "https://intranet.example/leave", "noopener noreferrer", "_blank"],
        ["https://intranet.example/faq", "https://intranet.example/faq", "noopener noreferrer", "_blank"],
    ]
    text = md.inner_text()
    assert "https://intranet.example/faq." in text  # the full stop stayed outside the link
    for inert in ("run", "data", "rel", "[image: logo]", '<img src=x onerror="alert(1)">', "<b>not bold</b>",
                  "snake_case_name"):
        assert inert in text, inert
    counts = page.evaluate("""() => {
        const root = document.querySelector('ragqa-widget').shadowRoot;
        return [root.querySelectorAll('img, script, b, i').length, root.querySelectorAll('a').length];
    }""")
    assert counts == [0, 2]

    # A citation whose url is not http(s) gets no link: the source view names the article instead.
    md.locator("button.cite").first.click()
    source = page.locator("section.source")
    expect(source.locator("h3")).to_have_text("Annual leave <i>UK</i>")
    expect(source.locator(".path")).to_have_text("Section: Entitlement")  # the title is not repeated
    expect(source.locator("blockquote strong")).to_have_text("25 days")
    expect(source.locator("a")).to_have_count(0)
    expect(source).to_contain_text("Article: hr/leave.md")
