"""Our own data types for articles, chunks and search hits: no framework type crosses this boundary."""

from __future__ import annotations

from dataclasses import dataclass, field

# An article whose audience is empty, or contains this group, is readable by everyone.
PUBLIC_GROUP = "everyone"


@dataclass(frozen=True, slots=True)
class Article:
    """One source document, as loaded from a file (or uploaded through the API)."""

    doc_id: str
    title: str
    source: str  # path relative to the ingested root, or a URL
    text: str  # plain text the chunk offsets point into
    acl: tuple[str, ...] = ()  # audience groups; empty means everyone
    sha256: str = ""  # of `text` plus the metadata that affects indexing
    url: str | None = None  # canonical link shown to readers, when the article has one
    updated: str | None = None  # ISO date from front matter or file metadata
    # Lifecycle (index/lifecycle.py): current | superseded | draft; a banner or `superseded_by` means superseded.
    status: str = "current"
    superseded_by: str | None = None  # doc id or title of the article that replaces this one
    effective: str | None = None  # ISO date from which it applies
    valid_until: str | None = None  # ISO date after which it is superseded

    @property
    def is_public(self) -> bool:
        return not self.acl or PUBLIC_GROUP in self.acl

    def readable_by(self, groups: frozenset[str] | None) -> bool:
        """`groups=None` means an unrestricted caller (a local operator); otherwise ACL intersection."""
        return groups is None or self.is_public or bool(set(self.acl) & groups)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage of an article: `article.text[start:end] == text`."""

    chunk_id: str  # f"{doc_id}#{ordinal}"
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    headings: tuple[str, ...] = ()  # heading path, outermost first
    token_count: int = 0


@dataclass(slots=True)
class Hit:
    """A retrieved chunk with the article fields needed to cite it, and the scores that ranked it."""

    chunk: Chunk
    title: str
    source: str
    url: str | None
    updated: str | None
    score: float  # fused score (RRF) or the single method's score
    dense_score: float | None = None
    keyword_score: float | None = None
    dense_rank: int | None = None
    keyword_rank: int | None = None
    extra: dict = field(default_factory=dict)
    row: int | None = None  # the chunk's row in the index version it came from

    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id

    @property
    def chunk_id(self) -> str:
        return self.chunk.chunk_id
