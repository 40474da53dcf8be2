"""Fixtures of the eval tests: the mini corpus of mini_corpus.py ingested once, and a parser for `ragqa eval`."""

from __future__ import annotations

import pytest

from tests.eval.mini_corpus import write_corpus, write_questions


@pytest.fixture(scope="session")
def mini_index(tmp_path_factory, embedder):
    """Settings of an index over the mini corpus (16 articles, one restricted to the `security` group)."""
    from ragqa.index.ingest import ingest_paths
    from ragqa.settings import Settings

    root = tmp_path_factory.mktemp("mini")
    settings = Settings(index_dir=root / "index", data_dir=root / "data")
    report = ingest_paths([write_corpus(root / "corpus")], settings=settings, embedder=embedder)
    assert report.added == 16 and not report.failures, report.as_dict()
    return settings


@pytest.fixture
def mini_questions(tmp_path):
    return write_questions(tmp_path / "questions.jsonl")


@pytest.fixture
def eval_cli(embedder, monkeypatch):
    """Runs `ragqa eval ARGS...` in this process with the session's embedder; returns the exit code."""
    from ragqa.eval.commands import cmd_eval
    from ragqa.service.cli import build_parser

    monkeypatch.delenv("RAGQA_RETRIEVAL_MODE", raising=False)

    def run(*argv: str) -> int:
        args = build_parser().parse_args(["eval", *argv])
        return args.func(args, embedder=embedder) if args.func is cmd_eval else args.func(args)

    return run
