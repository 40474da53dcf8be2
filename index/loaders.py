"""Turn files (txt, md, html, pdf, docx) into Articles; report unreadable, empty and duplicate files."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ragqa.index.front_matter import (
    LoadError,
    default_acl,
    header_audience_line,
    parse_audience,
    permission_like,
    split_front_matter,
)
from ragqa.index.lifecycle import Lifecycle, from_meta, resolve
from ragqa.index.markdown_html import hidden_by_attributes, meta_tags, visible_markdown
from ragqa.types import PUBLIC_GROUP, Article

__all__ = ["LoadError", "LoadFailure", "LoadResult", "article_from_text", "iter_articles", "load_file",
           "load_paths"]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
MAX_FILE_BYTES = 50 * 1024 * 1024
# Zero-width characters hide prompt injections and break keyword search; the soft hyphen does the latter.
# Bidi controls and Unicode tag characters ("ASCII smuggling") hide text from readers, not from models.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069"
                         "\U000e0000-\U000e007f]")
# C0 and C1 control characters except \t and \n (\r is turned into \n before this runs).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")  # two or more blank lines -> one
_TITLE_MAX_CHARS = 100
# Containers are checked before they are opened: a 1 MB zip can declare gigabytes (a "zip bomb").
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_RATIO = 100  # beyond this, a member larger than _RATIO_FLOOR is a bomb, not a document
_RATIO_FLOOR = 8 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_PDF_PAGES = 5_000
# Parsing cost grows with nesting (and our layout walks the tree); real pages nest a few dozen levels.
MAX_HTML_DEPTH = 200
MAX_HTML_ELEMENTS = 500_000


@dataclass
class LoadFailure:
    path: str
    reason: str  # what is wrong and what to do


@dataclass
class Duplicate:
    path: str
    duplicate_of: str  # doc_id kept


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)  # doc_id -> absolute root it was found under
    failures: list[LoadFailure] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "x.txt: not UTF-8, decoded as cp1252"


# --- text helpers ------------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """One text form for every format: no BOM, \\n newlines, no zero-width or control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _BLANKS.sub("\n\n", text)
    text = text.strip()
    return text + "\n" if text else ""


def humanise(stem: str) -> str:
    """A readable title from a file name: `annual_leave-2026` -> `Annual leave 2026`."""
    words = re.sub(r"[_\-\s]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem


def content_hash(*, title: str, text: str, acl: Sequence[str], url: str | None, updated: str | None,
                 lifecycle: Lifecycle | None = None) -> str:
    """Hash of everything that is indexed: a change to any of it re-ingests the article. The lifecycle counts only
    when set, so articles without one keep the hash they had before lifecycles were stored."""
    fields = [title, text, sorted(acl), url, updated]
    if lifecycle is not None and not lifecycle.is_default:
        fields.append([lifecycle.status, lifecycle.superseded_by, lifecycle.effective, lifecycle.valid_until])
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# Characters allowed through _looks_binary although str.isprintable() says no (see its fast path).
_LAYOUT = str.maketrans("", "", "\n\r\t\f")


def _looks_binary(text: str) -> bool:
    """Decoded text that is mostly unprintable is a binary file that happened to decode."""
    sample = text[:20000]
    if not sample:
        return False
    # Bytes that were not text in the encoding they were decoded with become U+FFFD (printable, "So").
    if sample.count("\ufffd") / len(sample) > 0.05:
        return True
    # Fast exact path: isprintable() is False for every character of the categories counted below (Cc, Co,
    # Cn, Cs), so a printable sample has none of them. Only other text pays for the per-character loop.
    if sample.translate(_LAYOUT).isprintable():
        return False
    unprintable = ("Cc", "Co", "Cn", "Cs")
    bad = sum(1 for ch in sample if unicodedata.category(ch) in unprintable and ch not in "\n\r\t\f")
    return bad / len(sample) > 0.05


def decode_bytes(data: bytes, notes: list[str], name: str) -> str:
    """UTF-8 first; else the best guess of charset_normalizer (noted); binary content is refused."""
    not_text = "not a text file (binary content); convert it to .txt, .md, .html, .pdf or .docx"
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(not_text)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            raise LoadError(f"{not_text}, or its encoding is unknown (save it as UTF-8)") from None
        # Short Western text is often guessed as a sibling code page (cp1250: "naïve" -> "naďve"); when
        # cp1252, the most common legacy encoding, is among the plausible ones, it is the better bet.
        encoding = "cp1252" if any(m.encoding == "cp1252" for m in matches) else best.encoding
        text = data.decode(encoding, errors="replace")
        notes.append(f"{name}: not UTF-8, decoded as {encoding}")
    if _looks_binary(text):
        raise LoadError(not_text)
    return text


# --- formats -----------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    text: str
    title: str | None = None
    acl: tuple[str, ...] | None = None  # None: the file names no audience (the default audience applies)
    url: str | None = None
    updated: str | None = None
    lifecycle: dict = field(default_factory=dict)  # validated front matter lifecycle keys that were given


def _with_meta(meta: dict | None, parsed: _Parsed) -> _Parsed:
    """Front matter fields over what the body gave (title from the first heading or line)."""
    meta = meta or {}
    title = meta.get("title") or parsed.title
    updated = meta.get("updated") or meta.get("date")
    parsed.title = str(title).strip() if title else None
    parsed.acl = meta.get("audience")  # validated by read_meta; None when not given
    parsed.url = str(meta["url"]).strip() if meta.get("url") else None
    parsed.updated = str(updated).strip() if updated else None
    parsed.lifecycle = from_meta(meta)
    return parsed


def parse_markdown(raw: str) -> _Parsed:
    """YAML front matter (title, url, updated, audience/groups) and the Markdown body, kept as Markdown minus
    raw HTML a reader never sees (hidden elements, comments)."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, body = split_front_matter(raw)
    for attrs in meta_tags(body):
        for key, value in attrs:
            if key in ("name", "property", "itemprop") and permission_like(value):
                raise LoadError(f'the Markdown holds <meta {key}="{value[:60]}">, which is not read: set the '
                                "audience in front matter (`audience: [group]` between --- lines at the top)")
    body = visible_markdown(body)
    return _with_meta(meta, _Parsed(text=body, title=_first_h1(body)))


def _first_h1(markdown: str) -> str | None:
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and (m := re.match(r" {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", line)):
            return m.group(1).strip()
    return None


# Page chrome, never article content. A `header` is the site banner unless it sits inside an article, main
# or section, where it holds that content's own heading (the HTML accessibility mapping says the same).
_DROP_TAGS = ["head", "nav", "footer", "aside", "script", "style", "noscript", "template", "form", "iframe",
              "svg", "canvas", "button", "select", "input", "textarea", "object", "embed", "dialog"]
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
_HEADING_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_BLOCKS = {"address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption",
           "figure", "header", "hgroup", "li", "main", "ol", "p", "section", "summary", "table", "tbody",
           "tfoot", "thead", "tr", "ul", "caption", "center"}
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||::|»|·|–|—|-)\s+")
_BR = "\ue000"  # stands for <br> until the text is laid out (a private-use character: never in real text)


def parse_html(raw: str) -> _Parsed:
    """Main content only (no navigation, banners, footers, scripts, hidden text) as Markdown-ish text."""
    from bs4 import BeautifulSoup

    _check_html_shape(raw)
    soup = BeautifulSoup(raw, "lxml")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    meta = {str(m.get("name", "")).strip().lower(): str(m.get("content", "")).strip()
            for m in soup.find_all("meta") if m.get("name")}
    acl = _html_audience(soup)
    canonical = soup.find("link", rel="canonical")
    main = (soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"})
            or soup.body or soup)
    for tag in main.find_all(_DROP_TAGS):
        tag.decompose()
    for br in main.find_all("br"):
        br.replace_with(_BR)
    for tag in main.find_all(True):
        if tag.decomposed:
            continue
        attrs = tag.attrs or {}
        if (hidden_by_attributes(attrs) or attrs.get("role") in _DROP_ROLES
                or (tag.name == "header" and tag.find_parent(["article", "main", "section"]) is None)):
            tag.decompose()
    lines: list[str] = []
    _html_blocks(main, lines)
    h1 = main.find("h1")
    title = _html_title(head_title, _inline(h1) if h1 is not None else "")
    return _Parsed(
        text="\n".join(lines).replace(_BR, "\n"),
        title=title or None,
        acl=acl,
        url=str(canonical["href"]).strip() if canonical is not None and canonical.get("href") else None,
        updated=meta.get("updated") or meta.get("date") or None,
    )


class _Shape:
    """lxml parser target that only measures nesting depth and element count (no tree is built)."""

    def __init__(self):
        self.depth = self.deepest = self.elements = 0

    def start(self, tag, attrib):
        self.depth += 1
        self.elements += 1
        self.deepest = max(self.deepest, self.depth)
        if self.deepest > MAX_HTML_DEPTH or self.elements > MAX_HTML_ELEMENTS:
            raise _TooBig

    def end(self, tag):
        self.depth -= 1

    def close(self):
        return self


class _TooBig(Exception):
    pass


def _check_html_shape(raw: str) -> None:
    """Refuse pages nested or sized beyond what real articles need, before the (costlier) tree is built."""
    from lxml import etree

    parser = etree.HTMLParser(target=_Shape())
    try:
        parser.feed(raw)
        parser.close()
    except _TooBig:
        raise LoadError(f"the HTML is nested more than {MAX_HTML_DEPTH} levels deep or has more than "
                        f"{MAX_HTML_ELEMENTS:,} elements; no article needs that: export a simpler page or "
                        "save the content as .md") from None
    except etree.LxmlError:
        pass  # unparseable markup is BeautifulSoup's to judge, as before


_CONVERT_FIX = "remove it, or convert the document to .md and set `audience:` in its front matter"


def _unread_access_setting(where: str, fix: str) -> LoadError:
    """A permission-like setting where the loader does not read one: refused, so that a typo or an unsupported
    way of stating the audience can never leave a restricted article public."""
    return LoadError(f"{where} looks like an access-control setting but is not read; {fix}")


_AUDIENCE_METAS = ("audience", "groups")
_DOCUMENT_TAGS = ["html", "head", "body", "main", "article"]


def _html_audience(soup) -> tuple[str, ...] | None:
    """`<meta name="audience" content="a, b">` (or name="groups"); any other way of stating who may read the
    page (property=, data- attributes, JSON-LD, several differing metas) is refused, not ignored."""
    fix = ('state the audience once as <meta name="audience" content="group1, group2"> in the <head> '
           '(content="everyone" for a public page)')
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name", "")).strip().lower()
        if name in _AUDIENCE_METAS:
            content = tag.get("content")
            if content is None:
                raise LoadError(f'<meta name="{name}"> has no content attribute; {fix}')
            if found.get(name, content) != content:
                raise LoadError(f'the page has several <meta name="{name}"> tags that differ; {fix}')
            found[name] = str(content)
            continue
        for attr in ("name", "property", "itemprop"):
            value = tag.get(attr)
            if value and permission_like(value):
                raise _unread_access_setting(f'<meta {attr}="{str(value)[:60]}">', fix)
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        if re.search(r'"(?:[\w:@]*audience\w*|acl|permissions?|visibility|restricted\w*)"\s*:', script.get_text(),
                     re.I):
            raise LoadError(f"the page's JSON-LD states an audience or access rule, which is not read; {fix}")
    for tag in soup.find_all(_DOCUMENT_TAGS):
        for attr in tag.attrs:
            if str(attr).lower().startswith("data-") and permission_like(str(attr)[5:]):
                raise _unread_access_setting(f"<{tag.name} {attr}=...>", fix)
    if len(found) > 1:
        raise LoadError(f'the page has both <meta name="audience"> and <meta name="groups">; {fix}')
    if not found:
        return None
    name, content = next(iter(found.items()))
    return parse_audience(content, f'<meta name="{name}">')


def _html_title(head_title: str, h1: str) -> str | None:
    """<title> minus the site name after its last separator ("Leave | Fernhill Intranet"), else <h1>."""
    rest = head_title[len(h1):] if h1 and head_title.lower().startswith(h1.lower()) else None
    if rest is not None and (not rest.strip() or _TITLE_SEPARATOR.match(rest)):
        return h1  # the page's own heading is the title without the suffix, whatever the separator
    seps = list(_TITLE_SEPARATOR.finditer(head_title))
    title = head_title[: seps[-1].start()].strip() if seps else head_title.strip()
    return title or h1 or None


def _inline_raw(tag) -> str:
    """An element's text as written: inline children joined as they are, block children apart."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    parts: list[str] = []
    apart = _BLOCKS | set(_HEADING_TAGS) | {"td", "th", "pre"}

    def walk(node):
        for child in node.children:
            if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag):
                gap = " " if child.name in apart else ""
                parts.append(gap)
                walk(child)
                parts.append(gap)

    walk(tag)
    return "".join(parts)


def _inline(tag) -> str:
    """An element's text on one line."""
    return re.sub(r"\s+", " ", _inline_raw(tag).replace(_BR, " ")).strip()


_BLOCK_LIKE = sorted(_BLOCKS | set(_HEADING_TAGS) | {"pre"})


def _has_block(tag) -> bool:
    return tag.find(_BLOCK_LIKE) is not None


MAX_COLSPAN = 50


def _spanned(cell) -> list[str]:
    """A cell once per column it spans (colspan), so the row keeps one cell per header."""
    text = _inline(cell)
    try:
        span = int(str(cell.get("colspan", "1")).strip() or 1)
    except ValueError:
        span = 1
    return [text] * max(1, min(span, MAX_COLSPAN))


def table_row(cells: list[str]) -> str:
    """A Markdown table row with its outer pipes, so an empty first cell (a corner header) stays a cell."""
    return "| " + " | ".join(cells) + " |"


def _html_blocks(node, lines: list[str]) -> None:
    """Headings as # lines, paragraphs apart, list items as '- item', table rows as '| a | b |', br as newline."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    buffer: list[str] = []

    def flush():
        text = "".join(buffer)
        buffer.clear()
        # Keep the line breaks of <br>; collapse every other run of whitespace.
        parts = [re.sub(r"\s+", " ", part).strip() for part in text.split(_BR)]
        parts = [p for p in parts if p]
        if parts:
            lines.extend([*parts, ""])

    for child in node.children:
        if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in _HEADING_TAGS:
            flush()
            text = _inline(child)
            if text:
                lines.extend(["#" * int(name[1]) + " " + text, ""])
        elif name == "li":
            flush()
            text = _inline(child)
            if text:
                lines.append("- " + text)
        elif name == "tr":
            flush()
            cells = [text for c in child.find_all(["td", "th"], recursive=False) for text in _spanned(c)]
            if any(cells):
                lines.append(table_row(cells))
        elif name == "hr":
            flush()
        elif name == "pre":
            flush()
            code = child.get_text().replace(_BR, "\n").strip("\n")
            if code.strip():
                lines.extend([code, ""])
        elif name in _BLOCKS or _has_block(child):
            flush()
            _html_blocks(child, lines)
            if name in ("ul", "ol", "table", "dl"):
                lines.append("")
        else:  # inline element (a, strong, code, span...): part of the running paragraph
            buffer.append(_inline_raw(child))
    flush()


def _title_from_first_line(text: str) -> str | None:
    """A short first line (no final period) then body text is a title; short lines in a row are chrome."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    first = lines[0]
    if len(first) > _TITLE_MAX_CHARS or first.endswith((".", "!", "?", ":", ",", ";")):
        return None
    # Scraped pages often open with menu items ("Email login CN", "Commentary", ...): a title is followed by
    # body text, not by another short line.
    nxt = lines[1] if len(lines) > 1 else ""
    if nxt and len(nxt) < 60 and not nxt.endswith((".", "!", "?", ":")):
        return None
    return first


def parse_text(raw: str) -> _Parsed:
    """Plain text; front matter at its top (--- then `key: value` lines) is read as in Markdown."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, body = split_front_matter(raw, plain_text=True)
    return _with_meta(meta, _Parsed(text=body, title=_title_from_first_line(body)))


_PLACEHOLDER_TITLES = {"untitled", "unknown", "document", "word document", "title", "microsoft word"}


def _meta_title(value) -> str | None:
    """A document-metadata title unless it is a tool's placeholder ("untitled", "Microsoft Word - x.doc")."""
    title = str(value or "").strip()
    title = re.sub(r"^Microsoft Word - ", "", title)
    title = re.sub(r"\.(docx?|pdf|odt|rtf)$", "", title, flags=re.I)
    return title if title and title.lower() not in _PLACEHOLDER_TITLES else None


def parse_pdf(path: Path) -> _Parsed:
    """Pages joined by blank lines; encrypted or corrupt files are refused with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    fix = "re-export it from its source application or save it as text"
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")  # many PDFs are "encrypted" with an empty user password
            except (NotImplementedError, DependencyError):
                decrypted = 0
            if not decrypted:
                raise LoadError("the PDF is password-protected; save an unprotected copy and ingest that")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise LoadError(f"the PDF has {len(reader.pages):,} pages; the limit is {MAX_PDF_PAGES:,} "
                            "(split it into smaller documents)")
        info = reader.metadata or {}
        for key in info:
            if permission_like(str(key).lstrip("/")):
                raise _unread_access_setting(f"the PDF's metadata key {str(key)[:60]!r}", _CONVERT_FIX)
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        info_title = info.get("/Title")
    except LoadError:
        raise
    except LimitReachedError:  # pypdf's own caps on decompressed stream sizes ("PDF bombs")
        raise LoadError("the PDF holds a stream that decompresses beyond pypdf's safety limit (a "
                        f"decompression bomb, or an extreme document); {fix}") from None
    except FileNotDecryptedError:
        raise LoadError("the PDF is password-protected; save an unprotected copy and ingest that") from None
    except Exception as exc:  # pypdf raises many types for damaged files; all mean "cannot read this PDF"
        raise LoadError(f"not a readable PDF ({type(exc).__name__}: {exc}); {fix}") from None
    text = "\n\n".join(p for p in pages if p)
    return _Parsed(text=text, title=_meta_title(info_title) or _title_from_first_line(text))


def parse_docx(path: Path) -> _Parsed:
    """Paragraphs, Heading N styles as # lines, tables as '| a | b |' rows; title from metadata or 1st heading."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx: PackageNotFoundError, BadZipFile, KeyError for non-docx zips
        raise LoadError(f"not a readable .docx file ({type(exc).__name__}: {exc}); re-save it as .docx from "
                        "a word processor") from None
    lines: list[str] = []
    first_heading = None
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(block, document)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name or "") if para.style is not None else ""
            level = re.match(r"Heading (\d)", style)
            if level or style == "Title":
                n = min(int(level.group(1)), 6) if level else 1
                first_heading = first_heading or text
                lines.extend(["#" * n + " " + text, ""])
            else:
                lines.extend([("- " if "List" in style else "") + text, ""])
        elif tag == "tbl":
            for row in Table(block, document).rows:
                # A merged cell appears once per column it covers, so the row keeps one cell per header.
                cells = [re.sub(r"\s+", " ", cell.text).strip() for cell in row.cells]
                if any(cells):
                    lines.append(table_row(cells))
            lines.append("")
    title = _meta_title(document.core_properties.title) or first_heading
    return _Parsed(text="\n".join(lines), title=title)


def _check_zip(path: Path) -> None:
    """Refuse a .docx whose members declare more than we will unpack, before anything is decompressed
    (zipfile never inflates past a member's declared size, so the declared sizes bound the memory)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            custom = archive.read("docProps/custom.xml") if any(
                m.filename == "docProps/custom.xml" and m.file_size <= 1024 * 1024 for m in members) else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        return  # not a zip: python-docx reports it with the reason
    total = sum(m.file_size for m in members)
    mb = 1024 * 1024
    if len(members) > MAX_ZIP_MEMBERS:
        raise LoadError(f"the .docx holds {len(members):,} parts; the limit is {MAX_ZIP_MEMBERS:,} (a zip bomb, "
                        "or not a word-processor document); re-save it from a word processor")
    if total > MAX_UNZIPPED_BYTES:
        raise LoadError(f"the .docx unpacks to {total / mb:,.0f} MB; the limit is {MAX_UNZIPPED_BYTES // mb} MB "
                        "(split it, or remove large embedded media)")
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise LoadError(f"the .docx part {m.filename[:80]!r} expands {m.file_size // max(m.compress_size, 1):,}"
                            f"-fold to {m.file_size / mb:,.0f} MB (a zip bomb); re-save the document from a word "
                            "processor")
    for name in re.findall(rb'<property\b[^>]*\bname="([^"]{1,200})"', custom):
        if permission_like(name.decode("utf-8", "replace")):
            raise _unread_access_setting(f"the .docx custom property {name.decode('utf-8', 'replace')[:60]!r}",
                                         _CONVERT_FIX)


# --- files -------------------------------------------------------------------------------------------


def _parse(path: Path, notes: list[str]) -> _Parsed:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return parse_pdf(path)
    if suffix == ".docx":
        return parse_docx(path)
    raw = decode_bytes(path.read_bytes(), notes, path.name)
    if suffix in (".md", ".markdown"):
        return parse_markdown(raw)
    if suffix in (".html", ".htm"):
        return parse_html(raw)
    return parse_text(raw)


def _article(parsed: _Parsed, *, doc_id: str, source: str, fallback_title: str,
             default_audience: str = PUBLIC_GROUP) -> Article:
    text = normalise_text(parsed.text)
    title = re.sub(r"\s+", " ", normalise_text(parsed.title or "")).strip() or fallback_title
    acl = parsed.acl
    if acl is None:
        line = header_audience_line(text)
        if line:
            raise LoadError(f"the article opens with {line!r}, which reads like an access-control setting, but "
                            "no audience is set where it is read: put `audience: [group]` in front matter between "
                            "--- lines at the top (.md, .txt) or <meta name=\"audience\" content=\"group\"> in the "
                            "<head> (.html), or reword the line")
        acl = default_acl(default_audience)
    life = resolve(parsed.lifecycle, title=title, text=text)
    return Article(
        doc_id=doc_id, title=title, source=source, text=text, acl=acl, url=parsed.url,
        updated=parsed.updated, status=life.status, superseded_by=life.superseded_by, effective=life.effective,
        valid_until=life.valid_until,
        sha256=content_hash(title=title, text=text, acl=acl, url=parsed.url, updated=parsed.updated, lifecycle=life),
    )


def load_file(path: Path, *, doc_id: str, source: str, notes: list[str] | None = None,
              default_audience: str = PUBLIC_GROUP) -> Article:
    """One file as an Article (its text may be empty); raises LoadError with the reason.
    `default_audience` (groups, comma-separated) is the audience of a file that names none."""
    notes = notes if notes is not None else []
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        reason = exc.strerror or exc
        raise LoadError(f"cannot read the file ({reason}); check the path and its permissions") from None
    if size > MAX_FILE_BYTES:
        mb = 1024 * 1024
        raise LoadError(f"file is {size / mb:.0f} MB; the limit is {MAX_FILE_BYTES // mb} MB "
                        "(split it into smaller articles)")
    try:
        parsed = _parse(path, notes)
    except LoadError:
        raise
    except OSError as exc:
        raise LoadError(f"cannot read the file ({exc.strerror or exc}); check its permissions") from None
    except RecursionError:
        raise LoadError("the file is nested too deeply to read; simplify it or save it as .md") from None
    except Exception as exc:  # a parser bug or an exotic file must not stop the batch
        log.warning("unexpected error loading %s", path, exc_info=True)
        raise LoadError(f"could not parse the file ({type(exc).__name__}: {exc}); "
                        "convert it to .txt or .md") from None
    return _article(parsed, doc_id=doc_id, source=source, fallback_title=humanise(Path(doc_id).name),
                    default_audience=default_audience)


_TEXT_PARSERS = {"md": parse_markdown, "markdown": parse_markdown, "html": parse_html, "htm": parse_html,
                 "txt": parse_text, "text": parse_text}


def article_from_text(doc_id: str, text: str, *, fmt: str = "md", title: str | None = None,
                      source: str | None = None, acl: Sequence[str] | None = None, url: str | None = None,
                      updated: str | None = None, default_audience: str = PUBLIC_GROUP) -> Article:
    """An uploaded document (API), refused and parsed exactly like a file of that format (binary content,
    size, front matter, audience); explicit fields override metadata. An empty `acl` means "not given"."""
    parser = _TEXT_PARSERS.get(fmt.lower().lstrip("."))
    if parser is None:
        raise LoadError(f"unsupported format {fmt!r}: use one of md, html, txt")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise LoadError(f"the document is {size / 1024 / 1024:.0f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} "
                        "MB (split it into smaller articles)")
    if "\x00" in text[:8192] or _looks_binary(text):
        raise LoadError("not a text document (binary content); send the article's text as md, html or txt")
    try:
        parsed = parser(text)
    except LoadError:
        raise
    except RecursionError:
        raise LoadError(f"the document is nested too deeply to read as {fmt}; simplify it") from None
    except Exception as exc:
        raise LoadError(f"could not parse the document as {fmt} ({type(exc).__name__}: {exc})") from None
    parsed.title = title or parsed.title
    parsed.acl = parse_audience(list(acl), "acl") if acl else parsed.acl
    parsed.url = url or parsed.url
    parsed.updated = updated or parsed.updated
    fallback = humanise(doc_id.rstrip("/").rsplit("/", 1)[-1]) or doc_id
    article = _article(parsed, doc_id=doc_id, source=source or f"api:{doc_id}", fallback_title=fallback,
                       default_audience=default_audience)
    if article.status == "draft":
        raise LoadError("the document has `status: draft`, and drafts are not indexed: set `status: current` to "
                        "publish it, or DELETE the document to withdraw a published one")
    return article


def _walk(root: Path, result: LoadResult) -> list[Path]:
    """Files under `root`, sorted, skipping hidden files and folders."""
    files = []
    try:
        for p in root.rglob("*"):
            rel = p.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if p.is_file():
                files.append(p)
    except OSError as exc:
        result.failures.append(LoadFailure(str(root), f"cannot list the folder ({exc.strerror or exc}); "
                                                      "check its permissions"))
    return sorted(files)


def load_paths(paths: Sequence[str | Path], *, default_audience: str = PUBLIC_GROUP) -> LoadResult:
    """Load every supported file under `paths`. A bad file is reported, never raised: the batch goes on."""
    result = LoadResult()
    for _ in iter_articles(paths, result, default_audience=default_audience):
        pass
    return result


def iter_articles(paths: Sequence[str | Path], result: LoadResult, *,
                  default_audience: str = PUBLIC_GROUP) -> Iterator[Article]:
    """load_paths one article at a time: each accepted article is added to `result` and then yielded, so a
    consumer can work on it (chunk, embed) while later files are read. `result` is complete once exhausted."""
    default_acl(default_audience)  # a bad setting fails the run here, not as one failure per file
    seen_text: dict[str, str] = {}  # sha256 of normalised text -> doc_id kept
    seen_ids: set[str] = set()
    for raw in paths:
        given = Path(raw).expanduser()
        if not given.exists():
            result.failures.append(LoadFailure(str(given), "no such file or directory; check the path"))
            continue
        root = given if given.is_dir() else given.parent
        root_resolved = str(root.resolve())
        files = _walk(given, result) if given.is_dir() else [given]
        for path in files:
            rel = path.relative_to(root)
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                result.skipped.append(str(path))
                continue
            doc_id = rel.with_suffix("").as_posix()
            try:
                article = load_file(path, doc_id=doc_id, source=rel.as_posix(), notes=result.notes,
                                    default_audience=default_audience)
            except LoadError as exc:
                result.failures.append(LoadFailure(str(path), str(exc)))
                continue
            except Exception as exc:  # belt and braces: one bad file never stops the batch
                result.failures.append(LoadFailure(str(path), f"could not load the file ({exc})"))
                continue
            if not article.text.strip():
                result.empty.append(str(path))
                continue
            if article.status == "draft":  # drafts are never served: not indexed (and removed if they were)
                result.skipped.append(str(path))
                result.notes.append(f"{rel.as_posix()}: status draft, not indexed (set `status: current` to publish)")
                continue
            digest = hashlib.sha256(article.text.encode()).hexdigest()
            if digest in seen_text:
                result.duplicates.append(Duplicate(str(path), seen_text[digest]))
                continue
            if doc_id in seen_ids:
                result.failures.append(LoadFailure(
                    str(path), f"another file already has the id {doc_id!r} (same name, other extension); "
                               "rename one of them"))
                continue
            seen_text[digest] = doc_id
            seen_ids.add(doc_id)
            result.articles.append(article)
            result.roots[doc_id] = root_resolved
            yield article
