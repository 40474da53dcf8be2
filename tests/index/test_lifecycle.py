"""Article lifecycle: front matter read strictly, banners recognised, stored in the index, noticed on re-ingest."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from ragqa.index.files import list_versions, read_pointer
from ragqa.index.ingest import ingest_paths
from ragqa.index.lifecycle import UPCOMING, status_on
from ragqa.index.loaders import LoadError, article_from_text, load_paths
from ragqa.service.composition import open_index


def _md(front: str, body: str = "# Rates\n\nThe daily rate is 80 euros.") -> str:
    return f"---\n{front}\n---\n{body}\n"


def test_front_matter_lifecycle_is_carried_into_the_article():
    article = article_from_text("travel/rates-2024", _md(
        "title: Rates 2024\nStatus: Superseded\nSuperseded-By: travel/rates-2026\neffective: 2024-03-01\n"
        "valid_until: 2026-01-31\nupdated: 2024-02-01"))
    assert (article.status, article.superseded_by, article.effective, article.valid_until, article.updated) == (
        "superseded", "travel/rates-2026", "2024-03-01", "2026-01-31", "2024-02-01")


@pytest.mark.parametrize(("front", "message"), [
    ("status: retired", "`status` must be one of current, superseded, draft, got 'retired'"),
    ("status: [current]", "`status` must be one of"),
    ("effective: next spring", "`effective` must be a date written YYYY-MM-DD (for example 2026-02-01), got 'next"),
    ("valid_until: 2026-02-30", "impossible value (day is out of range for month); write dates as real days"),
    ("valid_until: 31/01/2026", "`valid_until` must be a date written YYYY-MM-DD"),
    ("effective: 2026-02-01\nvalid_until: 2025-01-01", "is before `effective`"),
    ("superseded_by: [a, b]", "`superseded_by` must be one doc id or title"),
])
def test_bad_lifecycle_values_are_refused_with_the_fix(front, message):
    with pytest.raises(LoadError) as info:
        article_from_text("x", _md(front))
    assert message in str(info.value)


def test_a_banner_or_title_marks_an_unmarked_article_superseded_and_status_wins():
    banner = "> **Superseded.** These rates applied until January 2026.\n\n# Rates\n\nThe rate is 70 euros."
    assert article_from_text("a", _md("title: Rates", banner)).status == "superseded"
    assert article_from_text("b", _md("title: Rates (2024, archived)")).status == "superseded"
    assert article_from_text("c", _md("title: Rates")).status == "current"
    assert article_from_text("d", _md("title: Rates\nstatus: current", banner)).status == "current"
    # Naming the replacement is enough to say it was replaced.
    assert article_from_text("e", _md("title: Rates\nsuperseded_by: Rates 2026")).status == "superseded"
    # The banner is read at the top only: a later mention of an archive is not a banner.
    late = "# Rates\n\n" + "The daily rate is 80 euros. " * 40 + "Old claims are archived for seven years."
    assert article_from_text("f", _md("title: Rates", late)).status == "current"


def test_a_banner_linking_to_the_replacement_names_it():
    banner = ("> **Superseded.** For trips from February 2026 use the [2026 rates](https://intranet.example/rates-2026)."
              "\n\n# Rates\n\nThe rate is 70 euros.")
    article = article_from_text("a", _md("title: Rates", banner))
    assert (article.status, article.superseded_by) == ("superseded", "https://intranet.example/rates-2026")
    given = article_from_text("b", _md("title: Rates\nsuperseded_by: rates-2026", banner))
    assert given.superseded_by == "rates-2026"  # front matter wins
    unmarked = "See the [2026 rates](https://intranet.example/rates-2026).\n\n# Rates\n\nThe rate is 70 euros."
    assert article_from_text("c", _md("title: Rates", unmarked)).superseded_by is None  # no banner, no successor


def test_query_time_status_follows_the_dates():
    today = dt.date(2026, 6, 1)
    assert status_on("current", None, "2026-05-31", today) == "superseded"
    assert status_on("current", "2026-06-02", None, today) == UPCOMING
    assert status_on("current", "2026-06-01", "2026-06-01", today) == "current"
    assert status_on("superseded", None, None, today) == "superseded"


def test_drafts_are_not_indexed_and_an_upload_says_how_to_publish(tmp_path):
    (tmp_path / "draft.md").write_text(_md("title: New rates\nstatus: draft"), encoding="utf-8")
    (tmp_path / "live.md").write_text(_md("title: Live rates", "# Live\n\nThe live rate is 90 euros."),
                                      encoding="utf-8")
    result = load_paths([tmp_path])
    assert [a.doc_id for a in result.articles] == ["live"]
    assert any("draft.md" in s for s in result.skipped)
    assert any("status draft, not indexed" in n for n in result.notes)
    with pytest.raises(LoadError, match="drafts are not indexed: set `status: current`"):
        article_from_text("x", _md("status: draft"))


def test_lifecycle_is_stored_and_a_status_change_is_noticed_on_re_ingest(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    docs = tmp_path / "docs"
    docs.mkdir()
    path = docs / "rates.md"
    path.write_text(_md("title: Rates\nupdated: 2024-02-01"), encoding="utf-8")
    (docs / "other.md").write_text(_md("title: Other", "# Other\n\nBadges are renewed yearly."), encoding="utf-8")
    ingest_paths([docs], settings=settings, embedder=embedder)
    assert open_index(settings, embedder).current().article("rates").status == "current"

    path.write_text(_md("title: Rates\nupdated: 2024-02-01\nstatus: superseded\nsuperseded_by: rates-2026\n"
                        "valid_until: 2026-01-31"), encoding="utf-8")
    report = ingest_paths([docs], settings=settings, embedder=embedder)
    assert (report.updated, report.unchanged, report.embedded) == (1, 1, 0)  # text unchanged: vectors reused
    stored = open_index(settings, embedder).current().article("rates")
    assert (stored.status, stored.superseded_by, stored.valid_until) == ("superseded", "rates-2026", "2026-01-31")

    # Turning it into a draft withdraws it from the index.
    path.write_text(_md("title: Rates\nstatus: draft"), encoding="utf-8")
    ingest_paths([docs], settings=settings, embedder=embedder)
    assert open_index(settings, embedder).current().article("rates") is None


def test_a_version_written_before_lifecycles_opens_as_current(tmp_path, settings_factory, embedder):
    settings = settings_factory()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rates.md").write_text(_md("title: Rates\nstatus: superseded"), encoding="utf-8")
    ingest_paths([docs], settings=settings, embedder=embedder)
    version = settings.index_dir / "versions" / read_pointer(settings.index_dir)
    assert list_versions(settings.index_dir)
    # Rewrite the articles table in the older layout (no lifecycle columns), keeping everything else.
    db = version / "meta.sqlite"
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE old AS SELECT doc_id, title, source, url, updated, acl, sha256, root, text FROM articles;
        DROP TABLE articles; ALTER TABLE old RENAME TO articles;""")
    con.commit()
    con.close()
    _rechecksum(version, db)
    stored = open_index(settings, embedder).current().article("rates")
    assert stored is not None and stored.status == "current" and stored.superseded_by is None


def _rechecksum(version, db) -> None:
    """Update the manifest's size and checksum of meta.sqlite (the version validates its files on open)."""
    from ragqa.index.files import sha256_file

    manifest_path = version / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"][db.name] |= {"sha256": sha256_file(db), "bytes": db.stat().st_size}
    manifest_path.write_text(json.dumps(manifest))
