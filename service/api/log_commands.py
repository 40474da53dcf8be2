"""`ragqa feedback list` and `ragqa insights`, read from the answer log and feedback under the data folder.

The CLI runs as the local operator, who can read the store's files anyway: it shows everything unless --groups
names the reader to show it as (then restricted passages, titles and answers are withheld as in the API).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
import textwrap
from pathlib import Path

from ragqa.service.cli_help import examples

log = logging.getLogger("ragqa.answer_log")


def local_caller(kind: str) -> str:
    """Who asked, for an answer given outside the HTTP API: 'cli:alice', 'mcp:alice'."""
    return f"{kind}:{getpass.getuser()}"


def log_cli_answer(settings, answer, *, question: str, groups) -> None:
    """Record a `ragqa ask` answer (after it was printed); a failure is a warning, never an error."""
    try:
        from ragqa.service.api.answer_log import AnswerLog, entry_for

        answer_log = AnswerLog.for_settings(settings)
        if answer_log is None:
            return
        # One answer: written here, not through the server's queue and writer thread (which batch many).
        answer_log.store.insert([entry_for(answer, caller=local_caller("cli"), groups=groups, question=question)])
        answer_log.purge_if_due()
    except Exception as exc:
        log.warning("could not log the answer: %s", exc)


def _reader(args: argparse.Namespace):
    from ragqa.service.api.answer_log import AnswerStore
    from ragqa.service.api.feedback import FeedbackStore
    from ragqa.service.api.review import Visibility, current_articles, day_window
    from ragqa.service.cli import UsageError
    from ragqa.settings import load_settings

    settings = load_settings(index_dir=args.index, data_dir=args.data_dir)
    try:
        window = day_window(args.since, args.until)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    groups = None if args.groups is None else frozenset(g.strip() for g in args.groups.split(",") if g.strip())
    visibility = Visibility(current_articles(settings.index_dir), groups)
    return settings, AnswerStore.for_settings(settings), FeedbackStore.for_settings(settings), visibility, window


def cmd_feedback_list(args: argparse.Namespace) -> int:
    from ragqa.service.api.review import feedback_with_answers

    _, answers, feedback, visibility, window = _reader(args)
    if feedback.path is not None and not feedback.path.exists():
        print(f"No feedback yet ({feedback.path} does not exist).", file=sys.stderr)
        return 0
    rows = feedback_with_answers(feedback=feedback, answers=answers, visibility=visibility, limit=args.limit,
                                 rating=args.rating, **window)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No feedback matches.")
    for r in rows:
        rating = "DOWN" if r["rating"] == "down" else "up  "
        print(f"{r['created_at']}  {rating}  {r['caller']}  request {r['request_id']}")
        if r.get("comment"):
            print(f"  comment:  {r['comment']}")
        if not r["logged"]:
            print("  (answer no longer in the log)")
        else:
            print(f"  question: {r['question']}")
            print(textwrap.indent(textwrap.fill(r["answer"], 100), "  answer:   ").replace("\n  answer:   ",
                                                                                          "\n            "))
            for c in r["citations"]:
                print(f"    [{c['ref']}] " + ("(restricted article)" if c["restricted"] else
                                               f"{c['title']}  [{c['doc_id']}]"))
        print()
    return 0


def cmd_insights(args: argparse.Namespace) -> int:
    from ragqa.service.api.insights import build_insights

    settings, answers, feedback, visibility, window = _reader(args)
    embedder = None
    if answers.rows(abstained=True, limit=2, **window):  # the model only when there is something to cluster
        from ragqa.service.composition import build_embedder

        embedder = build_embedder(settings)
    data = build_insights(answers=answers, feedback=feedback, visibility=visibility, embedder=embedder,
                          limit=args.limit, **window)
    if args.html:
        from ragqa.service.api.insights_html import render_page

        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(render_page(data), encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif not args.html:
        print(render_text(data))
    return 0


def _table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def _cut(text: str, n: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render_text(data: dict) -> str:
    """The terminal view: totals, then one table per list."""
    t = data["totals"]
    sections = [
        ("Content gaps (unanswered questions by topic)", ["asked", "example", "variants"],
         [[g["count"], _cut(g["example"]), g["distinct"]] for g in data["content_gaps"]]),
        ("Answers rated not helpful", ["when", "question", "comment"],
         [[f["created_at"][:10], _cut(f.get("question") or "(not logged)", 50), _cut(f.get("comment") or "", 40)]
          for f in data["thumbs_down"]]),
        ("Most cited articles", ["answers", "article", "doc id"],
         [[c["answers"], _cut(c["title"], 50), c["doc_id"]] for c in data["most_cited"]]),
        ("Questions per day", ["day", "questions", "unanswered"],
         [[d["day"], d["questions"], d["abstained"]] for d in data["per_day"]]),
    ]
    out = [f"{t['questions']} questions, {t['abstained']} unanswered ({100 * t['abstention_rate']:.0f}%); "
           f"feedback: {t['thumbs_up']} helpful, {t['thumbs_down']} not helpful"]
    for title, headers, rows in sections:
        out += ["", title, _table(headers, rows) if rows else "  none"]
        if title.startswith("Most cited") and data["citations_hidden"]:
            out.append(f"  ({data['citations_hidden']} citations of articles restricted from these groups not shown)")
    return "\n".join(out)


def register(subparsers) -> None:
    """Add `feedback list` and `insights` to the ragqa command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="where the server keeps feedback and the answer log "
                                           "(default $RAGQA_DATA_DIR, else ./.ragqa)")
    common.add_argument("--index", help="index whose articles the citations point into (default $RAGQA_INDEX_DIR)")
    common.add_argument("--since", help="first UTC day, YYYY-MM-DD")
    common.add_argument("--until", help="last UTC day, YYYY-MM-DD")
    common.add_argument("--groups", help="show as a reader in these comma-separated groups: answers citing "
                                         "articles they may not read are withheld (default: the operator sees all)")
    common.add_argument("--json", action="store_true", help="print JSON")

    fb = subparsers.add_parser("feedback", help="review feedback with the answers it rates",
                               **examples("ragqa feedback list --rating down", "ragqa feedback list --json"))
    sub = fb.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    p = sub.add_parser("list", parents=[common], help="feedback newest first, with question, answer and citations",
                       **examples("ragqa feedback list --rating down --since 2026-01-01"))
    p.add_argument("--rating", choices=["up", "down"], help="only this rating")
    p.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    p.set_defaults(func=cmd_feedback_list)

    p = subparsers.add_parser("insights", parents=[common],
                              help="content gaps, disliked answers, most cited articles, questions per day",
                              **examples("ragqa insights", "ragqa insights --since 2026-01-01 --html insights.html"))
    p.add_argument("--html", type=Path, metavar="FILE",
                   help="also write an HTML page with charts (self-contained, works offline)")
    p.add_argument("--limit", type=int, default=20, help="rows per list (default 20)")
    p.set_defaults(func=cmd_insights)
