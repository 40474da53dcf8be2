"""LangChain retrievers over ragqa: a server's /v1/search over HTTP, or an index in this process.

Both return LangChain `Document`s whose text is the passage and whose metadata carries what a citation needs:
doc_id, title, source, url, chunk_id, start, end (character offsets in the article), score, headings, rank.
"""

from __future__ import annotations

from typing import Any

import httpx
from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import PrivateAttr


class RagqaError(RuntimeError):
    """The ragqa server refused the search; the message is its explanation (what to fix)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"ragqa search failed ({status}): {message}")
        self.status = status


def _document(hit: dict[str, Any]) -> Document:
    meta = {key: hit.get(key) for key in ("doc_id", "title", "source", "url", "chunk_id", "start", "end", "score",
                                          "headings", "rank", "updated")}
    return Document(page_content=hit["text"], metadata=meta, id=hit.get("chunk_id"))


def _hits(response: httpx.Response) -> list[Document]:
    if response.status_code != 200:
        try:
            message = response.json().get("detail") or response.text
        except ValueError:
            message = response.text[:300]
        raise RagqaError(response.status_code, message)
    return [_document(hit) for hit in response.json()["hits"]]


class RagqaRetriever(BaseRetriever):
    """Passages from a ragqa server's POST /v1/search, filtered to what the API key's groups may read."""

    base_url: str = "http://127.0.0.1:8000"
    api_key: str | None = None
    k: int = 5
    timeout_s: float = 30.0

    def _request(self, query: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        return {"url": f"{self.base_url.rstrip('/')}/v1/search", "json": {"query": query, "top_k": self.k},
                "headers": headers, "timeout": self.timeout_s}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return _hits(httpx.post(**self._request(query)))

    async def _aget_relevant_documents(self, query: str, *,
                                       run_manager: AsyncCallbackManagerForRetrieverRun) -> list[Document]:
        async with httpx.AsyncClient() as client:
            return _hits(await client.post(**self._request(query)))


class RagqaIndexRetriever(BaseRetriever):
    """Passages from an index in this process (no server), built through service/composition.py.

    `groups` searches as a member of those groups (public articles plus theirs); None means unrestricted,
    as for `ragqa search` on the command line, so only use None where every reader may see every article.
    """

    index_dir: str | None = None  # default: $RAGQA_INDEX_DIR, else ./.ragqa/index
    groups: list[str] | None = None
    k: int = 5
    _index: Any = PrivateAttr(default=None)

    def with_index(self, index) -> RagqaIndexRetriever:
        """Reuse an open IndexManager (and its loaded model) instead of opening one on the first query."""
        self._index = index
        return self

    def _manager(self):
        if self._index is None:
            from ragqa.service.composition import build_embedder, open_index
            from ragqa.settings import load_settings

            settings = load_settings(index_dir=self.index_dir)
            self._index = open_index(settings, build_embedder(settings))
        return self._index

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        groups = None if self.groups is None else frozenset(self.groups)
        hits = self._manager().retriever().search(query, k=self.k, groups=groups)
        return [_document({"text": h.chunk.text, "doc_id": h.doc_id, "title": h.title, "source": h.source,
                           "url": h.url, "chunk_id": h.chunk_id, "start": h.chunk.start, "end": h.chunk.end,
                           "score": h.score, "headings": list(h.chunk.headings), "rank": rank, "updated": h.updated})
                for rank, h in enumerate(hits, start=1)]
