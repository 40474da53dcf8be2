"""Front matter and audiences, read strictly: what looks like metadata but cannot be read with certainty is
refused (LoadError says what is wrong and how to fix it), never indexed as public."""

from __future__ import annotations

import re

import yaml

from ragqa.types import PUBLIC_GROUP


class LoadError(Exception):
    """A file could not be turned into an article; the message is the reason shown to the user."""


MAX_FRONT_MATTER_BYTES = 64 * 1024
AUDIENCE_KEYS = ("audience", "groups")  # `groups` is the older spelling of `audience`
# Lifecycle keys (status, superseded_by, effective, valid_until) are part of the front matter contract.
KNOWN_KEYS = frozenset({"title", "url", "updated", "date", *AUDIENCE_KEYS,
                        "status", "superseded_by", "effective", "valid_until"})
GROUP_NAME = re.compile(r"^[\w.@:-]{1,100}$")  # the rule the API applies to group names
_FIX_AUDIENCE = "write `audience: [group, ...]` (or `audience: [everyone]` for a public article)"
_FORM = ("front matter must start on the very first line with a line of exactly three dashes (---), hold "
         "`key: value` lines, and end with another --- line")

# Names that look like access control. Only `audience`/`groups` are read, so any other such name means the
# author meant to restrict the article in a way we would silently ignore. Front matter keys are the author's
# own choice, so the broad list applies there; names in files made by other tools (HTML meta, PDF and Office
# properties, a first line "Access: HR") get the strong list, which common tool metadata does not trip.
_STRONG_WORDS = frozenset("""
    acl acls access audience audiences group groups permission permissions perms restricted restriction
    restrictions visibility classification classified confidential confidentiality sensitivity clearance private
    rbac tlp entitlement entitlements allowlist denylist whitelist blacklist readers viewers roles
""".split())
_PERMISSION_WORDS = _STRONG_WORDS | frozenset("""
    role perm privacy restrict visible hidden public internal secret secrets security secure sensitive reader
    viewer member members user users allow allowed deny denied share shared sharing protected protection only
    draft unlisted noindex embargo embargoed authorized authorised authorization authorisation rights
""".split())
_PERMISSION_STEMS = ("audience", "group", "permission", "visib", "restrict", "confidential", "clearance",
                     "allowlist", "denylist", "whitelist", "blacklist", "accesscontrol", "accesslevel",
                     "sharedwith", "visibleto", "authoriz", "authoris", "entitle", "sensitiv", "classif", "private")


def key_words(key: object) -> list[str]:
    """`allowedGroups`, `Allowed-Groups`, `allowed_groups` -> ['allowed', 'groups']."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(key))
    return [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]


def permission_like(key: object, *, broad: bool = False) -> bool:
    """Whether a name reads like access control (`broad`: also words such as public, draft, users)."""
    words = key_words(key)
    squashed = "".join(words)
    vocabulary = _PERMISSION_WORDS if broad else _STRONG_WORDS
    return any(w in vocabulary for w in words) or any(s in squashed for s in _PERMISSION_STEMS)


def normal_key(key: object) -> str:
    """Known keys are matched whatever their case and separator: `Valid-Until` is `valid_until`."""
    return "_".join(key_words(key))


def parse_audience(value: object, where: str = "audience") -> tuple[str, ...]:
    """Group names from a list of names or a comma-separated string; anything else is refused."""
    if isinstance(value, str):
        items: list = value.split(",")
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        kind = "nothing" if value is None else f"{value!r} ({type(value).__name__})"
        raise LoadError(f"{where} must be a list of group names, got {kind}: {_FIX_AUDIENCE}")
    groups = set()
    for item in items:
        if not isinstance(item, str):
            raise LoadError(f"{where} must list group names as text, got {item!r} ({type(item).__name__}): "
                            f"{_FIX_AUDIENCE}, quoting names that YAML reads otherwise (e.g. 'yes', '2024')")
        name = item.strip()
        if not name and isinstance(value, str):
            continue  # "hr, " in a comma-separated string
        if not GROUP_NAME.match(name):
            raise LoadError(f"{where} has an invalid group name {name[:100]!r}: group names are 1-100 letters, "
                            "digits or . _ @ : - (no spaces); separate groups with commas")
        groups.add(PUBLIC_GROUP if name.lower() == PUBLIC_GROUP else name)
    if not groups:
        raise LoadError(f"{where} is empty: {_FIX_AUDIENCE}, or remove the line to use the default audience")
    return tuple(sorted(groups))


def default_acl(default_audience: str) -> tuple[str, ...]:
    """The audience of an article that names none: () (public, as before) for `everyone`, else those groups."""
    acl = parse_audience(default_audience, "the default audience (RAGQA_DEFAULT_AUDIENCE)")
    return () if PUBLIC_GROUP in acl else acl


# --- YAML ----------------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases (an alias bomb expands a few hundred bytes into billions of
    nodes) and without duplicate keys (YAML keeps the last silently: `audience: hr` then `audience: everyone`)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise LoadError(f"YAML anchors and aliases (&name, *name) are not allowed in front matter (line "
                            f"{event.start_mark.line + 2}); write each value out")
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            marker = normal_key(key) if isinstance(key, str) else repr(key)
            if marker in seen:
                raise LoadError(f"front matter key {key!r} appears twice (line {key_node.start_mark.line + 2}); "
                                "keep one")
            seen.add(marker)
        return super().construct_mapping(node, deep=deep)


def _yaml(text: str) -> dict:
    try:
        meta = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""  # +1 for the opening ---, +1 for 1-based
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LoadError(f"invalid YAML front matter{where}: {problem}; fix the front matter between "
                        "the --- lines") from None
    except ValueError as exc:  # a date YAML reads as one but the calendar refuses (2026-02-30)
        raise LoadError(f"front matter holds an impossible value ({exc}); write dates as real days, YYYY-MM-DD "
                        "(for example 2026-02-01)") from None
    except RecursionError:
        raise LoadError("front matter is nested too deeply to read; use plain `key: value` lines") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise LoadError("front matter must be a YAML mapping (key: value lines) between the --- lines")
    return meta


def _check_keys(meta: dict, path: str = "") -> None:
    """Refuse access-control-like keys we do not read, at any depth (`meta: {visibility: private}`)."""
    for key, value in meta.items():
        name = f"{path}{key}"
        if not (path == "" and normal_key(key) in KNOWN_KEYS) and permission_like(key, broad=True):
            raise LoadError(f"front matter key {str(name)[:100]!r} looks like an access-control setting, but only "
                            f"`audience` is read: {_FIX_AUDIENCE}, or rename the key if it is not about who "
                            "may read the article")
        if isinstance(value, dict):
            _check_keys(value, f"{name}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _check_keys(item, f"{name}[].")


def read_meta(block: str) -> dict:
    """The front matter between the --- lines as {known key (normalised): value}; audience validated."""
    if len(block.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER_BYTES:
        raise LoadError(f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KB; keep it to a few "
                        "`key: value` lines and put the content in the body")
    meta = _yaml(block)
    _check_keys(meta)
    known = {normal_key(k): v for k, v in meta.items() if normal_key(k) in KNOWN_KEYS}
    given = [k for k in AUDIENCE_KEYS if k in known]
    if len(given) > 1:
        raise LoadError("front matter sets both `audience` and `groups`; keep only `audience`")
    if given:
        known["audience"] = parse_audience(known.pop(given[0]), f"front matter `{given[0]}`")
    return known


# --- where front matter starts and ends ------------------------------------------------------------------

_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00a0\u180e"
_OPEN = re.compile(r"(?:-{3,}|\+{3,}|\.{3,}|~{3,})(.*)")  # a fence line and whatever follows it
_KEY_LINE = re.compile(r"^\s*[\"']?[\w .-]{1,60}[\"']?\s*[:=]")
_HEADER_LINE = re.compile(r"^\s{0,3}(?:[-*+>]+\s*)?(?:\*\*|__)?([A-Za-z][\w .-]{0,40}?)\s*(?:\*\*|__)?\s*[:=]")


def split_front_matter(raw: str, *, plain_text: bool = False) -> tuple[dict | None, str]:
    """(metadata or None, body). Only the strict form is read; anything else that looks like front matter is
    refused with what is wrong, so a slip (a blank line first, `...` as the end) never drops the audience.
    In plain text a --- line is front matter only when `key: value` lines follow (else it is a rule)."""
    lines = raw.split("\n")
    opens = lines[0].rstrip(" \t") == "---"
    if opens and plain_text:
        following = next((line for line in lines[1:40] if line.strip()), "")
        opens = bool(_KEY_LINE.match(following))
    if opens:
        for i in range(1, len(lines)):
            line = lines[i]
            if line.rstrip(" \t") == "---":
                return read_meta("\n".join(lines[1:i])), "\n".join(lines[i + 1:])
            end = _OPEN.fullmatch(line.rstrip())
            if end and line[:3] in ("---", "..."):
                what = "'...'" if line.startswith("...") else f"{line.strip()[:40]!r}"
                raise LoadError(f"front matter ends with {what}, which is not read; end it with a line of exactly "
                                f"three dashes (---). {_FORM}")
        raise LoadError(f"front matter opened with --- on line 1 is never closed. {_FORM}. If the --- is meant "
                        "as a horizontal rule, put a line of text before it")
    problem = _front_matter_lookalike(lines)
    if problem:
        raise LoadError(f"the file starts like front matter but it cannot be read ({problem}). {_FORM}. If the "
                        "first line is not meant as front matter, put a line of text before it")
    return None, raw


def _front_matter_lookalike(lines: list[str]) -> str | None:
    """Why the opening looks like (unreadable) front matter: a fence line followed by `key: value` lines."""
    visible = [(i, line) for i, line in enumerate(lines[:40]) if line.strip(" \t" + _INVISIBLE)]
    if len(visible) < 2:
        return None
    (first_at, first), (_, second) = visible[0], visible[1]
    stripped = first.strip(" \t" + _INVISIBLE)
    fence = _OPEN.fullmatch(stripped)
    if not fence or not (_KEY_LINE.match(second) or _KEY_LINE.match(fence.group(1) or "")):
        return None
    if stripped.startswith("+++"):
        return "TOML front matter (+++) is not supported; use YAML between --- lines"
    if not stripped.startswith("---"):
        return f"it opens with {stripped[:3]!r} instead of ---"
    if first_at > 0:
        return "blank lines before the opening ---"
    if first != first.lstrip(" \t" + _INVISIBLE):
        return "spaces or invisible characters before the opening ---"
    return f"text after the opening dashes: {stripped[:40]!r}"


def header_audience_line(text: str) -> str | None:
    """The first lines of a text without metadata, if one of them reads like an access-control setting
    (`Audience: HR`, `**Access:** restricted`): the author meant to restrict an article we would make public."""
    seen = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        seen += 1
        if seen > 10:
            break
        match = _HEADER_LINE.match(line)
        if match and len(key_words(match.group(1))) <= 3 and permission_like(match.group(1)):
            return line.strip()[:100]
    return None
