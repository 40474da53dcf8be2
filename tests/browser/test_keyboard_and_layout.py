"""Keyboard-only use, the host page's CSS against the widget (both ways), contrast, and a 360 px phone."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.driver import ANSWER_TIMEOUT_MS, FINAL, embed_page, open_demo, screenshot, shadow_active

pytestmark = [pytest.mark.browser, pytest.mark.integration]

QUESTION = "How many days of annual leave do staff in Leeds get?"

STYLE_PROPS = ["fontFamily", "fontSize", "fontWeight", "lineHeight", "letterSpacing", "textTransform", "color",
               "backgroundColor", "paddingTop", "paddingLeft", "borderTopWidth", "borderTopStyle", "borderTopColor",
               "borderTopLeftRadius", "boxSizing", "width", "height", "display", "position", "outlineStyle"]
WIDGET_PARTS = [":host", ".launcher", ".launcher svg", ".panel", "header", "h2", "header button", ".log", ".empty",
                "textarea", ".send", ".send svg", ".hint"]
HOST_PARTS = ["body", "h1", "p", "#ask-button", "nav a", "pre"]

# Computed styles of the widget's parts (inside its shadow root) or of the host page's own elements.
COMPUTED = """([parts, props, inWidget]) => {
    const root = inWidget ? document.querySelector('ragqa-widget').shadowRoot : document;
    const pick = (el) => { const cs = getComputedStyle(el); return Object.fromEntries(props.map((p) => [p, cs[p]])); };
    return Object.fromEntries(parts.map((sel) => {
        const el = sel === ':host' ? root.host : root.querySelector(sel);
        return [sel, el ? pick(el) : null];
    }));
}"""

# WCAG contrast of text against the first opaque background found walking up (across the shadow boundary).
CONTRAST = """(selectors) => {
    const root = document.querySelector('ragqa-widget').shadowRoot;
    const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const background = (el) => {
        for (; el; el = el.parentElement || el.getRootNode().host) {
            const bg = rgb(getComputedStyle(el).backgroundColor);
            if (bg.length === 3 || bg[3] === 1) return bg.slice(0, 3);
        }
        return [255, 255, 255];
    };
    return Object.fromEntries(selectors.map((sel) => {
        const el = root.querySelector(sel);
        if (!el) return [sel, null];
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))].sort((x, y) => y - x);
        return [sel, Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100];
    }));
}"""

# A conversation as the widget stores it for the browser session, so its answer styling renders without a server.
RESTORED = [
    {"role": "user", "text": "Who approves leave?"},
    {"role": "assistant", "text": "Your line manager approves leave [1]. See https://intranet.example/leave.",
     "request_id": "r1", "citations": [{"ref": 1, "title": "Annual leave", "headings": ["Annual leave", "Approval"],
                                        "text": "Line managers approve leave.", "url": "https://intranet.example/l"}]},
    {"role": "user", "text": "Who approves unicorns?"},
    {"role": "assistant", "text": "I could not find the answer to that in the articles.", "abstained": True,
     "request_id": "r2", "citations": []},
]
CONTRAST_PARTS = ["h2", "header button", ".launcher", ".send", ".hint", ".user", ".bot .md", ".cite", ".md a",
                  ".label", ".srcbtn", ".srcpath", ".fbrow > span", ".thumb", ".nf", ".notfound .md", "textarea"]


def test_keyboard_only_flow(page, demo_server, artifacts):
    page.goto(demo_server.url + "/")
    for _ in range(30):  # the launcher comes after the page's own links and button in tab order
        page.keyboard.press("Tab")
        focused = shadow_active(page)
        if focused and "launcher" in focused["cls"]:
            break
    else:
        pytest.fail("Tab never reached the chat launcher")
    assert focused["outline"] != "none" and float(focused["outlineWidth"].removesuffix("px")) >= 2, focused
    screenshot(page, artifacts, "07-keyboard-focus-on-launcher.png")

    page.keyboard.press("Enter")
    box = page.get_by_label("Your question")
    expect(box).to_be_focused()
    page.keyboard.type("first line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    expect(box).to_have_value("first line\nsecond line")
    expect(page.locator(".msg.user")).to_have_count(0)  # Shift+Enter is a newline, not "send"

    page.keyboard.press("Control+A")
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator(FINAL)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("ragqa-widget div.sr[aria-live=polite]")).to_contain_text("Answer:", timeout=5000)

    for _ in range(40):  # backwards from the question box: feedback, sources, then the markers
        page.keyboard.press("Shift+Tab")
        focused = shadow_active(page)
        if focused and focused["cls"] == "cite":
            break
    else:
        pytest.fail("Shift+Tab never reached a citation marker")
    assert focused["outline"] != "none", focused
    marker_label = focused["label"]
    screenshot(page, artifacts, "08-keyboard-focus-on-citation.png")
    page.keyboard.press("Enter")
    expect(page.locator("section.source")).to_be_visible()
    assert shadow_active(page)["tag"] == "h3"

    page.keyboard.press("Escape")  # first Escape: back from the source to the chat, focus on the same marker
    expect(page.locator("section.source")).to_be_hidden()
    assert shadow_active(page)["label"] == marker_label
    page.keyboard.press("Escape")  # second Escape: close the panel, focus back on the launcher
    expect(page.locator(".panel")).to_be_hidden()
    launcher = page.get_by_role("button", name="Open chat: Ask Fernhill")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_host_page_css_does_not_reach_the_widget_nor_the_widget_the_page(page, demo_server, artifacts):
    props = [WIDGET_PARTS, STYLE_PROPS, True]
    open_demo(page, demo_server.url)
    on_demo = page.evaluate(COMPUTED, props)
    host_with_widget = page.evaluate(COMPUTED, [HOST_PARTS, STYLE_PROPS, False])
    # The demo's hostile stylesheet really is in force on the page's own elements...
    assert host_with_widget["#ask-button"]["textTransform"] == "uppercase"
    assert "Georgia" in host_with_widget["p"]["fontFamily"]
    screenshot(page, artifacts, "11-hostile-host-css.png")

    # ...yet the widget computes exactly as it does on a page with no styles at all.
    plain = embed_page(page, demo_server.url, "/__plain-host.html",
                       'data-position="bottom-right" data-primary-color="#20402f"')
    page.evaluate("sessionStorage.clear()")  # else the panel reopens by itself, as it should across pages
    page.goto(plain)
    page.get_by_role("button", name="Open chat: Ask Fernhill").click()
    on_plain = page.evaluate(COMPUTED, props)
    differences = {part: {p: (on_demo[part][p], on_plain[part][p]) for p in STYLE_PROPS
                          if on_demo[part][p] != on_plain[part][p]}
                   for part in WIDGET_PARTS}
    assert not any(differences.values()), differences

    # And the page looks the same with and without the widget: nothing leaks out of the shadow root.
    page.route(demo_server.url + "/widget.js", lambda route: route.abort())
    page.goto(demo_server.url + "/")
    assert page.evaluate(COMPUTED, [HOST_PARTS, STYLE_PROPS, False]) == host_with_widget


@pytest.mark.parametrize("color", ["#20402f", "#0b5", "gold"])
def test_text_contrast_meets_wcag_aa_for_any_brand_colour(page, demo_server, color):
    url = embed_page(page, demo_server.url, "/__contrast.html", f'data-primary-color="{color}" data-open="true"')
    page.add_init_script(f"sessionStorage.setItem('ragqa-widget:' + location.origin, "
                         f"JSON.stringify({json.dumps({'messages': RESTORED})}))")
    page.goto(url)
    expect(page.locator(".cite")).to_be_visible()
    ratios = page.evaluate(CONTRAST, CONTRAST_PARTS)
    low = {part: ratio for part, ratio in ratios.items() if ratio is None or ratio < 4.5}
    assert not low, f"contrast below 4.5:1 with primary {color}: {low}"


def test_usable_on_a_360px_phone(phone_page, demo_server, artifacts):
    page = phone_page
    page.goto(demo_server.url + "/")
    page.get_by_role("button", name="Open chat: Ask Fernhill").tap()
    panel = page.locator(".panel")
    expect(panel).to_be_visible()
    assert panel.bounding_box() == {"x": 0, "y": 0, "width": 360, "height": 740}  # full screen
    expect(page.locator(".launcher")).to_be_hidden()  # the header's close button takes over

    box = page.get_by_label("Your question")
    box.fill(QUESTION)
    page.get_by_role("button", name="Send question").tap()
    expect(page.locator(FINAL)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    for part in (box, page.locator(".send"), page.locator("ragqa-widget header"), page.locator(".msg.user"),
                 page.locator(FINAL)):
        rect = part.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= 360, (part, rect)
    overflow = page.evaluate("""() => [...document.querySelector('ragqa-widget').shadowRoot
        .querySelectorAll('.log, .msg, .md, header, form')].filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.className)""")
    assert not overflow, f"horizontal overflow at 360 px in: {overflow}"
    screenshot(page, artifacts, "12-phone-360px-answer.png")

    page.locator(FINAL).locator("button.cite").first.tap()
    expect(page.locator("section.source")).to_be_visible()
    screenshot(page, artifacts, "13-phone-360px-source.png")
    page.get_by_role("button", name="Back to the chat").tap()
    page.get_by_role("button", name="Close chat", exact=True).tap()
    expect(panel).to_be_hidden()
    expect(page.locator(".launcher")).to_be_visible()


def test_inline_and_bottom_left_positions(page, demo_server):
    page.goto(embed_page(page, demo_server.url, "/__inline.html", 'data-position="inline"'))
    panel = page.locator(".panel")
    expect(panel).to_be_visible()  # always open, in the flow of the page, after the script tag
    expect(page.locator(".launcher")).to_have_count(0)
    expect(page.get_by_role("button", name="Close chat")).to_have_count(0)
    assert page.evaluate("document.querySelector('ragqa-widget').previousElementSibling.tagName") == "SCRIPT"
    page.get_by_label("Your question").press("Escape")
    expect(panel).to_be_visible()  # nothing to close inline

    page.evaluate("sessionStorage.clear()")
    page.goto(embed_page(page, demo_server.url, "/__left.html", 'data-position="bottom-left"'))
    launcher = page.get_by_role("button", name="Open chat: Ask Fernhill")
    assert launcher.bounding_box()["x"] < 100
    launcher.click()
    assert page.locator(".panel").bounding_box()["x"] < 100


def test_works_under_a_strict_content_security_policy(page, demo_server):
    csp = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'"
    url = embed_page(page, demo_server.url, "/__csp.html", 'data-open="true"',
                     head=f'<meta http-equiv="Content-Security-Policy" content="{csp}">')
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(url)
    launcher = page.locator(".launcher")
    expect(launcher).to_be_visible()
    box = launcher.bounding_box()
    assert (box["width"], box["height"]) == (56, 56)  # styled: the constructed stylesheet applied
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label("Your question").press("Enter")
    expect(page.locator(FINAL)).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    assert violations == []
