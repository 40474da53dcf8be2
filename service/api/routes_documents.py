"""/v1/documents: list and read what the caller may see; PUT and DELETE (admin) publish a new index version."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from ragqa.service.api.deps import AdminDep, AskerDep, StateDep
from ragqa.service.api.errors import ApiError
from ragqa.service.api.responses import COMMON, problems
from ragqa.service.api.routing import AuthFirstRoute
from ragqa.service.api.schemas import DocumentChange, DocumentDetail, DocumentIn, DocumentList, DocumentSummary

router = APIRouter(route_class=AuthFirstRoute, tags=["documents"])

_DOC_ID_RULES = ("1-300 characters; no control characters; '/'-separated parts that are not empty, '.' or '..'")


def checked_doc_id(doc_id: str) -> str:
    """Document ids are paths-like (`hr/leave-policy`); refuse anything that could escape or confuse."""
    parts = doc_id.split("/")
    bad = (
        not doc_id
        or len(doc_id) > 300
        or any(ord(c) < 32 or ord(c) == 127 or "\ud800" <= c <= "\udfff" for c in doc_id)
        or any(p in ("", ".", "..") or p != p.strip() for p in parts)
    )
    if bad:
        raise ApiError(422, f"Invalid document id {doc_id[:100]!r}: use {_DOC_ID_RULES}.")
    return doc_id


def _summary(article) -> DocumentSummary:
    return DocumentSummary(doc_id=article.doc_id, title=article.title, source=article.source, url=article.url,
                           updated=article.updated, acl=list(article.acl), sha256=article.sha256)


def _visible_groups(caller):
    # Admins manage the whole collection; everyone else lists only what they could be answered from.
    return None if "admin" in caller.scopes else caller.groups


@router.get("/v1/documents", response_model=DocumentList, responses=problems(*COMMON, 503))
def list_documents(state: StateDep, caller: AskerDep, offset: int = Query(0, ge=0, le=10_000_000),
                   limit: int = Query(100, ge=1, le=1000)) -> DocumentList:
    """Articles in the served index version that the caller may read (admins: all), by doc_id."""
    version = state.index.current()
    groups = _visible_groups(caller)
    visible = [r.article for r in version.article_records(with_text=False) if r.article.readable_by(groups)]
    return DocumentList(documents=[_summary(a) for a in visible[offset:offset + limit]], total=len(visible),
                        offset=offset, limit=limit, index_version=version.version_id)


@router.get("/v1/documents/{doc_id:path}", response_model=DocumentDetail, responses=problems(*COMMON, 404, 503))
def get_document(doc_id: str, state: StateDep, caller: AskerDep) -> DocumentDetail:
    """One article with its text (404 also when the caller may not read it: its existence stays private)."""
    article = state.index.current().article(checked_doc_id(doc_id))
    if article is None or not article.readable_by(_visible_groups(caller)):
        raise ApiError(404, f"No document {doc_id!r} (or you may not read it).")
    return DocumentDetail(**_summary(article).model_dump(), text=article.text)


@router.put("/v1/documents/{doc_id:path}", response_model=DocumentChange, status_code=200,
            responses={201: {"model": DocumentChange, "description": "Added"}} | problems(*COMMON, 503))
async def put_document(doc_id: str, body: DocumentIn, response: Response, state: StateDep,
                       caller: AdminDep) -> DocumentChange:
    """Add or replace one article; only its chunks are embedded, and a new index version is published.

    503 with Retry-After when another writer (a CLI ingest) holds the index longer than RAGQA_WRITE_LOCK_WAIT_S.
    """
    from ragqa.index.ingest import upsert_articles
    from ragqa.index.loaders import article_from_text

    doc_id = checked_doc_id(doc_id)

    def write():
        article = article_from_text(doc_id, body.text, fmt=body.format, title=body.title, acl=body.acl,
                                    url=body.url, updated=body.updated,
                                    default_audience=state.settings.default_audience)
        if not article.text.strip():
            raise ApiError(422, f"The {body.format} document has no text once parsed: send the article body.")
        report = upsert_articles([article], settings=state.settings, embedder=state.embedder)
        state.index.refresh(force=True)  # read-your-writes: this process serves the new version from now on
        return article, report

    article, report = await state.writes.run(write)
    status = "added" if report.added else "updated" if report.updated else "unchanged"
    if status == "added":
        response.status_code = 201
    return DocumentChange(doc_id=article.doc_id, status=status, index_version=report.version_id,
                          chunks=report.chunks, embedded=report.embedded)


@router.delete("/v1/documents/{doc_id:path}", response_model=DocumentChange, responses=problems(*COMMON, 404, 503))
async def delete_document(doc_id: str, state: StateDep, caller: AdminDep) -> DocumentChange:
    """Remove one article and publish a new index version without it (503 while another writer is busy)."""
    from ragqa.index.ingest import delete_articles

    checked = checked_doc_id(doc_id)

    def write():
        report = delete_articles([checked], settings=state.settings, embedder=state.embedder)
        if report.removed:
            state.index.refresh(force=True)
        return report

    report = await state.writes.run(write)
    if not report.removed:
        raise ApiError(404, f"No document {doc_id!r} in the index: `GET /v1/documents` lists the ids.")
    return DocumentChange(doc_id=doc_id, status="deleted", index_version=report.version_id, chunks=report.chunks,
                          embedded=0)
