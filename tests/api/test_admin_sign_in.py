"""The /admin sign-in over HTTP against a real `ragqa serve`: the cookie's attributes, what it admits and for how
long, the CSRF check, the rate limit, and that the key never lands in a URL or a log line."""

from __future__ import annotations

import time

import httpx
import pytest

from ragqa.service.api.admin_session import COOKIE
from ragqa.service.api.keys import KeyStore
from ragqa.service.api.tokens import SESSION_TTL_S, TokenSigner
from tests.api.helpers import Server, build_index, create_key

pytestmark = pytest.mark.integration

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Accept": "text/html"}
PER_MINUTE = 30


@pytest.fixture(scope="module")
def site(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("sign-in")
    env = build_index(root, embedder)
    data = root / "data"
    keys = {"admin": create_key(data, name="owner", scopes="admin,ask"),
            "ask": create_key(data, name="tool"),
            "widget": create_key(data, name="widget", scopes="admin,ask", origins="https://intranet.example")}
    # 127.0.0.1 is a trusted proxy here, so a test can be "another client" (X-Forwarded-For) or come over https.
    env |= {"RAGQA_REQUIRE_AUTH": "true", "RAGQA_RATE_LIMIT_PER_MINUTE": str(PER_MINUTE),
            "RAGQA_TRUSTED_PROXY_IPS": '["127.0.0.1"]'}
    server = Server(root, env, args=["--log-level", "debug"]).start()
    client = httpx.Client(base_url=server.url, timeout=120, follow_redirects=False)
    yield {"server": server, "client": client, "keys": keys, "data": data}
    client.close()
    server.stop()


def sign_in(site, key: str, headers: dict | None = None, client_ip: str = "198.51.100.1") -> httpx.Response:
    return site["client"].post("/admin/sign-in", data={"key": key},
                               headers=SAME_ORIGIN | {"X-Forwarded-For": client_ip} | (headers or {}))


def cookie_of(response: httpx.Response) -> str:
    (header,) = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return header


def admin(site, cookie_value: str | None, path: str = "/admin") -> httpx.Response:
    headers = {"Accept": "text/html"} | ({"Cookie": f"{COOKIE}={cookie_value}"} if cookie_value else {})
    return site["client"].get(path, headers=headers)


def test_an_admin_key_signs_in_and_the_cookie_is_locked_down(site):
    r = sign_in(site, site["keys"]["admin"])
    assert r.status_code == 303 and r.headers["location"] == "/admin", r.text
    header = cookie_of(r)
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes and "secure" not in attributes  # plain http
    assert "Path=/admin" in header and "SameSite=strict" in header and f"Max-Age={SESSION_TTL_S}" in header
    value = r.cookies[COOKIE]
    assert site["keys"]["admin"] not in header and value.startswith("rqs_")

    page = admin(site, value)
    assert page.status_code == 200 and "Feedback with its answers" in page.text and "Sign out" in page.text
    # The cookie admits /admin only: not the JSON API, and not as a bearer credential anywhere.
    assert site["client"].get("/v1/insights", headers={"Cookie": f"{COOKIE}={value}"}).status_code == 401
    assert site["client"].get("/v1/insights", headers={"Authorization": f"Bearer {value}"}).status_code == 401
    assert admin(site, value[:-2] + ("AA" if not value.endswith("AA") else "BB")).status_code == 401  # forged
    with_cookie = {"Cookie": f"{COOKIE}={value}", "Accept": "text/html"}
    # A script's key is checked as sent, cookie or not; an intranet proxy's Basic auth leaves the cookie in charge.
    assert site["client"].get("/admin", headers=with_cookie | {"X-API-Key": "rq_x_wrong"}).status_code == 401
    assert site["client"].get("/admin", headers=with_cookie | {"Authorization": "Basic dTpw"}).status_code == 200

    # Over https (here: a trusted proxy saying so) the cookie is Secure as well.
    secure = sign_in(site, site["keys"]["admin"], {"X-Forwarded-Proto": "https"})
    assert secure.status_code == 303 and "; secure" in cookie_of(secure).lower()

    out = site["client"].post("/admin/sign-out", headers=SAME_ORIGIN | {"Cookie": f"{COOKIE}={value}"})
    assert out.status_code == 303 and 'Max-Age=0' in cookie_of(out) and "Path=/admin" in cookie_of(out)


def test_only_active_admin_keys_sign_in_and_revoking_ends_the_session(site):
    for key, status in ((site["keys"]["ask"], 403), (site["keys"]["widget"], 403), ("rq_abc_wrong", 401),
                        ("not a key", 401), ("", 401)):
        r = sign_in(site, key)
        assert r.status_code == status and "set-cookie" not in r.headers, (key, r.status_code)
        assert 'action="/admin/sign-in"' in r.text and "<script" not in r.text  # the form again, with why
        assert key in ("", "not a key") or key not in r.text  # the key is never echoed back

    data = site["data"]
    _, key = KeyStore(data).create(name="temp-owner", scopes=["admin"])
    value = sign_in(site, key).cookies[COOKIE]
    assert admin(site, value).status_code == 200
    KeyStore(data).revoke(key)
    ended = admin(site, value)
    assert ended.status_code == 401 and "Your sign-in has ended" in ended.text
    assert 'action="/admin/sign-in"' in ended.text and "Max-Age=0" in cookie_of(ended)
    assert sign_in(site, key).status_code == 401  # and the revoked key cannot sign in again


def test_cross_site_posts_are_refused(site):
    key = site["keys"]["admin"]
    own = site["server"].url.split("//")[1]
    refused = [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another origin
        {"Sec-Fetch-Site": None, "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": None, "Origin": "null"},
        {"Sec-Fetch-Site": None},  # neither header: not a browser form on our page
    ]
    for headers in refused:
        r = site["client"].post("/admin/sign-in", data={"key": key}, headers={
            k: v for k, v in (SAME_ORIGIN | headers).items() if v is not None})
        assert r.status_code == 403 and "set-cookie" not in r.headers, headers
        assert "own /admin page" in r.text
    # An old browser without Sec-Fetch-Site, on our own page: its Origin names this host.
    ok = site["client"].post("/admin/sign-in", data={"key": key}, headers={"Origin": f"http://{own}"})
    assert ok.status_code == 303
    value = ok.cookies[COOKIE]
    out = site["client"].post("/admin/sign-out", headers={"Sec-Fetch-Site": "cross-site",
                                                          "Cookie": f"{COOKIE}={value}"})
    assert out.status_code == 403 and "set-cookie" not in out.headers


def test_sign_in_is_rate_limited_per_client_and_never_logs_the_key(site):
    statuses = []
    while 429 not in statuses and len(statuses) < 2 * PER_MINUTE:  # the bucket refills a little as we go
        statuses.append(sign_in(site, "rq_guess_wrong", client_ip="203.0.113.77").status_code)
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401} and PER_MINUTE <= len(statuses) - 1 < 1.5 * PER_MINUTE
    limited = sign_in(site, site["keys"]["admin"], client_ip="203.0.113.77")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1 and "set-cookie" not in \
        limited.headers
    assert sign_in(site, site["keys"]["admin"], client_ip="203.0.113.78").status_code == 303  # another client
    for i, key in enumerate(site["keys"].values()):  # every key is posted here, whatever ran before
        sign_in(site, key, client_ip=f"203.0.113.{100 + i}")

    deadline = time.monotonic() + 10  # the access log is written as each request ends
    while site["server"].log_text().count("/admin/sign-in") < len(statuses) + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    logs = site["server"].log_text()
    assert logs.count("/admin/sign-in") >= len(statuses) + 2
    assert "rq_guess_wrong" not in logs
    for key in site["keys"].values():
        assert key not in logs and key.split("_", 2)[2] not in logs


def test_session_cookies_and_tokens_are_not_interchangeable():
    signer = TokenSigner(b"s" * 32, clock=lambda: 1_000_000)
    value, expires = signer.issue_session("k1")
    assert signer.verify_session(value) == "k1" and expires == 1_000_000 + SESSION_TTL_S
    assert signer.verify(value) is None  # not a bearer token
    token, _ = signer.issue(subject="x", groups=frozenset(), ttl_s=60, issuer="key:k1")
    assert signer.verify_session(token) is None
    assert signer.verify_session("rqs_" + token[4:]) is None  # signed with the token key, not the session key
    assert TokenSigner(b"s" * 32, clock=lambda: 1_000_000 + SESSION_TTL_S).verify_session(value) is None  # expired
    assert TokenSigner(b"t" * 32, clock=lambda: 1_000_000).verify_session(value) is None  # another secret
    with pytest.raises(ValueError):
        signer.issue_session("k1", ttl_s=SESSION_TTL_S + 1)


def test_a_sign_in_body_that_is_not_the_form_is_refused_plainly(site):
    for body in ("&".join(f"f{i}=x" for i in range(50)), "key=%ZZ%", "\xff\xfe", ""):
        r = site["client"].post("/admin/sign-in", content=body.encode("utf-8", errors="replace"),
                                headers=SAME_ORIGIN | {"Content-Type": "application/x-www-form-urlencoded",
                                                       "X-Forwarded-For": "198.51.100.9"})
        assert r.status_code == 401 and "Traceback" not in r.text and "set-cookie" not in r.headers
