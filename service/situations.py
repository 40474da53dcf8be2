"""The asker's situation and the situations rules are written for.

'My hotel room came with a morning meal. Does that change the daily allowance?' states a situation before it
asks; the rule that answers is written for that situation in other words ('when breakfast is included in your
hotel rate, reduce the per diem by 20%'), and a table row names it in its first cell ('Flight cancelled or missed:
call Skyroute's 24-hour line'). The question as a whole shares few words with such a rule, so the situation is
compared, by meaning, with each rule's own condition.
"""

from __future__ import annotations

import re

from ragqa.sentences import Span
from ragqa.service.question_types import scene_and_question
from ragqa.service.ranges import span_label
from ragqa.words import content_terms

# A rule's condition: its leading clause ('If you have also lost your MFA device', 'When breakfast is included in
# your hotel rate'), after an optional bold label ('Breakfast deduction (new in 2026): when ...').
# ('Business need. If your director asked you ...': after a label that ends in a full stop too)
_CONDITION = re.compile(r"^(?:[\w ()-]{0,40}[:.]\s*)?"
                        r"((?:if|when|whenever|where|once|in case|should you)\b[^,;:]{3,120}"
                        # with the rest of a list of cases, up to the comma before the rule: 'If you are ill,
                        # injured or caught up in an emergency abroad, call ...'
                        r"(?:(?:,\s*\w+(?:\s+\w+){0,2})*,?\s+(?:or|and)\s+[^,;:]{1,60}(?=,))?)", re.I)
SITUATION_FLOOR = 0.45  # closeness in meaning below which a condition is another situation
SITUATION_WEIGHT = 0.3  # relevance added per unit of closeness above the floor


def rule_condition(span: Span) -> str:
    """The situation a sentence, list item or table row is written for: its leading 'if/when' clause, a row's first
    cell, or a case's label before its colon; '' when it names none."""
    match = _CONDITION.match(span.readable) if span.kind != "row" else None
    return match.group(1) if match else span_label(span)


# A section heading that names a situation ('Lost or stolen card', 'Faults and damage', 'If you discover a fire'):
# what the section says is written for it, as an 'if' clause is. A heading naming a task ('Setting up MFA') is not.
_MISHAP = re.compile(r"\b(?:lost|stolen|broken|damaged?|cancel(?:l?ed|lations?)|missed|delayed|forgotten|locked out"
                     r"|compromised|injur(?:y|ies|ed)|accidents?|near miss(?:es)?|emergenc(?:y|ies)|goes wrong"
                     r"|something happens)\b", re.I)


def heading_condition(heading: str) -> str:
    """The situation a section heading names ('Lost or stolen card'), or ''."""
    match = _CONDITION.match(heading)
    if match:
        return match.group(1)
    return heading if _MISHAP.search(heading) else ""


# A question's own leading condition: 'If I'm doing a site visit on my own, how often do I check in?'
_ASKED_IF = re.compile(r"^\s*((?:if|when|whenever|once|in case)\b[^,;:?]{3,120}),\s*\S", re.I)


# ... or its closing one: 'What's the first thing I should do if I spot a fire in the office?'
_CLOSING_IF = re.compile(r"\s(?:if|when|in case)\s+((?:i|i'm|i’m|we|you|my|our|someone|somebody|a|an|the|things|it"
                         r"|it's|it’s|he|she|they|he's|she's|they're|his|her|their)\b"
                         r"[^?,;]{3,120})\?*\s*$", re.I)


# The asker's own scene: in the first person, or with the subject left out ('Planning a trip to Singapore, ...').
_ASKERS_OWN = re.compile(r"\b(?:i|i'm|i’m|i've|i’ve|i'd|i’d|me|my|we|we're|we’re|our|us)\b|^\s*\w+ing\b", re.I)


# ... or the scene of the colleague the asker speaks for ('Megan thinks her card was stolen. She's asking me what she
# needs to do first.'), told in the third person
_RELAYED_FOR = re.compile(r"\b(?:asked|asking|asks|wants to know|wondering|would like to know)\b", re.I)
_SOMEONES = re.compile(r"\b(?:he|she|they|his|her|their|him|them)\b", re.I)


def stated_situation(context: str, asked: str) -> str:
    """The situation the asker states: the statements before the question, the clause that leads into the question
    ('I think I left my company card in a taxi, what do I do?') and the question's leading or closing 'if' clause."""
    match = _ASKED_IF.match(asked)
    scene = match.group(1) if match else scene_and_question(asked)[0]
    if not match and not _ASKERS_OWN.search(scene) and not (_RELAYED_FOR.search(asked) and _SOMEONES.search(scene)):
        scene = ""  # 'Xi has invited Lee to Beijing - what's the occasion?': a fact, not the asker's situation
    closing = _CLOSING_IF.search(asked)
    return " ".join(part for part in (context, scene, closing.group(1) if closing else "") if part)


def situation_bonus(closeness: float) -> float:
    return SITUATION_WEIGHT * max(0.0, closeness - SITUATION_FLOOR)


def is_conditional(condition: str) -> bool:
    """Is the condition a clause ('If you have also lost your MFA device'), not a label ('Connect', a row's cell)?"""
    return bool(re.match(r"(?:if|when|whenever|where|once|in case|should you)\b", condition, re.I))


# 'a hotel without breakfast' is the opposite of a rule 'when breakfast is included': what the asker says they are
# without (or have no, or are not) does not make a rule about having it theirs.
_WITHOUT = re.compile(r"\b(?:without|no|not|non-|never)\s*(?:a |an |the |any )?([a-z]{3,})"
                      # 'the hotel doesn't do breakfast', 'we don't have a car'
                      r"|\b(?:doesn[’']t|does not|don[’']t|do not|didn[’']t|did not|won[’']t|will not)\s+"
                      r"(?:do|have|include|offer|provide|serve|come with|get|own)\s+(?:a |an |the |any )?([a-z]{3,})"
                      # 'breakfast isn't included at the hotel'
                      r"|\b([a-z]{3,})\s+(?:isn[’']t|is not|wasn[’']t|was not|aren[’']t|are not|won[’']t be"
                      r"|will not be)\s+(?:included|provided|offered|served|available"
                      # 'Breakfast is not in the hotel price'
                      r"|in (?:the|my|our|your) (?:[a-z]+ ){0,2}?(?:price|rate|cost|deal|booking|package|fare))\b",
                      re.I)
# 'nobody asked me in writing to skip it': what nobody did is not the case of a rule 'if your director asked you ...'
_NOBODY_DID = re.compile(r"\b(?:nobody|no one|no-one)\s+(?:has |had |ever )?([a-z]{3,})", re.I)
_LACKING = re.compile(r"\b(?:without|no|not|never|lost|lose|losing|missing|forgot(?:ten)?|broken|stolen|cannot|can't"
                      r"|unable|left)\b", re.I)


# 'I just found a taxi receipt from a trip' is not the case of 'If a receipt is lost': what the asker has in hand
_IN_HAND = re.compile(r"\b(?:found|still have|have got|i have|i've got|kept)\s+(?:a|an|the|my|some|this|that)?\s*"
                      r"((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)(?=\s+(?:from|for|of|that|which|in|on|at|with|and)\b"
                      r"|\s*[.,;:!?]|\s*$)", re.I)
_GONE = re.compile(r"\b([a-z][\w-]*)\s+(?:is|are|was|were|has been|have been|gets|get)\s+(?:lost|missing|mislaid)"
                   r"|\b(?:lost|lose|mislaid|misplaced)\s+(?:(?:a|an|the|your|their)\s+)?([a-z][\w-]*)", re.I)


def contradicts(situation: str, condition: str) -> bool:
    """Is the condition about having what the asker's situation says they are without, about what it says
    nobody did, or about having lost what the asker has in hand?"""
    undone = content_terms(" ".join(_NOBODY_DID.findall(situation)))
    if undone and content_terms(condition) & undone:
        return True
    in_hand = content_terms(" ".join(_IN_HAND.findall(situation)))
    if in_hand and content_terms(" ".join(w for found in _GONE.findall(condition) for w in found)) & in_hand:
        return True
    lacked = content_terms(" ".join(w for found in _WITHOUT.findall(situation) for w in found))
    if not lacked:
        return False
    if _LACKING.search(condition):
        return False  # 'If you have lost your MFA device' is the situation of one who has none
    return bool(content_terms(condition) & lacked)
