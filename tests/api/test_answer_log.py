"""The answer log, feedback review, insights and /admin against real `ragqa serve` processes and the real model."""

from __future__ import annotations

import json
import sqlite3
import time

import httpx
import pytest

from ragqa.service.api.answer_log import DAY_S, AnswerStore
from tests.api.helpers import HR_CANARY, Server, assert_problem, build_index, create_key, parse_sse, run_cli

pytestmark = pytest.mark.integration

SALARY_Q = "What is the salary band for senior engineers?"
CAFE_Q = "When does the staff cafeteria open?"
# Three topics the articles do not cover, each asked three ways: insights must report three clusters.
GAPS = {
    "gym": ["Is there a gym at the office?", "Does the company have a fitness centre for staff?",
            "Can employees use an on-site gym?"],
    "pets": ["Can I bring my dog to work?", "Are pets allowed in the office?",
             "Is it ok to bring my dog into the building?"],
    "wifi": ["What is the guest wifi password?", "How do visitors connect to the wireless network?",
             "Which wifi network should guests use?"],
}


@pytest.fixture(scope="module")
def api(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("answer-log")
    env = build_index(root, embedder)
    data = root / "data"
    keys = {
        "alice": create_key(data, name="alice", groups="hr"),
        "bob": create_key(data, name="bob", groups="eng"),
        "admin": create_key(data, name="ops", scopes="admin,ask"),  # an admin in no group
        "hr_admin": create_key(data, name="hr-ops", scopes="admin,ask", groups="hr"),
        "ask_only": create_key(data, name="tool"),
    }
    env |= {"RAGQA_REQUIRE_AUTH": "true", "RAGQA_RATE_LIMIT_PER_MINUTE": "100000",
            "RAGQA_TRUSTED_PROXY_IPS": '["127.0.0.1"]', "RAGQA_PROXY_ADMIN_GROUPS": '["content-owners"]'}
    server = Server(root, env).start()
    client = httpx.Client(base_url=server.url, timeout=120)
    yield {"server": server, "client": client, "keys": keys, "data": data, "env": env}
    client.close()
    server.stop()


def auth(api, who: str) -> dict:
    return {"Authorization": f"Bearer {api['keys'][who]}"}


def logged(api, request_ids: set[str], timeout: float = 10) -> dict[str, dict]:
    """The answer-log rows for these ids, once the server's writer thread has written them."""
    deadline = time.monotonic() + timeout
    while True:
        rows = {r["request_id"]: r for r in AnswerStore(api["data"]).rows(request_ids=request_ids)}
        if set(rows) == request_ids or time.monotonic() > deadline:
            return rows
        time.sleep(0.1)


def test_every_answering_route_is_logged(api):
    c = api["client"]
    ids = {}
    r = c.post("/v1/ask", json={"question": SALARY_Q}, headers=auth(api, "alice"))
    ids["ask"] = r.json()["request_id"]
    with c.stream("POST", "/v1/ask/stream", json={"question": CAFE_Q, "history": [
            {"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi, ask away."}]},
                  headers=auth(api, "bob")) as r:
        ids["stream"] = dict(parse_sse(r.iter_lines()))["answer"]["request_id"]
    r = c.post("/v1/chat/completions", json={"model": "ragqa", "messages": [{"role": "user", "content": CAFE_Q}]},
               headers=auth(api, "bob"))
    ids["chat"] = r.json()["ragqa"]["request_id"]
    with c.stream("POST", "/v1/chat/completions", json={
            "model": "ragqa", "stream": True, "messages": [{"role": "user", "content": CAFE_Q}]},
                  headers=auth(api, "bob")) as r:
        last = [json.loads(line[5:]) for line in r.iter_lines() if line.startswith("data: {")][-1]
        ids["chat_stream"] = last["ragqa"]["request_id"]
    rows = logged(api, set(ids.values()))
    assert set(rows) == set(ids.values()), (ids, rows.keys())
    salary = rows[ids["ask"]]
    assert salary["question"] == SALARY_Q and salary["groups"] == ["hr"] and salary["caller"].startswith("key:")
    assert [c["doc_id"] for c in salary["citations"]][:1] == ["hr/salary-bands"] and not salary["abstained"]
    assert salary["llm"] == "extractive" and salary["index_version"] and salary["latency_ms"] > 0
    assert salary["grounded"] and "90,000" in salary["answer"]
    assert rows[ids["stream"]]["history"][0] == {"role": "user", "content": "Hello"}
    assert rows[ids["stream"]]["groups"] == ["eng"]
    assert HR_CANARY not in AnswerStore(api["data"]).path.read_bytes().decode("utf-8", "replace")


def test_feedback_review_shows_answers_only_to_readers_who_may_read_them(api):
    c = api["client"]
    asked = c.post("/v1/ask", json={"question": SALARY_Q}, headers=auth(api, "alice")).json()
    assert HR_CANARY in json.dumps(asked["citations"])  # alice may read it
    rid = asked["request_id"]
    # Only the one who got the answer can rate it.
    assert_problem(c.post("/v1/feedback", json={"request_id": rid, "rating": "down"}, headers=auth(api, "bob")), 404)
    # An id the log does not hold is kept (another replica may still be writing it), and listed as not logged.
    unknown = c.post("/v1/feedback", json={"request_id": "never-given", "rating": "up"}, headers=auth(api, "alice"))
    assert unknown.status_code == 201, unknown.text
    (kept,) = c.get("/v1/feedback", params={"request_id": "never-given"}, headers=auth(api, "admin")).json()
    assert kept["logged"] is False and kept["question"] is None
    for body in ({"request_id": rid, "rating": "down"},
                 {"request_id": rid, "rating": "down", "comment": "<b>old</b> band, it changed in April"}):
        assert c.post("/v1/feedback", json=body, headers=auth(api, "alice")).status_code == 201
    assert logged(api, {rid})  # rows are written in batches, a moment after the answer

    def review(who: str, **params) -> list[dict]:
        r = c.get("/v1/feedback", params={"request_id": rid} | params, headers=auth(api, who))
        assert r.status_code == 200, r.text
        return r.json()

    (outsider,) = review("admin")  # two posts, one entry
    assert outsider["question"] == SALARY_Q and outsider["comment"] == "<b>old</b> band, it changed in April"
    assert outsider["answer_withheld"] and "90,000" not in outsider["answer"]
    assert outsider["citations"] and all(ci["restricted"] and not ci["text"] for ci in outsider["citations"])
    assert HR_CANARY not in json.dumps(outsider) and "Salary bands" not in json.dumps(outsider)
    (insider,) = review("hr_admin")
    assert "90,000" in insider["answer"] and HR_CANARY in insider["citations"][0]["text"]
    assert insider["citations"][0]["title"] == "Salary bands"

    assert review("admin", rating="up") == []
    tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + DAY_S))
    assert review("admin", since=tomorrow) == [] and len(review("admin", until=tomorrow)) == 1
    assert_problem(c.get("/v1/feedback", params={"since": "2026-02-30"}, headers=auth(api, "admin")), 400)
    assert_problem(c.get("/v1/feedback", headers=auth(api, "alice")), 403)

    # Insights never name the restricted article to the outsider, nor show its passage.
    outside = c.get("/v1/insights", headers=auth(api, "admin")).json()
    assert HR_CANARY not in json.dumps(outside) and "hr/salary-bands" not in json.dumps(outside)
    assert outside["citations_hidden"] >= 1 and outside["totals"]["thumbs_down"] >= 1
    inside = c.get("/v1/insights", headers=auth(api, "hr_admin")).json()
    assert "hr/salary-bands" in [a["doc_id"] for a in inside["most_cited"]]
    assert HR_CANARY not in json.dumps(inside)  # insights list answers, never passages

    # The CLI, as a reader in no group, withholds the same; as the operator it shows all.
    cli = run_cli(["feedback", "list", "--json", "--groups", ""], env=api["env"])
    assert cli.returncode == 0, cli.stderr
    entry = next(e for e in json.loads(cli.stdout) if e["request_id"] == rid)
    assert entry["answer_withheld"] and HR_CANARY not in cli.stdout
    cli = run_cli(["feedback", "list", "--rating", "down"], env=api["env"])
    assert cli.returncode == 0 and SALARY_Q in cli.stdout and "it changed in April" in cli.stdout, cli.stderr


def test_insights_cluster_paraphrases_of_each_missing_topic(api, tmp_path):
    c = api["client"]
    asked = set()
    for questions in GAPS.values():
        for q in questions:
            answer = c.post("/v1/ask", json={"question": q}, headers=auth(api, "bob")).json()
            assert answer["abstained"], (q, answer["answer"])
            asked.add(answer["request_id"])
    assert len(logged(api, asked)) == len(asked)
    gaps = c.get("/v1/insights", headers=auth(api, "admin")).json()["content_gaps"]
    ours = {q for qs in GAPS.values() for q in qs}
    clusters = [set(g["variants"]) & ours for g in gaps if set(g["variants"]) & ours]
    assert sorted(map(sorted, clusters)) == sorted(sorted(qs) for qs in GAPS.values()), gaps
    assert all(g["count"] == 3 for g in gaps if set(g["variants"]) & ours)

    html = tmp_path / "insights.html"
    cli = run_cli(["insights", "--html", str(html), "--json"], env=api["env"], timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert len([g for g in json.loads(cli.stdout)["content_gaps"] if set(g["variants"]) & ours]) == 3
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "<script" not in page and "Can I bring my dog to work?" in page
    cli = run_cli(["insights"], env=api["env"], timeout=300)
    assert "Content gaps" in cli.stdout and "Most cited articles" in cli.stdout


def test_admin_page_is_for_admins_only_and_escapes_what_it_shows(api):
    c = api["client"]
    asked = c.post("/v1/ask", json={"question": CAFE_Q}, headers=auth(api, "bob")).json()
    hostile = '<script>alert("x")</script> &amp; "quoted"'
    assert c.post("/v1/feedback", json={"request_id": asked["request_id"], "rating": "down", "comment": hostile},
                  headers=auth(api, "bob")).status_code == 201
    assert logged(api, {asked["request_id"]})

    r = c.get("/admin")
    assert_problem(r, 401)
    browser = c.get("/admin", headers={"Accept": "text/html,application/xhtml+xml"})  # a person, not a script
    assert browser.status_code == 401 and browser.headers["content-type"].startswith("text/html")
    assert "RAGQA_PROXY_ADMIN_GROUPS" in browser.text and "<script" not in browser.text
    assert "default-src 'none'" in browser.headers["content-security-policy"]
    assert_problem(c.get("/admin", headers=auth(api, "ask_only")), 403)
    assert_problem(c.get("/admin", headers={"X-Forwarded-User": "eve", "X-Forwarded-Groups": "staff"}), 403)
    for headers in (auth(api, "admin"), {"X-Forwarded-User": "olive", "X-Forwarded-Groups": "content-owners"}):
        r = c.get("/admin", headers=headers)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert hostile not in r.text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in r.text
        assert "<script" not in r.text and CAFE_Q in r.text
    r = c.get("/admin", params={"rating": "up", "since": "", "until": ""}, headers=auth(api, "admin"))
    assert r.status_code == 200 and "alert(" not in r.text
    assert_problem(c.get("/admin", params={"since": "soon"}, headers=auth(api, "admin")), 400)


def test_logging_off_stores_nothing_and_drops_what_was_kept(tmp_path, embedder):
    env = build_index(tmp_path, embedder)
    data = tmp_path / "data"
    key = create_key(data, name="bob", groups="eng")
    AnswerStore(data).insert([{  # kept from when the log was on
        "request_id": "earlier", "created_at": time.time(), "caller": "key:x", "groups": [], "question": "q",
        "standalone_question": "q", "history": [], "answer": "a", "citations": [], "abstained": True,
        "grounded": True, "llm": "extractive", "index_version": "v", "latency_ms": 1.0}])
    server = Server(tmp_path, env | {"RAGQA_ANSWER_LOG_DAYS": "0", "RAGQA_REQUIRE_AUTH": "true"}).start()
    try:
        with httpx.Client(base_url=server.url, timeout=120, headers={"Authorization": f"Bearer {key}"}) as c:
            asked = c.post("/v1/ask", json={"question": CAFE_Q}).json()
            assert not asked["abstained"]
            r = c.post("/v1/feedback", json={"request_id": asked["request_id"], "rating": "up"})
            assert r.status_code == 201, r.text  # feedback still works; it just has no logged answer to join
        cli = run_cli(["ask", CAFE_Q, "--index", env["RAGQA_INDEX_DIR"]],
                      env={"RAGQA_DATA_DIR": str(data), "RAGQA_ANSWER_LOG_DAYS": "0"})
        assert cli.returncode == 0, cli.stderr
        time.sleep(0.5)
    finally:
        server.stop()
    with sqlite3.connect(AnswerStore(data).path) as con:
        assert con.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 0


def test_cli_ask_is_logged(tmp_path, embedder):
    env = build_index(tmp_path, embedder)
    cli = run_cli(["ask", CAFE_Q, "--json", "--groups", "eng"], env=env)
    assert cli.returncode == 0, cli.stderr
    answer = json.loads(cli.stdout)
    (row,) = AnswerStore(tmp_path / "data").rows()
    assert row["request_id"] == answer["request_id"] and row["question"] == CAFE_Q and row["groups"] == ["eng"]
    assert row["caller"].startswith("cli:") and [c["doc_id"] for c in row["citations"]][:1] == ["cafeteria"]
