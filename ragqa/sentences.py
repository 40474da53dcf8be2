"""Sentence spans of passages and answers, aware of Markdown lines (headings, bullets, table rows, images)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ragqa.tables import row_in_words
from ragqa.words import STOPWORDS, content_terms, stem, words  # noqa: F401 (callers import them from here too)

_ABBREVIATIONS = {"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "lda", "no", "st",
                  "approx", "dept", "ext", "fig", "u.s", "u.k", "u.n", "jan", "feb", "mar", "apr", "jun", "jul",
                  "aug", "sep", "sept", "oct", "nov", "dec", "min", "max", "co", "jr", "sr", "gen", "gov", "sen",
                  "rep", "lt", "col", "capt", "corp", "nos", "p", "pp", "vol", "cf", "al"}
# End of a sentence: terminal punctuation, closing quotes/brackets (kept with the sentence), whitespace, and a
# capital, digit, opening quote or bracket that starts the next one.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[*_]*[A-Z0-9£€$])")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])[ \t]+(?=\S)")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_IMAGE = re.compile(r"^\s*!\[")
_QUOTE = re.compile(r"^\s*>[ \t]?")
_QUOTE_MARKS = re.compile(r"(?m)^[ \t]*>[ \t]?")
_TABLE_RULE = re.compile(r"^[\s|:\-+]+$")
# A line ending in a word that cannot end a sentence or a title goes on on the next line.
_OPEN_END = re.compile(r"(?:[,(]|\b(?:the|a|an|of|to|in|on|at|for|with|by|and|or|from|see|is|are|than|as|into"
                       r"|via|your|our|their|this|that))$", re.I)
_TERMINAL = re.compile(r"[.!?:;…\"'”’)]$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")  # '*not*' -> 'not'; '2 * 3' stays


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str  # exactly source[start:end]
    kind: str  # "sentence", "item" (list item), "row" (table row), "heading" or "media" (image line)
    display: str = ""  # readable form: Markdown emphasis/links removed, table cells labelled by their header

    @property
    def readable(self) -> str:
        return self.display or self.text

    @property
    def stated(self) -> str:
        """What the span itself states: a table row's own cells, without the column headers its readable form
        repeats ('Leeds (2 Wharf Street)' heads every row; it is the place of none of them)."""
        if self.kind != "row":
            return self.readable
        return "; ".join(cell for cell in table_cells(self.text) if cell)


def split_sentences(text: str, *, table_header: str = "") -> list[Span]:
    """Sentences with offsets into `text`; each Markdown block kind is kept apart from prose.

    Hard-wrapped paragraphs and list items (continuation lines) are joined before splitting into sentences.
    `table_header`: the header line of a table that `text` opens inside (a passage cut from the middle of a
    table), so its first rows read with their column headers instead of the first row posing as the header.
    """
    spans: list[Span] = []
    header: list[str] | None = table_cells(table_header) if table_header else None  # the current table's header
    for kind, start, end in _blocks(text):
        block = text[start:end]
        if kind == "row":
            if _TABLE_RULE.match(block):
                continue
            cells = table_cells(block)
            if header is None:
                header = cells
                spans.append(Span(start, end, block, "heading", " | ".join(cells)))
            else:
                spans.append(Span(start, end, block, "row", _label_cells(header, cells)))
            continue
        header = None
        if kind == "heading":
            spans.append(Span(start, end, block, "heading", block.lstrip("#").strip()))
        elif kind == "media":
            spans.append(Span(start, end, block, "media"))
        elif kind == "item":
            bullet = _BULLET.match(block)
            spans.extend(_prose(block[bullet.end():], start + bullet.end(), "item"))
        elif kind == "quote":
            marker = _QUOTE.match(block)
            spans.extend(_prose(block[marker.end():], start + marker.end(), "sentence"))
        elif "\n" not in block and _looks_like_heading(block):
            spans.append(Span(start, end, block, "heading", clean_inline(block)))
        else:
            spans.extend(_prose(block, start, "sentence"))
    return spans


def _blocks(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of paragraphs, list items, table rows, headings and images; offsets into `text`."""
    blocks: list[list] = []
    offset = 0
    last_line = ""
    previous_lines = 0  # lines in the block above: a short line inside a paragraph is not a heading
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        start, end = offset + lead, offset + lead + len(stripped)
        offset += len(line)
        if not stripped:
            blocks.append(["blank", start, end])
            last_line = ""
            previous_lines = 0
            continue
        if _HEADING.match(line):
            kind = "heading"
        elif _IMAGE.match(line):
            kind = "media"
        elif _QUOTE.match(line):
            kind = "quote"
        elif _is_table_row(stripped):
            kind = "row"
        elif _BULLET.match(line):
            kind = "item"
        else:
            kind = "text"
        previous = blocks[-1] if blocks else None
        # Hard-wrapped text: the line above was long and stopped mid-sentence, or this one starts in lower case.
        # (A short line without a full stop above a new line is a plain-text heading, not a wrapped line.)
        open_end = bool(last_line) and not _TERMINAL.search(last_line) and (
            len(last_line) >= 60 or previous_lines > 1 or bool(_OPEN_END.search(last_line))
            or stripped.startswith("["))  # a line above that stops mid-sentence ('... set out in the')
        wrapped = stripped[:1].islower() or open_end \
            or bool(lead and previous and previous[0] == "item")  # an indented line under a list item is part of it
        last_line = stripped
        if kind == "text" and previous and previous[0] in ("text", "item") and wrapped:
            previous[2] = end  # a hard-wrapped line continues the paragraph or list item above it
            previous_lines += 1
            continue
        if kind == "quote" and previous and previous[0] == "quote":
            previous[2] = end  # '> ' lines of one blockquote are one paragraph
            continue
        blocks.append([kind, start, end])
        previous_lines = 1
    return [(("sentence" if k == "text" else k), s, e) for k, s, e in blocks if k != "blank"]


def _is_table_row(line: str) -> bool:
    return line.startswith("|") or line.count(" | ") >= 1


def table_cells(line: str) -> list[str]:
    """The cells of a Markdown table line, inline markup removed."""
    return [clean_inline(c) for c in line.strip().strip("|").split("|")]


def _label_cells(header: list[str], cells: list[str]) -> str:
    """'| 3 years or more | 26 days |' under 'Service | Leave' reads 'Where the service is 3 years or more, ...'."""
    return row_in_words(header, cells)


def _looks_like_heading(line: str) -> bool:
    """Plain-text section titles ('Why it Matters: Impact on Japan') are short and lack a full stop."""
    if _TERMINAL.search(line):
        return False
    tokens = line.split()
    if len(tokens) <= 8:
        return True
    capitalised = sum(w[:1].isupper() or not w[:1].isalpha() for w in tokens)
    return len(tokens) <= 16 and capitalised / len(tokens) >= 0.6


def _prose(text: str, base: int, kind: str) -> list[Span]:
    """Sentences of one paragraph (which may span several lines); offsets are into the passage."""
    out: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start:match.end()]
        last_word = text[start:match.start()].rsplit(None, 1)[-1].lower() if text[start:match.start()] else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last_word):
            continue  # "U.S. President", "Dr. Kang", "A. Smith": not the end of a sentence
        out.append(_span(base + start, candidate, kind))
        rest = text[match.end():]
        start = match.end() + len(rest) - len(rest.lstrip())
    tail = text[start:].rstrip()
    if tail:
        out.append(_span(base + start, tail, kind))
    return out


def _span(start: int, text: str, kind: str) -> Span:
    readable = clean_inline(" ".join(_QUOTE_MARKS.sub(" ", text).split()))
    return Span(start, start + len(text), text, kind, readable if readable != text else "")


def clean_inline(text: str) -> str:
    """Markdown links and emphasis as plain words."""
    text = _MD_EMPHASIS.sub("", _MD_LINK.sub(r"\1", text))
    return _MD_ITALIC.sub(r"\1", text).strip()


def table_header_before(text: str, start: int) -> str:
    """The header line of the Markdown table that `text[start:]` opens inside ('' when it does not start in one):
    a passage cut from the middle of a long table keeps its column headers."""
    if text[start:start + 1] != "|" or (start and text[start - 1] != "\n"):
        return ""
    lines = text[:start].rstrip("\n").split("\n")
    table: list[str] = []
    for line in reversed(lines):
        if not _is_table_row(line.strip()):
            break
        table.append(line.strip())
    # The block's first line is its header (a Markdown rule line may follow it; HTML tables load without one).
    return table[-1] if table and not _TABLE_RULE.match(table[-1]) else ""
