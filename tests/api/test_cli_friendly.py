"""The CLI people like: --version, examples in every --help, readable or JSON logs, clear empty ingests."""

from __future__ import annotations

import io
import json
import logging

import pytest

from ragqa.service.api.logs import JsonFormatter, TextFormatter, choose_format, configure_logging, set_request_id
from tests.api.helpers import run_cli

COMMANDS = [[], ["ingest"], ["search"], ["ask"], ["serve"], ["keys"], ["keys", "create"], ["keys", "list"],
            ["keys", "revoke"], ["eval"], ["eval", "export-feedback"], ["bench-retrieval"], ["feedback"],
            ["feedback", "list"], ["insights"]]


def test_version():
    from importlib.metadata import version

    out = run_cli(["--version"])
    assert out.returncode == 0 and out.stdout.strip() == f"ragqa {version('ragqa')}"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ragqa")
def test_every_help_shows_examples(command):
    out = run_cli([*command, "--help"])
    assert out.returncode == 0, out.stderr
    assert "examples:\n" in out.stdout, out.stdout
    examples = out.stdout.split("examples:\n", 1)[1].splitlines()
    assert examples and all(line.startswith("  ragqa ") for line in examples if line.strip())
    if command:
        assert any(line.strip().startswith(f"ragqa {' '.join(command)}") for line in examples), examples


def test_serve_help_lists_log_format():
    out = run_cli(["serve", "--help"]).stdout
    assert "--log-format {auto,text,json}" in out


def test_feedback_and_insights_refuse_a_bad_date_in_one_line(tmp_path):
    for command in (["feedback", "list"], ["insights"]):
        out = run_cli([*command, "--since", "last week", "--data-dir", str(tmp_path)])
        assert out.returncode == 2 and "since must be a date as YYYY-MM-DD" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
    out = run_cli(["feedback", "list", "--data-dir", str(tmp_path)])
    assert out.returncode == 0 and "No feedback yet" in out.stderr
    out = run_cli(["insights", "--data-dir", str(tmp_path), "--index", str(tmp_path / "none")])
    assert out.returncode == 0 and "0 questions" in out.stdout, out.stderr


def test_ingest_of_an_empty_folder_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    out = run_cli(["ingest", str(tmp_path / "empty"), "--index", str(tmp_path / "index")])
    assert out.returncode == 2 and "No articles to ingest" in out.stderr and "no files at all" in out.stderr
    assert not (tmp_path / "index").exists(), "no index version is written for a run that found nothing"
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "logo.png").write_bytes(b"\x89PNG")
    out = run_cli(["ingest", str(tmp_path / "pictures"), "--index", str(tmp_path / "index")])
    assert out.returncode == 2 and "only 1 file(s) of other types" in out.stderr and ".md" in out.stderr


@pytest.mark.integration
def test_ingest_of_unreadable_files_says_nothing_was_indexed(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.pdf").write_bytes(b"\x00\x01 not a pdf")
    out = run_cli(["ingest", str(tmp_path / "docs"), "--index", str(tmp_path / "index")])
    assert out.returncode == 1
    assert "could not read" in out.stderr and "broken.pdf" in out.stderr
    assert "nothing was indexed: none of the 1 article file(s) could be read" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_format_auto_is_text_on_a_terminal_and_json_elsewhere():
    assert choose_format("auto", _Tty()) == "text" and choose_format("auto", io.StringIO()) == "json"
    assert choose_format("json", _Tty()) == "json" and choose_format("text", io.StringIO()) == "text"


def test_text_and_json_log_lines(restore_logging, capsys):
    record = logging.LogRecord("ragqa.api", logging.INFO, __file__, 1, "served %s", ("/v1/ask",), None)
    record.status = 200
    token = set_request_id("req-1")
    try:
        text = TextFormatter().format(record)
        data = json.loads(JsonFormatter().format(record))
    finally:
        from ragqa.service.api.logs import reset_request_id

        reset_request_id(token)
    assert "INFO" in text and "served /v1/ask" in text and "request_id=req-1" in text and "status=200" in text
    assert not text.lstrip().startswith("{")
    assert data["msg"] == "served /v1/ask" and data["request_id"] == "req-1" and data["status"] == 200
    configure_logging("info", "text")
    logging.getLogger("ragqa.test").info("hello %s", "there")
    assert "hello there" in capsys.readouterr().err
