"""Content gaps and usage from the answer log: what found no answer (clustered by meaning), what people disliked,
which articles carry the load, how many questions a day. Shared by `ragqa insights`, GET /v1/insights and /admin.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from ragqa.service.api.review import Visibility, one_per_answer, with_answers

# Questions closer than this (cosine distance, average linkage) are one topic. Paraphrases of one question sit
# well inside it with all-MiniLM-L6-v2; unrelated questions well outside (tests/api/test_insights.py).
CLUSTER_DISTANCE = 0.55
MAX_CLUSTERED = 5000  # most recent abstained questions clustered (average linkage is quadratic in memory)


def cluster_questions(questions: list[str], embedder, *, distance: float = CLUSTER_DISTANCE) -> list[list[int]]:
    """Groups of indexes into `questions` that ask the same thing, largest group first."""
    if not questions:
        return []
    if len(questions) == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage

    vectors = np.asarray(embedder.embed_documents(questions), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    labels = fcluster(linkage(vectors, method="average", metric="cosine"), t=distance, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), min(g)))


def _gaps(rows: list[dict], embedder, limit: int) -> list[dict]:
    """Abstained questions clustered by meaning: count, a typical example, a few variants, last asked."""
    rows = [r for r in rows if r["abstained"]][:MAX_CLUSTERED]
    texts = [(r["standalone_question"] or r["question"]).strip() for r in rows]
    first_text: dict[str, str] = {}  # lower-cased question -> its first wording, in first-asked order
    for text in texts:
        first_text.setdefault(text.lower(), text)
    distinct = list(first_text)
    clusters = cluster_questions([first_text[t] for t in distinct], embedder) if embedder is not None else [
        [i] for i in range(len(distinct))]
    member_of = {t: ci for ci, members in enumerate(clusters) for t in (distinct[i] for i in members)}
    counts, last = Counter(), {}
    for row, text in zip(rows, texts, strict=True):
        ci = member_of[text.lower()]
        counts[ci] += 1
        last[ci] = max(last.get(ci, 0.0), row["created_at"])
    asked = Counter(t.lower() for t in texts)
    out = []
    for ci, members in enumerate(clusters):
        variants = sorted((distinct[i] for i in members), key=lambda t: -asked[t])
        out.append({"count": counts[ci], "example": first_text[variants[0]],
                    "variants": [first_text[v] for v in variants[:5]], "distinct": len(members),
                    "last_asked": _iso(last[ci])})
    out.sort(key=lambda c: (-c["count"], c["example"]))
    return out[:limit]


def _most_cited(rows: list[dict], visibility: Visibility, limit: int) -> tuple[list[dict], int]:
    """Articles by the answers citing them (once per answer); citations of articles the reader may not see are
    only counted."""
    counts = Counter(doc for r in rows if not r["abstained"] for doc in {c["doc_id"] for c in r["citations"]})
    shown, hidden = [], 0
    for doc_id, n in counts.most_common():
        article = visibility.article(doc_id)
        if article is None:
            hidden += n
        elif len(shown) < limit:
            shown.append({"doc_id": doc_id, "title": article.title, "url": article.url, "answers": n})
    return shown, hidden


def _per_day(rows: list[dict]) -> list[dict]:
    days: dict[str, list[int]] = {}
    for r in rows:
        day = time.strftime("%Y-%m-%d", time.gmtime(r["created_at"]))
        counts = days.setdefault(day, [0, 0])
        counts[0] += 1
        counts[1] += r["abstained"]
    return [{"day": d, "questions": q, "abstained": a} for d, (q, a) in sorted(days.items())]


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def build_insights(*, answers, feedback, visibility: Visibility, embedder, since: float | None = None,
                   until: float | None = None, limit: int = 20) -> dict:
    """Everything the insights views show, as plain JSON-ready data (passages never included)."""
    rows = answers.rows(since=since, until=until)
    cited, hidden = _most_cited(rows, visibility, limit)
    # One read of the window's feedback: each answer's latest rating by each caller counts, for the totals and
    # for the thumbs-down list alike (a rating changed to 'up' leaves that list).
    rated = one_per_answer(feedback.recent(limit=1_000_000, since=since, until=until))
    ratings = Counter(r["rating"] for r in rated)
    down = with_answers([r for r in rated if r["rating"] == "down"][:limit], answers=answers, visibility=visibility)
    for entry in down:  # the review list shows passages; the summary needs only which articles were cited
        entry["citations"] = [{k: c.get(k) for k in ("ref", "restricted", "doc_id", "title", "url")}
                              for c in entry.get("citations", [])]
    abstained = sum(r["abstained"] for r in rows)
    return {
        "window": {"since": _iso(since) if since else None, "until": _iso(until) if until else None,
                   "first_logged": _iso(rows[-1]["created_at"]) if rows else None},
        "totals": {"questions": len(rows), "abstained": abstained,
                   "abstention_rate": round(abstained / len(rows), 3) if rows else 0.0,
                   "thumbs_up": ratings.get("up", 0), "thumbs_down": ratings.get("down", 0)},
        "content_gaps": _gaps(rows, embedder, limit),
        "thumbs_down": down,
        "most_cited": cited,
        "citations_hidden": hidden,
        "per_day": _per_day(rows),
    }
