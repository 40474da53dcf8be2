"""The LLM protocol every answer backend implements, and the request it receives."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np


class LLMError(RuntimeError):
    """A backend failed (unreachable, timed out, malformed reply); the message names it and what to check."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved passage as shown to the model, numbered from 1 for [n] citations."""

    ref: int
    text: str
    title: str
    doc_id: str
    chunk_id: str
    headings: tuple[str, ...] = ()
    # Character ranges of `text` that address the model (planted instructions): never quoted, never support.
    untrusted: tuple[tuple[int, int], ...] = ()
    # (start, end, reason) of sentences that direct the reader to sign in, give credentials or pay outside the
    # intranet (service/lures.py); they are also in `untrusted`, and the answer carries a caution about them.
    flagged: tuple[tuple[int, int, str], ...] = ()
    # (start, end) of a sentence in `text` -> its vector pooled at ingest (index/sentence_vectors.py), if stored.
    sentence_vectors: Mapping[tuple[int, int], np.ndarray] | None = field(default=None, compare=False, repr=False)
    # The article is replaced (stored status, index/lifecycle.py): ranked below current ones, said when used.
    superseded: bool = False
    # The article's lifecycle as the prompt shows it: "superseded, replaced by X" / "current, updated 2026-01-20".
    lifecycle: str = ""
    # The header line of a table the passage opens inside (cut from the middle of a long table), else "".
    table_header: str = ""
    # The date its article's text holds from (its `effective` date, else when it was updated; YYYY-MM-DD or ""):
    # 'What was the allowance in 2025?' is not answered by a text in force only from 2026.
    since: str = ""


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    question: str  # already condensed with the conversation history
    passages: list[Passage]
    messages: list[dict[str, str]] = field(default_factory=list)  # rendered prompt, {"role","content"}
    # The words a follow-up itself adds ('carry over' in 'And how many can they carry over?'), stemmed, when the
    # question was made standalone from the conversation: what the asker wants to know now (service/condense.py).
    focus: frozenset[str] = frozenset()


@runtime_checkable
class LLM(Protocol):
    name: str

    def generate(self, request: GenerationRequest) -> str:
        """The whole answer text, with [n] markers referring to request.passages."""
        ...

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """The answer as text deltas; closing the iterator stops generation."""
        ...
