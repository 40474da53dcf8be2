"""Bounds from Settings that a static schema cannot know (question length, top_k): 422 with the fix."""

from __future__ import annotations

from ragqa.service.api.errors import ApiError


def check_text(text: str, *, field: str, settings) -> str:
    """Whitespace-normalised text, or 422 when blank or longer than RAGQA_MAX_QUESTION_CHARS."""
    if len(text) > settings.max_question_chars:
        raise ApiError(422, f"`{field}` is {len(text)} characters long; the limit is {settings.max_question_chars} "
                            "(RAGQA_MAX_QUESTION_CHARS). Shorten it.")
    normalised = " ".join(text.split())
    if not normalised:
        raise ApiError(422, f"`{field}` is blank: send some text.")
    return normalised


def check_top_k(top_k: int | None, settings) -> int:
    k = settings.top_k if top_k is None else top_k
    if not 1 <= k <= settings.max_top_k:
        raise ApiError(422, f"`top_k` must be between 1 and {settings.max_top_k} (RAGQA_MAX_TOP_K); got {k}.")
    return k
