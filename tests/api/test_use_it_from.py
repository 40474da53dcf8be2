"""The README's "Use it from…" snippets (OpenAI SDK, LangChain retriever) run as written against a live server,
and the in-process LangChain retriever returns the same cited passages."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.api.corpus_server import SETTLEMENT, start_corpus_server

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_snippet(marker: str) -> str:
    section = README.read_text(encoding="utf-8").split("## Use it from…", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    return next(b for b in blocks if marker in b)


def run_snippet(code: str, url: str, key: str) -> str:
    code = code.replace("http://127.0.0.1:8000", url).replace('"rq_..."', repr(key))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    return out.getvalue()


@pytest.fixture(scope="module")
def live(tmp_path_factory, embedder):
    corpus = start_corpus_server(tmp_path_factory.mktemp("use-it-from"), embedder)
    yield corpus
    corpus.server.stop()


def test_readme_openai_snippet_runs(live):
    out = run_snippet(readme_snippet("from openai import OpenAI"), live.url, live.keys["eng"])
    assert "[1]" in out and "Sources:" in out and "leave" in out.lower()


def test_readme_langchain_snippet_runs(live):
    code = readme_snippet("RagqaRetriever(")
    assert len(code.strip().splitlines()) <= 5
    out = run_snippet(code, live.url, live.keys["eng"])
    lines = out.strip().splitlines()
    assert len(lines) == 4 and any("leave" in line.lower() for line in lines[:2]), out


def test_http_retriever_metadata_and_group_filter(live):
    from ragqa.service.langchain_retriever import RagqaError, RagqaRetriever

    docs = RagqaRetriever(base_url=live.url, api_key=live.keys["eng"], k=3).invoke(
        "How many days of annual leave do Leeds staff get?")
    assert len(docs) == 3
    meta = docs[0].metadata
    assert {"doc_id", "title", "source", "url", "chunk_id", "start", "end", "score"} <= set(meta)
    assert meta["end"] > meta["start"] >= 0 and meta["score"] > 0 and "leave" in meta["doc_id"]
    outsider = RagqaRetriever(base_url=live.url, api_key=live.keys["eng"], k=20).invoke(SETTLEMENT.question)
    insider = RagqaRetriever(base_url=live.url, api_key=live.keys["legal"], k=20).invoke(SETTLEMENT.question)
    assert all(d.metadata["doc_id"] != SETTLEMENT.doc_id for d in outsider)
    assert insider[0].metadata["doc_id"] == SETTLEMENT.doc_id
    with pytest.raises(RagqaError, match="401"):
        RagqaRetriever(base_url=live.url, api_key="rq_bad_key", k=3).invoke("annual leave")


def test_index_retriever_in_process(live, embedder):
    import asyncio

    from ragqa.service.composition import open_index
    from ragqa.service.langchain_retriever import RagqaIndexRetriever, RagqaRetriever
    from ragqa.settings import Settings

    index = open_index(Settings(index_dir=live.server.root / "index"), embedder)
    local = RagqaIndexRetriever(groups=["eng"], k=3).with_index(index)
    docs = local.invoke("How many days of annual leave do Leeds staff get?")
    remote = asyncio.run(RagqaRetriever(base_url=live.url, api_key=live.keys["eng"], k=3).ainvoke(
        "How many days of annual leave do Leeds staff get?"))
    assert [d.metadata["chunk_id"] for d in docs] == [d.metadata["chunk_id"] for d in remote]
    assert all(d.metadata["doc_id"] != SETTLEMENT.doc_id
               for d in RagqaIndexRetriever(groups=[], k=20).with_index(index).invoke(SETTLEMENT.question))
    assert RagqaIndexRetriever(groups=["legal"], k=3).with_index(index).invoke(
        SETTLEMENT.question)[0].metadata["doc_id"] == SETTLEMENT.doc_id
