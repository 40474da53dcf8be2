"""Feedback joined to its logged answer, shown to a reader as that reader's groups allow.

The log holds ids; passages, titles and answer texts are looked up in the index at review time, and only for
articles the reader may read. An answer that cites an article the reader may not read is withheld (its sentences
come from that article); a citation of such an article shows neither title nor passage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("ragqa.review")

ArticleLookup = Callable[[str], object]  # doc_id -> Article | None
WITHHELD = "(withheld: this answer cites articles restricted to groups you are not in)"


def current_articles(index_dir: Path) -> ArticleLookup:
    """doc_id -> Article in the index version CURRENT names, without loading the model (for the CLI)."""
    from ragqa.index.files import VERSIONS, read_pointer
    from ragqa.index.reader import IndexVersion

    pointer = read_pointer(Path(index_dir))
    if pointer is None:
        return lambda doc_id: None
    return IndexVersion.open(Path(index_dir) / VERSIONS / pointer).article


def served_visibility(index, groups: frozenset[str] | None) -> Visibility:
    """What a reader may see, judged against the index version the server is serving now."""
    return Visibility(lambda doc_id: index.current().article(doc_id), groups)


class Visibility:
    """What one reader may see of logged answers; `groups=None` is an unrestricted local operator."""

    def __init__(self, articles: ArticleLookup, groups: frozenset[str] | None):
        self._articles, self.groups = articles, groups
        self._cache: dict[str, object] = {}

    def article(self, doc_id: str):
        """The article if it is still indexed and this reader may read it, else None (fails closed)."""
        if doc_id not in self._cache:
            try:
                self._cache[doc_id] = self._articles(doc_id)
            except Exception as exc:  # no index, a damaged one: show nothing rather than guess
                log.warning("review: could not look up %s: %s", doc_id, exc)
                self._cache[doc_id] = None
        found = self._cache[doc_id]
        return found if found is not None and found.readable_by(self.groups) else None

    def citations(self, cited: list[dict]) -> tuple[list[dict], bool]:
        """The citations this reader may see (title, source, passage), and whether any were hidden."""
        shown, hidden = [], False
        for c in cited:
            article = self.article(c["doc_id"])
            if article is None:
                hidden = True
                shown.append({"ref": c["ref"], "restricted": True})
                continue
            shown.append({"ref": c["ref"], "doc_id": c["doc_id"], "chunk_id": c["chunk_id"], "title": article.title,
                          "source": article.source, "url": article.url, "text": article.text[c["start"]:c["end"]],
                          "restricted": False})
        return shown, hidden

    def answer(self, row: dict) -> dict:
        """The logged answer as this reader may see it."""
        citations, hidden = self.citations(row["citations"])
        return {"question": row["question"], "standalone_question": row["standalone_question"],
                "answer": WITHHELD if hidden else row["answer"], "answer_withheld": hidden,
                "citations": citations, "abstained": row["abstained"], "grounded": row["grounded"],
                "llm": row["llm"], "index_version": row["index_version"], "asked_by": row["caller"]}


def one_per_answer(rows: list[dict]) -> list[dict]:
    """One entry per (answer, caller): the widget sends a rating, then the same rating with a comment."""
    out: dict[tuple, dict] = {}
    for row in rows:  # newest first
        key = (row["request_id"], row["caller"])
        if key not in out:
            out[key] = dict(row)
        elif not out[key].get("comment") and row.get("comment") and row["rating"] == out[key]["rating"]:
            out[key]["comment"] = row["comment"]
    return list(out.values())


def feedback_with_answers(*, feedback, answers, visibility: Visibility, limit: int = 100, **filters) -> list[dict]:
    """Feedback newest first (filters: request_id, rating, since, until), each with its logged answer if kept."""
    return with_answers(one_per_answer(feedback.recent(limit=limit * 2, **filters))[:limit], answers=answers,
                        visibility=visibility)


def with_answers(rows: list[dict], *, answers, visibility: Visibility) -> list[dict]:
    """Feedback rows, each with its logged answer (as `visibility` lets the reader see it) if the log kept it."""
    logged = {r["request_id"]: r for r in answers.rows(request_ids=[r["request_id"] for r in rows])} if rows else {}
    out = []
    for row in rows:
        answer = logged.get(row["request_id"])
        out.append(row | {"logged": answer is not None} | (visibility.answer(answer) if answer else {}))
    return out


def day_window(since: str | None, until: str | None) -> dict:
    """{"since": epoch, "until": epoch} for the UTC days YYYY-MM-DD given (`until` inclusive); ValueError says why."""
    import calendar
    import time

    window = {}
    for name, value, extra in (("since", since, 0), ("until", until, 86400)):
        if value:
            try:
                window[name] = calendar.timegm(time.strptime(value.strip(), "%Y-%m-%d")) + extra
            except ValueError:
                raise ValueError(f"{name} must be a date as YYYY-MM-DD, like 2026-01-31; got {value!r}") from None
    if "since" in window and "until" in window and window["since"] >= window["until"]:
        raise ValueError(f"since ({since}) is after until ({until})")
    return window
