"""Chat shorthand written out before a question is read (service/shorthand.py)."""

from __future__ import annotations

import pytest

from ragqa.service.shorthand import written_out

# How many passages use each word, as Retriever.word_counts answers (here a plain table): an engineering article
# that says 'diff'.
USED = {"diff": 3}


def counts(words):
    return {w: USED.get(w, 0) for w in words}


@pytest.mark.parametrize(("typed", "meant"), [
    ("n for leeds ppl?", "and for leeds people?"),
    ("how long does my pw have to be??", "how long does my password have to be??"),
    ("lost my card wat do i do first", "lost my card what do i do first"),
    ("Wat do I do?", "What do I do?"),  # a capital stays a capital
    ("diff q - when's the release freeze", "different question - when's the release freeze"),  # a phrase, always
    ("feel awful cant come in tmrw", "feel awful can't come in tomorrow"),
    ("how big can a diff be?", "how big can a diff be?"),  # a word the articles use stays
    ("Is U grade the same as R?", "Is U grade the same as R?"),  # a capital letter alone is a name or grade
    ("n/a for me", "n/a for me"),  # part of a longer token
    ("How many days of leave do I get?", "How many days of leave do I get?"),  # nothing to write out
])
def test_chat_shorthand_the_articles_do_not_use_is_written_out(typed, meant):
    assert written_out(typed, counts) == meant
