"""Streamed answers use the final answer's citation numbers: markers are renumbered as they arrive, by the same
rule as service/grounding.renumber_citations (known refs only, 1..k in order of first appearance)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ragqa.service.grounding import _MARKER, _marker_refs

_HOLD_CHARS = 40  # an unclosed '[' this close to the end may still become a marker: hold it back


class StreamRenumberer:
    def __init__(self, valid: Iterable[int]):
        self.valid = set(valid)
        self.new: dict[int, int] = {}
        self._pending = ""

    def _rewrite(self, text: str) -> str:
        def one(match: re.Match) -> str:
            refs = []
            for old in _marker_refs(match):
                if old in self.valid:
                    refs.append(self.new.setdefault(old, len(self.new) + 1))
            refs = list(dict.fromkeys(refs))
            return "[" + ", ".join(map(str, refs)) + "]" if refs else ""

        return _MARKER.sub(one, text)

    def feed(self, delta: str) -> str:
        """What can be shown of the text so far (a possible marker's start is held until it is complete)."""
        text = self._pending + delta
        cut = text.rfind("[")
        if cut >= 0 and "]" not in text[cut:] and len(text) - cut <= _HOLD_CHARS:
            text, self._pending = text[:cut], text[cut:]
        else:
            self._pending = ""
        return self._rewrite(text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._rewrite(text)

