"""The answering pipeline: condense -> retrieve -> can the passages answer? -> generate -> check -> answer object."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator, Sequence

from index.types import Hit
from service.grounding import SentenceScorer, check_answer
from service.llm.base import GenerationRequest, Passage
from service.llm.extractive import ExtractiveLLM
from service.llm.registry import LLMCache
from service.models import Answer, Citation, Grounding, Turn
from service.prompts import fence_passages, load_prompt, render_prompt

_FOLLOW_UP = re.compile(r"\b(it|its|they|them|their|that|this|those|these|there|he|she|his|her|same|one)\b", re.I)


class AnswerService:
    """One per process: shares the embedder, the index manager, the sentence cache and the LLM backends."""

    def __init__(self, *, settings, index, embedder):
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.scorer = SentenceScorer(embedder)
        self.llms = LLMCache(settings, embedder)
        # The extractive backend doubles as the relevance gate for every backend, sharing the sentence cache.
        self.gate = ExtractiveLLM(settings, embedder, scorer=self.scorer)
        self.llms._built.setdefault("extractive", self.gate)

    # --- public API ---------------------------------------------------------------------------------
    def search(self, query: str, *, k: int, groups: frozenset[str] | None = None) -> list[Hit]:
        return self.index.retriever().search(query, k=k, groups=groups)

    def answer(self, question: str, *, history: Sequence[Turn] = (), top_k: int | None = None,
               groups: frozenset[str] | None = None, llm: str | None = None,
               request_id: str | None = None) -> Answer:
        events = self.stream(question, history=history, top_k=top_k, groups=groups, llm=llm,
                             request_id=request_id, deltas=False)
        for kind, payload in events:
            if kind == "answer":
                return payload
        raise RuntimeError("the answer pipeline ended without an answer")  # pragma: no cover

    def stream(self, question: str, *, history: Sequence[Turn] = (), top_k: int | None = None,
               groups: frozenset[str] | None = None, llm: str | None = None, request_id: str | None = None,
               deltas: bool = True) -> Iterator[tuple[str, object]]:
        """Yields ("delta", text) while generating, then ("answer", Answer). Closing it stops generation."""
        started = time.perf_counter()
        timings: dict[str, float] = {}
        request_id = request_id or uuid.uuid4().hex
        question = " ".join(question.split())
        if not question:
            raise ValueError("the question is empty")
        backend = self.llms.get(llm)
        k = top_k or self.settings.top_k

        t = time.perf_counter()
        standalone = self._condense(question, history, backend)
        retriever = self.index.retriever()  # one version for the whole request
        hits = retriever.search(standalone, k=k, groups=groups)
        timings["retrieve"] = _ms(t)
        passages = [_passage(i, h) for i, h in enumerate(hits, start=1)]

        t = time.perf_counter()
        # Abstain before any LLM call when no passage sentence is relevant enough: no cost, nothing invented.
        if not passages or not self.gate.select(standalone, passages):
            timings["generate"] = 0.0
            timings["total"] = _ms(started)
            yield "answer", self._abstained(request_id, backend.name, retriever.version_id, timings)
            return
        request = GenerationRequest(question=standalone, passages=passages,
                                    messages=self._messages(standalone, passages))
        if deltas:
            parts: list[str] = []
            for delta in backend.stream(request):
                parts.append(delta)
                yield "delta", delta
            text = "".join(parts)
        else:
            text = backend.generate(request)
        timings["generate"] = _ms(t)
        yield "answer", self._finish(text, passages, hits, request_id, backend.name, retriever.version_id,
                                     timings, started)

    # --- steps --------------------------------------------------------------------------------------
    def _condense(self, question: str, history: Sequence[Turn], backend) -> str:
        """A follow-up ("and in Porto?") becomes standalone; without an LLM, by carrying the last question."""
        previous = [t.content for t in history if t.role == "user" and t.content.strip()]
        if not previous:
            return question
        short = len(question.split()) <= 6 or bool(_FOLLOW_UP.search(question))
        if backend.name == "extractive" or not short:
            return f"{previous[-1]} {question}" if short else question
        prompt = render_prompt(self.settings.resolved_prompts_dir, "condense_question",
                               history="\n".join(f"{t.role}: {t.content}" for t in history[-6:]), question=question)
        try:
            rewritten = backend.generate(GenerationRequest(question=question, passages=[],
                                                           messages=[{"role": "user", "content": prompt}]))
        except Exception:
            return f"{previous[-1]} {question}"  # condensing is an aid; a failing backend surfaces later
        rewritten = " ".join(rewritten.split())
        return rewritten if 0 < len(rewritten) <= 4 * len(question) + 400 else f"{previous[-1]} {question}"

    def _messages(self, question: str, passages: list[Passage]) -> list[dict[str, str]]:
        prompt = render_prompt(
            self.settings.resolved_prompts_dir, "answer", passages=fence_passages(passages), question=question,
            abstain=self.abstain_text, max_sentences=self.settings.max_answer_sentences,
        )
        return [{"role": "user", "content": prompt}]

    @property
    def abstain_text(self) -> str:
        return load_prompt(self.settings.resolved_prompts_dir, "abstain").strip()

    def _abstained(self, request_id: str, llm_name: str, version: str, timings: dict) -> Answer:
        return Answer(answer=self.abstain_text, abstained=True, grounded=True, citations=[],
                      grounding=Grounding(score=1.0, sentences=[]), timings_ms=timings, request_id=request_id,
                      llm=llm_name, index_version=version)

    def _finish(self, text: str, passages: list[Passage], hits: list[Hit], request_id: str, llm_name: str,
                version: str, timings: dict, started: float) -> Answer:
        stripped = text.strip()
        if not stripped or _says_abstain(stripped, self.abstain_text):
            timings["total"] = _ms(started)
            return self._abstained(request_id, llm_name, version, timings)
        checked = check_answer(stripped, passages, self.scorer)
        hit_by_ref = {i: h for i, h in enumerate(hits, start=1)}
        citations = [_citation(ref, hit_by_ref[ref]) for ref in checked.cited_refs]
        timings["total"] = _ms(started)
        return Answer(
            answer=checked.text, abstained=False, grounded=checked.grounded, citations=citations,
            grounding=Grounding(score=round(checked.score, 3), sentences=checked.sentences),
            timings_ms=timings, request_id=request_id, llm=llm_name, index_version=version,
        )


def _passage(ref: int, hit: Hit) -> Passage:
    return Passage(ref=ref, text=hit.chunk.text, title=hit.title, doc_id=hit.doc_id, chunk_id=hit.chunk_id,
                   headings=hit.chunk.headings)


def _citation(ref: int, hit: Hit) -> Citation:
    c = hit.chunk
    return Citation(ref=ref, doc_id=c.doc_id, title=hit.title, source=hit.source, url=hit.url,
                    chunk_id=c.chunk_id, headings=list(c.headings), text=c.text, start=c.start, end=c.end,
                    score=round(hit.score, 6))


def _says_abstain(text: str, abstain_text: str) -> bool:
    norm = " ".join(text.lower().split())
    return norm.startswith(" ".join(abstain_text.lower().split())[:40]) and "[" not in norm


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
