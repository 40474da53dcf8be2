"""`ragqa mcp` over stdio, driven by the official MCP SDK client: the tools, their schemas, real answers."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

from tests.conftest import REPO
from tests.run_async import run_async

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTION = "How many days of annual leave do full-time staff in Leeds get?"


def _env() -> dict[str, str]:
    return {"PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false"}


def _server(*args: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "ragqa.service.cli", "mcp", *args],
                                 env=_env(), cwd=str(REPO))


async def _session(index_dir) -> dict:
    """One real server process: everything the tests below look at, in one session (the model loads once)."""
    async with Client(_server("--index", str(index_dir)), mode="legacy") as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        return {
            "tools": tools,
            "ask": await client.call_tool("ask", {"question": QUESTION}),
            "follow_up": await client.call_tool("ask", {
                "question": "And in Porto?",
                "history": [{"role": "user", "content": QUESTION},
                            {"role": "assistant", "content": "Full-time staff in Leeds get 25 days."}]}),
            "unanswerable": await client.call_tool("ask", {"question": "What is the office cat called?"}),
            "search": await client.call_tool("search", {"query": "VPN session length", "k": 3}),
            "bad_k": await client.call_tool("search", {"query": "VPN", "k": 0}),
        }


@pytest.fixture(scope="module")
def session(sample_index):
    return run_async(asyncio.wait_for(_session(sample_index.index_dir), timeout=240))


def _structured(result) -> dict:
    assert not result.is_error, result.content
    return result.structured_content


def test_tools_are_listed_with_typed_inputs(session):
    tools = session["tools"]
    assert set(tools) == {"search", "ask"}

    search = tools["search"].input_schema
    assert search["required"] == ["query"]
    assert search["properties"]["query"]["type"] == "string"
    assert search["properties"]["k"]["type"] == "integer" and search["properties"]["k"]["default"] == 5

    ask = tools["ask"].input_schema
    assert ask["required"] == ["question"]
    assert ask["properties"]["question"]["type"] == "string"
    history = ask["properties"]["history"]
    assert history["type"] == "array" and history["default"] == []
    turn = ask["$defs"][history["items"]["$ref"].rsplit("/", 1)[-1]]
    assert turn["properties"]["role"]["enum"] == ["user", "assistant"]
    assert turn["properties"]["content"]["type"] == "string"

    # typed outputs too: a client can validate what comes back
    answer_fields = tools["ask"].output_schema["properties"]
    assert {"answer", "abstained", "grounded", "citations", "standalone_question"} <= set(answer_fields)
    assert tools["search"].output_schema is not None


def test_ask_answers_a_sample_corpus_question_with_citations(session):
    answer = _structured(session["ask"])
    assert not answer["abstained"] and answer["grounded"]
    assert "25 days" in answer["answer"]
    assert answer["citations"], answer
    assert answer["citations"][0]["doc_id"] == "hr/annual-leave-leeds"
    assert f"[{answer['citations'][0]['ref']}]" in answer["answer"]  # the [n] markers refer to citations[].ref
    # the text content carries the same object, for clients that read only text
    assert json.loads(session["ask"].content[0].text)["answer"] == answer["answer"]


def test_ask_uses_the_history_for_a_follow_up(session):
    answer = _structured(session["follow_up"])
    assert "Porto" in answer["standalone_question"] and "leave" in answer["standalone_question"].lower()
    assert not answer["abstained"]
    assert any(c["doc_id"] == "hr/annual-leave-porto" for c in answer["citations"]), answer["citations"]


def test_ask_abstains_when_the_articles_do_not_say(session):
    answer = _structured(session["unanswerable"])
    assert answer["abstained"] and answer["citations"] == []


def test_search_returns_passages(session):
    passages = _structured(session["search"])["result"]
    assert 1 <= len(passages) <= 3
    assert passages[0]["doc_id"] == "it/vpn-and-remote-access"
    for p in passages:
        assert {"doc_id", "chunk_id", "title", "source", "url", "text", "score"} <= set(p)
        assert p["text"]
    scores = [p["score"] for p in passages]
    assert scores == sorted(scores, reverse=True)


def test_bad_arguments_come_back_as_a_tool_error(session):
    result = session["bad_k"]
    assert result.is_error
    assert "k" in result.content[0].text and "Traceback" not in result.content[0].text


def test_missing_index_is_a_one_line_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "ragqa.service.cli", "mcp", "--index", str(tmp_path / "none")],
                          env=os.environ | _env(), capture_output=True, text=True, timeout=180,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert proc.stderr.startswith("ragqa: error:") and "Traceback" not in proc.stderr
    assert proc.stdout == ""  # stdout is the protocol channel: nothing may leak there


async def _search_as(index_dir, groups: str, queries: list[str]) -> list[list[dict]]:
    async with Client(_server("--index", str(index_dir), "--groups", groups), mode="legacy") as client:
        return [(await client.call_tool("search", {"query": q, "k": 10})).structured_content["result"]
                for q in queries]


def test_groups_limit_what_the_local_server_reads(tmp_path, embedder):
    from tests.api.helpers import ENG_CANARY, HR_CANARY, build_index

    env = build_index(tmp_path, embedder)  # articles shared with the hr and eng groups only
    salary, deploy = run_async(asyncio.wait_for(
        _search_as(env["RAGQA_INDEX_DIR"], "eng", ["salary band senior engineers", "deploy keys rotation"]), 240))
    assert all(p["doc_id"] != "hr/salary-bands" for p in salary) and HR_CANARY not in str(salary)
    assert deploy[0]["doc_id"] == "eng/deploy-keys" and ENG_CANARY in deploy[0]["text"]
