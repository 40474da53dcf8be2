"""Evaluation questions: the documented JSONL format, loaded and validated with messages that say what to fix."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

QUESTION_TYPES = ("single", "multi", "paraphrase", "numeric", "changed", "unanswerable", "restricted", "followup",
                  "table", "procedure")


class DatasetError(ValueError):
    """A questions file that cannot be used; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Question:
    """One evaluation case: what is asked, by whom, and what a correct answer cites and contains."""

    id: str
    question: str
    answerable: bool = True
    expected_sources: tuple[str, ...] = ()
    key_facts: tuple[str, ...] = ()
    reference_answer: str = ""
    type: str = "single"
    groups: frozenset[str] | None = None  # the asker's groups; None = unrestricted
    draft: bool = False  # exported from feedback and not yet confirmed by a person
    # Graded relevance for nDCG (BEIR qrels); defaults to grade 1 for every expected source.
    relevance: dict[str, int] = field(default_factory=dict)
    # Earlier turns of the conversation, oldest first: ({"role": "user"|"assistant", "content": ...}, ...).
    history: tuple[tuple[str, str], ...] = ()

    @property
    def grades(self) -> dict[str, int]:
        return dict(self.relevance) or dict.fromkeys(self.expected_sources, 1)


def parse_question(raw: dict, where: str = "question") -> Question:
    """Validate one decoded JSON object; `where` ("file:line") prefixes every error."""
    if not isinstance(raw, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    for required in ("id", "question"):
        if not isinstance(raw.get(required), str) or not raw[required].strip():
            raise DatasetError(f"{where}: field {required!r} must be a non-empty string")
    answerable = raw.get("answerable", True)
    if not isinstance(answerable, bool):
        raise DatasetError(f"{where}: field 'answerable' must be true or false")
    sources = _strings(raw.get("expected_sources", []), "expected_sources", where)
    facts = _strings(raw.get("key_facts", []), "key_facts", where)
    qtype = raw.get("type") or ("single" if answerable else "unanswerable")
    if qtype not in QUESTION_TYPES and qtype != "beir":
        raise DatasetError(f"{where}: unknown type {qtype!r}; use one of {', '.join(QUESTION_TYPES)}")
    if answerable and not sources and not raw.get("draft"):
        raise DatasetError(f"{where}: an answerable question needs at least one entry in 'expected_sources'")
    if not answerable and (sources or facts):
        raise DatasetError(f"{where}: an unanswerable question must have empty 'expected_sources' and 'key_facts'")
    groups = raw.get("groups")
    if groups is not None:
        groups = frozenset(_strings(groups, "groups", where))
    relevance = raw.get("relevance") or {}
    if not isinstance(relevance, dict) or not all(isinstance(v, int) for v in relevance.values()):
        raise DatasetError(f"{where}: 'relevance' must map doc_id to an integer grade")
    history = raw.get("history") or []
    if not isinstance(history, list) or not all(
            isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
            and t["content"].strip() for t in history):
        raise DatasetError(f"{where}: 'history' must be a list of {{\"role\": \"user\" or \"assistant\", "
                           f"\"content\": text}} objects, oldest first")
    return Question(id=raw["id"].strip(), question=raw["question"].strip(), answerable=answerable,
                    expected_sources=tuple(sources), key_facts=tuple(facts),
                    reference_answer=str(raw.get("reference_answer") or ""), type=qtype, groups=groups,
                    draft=bool(raw.get("draft", False)), relevance={str(k): v for k, v in relevance.items()},
                    history=tuple((t["role"], t["content"].strip()) for t in history))


def _strings(value, name: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DatasetError(f"{where}: field {name!r} must be a list of non-empty strings")
    return [v.strip() for v in value]


def load_questions(path: Path) -> list[Question]:
    """Every question of a JSONL file (blank lines and lines starting with // are skipped); ids must be unique."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"questions file {path} does not exist: pass --dataset FILE (format: eval/README.md)")
    questions: list[Question] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{where}: not valid JSON ({exc.msg}); write one JSON object per line") from None
            question = parse_question(raw, where)
            if question.id in seen:
                raise DatasetError(f"{where}: duplicate id {question.id!r}; ids must be unique")
            seen.add(question.id)
            questions.append(question)
    if not questions:
        raise DatasetError(f"{path} holds no questions (format: eval/README.md)")
    return questions

