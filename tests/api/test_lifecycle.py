"""Server lifecycle against a real process: not ready without an index, broken versions, rate limits,
disconnects that stop generation, and graceful shutdown. Generation is slowed by a protocol stand-in LLM."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.api.helpers import Server, assert_problem, build_index, create_key, parse_sse
from tests.api.slow_llm import REPLY

pytestmark = pytest.mark.integration

QUESTION = "When does the staff cafeteria open?"


@pytest.fixture(scope="module")
def life(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("life")
    data = root / "data"
    keys = {name: create_key(data, name=name) for name in ("ready", "limited", "other", "stream", "failing",
                                                      "graceful")}
    env = {"RAGQA_INDEX_DIR": str(root / "index"), "RAGQA_DATA_DIR": str(data), "RAGQA_RATE_LIMIT_PER_MINUTE": "6",
           "RAGQA_RELOAD_POLL_S": "0.2", "RAGQA_LLM": "langchain:tests.api.slow_llm:make",
           "RAGQA_TEST_PROGRESS": str(root / "progress")}
    server = Server(root, env).start()  # no index yet: it must start anyway and say it is not ready
    client = httpx.Client(base_url=server.url, timeout=60)
    yield {"server": server, "client": client, "keys": keys, "root": root, "embedder": embedder}
    client.close()
    server.stop()


def auth(life, who: str) -> dict:
    return {"Authorization": f"Bearer {life['keys'][who]}"}


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_not_ready_until_an_index_is_published(life):
    c = life["client"]
    assert c.get("/healthz").status_code == 200
    body = assert_problem(c.get("/readyz"), 503)
    assert body["ready"] is False and body["index_version"] is None
    r = c.post("/v1/ask", json={"question": QUESTION}, headers=auth(life, "ready"))
    assert "ingest" in assert_problem(r, 503)["detail"] and r.headers["retry-after"]
    assert "ragqa_index_ready 0.0" in c.get("/metrics").text

    build_index(life["root"], life["embedder"])  # published by another process, like `ragqa ingest`
    assert wait_for(lambda: c.get("/readyz").status_code == 200), "the server should load the new index"
    assert c.post("/v1/search", json={"query": QUESTION}, headers=auth(life, "ready")).json()["hits"]
    assert "ragqa_index_ready 1.0" in c.get("/metrics").text


def test_broken_new_version_is_not_ready_but_keeps_serving(life):
    from ragqa.index.files import read_pointer, write_pointer

    c, index_dir = life["client"], life["root"] / "index"
    good = read_pointer(index_dir)
    write_pointer(index_dir, "20990101T000000.000000000-broken")  # CURRENT now names a version that is not there
    try:
        assert wait_for(lambda: c.get("/readyz").status_code == 503)
        body = assert_problem(c.get("/readyz"), 503)
        assert body["index_version"] == good, "the last good version keeps serving"
        r = c.post("/v1/search", json={"query": QUESTION}, headers=auth(life, "ready"))
        assert r.status_code == 200 and r.json()["index_version"] == good
    finally:
        write_pointer(index_dir, good)
    assert wait_for(lambda: c.get("/readyz").status_code == 200)


def test_rate_limit_answers_429_with_retry_after(life):
    c = life["client"]
    statuses = [c.post("/v1/search", json={"query": "parking"}, headers=auth(life, "limited")).status_code
                for _ in range(6)]
    assert statuses == [200] * 6
    r = c.post("/v1/search", json={"query": "parking"}, headers=auth(life, "limited"))
    body = assert_problem(r, 429)
    assert 1 <= int(r.headers["retry-after"]) <= 10 and "Try again" in body["detail"]
    # Buckets are per key: another caller is unaffected.
    assert c.post("/v1/search", json={"query": "parking"}, headers=auth(life, "other")).status_code == 200
    assert "ragqa_rate_limited_total 1.0" in c.get("/metrics").text


def test_client_disconnect_stops_generation(life):
    progress = life["root"] / "progress"
    progress.write_text("")
    with life["client"].stream("POST", "/v1/ask/stream", json={"question": QUESTION},
                               headers=auth(life, "stream")) as r:
        assert r.status_code == 200
        deltas = 0
        for line in r.iter_lines():
            deltas += line.startswith("event: delta")
            if deltas == 3:
                break  # leaving the block closes the connection mid-answer
    time.sleep(1.5)
    first = progress.read_text()
    time.sleep(1.5)
    second = progress.read_text()
    assert first == second, "generation kept running after the client went away"
    assert second.endswith("!"), "the backend's stream should have been closed"
    assert second.count(".") < len(REPLY), "generation ran to the end although the client left early"


def test_backend_failures_are_problems_not_crashes(life):
    c, headers = life["client"], auth(life, "failing")
    question = QUESTION + " explode"  # the stand-in backend fails on this word
    body = assert_problem(c.post("/v1/ask", json={"question": question}, headers=headers), 502)
    assert "unreachable" not in body["detail"] and body["request_id"]
    with c.stream("POST", "/v1/ask/stream", json={"question": question}, headers=headers) as r:
        assert r.status_code == 200  # the failure comes after the stream began: reported in-stream
        events = parse_sse(r.iter_lines())
    names = [name for name, _ in events]
    assert names[0] == "delta" and names[-1] == "error" and "answer" not in names
    assert events[-1][1]["status"] == 502 and events[-1][1]["detail"]
    assert c.post("/v1/ask", json={"question": QUESTION}, headers=headers).status_code == 200


def test_graceful_shutdown_lets_an_inflight_stream_finish(life):
    server, events, started = life["server"], [], threading.Event()

    def listen():
        with httpx.Client(base_url=server.url, timeout=60) as client, client.stream(
                "POST", "/v1/ask/stream", json={"question": QUESTION}, headers=auth(life, "graceful")) as r:
            lines = []
            for line in r.iter_lines():
                lines.append(line)
                if line.startswith("event: delta"):
                    started.set()
            events.extend(parse_sse(lines))

    listener = threading.Thread(target=listen)
    listener.start()
    assert started.wait(30), "the stream did not start"
    server.terminate()  # SIGTERM while the answer is still being generated
    listener.join(60)
    assert [name for name, _ in events][-1] == "answer", events[-3:]
    final = events[-1][1]
    assert final["answer"].startswith("The staff cafeteria opens at 7:30") and final["citations"]
    assert server.proc.wait(30) == 0
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.url}/healthz", timeout=2)
