"""Request and response bodies of the HTTP API (the answer object itself lives in service/models.py)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt

from ragqa.service.models import Turn


def _no_surrogates(value: str) -> str:
    # JSON can carry lone UTF-16 surrogates ("\ud800"); they cannot be encoded as UTF-8 later, so refuse them here.
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("text contains an unpaired surrogate (invalid Unicode)")
    return value


Text = Annotated[str, AfterValidator(_no_surrogates)]
_GROUP = re.compile(r"^[\w.@:-]{1,100}$")


def _groups(values: list[str]) -> list[str]:
    bad = [v for v in values if not _GROUP.match(v)]
    if bad:
        raise ValueError(f"group names may use letters, digits and . @ : _ - (got {bad[0]!r})")
    return values


def _http_url(value: str | None) -> str | None:
    if value is not None and not re.match(r"^https?://[^\s]+$", value):
        raise ValueError("url must be an http:// or https:// link")
    return value


# Conversation limits, shared by /v1/ask and the OpenAI-compatible chat route.
MAX_HISTORY_TURNS = 50
MAX_TURN_CHARS = 8000

class _Body(BaseModel):
    # Unknown fields are refused so a mistyped field (or an attempt to pass `groups`) fails loudly.
    model_config = ConfigDict(extra="forbid")


class HistoryTurn(_Body):
    role: Literal["user", "assistant"]
    content: Text = Field(max_length=MAX_TURN_CHARS)

    def to_turn(self) -> Turn:
        return Turn(role=self.role, content=self.content)


class AskRequest(_Body):
    question: Text = Field(min_length=1, max_length=100_000,
                           description="The question; at most RAGQA_MAX_QUESTION_CHARS characters (default 2000).")
    history: list[HistoryTurn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS,
                                description="Earlier turns of this conversation, oldest first.")
    top_k: StrictInt | None = Field(None, ge=1, le=1000,
                                    description="Passages to retrieve (1 to RAGQA_MAX_TOP_K, default RAGQA_TOP_K).")


class SearchRequest(_Body):
    query: Text = Field(min_length=1, max_length=100_000, description="Search text (same limit as a question).")
    top_k: StrictInt | None = Field(None, ge=1, le=1000, description="Passages to return (1 to RAGQA_MAX_TOP_K).")


class SearchHit(BaseModel):
    rank: int
    doc_id: str
    chunk_id: str
    title: str
    source: str
    url: str | None = None
    updated: str | None = None
    headings: list[str]
    text: str
    start: int
    end: int
    score: float  # orders the hits, best first; its scale follows the fusion and rerank, so compare within one query
    dense_score: float | None = None
    keyword_score: float | None = None


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]
    index_version: str
    request_id: str
    timings_ms: dict[str, float]


class DocumentIn(_Body):
    text: Text = Field(min_length=1, description="The article body, in `format`.")
    format: Literal["md", "html", "txt"] = "md"
    title: Text | None = Field(None, max_length=500, description="Defaults to the document's own title.")
    acl: Annotated[list[str], AfterValidator(_groups)] | None = Field(
        None, max_length=100, description='Groups that may read it; empty or ["everyone"] means public.')
    url: Annotated[str, AfterValidator(_http_url)] | None = Field(None, max_length=2000)
    updated: Text | None = Field(None, max_length=40, description="ISO date of the last change.")


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    source: str
    url: str | None = None
    updated: str | None = None
    acl: list[str]
    sha256: str


class DocumentDetail(DocumentSummary):
    text: str


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    total: int
    offset: int
    limit: int
    index_version: str


class DocumentChange(BaseModel):
    doc_id: str
    status: Literal["added", "updated", "unchanged", "deleted"]
    index_version: str | None
    chunks: int = Field(description="Chunks in the index version now served.")
    embedded: int = Field(description="Chunks embedded for this change.")


class FeedbackIn(_Body):
    request_id: str = Field(pattern=r"^[A-Za-z0-9._:-]{1,128}$", description="request_id of the rated answer.")
    rating: Literal["up", "down"]
    comment: Text | None = Field(None, max_length=2000)


class FeedbackStored(BaseModel):
    id: int
    request_id: str
    rating: str


class ReviewedCitation(BaseModel):
    ref: int
    restricted: bool = Field(description="True: the article is restricted to groups you are not in (or gone); "
                                         "nothing else about it is shown.")
    doc_id: str | None = None
    chunk_id: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    text: str | None = Field(None, description="The cited passage, from the index now served.")


class FeedbackEntry(BaseModel):
    id: int
    request_id: str
    rating: str
    comment: str | None
    caller: str
    created_at: str
    logged: bool = Field(False, description="Whether the answer is still in the answer log (question, answer, "
                                            "citations below); false after its retention or with the log off.")
    question: str | None = None
    standalone_question: str | None = None
    answer: str | None = None
    answer_withheld: bool = False
    citations: list[ReviewedCitation] = Field(default_factory=list)
    abstained: bool | None = None
    grounded: bool | None = None
    llm: str | None = None
    index_version: str | None = None
    asked_by: str | None = None


class TokenRequest(_Body):
    subject: str | None = Field(None, pattern=r"^[\w.@:-]{1,200}$",
                                description="Who the token is for (admin callers only; proxies use their user).")
    groups: Annotated[list[str], AfterValidator(_groups)] | None = Field(
        None, max_length=100, description="The holder's groups (admin callers only; proxies pass their header).")
    ttl_s: StrictInt = Field(900, ge=60, le=3600, description="Lifetime in seconds, at most one hour.")


class TokenResponse(BaseModel):
    token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_at: int
    expires_in: int
    scopes: list[str]
    groups: list[str]


class Problem(BaseModel):
    """application/problem+json (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    request_id: str | None = None


class Readiness(BaseModel):
    ready: bool
    index_version: str | None
    chunks: int | None = None  # admin keys only
    articles: int | None = None  # admin keys only
