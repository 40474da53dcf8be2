"""Permissions fail closed at load: an article whose audience is stated in a way we cannot read with certainty
is refused with a reason (and the rest of the batch goes on), never indexed as public. Each variant below was
once ingested silently as public (red-team issue 21); each must now be refused or come out restricted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ragqa.index.loaders import LoadError, article_from_text, load_paths
from ragqa.service.composition import build_answer_service, build_components, open_index
from ragqa.types import PUBLIC_GROUP

BODY = "# Salary bands\n\nThe senior engineer salary band runs to 120,000 euros. Reference FAILCANARY-{n}.\n"


def front_matter(*lines: str, opening: str = "---", closing: str = "---", before: str = "") -> str:
    """A Markdown article whose front matter is built from the given parts, so each test varies one of them."""
    return before + "\n".join([opening, *lines, closing]) + "\n" + BODY


# name -> (file name, content, expected): expected is a tuple of groups (read and restricted) or, for a
# refusal, a fragment of the reason shown to the user.
VARIANTS: dict[str, tuple[str, str | bytes, tuple[str, ...] | str]] = {
    # Supported forms: read, so the article is restricted to its audience.
    "key in capitals": ("a.md", front_matter("Audience: hr"), ("hr",)),
    "key all upper case": ("a.md", front_matter("AUDIENCE: [hr, managers]"), ("hr", "managers")),
    "groups alias, capitalised": ("a.md", front_matter("Groups: hr"), ("hr",)),
    "byte order mark first": ("a.md", b"\xef\xbb\xbf" + front_matter("audience: hr").encode(), ("hr",)),
    "windows line ends": ("a.md", front_matter("audience: [hr]").replace("\n", "\r\n"), ("hr",)),
    "front matter in a .txt file": ("a.txt", front_matter("title: Pay", "audience: hr"), ("hr",)),
    "html meta name, any case": ("a.html", '<html><head><meta name="Audience" content="hr"></head>'
                                           "<body><p>" + BODY + "</p></body></html>", ("hr",)),
    # Front matter that cannot be read.
    "blank line before the dashes": ("a.md", front_matter("audience: hr", before="\n"), "blank lines before"),
    "spaces before the dashes": ("a.md", front_matter("audience: hr", before="  "), "spaces or invisible"),
    "zero-width space before the dashes": ("a.md", front_matter("audience: hr", before="\u200b"),
                                           "invisible characters"),
    "YAML ... end marker": ("a.md", front_matter("audience: hr", closing="..."), "ends with '...'"),
    "comment after the opening dashes": ("a.md", front_matter("audience: hr", opening="--- # meta"),
                                         "text after the opening"),
    "comment after the closing dashes": ("a.md", front_matter("audience: hr", closing="--- # end"),
                                         "ends with '--- # end'"),
    "four dashes": ("a.md", front_matter("audience: hr", opening="----", closing="----"), "text after the opening"),
    "unclosed block": ("a.md", "---\naudience: hr\n" + BODY, "never closed"),
    "TOML front matter": ("a.md", front_matter("audience = ['hr']", opening="+++", closing="+++"), "TOML"),
    "unreadable front matter in a .txt file": ("a.txt", front_matter("audience: hr", before="\n"), "blank lines"),
    # Access control under a name we do not read.
    **{f"unknown key {key!r}": ("a.md", front_matter(f"{key}: hr"), "looks like an access-control setting")
       for key in ("access", "acl", "visibility", "restricted", "permissions", "allowed_groups", "Allowed-Groups",
                   "allowedGroups", "group", "audiences", "roles", "private", "confidential", "visible_to",
                   "readers", "classification")},
    "nested key": ("a.md", front_matter("meta:", "  visibility: private"), "'meta.visibility'"),
    # Ambiguous or malformed audiences.
    "audience twice": ("a.md", front_matter("audience: hr", "audience: everyone"), "appears twice"),
    "audience twice, other case": ("a.md", front_matter("audience: hr", "Audience: everyone"), "appears twice"),
    "audience and groups": ("a.md", front_matter("audience: hr", "groups: everyone"), "both"),
    "empty audience": ("a.md", front_matter("audience:"), "got nothing"),
    "empty list": ("a.md", front_matter("audience: []"), "is empty"),
    "empty string": ("a.md", front_matter("audience: ''"), "is empty"),
    "a mapping": ("a.md", front_matter("audience: {hr: true}"), "must be a list of group names"),
    "a number": ("a.md", front_matter("audience: 42"), "must be a list of group names"),
    "a YAML boolean": ("a.md", front_matter("audience: [yes]"), "as text"),
    "a nested list": ("a.md", front_matter("audience: [hr, [managers]]"), "as text"),
    "a name with spaces": ("a.md", front_matter("audience: HR team"), "invalid group name"),
    # Access control stated where nothing reads it.
    "html meta inside Markdown": ("a.md", '<meta name="audience" content="hr">\n\n' + BODY, "<meta name"),
    "audience line without front matter": ("a.md", "Audience: hr\n\n" + BODY, "reads like an access-control"),
    "audience line in a .txt file": ("a.txt", "Salary bands\nAccess: HR only\n\n" + BODY, "Access: HR only"),
    "html meta property": ("a.html", '<html><head><meta property="audience" content="hr"></head><body><p>'
                                     + BODY + "</p></body></html>", '<meta property="audience">'),
    "html Dublin Core audience": ("a.html", '<html><head><meta name="DC.audience" content="hr"></head><body><p>'
                                            + BODY + "</p></body></html>", "DC.audience"),
    "html itemprop": ("a.html", '<html><body><meta itemprop="audience" content="hr"><p>' + BODY
                                + "</p></body></html>", "itemprop"),
    "html data attribute": ("a.html", '<html><body data-audience="hr"><p>' + BODY + "</p></body></html>",
                            "data-audience"),
    "html two differing metas": ("a.html", '<html><head><meta name="audience" content="hr">'
                                           '<meta name="audience" content="everyone"></head><body><p>' + BODY
                                           + "</p></body></html>", "several"),
    "html meta without content": ("a.html", '<html><head><meta name="audience"></head><body><p>' + BODY
                                            + "</p></body></html>", "no content"),
    "html empty content": ("a.html", '<html><head><meta name="audience" content=" "></head><body><p>' + BODY
                                     + "</p></body></html>", "is empty"),
    "html JSON-LD audience": ("a.html", '<html><head><script type="application/ld+json">{"@type": "Article", '
                                        '"audience": {"audienceType": "hr"}}</script></head><body><p>' + BODY
                                        + "</p></body></html>", "JSON-LD"),
}


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))  # no newline translation: the bytes are the test
    return path


@pytest.mark.parametrize("name", list(VARIANTS))
def test_front_matter_variant_is_refused_or_restricted_never_public(tmp_path, name):
    filename, content, expected = VARIANTS[name]
    _write(tmp_path, filename, content)
    result = load_paths([tmp_path])
    if isinstance(expected, tuple):
        assert not result.failures, result.failures
        [article] = result.articles
        assert article.acl == expected and not article.is_public
        assert "FAILCANARY" in article.text and "audience" not in article.text.lower()
    else:
        assert not result.articles, f"{name}: indexed with audience {result.articles[0].acl}"
        [failure] = result.failures
        assert expected in failure.reason, failure.reason
        assert len(failure.reason) > 40 and "Traceback" not in failure.reason


@pytest.mark.parametrize("name", [n for n, v in VARIANTS.items() if v[0].endswith((".md", ".html", ".txt"))
                                  and isinstance(v[1], str)])
def test_api_uploads_get_the_same_verdict_as_files(name):
    filename, content, expected = VARIANTS[name]
    fmt = filename.rsplit(".", 1)[1]
    if isinstance(expected, tuple):
        assert article_from_text("x", content, fmt=fmt).acl == expected
    else:
        with pytest.raises(LoadError) as refused:
            article_from_text("x", content, fmt=fmt)
        assert expected in str(refused.value)


# Look-alikes that are not access control: refusing them would make ordinary corpora fail to ingest.
BENIGN: dict[str, tuple[str, str]] = {
    "static-site front matter": ("a.md", front_matter("title: Pay", "author: Ana", "tags: [pay, hr]", "layout: page",
                                                      "permalink: /pay", "publication_date: 2026-01-02",
                                                      "sidebar_position: 3", "hide_title: true", "description: x")),
    "lifecycle keys in any case": ("a.md", front_matter("Status: current", "Superseded-By: pay-2027",
                                                        "effective: 2026-01-01", "VALID_UNTIL: 2026-12-31")),
    "plain text under a dashed rule": ("a.txt", "----------\nSALARY BANDS\n----------\n\n" + BODY),
    "a rule with text before it": ("a.md", "Intro line.\n\n---\n\nMore text: here.\n"),
    "a heading that starts with Access": ("a.md", "# Access: getting a badge\n\n" + BODY),
    "a first line about security": ("a.txt", "Security: what to do if you lose your laptop\n\n" + BODY),
    "common html metadata": ("a.html", '<html data-theme="dark"><head><meta name="robots" content="noindex">'
                                       '<meta name="viewport" content="width=device-width"><meta name="author" '
                                       'content="Ana"><meta property="og:type" content="article"><meta '
                                       'name="twitter:card" content="summary"><script type="application/ld+json">'
                                       '{"@type": "Article", "isAccessibleForFree": true, "accessMode": "textual"}'
                                       '</script></head><body data-user-id="7"><p>' + BODY + "</p></body></html>"),
}


@pytest.mark.parametrize("name", list(BENIGN))
def test_benign_look_alikes_load_with_the_default_audience(tmp_path, name):
    filename, content = BENIGN[name]
    _write(tmp_path, filename, content)
    result = load_paths([tmp_path], default_audience="staff")
    assert not result.failures, result.failures
    [article] = result.articles
    assert article.acl == ("staff",)


def test_a_refused_article_never_stops_the_batch(tmp_path):
    _write(tmp_path, "public.md", front_matter("title: Canteen", "audience: [everyone]").replace("Salary", "Menu"))
    _write(tmp_path, "broken.md", front_matter("Audience: hr", before="\n"))
    _write(tmp_path, "fine.md", "# Notes\n\nNothing restricted here.\n")
    result = load_paths([tmp_path])
    assert sorted(a.doc_id for a in result.articles) == ["fine", "public"]
    assert [Path(f.path).name for f in result.failures] == ["broken.md"]


# --- the default audience --------------------------------------------------------------------------------


def test_default_audience_everyone_keeps_audience_less_articles_public(tmp_path):
    _write(tmp_path, "plain.md", "# Canteen\n\nThe canteen opens at eight.\n")
    [article] = load_paths([tmp_path]).articles
    assert article.acl == () and article.is_public


def test_default_audience_restricts_articles_that_name_none(tmp_path):
    _write(tmp_path, "plain.md", "# Canteen\n\nThe canteen opens at eight.\n")
    _write(tmp_path, "page.html", "<html><body><main><p>The car park opens at six.</p></main></body></html>")
    _write(tmp_path, "notes.txt", "Notes\n\nThe printers are on the second floor.\n")
    _write(tmp_path, "open.md", front_matter("audience: [everyone]"))
    _write(tmp_path, "hr.md", front_matter("audience: hr").replace("FAILCANARY", "X"))
    result = load_paths([tmp_path], default_audience="staff, contractors")
    acl = {a.doc_id: a.acl for a in result.articles}
    assert acl == {"plain": ("contractors", "staff"), "page": ("contractors", "staff"),
                   "notes": ("contractors", "staff"), "open": (PUBLIC_GROUP,), "hr": ("hr",)}
    uploaded = article_from_text("up", "# Up\n\nUploaded text.\n", default_audience="staff")
    assert uploaded.acl == ("staff",)
    assert article_from_text("up", "# Up\n\nUploaded.\n", acl=["hr"], default_audience="staff").acl == ("hr",)


def test_default_audience_setting_comes_from_the_environment_and_is_validated(monkeypatch):
    from pydantic import ValidationError

    from ragqa.settings import Settings

    assert Settings().default_audience == PUBLIC_GROUP
    monkeypatch.setenv("RAGQA_DEFAULT_AUDIENCE", "staff")
    assert Settings().default_audience == "staff"
    monkeypatch.setenv("RAGQA_DEFAULT_AUDIENCE", "staff only!")
    with pytest.raises(ValidationError, match="default_audience"):
        Settings()


# --- end to end: the real ingest, the real index, a caller with no groups -------------------------------

RESTRICTED_CANARY = "FAILCANARY"


@pytest.mark.integration
def test_ingest_refuses_malformed_restricted_articles_and_no_group_caller_sees_nothing_restricted(
        tmp_path, embedder, settings_factory):
    from ragqa.index.ingest import ingest_paths

    docs = tmp_path / "docs"
    _write(docs, "public.md", "---\ntitle: Staff canteen\naudience: [everyone]\n---\n# Staff canteen\n\nThe staff "
                              "canteen opens at eight and serves lunch from noon. Salary questions go to HR.\n")
    _write(docs, "hr/bands.md", front_matter("title: Salary bands", "audience: [hr]").replace("{n}", "OK"))
    malformed = {"hr/blank.md": "blank line before the dashes", "hr/dots.md": "YAML ... end marker",
                 "hr/access.md": "unknown key 'access'", "hr/empty.md": "empty list",
                 "hr/prop.html": "html meta property", "hr/unclosed.md": "unclosed block"}
    for i, (name, variant) in enumerate(malformed.items()):
        _write(docs, name, VARIANTS[variant][1].replace("{n}", str(i)))
    settings = settings_factory()
    report = ingest_paths([docs], settings=settings, embedder=embedder)

    failed = {Path(f["path"]).relative_to(docs).as_posix(): f["reason"] for f in report.failures}
    assert set(failed) == set(malformed), report.as_dict()
    for name, variant in malformed.items():
        assert VARIANTS[variant][2] in failed[name], (name, failed[name])
    assert report.added == 2

    manager = open_index(settings, embedder)
    service = build_answer_service(settings, manager, embedder)
    version = manager.current()
    assert {a.doc_id: a.acl for a in version.articles()} == {"public": ("everyone",), "hr/bands": ("hr",)}
    for query in ("salary band senior engineer", "FAILCANARY reference", "staff canteen lunch"):
        outsider = service.search(query, k=50, groups=frozenset())
        assert outsider and all(h.doc_id == "public" for h in outsider), [h.doc_id for h in outsider]
        assert not any(RESTRICTED_CANARY in h.chunk.text for h in outsider)
    insider = service.search("salary band senior engineer", k=5, groups=frozenset({"hr"}))
    assert insider[0].doc_id == "hr/bands"


@pytest.mark.integration
def test_ingest_applies_the_configured_default_audience(tmp_path, embedder, settings_factory):
    from ragqa.index.ingest import ingest_paths

    docs = tmp_path / "docs"
    _write(docs, "plain.md", "# Expenses\n\nTravel expenses are claimed within thirty days. Ref DEFAULTCANARY.\n")
    settings = settings_factory(default_audience="staff")
    report = ingest_paths([docs], settings=settings, embedder=embedder)
    assert report.added == 1 and not report.failures
    service = build_components(settings, embedder=embedder).answers
    assert service.search("travel expenses claim", k=5, groups=frozenset()) == []
    assert service.search("travel expenses claim", k=5, groups=frozenset({"staff"}))[0].doc_id == "plain"


# --- the documents API applies the loader's refusals ----------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize("body", [
    {"text": bytes(range(256)).decode("latin-1") * 40, "format": "txt"},
    {"text": (b"\x89PNG\r\n\x1a\n" + bytes(range(7, 256)) * 60).decode("utf-8", "replace"), "format": "md"},
    {"text": front_matter("audience: hr", before="\n"), "format": "md"},
    {"text": front_matter("visibility: private"), "format": "md"},
    {"text": '<html><head><meta property="audience" content="hr"></head><body><p>Pay.</p></body></html>',
     "format": "html"},
], ids=["binary bytes", "binary decoded with replacement characters", "unreadable front matter",
        "unread access key", "unread html audience"])
def test_put_document_refuses_what_the_file_loader_refuses(hardened, body):
    from tests.api.helpers import assert_problem

    with hardened.client() as c:
        before = c.get("/v1/documents", params={"limit": 1000}, headers=hardened.headers("admin")).json()["total"]
        response = c.put("/v1/documents/uploads/hostile", json=body, headers=hardened.headers("admin"))
        problem = assert_problem(response, 422)
        assert problem["detail"].startswith("The document could not be read:"), problem
        after = c.get("/v1/documents", params={"limit": 1000}, headers=hardened.headers("admin")).json()["total"]
    assert after == before
    hardened.responses.append(json.dumps(problem))
