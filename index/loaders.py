"""Turn files (txt, md, html, pdf, docx) into Articles; report unreadable, empty and duplicate files by path."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.types import Article

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
MAX_FILE_BYTES = 50 * 1024 * 1024
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


class LoadError(Exception):
    """A file could not be turned into an article; the message is the reason shown to the user."""


@dataclass
class LoadFailure:
    path: str
    reason: str


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
    notes: list[str] = field(default_factory=list)


# --- text helpers ------------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """One text form for every format: no BOM, \\n newlines, no zero-width or control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _BLANKS.sub("\n\n", text)
    return text.strip() + "\n" if text.strip() else ""


def humanise(stem: str) -> str:
    words = re.sub(r"[_\-]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else stem


def content_hash(*, title: str, text: str, acl: Sequence[str], url: str | None, updated: str | None) -> str:
    payload = json.dumps([title, text, sorted(acl), url, updated], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _acl(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        raise LoadError(f"audience must be a list of group names, got {value!r}")
    return tuple(sorted({str(g).strip() for g in value if str(g).strip()}))


def decode_bytes(data: bytes, notes: list[str], name: str) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("not a text file (binary content); convert it to .txt, .md, .html, .pdf or .docx")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError("not a text file: its encoding could not be recognised; save it as UTF-8")
    notes.append(f"{name}: not UTF-8, decoded as {best.encoding}")
    return str(best)


# --- formats -----------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    text: str
    title: str | None = None
    acl: tuple[str, ...] = ()
    url: str | None = None
    updated: str | None = None


def parse_markdown(raw: str) -> _Parsed:
    raw = raw.replace("\r\n", "\n").lstrip("\ufeff")
    meta: dict = {}
    match = _FRONT_MATTER.match(raw)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark else ""
            raise LoadError(f"invalid YAML front matter{where}: {getattr(exc, 'problem', exc)}") from None
        if not isinstance(meta, dict):
            raise LoadError("front matter must be a YAML mapping (key: value lines)")
        raw = raw[match.end():]
    title = meta.get("title")
    if not title:
        heading = re.search(r"^#[ \t]+(.+)$", raw, re.M)
        title = heading.group(1).strip() if heading else None
    updated = meta.get("updated") or meta.get("date")
    return _Parsed(
        text=raw,
        title=str(title).strip() if title else None,
        acl=_acl(meta.get("audience", meta.get("groups"))),
        url=str(meta["url"]).strip() if meta.get("url") else None,
        updated=str(updated) if updated else None,
    )


_DROP_TAGS = ["nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form", "iframe",
              "svg", "canvas", "button", "select", "input", "object", "embed"]
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def parse_html(raw: str) -> _Parsed:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "lxml")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    meta = {m.get("name", "").lower(): m.get("content", "") for m in soup.find_all("meta") if m.get("name")}
    canonical = soup.find("link", rel="canonical")
    main = soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"}) or soup.body or soup
    for tag in main.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in main.find_all(True):
        if tag.decomposed:
            continue
        attrs = tag.attrs or {}
        if ("hidden" in attrs or attrs.get("aria-hidden") == "true" or attrs.get("role") in _DROP_ROLES
                or _HIDDEN_STYLE.search(attrs.get("style", ""))):
            tag.decompose()
    lines: list[str] = []
    _html_blocks(main, lines)
    text = "\n".join(lines)
    h1 = main.find("h1") if hasattr(main, "find") else None
    title = re.split(r"\s+[|–—-]\s+", head_title)[0].strip() if head_title else None
    if not title and h1:
        title = h1.get_text(" ", strip=True)
    return _Parsed(
        text=text,
        title=title or None,
        acl=_acl(meta.get("audience") or meta.get("groups")),
        url=canonical.get("href") if canonical and canonical.get("href") else None,
        updated=meta.get("updated") or meta.get("date") or None,
    )


_BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "table", "dl", "figure"}


def _inline(tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True))


def _html_blocks(node, lines: list[str]) -> None:
    """Markdown-ish text: headings as # lines, paragraphs apart, list items as '- ', table rows as 'a | b'."""
    from bs4 import NavigableString, Tag

    buffer: list[str] = []

    def flush():
        text = re.sub(r"\s+", " ", " ".join(buffer)).strip()
        buffer.clear()
        if text:
            lines.extend([text, ""])

    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "ProcessingInstruction"):
                continue
            buffer.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if re.fullmatch(r"h[1-6]", name):
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
            cells = [_inline(c) for c in child.find_all(["td", "th"])]
            if any(cells):
                lines.append(" | ".join(cells))
        elif name == "br":
            buffer.append("\n")
        elif name in _BLOCKS or name in ("ul", "ol", "tbody", "thead", "tr", "li", "dt", "dd"):
            flush()
            _html_blocks(child, lines)
            if name in ("ul", "ol", "table", "dl"):
                lines.append("")
        else:
            buffer.append(child.get_text(" "))
    flush()


def parse_text(raw: str) -> _Parsed:
    first = next((line.strip() for line in raw.splitlines() if line.strip()), "")
    title = first if first and len(first) <= 100 and not first.endswith((".", "!", "?", ":")) else None
    return _Parsed(text=raw, title=title)


def parse_pdf(path: Path) -> _Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise LoadError("the PDF is password-protected; save an unprotected copy")
            except NotImplementedError:
                raise LoadError("the PDF is encrypted with an unsupported method; save an unprotected copy") from None
        pages = [page.extract_text() or "" for page in reader.pages]
        info_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise LoadError(f"not a readable PDF ({exc}); re-export it or convert it to text") from None
    return _Parsed(text="\n\n".join(p.strip() for p in pages), title=str(info_title).strip() if info_title else None)


def parse_docx(path: Path) -> _Parsed:
    import zipfile

    import docx

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(f"not a readable .docx file ({exc}); re-save it from a word processor") from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError for non-docx zips
        raise LoadError(f"not a readable .docx file ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    first_heading = None
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = docx.text.paragraph.Paragraph(block, document)
            text = para.text.strip()
            style = (para.style.name or "") if para.style is not None else ""
            if not text:
                continue
            level = re.match(r"Heading (\d)", style)
            if level or style == "Title":
                n = int(level.group(1)) if level else 1
                first_heading = first_heading or text
                lines.extend(["#" * n + " " + text, ""])
            else:
                lines.extend([("- " if "List" in style else "") + text, ""])
        elif tag == "tbl":
            table = docx.table.Table(block, document)
            for row in table.rows:
                lines.append(" | ".join(c.text.strip() for c in row.cells))
            lines.append("")
    title = (document.core_properties.title or "").strip() or first_heading
    return _Parsed(text="\n".join(lines), title=title)


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


def _article(parsed: _Parsed, *, doc_id: str, source: str, fallback_title: str) -> Article:
    text = normalise_text(parsed.text)
    title = normalise_text(parsed.title or "").strip() or fallback_title
    return Article(
        doc_id=doc_id, title=title, source=source, text=text, acl=parsed.acl, url=parsed.url,
        updated=parsed.updated,
        sha256=content_hash(title=title, text=text, acl=parsed.acl, url=parsed.url, updated=parsed.updated),
    )


def load_file(path: Path, *, doc_id: str, source: str, notes: list[str] | None = None) -> Article:
    """One file as an Article (text may be empty); raises LoadError with the reason."""
    notes = notes if notes is not None else []
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot read the file ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise LoadError(f"file is {size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        parsed = _parse(path, notes)
    except LoadError:
        raise
    except OSError as exc:
        raise LoadError(f"cannot read the file ({exc.strerror or exc})") from None
    return _article(parsed, doc_id=doc_id, source=source, fallback_title=humanise(Path(doc_id).name))


def article_from_text(doc_id: str, text: str, *, fmt: str = "md", title: str | None = None,
                      source: str | None = None, acl: Sequence[str] = (), url: str | None = None,
                      updated: str | None = None) -> Article:
    """An uploaded document (API), parsed like a file of that format; explicit fields override its metadata."""
    parsers = {"md": parse_markdown, "markdown": parse_markdown, "html": parse_html, "txt": parse_text,
               "text": parse_text}
    if fmt not in parsers:
        raise LoadError(f"unsupported format {fmt!r}: use one of md, html, txt")
    parsed = parsers[fmt](text)
    parsed.title = title or parsed.title
    parsed.acl = _acl(list(acl)) if acl else parsed.acl
    parsed.url = url or parsed.url
    parsed.updated = updated or parsed.updated
    return _article(parsed, doc_id=doc_id, source=source or f"api:{doc_id}", fallback_title=humanise(doc_id))


def _walk(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def load_paths(paths: Sequence[str | Path]) -> LoadResult:
    """Load every supported file under `paths`. Never raises for a bad file: it is reported and skipped."""
    result = LoadResult()
    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    for raw in paths:
        given = Path(raw).expanduser()
        if not given.exists():
            result.failures.append(LoadFailure(str(given), "no such file or directory"))
            continue
        root = given if given.is_dir() else given.parent
        files = _walk(given) if given.is_dir() else [given]
        for path in files:
            rel = path.relative_to(root)
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                result.skipped.append(str(path))
                continue
            doc_id = rel.with_suffix("").as_posix()
            try:
                article = load_file(path, doc_id=doc_id, source=rel.as_posix(), notes=result.notes)
            except LoadError as exc:
                result.failures.append(LoadFailure(str(path), str(exc)))
                continue
            if not article.text.strip():
                result.empty.append(str(path))
                continue
            digest = hashlib.sha256(article.text.encode()).hexdigest()
            if digest in seen_text:
                result.duplicates.append(Duplicate(str(path), seen_text[digest]))
                continue
            if doc_id in seen_ids:
                result.failures.append(LoadFailure(str(path), f"another file already has the id {doc_id!r} "
                                                              "(same name, different extension); rename one"))
                continue
            seen_text[digest] = doc_id
            seen_ids.add(doc_id)
            result.articles.append(article)
            result.roots[doc_id] = str(root.resolve())
    return result
