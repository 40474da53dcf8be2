"""A thing the articles name without giving the value asked of it.

'How much is the meal allowance Porto staff get?' over an article saying only 'Porto staff receive a meal
allowance with their salary': the passages speak of the meal allowance, none gives its amount, and the sentence
that holds an amount ('The merit pool is 3.2% of payroll') is about something else. Answering with it would be
a confident wrong figure; the answer is that the articles do not say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ragqa.places import place_of
from ragqa.sentences import STOPWORDS, content_terms
from ragqa.service.grounding import VALUE_KINDS
from ragqa.service.question_types import has_value, holds_typed_value, question_kind, scene_and_question, typed_value
from ragqa.words import acronym_terms, leading_content_words, matched_terms, stem

_DETERMINER = r"(?:the |a |an |my |our |your )?"


def _noun_phrase(least: int = 1, most: int = 3) -> str:
    """The pattern of the thing a question asks of, as group 'np': a lower-case word and `least` to `most` more,
    as few as the text after it allows."""
    return rf"(?P<np>[a-z][\w-]*(?: [a-z][\w-]*){{{least},{most}}}?)"


# 'How much is the meal allowance ...?', 'What is the season ticket loan limit?', 'How much does the pass cost?'
# 'How much of the Andante pass does Fernhill pay?', 'What's the most I can borrow through the season ticket loan?'
_VALUE_OF = re.compile(
    # 'how much do Porto staff get as a meal allowance?', 'is there a limit on the season ticket loan?'
    r"^\s*(?:how much (?:do|does|will|would|can) (?:[\w-]+ ){1,2}?(?:get|receive|have) (?:as|in|for|from|through)"
    r"|is there (?:a|any) (?:[a-z]+ (?:or [a-z]+ )?)?(?:limit|cap|maximum|max|ceiling) (?:on|for|to)"
    r"|(?:(?:could|can|would) you (?:please )?(?:tell me|let me know)|do you know|tell me)\s+(?:what(?:'s| is) )?"
    r"the (?:amount|value|rate|cost|price|size|level|figure) (?:of|for)|how much (?:is|are|was|does|do|will|of)"
    r"|what(?:'s|’s| is| are| was)(?: the)? (?:amount|value|rate|cost"
    r"|price|size|level|figure) (?:of|for)|what(?:'s|’s| is|s) the (?:maximum|most|limit|amount|max)"
    r"(?: amount| sum)?(?: that)? (?:i|we|you|staff) (?:can|could|may) (?:borrow|claim|get|spend|take|receive)"
    r" (?:through|from|on|with|under|for|in))"
    rf"\s+{_DETERMINER}{_noun_phrase()}"
    r"(?=\s+(?:that|which|for|of|in|at|on|with|when|if|per|cost|costs|come|worth|i|we|you|staff|does|do|will|each"
    r"|every|a)\b|\s*\?|\s*$)", re.I)


_NP = _DETERMINER + _noun_phrase()
# 'Who are the first aiders for floor 3?', 'How many weeks of full pay do you get on maternity leave?': the thing
# a person or a count is asked of. (Not 'When is the Leeds office closed?': a date is asked of what happens, and
# the office is named by many sentences that give none.)
_WHO_OF = re.compile(rf"^\s*who (?:is|are|was|were) (?:the )?(?:current )?{_NP}(?=\s+(?:for|of|in|at|on)\b|\s*\?)",
                     re.I)
_COUNT_ON = re.compile(rf"^\s*how (?:many|much) (?:[\w-]+ ){{1,4}}?(?:do|does|can|will|would)"
                       rf" (?:i|we|you|staff|employees) (?:get|have|receive|take) (?:on|for|during|of) {_NP}"
                       r"(?=\s*\?|\s+(?:if|when|in|at)\b)", re.I)


# 'How many weeks (of) paternity leave do we get?', '... do dads get?', '... do Leeds staff get?': the thing counted
# after its unit, whoever gets it.
_COUNT_OF = re.compile(rf"^\s*how (?:many|much) [\w-]+ (?:of )?{_NP}\s+(?:do|does|can|will|would)"
                       r" (?:[\w'’-]+ ){1,2}?(?:get|have|receive|take)\b", re.I)


# 'What percentage of the Andante pass does Fernhill pay?': the thing a share is asked of
_SHARE_OF = re.compile(r"^\s*(?:what|which) (?:percentage|percent|share|proportion|fraction|part) of "
                       rf"(?:the |a |an |my |our |your |her |his |their )?{_noun_phrase(least=0)}"
                       r"(?=\s+(?:does|do|will|would|is|are|can|gets?|paid|covered)\b)", re.I)
# 'What does a monthly pass at the Parque Trindade car park actually cost?': the thing priced, before where it is
_COST_OF = re.compile(r"^\s*(?:(?:and|so|roughly|approximately|about|ok(?:ay)?),?\s+)?(?:what|how much) (?:does|do|will"
                      rf"|would) {_DETERMINER}{_noun_phrase(most=4)}"
                      r"(?=(?:\s+(?:at|in|near|from|for) (?:the )?[\w'’ -]+?)?\s+(?:actually |really |currently |now )?"
                      r"cost\b)", re.I)


# 'How many euros per day is this meal allowance?': the thing an amount in a currency is asked of
_CURRENCY_OF = re.compile(r"^\s*how (?:many (?:euros|pounds|dollars|francs|kroner)|much money)"
                          r"(?: (?:a|per|each) [a-z]+)? (?:is|are|was|will be) (?:this|that|these|the|my|our|your) "
                          rf"{_noun_phrase()}(?=\s*\?|\s*$|\s+(?:per|a|each|worth)\b)", re.I)
# 'I heard we get a meal allowance instead of a café. How much is it per day?': the thing the scene names, asked of
_AMOUNT_OF_IT = re.compile(r"^\s*how much (?:is|are|was|will be|would be) (?:it|that|this|they)\b(?!\s+(?:to|for)\b)",
                           re.I)
_SCENE_THING = re.compile(r"\b(?:a|an|the|our|my|this|that)\s+((?:[a-z][\w-]*\s+){1,2}[a-z][\w-]*)")


# 'whats the max season ticket loan i can get?': the thing between the superlative and who may have it
_MOST_OF = re.compile(r"^\s*what(?:'s|’s| is|s) the (?:maximum|max|most|largest|biggest|highest)\s+"
                      rf"(?!(?:i|we|you|staff|amount|sum)\b){_noun_phrase()}"
                      r"(?=\s+(?:that\s+)?(?:i|we|you|staff)\s+(?:can|could|may)\b)", re.I)


# 'Does Fernhill chip in for home broadband?', 'Will the company cover my gym membership?': whether a thing is paid
# for; answered only by a sentence saying so about it (_PAYING), not by one that only names it.
_PAID_FOR = re.compile(rf"^\s*(?:(?:and|also|so|but|plus),?\s+)?(?:does|do|will|would|can|could) (?:the company"
                       r"|my employer|work|we|they|[A-Z][\w-]*) (?:pay (?:anything |something |any money |money )?"
                       r"(?:for|towards?)|chip in (?:for|towards?|on)|cover|contribute (?:anything )?(?:to|towards?)"
                       r"|reimburse|subsidi[sz]e|fund) (?:their |his |her )?"
                       rf"{_NP}"
                       r"(?=\s+(?:if|when|for|at|while|as|since|because)\b|\s*[?,]|\s*$)", re.I)
_PAYING = re.compile(r"\b(?:pay|pays|paid|cover|covers|covered|reimburs\w*|claim\w*|allowances?|expens\w*"
                     r"|subsidi\w*|contribut\w*|free|costs?|funded|budget)\b|[£€$]\s?\d", re.I)


_PAID_AMOUNTS = frozenset({"bill", "bills", "cost", "costs", "fee", "fees", "charge", "charges", "price"})
_HOW_OFTEN = frozenset(content_terms("daily weekly monthly yearly annual annually"))  # when it comes, not what


def valued_thing(question: str) -> frozenset[str]:
    """The content words of the thing whose amount the question asks ('meal', 'allowance'), or none. Only a thing
    of two or more words: one word ('the excess', 'the cost') is too often said in other words."""
    scene, asked = scene_and_question(question)  # not the scene: "my team member is about to become a dad, ..."
    if _AMOUNT_OF_IT.match(asked):
        return _thing_in_scene(scene)
    patterns = (_VALUE_OF, _MOST_OF, _SHARE_OF, _COST_OF, _CURRENCY_OF, _WHO_OF, _COUNT_ON, _COUNT_OF, _PAID_FOR)
    match = next((m for m in (p.match(asked) for p in patterns) if m), None)
    if not match:
        return frozenset()
    # (a place only says where: 'the Leeds season ticket loan' is the season ticket loan; 'the Andante pass' is not
    # any pass)
    words = match.group("np").split()
    named = _named_in_scene(words, scene)
    if named:
        # 'My colleague has an Andante monthly pass. What percentage of the pass does ...?': the Andante pass
        words = [named, *words]
    if match.re is _PAID_FOR and len(words) > 2 and words[-1].lower() in _PAID_AMOUNTS:
        words = words[:-1]  # 'my home broadband bill': what is paid for is the broadband, whatever its bill says
    unnamed = [w for w in words if not (w[:1].isupper() and place_of((stem(w.lower()),)))] or words
    terms = content_terms(" ".join(unnamed))
    # (how often it comes only says when: 'the daily meal allowance' is a meal allowance, whether or not a text
    # calls it daily)
    kind = terms - _HOW_OFTEN
    terms = kind if len(kind) >= 2 else terms
    return frozenset(terms) if len(terms) >= 2 else frozenset()


_NOT_THING = frozenset({"instead", "too", "also", "again", "now", "today", "tomorrow", "tonight", "here", "there",
                        "anyway", "though", "next", "last", "week", "weekend", "month", "year"})


def _thing_in_scene(scene: str) -> frozenset[str]:
    """The content words of the first thing of two or more words the scene names ('a meal allowance' in 'I heard we
    get a meal allowance instead of a café'), up to its first word that is no content word; none when it names
    none."""
    for found in _SCENE_THING.finditer(scene):
        terms = content_terms(" ".join(leading_content_words(found.group(1).split(), but=_NOT_THING))) - _HOW_OFTEN
        if len(terms) >= 2:
            return frozenset(terms)
    return frozenset()


def _named_in_scene(words: list[str], scene: str) -> str | None:
    """The name the scene gives the thing ('Andante' in 'her Andante monthly pass' for 'the pass'), when the
    question's words for it lack it; None for a place, which only says where."""
    head = re.escape(words[-1]) if words else None
    found = re.search(rf"\b([A-Z][\w'’-]+)\s+(?:[a-z][\w-]*\s+){{0,2}}{head}\b", scene) if head else None
    if not found or found.group(1).lower() in {w.lower() for w in words}:
        return None
    name = found.group(1)
    return None if name.lower() in STOPWORDS or place_of((stem(name.lower()),)) else name


def speaks_without_value(question: str, sentences: list[str]) -> bool:
    """Do the sentences name the asked thing (all its words in one sentence) while none that names it holds a value
    of the kind asked? `sentences`: the candidates the answer would be chosen from."""
    thing = valued_thing(question)
    if not thing or not sentences:
        return False
    naming = [s for s in sentences if _names(thing, s, question)]
    return bool(naming) and not any(map(_value_test(question), naming))


def valued_elsewhere_only(question: str, sentences: Iterable[tuple[str, str]], answering: str) -> bool:
    """Is the asked thing named only in other articles than `answering` (the article the answer would quote), and
    valued in none of their sentences? 'How much is the Porto meal allowance?': the office guide names the meal
    allowance without an amount, and the buddy article's '€25 per month on a lunch' is another thing's amount.
    `sentences`: (article, sentence) for every retrieved sentence, read only when the question asks a thing's value."""
    thing = valued_thing(question)
    if not thing:
        return False
    naming = [(doc, s) for doc, s in sentences if _names(thing, s, question)]
    if not naming or any(doc == answering for doc, _ in naming):
        return False
    valued = _value_test(question)
    return not any(valued(s) for _, s in naming)


def _names(thing: frozenset[str], text: str, question: str) -> bool:
    """Does the text name the thing (all its words, in any form, or by their acronym: 'PRs' for 'pull requests')?"""
    return matched_terms(set(thing), content_terms(text) | acronym_terms(question, text)) == thing


def _value_test(question: str) -> Callable[[str], bool]:
    """Whether a sentence holds a value of the kind the question asks (read from the question once)."""
    if _PAID_FOR.match(scene_and_question(question)[1]):
        return lambda text: bool(_PAYING.search(text))
    value_type, kind = typed_value(question), question_kind(question)
    if value_type:
        return lambda text: holds_typed_value(value_type, text)
    if kind in VALUE_KINDS:
        return lambda text: has_value(kind, text, question)
    # a question of no recognised kind ('whats the max i can borrow on the loan'): an amount is a figure
    return lambda text: bool(re.search(r"\d", text))
