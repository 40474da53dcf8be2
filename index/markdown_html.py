"""Raw HTML inside Markdown that a reader never sees goes: hidden elements and scripts with their content,
comments (also the `[//]: # (...)` idiom). Visible markup stays as written, and so does anything in code
(fenced blocks, `code spans`), where markup is text the reader sees."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Text styled out of sight (no size, no opacity) is as hidden from readers as display:none.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden"
                          r"|(?:font-size|opacity)\s*:\s*0*\.?0+(?:px|pt|em|rem|%)?\s*(?:[;!]|$)", re.I)
# Elements whose content a browser never shows as text.
_INVISIBLE_TAGS = {"script", "style", "template", "noscript", "iframe", "object", "head", "title", "textarea"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
              "track", "wbr"}

_ATTR = r"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_MARKUP = re.compile(
    r"(?P<comment><!--(?:>|->|.*?(?:--!?>|\Z)))"
    # The Markdown comment idiom: a link definition nothing links to, `[//]: # (never shown)`.
    r"|(?P<mdcomment>^ {0,3}\[[^\]\n]+\]:[ \t]*(?:#|<>)[ \t]*(?:\([^\n]*\)|\"[^\n]*\"|'[^\n]*')?[ \t]*$)"
    r"|(?P<other><\?.*?(?:>|\Z)|<![A-Za-z\[].*?(?:>|\Z))"
    rf"|<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:{_ATTR})*)\s*(?P<selfclose>/?)>"
    r"|</(?P<end>[A-Za-z][A-Za-z0-9-]*)\s*>", re.S | re.M)
_ATTR_PARTS = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)


def _code_ranges(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks and inline code spans, as (start, end) offsets."""
    ranges: list[tuple[int, int]] = []
    pos, fence, fence_start = 0, None, 0
    prose_start = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        if fence is None:
            m = _FENCE.match(stripped)
            if m and not (m.group(1)[0] == "`" and "`" in stripped[m.end():]):
                ranges += [s.span() for s in _CODE_SPAN.finditer(text, prose_start, pos)]
                fence, fence_start = m.group(1), pos
        elif re.fullmatch(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*", stripped):
            ranges.append((fence_start, pos + len(line)))
            fence, prose_start = None, pos + len(line)
        pos += len(line)
    if fence is not None:
        ranges.append((fence_start, len(text)))
    else:
        ranges += [s.span() for s in _CODE_SPAN.finditer(text, prose_start)]
    return sorted(ranges)


def tag_attributes(attrs: str) -> list[tuple[str, str]]:
    """(lower-case name, unquoted value) pairs of a tag's attribute text."""
    return [(key.lower(), value.strip("\"'")) for key, value in _ATTR_PARTS.findall(attrs)]


def meta_tags(text: str) -> list[list[tuple[str, str]]]:
    """The attributes of every <meta> tag in the text (raw HTML in Markdown can carry one)."""
    return [tag_attributes(m.group(1)) for m in re.finditer(rf"<meta\b((?:{_ATTR})*)\s*/?>", text, re.I)]


def hidden_by_attributes(attrs: Mapping[str, object]) -> bool:
    """An element a reader never sees: `hidden`, `aria-hidden="true"`, or styled out of sight (HTML and Markdown)."""
    return ("hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true"
            or bool(HIDDEN_STYLE.search(str(attrs.get("style", "")))))


def _hidden(name: str, attrs: str) -> bool:
    if name in _INVISIBLE_TAGS:
        return True
    pairs = tag_attributes(attrs)
    if name == "input" and any(k == "type" and v.lower() == "hidden" for k, v in pairs):
        return True
    return any(hidden_by_attributes({key: value}) for key, value in pairs)  # any one attribute can hide it


def visible_markdown(text: str) -> str:
    """The Markdown with its raw HTML reduced to what a browser would show (see the module docstring)."""
    if "<" not in text and "]:" not in text:
        return text
    code = _code_ranges(text)
    out: list[str] = []
    pos = 0
    hidden: list[str] = []  # open hidden elements, innermost last; everything inside them is dropped
    code_i = 0
    for m in _MARKUP.finditer(text):
        start = m.start()
        while code_i < len(code) and code[code_i][1] <= start:
            code_i += 1
        if code_i < len(code) and code[code_i][0] <= start < code[code_i][1]:
            continue  # markup inside code is shown as written
        name = (m.group("name") or "").lower()
        end = (m.group("end") or "").lower()
        if not hidden and (name or end) and not (name and _hidden(name, m.group("attrs"))):
            continue  # visible markup stays as written
        if not hidden:
            out.append(text[pos:start])
        pos = m.end()
        if name:
            void = name in _VOID_TAGS or m.group("selfclose")
            if not void and (not hidden or name == hidden[-1]):
                hidden.append(name)  # a hidden element, or the same element nested inside one
        elif end and hidden and end == hidden[-1]:
            hidden.pop()
    if not hidden:  # an unclosed hidden element hides the rest of the page, as in a browser
        out.append(text[pos:])
    return "".join(out)
