"""Whether a thing the asker wants to carry into next year is one the articles ever speak of carrying.

'Does unused learning budget roll over?' over articles where only annual leave carries over ('You may carry over
up to 8 days of unused annual leave'): the leave sentence speaks of carrying over and another kind of thing, the
budget's sentence of the budget and no carrying. Neither answers; the articles do not say. The kinds of thing one
carries are few and general (leave, money set aside, hours worked over, points), so they are listed here.
"""

from __future__ import annotations

import re

# 'carry over', 'roll over', 'carried forward', 'move to next year', 'added to next year's', 'transfer into 2027'
_CARRYING = re.compile(r"\b(?:carr(?:y|ied|ies|ying)|roll(?:s|ed|ing)?|bring|brought|mov(?:e|ed|es|ing)"
                       r"|transferr?(?:ed|ing|s)?|add(?:ed)?|sav(?:e|ed|ing)|keep|kept)\b(?:\s+[\w'’-]+){0,4}?\s+"
                       r"(?:over|forward)\b"
                       r"|\b(?:carry|roll)-?over\b"
                       r"|\b(?:carr(?:y|ied|ies|ying)|roll(?:s|ed|ing)?|mov(?:e|ed|es|ing)|transferr?(?:ed|ing|s)?"
                       r"|add(?:ed)?|bring|brought|sav(?:e|ed|ing)|use[ds]?|take|taken)\b(?:\s+[\w'’-]+){0,4}?\s+"
                       r"(?:in)?to (?:the )?(?:next|following|new) (?:leave )?year"
                       # ('can I use the rest next year?': what is left, used in the next)
                       r"|\b(?:the rest|what(?:['’]s| is) left|the remainder|(?:any|the) leftover|unused|remaining)\b"
                       r"[^?.!]{0,30}?\b(?:next|the following) year\b", re.I)

# the kinds of thing carried, each as the words that name it (as words: 'allowance' is not 'allowed')
_KINDS: tuple[re.Pattern, ...] = tuple(re.compile(rf"\b(?:{words})\b", re.I) for words in (
    r"leave|holidays?|vacations?|days?(?: off)?|annual",
    # (money set aside for learning, however the asker names what it pays for: 'spend on training and courses')
    r"budgets?|allowances?|funds?|funding|money|pot|training|courses?|learning|conferences?|certifications?",
    r"hours|overtime|lieu",
    r"points|credits?",
))


def _kinds_named(text: str) -> set[int]:
    return {i for i, words in enumerate(_KINDS) if words.search(text)}


def asks_carrying(question: str) -> bool:
    return bool(_CARRYING.search(question))


def carried_elsewhere_only(question: str, sentences: list[str]) -> bool:
    """Does the question ask to carry a kind of thing (its budget) over into another year, while no sentence that
    speaks of carrying over names that kind? `sentences`: the candidates the answer would be chosen from, each with
    its section's heading. (Leave, which the leave sentences answer for, is the kind asked only when no other kind
    is named: 'days' or 'annual' beside 'learning budget' are the budget's.)"""
    if not asks_carrying(question):
        return False
    asked = _kinds_named(question) - {0}
    if not asked:
        return False
    return not any(asked & _kinds_named(s) for s in sentences if asks_carrying(s))
