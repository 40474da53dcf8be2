"""The default answerer: offline and deterministic; it quotes the passage sentences that answer best."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from service.grounding import Candidate, SentenceScorer
from service.llm.base import GenerationRequest
from service.sentences import split_sentences

# A sentence that leans on the one before it ("It is...", "This applies...") brings that one along.
_DEPENDENT = re.compile(r"^(it|this|that|these|those|they|he|she|such|however|also|otherwise|then|there)\b", re.I)
REDUNDANT_COSINE = 0.88


class ExtractiveLLM:
    """Selects, orders and cites the passage sentences that best answer the question (no model weights)."""

    name = "extractive"

    def __init__(self, settings, embedder, scorer: SentenceScorer | None = None):
        self.settings = settings
        self.scorer = scorer or SentenceScorer(embedder)

    def select(self, question: str, passages) -> list[Candidate]:
        candidates = self.scorer.candidates(question, passages)
        if not candidates or candidates[0].score < self.settings.abstain_threshold:
            return []
        best = candidates[0]
        floor = max(self.settings.abstain_threshold, 0.8 * best.score)
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
        picked: dict[tuple[int, int], str] = {}
        for cand in chosen:
            picked[(cand.ref, cand.span.start)] = cand.span.text
            if _DEPENDENT.match(cand.span.text):
                before = _previous_sentence(by_ref[cand.ref].text, cand.span.start)
                if before is not None:
                    picked.setdefault((cand.ref, before[0]), before[1])
        ordered = sorted(picked.items(), key=lambda item: item[0])
        return " ".join(_cite(text, ref) for (ref, _), text in ordered)

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        text = self.generate(request)
        words = text.split(" ")
        for i, word in enumerate(words):
            yield word if i == 0 else " " + word


def _previous_sentence(text: str, start: int) -> tuple[int, str] | None:
    before = [s for s in split_sentences(text) if s.end <= start and s.kind != "heading"]
    return (before[-1].start, before[-1].text) if before else None


def _cite(sentence: str, ref: int) -> str:
    """'Fact.' -> 'Fact [1].' (the marker sits inside the sentence it supports)."""
    sentence = sentence.strip().rstrip(":;,")
    end = sentence[-1] if sentence[-1:] in ".!?" else "."
    body = sentence[:-1] if sentence[-1:] in ".!?" else sentence
    return f"{body} [{ref}]{end}"
