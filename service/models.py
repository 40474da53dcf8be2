"""The answer object (a contract: `ragqa ask --json`, `POST /v1/ask`, the widget and eval all read it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import BaseModel, Field


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=8000)


class Citation(BaseModel):
    ref: int  # the n of an [n] marker in the answer
    doc_id: str
    title: str
    source: str
    url: str | None = None
    chunk_id: str
    headings: list[str] = Field(default_factory=list)
    text: str  # the cited passage
    start: int  # character offsets of the passage in the article text
    end: int
    score: float
    # The article's lifecycle on the day of the answer: current | superseded | upcoming (effective in the future).
    status: str = "current"
    updated: str | None = None  # ISO date the article was last updated, when known
    superseded_by: str | None = None  # doc id or title of the article that replaces it, when known


class SentenceSupport(BaseModel):
    text: str
    refs: list[int]
    supported: bool
    score: float = 0.0  # support of the sentence by the passages it cites, 0..1
    flagged: bool = False  # an instruction to sign in, give credentials or pay elsewhere: cut from the answer
    warning: str | None = None  # why it was flagged


class Grounding(BaseModel):
    score: float  # share of answer sentences supported by the passages they cite
    sentences: list[SentenceSupport] = Field(default_factory=list)


class AnswerWarning(BaseModel):
    """A planted instruction found in a source or repeated by the model, withheld from the answer text."""

    kind: Literal["planted_instruction"] = "planted_instruction"
    source: Literal["article", "model"]  # found in a retrieved article, or in the model's output
    reason: str
    text: str  # the withheld sentence, for reporting it; never part of `answer`
    doc_id: str | None = None
    title: str | None = None


class Answer(BaseModel):
    answer: str
    abstained: bool
    grounded: bool = True  # false when a generated sentence is unsupported or cites nothing
    citations: list[Citation] = Field(default_factory=list)
    grounding: Grounding
    timings_ms: dict[str, float] = Field(default_factory=dict)
    request_id: str = ""
    llm: str = ""
    index_version: str = ""
    warnings: list[AnswerWarning] = Field(default_factory=list)  # when non-empty, `answer` ends with a caution
    # What was retrieved and answered: the question itself, or one made standalone from the conversation, its
    # typos mended ('rule'; service/spelling.py).
    standalone_question: str = ""
    standalone_method: Literal["unchanged", "rule", "llm"] = "unchanged"


@dataclass(frozen=True, slots=True)
class AnswerDelta:
    """A piece of the answer text as it is generated (citation markers already in the final numbering)."""

    text: str
    kind: ClassVar[str] = "delta"


@dataclass(frozen=True, slots=True)
class AnswerDone:
    """The finished answer: always the last event of a stream."""

    answer: Answer
    kind: ClassVar[str] = "answer"


StreamEvent = AnswerDelta | AnswerDone
