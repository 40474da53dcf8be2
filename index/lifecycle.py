"""Article lifecycle: `status`, `superseded_by`, `effective`, `valid_until` from front matter (validated), the
unmarked case read from a title or opening banner, and the status that applies on a given day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ragqa.dates import effective_in_opening
from ragqa.index.front_matter import LoadError

STATUSES = ("current", "superseded", "draft")
UPCOMING = "upcoming"  # not stored: `effective` is still in the future on the day of the question
# An article that says it has been replaced, in its title or opening lines (no `status:` given).
SUPERSEDED_BANNER = re.compile(r"\bsuperseded\b|\breplaced (?:on|by)\b|\bno longer (?:applies|in force|valid)\b"
                               r"|\b(?:obsolete|archived)\b", re.I)
BANNER_CHARS = 600  # how far into the text an opening banner is looked for
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Lifecycle:
    status: str = "current"
    superseded_by: str | None = None
    effective: str | None = None  # ISO date
    valid_until: str | None = None  # ISO date

    @property
    def is_default(self) -> bool:
        return self == Lifecycle()


def parse_date(value: object, key: str) -> str | None:
    """A front matter date as YYYY-MM-DD; anything else is refused with the form to use."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise LoadError(f"front matter `{key}` must be a date written YYYY-MM-DD (for example 2026-02-01), got "
                    f"{text[:60]!r}; fix it or remove the line")


def from_meta(meta: dict) -> dict:
    """Validated lifecycle values of normalised front matter keys (only those given)."""
    out: dict = {}
    if "status" in meta:
        raw = meta["status"]
        status = str(raw).strip().lower() if isinstance(raw, str) else None
        if status not in STATUSES:
            raise LoadError(f"front matter `status` must be one of {', '.join(STATUSES)}, got {str(raw)[:60]!r}; "
                            "write `status: superseded` (with `superseded_by:`) for a replaced article")
        out["status"] = status
    if meta.get("superseded_by") not in (None, ""):
        value = meta["superseded_by"]
        if not isinstance(value, str | int | float):
            raise LoadError("front matter `superseded_by` must be one doc id or title (text), got "
                            f"{type(value).__name__}; write `superseded_by: travel/per-diem-rates-2026`")
        out["superseded_by"] = " ".join(str(value).split())[:300]
    for key in ("effective", "valid_until"):
        if key in meta:
            out[key] = parse_date(meta[key], key)
    if out.get("effective") and out.get("valid_until") and out["valid_until"] < out["effective"]:
        raise LoadError(f"front matter `valid_until` ({out['valid_until']}) is before `effective` "
                        f"({out['effective']}); fix one of the dates")
    return out


def resolve(given: dict, *, title: str, text: str) -> Lifecycle:
    """The stored lifecycle: an explicit `status` wins; else `superseded_by` or a banner means superseded. A banner
    that links to the replacement ('use the [2026 rates](https://.../per-diem-rates-2026)') names it by its URL; an
    opening line saying when the article takes effect gives `effective` where the front matter does not."""
    status = given.get("status")
    superseded_by = given.get("superseded_by")
    banner = SUPERSEDED_BANNER.search(text[:BANNER_CHARS])
    if status is None:
        marked = superseded_by or SUPERSEDED_BANNER.search(title) or banner
        status = "superseded" if marked else "current"
    if status == "superseded" and not superseded_by and banner:
        link = _BANNER_LINK.search(text[:BANNER_CHARS])
        superseded_by = link.group(1) if link else None
    # (an unmarked date too: 'Effective for travel on or after 1 February 2026' in the opening lines)
    return Lifecycle(status=status, superseded_by=superseded_by,
                     effective=given.get("effective") or effective_in_opening(text),
                     valid_until=given.get("valid_until"))


# A Markdown link in the banner: '[2026 per diem rates](https://intranet.example/travel/per-diem-rates-2026)'.
_BANNER_LINK = re.compile(r"\]\(\s*(\S+?)\s*\)")


def status_on(status: str, effective: str | None, valid_until: str | None, today: dt.date | None = None) -> str:
    """The status on `today`: past `valid_until` is superseded, before `effective` is upcoming."""
    if status != "current":
        return status
    day = (today or dt.date.today()).isoformat()
    if valid_until and valid_until < day:
        return "superseded"
    if effective and effective > day:
        return UPCOMING
    return "current"
