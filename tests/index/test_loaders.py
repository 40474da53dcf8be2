"""Loaders: every format on good and bad files; a bad file is reported by path and the batch goes on."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from ragqa.index.loaders import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    LoadError,
    article_from_text,
    load_file,
    load_paths,
)

SEED_ARTICLES = Path(__file__).resolve().parents[2].parent / "shared" / "seed-articles"

INTRANET_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Annual leave for Porto staff | Example Intranet</title>
  <meta name="audience" content="staff, hr">
  <meta name="updated" content="2026-01-12">
  <link rel="canonical" href="https://intranet.example/hr/leave-porto">
  <style>.banner { color: red }</style>
  <script>window.analytics = "TRACKING_SNIPPET";</script>
</head>
<body>
  <header class="banner"><a href="/">BANNER_LOGO</a><form><input placeholder="SEARCH_BOX"></form></header>
  <nav><ul><li><a href="/it/">NAV_IT_LINK</a></li><li><a href="/hr/">NAV_HR_LINK</a></li></ul></nav>
  <main id="content">
    <h1>Annual leave for Porto staff</h1>
    <p>Full-time staff receive <strong>23 working days</strong> of leave,
       plus <a href="/holidays">public holidays</a>.</p>
    <div hidden>HIDDEN_ATTRIBUTE_TEXT</div>
    <p style="display: none">HIDDEN_STYLE_TEXT</p>
    <span style="visibility:hidden">INVISIBLE_TEXT</span>
    <div aria-hidden="true">ARIA_HIDDEN_TEXT</div>
    <div role="navigation">ROLE_NAV_TEXT</div>
    <h2>How to request leave</h2>
    <ol><li>Open <em>PeopleHub</em>.</li><li>Choose the dates.</li></ol>
    <p>Address: Rua do Almada 140<br>4050-036 Porto</p>
    <table>
      <tr><th>Years of service</th><th>Extra days</th></tr>
      <tr><td>5</td><td>1</td></tr>
    </table>
    <script>console.log("INLINE_SCRIPT_IN_MAIN")</script>
    <aside>RELATED_LINKS_ASIDE</aside>
  </main>
  <aside>SIDEBAR_ASIDE</aside>
  <footer>FOOTER_COPYRIGHT contact us</footer>
  <script>track("BODY_SCRIPT")</script>
</body>
</html>
"""

MARKDOWN = """---
title: Resetting your password
url: https://intranet.example/it/password
updated: 2026-02-10
audience: [staff, it-admins]
---
# Password reset

Use the self-service portal.

## MFA

Install the authenticator app.
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def make_pdf(path: Path, pages: list[str], *, title: str | None = None, password: str | None = None) -> Path:
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    if title:
        pdf.setTitle(title)
    for text in pages:
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    data = buf.getvalue()
    if password:
        writer = PdfWriter(clone_from=io.BytesIO(data))
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return write(path, data)


def make_docx(path: Path, *, title: str | None = None) -> Path:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading("Expense claims", level=1)
    document.add_paragraph("Submit receipts within 30 days.")
    document.add_heading("Limits", level=2)
    document.add_paragraph("Hotels up to 150 EUR per night.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "City", "Limit"
    table.cell(1, 0).text, table.cell(1, 1).text = "Porto", "120 EUR"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def only(result):
    assert not result.failures, result.failures
    assert len(result.articles) == 1, result
    return result.articles[0]


# --- markdown ------------------------------------------------------------------------------------------


def test_markdown_front_matter_gives_title_url_updated_and_acl(tmp_path):
    article = only(load_paths([write(tmp_path / "kb" / "it" / "password.md", MARKDOWN)]))
    assert article.title == "Resetting your password"
    assert article.url == "https://intranet.example/it/password"
    assert article.updated == "2026-02-10"
    assert article.acl == ("it-admins", "staff")
    assert not article.readable_by(frozenset({"everyone"}))
    assert article.readable_by(frozenset({"staff"}))
    # The body stays Markdown (headings as # lines) and the front matter is gone.
    assert article.text.startswith("# Password reset\n")
    assert "## MFA" in article.text
    assert "audience:" not in article.text


def test_markdown_groups_alias_and_comma_string(tmp_path):
    text = "---\ntitle: Pay\ngroups: finance, managers\n---\nBody text.\n"
    assert only(load_paths([write(tmp_path / "pay.md", text)])).acl == ("finance", "managers")


def test_markdown_title_falls_back_to_first_h1_then_file_name(tmp_path):
    write(tmp_path / "a.md", "Intro line.\n\n# The real title\n\nBody.\n")
    write(tmp_path / "leave_carry-over.md", "Just a body.\n\n## Only a subheading\n")
    result = load_paths([tmp_path])
    titles = {a.doc_id: a.title for a in result.articles}
    assert titles == {"a": "The real title", "leave_carry-over": "Leave carry over"}


def test_invalid_front_matter_is_a_failure_naming_the_line_and_the_batch_goes_on(tmp_path):
    write(tmp_path / "bad.md", "---\ntitle: ok\naudience: [staff\nurl: x\n---\nBody\n")
    write(tmp_path / "good.md", MARKDOWN)
    result = load_paths([tmp_path])
    assert [a.doc_id for a in result.articles] == ["good"]
    [failure] = result.failures
    assert failure.path.endswith("bad.md")
    assert "front matter" in failure.reason
    assert "line 4" in failure.reason  # the line in the file where YAML gave up


def test_front_matter_that_is_not_a_mapping_or_a_bad_audience_is_refused(tmp_path):
    write(tmp_path / "list.md", "---\n- a\n- b\n---\nBody\n")
    write(tmp_path / "aud.md", "---\naudience: {a: 1}\n---\nBody\n")
    result = load_paths([tmp_path])
    reasons = {Path(f.path).name: f.reason for f in result.failures}
    assert "mapping" in reasons["list.md"]
    assert "audience" in reasons["aud.md"]


# --- html ----------------------------------------------------------------------------------------------


def test_html_keeps_main_content_only(tmp_path):
    article = only(load_paths([write(tmp_path / "leave-porto.html", INTRANET_PAGE)]))
    for chrome in ["TRACKING_SNIPPET", "BANNER_LOGO", "SEARCH_BOX", "NAV_IT_LINK", "NAV_HR_LINK",
                   "HIDDEN_ATTRIBUTE_TEXT", "HIDDEN_STYLE_TEXT", "INVISIBLE_TEXT", "ARIA_HIDDEN_TEXT",
                   "ROLE_NAV_TEXT", "INLINE_SCRIPT_IN_MAIN", "RELATED_LINKS_ASIDE", "SIDEBAR_ASIDE",
                   "FOOTER_COPYRIGHT", "BODY_SCRIPT", "color: red"]:
        assert chrome not in article.text, chrome
    text = article.text
    assert text.startswith("# Annual leave for Porto staff\n")
    assert "Full-time staff receive 23 working days of leave, plus public holidays." in text
    assert "## How to request leave" in text
    assert "- Open PeopleHub.\n- Choose the dates." in text
    assert "Address: Rua do Almada 140\n4050-036 Porto" in text  # <br> is a line break
    assert "| Years of service | Extra days |\n| 5 | 1 |" in text


def rows_read(tmp_path, table: str) -> list[str]:
    """The table rows of an HTML page holding `table`, as the answerer reads them."""
    from ragqa.sentences import split_sentences

    page = f"<html><body><main><h1>Office</h1>{table}</main></body></html>"
    article = only(load_paths([write(tmp_path / "office.html", page)]))
    return [s.readable for s in split_sentences(article.text) if s.kind == "row"]


def test_an_html_table_with_an_empty_corner_reads_in_words(tmp_path):
    """'<th></th><th>Hours</th>': the empty corner is still a cell, so each row is said with its header."""
    rows = rows_read(tmp_path, "<table><thead><tr><th></th><th>Hours</th></tr></thead><tbody><tr><td>Monday to Friday"
                               "</td><td>08:00-19:30</td></tr><tr><td>Saturday</td><td>Closed</td></tr></tbody></table>")
    assert rows == ["For Monday to Friday, the hours are 08:00-19:30.", "For Saturday, the hours are Closed."]


def test_a_cell_spanning_columns_is_said_once_with_all_its_headers(tmp_path):
    rows = rows_read(tmp_path, "<table><tr><th>Time</th><th>Oslo</th><th>Bergen</th></tr><tr><td>09:30</td>"
                               "<td>Reception, ground floor</td><td>Reception, first floor</td></tr><tr><td>10:00</td>"
                               "<td colspan=\"2\">Induction talk by video</td></tr></table>")
    assert rows == ["Where the time is 09:30, Oslo is Reception, ground floor; Bergen is Reception, first floor.",
                    "Where the time is 10:00, Oslo and Bergen are Induction talk by video."]


def test_html_title_and_metadata(tmp_path):
    article = only(load_paths([write(tmp_path / "leave-porto.html", INTRANET_PAGE)]))
    assert article.title == "Annual leave for Porto staff"  # site suffix stripped
    assert article.acl == ("hr", "staff")
    assert article.updated == "2026-01-12"
    assert article.url == "https://intranet.example/hr/leave-porto"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("<title>Travel policy - Example Intranet</title>", "Travel policy"),
        ("<title>Per diem (2026) — Finance | Example Intranet</title>", "Per diem (2026) — Finance"),
        ("", "Heading from h1"),
    ],
)
def test_html_title_from_title_tag_else_h1(tmp_path, head, expected):
    page = f"<html><head>{head}</head><body><h1>Heading from h1</h1><p>Body text here.</p></body></html>"
    assert only(load_paths([write(tmp_path / "page.htm", page)])).title == expected


def test_html_without_main_uses_body_minus_chrome(tmp_path):
    page = ("<html><body><header><h2>SITE_NAME</h2></header><nav>MENU</nav>"
            "<div class='content'><p>Real content.</p>"
            "<section><header><h2>Section heading</h2></header><p>More.</p></section></div>"
            "<footer>FOOT</footer></body></html>")
    article = only(load_paths([write(tmp_path / "plain.html", page)]))
    assert article.text == "Real content.\n\n## Section heading\n\nMore.\n"
    assert article.title == "Plain"


def test_html_with_only_chrome_is_empty(tmp_path):
    page = "<html><head><title>Menu</title></head><body><nav>Home</nav><footer>©</footer></body></html>"
    result = load_paths([write(tmp_path / "menu.html", page)])
    assert result.articles == [] and result.empty == [str(tmp_path / "menu.html")]


# --- txt -----------------------------------------------------------------------------------------------


def test_txt_title_is_a_short_first_line_else_the_file_name(tmp_path):
    write(tmp_path / "titled.txt", "Office opening hours\n\nThe Leeds office opens at 07:00 on weekdays.\n")
    write(tmp_path / "long_first_para.txt", "The Leeds office opens at 07:00 on weekdays and closes at 20:00 "
                                            "except on bank holidays, when it stays closed all day long.\n")
    write(tmp_path / "sentence.txt", "Doors open at seven.\nMore text follows here on the next line.\n")
    write(tmp_path / "menu.txt", "Email login CN\n\nCommentary\n\nThe long article body starts here and "
                                 "goes on for a while, as scraped pages do.\n")
    titles = {a.doc_id: a.title for a in load_paths([tmp_path]).articles}
    assert titles == {
        "titled": "Office opening hours",
        "long_first_para": "Long first para",
        "sentence": "Sentence",
        "menu": "Menu",  # a run of short menu lines at the top is page chrome, not a title
    }


def test_text_is_normalised(tmp_path):
    raw = ("\ufeffTitle line\r\n\r\nPass\u200bword re\u200dset\u2060 is\x07 here.\r\n\r\n\r\n\r\n"
           "\u00adNext\tpara\x1b.\r")
    article = only(load_paths([write(tmp_path / "n.txt", raw.encode("utf-8"))]))
    assert article.text == "Title line\n\nPassword reset is here.\n\nNext\tpara.\n"
    assert article.title == "Title line"


def test_cp1252_text_is_decoded_and_noted(tmp_path):
    text = ("Café opening hours\n\nThe café on the ground floor serves crème brûlée and “fair-trade” coffee; "
            "a flat white costs €2.50 – staff discount applies. Naïve questions are welcome at the desk.\n")
    write(tmp_path / "cafe.txt", text.encode("cp1252"))
    result = load_paths([tmp_path])
    article = only(result)
    assert article.text == text
    assert result.notes == ["cafe.txt: not UTF-8, decoded as cp1252"]


def test_binary_junk_is_not_a_text_file(tmp_path):
    junk = random.Random(7).randbytes(4096)
    write(tmp_path / "nul.txt", b"MZ\x90\x00\x03\x00\x00\x00" + junk)  # NUL bytes: an executable renamed
    write(tmp_path / "noise.md", bytes(b or 1 for b in junk))  # no NULs, still not text
    write(tmp_path / "ok.txt", "Fine text\n\nA normal paragraph of text for the batch.\n")
    result = load_paths([tmp_path])
    assert [a.doc_id for a in result.articles] == ["ok"]
    reasons = {Path(f.path).name: f.reason for f in result.failures}
    assert set(reasons) == {"nul.txt", "noise.md"}
    assert all("not a text file" in r for r in reasons.values())


# --- pdf and docx --------------------------------------------------------------------------------------


def test_pdf_pages_are_joined_and_titled_from_metadata(tmp_path):
    make_pdf(tmp_path / "report.pdf", ["First page about expenses.", "Second page about travel."],
             title="Quarterly report")
    article = only(load_paths([tmp_path]))
    assert article.title == "Quarterly report"
    assert article.text == "First page about expenses.\n\nSecond page about travel.\n"
    assert article.source == "report.pdf"


def test_pdf_placeholder_title_is_ignored(tmp_path):
    make_pdf(tmp_path / "q3_summary.pdf", ["This page holds the summary of the quarter."])  # "untitled"
    assert only(load_paths([tmp_path])).title == "Q3 summary"


def test_corrupt_and_encrypted_pdfs_are_reported(tmp_path):
    write(tmp_path / "corrupt.pdf", b"%PDF-1.7\n" + random.Random(1).randbytes(2000))
    make_pdf(tmp_path / "locked.pdf", ["Secret"], password="s3cret")
    make_pdf(tmp_path / "open.pdf", ["Readable page text."])
    result = load_paths([tmp_path])
    assert [a.doc_id for a in result.articles] == ["open"]
    reasons = {Path(f.path).name: f.reason for f in result.failures}
    assert "not a readable PDF" in reasons["corrupt.pdf"]
    assert "password-protected" in reasons["locked.pdf"]


def test_docx_headings_lists_tables_and_title(tmp_path):
    make_docx(tmp_path / "claims.docx")
    make_docx(tmp_path / "sub" / "titled.docx", title="Expense policy 2026")
    result = load_paths([tmp_path])
    assert not result.failures
    by_id = {a.doc_id: a for a in result.articles[:1]}
    article = by_id["claims"]
    assert article.title == "Expense claims"  # no metadata title: the first heading
    assert article.text == ("# Expense claims\n\nSubmit receipts within 30 days.\n\n## Limits\n\n"
                            "- Hotels up to 150 EUR per night.\n\n| City | Limit |\n| Porto | 120 EUR |\n")
    # The second file has the same text: it is a duplicate of the first, reported, not loaded.
    assert [(Path(d.path).name, d.duplicate_of) for d in result.duplicates] == [("titled.docx", "claims")]
    titled = load_file(tmp_path / "sub" / "titled.docx", doc_id="sub/titled", source="sub/titled.docx")
    assert titled.title == "Expense policy 2026"


def test_a_zip_that_is_not_a_docx_is_reported(tmp_path):
    with zipfile.ZipFile(tmp_path / "fake.docx", "w") as z:
        z.writestr("hello.txt", "not a word document")
    write(tmp_path / "junk.docx", b"PK\x03\x04 broken")
    result = load_paths([tmp_path])
    assert result.articles == []
    assert {Path(f.path).name for f in result.failures} == {"fake.docx", "junk.docx"}
    assert all("not a readable .docx" in f.reason for f in result.failures)


# --- batches, ids, duplicates, empties -----------------------------------------------------------------


def test_doc_ids_sources_and_roots(tmp_path):
    root = tmp_path / "seed-articles"
    write(root / "001_x.txt", "One\n\nFirst article text.\n")
    write(root / "team" / "guide.md", "# Guide\n\nSecond article text.\n")
    single = write(tmp_path / "elsewhere" / "notes.html", "<p>Third article text.</p>")
    result = load_paths([root, str(single)])
    assert not result.failures
    assert [(a.doc_id, a.source) for a in result.articles] == [
        ("001_x", "001_x.txt"), ("team/guide", "team/guide.md"), ("notes", "notes.html")]
    assert result.roots == {"001_x": str(root.resolve()), "team/guide": str(root.resolve()),
                            "notes": str(single.parent.resolve())}


def test_hidden_files_unsupported_suffixes_and_missing_paths(tmp_path):
    write(tmp_path / "kb" / "a.md", "# A\n\nText A.\n")
    write(tmp_path / "kb" / ".draft.md", "# Hidden\n\nHidden draft.\n")
    write(tmp_path / "kb" / ".git" / "notes.md", "# Git\n\nInternal.\n")
    write(tmp_path / "kb" / "image.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path / "kb" / "sheet.xlsx", b"PK")
    missing = tmp_path / "nope"
    result = load_paths([missing, tmp_path / "kb"])
    assert [a.doc_id for a in result.articles] == ["a"]
    assert sorted(Path(p).name for p in result.skipped) == ["image.png", "sheet.xlsx"]
    [failure] = result.failures
    assert failure.path == str(missing) and "no such file or directory" in failure.reason


def test_empty_files_are_reported(tmp_path):
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "blank.md", "---\ntitle: Nothing here\n---\n\n   \n\u200b\n")
    write(tmp_path / "real.txt", "Real\n\nSome real text.\n")
    result = load_paths([tmp_path])
    assert [a.doc_id for a in result.articles] == ["real"]
    assert sorted(Path(p).name for p in result.empty) == ["blank.md", "empty.txt"]


def test_duplicates_keep_the_first_in_sorted_order(tmp_path):
    body = "Same article\n\nThe same text under two paths.\n"
    write(tmp_path / "b" / "copy.txt", body)
    write(tmp_path / "a" / "original.txt", body.replace("\n", "\r\n"))  # same once normalised
    result = load_paths([tmp_path])
    assert [a.doc_id for a in result.articles] == ["a/original"]
    assert [(d.path, d.duplicate_of) for d in result.duplicates] == [(str(tmp_path / "b" / "copy.txt"),
                                                                      "a/original")]


def test_same_id_under_two_extensions_is_refused(tmp_path):
    write(tmp_path / "policy.md", "# Policy\n\nMarkdown version.\n")
    write(tmp_path / "policy.txt", "Policy\n\nA different text version.\n")
    result = load_paths([tmp_path])
    assert [a.source for a in result.articles] == ["policy.md"]
    assert "already has the id 'policy'" in result.failures[0].reason


def test_too_large_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_FILE_BYTES + 1)
    result = load_paths([tmp_path])
    assert result.articles == []
    assert "limit is 50 MB" in result.failures[0].reason


def test_one_bad_file_of_each_kind_never_stops_the_batch(tmp_path):
    write(tmp_path / "1-bad.md", "---\n: : :\n  - [\n---\nx\n")
    write(tmp_path / "2-bad.pdf", b"not a pdf at all")
    write(tmp_path / "3-bad.docx", b"neither a docx")
    write(tmp_path / "4-bad.txt", b"\x00\x01\x02\x03" * 100)
    write(tmp_path / "5-empty.html", "<html><body></body></html>")
    write(tmp_path / "6-good.md", MARKDOWN)
    write(tmp_path / "7-good.html", INTRANET_PAGE)
    write(tmp_path / "8-good.txt", "Fine\n\nPlain text article.\n")
    result = load_paths([tmp_path])
    assert [a.doc_id for a in result.articles] == ["6-good", "7-good", "8-good"]
    failed = [Path(f.path).name for f in result.failures]
    assert failed == ["1-bad.md", "2-bad.pdf", "3-bad.docx", "4-bad.txt"]
    assert all(f.reason and "Traceback" not in f.reason for f in result.failures)
    assert [Path(p).name for p in result.empty] == ["5-empty.html"]


def test_sha256_covers_everything_indexed():
    base = article_from_text("d", "# T\n\nBody.\n")
    assert len(base.sha256) == 64
    assert article_from_text("d", "# T\n\nBody.\n").sha256 == base.sha256
    variants = [
        article_from_text("d", "# T\n\nBody!\n"),
        article_from_text("d", "# T\n\nBody.\n", title="Other"),
        article_from_text("d", "# T\n\nBody.\n", acl=["hr"]),
        article_from_text("d", "# T\n\nBody.\n", url="https://x.example/d"),
        article_from_text("d", "# T\n\nBody.\n", updated="2026-01-01"),
    ]
    assert len({v.sha256 for v in variants} | {base.sha256}) == 6


# --- API uploads ---------------------------------------------------------------------------------------


def test_article_from_text_parses_like_a_file_and_explicit_fields_win():
    article = article_from_text("it/password", MARKDOWN)
    assert (article.title, article.acl, article.url, article.source) == (
        "Resetting your password", ("it-admins", "staff"), "https://intranet.example/it/password",
        "api:it/password")
    overridden = article_from_text("it/password", MARKDOWN, title="New", acl=["everyone"], source="upload",
                                   url="https://u.example", updated="2026-03-01")
    assert (overridden.title, overridden.acl, overridden.url, overridden.updated, overridden.source) == (
        "New", ("everyone",), "https://u.example", "2026-03-01", "upload")
    html = article_from_text("hr/leave", INTRANET_PAGE, fmt="html")
    assert html.title == "Annual leave for Porto staff" and "NAV_IT_LINK" not in html.text
    plain = article_from_text("notes/weekly_update", "Just a sentence with a full stop.", fmt="txt")
    assert plain.title == "Weekly update"


def test_article_from_text_refuses_unknown_formats():
    with pytest.raises(LoadError, match="use one of md, html, txt"):
        article_from_text("x", "%PDF", fmt="pdf")


def test_supported_suffixes():
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"} == SUPPORTED_SUFFIXES


# --- the shared seed articles --------------------------------------------------------------------------


@pytest.mark.skipif(not SEED_ARTICLES.is_dir(), reason="../shared/seed-articles is not available")
def test_seed_articles_load_cleanly():
    result = load_paths([SEED_ARTICLES])
    assert not result.failures and not result.duplicates and not result.empty and not result.skipped
    assert len(result.articles) == 5
    for article in result.articles:
        assert article.doc_id == Path(article.source).stem
        assert len(article.text) > 1000
        assert article.title and len(article.title) <= 100
        assert "\r" not in article.text and "\u200b" not in article.text
    titles = {a.doc_id[:3]: a.title for a in result.articles}
    # They open with a long paragraph (or page chrome): the humanised file name is the title, except where
    # the first line is a real headline.
    assert titles["001"] == "001 dff1b5ee7486004a"
    assert titles["003"] == "003 728add4e47ce624f"
    assert titles["004"].startswith("South Korea-U.S. alliance prospects")


def test_looks_binary_fast_path_gives_the_per_character_answer():
    import unicodedata

    from ragqa.index.loaders import _looks_binary

    def per_character(text: str) -> bool:
        sample = text[:20000]
        bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\n\r\t\f")
        return bool(sample) and bad / len(sample) > 0.05

    rng = random.Random(3)
    alphabet = "abc XYZ\n\t\r\f.,é日🙂\u00a0\u200b\u00ad\x00\x07\x1b\x7f\x85\ue000\U000f0000\u0378\ud800"
    samples = ["", "plain ascii text\n", "naïve café\n", "\x00" * 10, "text\x07with bell", "\ue000" * 3 + "a" * 50]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200))) for _ in range(500)]
    for text in samples:
        assert _looks_binary(text) == per_character(text), repr(text)


def test_iter_articles_yields_what_load_paths_returns(tmp_path):
    from ragqa.index.loaders import LoadResult, iter_articles

    for i in range(5):
        write(tmp_path / f"a{i}.md", f"# Title {i}\n\nBody number {i}.\n")
    write(tmp_path / "dup.md", "# Title 0\n\nBody number 0.\n")
    write(tmp_path / "bad.bin", b"\x00\x01")
    result = LoadResult()
    seen = []
    for article in iter_articles([tmp_path], result):
        assert result.articles[-1] is article  # recorded before it is handed out
        seen.append(article)
    expected = load_paths([tmp_path])
    assert seen == expected.articles and result.roots == expected.roots
    assert result.duplicates == expected.duplicates and result.skipped == expected.skipped
