"""`ragqa eval` and `ragqa eval export-feedback`. Imports stay light: the work happens in the handlers."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ragqa.service.cli_help import examples
from ragqa.service.composition import build_answer_service, build_embedder, open_index

DEFAULT_DATASET = Path(__file__).resolve().parent / "questions.jsonl"


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "eval", help="score retrieval, citations, grounding and abstention on a question set",
        description="Runs every question through the real pipeline and writes results.json, summary.md and "
                    "report.html. Exit code 3 when a --fail-under/--fail-over gate fails.",
        **examples("ragqa eval --ingest corpus --out eval/reports",
                   "ragqa eval --fail-under ndcg@10=0.9 --baseline eval/reports/results.json"),
    )
    p.add_argument("--dataset", type=Path, default=None,
                   help="questions file, one JSON object per line (default eval/questions.jsonl; "
                        "format in eval/README.md)")
    p.add_argument("--beir", type=Path, metavar="DIR",
                   help="evaluate retrieval on a BEIR-layout folder instead (corpus.jsonl, queries.jsonl, qrels/)")
    p.add_argument("--split", default="test", help="qrels split in BEIR mode (default test)")
    p.add_argument("--out", type=Path, default=None, help="folder for the reports (default .ragqa/eval)")
    p.add_argument("--baseline", type=Path, metavar="RESULTS_JSON",
                   help="results.json of an earlier run: every metric is shown with its change")
    p.add_argument("--fail-under", action="append", default=[], metavar="METRIC=VALUE",
                   help="fail (exit 3) when METRIC is below VALUE, e.g. ndcg@10=0.8; repeatable")
    p.add_argument("--fail-over", action="append", default=[], metavar="METRIC=VALUE",
                   help="fail (exit 3) when METRIC is above VALUE, e.g. latency_p95_ms=3000; repeatable")
    p.add_argument("--llm", help="answer backend (default $RAGQA_LLM, else extractive)")
    p.add_argument("--judge", metavar="LLM",
                   help="also judge sentence support with this LLM backend (reported separately)")
    p.add_argument("--index", help="index directory (default $RAGQA_INDEX_DIR, else ./.ragqa/index); "
                                   "in BEIR mode where the dataset's index is built")
    p.add_argument("--ingest", nargs="+", metavar="PATH",
                   help="ingest these files/folders into the index first (incremental), e.g. --ingest corpus")
    p.add_argument("--limit", type=int, default=None, help="evaluate only the first N questions")
    p.set_defaults(func=cmd_eval)

    actions = p.add_subparsers(dest="eval_action", metavar="ACTION")
    e = actions.add_parser("export-feedback", help="turn thumbs-down feedback into draft evaluation cases",
                           description="Reads the API's feedback and answer log (RAGQA_DATABASE_URL, else the "
                                       "files under the data folder) and writes one draft question per thumbs-down "
                                       "answer (\"draft\": true) for a person to confirm.",
                           **examples("ragqa eval export-feedback --out drafts.jsonl"))
    e.add_argument("--out", type=Path, default=None, help="JSONL file to write (default: standard output)")
    e.add_argument("--data-dir", type=Path, default=None,
                   help="where the API keeps feedback (default $RAGQA_DATA_DIR; unused with RAGQA_DATABASE_URL)")
    e.set_defaults(func=cmd_export_feedback)

    p = subparsers.add_parser("bench-retrieval", help="nDCG@10 / recall / MRR on a BEIR-layout dataset",
                              **examples("ragqa bench-retrieval ../shared/datasets/scifact --limit 100 --json"))
    p.add_argument("beir_dir", metavar="BEIR_DIR")
    p.add_argument("--split", default="test")
    p.add_argument("--index", help="where to build the dataset's index (default: a cache folder beside it)")
    p.add_argument("--limit", type=int, default=None, help="evaluate only the first N queries")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench_retrieval)


def _fail(message: str) -> int:
    print(f"ragqa: error: {message}", file=sys.stderr)
    return 2


def cmd_eval(args: argparse.Namespace, *, embedder=None) -> int:
    """Handler of `ragqa eval`; `embedder` lets tests share one loaded model."""
    from ragqa.eval.dataset import DatasetError
    from ragqa.eval.gate import GATE_FAILED_EXIT, GateError, check_gates, parse_gate
    from ragqa.eval.report import BaselineError, compare, load_baseline, write_reports
    from ragqa.eval.runner import EvalAborted

    if args.limit is not None and args.limit < 1:
        return _fail("--limit must be at least 1")
    if args.beir and args.dataset:
        return _fail("use either --dataset (questions over your articles) or --beir DIR, not both")
    try:
        gates = [parse_gate(g, "under") for g in args.fail_under] + [parse_gate(g, "over") for g in args.fail_over]
        baseline = load_baseline(args.baseline) if args.baseline else None
        run = _run_beir(args, embedder) if args.beir else _run_questions(args, embedder)
    except (DatasetError, GateError, BaselineError, EvalAborted) as exc:
        return _fail(str(exc))
    if baseline is not None:
        run.baseline = compare(run.metrics, baseline)
    run.gates = check_gates(gates, run.metrics)
    out = args.out or Path(run.meta.get("data_dir", ".ragqa")) / "eval"
    paths = write_reports(run, out)
    print(_console_summary(run))
    print("\nreports: " + ", ".join(str(p) for p in paths.values()))
    failed = [g for g in run.gates if not g["passed"]]
    for gate in failed:
        print(f"quality gate failed: {gate['message']}", file=sys.stderr)
    return GATE_FAILED_EXIT if failed else 0


def _settings(args, **extra):
    from ragqa.settings import load_settings

    return load_settings(index_dir=args.index, llm=args.llm, **extra)


def _run_questions(args, embedder):
    from ragqa.eval.dataset import DatasetError, load_questions
    from ragqa.eval.grounding_judge import LLMJudge
    from ragqa.eval.runner import evaluate, print_progress
    from ragqa.index.errors import IndexStoreError
    from ragqa.service.llm.base import LLMError
    from ragqa.service.llm.registry import get_llm

    dataset = args.dataset or DEFAULT_DATASET
    questions = load_questions(dataset)
    drafts = sum(q.draft for q in questions)
    questions = [q for q in questions if not q.draft][: args.limit]
    if not questions:
        raise DatasetError(f"{dataset} holds only draft questions: confirm them (remove \"draft\") first")
    settings = _settings(args)
    embedder = embedder or build_embedder(settings)
    if args.ingest:
        _ingest(args.ingest, settings, embedder)
    manager = open_index(settings, embedder)
    try:
        version = manager.current()
    except IndexStoreError as exc:
        raise DatasetError(str(exc)) from None
    service = build_answer_service(settings, manager, embedder)
    judge = None
    if args.judge:
        if args.judge == "extractive":
            raise DatasetError("--judge needs a generative backend (e.g. openai, ollama); "
                               "the extractive answerer cannot judge entailment")
        try:
            judge = LLMJudge(get_llm(args.judge, settings, embedder))
        except LLMError as exc:
            raise DatasetError(f"cannot set up the judge: {exc}") from None
    meta = {"dataset": str(dataset), "drafts_skipped": drafts, "limit": args.limit,
            "index_dir": str(settings.index_dir), "index_version": version.version_id,
            "chunks": version.num_chunks, "articles": version.num_articles,
            "retrieval_mode": settings.retrieval_mode, "top_k": settings.top_k,
            "embedding_model": embedder.model_name, "data_dir": str(settings.data_dir)}
    try:
        return evaluate(questions, service=service, embedder=embedder, llm=args.llm or settings.llm, judge=judge,
                        meta=meta, progress=print_progress)
    except LLMError as exc:
        raise DatasetError(f"the answer backend failed: {exc}") from None


def _ingest(paths, settings, embedder) -> None:
    from ragqa.eval.dataset import DatasetError
    from ragqa.index.ingest import ingest_paths

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise DatasetError(f"--ingest: no such file or directory: {', '.join(missing)}")
    report = ingest_paths(paths, settings=settings, embedder=embedder)
    print(f"ingested: added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
          f"removed {report.removed}; {report.embedded} chunks embedded", file=sys.stderr)


def _run_beir(args, embedder):
    from ragqa.eval.beir import RetrievalOnly, build_beir_index, load_beir_questions
    from ragqa.eval.runner import evaluate, print_progress

    data = load_beir_questions(args.beir, split=args.split, limit=args.limit)
    settings = _settings(args)
    embedder = embedder or build_embedder(settings)
    print(f"indexing {len(data.articles)} documents of {data.name} (only new or changed ones are embedded)...",
          file=sys.stderr)
    settings, report = build_beir_index(data, settings=settings, embedder=embedder,
                                        index_dir=Path(args.index) if args.index else None)
    meta = {"dataset": str(args.beir), "split": data.split, "documents": len(data.articles),
            "index_dir": str(settings.index_dir), "index_version": report.version_id, "chunks": report.chunks,
            "retrieval_mode": settings.retrieval_mode, "embedding_model": embedder.model_name,
            "data_dir": str(settings.data_dir), "limit": args.limit}
    return evaluate(data.questions, service=RetrievalOnly(settings, embedder), embedder=embedder,
                    retrieval_only=True, depth=100, meta=meta, progress=print_progress)


def _console_summary(run) -> str:
    from ragqa.eval.report import fmt, fmt_delta

    lines = [f"{'metric':<24}{'value':>10}" + (f"{'baseline':>10}{'change':>9}" if run.baseline else "")]
    for name, value in run.metrics.items():
        if value is None:
            continue
        line = f"{name:<24}{fmt(name, value):>10}"
        if run.baseline:
            b = run.baseline.get(name, {})
            line += f"{fmt(name, b.get('baseline')):>10}{fmt_delta(name, b.get('delta')):>9}"
        lines.append(line)
    failed = sum(bool(q.get("failures")) for q in run.questions)
    lines.append(f"{failed} of {len(run.questions)} questions have failures (see the reports)")
    return "\n".join(lines)


def cmd_export_feedback(args: argparse.Namespace) -> int:
    from ragqa.eval.feedback_export import FeedbackExportError, export_feedback
    from ragqa.settings import load_settings

    try:
        result = export_feedback(load_settings(data_dir=args.data_dir), args.out)
    except FeedbackExportError as exc:
        return _fail(str(exc))
    notes = [f"{result.already_exported} already in the file"] if result.already_exported else []
    if result.without_question:
        notes.append(f"{result.without_question} thumbs-down without a recorded question skipped")
    print(f"wrote {result.written} draft case(s) from {result.store} to {args.out or 'standard output'}"
          + (f" ({'; '.join(notes)})" if notes else ""), file=sys.stderr)
    return 0


def cmd_bench_retrieval(args: argparse.Namespace) -> int:
    from ragqa.eval.bench_retrieval import run_beir_benchmark
    from ragqa.settings import load_settings

    settings = load_settings(index_dir=None)
    result = run_beir_benchmark(Path(args.beir_dir), split=args.split, settings=settings,
                                index_dir=Path(args.index) if args.index else None, limit_queries=args.limit)
    print(json.dumps(result, indent=2) if args.json else result["table"])
    return 0
