"""Token-aware chunking: split on structure (headings, paragraphs, sentences), sized by the model's tokenizer.

The hard guarantee: for every chunk, count_tokens(contextual_text(title, chunk)) <= max_tokens, where the
count uses the embedding model's own tokenizer (special tokens included). Text past the model's limit would be
silently truncated by the model and so be invisible to search.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ragqa.types import Article, Chunk

if TYPE_CHECKING:
    from ragqa.index.embedding import Embedder
    from ragqa.settings import Settings

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


# Characters that every whitelisted normaliser + pre-tokeniser below treats as a word break and drops. Python's
# str.split() is wider: it also splits at \x0b, \x0c and \x1c-\x1f, which BERT's normaliser deletes instead
# ("a\x0bb" is one word to the model), so words are found with this exact set.
_WORD = re.compile(r"[^ \t\n\r]+")
_LOCAL_NORMALIZERS = {"BertNormalizer", "Lowercase", "NFC", "NFD", "NFKC", "NFKD", "StripAccents"}
_SPLITTING_PRE_TOKENIZERS = {"BertPreTokenizer", "Whitespace", "WhitespaceSplit"}
# Awkward inputs a probe at start-up counts both ways; any difference turns the fast path off.
_PROBES = ("", "Hello, world!", "  leading and trailing  ", "tabs\tand\nnew\r\nlines", "naïve café Ünïcödé ﬁne",
           "日本語のテキスト mixed 中文", "a\x0bb c\x1cd e\u200bf g\u00a0h", "[SEP] x[CLS]y [UNK]",
           "supercalifragilisticexpialidocious" * 5, "e\u0301 \u0301a", "$3.50/kg (±0.2%) -- x_y=z")


class WordPieceCounter:
    """Exact token counts of any text from memoised per-word counts, for tokenizers whose pieces never span
    whitespace (BERT WordPiece: character-local normaliser, whitespace-splitting pre-tokeniser).

    count(text) = special tokens + sum of the counts of its whitespace-separated words, each word tokenised on
    its own. That identity holds for the whitelisted tokenizer components and is checked on probe texts when
    the counter is made; the chunker also re-counts every finished chunk in one batch with the real
    tokenizer (`exact_counts`) and falls back to whole-text counting if any count ever differs.
    """

    _MAX_MEMO = 500_000  # words; the memo is cleared when it grows past this (a long ingest of varied text)
    _MAX_WORD = 64  # longer "words" (URLs, runs without spaces) are counted directly and not memoised

    def __init__(self, tokenizer):
        self._tokenizer = tokenizer
        self.specials = len(tokenizer.encode("", add_special_tokens=True).ids)
        self._memo: dict[str, int] = {}
        self.disabled = False  # set if a count ever differed from the tokenizer's (then never used again)

    @classmethod
    def for_embedder(cls, embedder) -> WordPieceCounter | None:
        """A counter on a private copy of the embedder's fast tokenizer, or None when the identity may not hold."""
        tokenizer = _private_fast_tokenizer(getattr(embedder, "tokenizer", None))
        if tokenizer is None or not _is_word_additive(tokenizer):
            return None
        counter = cls(tokenizer)
        try:
            agrees = all(counter(p) == embedder.count_tokens(p) for p in _PROBES)
        except Exception:  # an exotic tokenizer wrapper: keep the slow, certain path
            log.debug("word-piece counter probe failed", exc_info=True)
            return None
        return counter if agrees else None

    def learn(self, text: str) -> None:
        """Count every word of `text` not seen yet, in one batched tokenizer call."""
        memo = self._memo
        missing = {w for w in _WORD.findall(text) if w not in memo and len(w) <= self._MAX_WORD}
        if not missing:
            return
        if len(memo) + len(missing) > self._MAX_MEMO:
            memo.clear()
        words = list(missing)
        for word, enc in zip(words, self._tokenizer.encode_batch(words, add_special_tokens=False), strict=True):
            memo[word] = len(enc.ids)

    def __call__(self, text: str) -> int:
        words = _WORD.findall(text)
        memo = self._memo
        try:
            return self.specials + sum(map(memo.__getitem__, words))
        except KeyError:
            pass
        self.learn(text)
        total = self.specials
        for word in words:
            n = memo.get(word)
            total += n if n is not None else len(self._tokenizer.encode(word, add_special_tokens=False).ids)
        return total

    def exact_counts(self, texts: list[str]) -> list[int]:
        """Whole-text counts (special tokens included) from the real tokenizer, in one batched call."""
        return [len(e.ids) for e in self._tokenizer.encode_batch(texts, add_special_tokens=True)]


def _private_fast_tokenizer(tokenizer):
    """A copy of a `tokenizers.Tokenizer` (or of a transformers fast tokenizer's backend) with no truncation
    and no padding. A copy: the embedder may set truncation on its own while another thread embeds."""
    try:
        from tokenizers import Tokenizer
    except ImportError:  # pragma: no cover - tokenizers ships with every supported backend
        return None
    backend = tokenizer if isinstance(tokenizer, Tokenizer) else getattr(tokenizer, "backend_tokenizer", None)
    if not isinstance(backend, Tokenizer):
        return None
    try:
        copy = Tokenizer.from_str(backend.to_str())
    except Exception:
        log.debug("could not copy the tokenizer", exc_info=True)
        return None
    copy.no_truncation()
    copy.no_padding()
    return copy


def _is_word_additive(tokenizer) -> bool:
    """Whether the tokenizer's pieces never cross a space, tab or newline (see WordPieceCounter)."""
    import json

    try:
        spec = json.loads(tokenizer.to_str())
    except (ValueError, TypeError):
        return False

    def types(component) -> list[str]:
        if component is None:
            return []
        if component.get("type") == "Sequence":
            parts = component.get("normalizers") or component.get("pretokenizers") or []
            return [t for part in parts for t in types(part)]
        return [component.get("type", "?")]

    normalizers = types(spec.get("normalizer"))
    pre = types(spec.get("pre_tokenizer"))
    added_ok = all(not re.search(r"\s", tok.get("content", "")) and not tok.get("lstrip") and not tok.get("rstrip")
                   and not tok.get("single_word") for tok in spec.get("added_tokens") or [])
    return (set(normalizers) <= _LOCAL_NORMALIZERS and bool(pre) and set(pre) <= _SPLITTING_PRE_TOKENIZERS
            and added_ok)


class Chunker:
    """Splits an article into chunks that fit the embedding model, with exact offsets and heading paths."""

    def __init__(self, count_tokens: Callable[[str], int], *, max_tokens: int, overlap_tokens: int,
                 word_counter: WordPieceCounter | None = None):
        if max_tokens < 16:
            raise ValueError(f"max_tokens must be at least 16 word pieces, got {max_tokens}")
        if overlap_tokens < 0:
            raise ValueError(f"overlap_tokens must be 0 or more, got {overlap_tokens}")
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens
        # Same counts as count_tokens, ~10x cheaper (the splitter measures thousands of overlapping pieces).
        self.word_counter = word_counter

    def chunk(self, article: Article) -> list[Chunk]:
        """Chunks in text order; `article.text[c.start:c.end] == c.text` and every one fits `max_tokens`."""
        words = self.word_counter
        if words is None or words.disabled:
            return self._chunk(article, self.count_tokens)
        words.learn(article.title + "\n" + article.text)
        chunks = self._chunk(article, words)
        exact = words.exact_counts([contextual_text(article.title, c) for c in chunks])
        if all(c.token_count == n for c, n in zip(chunks, exact, strict=True)):
            return chunks
        # Not expected (the counter is checked when made): count whole texts from now on, and redo this one.
        log.warning("word-piece counts differ from the tokenizer's on %s; counting whole texts from now on",
                    article.doc_id)
        words.disabled = True
        return self._chunk(article, self.count_tokens)

    def _chunk(self, article: Article, count_tokens: Callable[[str], int]) -> list[Chunk]:
        text, title = article.text, article.title
        counter = _Counter(count_tokens)
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
                   overlap_tokens=settings.chunk_overlap_tokens, word_counter=_word_counter(embedder))


# One word counter per embedder object, kept while the embedder lives: making one copies the tokenizer and
# probes it (noticeable in a small re-ingest), and its word memo stays warm across ingests.
_WORD_COUNTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_NO_COUNTER = object()


def _word_counter(embedder) -> WordPieceCounter | None:
    try:
        known = _WORD_COUNTERS.get(embedder)
    except TypeError:  # not weak-referenceable: make one each time
        return WordPieceCounter.for_embedder(embedder)
    if known is None:
        known = WordPieceCounter.for_embedder(embedder) or _NO_COUNTER
        _WORD_COUNTERS[embedder] = known
    return None if known is _NO_COUNTER else known
