"""Finding 5: one owner per article. What the documents API adds, changes or deletes is never undone by a later
folder ingest; the file is reported as a conflict until an admin lets the file win (--take-files) or acts again
through the API. Real ingests of a temp folder and the same functions the /v1/documents routes call."""

from __future__ import annotations

import json

import pytest

from ragqa.index.ingest import delete_articles, ingest_paths, upsert_articles
from ragqa.index.loaders import article_from_text
from ragqa.index.reader import open_current


@pytest.fixture
def folder(tmp_path, settings_factory, embedder):
    docs = tmp_path / "docs"
    (docs / "hr").mkdir(parents=True)
    (docs / "hr" / "pay.md").write_text("# Pay\n\nSalaries are paid on the 25th. The bonus pool is 3 percent.\n")
    (docs / "leave.md").write_text("# Leave\n\nStaff have 25 days of annual leave each year.\n")
    (docs / "parking.md").write_text("# Parking\n\nStaff park in the north car park.\n")
    settings = settings_factory()
    report = ingest_paths([docs], settings=settings, embedder=embedder)
    assert report.added == 3 and not report.conflicts
    return docs, settings


def _state(settings) -> dict:
    version = open_current(settings.index_dir)
    try:
        return {a.doc_id: a for a in version.articles()}
    finally:
        version.close()


def test_an_api_restriction_survives_the_next_folder_ingest(folder, embedder):
    docs, settings = folder
    restricted = article_from_text("hr/pay", "# Pay\n\nSalaries are paid on the 25th.\n", acl=("hr",))
    assert upsert_articles([restricted], settings=settings, embedder=embedder).updated == 1
    again = ingest_paths([docs], settings=settings, embedder=embedder)  # the routine nightly ingest
    assert _state(settings)["hr/pay"].acl == ("hr",), "the folder ingest undid the admin's restriction"
    assert again.updated == again.added == again.removed == 0 and again.version_id is not None
    [conflict] = again.conflicts
    assert conflict["doc_id"] == "hr/pay" and conflict["api"] == "changed" and conflict["file_changed"] is False
    assert "--take-files hr/pay" in conflict["resolve"] and conflict["path"].endswith("pay.md")
    # The file changes afterwards: still the API's version, now flagged as a changed file.
    (docs / "hr" / "pay.md").write_text("# Pay\n\nSalaries are paid on the 24th. The bonus pool is 4 percent.\n")
    later = ingest_paths([docs], settings=settings, embedder=embedder)
    assert later.conflicts[0]["file_changed"] is True and later.updated == 0
    assert "24th" not in _state(settings)["hr/pay"].text
    # The admin lets the file win: the hold ends and the file's version (public) is indexed.
    taken = ingest_paths([docs], settings=settings, embedder=embedder, take_files=["hr/pay"])
    assert taken.updated == 1 and not taken.conflicts
    pay = _state(settings)["hr/pay"]
    assert "24th" in pay.text and pay.acl == ()
    assert not ingest_paths([docs], settings=settings, embedder=embedder).conflicts  # resolved for good


def test_an_api_deletion_stays_deleted(folder, embedder):
    docs, settings = folder
    assert delete_articles(["leave"], settings=settings, embedder=embedder).removed == 1
    for _ in range(2):  # every later ingest reports it, none re-adds it
        again = ingest_paths([docs], settings=settings, embedder=embedder)
        assert "leave" not in _state(settings)
        assert again.added == 0
        assert [(c["doc_id"], c["api"]) for c in again.conflicts] == [("leave", "deleted")]
    # Re-adding through the API is the API's call; a folder ingest then keeps that version too.
    upsert_articles([article_from_text("leave", "# Leave\n\nStaff have 30 days.\n")], settings=settings,
                    embedder=embedder)
    assert ingest_paths([docs], settings=settings, embedder=embedder).conflicts[0]["api"] == "changed"
    assert "30 days" in _state(settings)["leave"].text


def test_a_deleted_files_hold_ends_when_the_file_goes_too(folder, embedder):
    docs, settings = folder
    delete_articles(["parking"], settings=settings, embedder=embedder)
    (docs / "parking.md").unlink()
    assert not ingest_paths([docs], settings=settings, embedder=embedder).conflicts
    (docs / "parking.md").write_text("# Parking\n\nA new car park opened.\n")  # a genuinely new file later
    back = ingest_paths([docs], settings=settings, embedder=embedder)
    assert back.added == 1 and not back.conflicts and "parking" in _state(settings)


def test_take_files_for_a_vanished_file_removes_the_api_version(folder, embedder):
    docs, settings = folder
    upsert_articles([article_from_text("parking", "# Parking\n\nRow C has chargers.\n")], settings=settings,
                    embedder=embedder)
    (docs / "parking.md").unlink()
    kept = ingest_paths([docs], settings=settings, embedder=embedder, take_files=["nothing/here"])
    assert "parking" in _state(settings) and kept.removed == 0
    assert any("nothing/here" in note for note in kept.notes)


def test_api_only_articles_survive_folder_ingests(folder, tmp_path, embedder):
    docs, settings = folder
    upsert_articles([article_from_text("api/notice", "# Notice\n\nThe office closes on Friday.\n"),
                     article_from_text("leave-extra", "# Extra leave\n\nTwo extra days in 2026.\n")],
                    settings=settings, embedder=embedder)
    other = tmp_path / "other"
    other.mkdir()
    (other / "canteen.md").write_text("# Canteen\n\nThe canteen opens at noon.\n")
    ingest_paths([other], settings=settings, embedder=embedder)  # an unrelated folder
    ingest_paths([docs], settings=settings, embedder=embedder)  # the folder beside which they were added
    assert {"api/notice", "leave-extra", "canteen", "leave"} <= set(_state(settings))
    # A file that claims an API article's id is a conflict; the API's article stays.
    (docs / "api").mkdir()
    (docs / "api" / "notice.md").write_text("# Notice\n\nThe office stays open.\n")
    clash = ingest_paths([docs], settings=settings, embedder=embedder)
    assert [(c["doc_id"], c["api"], c["file_changed"]) for c in clash.conflicts] == [("api/notice", "added", True)]
    assert "closes on Friday" in _state(settings)["api/notice"].text


def test_cli_lists_conflicts_in_json_and_text(folder, tmp_path, embedder):
    from tests.api.helpers import run_cli

    docs, settings = folder
    delete_articles(["leave"], settings=settings, embedder=embedder)
    env = {"RAGQA_INDEX_DIR": str(settings.index_dir), "RAGQA_DATA_DIR": str(settings.data_dir)}
    out = run_cli(["ingest", str(docs), "--json"], env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert {"added", "updated", "unchanged", "removed", "chunks", "embedded"} <= set(report)  # the contract
    assert report["added"] == 0 and [c["doc_id"] for c in report["conflicts"]] == ["leave"]
    text = run_cli(["ingest", str(docs)], env=env, timeout=300)
    assert "conflict: leave was deleted through the API" in text.stderr and "--take-files leave" in text.stderr
    taken = run_cli(["ingest", str(docs), "--take-files", "leave", "--json"], env=env, timeout=300)
    assert json.loads(taken.stdout)["added"] == 1 and "leave" in _state(settings)
