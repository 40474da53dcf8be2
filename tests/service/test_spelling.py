"""Typos mended from the words the asker's articles use (service/spelling.py)."""

from __future__ import annotations

import pytest

from ragqa.service.spelling import mended_spelling

# How many passages use each word, as Retriever.word_counts answers (here a plain table).
USED = {"password": 9, "receipt": 4, "accommodation": 3, "decade": 2, "bother": 1, "programme": 2,
        "notifiication": 2}  # as the stemmed index counts it: 'notifi', the stem of 'notify'


def counts(words):
    return {w: USED.get(w, 0) for w in words}


@pytest.mark.parametrize(("question", "mended"), [
    ("min pasword length?", "min password length?"),  # a letter doubled
    ("Do I need a reciept?", "Do I need a receipt?"),  # two letters swapped
    ("Who books acommodation?", "Who books accommodation?"),
    ("Pasword rules?", "Password rules?"),  # the first word keeps its capital
    ("Who will decide?", "Who will decide?"),  # a vowel for another is not tried: 'decide' is no 'decade'
    ("Can my brother come?", "Can my brother come?"),  # nor a letter dropped: 'brother' is no 'bother'
    ("Is the Pasword Bank open?", "Is the Pasword Bank open?"),  # a name inside the question is left alone
    ("What is the programme?", "What is the programme?"),  # a word the articles use stays
    ("I got a notification on my phone", "I got a notification on my phone"),  # another form of 'notify', no slip
])
def test_common_slips_are_mended_to_words_the_articles_use(question, mended):
    assert mended_spelling(question, counts) == mended
