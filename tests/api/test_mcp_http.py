"""MCP over streamable HTTP at /mcp on a real `ragqa serve` (127.0.0.1): a key is required, its groups apply."""

from __future__ import annotations

import asyncio
import time

import httpx
import httpx2
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from tests.api.helpers import ENG_CANARY, HR_CANARY, Server, assert_problem, build_index, create_key
from tests.run_async import run_async

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SALARY_Q = "What is the salary band for senior engineers?"


@pytest.fixture(scope="module")
def api(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("mcp-http")
    env = build_index(root, embedder)
    keys = {"alice": create_key(root / "data", name="alice", groups="hr"),
            "bob": create_key(root / "data", name="bob", groups="eng")}
    # Anonymous access stays on for the rest of the API (loopback demo), to show /mcp still wants a key.
    env |= {"RAGQA_MCP_HTTP": "true", "RAGQA_REQUIRE_AUTH": "false", "RAGQA_RATE_LIMIT_PER_MINUTE": "100000"}
    server = Server(root, env).start()
    yield {"server": server, "keys": keys, "data": root / "data"}
    server.stop()


async def _call(url: str, key: str, tool: str, arguments: dict) -> tuple[set[str], object]:
    async with (httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=120) as http,
                Client(streamable_http_client(f"{url}/mcp", http_client=http), mode="legacy") as client):
        tools = {t.name for t in (await client.list_tools()).tools}
        return tools, await client.call_tool(tool, arguments)


def _run(api, who: str, tool: str, arguments: dict):
    return run_async(asyncio.wait_for(_call(api["server"].url, api["keys"][who], tool, arguments), 180))


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "test", "version": "0"}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}


def test_a_request_without_a_key_is_refused(api):
    url = api["server"].url
    assert httpx.post(f"{url}/v1/search", json={"query": "parking"}, timeout=60).status_code == 200  # demo: open
    refused = httpx.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_HEADERS, timeout=60)
    body = assert_problem(refused, 401)
    assert "key" in body["detail"] and refused.headers["www-authenticate"].startswith("Bearer")
    wrong = httpx.post(f"{url}/mcp", json=INITIALIZE, timeout=60,
                       headers=MCP_HEADERS | {"Authorization": "Bearer rq_not-a-real-key"})
    assert_problem(wrong, 401)


def test_a_request_with_a_key_works(api):
    url = api["server"].url
    ok = httpx.post(f"{url}/mcp", json=INITIALIZE, headers=MCP_HEADERS | {
        "Authorization": f"Bearer {api['keys']['alice']}"}, timeout=60)
    assert ok.status_code == 200, ok.text
    assert ok.json()["result"]["serverInfo"]["name"] == "ragqa"


def test_the_sdk_client_asks_with_the_keys_groups(api):
    tools, result = _run(api, "alice", "ask", {"question": SALARY_Q})
    assert tools == {"search", "ask"}
    answer = result.structured_content
    assert not result.is_error and not answer["abstained"], answer
    assert "90,000" in answer["answer"]
    assert [c["doc_id"] for c in answer["citations"]][0] == "hr/salary-bands"
    # The answer log has it, under the key and its groups, like an answer from /v1/ask.
    from ragqa.service.api.answer_log import AnswerStore

    deadline = time.monotonic() + 10
    while not (rows := [r for r in AnswerStore(api["data"]).rows() if r["question"] == SALARY_Q]):
        assert time.monotonic() < deadline, "the MCP answer was not logged"
        time.sleep(0.1)
    assert rows[0]["groups"] == ["hr"] and rows[0]["caller"].startswith("key:")
    assert rows[0]["citations"][0]["doc_id"] == "hr/salary-bands"


def test_other_groups_never_see_the_passages(api):
    _, result = _run(api, "bob", "search", {"query": "salary band senior engineers", "k": 10})
    passages = result.structured_content["result"]
    assert passages and all(p["doc_id"] != "hr/salary-bands" for p in passages)
    assert HR_CANARY not in str(passages)
    _, result = _run(api, "alice", "search", {"query": "deploy keys rotation", "k": 10})
    assert ENG_CANARY not in str(result.structured_content)
    _, result = _run(api, "bob", "ask", {"question": SALARY_Q})
    assert result.structured_content["abstained"] and HR_CANARY not in str(result.structured_content)
