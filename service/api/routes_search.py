"""POST /v1/search: ranked passages the caller may read."""

from __future__ import annotations

import time

from fastapi import APIRouter

from ragqa.service.api.deps import AskerDep, StateDep
from ragqa.service.api.limits import check_text, check_top_k
from ragqa.service.api.logs import current_request_id
from ragqa.service.api.responses import COMMON, problems
from ragqa.service.api.routing import AuthFirstRoute
from ragqa.service.api.schemas import SearchHit, SearchRequest, SearchResponse

router = APIRouter(route_class=AuthFirstRoute, tags=["search"])


@router.post("/v1/search", response_model=SearchResponse, responses=problems(*COMMON, 503))
def search(body: SearchRequest, state: StateDep, caller: AskerDep) -> SearchResponse:
    """Hybrid search (dense + keyword), permission-filtered inside both searches."""
    query = check_text(body.query, field="query", settings=state.settings)
    k = check_top_k(body.top_k, state.settings)
    started = time.perf_counter()
    retriever = state.index.retriever()  # one index version for the whole request
    hits = retriever.search(query, k=k, groups=caller.groups)
    seconds = time.perf_counter() - started
    state.metrics.observe_search(seconds)
    return SearchResponse(
        query=query,
        hits=[
            SearchHit(rank=rank, doc_id=h.doc_id, chunk_id=h.chunk_id, title=h.title, source=h.source, url=h.url,
                      updated=h.updated, headings=list(h.chunk.headings), text=h.chunk.text, start=h.chunk.start,
                      end=h.chunk.end, score=h.score, dense_score=h.dense_score, keyword_score=h.keyword_score)
            for rank, h in enumerate(hits, start=1)
        ],
        index_version=retriever.version_id,
        request_id=current_request_id(),
        timings_ms={"retrieve": round(seconds * 1000, 2)},
    )
