"""Token-aware chunking: split on structure (headings, paragraphs, sentences), sized by the model's tokenizer.

The hard guarantee: for every chunk, count_tokens(contextual_text(title, chunk)) <= max_tokens, where the
count uses the embedding model's own tokenizer (special tokens included). Text past the model's limit would be
silently truncated by the model and so be invisible to search.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langchain_text_splitters import RecursiveCharacterTextSplitter

from index.types import Article, Chunk

if TYPE_CHECKING:
    from index.embedding import Embedder
    from service.config import Settings

log = logging.getLogger(__name__)

# Bump when the chunks of an unchanged article would come out differently (worth recording in a manifest).
CHUNKER_VERSION = 2

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# The title and the heading path are clipped so that the prefix never eats a chunk's whole budget.
_TITLE_CHARS = 100
_PATH_CHARS = 100
# Structure first: paragraphs, lines, sentences, clauses, words. The character level is ours (_token_windows):
# LangChain's "" separator measures every character with a tokenizer call, far too slow on long runs.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " "]


def _clip_end(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def context_prefix(title: str, headings: tuple[str, ...]) -> str:
    """Title line and heading path line (the heading equal to the title is not repeated)."""
    title = " ".join(title.split())
    parts = [_clip_end(title, _TITLE_CHARS)] if title else []
    path = " > ".join(h for h in headings if h and h.casefold() != title.casefold())
    if len(path) > _PATH_CHARS:  # keep the innermost headings: they say most about the passage
        path = "…" + path[-(_PATH_CHARS - 1):].lstrip()
    if path:
        parts.append(path)
    return "\n".join(parts)


def contextual_text(title: str, chunk: Chunk) -> str:
    """What is embedded and keyword-indexed: `title\\nheading > path\\nchunk text` (empty parts skipped)."""
    prefix = context_prefix(title, chunk.headings)
    return f"{prefix}\n{chunk.text}" if prefix else chunk.text


@dataclass(frozen=True, slots=True)
class Section:
    headings: tuple[str, ...]
    start: int
    end: int


def markdown_sections(text: str) -> list[Section]:
    """Sections delimited by Markdown headings (outside code fences); heading-only sections join the next."""
    bounds: list[tuple[int, tuple[str, ...]]] = [(0, ())]
    stack: list[tuple[int, str]] = []
    in_fence = False
    offset = 0
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (m := _HEADING.match(line.rstrip("\r\n"))):
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
            sections.append(Section(headings, start, end))
    merged: list[Section] = []
    pending: Section | None = None
    for section in sections:
        if pending is not None:
            section = Section(section.headings, pending.start, section.end)
            pending = None
        body = text[section.start:section.end].strip()
        if "\n" not in body and _HEADING.match(body):  # only a heading: it joins the next section
            pending = section
            continue
        merged.append(section)
    if pending is not None:
        merged.append(pending)
    return merged


class _Counter:
    """Token counts without the special tokens, memoised for one article (the splitter re-measures pieces)."""

    def __init__(self, count_tokens: Callable[[str], int]):
        self._count = count_tokens
        self.specials = count_tokens("")  # [CLS] and [SEP] for BERT-style tokenizers
        self._memo: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        n = self._memo.get(text)
        if n is None:
            n = max(self._count(text) - self.specials, 0)
            if len(text) < 20_000:  # don't pin huge strings in memory
                self._memo[text] = n
        return n


class Chunker:
    """Splits an article into chunks that fit the embedding model, with exact offsets and heading paths."""

    def __init__(self, count_tokens: Callable[[str], int], *, max_tokens: int, overlap_tokens: int):
        if max_tokens < 16:
            raise ValueError(f"max_tokens must be at least 16 word pieces, got {max_tokens}")
        if overlap_tokens < 0:
            raise ValueError(f"overlap_tokens must be 0 or more, got {overlap_tokens}")
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens

    def chunk(self, article: Article) -> list[Chunk]:
        """Chunks in text order; `article.text[c.start:c.end] == c.text` and every one fits `max_tokens`."""
        text, title = article.text, article.title
        counter = _Counter(self.count_tokens)
        spans: list[tuple[int, int, tuple[str, ...]]] = []
        for section in markdown_sections(text):
            headings = self._fitting_headings(title, section.headings, counter)
            for start, end in self._split_section(text, section, title, headings, counter):
                spans.append((start, end, headings))
        chunks = []
        for ordinal, (start, end, headings) in enumerate(spans):
            chunk = Chunk(chunk_id=f"{article.doc_id}#{ordinal}", doc_id=article.doc_id, ordinal=ordinal,
                          text=text[start:end], start=start, end=end, headings=headings)
            tokens = counter(contextual_text(title, chunk)) + counter.specials
            if tokens > self.max_tokens:  # only when the title alone does not fit (see _fitting_headings)
                log.warning("chunk %s has %d tokens, over the limit of %d: its title is too long",
                            chunk.chunk_id, tokens, self.max_tokens)
            chunks.append(Chunk(chunk.chunk_id, article.doc_id, ordinal, chunk.text, start, end, headings,
                                tokens))
        return chunks

    # --- budget ---------------------------------------------------------------------------------------

    def _min_body(self) -> int:
        return max(8, self.max_tokens // 4)

    def _budget(self, title: str, headings: tuple[str, ...], counter: _Counter) -> int:
        """Tokens left for the chunk text once the prefix (and the special tokens) are counted."""
        prefix = context_prefix(title, headings)
        return self.max_tokens - counter.specials - (counter(prefix + "\n") if prefix else 0)

    def _fitting_headings(self, title: str, headings: tuple[str, ...], counter: _Counter) -> tuple[str, ...]:
        """The heading path; outermost headings dropped only if a pathological path crowds out the text."""
        while headings and self._budget(title, headings, counter) < self._min_body():
            headings = headings[1:]
        return headings

    # --- splitting ------------------------------------------------------------------------------------

    def _split_section(self, text: str, section: Section, title: str, headings: tuple[str, ...],
                       counter: _Counter) -> list[tuple[int, int]]:
        budget = max(self._budget(title, headings, counter), 1)
        spans = self._structural_spans(text, section.start, section.end, budget, counter)
        spans = _fill_gaps(text, section.start, section.end, spans)
        spans = [piece for s, e in spans for piece in self._enforce(text, s, e, budget, counter)]
        spans = self._merge_small(text, spans, budget, counter)
        # Verify with the real contextual text: tokenizers are not always additive across the prefix join.
        verified: list[tuple[int, int]] = []
        for s, e in spans:
            verified.extend(self._fit_exactly(text, s, e, title, headings, budget, counter))
        return verified

    def _structural_spans(self, text: str, start: int, end: int, budget: int,
                          counter: _Counter) -> list[tuple[int, int]]:
        """LangChain's recursive splitter over one section, its pieces mapped back to absolute offsets."""
        piece = text[start:end]
        # A short section may fit whole; a long one certainly needs the splitter (skip measuring it whole).
        if len(piece) <= budget * 16 and counter(piece) <= budget:
            return _trimmed(text, start, end)
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=budget,
            chunk_overlap=min(self.overlap_tokens, budget // 4),
            length_function=counter,
            separators=_SEPARATORS,
            keep_separator="end",
            add_start_index=True,
            strip_whitespace=False,  # keep pieces exact substrings; we trim spans ourselves
        )
        spans: list[tuple[int, int]] = []
        prev_start, prev_end = -1, 0
        for doc in splitter.create_documents([piece]):
            content = doc.page_content
            if not content:
                continue
            # Pieces come in order, each starting after the previous start and no later than its end. The
            # splitter's own start_index is a char search that overlap counted in tokens can fool on
            # repeated text, so take the latest match in that window (keeps coverage), else its answer.
            local = piece.rfind(content, prev_start + 1, prev_end + len(content))
            if local < 0:
                local = doc.metadata.get("start_index", -1)
                if local < 0 or piece[local:local + len(content)] != content:
                    local = piece.find(content, prev_start + 1)
            if local < 0:
                continue  # not expected; _fill_gaps restores coverage
            prev_start, prev_end = local, local + len(content)
            spans.extend(_trimmed(text, start + local, start + prev_end))
        return spans

    def _enforce(self, text: str, start: int, end: int, budget: int,
                 counter: _Counter) -> list[tuple[int, int]]:
        """The hard limit: cut any span still over budget (one huge 'word', a long table row) into windows."""
        if counter(text[start:end]) <= budget:
            return [(start, end)]
        return _token_windows(text, start, end, budget, counter)

    def _merge_small(self, text: str, spans: list[tuple[int, int]], budget: int,
                     counter: _Counter) -> list[tuple[int, int]]:
        """No 3-word chunks: a tiny piece joins its neighbour, or the two share their text evenly."""
        small = max(8, budget // 6)
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged:
                ps, pe = merged[-1]
                if counter(text[ps:pe]) < small or counter(text[s:e]) < small:
                    joined = counter(text[ps:max(pe, e)])
                    if joined <= budget:
                        merged[-1] = (ps, max(pe, e))
                        continue
                    halves = _token_windows(text, ps, max(pe, e), (joined + 1) // 2 + 2, counter)
                    if len(halves) == 2:  # a long run's short tail: two balanced pieces instead
                        merged[-1:] = halves
                        continue
            merged.append((s, e))
        return merged

    def _fit_exactly(self, text: str, start: int, end: int, title: str, headings: tuple[str, ...],
                     budget: int, counter: _Counter) -> list[tuple[int, int]]:
        """Re-cut a span, with a smaller budget each round, until its real contextual text fits."""
        probe = Chunk("", "", 0, text[start:end], start, end, headings)
        tokens = counter(contextual_text(title, probe)) + counter.specials
        if tokens <= self.max_tokens or budget <= 1 or end - start <= 1:
            return [(start, end)]
        smaller = max(1, budget - max(2, tokens - self.max_tokens))
        return [piece for s, e in _token_windows(text, start, end, smaller, counter)
                for piece in self._fit_exactly(text, s, e, title, headings, smaller, counter)]


def _token_windows(text: str, start: int, end: int, budget: int, counter: _Counter) -> list[tuple[int, int]]:
    """Consecutive spans of at most `budget` tokens, cut at a space where one is near, else mid-word.

    Each window is found by measuring prefixes of a few hundred characters (never the rest of the text), so a
    multi-megabyte run without separators costs a few tokenizer passes over it, not one per window.
    """
    out: list[tuple[int, int]] = []
    chars_per_token = max((end - start) / max(counter(text[start:end]), 1), 0.5)
    pos = start
    while pos < end:
        lo, hi = pos + 1, 0  # text[pos:lo] is taken to fit (one character always goes); text[pos:hi] does not
        size = max(1, int(budget * chars_per_token * 0.9))
        while True:  # grow from the estimate until a prefix no longer fits (or the text ends)
            probe = min(end, pos + size)
            if counter(text[pos:probe]) <= budget:
                lo = probe
                if probe == end:
                    break
                size *= 2
            else:
                hi = probe
                break
        while hi and hi - lo > max(1, (lo - pos) // 32):  # near-longest fitting prefix, by bisection
            mid = (lo + hi) // 2
            if counter(text[pos:mid]) <= budget:
                lo = mid
            else:
                hi = mid
        cut = lo
        if cut < end:  # prefer a word boundary when one is close to the cut
            boundary = max(text.rfind(" ", pos + 1, cut + 1), text.rfind("\n", pos + 1, cut + 1))
            if boundary > pos + (cut - pos) * 3 // 4:
                cut = boundary
        out.extend(_trimmed(text, pos, cut))
        pos = cut
    return out


def _fill_gaps(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order with any uncovered non-whitespace text of [start, end) added as spans of its own."""
    out: list[tuple[int, int]] = []
    covered = start
    for s, e in sorted(spans):
        if s > covered:
            out.extend(_trimmed(text, covered, s))
        out.append((s, e))
        covered = max(covered, e)
    if covered < end:
        out.extend(_trimmed(text, covered, end))
    return out


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []


def make_chunker(settings: Settings, embedder: Embedder) -> Chunker:
    """The chunker for this embedder: never more tokens than the model reads, nor than the setting asks."""
    return Chunker(embedder.count_tokens, max_tokens=min(settings.chunk_tokens, embedder.max_seq_length),
                   overlap_tokens=settings.chunk_overlap_tokens)
