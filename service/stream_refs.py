"""Streamed answers use the final answer's citation numbers: markers are numbered as they arrive, with the
function the final answer uses (service/grounding.number_markers)."""

from __future__ import annotations

from collections.abc import Iterable

from ragqa.service.grounding import number_markers

_HOLD_CHARS = 40  # an unclosed '[' this close to the end may still become a marker: hold it back


class StreamRenumberer:
    def __init__(self, valid: Iterable[int]):
        self.valid = set(valid)
        self.new: dict[int, int] = {}
        self._pending = ""

    def _rewrite(self, text: str) -> str:
        return number_markers(text, self.valid, self.new)

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

