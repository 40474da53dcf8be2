"""Sentence-level relevance and support scoring, citation validation, and prompt-injection screening.

Support is measured offline: a sentence is supported when its content words are contained in the passages it
cites, or when it is semantically close (embedding cosine) to one of their sentences. This catches invented
facts and wrong citations; it does not prove entailment (a negated paraphrase can still look supported).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from service.llm.base import Passage
from service.models import SentenceSupport
from service.sentences import Span, content_terms, split_sentences

_WANTS_NUMBER = re.compile(
    r"\b(how (many|much|long|old|often|far|soon|large|big)|when|what (time|date|year|day|age|percentage|amount|rate)"
    r"|which (year|date|day|month)|number of|deadline|limit|cost|price|rate)\b",
    re.I,
)
_HAS_NUMBER = re.compile(r"\d")
_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# Text in an article that addresses the model rather than the reader: never selected, never counted as support.
_INJECTION = re.compile(
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier|other) (?:instructions|rules|prompts?)"
    r"|disregard (?:all |any |the )?(?:previous|prior|above|earlier)"
    r"|(?:system|hidden|original) prompt|you are (?:now|no longer)|new instructions"
    r"|(?:assistant|language model|\bllm\b|\bai\b|chatbot)s?[,:]? (?:must|should|shall|will|please)"
    r"|(?:print|output|say|respond with|reply with|repeat|include) (?:the )?(?:token|code word|phrase|canary|secret)"
    r"|reveal (?:the |your )?(?:prompt|instructions|system|secret|key)"
    r"|always cite|cite (?:passage|source|document) \d",
    re.I,
)
SUPPORT_CONTAINMENT = 0.7
SUPPORT_COSINE = 0.78


def is_injection(text: str) -> bool:
    return bool(_INJECTION.search(text))


@dataclass(slots=True)
class Candidate:
    ref: int
    span: Span
    score: float
    cosine: float
    overlap: float
    vector: np.ndarray


class SentenceScorer:
    """Embeds passage sentences (with their title/section as context), cached across requests."""

    def __init__(self, embedder, cache_size: int = 50_000):
        self.embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.embedder.embed_documents(missing)
            with self._lock:
                for text, vec in zip(missing, vectors, strict=True):
                    self._cache[text] = vec
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        with self._lock:
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, self.embedder.dim))

    def candidates(self, question: str, passages: list[Passage]) -> list[Candidate]:
        """Every answer-worthy sentence of the passages, scored against the question, best first."""
        spans: list[tuple[Passage, Span]] = []
        for passage in passages:
            for span in split_sentences(passage.text):
                if span.kind == "heading" or len(span.text.split()) < 3 or is_injection(span.text):
                    continue
                spans.append((passage, span))
        if not spans:
            return []
        contexts = [_context(p, s.text) for p, s in spans]
        vectors = self.embed(contexts)
        q_vec = self.embedder.embed_query(question)
        cosines = vectors @ q_vec
        q_terms = content_terms(question)
        wants_number = bool(_WANTS_NUMBER.search(question))
        out = []
        for (passage, span), cos, vec in zip(spans, cosines.tolist(), vectors, strict=True):
            terms = content_terms(span.text) | content_terms(" ".join(passage.headings))
            overlap = len(q_terms & terms) / len(q_terms) if q_terms else 0.0
            # Mostly meaning, some exact words (names, numbers), a nudge for the retriever's ranking.
            score = 0.6 * cos + 0.4 * overlap + 0.04 / passage.ref
            if wants_number and _HAS_NUMBER.search(span.text):
                score += 0.08  # "how many / when / how long" questions are answered by figures
            out.append(Candidate(passage.ref, span, score, cos, overlap, vec))
        out.sort(key=lambda c: -c.score)
        return out


def _context(passage: Passage, sentence: str) -> str:
    where = " > ".join(h for h in passage.headings if h != passage.title)
    return f"{passage.title}{' > ' + where if where else ''}: {sentence}"


@dataclass(slots=True)
class CheckedAnswer:
    text: str  # with citations to unknown passages removed
    sentences: list[SentenceSupport]
    cited_refs: list[int]  # valid refs in order of first appearance

    @property
    def score(self) -> float:
        return sum(s.supported for s in self.sentences) / len(self.sentences) if self.sentences else 0.0

    @property
    def grounded(self) -> bool:
        return bool(self.sentences) and all(s.supported for s in self.sentences)


_TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+)")


def attach_markers(text: str) -> str:
    """'Fact. [1] Next.' -> 'Fact [1]. Next.': a marker after the full stop belongs to the sentence before it."""
    return _TRAILING_MARKERS.sub(lambda m: m.group(2) + m.group(1), text)


def check_answer(text: str, passages: list[Passage], scorer: SentenceScorer) -> CheckedAnswer:
    """Drop citations to passages that were not given, then score each sentence against what it cites."""
    by_ref = {p.ref: p for p in passages}
    text = attach_markers(text)
    cleaned_parts: list[str] = []
    supports: list[SentenceSupport] = []
    cited: list[int] = []
    for span in split_sentences(text):
        if span.kind == "heading":
            cleaned_parts.append(span.text)
            continue
        refs: list[int] = []
        for match in _MARKER.finditer(span.text):
            refs.extend(int(n) for n in re.split(r"\s*[,;]\s*", match.group(1)))
        valid = [r for r in dict.fromkeys(refs) if r in by_ref]
        plain = _MARKER.sub("", span.text).strip()
        end = plain[-1] if plain[-1:] in ".!?" else ""
        body = plain[:-1] if end else plain
        cleaned_parts.append(body + "".join(f" [{r}]" for r in valid) + end)
        cited.extend(r for r in valid if r not in cited)
        if not plain:
            continue
        score = _support(plain, [by_ref[r] for r in valid], scorer) if valid else 0.0
        supports.append(
            SentenceSupport(text=plain, refs=valid, supported=score >= 1.0, score=round(min(score, 1.0), 3))
        )
    return CheckedAnswer(" ".join(cleaned_parts).strip(), supports, cited)


def _support(sentence: str, cited: list[Passage], scorer: SentenceScorer) -> float:
    """>= 1.0 means supported: containment/SUPPORT_CONTAINMENT or cosine/SUPPORT_COSINE, whichever is higher."""
    usable = [
        s.text for p in cited for s in split_sentences(p.text) if s.kind != "heading" and not is_injection(s.text)
    ]
    if not usable:
        return 0.0
    terms = content_terms(sentence)
    source_terms = set().union(*(content_terms(u) for u in usable))
    containment = len(terms & source_terms) / len(terms) if terms else 0.0
    vectors = scorer.embed([sentence, *usable])
    cosine = float(np.max(vectors[1:] @ vectors[0]))
    if containment < 0.3:  # shares almost no content words with its sources: never counted as supported
        return min(cosine / SUPPORT_COSINE, 0.99)
    return max(containment / SUPPORT_CONTAINMENT, cosine / SUPPORT_COSINE)
