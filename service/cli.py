"""The `ragqa` command. Heavy modules are imported inside handlers so `ragqa --help` stays instant."""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib.metadata import entry_points
from pathlib import Path

from ragqa.service.cli_help import examples
from ragqa.service.composition import build_components, build_embedder, open_index

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class UsageError(Exception):
    """A problem the user can fix; printed without a traceback."""


def settings_from(args: argparse.Namespace, **extra):
    from ragqa.settings import load_settings

    return load_settings(index_dir=getattr(args, "index", None), **extra)


def _groups(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(g.strip() for g in value.split(",") if g.strip())


# --- ingest ------------------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace) -> int:
    from ragqa.index.ingest import ingest_paths

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"No such file or directory: {', '.join(missing)}")
    if not args.allow_empty:
        _refuse_without_articles(args.paths)
    settings = settings_from(args)
    ray_address = _ray_address(args.ray, settings)
    if ray_address is not None:
        from ragqa.index.ray_ingest import require_ray

        require_ray()  # before the model loads: a missing extra is said at once
    embedder = build_embedder(settings)
    report = ingest_paths(args.paths, settings=settings, embedder=embedder, progress=not args.json,
                          take_files=args.take_files, ray_address=ray_address)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
            f"removed {report.removed}; {report.chunks} chunks in the index, {report.embedded} embedded now"
            + (f" ({report.reused} unchanged chunks of updated articles reused)" if report.reused else "")
        )
        print(f"index version {report.version_id} at {settings.index_dir}")
        if report.cluster is not None:
            c = report.cluster
            print(f"on Ray at {c['address']}: " + (
                f"{c['articles']} articles in {c['tasks']} tasks, {c['chunks']} chunks embedded by {c['workers']} "
                f"workers on {c['nodes']} nodes" if c["tasks"] else "nothing new or changed, nothing sent"))
        for f in report.failures:
            print(f"  could not read {f['path']}: {f['reason']}", file=sys.stderr)
        for d in report.duplicates:
            print(f"  duplicate: {d['path']} has the same content as {d['duplicate_of']} (skipped)", file=sys.stderr)
        for e in report.empty:
            print(f"  empty: {e} (nothing to index)", file=sys.stderr)
        for c in report.conflicts:
            print(f"  conflict: {c['doc_id']} was {c['api']} through the API and {c['path']} "
                  f"{'differs' if c['file_changed'] else 'is still there'}: {c['resolve']}", file=sys.stderr)
        for note in report.notes:
            print(f"  note: {note}", file=sys.stderr)
    if report.failures and not (report.added or report.updated or report.unchanged):
        if not args.json:
            print(f"ragqa: error: nothing was indexed: none of the {len(report.failures)} article file(s) could be "
                  "read (reasons above). Fix or re-export them, then run the ingest again.", file=sys.stderr)
        return 1
    return 0


def _ray_address(flag: str | None, settings) -> str | None:
    """--ray ADDRESS, else --ray alone or RAGQA_RAY_ADDRESS: the configured address, else Ray's own `auto`."""
    if flag:
        return flag
    if flag is None and not settings.ray_address:
        return None
    return settings.ray_address or "auto"


def _refuse_without_articles(paths: list[str]) -> None:
    """Refuse, before loading the model, a run that would find no article at all (a wrong or empty folder)."""
    from ragqa.index.loaders import SUPPORTED_SUFFIXES

    others = 0
    for raw in paths:
        path = Path(raw)
        for f in path.rglob("*") if path.is_dir() else [path]:
            if f.is_file():
                if f.suffix.lower() in SUPPORTED_SUFFIXES:
                    return
                others += 1
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    found = f"only {others} file(s) of other types" if others else "no files at all"
    raise UsageError(f"No articles to ingest in {', '.join(paths)}: found {found}; articles are {kinds} files. "
                     "Check the path. (To remove every article that came from these paths, pass --allow-empty.)")


# --- search ------------------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:

    settings = settings_from(args)
    if not 1 <= args.k <= settings.max_top_k:
        raise UsageError(f"-k must be between 1 and {settings.max_top_k}")
    manager = open_index(settings, build_embedder(settings))
    hits = manager.retriever().search(args.query, k=args.k, groups=_groups(args.groups))
    if args.json:
        print(json.dumps([_hit_json(h) for h in hits], indent=2))
        return 0
    if not hits:
        print("No passages found.")
    for rank, hit in enumerate(hits, start=1):
        where = " > ".join(hit.chunk.headings)
        print(f"{rank}. {hit.title}  [{hit.doc_id}]  score {hit.score:.4f}")
        print(f"   {hit.url or hit.source}{'  § ' + where if where else ''}")
        snippet = " ".join(hit.chunk.text.split())
        print(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}\n")
    return 0


def _hit_json(hit) -> dict:
    c = hit.chunk
    return {
        "doc_id": c.doc_id, "chunk_id": c.chunk_id, "title": hit.title, "source": hit.source, "url": hit.url,
        "headings": list(c.headings), "text": c.text, "start": c.start, "end": c.end, "score": hit.score,
        "dense_score": hit.dense_score, "keyword_score": hit.keyword_score,
        "dense_rank": hit.dense_rank, "keyword_rank": hit.keyword_rank,
    }


# --- ask ---------------------------------------------------------------------------------------------


def cmd_ask(args: argparse.Namespace) -> int:

    settings = settings_from(args, llm=args.llm)
    embedder = build_embedder(settings)
    service = build_components(settings, embedder=embedder).answers
    answer = service.answer(args.question, top_k=args.k, groups=_groups(args.groups))
    _print_answer(answer, args.json)
    from ragqa.service.api.log_commands import log_cli_answer

    log_cli_answer(settings, answer, question=args.question, groups=_groups(args.groups))
    return 0


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(answer.model_dump_json(indent=2), flush=True)
        return
    print(answer.answer)
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            where = " > ".join(c.headings)
            print(f"  [{c.ref}] {c.title} — {c.url or c.source}{'  § ' + where if where else ''} "
                  f"(chars {c.start}-{c.end})")
    if not answer.abstained and not answer.grounded:
        print("\nWarning: some sentences are not supported by the cited passages.")
    sys.stdout.flush()


# --- wiring --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ragqa", description="Answers questions from your articles, with citations.",
        **examples("ragqa ingest corpus", "ragqa ask \"How many days of annual leave do Leeds staff get?\"",
                   "ragqa serve --port 8000", "ragqa COMMAND --help   (examples for each command)"))
    parser.add_argument("--version", action="version", version=f"ragqa {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    index_help = "index directory (default $RAGQA_INDEX_DIR, else ./.ragqa/index)"

    p = sub.add_parser("ingest", help="add, update and remove articles in the index",
                       **examples("ragqa ingest corpus",
                                  "ragqa ingest policies/ handbook.pdf --index /srv/ragqa/index",
                                  "ragqa ingest corpus --ray 10.0.0.5:6379   (chunk and embed on a Ray cluster)"))
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (.md .txt .html .pdf .docx)")
    p.add_argument("--index", help=index_help)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--take-files", nargs="+", default=[], metavar="DOC_ID",
                   help="let these articles' files win over changes and deletions made through the documents API "
                        "(listed as conflicts otherwise)")
    p.add_argument("--allow-empty", action="store_true",
                   help="run even when the paths hold no article files (removes the articles that came from them)")
    p.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                   help="chunk and embed new and changed articles on a Ray cluster (head address host:port; alone: "
                        "$RAGQA_RAY_ADDRESS, else the cluster started on this machine). Needs 'ragqa[ray]'")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="print the passages that best match a query",
                       **examples("ragqa search \"expense claims deadline\"", "ragqa search \"vpn\" -k 3 --json"))
    p.add_argument("query")
    p.add_argument("--index", help=index_help)
    p.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    p.add_argument("--groups", help="search as a user in these comma-separated groups (default: unrestricted)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question with cited sources",
                       **examples("ragqa ask \"How do I book business travel?\"",
                                  "ragqa ask \"What is the salary review budget?\" --groups hr --json"))
    p.add_argument("question")
    p.add_argument("--index", help=index_help)
    p.add_argument("--llm", help="answer backend (default $RAGQA_LLM, else extractive)")
    p.add_argument("-k", type=int, default=None, help="passages to retrieve")
    p.add_argument("--groups", help="answer as a user in these comma-separated groups (default: unrestricted)")
    p.add_argument("--json", action="store_true", help="print the answer object as JSON")
    p.set_defaults(func=cmd_ask)

    # Further commands (keys, eval, bench-retrieval) come from the layers that own them, through entry points
    # (group ragqa.commands): the CLI never imports eval/, which sits on top of the service.
    for entry in sorted(entry_points(group="ragqa.commands"), key=lambda e: e.name):
        entry.load()(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ragqa")
    except PackageNotFoundError:
        return "unknown (not installed)"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted; the index is unchanged unless a new version was reported", file=sys.stderr)
        return 130
    except Exception as exc:  # our errors carry their fix; anything else still gets one line, not a traceback
        if os.environ.get("RAGQA_DEBUG") == "1":
            raise
        from ragqa.index.embedding import EmbeddingError
        from ragqa.index.errors import IndexStoreError
        from ragqa.service.api.database import DatabaseUnavailable
        from ragqa.service.llm.base import LLMError

        known = (UsageError, IndexStoreError, EmbeddingError, LLMError, DatabaseUnavailable)
        detail = str(exc) if isinstance(exc, known) else f"{type(exc).__name__}: {exc} (RAGQA_DEBUG=1 shows details)"
        print(f"ragqa: error: {detail}", file=sys.stderr)
        return 2

if __name__ == "__main__":
    sys.exit(main())
