"""Token-aware chunking: split on structure (headings, paragraphs, sentences), sized by the model's tokenizer.

The hard guarantee: for every chunk, count_tokens(contextual_text(title, chunk)) <= max_tokens, where the
count uses the embedding model's own tokenizer (special tokens included). Text past the model's limit would be
silently truncated by the model and so be invisible to search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from langchain_text_splitters import RecursiveCharacterTextSplitter

from index.types import Article, Chunk

if TYPE_CHECKING:
    from index.embedding import Embedder
    from service.config import Settings

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^(```|~~~)")
_PREFIX_CHARS = 160  # title and heading path are clipped so the prefix never eats the chunk's budget
# Structure first: paragraphs, lines, sentences, clauses, words, characters.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


def _clip(text: str) -> str:
    return text if len(text) <= _PREFIX_CHARS else text[: _PREFIX_CHARS - 1] + "…"


def context_prefix(title: str, headings: tuple[str, ...]) -> str:
    parts = [_clip(title.strip())] if title.strip() else []
    path = " > ".join(h for h in headings if h and h != title)
    if path:
        parts.append(_clip(path))
    return "\n".join(parts)


def contextual_text(title: str, chunk: Chunk) -> str:
    """What is embedded and keyword-indexed: title and heading path give a passage its context."""
    prefix = context_prefix(title, chunk.headings)
    return f"{prefix}\n{chunk.text}" if prefix else chunk.text


@dataclass(frozen=True, slots=True)
class _Section:
    headings: tuple[str, ...]
    start: int
    end: int


def markdown_sections(text: str) -> list[_Section]:
    """Sections delimited by Markdown headings (outside code fences); heading-only sections join the next."""
    bounds: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    stack: list[tuple[int, str]] = []
    in_fence = False
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if _FENCE.match(stripped):
            in_fence = not in_fence
        elif not in_fence and (m := _HEADING.match(stripped)):
            level = len(m.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, m.group(2).strip()))
            bounds.append((offset, tuple(h for _, h in stack)))
        offset += len(line)
    sections = []
    for i, (start, headings) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        if end > start and text[start:end].strip():
            sections.append(_Section(headings, start, end))
    merged: list[_Section] = []
    pending: _Section | None = None
    for section in sections:
        if pending is not None:
            section = _Section(section.headings, pending.start, section.end)
            pending = None
        body = text[section.start:section.end].strip()
        if _HEADING.match(body) and "\n" not in body:  # only a heading: carry it into the next section
            pending = section
            continue
        merged.append(section)
    if pending is not None:
        merged.append(pending)
    return merged


class Chunker:
    """Splits an article into chunks that fit the embedding model, with exact offsets and heading paths."""

    def __init__(self, count_tokens: Callable[[str], int], *, max_tokens: int, overlap_tokens: int):
        if max_tokens < 16:
            raise ValueError("max_tokens must be at least 16 word pieces")
        self.count_tokens = lru_cache(maxsize=65536)(count_tokens)
        self.max_tokens = max_tokens
        self.overlap_tokens = min(overlap_tokens, max_tokens // 4)

    def chunk(self, article: Article) -> list[Chunk]:
        text = article.text
        spans: list[tuple[int, int, tuple[str, ...]]] = []
        for section in markdown_sections(text):
            prefix = context_prefix(article.title, section.headings)
            budget = self.max_tokens - (self.count_tokens(prefix) if prefix else 0)
            budget = max(budget, 16)
            spans.extend((s, e, section.headings) for s, e in self._split(text, section.start, section.end, budget))
        chunks = []
        for ordinal, (start, end, headings) in enumerate(spans):
            chunk = Chunk(chunk_id=f"{article.doc_id}#{ordinal}", doc_id=article.doc_id, ordinal=ordinal,
                          text=text[start:end], start=start, end=end, headings=headings)
            tokens = self.count_tokens(contextual_text(article.title, chunk))
            chunks.append(Chunk(chunk.chunk_id, chunk.doc_id, ordinal, chunk.text, start, end, headings, tokens))
        return chunks

    def _split(self, text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        """Spans (absolute offsets, whitespace trimmed) covering text[start:end], each within `budget` tokens."""
        piece = text[start:end]
        if self.count_tokens(piece.strip()) <= budget:
            return _trimmed(text, start, end)
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=budget,
            chunk_overlap=min(self.overlap_tokens, budget // 4),
            length_function=self.count_tokens,
            separators=_SEPARATORS,
            keep_separator="end",
            add_start_index=True,
            strip_whitespace=False,
        )
        spans: list[tuple[int, int]] = []
        cursor = 0
        for doc in splitter.create_documents([piece]):
            local = doc.metadata.get("start_index", -1)
            if local < 0 or piece[local:local + len(doc.page_content)] != doc.page_content:
                local = piece.find(doc.page_content, max(cursor - len(doc.page_content), 0))
            if local < 0:  # cannot happen with the splitter's own offsets; keep coverage anyway
                continue
            cursor = local + len(doc.page_content)
            for s, e in _trimmed(text, start + local, start + cursor):
                spans.extend(self._enforce(text, s, e, budget))
        return spans

    def _enforce(self, text: str, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        """The hard limit: halve any span still over budget (one huge 'word', a long table row)."""
        if self.count_tokens(text[start:end]) <= budget or end - start <= 1:
            return [(start, end)]
        middle = start + (end - start) // 2
        space = text.rfind(" ", start + 1, middle + 1)
        if space > start + (end - start) // 4:
            middle = space
        out = []
        for s, e in ((start, middle), (middle, end)):
            for ts, te in _trimmed(text, s, e):
                out.extend(self._enforce(text, ts, te, budget))
        return out


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []


def make_chunker(settings: Settings, embedder: Embedder) -> Chunker:
    return Chunker(embedder.count_tokens, max_tokens=min(settings.chunk_tokens, embedder.max_seq_length),
                   overlap_tokens=settings.chunk_overlap_tokens)
