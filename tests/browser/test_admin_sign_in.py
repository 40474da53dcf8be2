"""A person with a browser signs in to /admin with an admin key in the form (no header needed), in real Chromium."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from ragqa.service.api.keys import KeyStore
from tests.browser.driver import screenshot
from tests.browser.server import RagqaServer

pytestmark = [pytest.mark.browser, pytest.mark.integration]

QUESTION = "How many days of annual leave do staff in Leeds get?"
COMMENT = "Please mention the carry-over rule."
ATTACKER = "http://attacker.test"


@pytest.fixture
def signed_site(sample_index, tmp_path):
    """A server of its own with an admin key, an ask key, and one thumbs-down with a comment to review."""
    server = RagqaServer(tmp_path, Path(sample_index.index_dir)).start()
    keys = KeyStore(server.data_dir)
    _, admin_key = keys.create(name="content-owner", scopes=["admin"])
    _, ask_key = keys.create(name="intranet-tool", scopes=["ask"])
    with httpx.Client(base_url=server.url, timeout=120, headers={"Authorization": f"Bearer {ask_key}"}) as c:
        answer = c.post("/v1/ask", json={"question": QUESTION}).json()
        assert c.post("/v1/feedback", json={"request_id": answer["request_id"], "rating": "down",
                                            "comment": COMMENT}).status_code == 201
    yield {"server": server, "keys": keys, "admin": admin_key, "ask": ask_key, "request_id": answer["request_id"]}
    server.stop()


def _sign_in(page, url: str, key: str) -> None:
    page.goto(url + "/admin")
    expect(page.get_by_role("heading", name="Sign in with an admin key")).to_be_visible()
    page.get_by_label("Admin API key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_an_admin_signs_in_with_the_form_and_sees_the_feedback(page, context, signed_site, artifacts):
    url = signed_site["server"].url
    response = page.goto(url + "/admin")
    assert response.status == 401  # keys exist, so authentication is on; the page says how to get in
    screenshot(page, artifacts, "30-admin-sign-in.png")
    _sign_in(page, url, signed_site["admin"])
    page.wait_for_url(url + "/admin")
    item = page.locator("article.fb").filter(has_text=signed_site["request_id"])
    expect(item).to_contain_text(QUESTION)
    expect(item).to_contain_text(COMMENT)
    assert signed_site["admin"] not in page.url
    (cookie,) = context.cookies(url + "/admin")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/admin"
    assert cookie["value"].startswith("rqs_") and signed_site["admin"] not in cookie["value"]
    assert page.evaluate("document.cookie") == ""  # HttpOnly: no script on the page can read it
    page.reload()
    expect(page.locator("article.fb").filter(has_text=signed_site["request_id"])).to_have_count(1)
    screenshot(page, artifacts, "31-admin-signed-in.png")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in with an admin key")).to_be_visible()
    assert context.cookies(url + "/admin") == []

    # An `ask` key is refused, with the reason on the page, and gets no cookie.
    _sign_in(page, url, signed_site["ask"])
    expect(page.get_by_role("alert")).to_contain_text("no admin scope")
    expect(page.get_by_label("Admin API key")).to_have_value("")  # the key is not put back into the page
    assert context.cookies(url + "/admin") == []


def test_revoking_the_key_ends_the_session(page, context, signed_site):
    url = signed_site["server"].url
    record, key = signed_site["keys"].create(name="temporary-owner", scopes=["admin"])
    _sign_in(page, url, key)
    expect(page.locator("article.fb").filter(has_text=signed_site["request_id"])).to_have_count(1)
    signed_site["keys"].revoke(record.key_id)
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("Your sign-in has ended")
    expect(page.get_by_role("heading", name="Sign in with an admin key")).to_be_visible()
    expect(page.locator("article.fb")).to_have_count(0)
    assert context.cookies(url + "/admin") == []  # the dead cookie was cleared


def test_a_cross_origin_post_is_refused(page, context, signed_site):
    url = signed_site["server"].url
    # Another site's page with forms aimed at this server: a login CSRF with a valid admin key, and a sign-out.
    hostile = (f'<!doctype html><title>elsewhere</title><form id="in" method="post" action="{url}/admin/sign-in">'
               f'<input type="hidden" name="key" value="{signed_site["admin"]}"><button>Win a prize</button></form>'
               f'<form id="out" method="post" action="{url}/admin/sign-out"><button>Unsubscribe</button></form>')
    page.route(f"{ATTACKER}/**", lambda route: route.fulfill(status=200, content_type="text/html", body=hostile))
    page.goto(f"{ATTACKER}/offer")
    with page.expect_response(f"{url}/admin/sign-in") as refused:
        page.get_by_role("button", name="Win a prize").click()
    assert refused.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("own /admin page")
    assert context.cookies(url + "/admin") == []  # no session was planted

    _sign_in(page, url, signed_site["admin"])
    expect(page.locator("article.fb")).not_to_have_count(0)
    page.goto(f"{ATTACKER}/offer")
    with page.expect_response(f"{url}/admin/sign-out") as refused:
        page.get_by_role("button", name="Unsubscribe").click()
    assert refused.value.status == 403
    page.goto(url + "/admin")  # still signed in
    expect(page.locator("article.fb").filter(has_text=signed_site["request_id"])).to_have_count(1)
