"""The HTTP API against a real `ragqa serve` process: endpoints, auth, permissions, bad input, live reload."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from tests.api.helpers import (
    ENG_CANARY,
    HR_CANARY,
    Server,
    assert_problem,
    build_index,
    create_key,
    parse_sse,
    run_cli,
)

pytestmark = pytest.mark.integration

SALARY_Q = "What is the salary band for senior engineers?"
DEPLOY_Q = "How often are deploy keys rotated?"


@pytest.fixture(scope="module")
def api(tmp_path_factory, embedder):
    """One server over a small index with ACL groups; keys made with the real CLI."""
    root = tmp_path_factory.mktemp("api")
    env = build_index(root, embedder)
    data = root / "data"
    keys = {
        "alice": create_key(data, name="alice", groups="hr"),  # HR staff
        "bob": create_key(data, name="bob", groups="eng"),  # engineer
        "admin": create_key(data, name="ops", scopes="admin,ask"),
        "ask_only": create_key(data, name="tool"),
        "widget": create_key(data, name="widget", origins="https://intranet.example"),
    }
    env |= {"RAGQA_REQUIRE_AUTH": "true", "RAGQA_RATE_LIMIT_PER_MINUTE": "100000", "RAGQA_RELOAD_POLL_S": "0.2",
            "RAGQA_TRUSTED_PROXY_IPS": '["127.0.0.1"]'}
    server = Server(root, env).start()
    client = httpx.Client(base_url=server.url, timeout=60)
    yield {"server": server, "client": client, "keys": keys, "root": root, "env": env, "embedder": embedder}
    client.close()
    server.stop()


def auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def as_user(api, who: str) -> dict:
    return auth(api["keys"][who])


# --- endpoints ---------------------------------------------------------------------------------------


def test_health_ready_docs(api):
    c = api["client"]
    assert c.get("/healthz").json() == {"status": "ok"}
    ready = c.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True and ready.json()["index_version"]
    assert ready.json()["chunks"] is None and ready.json()["articles"] is None, "counts are for admins only"
    assert c.get("/readyz", headers=as_user(api, "bob")).json()["chunks"] is None
    assert c.get("/readyz", headers=as_user(api, "admin")).json()["chunks"] >= 4
    assert c.get("/docs").status_code == 200
    paths = c.get("/openapi.json").json()["paths"]
    for path in ("/v1/ask", "/v1/ask/stream", "/v1/search", "/v1/documents", "/v1/documents/{doc_id}",
                 "/v1/feedback", "/healthz", "/readyz", "/metrics"):
        assert path in paths


def test_ask_returns_cited_answer(api):
    r = api["client"].post("/v1/ask", json={"question": "When does the staff cafeteria open?"},
                           headers=as_user(api, "bob"))
    assert r.status_code == 200, r.text
    answer = r.json()
    assert not answer["abstained"]
    assert "7:30" in answer["answer"]
    assert [c["doc_id"] for c in answer["citations"]][:1] == ["cafeteria"]
    cited = answer["citations"][0]
    assert cited["text"] and cited["end"] > cited["start"] and "[1]" in answer["answer"]
    assert answer["request_id"] == r.headers["x-request-id"]
    assert answer["timings_ms"]["total"] > 0 and answer["index_version"]


def test_ask_abstains_when_articles_do_not_answer(api):
    r = api["client"].post("/v1/ask", json={"question": "Who won the 1998 football world cup final?"},
                           headers=as_user(api, "bob"))
    assert r.status_code == 200
    assert r.json()["abstained"] is True and r.json()["citations"] == []


def test_stream_sends_deltas_then_the_answer_object(api):
    with api["client"].stream("POST", "/v1/ask/stream", json={"question": "Where is the staff cafeteria?"},
                              headers=as_user(api, "bob")) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(r.iter_lines())
    kinds = [name for name, _ in events]
    assert kinds.count("answer") == 1 and kinds[-1] == "answer"
    deltas = [data["text"] for name, data in events if name == "delta"]
    assert len(deltas) >= 2, "the answer should arrive in several pieces"
    final = events[-1][1]
    assert not final["abstained"] and final["citations"][0]["doc_id"] == "cafeteria"
    assert "".join(deltas).split()[0] == final["answer"].split()[0]


def test_search_ranks_passages(api):
    r = api["client"].post("/v1/search", json={"query": "electric car chargers", "top_k": 2},
                           headers=as_user(api, "bob"))
    assert r.status_code == 200
    body = r.json()
    assert len(body["hits"]) <= 2 and body["hits"][0]["doc_id"] == "parking"
    assert body["hits"][0]["rank"] == 1 and body["index_version"]


def test_request_id_is_echoed_and_logged(api):
    r = api["client"].post("/v1/search", json={"query": "parking"}, headers=as_user(api, "bob") | {
        "X-Request-ID": "trace-abc-123"})
    assert r.headers["x-request-id"] == "trace-abc-123" and r.json()["request_id"] == "trace-abc-123"
    r = api["client"].get("/healthz", headers={"X-Request-ID": "bad idé".encode()})
    assert r.headers["x-request-id"] != "bad id" and len(r.headers["x-request-id"]) == 32  # replaced, not echoed
    deadline = time.monotonic() + 5
    while "trace-abc-123" not in api["server"].log_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [json.loads(line) for line in api["server"].log_text().splitlines() if line.startswith("{")]
    access = [x for x in lines if x.get("request_id") == "trace-abc-123" and x["logger"] == "ragqa.access"]
    assert access and access[0]["status"] == 200 and access[0]["route"] == "/v1/search"


# --- documents ------------------------------------------------------------------------------------------


def test_document_put_query_delete(api):
    c, admin = api["client"], as_user(api, "admin")
    doc = {"text": "# Printers\n\nThe third-floor printer is called Heron. Toner is kept in cupboard 3F-12.",
           "title": "Printers", "url": "https://intranet.example/it/printers"}
    r = c.put("/v1/documents/it/printers", json=doc, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "added" and r.json()["embedded"] >= 1
    version = r.json()["index_version"]

    hits = c.post("/v1/search", json={"query": "where is printer toner kept"}, headers=as_user(api, "bob")).json()
    assert hits["hits"][0]["doc_id"] == "it/printers" and hits["index_version"] == version
    answer = c.post("/v1/ask", json={"question": "Where is the toner for the printer kept?"},
                    headers=as_user(api, "bob")).json()
    assert "3F-12" in answer["answer"] and answer["citations"][0]["url"] == doc["url"]
    listed = c.get("/v1/documents", headers=as_user(api, "bob")).json()
    assert "it/printers" in [d["doc_id"] for d in listed["documents"]]
    assert c.get("/v1/documents/it/printers", headers=as_user(api, "bob")).json()["title"] == "Printers"

    again = c.put("/v1/documents/it/printers", json=doc, headers=admin)
    assert again.status_code == 200 and again.json()["status"] == "unchanged" and again.json()["embedded"] == 0

    gone = c.delete("/v1/documents/it/printers", headers=admin)
    assert gone.status_code == 200 and gone.json()["status"] == "deleted"
    hits = c.post("/v1/search", json={"query": "where is printer toner kept"}, headers=as_user(api, "bob")).json()
    assert "it/printers" not in [h["doc_id"] for h in hits["hits"]]
    assert_problem(c.get("/v1/documents/it/printers", headers=as_user(api, "bob")), 404)
    assert_problem(c.delete("/v1/documents/it/printers", headers=admin), 404)


def test_document_input_is_checked(api):
    c, admin = api["client"], as_user(api, "admin")
    assert_problem(c.put("/v1/documents/a/%2E%2E/b", json={"text": "x"}, headers=admin), 422)
    assert_problem(c.put("/v1/documents/ok", json={"text": "x", "url": "javascript:alert(1)"}, headers=admin), 422)
    assert_problem(c.put("/v1/documents/ok", json={"text": "x", "format": "pdf"}, headers=admin), 422)
    assert_problem(c.put("/v1/documents/ok", json={"text": "<p></p>", "format": "html"}, headers=admin), 422)


def test_uploaded_restricted_document_is_only_seen_by_its_group(api):
    c, admin = api["client"], as_user(api, "admin")
    r = c.put("/v1/documents/hr/bonus", json={"text": "# Bonus\n\nThe annual bonus pool is paid in March.",
                                              "acl": ["hr"]}, headers=admin)
    assert r.status_code == 201
    q = {"query": "when is the annual bonus paid"}
    assert "hr/bonus" in [h["doc_id"] for h in c.post("/v1/search", json=q, headers=as_user(api, "alice"))
                          .json()["hits"]]
    assert "hr/bonus" not in [h["doc_id"] for h in c.post("/v1/search", json=q, headers=as_user(api, "bob"))
                              .json()["hits"]]
    assert "hr/bonus" not in [d["doc_id"] for d in c.get("/v1/documents", headers=as_user(api, "bob"))
                              .json()["documents"]]
    assert_problem(c.get("/v1/documents/hr/bonus", headers=as_user(api, "bob")), 404)
    c.delete("/v1/documents/hr/bonus", headers=admin)


# --- feedback ----------------------------------------------------------------------------------------------


def test_feedback_is_stored(api):
    c = api["client"]
    answer = c.post("/v1/ask", json={"question": "Where do visitors register?"}, headers=as_user(api, "bob")).json()
    r = c.post("/v1/feedback", json={"request_id": answer["request_id"], "rating": "down",
                                     "comment": "wanted the opening hours"}, headers=as_user(api, "bob"))
    assert r.status_code == 201 and r.json()["id"] > 0
    stored = c.get("/v1/feedback", params={"request_id": answer["request_id"]}, headers=as_user(api, "admin")).json()
    assert stored[0]["rating"] == "down" and stored[0]["comment"] == "wanted the opening hours"
    assert stored[0]["caller"].startswith("key:")
    assert_problem(c.get("/v1/feedback", headers=as_user(api, "bob")), 403)
    assert_problem(c.post("/v1/feedback", json={"request_id": "x", "rating": "meh"}, headers=as_user(api, "bob")),
                   422)


# --- authentication and permissions ----------------------------------------------------------------------


def test_missing_wrong_and_malformed_credentials_get_401(api):
    c = api["client"]
    body = {"question": "When does the cafeteria open?"}
    r = c.post("/v1/ask", json=body)
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    real = api["keys"]["bob"]
    assert_problem(c.post("/v1/ask", json=body, headers=auth(real[:-4] + "AAAA")), 401)
    assert_problem(c.post("/v1/ask", json=body, headers=auth("rq_deadbeef0000_nope")), 401)
    assert_problem(c.post("/v1/ask", json=body, headers={"Authorization": "Basic Ym9iOnB3"}), 401)
    assert c.post("/v1/ask", json=body, headers={"X-API-Key": real}).status_code == 200


def test_revoked_key_gets_401(api):
    data = api["root"] / "data"
    key = create_key(data, name="temp")
    c = api["client"]
    assert c.post("/v1/search", json={"query": "parking"}, headers=auth(key)).status_code == 200
    key_id = key.split("_")[1]
    out = run_cli(["keys", "revoke", key_id, "--data-dir", str(data)])
    assert out.returncode == 0, out.stderr
    assert_problem(c.post("/v1/search", json={"query": "parking"}, headers=auth(key)), 401)
    listed = json.loads(run_cli(["keys", "list", "--json", "--data-dir", str(data)]).stdout)
    assert [k["revoked_at"] for k in listed if k["key_id"] == key_id][0]
    assert key.split("_", 2)[2] not in json.dumps(listed)  # the secret is never listed


def test_ask_key_cannot_use_admin_routes(api):
    c = api["client"]
    for key in ("ask_only", "alice"):
        assert_problem(c.put("/v1/documents/x", json={"text": "hello world"}, headers=as_user(api, key)), 403)
        assert_problem(c.delete("/v1/documents/cafeteria", headers=as_user(api, key)), 403)
    assert c.get("/v1/documents/cafeteria", headers=as_user(api, "ask_only")).status_code == 200


def test_widget_key_only_from_its_origin(api):
    c, key = api["client"], as_user(api, "widget")
    body = {"query": "parking"}
    ok = c.post("/v1/search", json=body, headers=key | {"Origin": "https://intranet.example"})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://intranet.example"
    assert_problem(c.post("/v1/search", json=body, headers=key | {"Origin": "https://evil.example"}), 403)
    assert_problem(c.post("/v1/search", json=body, headers=key), 403)  # no Origin: not a browser on the page
    pre = c.options("/v1/ask/stream", headers={"Origin": "https://intranet.example",
                                               "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "authorization,content-type"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://intranet.example"
    assert "access-control-allow-credentials" not in pre.headers
    bad = c.options("/v1/ask/stream", headers={"Origin": "https://evil.example",
                                               "Access-Control-Request-Method": "POST"})
    assert_problem(bad, 403)


def _leaks(text: str, canary: str, doc_id: str) -> bool:
    return canary in text or doc_id in text


def test_group_a_never_sees_group_b_passages(api):
    """bob (eng) asks about HR salary bands; alice (hr) about deploy keys: nothing of the other group leaks."""
    c = api["client"]
    cases = [("bob", SALARY_Q + f" {HR_CANARY}", HR_CANARY, "hr/salary-bands"),
             ("alice", DEPLOY_Q + f" {ENG_CANARY}", ENG_CANARY, "eng/deploy-keys")]
    for who, question, canary, doc_id in cases:
        headers = as_user(api, who)
        for k in (1, 5, 50):
            search = c.post("/v1/search", json={"query": question, "top_k": k}, headers=headers)
            assert search.status_code == 200
            assert not _leaks(json.dumps(search.json()["hits"]), canary, doc_id)
        answer = c.post("/v1/ask", json={"question": question, "top_k": 50}, headers=headers)
        assert answer.status_code == 200
        assert doc_id not in [x["doc_id"] for x in answer.json()["citations"]]
        assert canary not in answer.json()["answer"] and canary not in json.dumps(answer.json()["citations"])
        with c.stream("POST", "/v1/ask/stream", json={"question": question}, headers=headers) as r:
            raw = r.read().decode()
        assert not _leaks(raw.replace(question, ""), canary, doc_id)
        docs = c.get("/v1/documents", headers=headers).json()["documents"]
        assert doc_id not in [d["doc_id"] for d in docs]
    # Positive control: the owners do see their own article, so the filter is not simply hiding everything.
    own = c.post("/v1/ask", json={"question": SALARY_Q}, headers=as_user(api, "alice")).json()
    assert "hr/salary-bands" in [x["doc_id"] for x in own["citations"]] and "90,000" in own["answer"]


def test_groups_in_the_body_are_refused(api):
    r = api["client"].post("/v1/search", json={"query": "salary", "groups": ["hr"]}, headers=as_user(api, "bob"))
    assert "groups" in assert_problem(r, 422)["detail"]


def test_trusted_proxy_user_and_groups(api):
    c = api["client"]
    proxied = {"X-Forwarded-User": "dave@example.org", "X-Forwarded-Groups": "eng, staff"}
    hits = c.post("/v1/search", json={"query": "deploy keys rotation salary band", "top_k": 10}, headers=proxied)
    assert hits.status_code == 200
    ids = [h["doc_id"] for h in hits.json()["hits"]]
    assert "eng/deploy-keys" in ids and "hr/salary-bands" not in ids
    # The proxy's user is an `ask` identity: no admin routes.
    assert_problem(c.delete("/v1/documents/cafeteria", headers=proxied), 403)


def test_tokens_for_the_widget_hook(api):
    c = api["client"]
    r = c.post("/v1/token", json={"subject": "carol", "groups": ["hr"], "ttl_s": 600}, headers=as_user(api, "admin"))
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    assert r.json()["scopes"] == ["ask"] and 0 < r.json()["expires_at"] - time.time() <= 600
    found = c.post("/v1/search", json={"query": SALARY_Q}, headers=auth(token)).json()["hits"]
    assert "hr/salary-bands" in [h["doc_id"] for h in found]
    assert_problem(c.put("/v1/documents/x", json={"text": "hello there"}, headers=auth(token)), 403)
    assert_problem(c.post("/v1/search", json={"query": "x"}, headers=auth(token[:-3] + "abc")), 401)
    assert_problem(c.post("/v1/token", json={}, headers=as_user(api, "ask_only")), 403)
    assert_problem(c.post("/v1/token", json={"ttl_s": 7200}, headers=as_user(api, "admin")), 422)
    proxied = c.post("/v1/token", json={}, headers={"X-Forwarded-User": "erin", "X-Forwarded-Groups": "eng"})
    assert proxied.status_code == 200 and proxied.json()["groups"] == ["eng"]
    assert_problem(c.post("/v1/token", json={"groups": ["hr"]}, headers={"X-Forwarded-User": "erin"}), 422)


# --- bad input -----------------------------------------------------------------------------------------------


def test_bad_input_gets_4xx_problem_json(api):
    c, h = api["client"], as_user(api, "bob")
    assert_problem(c.post("/v1/ask", content=b"{" + b'"question": "' + b"a" * (10 * 1024 * 1024) + b'"}',
                          headers=h | {"Content-Type": "application/json"}), 413)
    assert_problem(c.post("/v1/ask", json={"question": "why " * 5000}, headers=h), 422)
    assert_problem(c.post("/v1/ask", json={"question": "parking?", "top_k": 100000}, headers=h), 422)
    assert_problem(c.post("/v1/ask", json={"question": "parking?", "top_k": 0}, headers=h), 422)
    assert_problem(c.post("/v1/ask", json={"question": 42}, headers=h), 422)
    assert_problem(c.post("/v1/ask", json={"question": "parking?", "top_k": "five"}, headers=h), 422)
    assert_problem(c.post("/v1/ask", json={"question": "parking?", "history": "not a list"}, headers=h), 422)
    assert_problem(c.post("/v1/ask", json={"question": "   "}, headers=h), 422)
    assert_problem(c.post("/v1/ask", json=["question"], headers=h), 422)
    assert_problem(c.post("/v1/ask", content=b'{"question": "parking', headers=h | {
        "Content-Type": "application/json"}), 422)
    assert_problem(c.post("/v1/ask", content=b'{"question": "caf\xff\xfe"}', headers=h | {
        "Content-Type": "application/json"}), 400)
    assert_problem(c.post("/v1/ask", content=b'{"question": "\\ud800 lone surrogate"}', headers=h | {
        "Content-Type": "application/json"}), 422)
    assert_problem(c.post("/v1/search", json={"query": "x" * 3000}, headers=h), 422)
    assert_problem(c.get("/v1/nothing-here", headers=h), 404)
    assert_problem(c.delete("/v1/ask", headers=h), 405)
    # And the server is still fine.
    assert c.post("/v1/ask", json={"question": "Where is the cafeteria?"}, headers=h).status_code == 200


# --- live reload -----------------------------------------------------------------------------------------------


def test_queries_keep_succeeding_while_versions_are_published(api):
    """Searches and asks run in a loop while new versions are published via the API and by another process."""
    from ragqa.index.ingest import upsert_articles
    from ragqa.index.loaders import article_from_text
    from ragqa.settings import Settings

    c, admin, user = api["client"], as_user(api, "admin"), as_user(api, "bob")
    failures, versions, done = [], set(), threading.Event()

    def loop(path, body):
        with httpx.Client(base_url=api["server"].url, timeout=60) as client:
            while not done.is_set():
                try:
                    r = client.post(path, json=body, headers=user)
                    if r.status_code != 200:
                        failures.append((path, r.status_code, r.text[:200]))
                    elif path == "/v1/search":
                        versions.add(r.json()["index_version"])
                except httpx.HTTPError as exc:
                    failures.append((path, repr(exc)))

    threads = [threading.Thread(target=loop, args=("/v1/search", {"query": "meeting room seats"})),
               threading.Thread(target=loop, args=("/v1/ask", {"question": "How many people does room 1 seat?"}))]
    for t in threads:
        t.start()
    try:
        for n in range(3):
            r = c.put("/v1/documents/rooms/room1", json={"text": f"# Room 1\n\nMeeting room 1 seats {n + 4} people."},
                      headers=admin)
            assert r.status_code in (200, 201), r.text
        # Another process publishing (as `ragqa ingest` would): the server notices the new CURRENT by polling.
        settings = Settings(index_dir=api["env"]["RAGQA_INDEX_DIR"], data_dir=api["env"]["RAGQA_DATA_DIR"])
        report = upsert_articles([article_from_text("rooms/room2", "# Room 2\n\nMeeting room 2 seats 12 people.")],
                                 settings=settings, embedder=api["embedder"])
        deadline = time.monotonic() + 20
        while report.version_id not in versions and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        done.set()
        for t in threads:
            t.join()
    assert not failures, failures[:5]
    assert report.version_id in versions, "the server should switch to a version published by another process"
    assert len(versions) >= 3


# --- operations -------------------------------------------------------------------------------------------------


def test_metrics_after_traffic(api):
    c = api["client"]
    c.post("/v1/ask", json={"question": "When is lunch served?"}, headers=as_user(api, "bob"))
    c.post("/v1/ask", json={"question": "What is the capital of Peru?"}, headers=as_user(api, "bob"))
    text = c.get("/metrics").text
    assert 'ragqa_http_requests_total{method="POST",route="/v1/ask",status="200"}' in text
    assert 'route="/v1/documents/{doc_id:path}"' in text  # templates, not raw paths (bounded label sets)
    assert "ragqa_http_request_duration_seconds_bucket" in text
    assert "ragqa_retrieval_seconds_count" in text and "ragqa_generation_seconds_count" in text
    assert 'ragqa_answers_total{abstained="true"}' in text and "ragqa_abstention_ratio" in text
    assert "ragqa_index_chunks" not in text and "ragqa_index_articles" not in text, "counts are for admins only"
    assert "ragqa_index_info{version=" in text and "ragqa_index_ready" in text
    assert "ragqa_index_chunks" not in c.get("/metrics", headers=as_user(api, "bob")).text
    admin_text = c.get("/metrics", headers=as_user(api, "admin")).text
    assert "ragqa_index_chunks" in admin_text and "ragqa_index_articles" in admin_text
    assert "ragqa_auth_failures_total" in text


def test_no_secret_in_logs_or_metrics(api):
    secrets = [k.split("_", 2)[2] for k in api["keys"].values()]
    exposed = api["server"].log_text() + api["client"].get("/metrics").text
    assert not [s for s in secrets if s in exposed]
    for line in api["server"].log_text().splitlines():
        if line.startswith("{"):
            json.loads(line)  # every log line is one JSON object


def test_widget_files_are_served(api):
    from ragqa.service.api.state import WIDGET_DIR

    if not (WIDGET_DIR / "widget.js").exists():
        pytest.skip("service/widget/widget.js is not there yet")
    c = api["client"]
    js = c.get("/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "max-age" in js.headers["cache-control"] and js.headers["etag"]
    assert c.get("/widget.js", headers={"If-None-Match": js.headers["etag"]}).status_code == 304
    if (WIDGET_DIR / "demo.html").exists():
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


def test_no_unhandled_errors_were_logged(api):
    """Everything above, bad input included, was answered without an internal error."""
    lines = [json.loads(line) for line in api["server"].log_text().splitlines() if line.startswith("{")]
    assert not [x for x in lines if x["level"] in ("error", "critical")], "errors in the server log"
    assert not [x for x in lines if x.get("logger") == "ragqa.access" and x["status"] >= 500]
