"""Relevance of passage sentences to a question, citation validation and renumbering, and support scoring.

Support is measured offline: a sentence is supported when its content words (and every figure in it) are found
in the passages it cites, or when it is semantically close (embedding cosine) to one of their sentences. This
catches invented facts, invented figures and wrong citations; it does not prove entailment (a negated
paraphrase can still look supported).
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ragqa.dates import stated_date
from ragqa.places import countries_named, countries_placed, country_of, mentions_country, place_of, region_named
from ragqa.policy_words import NEGATED, policy_forms, policy_matches, policy_words, with_policy_words
from ragqa.sentences import STOPWORDS, Span, clean_inline, content_terms, split_sentences, stem, words
from ragqa.service.capacity import asked_capacity, row_capacity
from ragqa.service.categories import category_listed
from ragqa.service.compounds import (
    absent_phrase,
    asked_amount_of,
    asked_attribute,
    asked_category,
    asked_object,
    asked_subject,
    hyphenated_kinds,
    names_no_kind,
    object_kind,
    other_kind,
    other_spelled_kind,
    purpose_kind,
    question_compounds,
    sought_thing,
    unknown_kinds,
    unknown_thing,
)
from ragqa.service.llm.base import Passage
from ragqa.service.models import SentenceSupport
from ragqa.service.question_types import (
    EXAMPLE_INTRO,
    about_past,
    asks_about_now,
    asks_how_often,
    asks_old_version,
    asks_still,
    asks_whom_to_tell,
    counted_doing,
    counted_kind,
    dated_before_current,
    has_shape,
    has_value,
    holds_figure,
    holds_typed_value,
    is_search_query,
    measured_thing,
    names_a_member,
    negated_terms,
    past_markers,
    past_year,
    question_kind,
    quota_activity,
    relayed_in,
    scene_and_question,
    situation_times,
    split_context,
    states_change,
    typed_value,
    wants_figure,
    which_category,
    without_believed_figures,
    years_had_since,
)
from ragqa.service.ranges import (
    DAY_OF_MONTH,
    DURATION_UNITS,
    in_unit,
    label_range,
    question_quantities,
    range_fits,
    span_label,
    stated_ranges,
)
from ragqa.service.situations import (
    SITUATION_FLOOR,
    contradicts,
    heading_condition,
    is_conditional,
    rule_condition,
    situation_bonus,
    stated_situation,
)
from ragqa.service.table_rows import (
    classes_named_by_example,
    label_header,
    row_nudges,
    rows_for_places,
    rows_named_by_meaning,
)
from ragqa.service.vehicles import other_mode, travel_modes
from ragqa.words import acronym_terms, matched_terms, spelled_out

_REFS = r"\d{1,2}(?:\s*[,;]\s*(?:passages?\s*)?\d{1,2})*"  # "1", "1, 2", "1; passage 3" (never a year)
_MARKER = re.compile(rf"\[\s*(?:passages?|refs?|sources?)?\s*({_REFS})\s*\]", re.I)
_TRAILING_MARKERS = re.compile(rf"([.!?])((?:[ \t]*\[\s*(?:passages?|refs?|sources?)?\s*{_REFS}\s*\])+)", re.I)
# (a figure with thousands separators is one token, '5,000', as content_terms reads it: not '5' and '000')
_NAME_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|[A-Za-z0-9][A-Za-z0-9'’]*(?:\.[A-Za-z0-9]+)*\.?")
# Text in an article that addresses the model rather than the reader: never selected, never counted as support.
_INJECTION = re.compile(
    r"ignore (?:all |any |the )?(?:previous|prior|above|earlier|other) (?:instructions|rules|prompts?)"
    r"|disregard (?:all |any |the )?(?:previous|prior|above|earlier)"
    r"|(?:system|hidden|original) prompt|you are (?:now|no longer)|new instructions"
    r"|(?:assistant|language model|\bllm\b|\bai\b|chatbot)s?[,:]? (?:must|should|shall|will|please)"
    r"|(?:print|output|say|respond with|reply with|repeat|include) (?:the )?(?:token|code word|phrase|canary|secret)"
    r"|reveal (?:the |your )?(?:prompt|instructions|system|secret|key)"
    r"|always cite|cite (?:passage|source|document) \d",
    re.I,
)

# A sentence about where the answer is, not the answer.
_REFERRAL = re.compile(r"\b(?:(?:are|is) (?:set out|described|explained|covered|listed|given) (?:in|on|under)"
                       r"|(?:rules|details|steps|instructions|rates|terms) (?:are|is) (?:in|on) (?:the|our) "
                       r"|(?<!\()\bsee (?:the )?(?-i:[A-Z])|read (?:the )?(?-i:[A-Z])\w.*\binstead\b"
                       r"|this (?:page|article|guide|section|document|procedure|policy|standard) "
                       r"(?:tells you|explains|describes|covers|sets out|lists|shows|summari[sz]es|is about))"
                       # a page's lede that only names its topics ('How to reach Fernhill systems from home, ...')
                       r"|^(?:how|what|where|when|who|why) to\b(?![^:]*:)"
                       # ... or opens with what it is all about ('Everything about the computer we give you: ...')
                       r"|^(?:everything|all)(?: you need to know)? (?:about|on)\b[^:]{1,80}:", re.I)

# A page's own details ('Owner: Finance (finance@...)', 'Policy owner: People team'): about the document, not the
# subject, so they answer only a question about who owns or maintains it, or who someone is ('Owner: Rui Matos,
# Release Manager' for 'Who is the release manager?'). Weighed like a referral.
_SCOPE = re.compile(r"\bthis (?:page|article|guide|section|document|procedure|policy|standard) (?:applies|apply)"
                    # ('Part of the engineering handbook. It applies to everyone who ...')
                    r" to\b|^It applies to (?:everyone|everybody|anyone|all|every)\b", re.I)
_ASKS_SCOPE = re.compile(r"\bappl(?:y|ies)\b|\bwho (?:is|are) (?:it|this|that|they) for\b|\bcover(?:s|ed)?\b", re.I)
_PAGE_DETAIL = re.compile(r"^\W*(?:[\w-]+\s+){0,2}(?:owners?|maintainers?|authors?|sign-off)\s*:", re.I)
# 'Who can I talk to about ...?', 'who should I contact?': whom to turn to; and a sentence that says so ('Contact Sophie
# Lang or post privately to the People team, ...', 'Ask your office manager.')
_WHOM_TO_CONTACT = re.compile(r"\bwho(?:m)?\s+(?:do|can|should|could|would|must)\s+(?:i|we)\s+"
                              r"(?:need to\s+|have to\s+)?(?:talk|speak|go|turn|contact|ask|get in touch|reach out"
                              r"|call|ring|email|message)\b", re.I)
# Whom to turn to: someone to contact, ask or tell, or a person named ('Gareth Holloway (Leeds)')
_SAYS_WHOM = re.compile(r"\b(?:contact|ask|talk (?:to|with)|speak (?:to|with)|email|call|ring|phone|message"
                        r"|get in touch|reach out|go to|turn to|tell|raise (?:it|this|them) with"
                        r"|report (?:it |this )?to|escalate|responsible|owner|lead|in charge|handles?|runs?)\b"
                        # (a person's name: not a company's, 'Fernhill Labs', nor a street's)
                        r"|(?-i:\b[A-Z][a-z]+ (?!(?:Labs|Ltd|Limited|Inc|Group|Mutual|Bank|Travel|Agency|Council"
                        r"|University|Office|Team|Street|Road|Lane|Square)\b)(?:[A-Z][a-z]+|[A-Z]\.))",
                        re.I)
# 'Once the first few days have passed, what pay ...?': a stage after the first, which a table labels 'After that'
_ASKS_LATER_STAGE = re.compile(r"\b(?:after|once|beyond|past) (?:the |those |these )?(?:first|initial|opening) "
                               r"(?:few |couple of )?(?:\w+ )?(?:days|weeks|months|period)\b"
                               r"|\b(?:once|when) (?:the |those |these )?(?:first|initial) [\w ]{0,20}?(?:have|has|are"
                               r"|is) (?:passed|over|gone|up|used)\b", re.I)
# ... or 'today is day four: what happens to my pay from now on?': from a day the asker has reached
_FROM_NOW_ON = re.compile(r"\b(?:from now on|going forward|from here on|from today|from tomorrow)\b", re.I)
_DAY_NUMBER = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)"
_DAY_REACHED = re.compile(rf"\b(?:day {_DAY_NUMBER}|{_DAY_NUMBER} (?:days|weeks) (?:in|now|so far|off)"
                          r"|(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) day)\b", re.I)
_LATER_STAGE_LABEL = re.compile(r"^(?:after that|thereafter|afterwards|after (?:this|these|those|the first))\b", re.I)
# A page's summary line, which restates its rules more loosely ('In short: 23 days of leave plus public holidays')
_SUMMARY_LINE = re.compile(r"^(?:in short|in summary|in brief|summary|tl;?dr|at a glance|the short version)\b\s*[:,-]",
                           re.I)
_CONTACT_STEP = re.compile(r"^(?:please\s+)?(?:contact|ask|talk to|speak to|email|call|ring|message|get in touch with"
                           r"|reach out to)\b", re.I)
# '... a discount at a gym?', '... for a pet?': a thing a yes/no question brings in with 'a' after a preposition
# (where it is may follow: 'a discount at a gym near the Leeds office?')
_INTRODUCED_PLACE = re.compile(r"\b(?:at|for|on|with|in|to|towards)\s+an?\s+([a-z]{3,})"
                               r"(?:\s+(?:near|by|close to|next to|around|in|at)\s+[^?.!,]{0,40}?)?\s*[?.!]*\s*$", re.I)
_ASKS_OWNER = re.compile(r"\b(?:owns?|owners?|owned|maintains?|maintainers?|authors?|wrote|responsible)\b", re.I)

# A worked example, by its section ('Examples', 'Worked example') or its opening ('For example, ...').
_EXAMPLES_HEADING = re.compile(r"^(?:worked |some )?examples?\b|\bexamples$|^case stud(?:y|ies)\b", re.I)
_EXAMPLE = re.compile(r"^(?:for example|for instance|e\.g\.|example:)", re.I)
def _works_out_asked(example: str, asked: set[str]) -> bool:
    """Does what a worked example works out (after its case and colon: '2 x (£55 - 20%) = £88 per diem') say a word
    of what is asked? An example with no colon ('someone working 3 days a week receives 15.6 days') is its case and
    its working at once: the case matching is enough."""
    if ":" not in example:
        return True
    working = example.split(":", 1)[1]
    # (not 'per' or the units counted: '£88 per diem' says nothing of 'per night')
    said = set(asked) - _RATE_WORDS - {stem(unit) for _, unit in question_quantities(example)}
    return bool(matched_terms(said, content_terms(working)))


_RATE_WORDS = frozenset(content_terms("per each every"))


# what people said or asked for, reported ('many people said that 5 days was too little')
_REPORTED = re.compile(r"\b(?:people|staff|colleagues|employees|many|respondents|managers|teams|you)\s+(?:have\s+)?"
                       r"(?:said|told us|asked for|felt|complained|suggested)\b", re.I)
# A section of exceptions to the rule ('Exceptions', 'Special cases', 'Exemptions').
_EXCEPTIONS_HEADING = re.compile(r"^(?:exceptions?|special cases?|exemptions?)\b", re.I)

# A sentence opening with the subgroup it is about: the general rule answers a question that names none.
_CONDITION = re.compile(r"^(?:in your first [\w-]+|during (?:your )?(?:first [\w-]+|probation|notice)|(?:if|when|while)"
                        r" you (?:are|work|have|join|start)(?: on| in| a| an)? [\w-]+"
                        r"(?:(?:,\s[\w-]+)*,?\s(?:or|and)\s[\w-]+)?"  # (its alternatives: 'ill, injured or caught up')
                        r"|for (?:part-time|new|temporary"
                        r"|fixed-term|casual|agency|senior)[\w -]{0,20}?,|until you have [\w ]{0,30}?,)", re.I)
# Subgroups that exclude each other: a rule for one does not answer a question about the other ('Full-time staff
# receive 25 days' for 'I work part-time').
_OPPOSITE_GROUPS = (("full-time", "part-time"), ("permanent", "temporary"), ("permanent", "fixed-term"),
                    ("domestic", "international"), ("weekday", "weekend"))
_GROUP_WORD = {g: re.compile(rf"\b{g.replace('-', '[- ]?')}\b", re.I) for pair in _OPPOSITE_GROUPS for g in pair}


_BRACKETED = re.compile(r"\([^()]*\)")


def other_group(question: str, sentence: str) -> bool:
    """Is the sentence about the subgroup opposite to one the question names, and not also about the named one? (Not
    a rule for all that says in brackets how it applies to the other: '... up to 8 days (pro-rata for part-time
    staff)' answers a full-time asker.)"""
    sentence = _BRACKETED.sub(" ", sentence)
    for a, b in _OPPOSITE_GROUPS:
        for asked, other in ((a, b), (b, a)):
            if _GROUP_WORD[asked].search(question) and not _GROUP_WORD[other].search(question) \
                    and _GROUP_WORD[other].search(sentence) and not _GROUP_WORD[asked].search(sentence):
                return True
    return False


# People by what they do ('reviewers', 'authors', 'approvers', 'employees'): a rule whose subject is one of them is
# written for them, and does not answer a question about another ('Authors should respond within 2 working days'
# for 'how quickly should reviewers get back to me?').
_ROLE = r"(?:[a-z]{3,}(?:ers?|ors?|ees?|ants?)|wardens?|marshals?|stewards?|champions?|buddy|buddies)"
_ROLE_SUBJECT = re.compile(rf"^(?:the |all |new |other |each |every )?({_ROLE})\b(?= (?:should|must|may|can|cannot"
                           r"|need|needs|have|has|are|is|will|do|does|get|gets|receive|receives)\b)", re.I)
_ROLE_WORD = re.compile(rf"\b{_ROLE}\b", re.I)
_NOT_ROLES = frozenset({"other", "number", "member", "order", "letter", "paper", "water", "power", "computer",
                        "register", "after", "never", "ever", "whether", "either", "neither", "over", "under",
                        "however", "cover", "offer", "transfer", "folder", "header", "calendar", "monitor",
                        "error", "floor", "door", "sensor", "vendor", "counter", "center", "centre", "border",
                        "matter", "later", "quarter", "minister", "finger", "shelter", "charger", "printer",
                        "server", "router", "browser", "trainee", "fee", "fees", "free", "tree", "three",
                        "guarantee", "committee", "coffee", "degree", "want", "wants", "plant", "plants"})


# A sentence that settles a yes/no question by saying its thing is not there: 'There is no car parking at ...' for 'Can
# I park at the office?', 'Porto has no parking spaces to book'
_NONE_THERE = re.compile(r"\b(?:there (?:is|are) no|(?:has|have) no|no)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)


# 'Do I need to buy ...?', 'Do we have to book ...?', 'Must I report ...?', 'Am I required to wear ...?': the action
_ASKS_OBLIGATION = re.compile(r"^\s*(?:(?:do|does|will|would|shall|should)\s+(?:i|we|you|they|he|she|staff|people"
                              r"|(?:my|our|the|a|an|new) [\w-]+(?: [\w-]+)?)\s+(?:(?:really |still |actually )?"
                              r"(?:need|have|has|needs|got) to|need)|(?:must|need) (?:i|we|they|he|she)"
                              r"|(?:am i|are we|is (?:he|she)|are they) (?:required|obliged|expected|supposed) to"
                              r"|is it (?:necessary|compulsory|mandatory|required) (?:for (?:me|us|them) )?to)"
                              r"\s+(?P<verb>[a-z]{2,})\b", re.I)


def _asked_obligation(asked: str) -> str | None:
    """The verb of the action a yes/no question asks whether one must do, stemmed ('buy'), or None."""
    found = _ASKS_OBLIGATION.match(asked)
    return stem(found.group("verb").lower()) if found else None


def _says_whether_must(verb: str, sentence: str) -> bool:
    """Does the sentence say whether one must do the action ('You do not need to buy your own insurance', 'Visitors
    must sign in', 'you needn't book')?"""
    return any(stem(m.group(1).lower()) == verb for m in re.finditer(
        r"\b(?:(?:need|needs|have|has|had|required|obliged|expected) to|must(?: not)?|needn['’]t|need not"
        r"|don['’]t have to)\s+(?:always\s+|also\s+|still\s+)?([a-z]{2,})\b", sentence, re.I))


# 'Am I allowed to go on my own?', 'Busy week, so can I just go alone?', 'Is it OK to ...?': the action whose
# permission is asked
_ASKS_PERMISSION = re.compile(r"(?:^|\b(?:so|but|and|then)\s+)(?:(?:am i|are we|is (?:he|she|it)|are they) "
                              r"(?:allowed|permitted|ok|okay|fine) to|(?:can|may|could) (?:i|we|he|she|they|staff"
                              r"|someone|people|my [\w-]+)(?: (?:just|still|also|even|really))?)\s+(?P<rest>[^?.!]+)",
                              re.I)
# ... or asked of the action the scene tells: 'My colleague wants to go out on his own to check it. Is that allowed?'
# ('... wants to check a sensor by himself because nobody else is free. Is he allowed to?')
_IS_THAT_ALLOWED = re.compile(r"^\s*(?:(?:is|would) (?:that|this|it) (?:be )?(?:allowed|ok|okay|permitted|fine)"
                              r"|(?:is|are|am) (?:he|she|they|i|we) (?:allowed|permitted) to"
                              r"|(?:can|may|could) (?:he|she|they|i|we)(?: do (?:that|this|it))?)\W*$", re.I)
_ACTION_TOLD = re.compile(r"\b(?:can|could|may|to)\s+(?P<rest>[^?.!]+)", re.I)
# A sentence that says what one may, may not or must not do
_SAYS_PERMISSION = re.compile(r"\b(?:must(?:n['’]t| not)|may(?: not)?"
                              r"|(?:not|never|only be|be) (?:allowed|permitted)|is (?:not )?allowed"
                              r"|are (?:not )?allowed|never)\b", re.I)


def _asked_permission(asked: str, scene: str) -> tuple[frozenset[str], str]:
    """The policy words that the everyday wording of the action a yes/no question asks permission for stands for
    ('go on my own': alone, lone), or none: a verdict on the action says them ('You must not work alone'); and what
    the question's own sentence tells before it asks ('I have to check a sensor on a weir and everyone is busy, so
    ...'), a scene too."""
    found = _ASKS_PERMISSION.search(asked)
    told = asked[:found.start()] if found else ""
    if not found and _IS_THAT_ALLOWED.match(asked):
        found = _ACTION_TOLD.search(scene)
    if not found:
        return frozenset(), ""
    return frozenset(content_terms(" ".join(policy_words(found.group("rest"))))), told


def _lead_in_text(passage: Passage, index: int) -> str:
    """The line introducing the list span `index` is an item of ('You must not work alone in these situations:')."""
    spans = passage_spans(passage)
    lead = list_lead_in(spans, index)
    return spans[lead].readable if lead is not None else ""


def _says_whether_may(action: frozenset[str], sentence: str, lead_in: str) -> bool:
    """Does the sentence, read under its list's lead-in, say whether one may do the action (a word of it)?"""
    text = f"{lead_in} {sentence}"
    return bool(_SAYS_PERMISSION.search(text)) and bool(matched_terms(set(action), content_terms(text)))


# A verdict for a time of day or week ('Lone work outside these hours is not allowed') ...
_TIME_CASE = re.compile(r"\b(?:outside|after|before|during|within) (?:these|those|the|working|office|normal|business"
                        r"|core|staffed) hours\b|\bat night\b|\bat (?:the )?weekends?\b|\bovernight\b|\bafter dark\b"
                        r"|\bafter \d{1,2}[:.]\d{2}\b", re.I)
# ... and a question that says when ('this evening', 'at 8pm', 'on Saturday')
_TIME_SAID = re.compile(r"\b(?:hours?|night|tonight|evening|weekends?|saturday|sunday|overnight|dark|late|early"
                        r"|morning|\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\d{1,2}[:.]\d{2})\b", re.I)
_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,4}s?\s+[a-z]")  # (cheap test before other_spelled_kind)
# (not 'a sensor on a riverbank' as one thing)
_NOT_THING_WORD = (r"(?!(?:to|is|are|was|were|has|have|had|needs?|wants?|will|would|can|could|should|must|just|on|in"
                   r"|at|of|for|from|with|by|a|an|the|if|and|or|but)\b)")
_SCENE_THING = re.compile(rf"\b(?:a|an|the|my|our|this|that)\s+((?:{_NOT_THING_WORD}[a-z][\w'’-]*\s+){{0,2}}"
                          rf"{_NOT_THING_WORD}[a-z][\w'’-]*)")


def _another_tables_row(asked: set[str], passage: Passage, span: Span, terms: set[str], own_heading: frozenset[str],
                        headings: set[frozenset[str]]) -> bool:
    """Is the table row in a table of its article whose heading, header and row leave out a word of the question's
    asking part that the heading of another of the article's tables says? `terms`: the row's words with its
    headings'; `own_heading`: its section heading's content words; `headings`: those of the headings over the
    article's retrieved tables."""
    elsewhere = matched_terms(asked, set().union(*(h for h in headings if h != own_heading)) - own_heading)
    if not elsewhere:
        return False
    # (every word the row and its header say, stop words too: 'per' of 'Maximum per night' says 'per diem''s 'per')
    said = {stem(w) for w in re.findall(r"[a-z0-9]+", f"{span.readable} {passage.table_header}".lower())}
    own = terms - content_terms(" ".join(passage.headings)) | own_heading | said  # (not the article's title)
    return bool(elsewhere - matched_terms(elsewhere, own))


def _case_named(passage: Passage, index: int, scene_terms: set[str]) -> bool:
    """Is the list item a case of its lead-in's rule that names a word of the asker's scene which no other item of
    its list names ('over water (bridges, weirs, pontoons)' for 'a sensor on a weir')?"""
    spans = passage_spans(passage)
    lead = list_lead_in(spans, index)
    if lead is None or not _CASES_LEAD_IN.search(spans[lead].readable):
        return False
    siblings = set()
    for j in range(lead + 1, len(spans)):
        if spans[j].kind != "item":
            break
        if j != index:
            siblings |= content_terms(spans[j].readable)
    named = matched_terms(scene_terms, content_terms(spans[index].readable))
    return bool(named - matched_terms(named, siblings))


def _says_none_of(asked: set[str], sentence: str) -> bool:
    """Does the sentence say there is none of a thing the question's asking words name?"""
    return any(matched_terms(asked, content_terms(m.group(1))) for m in _NONE_THERE.finditer(sentence))


def _is_role(word: str) -> bool:
    low = word.lower()
    return low not in _NOT_ROLES and low.rstrip("s") not in _NOT_ROLES


def _roles(question: str, scene: str = "") -> set[str]:
    """The question's words for people by what they do, stemmed ('review' for 'reviewers'), and a new starter's when
    the scene or question says the asker is one ('I start at the Porto office on Monday': not a visitor)."""
    roles = {stem(w.lower()) for w in _ROLE_WORD.findall(question) if _is_role(w)}
    # 'someone asked me to review their PR': the asker does the reviewing, so is a reviewer
    roles |= {stem(verb.lower()) for verb in _ASKED_TO_DO.findall(f"{scene} {question}")}
    if _ASKED_TO_LOOK_OVER.search(f"{scene} {question}"):
        roles.add(stem("review"))  # 'tagged me on a PR', 'asked me to look over their code changes'
    # 'I'm a new engineer and just got added as a reviewer on a PR': the roles the asker says they hold
    roles |= {stem(held.lower()) for m in _HOLDS_ROLE.finditer(f"{scene} {question}")
              if (held := m.group(1) or m.group(2)) and _is_role(held)}
    return roles | {stem("starter")} if _STARTING.search(f"{scene} {question}") else roles


_HOLDS_ROLE = re.compile(rf"\b(?:i['’]?m|i am|i['’]ve been|i have been|i was|i got|i['’]ve got|i have got|just got)"
                         rf"(?: just)? (?:(?:added|assigned|named|made|picked|chosen|put down|listed|set) as )?"
                         rf"(?:a|an|the) (?:new )?({_ROLE})\b"
                         # ('wants to become a first aider', 'volunteers as a fire warden': a role someone takes on)
                         rf"|\b(?:become|becoming|became|volunteers? as|volunteering as|signs? up as|signed up as"
                         rf"|train(?:s|ed|ing)? as)\s+(?:a|an)\s+(?:[a-z]+\s+)?({_ROLE})\b", re.I)


# (a verb whose doer has a name of the role: not 'asked me to look over it')
_ASKED_TO_DO = re.compile(r"\b(?:asks?|asked|asking|wants?|wanted|needs?|needed|invited|invites?)\s+me\s+to\s+"
                          r"(review|approve|mentor|interview|supervise|assess|audit|train|manage|lead)\b", re.I)


# ... or asked to read someone's work over, which is reviewing it
_ASKED_TO_LOOK_OVER = re.compile(r"\b(?:asks?|asked|asking|wants?|wanted|needs?|needed|tags?|tagged|adds?|added"
                                 r"|requests?|requested|pings?|pinged)\s+me\s+(?:to\s+(?:look|go|read|check)\s+"
                                 r"(?:over|through|at)\b|on|in|to|as|for)\b[^?.!]{0,40}?\b(?:PRs?|pull requests?"
                                 r"|code|changes|reviews?|diffs?|merge requests?)\b", re.I)


_STARTING = re.compile(r"\b(?:i|we) (?:start|begin|join)\b(?! (?:to|by)\b)|\b(?:i'?m|i am) (?:starting|joining|a new "
                       r"(?:starter|joiner|hire))\b|\bmy first (?:day|week)\b", re.I)


# a length required ('How long does it have to be?') and a ceiling ('The maximum length is 128 characters.')
_REQUIRED = re.compile(r"\b(?:have to|has to|need to|needs to|must|should|required|at least|minimum|min)\b", re.I)
_CEILING = re.compile(r"\b(?:maximum|max|at most|no more than|no longer than|up to|longest)\b", re.I)
# a floor a figure is set at, by law or a rule ('Portuguese law sets a minimum of 22 days'): not what one gets
_FLOOR_STATED = re.compile(r"\b(?:a|the|legal|statutory) minimum (?:of|is)\b", re.I)
# ('my work account': the account, of work; the second word only where it is no function word)
_OWN_THING = re.compile(r"\b(?:my|his|her|their|your)\s+(?:own\s+|new\s+)?([a-z]{3,})\b(?:\s+([a-z]{3,})\b)?", re.I)
# 'Service accounts used by systems must ...': a rule whose subject is a kind of a thing
_KIND_SUBJECT = re.compile(r"^(?:the |all |any )?([a-z]{3,})[ -]([a-z]{3,})\b(?= (?:used|must|should|may|can|need|are"
                           r"|is|have|has|get|will)\b)", re.I)


def _own_heads(question: str) -> set[str]:
    """The head nouns of the asker's own things: 'computer' of 'my work computer', 'password' of 'his password
    rejected' (a participle after it is no noun)."""
    heads = set()
    for first, second in _OWN_THING.findall(question):
        noun = second if second and second.lower() not in STOPWORDS and not re.search(r"(?:ed|ing)$", second) \
            else first
        heads.add(stem(noun.lower()))
    return heads


def _another_kind_of_own(owned: set[str], q_terms: set[str], sentence: str, heads: set[str] = frozenset()) -> bool:
    """Is the sentence a rule for a kind of the asker's own thing the question never names ('Service accounts used by
    systems must have ... 24 characters' for 'how long does my password need to be?' about 'my account'), or for a
    kind of another thing, about the own thing's head (`heads`, _own_heads: the password of 'his password')?"""
    subject = _KIND_SUBJECT.match(sentence) if owned else None
    if not subject:
        return False
    kind, thing = stem(subject.group(1).lower()), stem(subject.group(2).lower())
    if kind in q_terms or subject.group(1).lower() in STOPWORDS or kind in owned:
        return False
    # ... or for the own thing of a kind of another thing ('Service accounts ... must have generated passwords of at
    # least 24 characters' for 'his password')
    return thing in owned or (thing not in q_terms and bool(heads & content_terms(sentence[subject.end():])))


# 'Do first aiders get anything for doing it?', 'If I volunteer, I get something extra?': what a role or a deed
# earns, which a sentence says with a verb or noun of giving ('receive an extra day of annual leave')
# (not 'does that get me any more?', an amount compared)
_ASKS_GAIN = re.compile(r"\b(?:get|gets|getting|receive|receives|earn|earns|given|paid)\b (?:\w+ ){0,2}?(?:anything"
                        r"|something|a bonus|in return)\b|\bin return\b"
                        r"|\bwhat (?:do|does|would|will|did) (?:\w+ ){1,3}?(?:get|receive|earn)\b (?:for|out of|in)\b",
                        re.I)
# 'phone' as a verb ('who should she phone?', 'do I phone ...'): calling someone, never the device a text names
_PHONE_AS_VERB = re.compile(r"\b(?P<before>should|do|can|could|must|shall|would|will|to|who|i|we|you|she|he|they)"
                            r"\s+phone\b(?!\s+(?:number|line|app|bill|case|charger|screen|call))", re.I)
# 'keeps me logged in', 'stay logged on': how long one stays signed in, never the logs a text keeps ('Logs are kept
# for 12 months'); (other wordings with 'log in' are left to the policy words that know them: 'approve a log in')
_KEPT_LOGGED_IN = re.compile(r"\b(?P<lead>(?:keep|keeps|kept|keeping|stay|stays|stayed|staying|remain|remains|be|being)"
                             r"(?:\s+(?:me|you|us|them|him|her))?)\s+logged\s+(?P<particle>in|on)\b", re.I)


def signed_in(text: str) -> str:
    """'How long does it keep me logged in?' -> 'How long does it keep me signed in?'."""
    return _KEPT_LOGGED_IN.sub(lambda m: f"{m.group('lead')} signed {m.group('particle')}", text)
_SAYS_GAIN = re.compile(r"\b(?:get|gets|receive|receives|received|given|gives|give|paid|pays|earn|earns|entitled"
                        r"|awards?|awarded|bonus|allowance|extra|additional|reward\w*|in lieu|free|claim|claims|claimed"
                        r"|reimburs\w*|refund\w*|covers?|covered|discounts?|per diem|budgets?|can spend|spend up to)\b",
                        re.I)  # ('has a personal learning budget of £600')


# an item's value that allows it only by exception ('only with CFO approval', 'not unless ...')
_ONLY_BY_EXCEPTION = re.compile(r"(?:only|not)\s+(?:with|when|if|for|by|after|unless|in exceptional)\b", re.I)
# 'the fire wardens, who wear orange high-visibility vests': a role, and what tells its people apart
_DEFINED_ROLE = re.compile(r"\bthe ((?:[a-z]+ )?[a-z]+s),? (?:who|that) ([^.;]+)", re.I)
DESCRIBED_ROLE_WORDS = 2  # words of a role's description the question says, to describe its people


def _named_short(label: set[str], q_terms: set[str]) -> bool:
    """Does the question leave out a word of the label ('business' of 'Business class' for 'what class ...?')?"""
    return len(matched_terms(label, q_terms)) < len(label)


def _roles_described(q_terms: set[str], sentences: list[str]) -> frozenset[str]:
    """The words of each role a sentence defines by what tells its people apart, where the question says that
    ('people in orange vests' for 'the fire wardens, who wear orange high-visibility vests': {'fire', 'warden'})."""
    found: set[str] = set()
    for sentence in sentences:
        for role in _DEFINED_ROLE.finditer(sentence):
            if len(matched_terms(content_terms(role.group(2)), q_terms)) >= DESCRIBED_ROLE_WORDS:
                found |= content_terms(role.group(1))
    return frozenset(found)


def _other_role(roles: set[str], q_terms: set[str], sentence: str) -> bool:
    """Is the sentence a rule for people by another role than the one the question asks about?"""
    subject = _ROLE_SUBJECT.match(sentence) if roles else None
    return bool(subject) and _is_role(subject.group(1)) and stem(subject.group(1).lower()) not in roles | q_terms


# The opening's words that name no subgroup ('year' in 'In your first year': 'first' names it).
_CONDITION_WORDS = frozenset({"year", "month", "week", "day", "work", "start", "join", "complet"})  # stems

# --- relevance weights (why: see calibrate note in service/llm/extractive.py) ---------------------------------
W_COSINE = 0.7  # meaning: the embedding model's similarity of question and sentence (with its section title)
W_OVERLAP = 0.1  # exact words: names, codes and figures that embeddings blur ...
W_RARE_OVERLAP = 0.2  # ... weighted by rarity among the retrieved sentences
LONG_SCENE_TERMS = 8  # a scene of this many content words thins the question's: relevance reads the asked ones too
LIFT_SCENE_TERMS = 2  # ... a shorter one (of two or more) thins them too ('Flying to the US next week. Can I ...?'),
SHORT_SCENE_LIFT = 0.5  # ... by less: that share of the lift (a short scene more often holds what the rule is for)
# A little of the lift orders too: a scene full of other things ('not going to use all my holiday before the end of
# the year') would otherwise choose its own sentence over the one holding what is asked ('take into next year');
# little, as the scene's place still chooses its row ('a trade show in Toronto ... each night?': 'USA and Canada')
ORDER_LIFT = 0.25
W_RANK = 0.04  # a nudge for the retriever's ranking (divided by the passage's rank)
NUMBER_BONUS = 0.04  # "how many / when / how long" questions are answered by figures
NUMBER_PENALTY = 0.0  # (a sentence without one is not penalised: "seven rounds", "every two years")
NAME_PENALTY = 0.15  # per name in the question that the sentence's passage never mentions
CONTEXT_NAME_SHARE = 0.5  # ... a name only in the statements before the question counts this share
SUMMARY_ORDER = 0.03  # a page's summary line ('In short: ...') after the sentence stating the rule in full
VERDICT_ORDER = 0.06  # a yes/no question answered by a sentence saying its thing is not there
# ... or, asked whether one must do a thing, by one saying whether one must: the verdict itself, over a table row
# that only shares the question's topic
OBLIGATION_VERDICT_ORDER = 0.1
SHAPE_BONUS = 0.03  # the sentence holds what the question's kind asks for (service/question_types.py)
ROW_MATCH = 0.08  # per qualifier of the question ('Porto', 'Confidential') that another row of the table matches
ROW_QUALIFIED = 0.04  # per qualifier the row itself names: 'engineers' picks the Engineering row over prose about all
# ... and as much again, for the order only, when the qualifiers name that one row alone: it leads prose about
# everyone ('You may keep a laptop one extra year' under 'How often do engineers get a new laptop?'), but cannot
# lift a question the articles do not answer over the abstain threshold (at 0.06 in the score, 'What language is
# the firmware written in?' was answered from the firmware row), nor promote one of several rows a common word
# names ('approved': both approval steps of a procedure table, over the sentence with the invoice deadline).
ROW_QUALIFIED_ORDER = 0.04
# A row or case whose label's range holds a quantity the question states ('for four days': 'Up to 7 calendar days')
# rises by this, for the order only; one whose range excludes it ('From the 8th calendar day') falls by as much.
RANGE_FIT = 0.1
ROW_GENERAL = 0.04  # the general row ('most roles', the first row) over its exceptions ('senior', '5 years or more')
REFERRAL_PENALTY = 0.1  # a sentence that sends the reader elsewhere ("set out in the X policy") answers nothing
CONTACT_STEP_BONUS = 0.05  # a sentence telling whom to contact, for a question asking whom to talk to
# 'Who do I ring?': of the sentences naming whom, one with the number to dial leads (orders only)
NUMBER_TO_RING_ORDER = 0.1
_ASKS_WHOM_TO_RING = re.compile(r"\bwho(?:m)?\b[^?.!]{0,30}\b(?:ring|call|phone|dial)\b", re.I)
VALUE_PENALTY = 0.1  # a 'when / how many' question answered by a sentence without a date or figure
MEASURED_ELSE_PENALTY = 0.2  # ... or by one counting days of something else than the leave asked about
TYPED_VALUE_PENALTY = 0.38  # a sentence without the money, price, percentage or phone number asked (typed_value)
VALUE_KINDS = ("number", "date", "person", "contact", "place")  # kinds whose answer holds a value we can recognise
CONDITION_PENALTY = 0.04  # a rule for a subgroup ('In your first year, ...', 'If you work part-time, ...') unasked
OTHER_CASE_PENALTY = 0.2  # a figure an item gives for a case its label names and the question never does
OPPOSED_PENALTY = 0.2  # a rule for having what the asker says they are without (situations.contradicts)
OTHER_GROUP_PENALTY = 0.1  # a rule for the subgroup opposite to the one asked about (full-time for part-time)
NO_GAIN_PENALTY = 0.1  # a sentence that gives nothing, for 'do first aiders get anything for it?'
OPPOSED = -1.0  # the closeness given to a rule's condition that the asker's situation rules out (situations.py)
EXAMPLE_PENALTY = 0.1  # a worked example ('Three nights in Porto: 3 x €70') illustrates the rule; the rule answers
# 'What share of its GDP does India spend on defence?' over articles that never mention India: a sentence about
# another country ('South Korea spends roughly 2.3% of its GDP') does not answer it, however close in wording.
OTHER_COUNTRY_PENALTY = 0.3
OTHER_SITE_PENALTY = 0.1  # a passage of an article about a place in another country than the question's places
OTHER_MODE_PENALTY = 0.2  # a rule for another way of travelling than the one the asker says ('Rail:' for a flight)
OTHER_LAND_ORDER = 0.1  # a row or case labelled with another country than the question's places (orders only)
_BASED = re.compile(r"\b[\w-]+-based\b|\bbased (?:in|at|out of) (?:the )?[\w-]+", re.I)
OTHER_KIND_PENALTY = 0.1  # 'annual leave' for 'bereavement leave', in an article that never names bereavement
# No passage speaks of the kind of thing asked ('bereavement leave' over articles on annual and sick leave), or of
# the thing a yes/no question asks about ('Can I bring my dog?' over office rules that never mention animals): enough
# to take the best near-topic sentence seen (0.68 for 'Full-time staff receive 23 days of leave') under the
# abstain threshold. At 0.2 that sentence stayed above it; 0.3 and 0.5 abstain on the same questions.
UNKNOWN_KIND_PENALTY = 0.38
# a 'Role: Full Name' line whose role the 'who' question names, in its words or policy words (orders only)
ROLE_LINE_ORDER = 0.1
_ROLE_LINE = re.compile(r"^([A-Z][\w -]{2,40}):\s+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}\b")
BYLINE_ORDER = 0.15  # a byline whose verb the 'who' question uses (orders only)
# a span quoted only by exception (an article's own question, for the fact its opening phrase states; a byline)
ASKING_PENALTY = 0.08
THING_SENTENCES = 12  # the sentences nearest the question whose words may name the asked thing in other words
SUPERSEDED_PENALTY = 0.08  # a replaced policy answers only when the current one does not
_STATES_OLD = re.compile(r"\b(?:before|previous(?:ly)?|old|former(?:ly)?|used to|until)\b", re.I)
# 'What was the allowance in 2025?': a current text in force only from a later year ranks below the replaced one
# by this much, for the order only (its £26 row outscored the replaced £20 sentence by 0.1).
LATER_TEXT_ORDER = 0.2
RANGE_UNASKED = 0.08  # a table row for a range ('3 years or more') when the question states no figure (orders only)
EXCEPTION_ORDER = 0.1  # a sentence of an 'Exceptions' section the question does not name (orders only)
CATEGORY_MEMBER_ORDER = 0.05  # a sentence naming a member of the category a 'which X' question asks (orders only)
FOCUS_ORDER = 0.15  # a follow-up's answer holds what the follow-up itself asks (orders only; see candidates)
# the first step of a numbered procedure for 'who do I tell?' / 'what do I do?': procedures put first what is done
# first ('1. Call your line manager by 09:30' over '3. Record the absence in PeopleHub') (orders only)
FIRST_STEP_ORDER = 0.02
_FIRST_STEP = re.compile(r"(?:^|\n)[ \t]*1[.)][ \t]+$")  # the marker before a numbered list's first item
# ... and where the question asks for the first thing to do ('What's the first thing I need to do?'), the first step
# is the answer itself
FIRST_STEP_ASKED_BONUS = 0.05
_ASKS_FIRST_STEP = re.compile(r"\b(?:first|1st) (?:thing|step|move)s?\b|\bwhat do (?:i|we) do first\b"
                              r"|\bwhere do (?:i|we) (?:start|begin)\b", re.I)
CASE_HEADING_LIFT = 0.05  # relevance of a step under an 'if' heading that names what the everyday words mean
HEADING_MEANT_ORDER = 0.1  # a sentence of the section whose heading names what the everyday words mean (orders only)
ASKED_MEANT_ORDER = 0.04  # a sentence in the policy's words for what the question's asking words do ('carry over')
ASKED_PHRASE_TERMS = 2  # ... said in a phrase of this many words or more (one word's meaning is no paraphrase)
HEADING_ASKED_ORDER = 0.05  # ... or whose heading asks what the question asks ('How long probation lasts' for 'How
# long is the trial period?'): the same question word and a word of its thing (orders only)
CASE_MEANT_ORDER = 0.15  # a step whose opening case ('In a medical emergency') the everyday words mean (orders only)
CASE_MEANT_TERMS = 2  # ... in this many of its words
_CASE_OPENING = re.compile(r"^\s*(?:in (?:a|an|the|case of(?: an?)?)|if (?:there is |there's )?(?:a |an )?"
                           r"|during (?:a|an))\s+(?P<case>[^,.:;]{3,60}?)"
                           r"(?=\s*(?:[,:;]|\s(?:call|dial|ring|go|leave|contact|tell|report)\b))", re.I)
ROW_MEANING_NEAR = 0.5  # a table's best row this close to the question in meaning: rows named in other words
SUPERSEDED_MARK = "superseded"  # what the pipeline appends to the title of a replaced article's passages

# --- support thresholds for generated sentences --------------------------------------------------------------
SUPPORT_CONTAINMENT = 0.7
SUPPORT_COSINE = 0.78


# 'the 2nd round' and 'the 3rd round' are different things: a sentence about another numbered one of the thing the
# question numbers does not answer it.
OTHER_ORDINAL_PENALTY = 0.2
_ORDINAL_THING = re.compile(r"\b(\d{1,4})(?:st|nd|rd|th)\s+([a-z]{3,})", re.I)


def _ordinal_things(text: str) -> set[tuple[str, str]]:
    return {(n, stem(thing.lower())) for n, thing in _ORDINAL_THING.findall(text)}


def other_ordinal(asked: set[tuple[str, str]], sentence: str) -> bool:
    """Does the sentence speak of another numbered one ('3rd round') of a thing the question numbers ('2nd round'),
    and not of the question's own?"""
    if not asked:
        return False
    found = _ordinal_things(sentence)
    things = {thing for _, thing in asked}
    return bool(found) and not (found & asked) and any(thing in things for _, thing in found)


def is_referral(sentence: str) -> bool:
    """A sentence about where the answer is, or what a page covers, not the answer ('set out in the X policy')."""
    return bool(_REFERRAL.search(sentence))


def is_injection(text: str) -> bool:
    return bool(_INJECTION.search(text))


def is_untrusted(passage: Passage, span: Span) -> bool:
    """Inside an instruction found in the passage's whole article (service/injection.py)."""
    return any(s < span.end and span.start < e for s, e in passage.untrusted)


def is_answer_span(span: Span) -> bool:
    """Sentences, list items and table rows a reader could be shown as an answer (no headings, no questions)."""
    text = span.readable
    question = text.rstrip("\"'”’)").endswith("?")
    return span.kind in ("sentence", "item", "row") and len(text.split()) >= 3 and not question \
        and not is_injection(text)


# 'After the Upper House elections in Japan this summer, will Ishiba survive?': a question an article asks that
# states a fact in its opening phrase.
_STATING_QUESTION = re.compile(r"^(?:after|before|with|following|given|once|in|by|during|since)\b[^,?]{8,120},\s+\S",
                               re.I)


_BYLINE = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){1,3}\s+(?:interviewed|written|reported|edited|photographed"
                     r"|reviewed)\s+by\s+\S|^(?:interview|written|reported)\s+by\s+[A-Z]", re.I)


_BYLINE_VERBS = frozenset(content_terms("interviewed written reported edited photographed reviewed"))


def _states_in_asking(span: Span) -> bool:
    """Is the span a question of the article's own whose opening phrase states a fact (never quoted otherwise)?"""
    return span.kind == "sentence" and span.readable.rstrip("\"'”’)").endswith("?") \
        and bool(_STATING_QUESTION.match(span.readable))


def _only_replaced_say(figure: str, passages: list[Passage]) -> bool:
    """Does a replaced article's passage state the figure ('£45') and no current one? Then an asker who quotes it
    ('... is £45 a night, is that still right?') has read the old policy, and it must not draw the answer there."""
    said = re.compile(rf"(?<![\w.,]){re.escape(' '.join(figure.split()))}(?![\w]|[.,]\d)", re.I)
    saying = [p.superseded for p in passages if said.search(" ".join(p.text.split()))]
    return any(saying) and all(saying)


# policy words that only restate the kind of value a question asks ('how much can I' -> maximum), not its thing
_ASKING_MEANT = frozenset(content_terms("maximum limit cap within notice before advance"))
# 'One of my engineers ...': a person among others, not a count of one ('Fernhill adds one extra day')
_ONE_OF = re.compile(r"\bone of (?=(?:my|our|the|his|her|their|your|them|us)\b)", re.I)
# a question stating a case ('if I was off sick') or asking beyond the rule ('more than 8 days'); not 'when' asking
# a time ('By when must I use them?')
_ASKS_EXCEPTION = re.compile(r"\b(?:if|unless|except|exceptions?|exempt\w*|special cases?|more than|beyond|above the"
                             r"|over the limit)\b|(?<!by )(?<!until )(?<!till )\bwhen\b(?! (?:does|do|did|is|are|was"
                             r"|were|will|would|should|must|can|could|has|have|am)\b)", re.I)


# A list's lead-in that says its items are cases: 'You must not work alone in these situations:'
_CASES_LEAD_IN = re.compile(r"\b(?:in|for|under|during) (?:these|the following|any of these|any of the following)"
                            r" (?:situations|cases|circumstances|conditions)\b|\bif any of the following\b", re.I)


def _labels_another_case(span: Span, asked: set[str]) -> bool:
    """Is the item labelled ('Client or partner entertainment: up to £60 per head') with two or more words, none a
    place's, that share nothing with what the question says or means (`asked`)?"""
    label = _LABEL_BEFORE_COLON.match(span.readable)
    if not label or countries_named(label.group(1)) or any(place_of(n) for n in question_names(label.group(1))):
        return False  # ('Portugal: €0.40 per km': a place's case, which rows and places decide)
    terms = content_terms(label.group(1))
    return len(terms) >= 2 and not matched_terms(terms, asked)


# (stricter than span_label's: a few plain words, not a clause with commas or brackets)
_LABEL_BEFORE_COLON = re.compile(r"^([A-Za-z][\w'’ -]{3,60}):\s+\S")


# a thing pointed back at and where it is put: 'paste it into ChatGPT', 'forward them to a supplier'
_POINTER_INTO = re.compile(r"\b(?:it|them|this|that)\s+(?:into|onto|in to|to|with)\s+(?:a |an |the |my |our )?[A-Za-z]",
                           re.I)
# a question asking from when, or after how much, a rule applies ('When do I need a doctor's note?')
_ASKS_FROM_WHEN = re.compile(r"\bwhen (?:do|does|must|should|will|would|am|is|are)\s+(?:i|we|you|he|she|they"
                             r"|(?:[A-Za-z]+ )?(?:staff|employees|people))\s+(?:need|have to|must|get|start|begin"
                             r"|qualify)\b"
                             # ('Leeds sick note needed after how long?')
                             r"|\bneeded (?:after|from) (?:how|what|which)\b"
                             r"|\bfrom (?:what|which) (?:day|point|date|week|month)\b|\bat what point\b"
                             r"|\bafter how (?:many|much|long)\b"
                             # ('How long may I be off before I am required to provide a doctor's note?')
                             r"|\bhow long\b[^?.!]*\bbefore (?:i|we|you|he|she|they) (?:need|have to|must|am required"
                             r"|are required|is required|get asked|should)\b", re.I)
# a figure asked by a unit ('per kWh', 'per litre'); the units of time, people and distance any rate may be given in
# without naming them ('£55 a night', 'each') never count as unsaid
_PER_UNIT = re.compile(r"\bper\s+([A-Za-z][\w-]*)", re.I)
_ANY_RATES_UNITS = content_terms("cent centum annum diem capita day days week weeks month months year years hour hours "
                                 "night nights person people head heads trip trips mile miles km kilometre "
                                 "kilometres minute minutes item items unit units time times visit visits")


def _unit_unsaid(unit: str, terms: set[str]) -> bool:
    """Is a rate's unit ('kWh') neither in the retrieved articles (`terms`, stemmed) nor said there in policy words?"""
    unit_terms = content_terms(unit)
    return bool(unit_terms) and not unit_terms & (terms | _ANY_RATES_UNITS) \
        and not any(content_terms(w) & terms for w in policy_words(unit))


# ... and a thing of one's data fed into a tool the passages speak of: 'chuck a customer's spreadsheet into ChatGPT'
# asks where it may go (a public AI tool), which the rules name, not of the spreadsheet, which they need not
_FED_INTO = re.compile(r"\b(?:paste|copy|copie|upload|feed|type|enter|load|dump|chuck|run|pop)\w*\s+"
                       r"(?:[\w'’-]+\s+){1,4}?(?:into|in to|onto|through)\s+(?:a |an |the |my |our |some "
                       # ('into one of those free ChatGPT-type websites': the words naming where)
                       r"|one of (?:those |these |the )?)?(?P<place>(?:[\w-]+\s+){0,2}?[\w-]+)(?=\s+to\b|\s*[?.,!]|$)",
                       re.I)


def _other_doing(heading: str, question_words: set[str]) -> bool:
    """Does the heading name an act done to a thing ('Setting up MFA with Fernhill Authenticator') of which the
    question's own words (`question_words`, stemmed) say nothing, only what its everyday wording stands for? ('Parking
    at the office' is no act; 'Resetting a forgotten passphrase' is one for 'I forgot my password'.)"""
    return bool(_DOING_HEADING.match(heading)) and not matched_terms(content_terms(heading), question_words)


# the act, then (after a particle) its object: not a preposition ('Parking at ...', 'Travelling for work')
_DOING_HEADING = re.compile(r"^\s*([A-Za-z]{2,}ing)\s+(?:(?:up|out|in|off|on|down) )?"
                            r"(?!(?:at|in|on|of|for|and|with|near|by|to|from|outside|abroad|during)\b)[A-Za-z]")


# the question words a heading may ask with too ('How long probation lasts', 'Who can have a card', 'How to carry
# over'); not 'what', which heads sections of every kind
_ASKED_AS = re.compile(r"^\s*(?:#+\s*)?(?:(?P<how>how (?:long|much|many|often|far|soon))|(?P<to>how (?:to|do|can|should"
                       r"|would|could|does) )|(?P<wh>who|whom|when|where)\b)", re.I)
# (nor the verbs such a heading asks with: 'How long probation lasts' is about probation, not anything that lasts)
_ASKED_AS_WORDS = frozenset(content_terms("how long much many often far soon who whom when where last lasts take takes"
                                          " get gets need needs"))


def asked_as(text: str) -> str:
    """The question word a text opens with ('how long', 'how to', 'who'), or ''."""
    found = _ASKED_AS.match(text)
    if not found:
        return ""
    if found.group("to"):
        return "how to"
    return " ".join((found.group("how") or found.group("wh")).lower().split())


# 'Days already carried from 2025 into 2026 follow the old rules.': what the current text leaves to the one it replaced
_FOLLOWS_OLD = re.compile(r"\b(?:follows?|keeps?|stays? under|remains? under|still (?:falls?|falls) under|(?:is|are)"
                          r" (?:still )?(?:covered|governed) by)\s+(?:the\s+)?(?:old|previous|former|earlier|original"
                          r"|(?:19|20)\d\d)\s+(?:rules?|policy|terms|rates?)\b", re.I)


def _deferred_to_old(question: str, passages: list[Passage]) -> bool:
    """Does a current passage leave the asker's case to the text it replaced: a sentence saying that what it names
    follows the old rules, naming every year the question names ('I rolled 4 days over from 2025 into 2026')?"""
    years = set(re.findall(r"\b(?:19|20)\d\d\b", question))
    if not years:
        return False
    for passage in passages:
        if passage.superseded:
            continue
        for span in passage_spans(passage):
            if _FOLLOWS_OLD.search(span.readable) and years <= set(re.findall(r"\b(?:19|20)\d\d\b", span.readable)):
                return True
    return False


def _section_heading(passage: Passage, index: int) -> str:
    """The heading of the section the span at `index` (of passage_spans) is in: the last heading before it in the
    passage, or the one the passage opens under (a passage may run on into the next section: 'Exceptions' after
    'How to carry over'). (Only a '#' heading heads a section: not a table's header, nor a short line standing
    alone like a byline.)"""
    opening = passage.headings[-1] if passage.headings else ""
    return _headings_by_span(passage.text, passage.table_header, opening)[index]


@lru_cache(maxsize=4096)
def _headings_by_span(text: str, table_header: str, opening: str) -> tuple[str, ...]:
    headings, current = [], opening
    for span in _spans(text, table_header):
        headings.append(current)
        if span.kind == "heading" and span.text.lstrip().startswith("#"):
            current = span.readable.lstrip("#").strip()
    return tuple(headings)


def passage_spans(passage: Passage) -> tuple[Span, ...]:
    """The passage's sentences, list items and table rows (rows of a table it opens inside keep their headers)."""
    return _spans(passage.text, passage.table_header)


@lru_cache(maxsize=4096)
def _spans(text: str, table_header: str) -> tuple[Span, ...]:
    return tuple(split_sentences(text, table_header=table_header))


# 'I'm based in Leeds and going to Berlin': where the asker is based is not the place they ask about.
# ('I'm Leeds-based')
# ('One of my Leeds engineers is flying to Toronto': the people of a place)
_HOME_PLACE = re.compile(r"\b(?:based|located|living|stationed|live|work|working|sit)\s+(?:in|at|out of)\s+"
                         r"(?:the\s+)?((?:[A-Z][\w'’-]*\s?)+)|\b([A-Z][\w'’]*)-based\b|\b([A-Z][a-z]+) based\b"
                         r"|\b(?:my|our)\s+([A-Z][\w'’]*)\s+(?:engineers?|staff|colleagues?|team(?:mates?)?|people"
                         r"|employees?|technicians?|hires?|starters?|reports?)\b")


# '... my trip from Leeds to Singapore?': where the asker starts from, when the question says where they go.
_FROM_PLACE = re.compile(r"\bfrom\s+((?:[A-Z][\w'’-]*\s?)+)(?=.*\b(?:to|in)\s+[A-Z])"
                         # ('flying Leeds to Lisbon': where the trip starts, without 'from')
                         r"|\b(?:fly|flying|flew|drive|driving|travel|travell?ing|going|heading|trip)\s+"
                         r"((?:[A-Z][\w'’-]*\s)+)(?=to\s+[A-Z])")


def _place_written(found: re.Match) -> str:
    """The place a match of _HOME_PLACE, _FROM_PLACE or _VISITED_PLACE names, whichever of its groups holds it."""
    return next(filter(None, found.groups()))


def _origins(question: str) -> list[str]:
    """The places the question says the asker is based in or sets out from, as written ('Leeds')."""
    return [_place_written(m).strip() for pattern in (_HOME_PLACE, _FROM_PLACE) for m in pattern.finditer(question)]


def _without(question: str, phrases: list[str]) -> str:
    for phrase in phrases:
        question = re.sub(rf"\b{re.escape(phrase)}\b", "", question)
    return question


def _names_of(phrases: Iterable[str]) -> list[tuple[str, ...]]:
    """The names (as question_names gives them) in phrases cut out of a text ('the Porto office' -> ('porto',))."""
    return [name for phrase in phrases for name in question_names(f"x {phrase}")]


def _home_names(context: str) -> list[tuple[str, ...]]:
    """The names of the places the context says the asker is based in ('I work in the Porto office': Porto)."""
    return _names_of(_place_written(m) for m in _HOME_PLACE.finditer(context))


# '... a meeting at the Porto office', 'a trip to Leeds', 'visiting the Lisbon site': where the asker goes
_VISITED_PLACE = re.compile(r"\b(?:to|at|into|visiting|visit)\s+(?:the\s+|our\s+)?((?:[A-Z][\w'’-]*\s?)+)"
                            # ('flying out to a customer in Chicago', 'a conference in Madrid')
                            r"|\b(?:fly|flying|flies|travel|travelling|traveling|going|heading|trip|conference|"
                            r"customer|client|meeting|visit|staying)\b[^.?!,;]{0,30}?\bin\s+((?:[A-Z][\w'’-]*\s?)+)")


def _visited_names(context: str) -> list[tuple[str, ...]]:
    """The names of the places the context says the asker goes to or meets at."""
    return _names_of(_place_written(m) for m in _VISITED_PLACE.finditer(context))


def _destinations(places: list[tuple[tuple[str, ...], object]], context: str) -> list:
    """The places of `places` (name, place) other than where the context says the asker is based, when any."""
    home = set(_home_names(context))
    away = [(n, place) for n, place in places if n not in home]
    return away or places


# A person named in passing: who forwards, says, thinks or owns ('From Catarina, who ...', 'Rafael says', 'Tom
# Barker on the ... team', 'Filipa's new hire'); not who a question asks about ('Who is Daniel Okafor?').
_PERSON = r"([A-Z][a-z]+(?: [A-Z][a-z]+)?)"
_PEOPLE_IN_PASSING = (
    re.compile(rf"\b(?:[Ff]rom|[Bb]y|[Ww]ith|[Aa]sk|[Aa]sked|[Tt]ell|[Tt]old|[Cc]olleague|[Mm]anager|[Bb]oss) {_PERSON}"
               r"(?=\s*(?:[,:;.!?\"'”)-]|\b(?:in|on|at|from|who|says|said|and|about|last|this|today)\b))"),
    re.compile(rf"\b{_PERSON},? (?=(?:says|said|told|thinks|reckons|asked|wants|mentioned|won['’]t|who|describes"
               r"|is (?:very|a bit|really))\b)"),
    re.compile(rf"\b{_PERSON}['’]s (?=(?:team|new|manager|colleague|boss|report|hire|starter)\b)"),
    # ('Ana in my Porto team lost her badge', 'Sam from our Leeds office')
    re.compile(rf"\b{_PERSON} (?=(?:in|from|on) (?:my|our) )"),
    # ('what if it's Rita in Porto who lost hers?')
    re.compile(rf"\b(?:[Ii]t['’]s|[Ii]t is|[Ii]t was) {_PERSON}(?= (?:who|in|from|on|at)\b)"),
    # ('My engineer Priya needs to fly ...', 'our new hire Tomás')
    re.compile(rf"\b(?:[Mm]y|[Oo]ur) (?:new |junior |senior )?(?:engineer|developer|colleague|report|hire|starter"
               rf"|team-?mate|manager|boss|intern|contractor|analyst|technician|customer|client|visitor|guest"
               rf"|supplier|contact)s? {_PERSON}\b"),
)


def _people_in_passing(question: str) -> Iterator[tuple[tuple[str, ...], tuple[int, int]]]:
    """(name in question_names' form, where it is written) for each person the question mentions in passing, places
    excepted."""
    for pattern in _PEOPLE_IN_PASSING:
        for match in pattern.finditer(question):
            name = tuple(stem(w.lower()) for w in match.group(1).split() if w.lower() not in STOPWORDS)
            if name and not place_of(name) and not place_of(name[:1]):
                yield name, match.span(1)


def people_named(question: str) -> set[tuple[str, ...]]:
    """The names (question_names' form) of people the question mentions in passing, places excepted."""
    return {name for name, _ in _people_in_passing(question)}


def without_people(question: str) -> str:
    """The question with the names of people said in passing left out ('One of my developers, Lukas, says ...' ->
    'One of my developers says ...'); places are kept."""
    for start, end in sorted({span for _, span in _people_in_passing(question)}, reverse=True):
        if question[:start].endswith(", ") and question[end:].startswith(","):
            question = question[:start - 2] + question[end + 1:]  # an apposition goes with its commas
        else:
            question = question[:start] + "someone" + question[end:]
    return question


# Words written in capitals that name nothing: chat ('I'm OK', 'ASAP', 'FYI') and the common noun 'ID' ('which ID
# should I bring?' is answered by 'bring your passport').
_CAPITALS_NAMING_NOTHING = frozenset({"ok", "okay", "asap", "fyi", "btw", "tbh", "lol", "omg", "thx", "pls", "aka",
                                       "eta", "id"})


def question_names(question: str) -> list[tuple[str, ...]]:
    """Names, acronyms and figures in a question ('United States', 'MFA', '2024') as stemmed word tuples.

    Names are rarely paraphrased, so a passage that never mentions one seldom answers the question.
    """
    names: list[tuple[str, ...]] = []
    current: list[str] = []
    for match in _NAME_TOKEN.finditer(question):
        token = match.group(0)
        if token.lower() in _CAPITALS_NAMING_NOTHING:
            token = token.lower()  # 'let them know I'm OK': no name
        before = question[:match.start()].rstrip()
        sentence_start = not before or before[-1] in ".?!:"
        capital = token[:1].isupper() or token[:1].isdigit()
        acronym = len(token.strip(".")) > 1 and token.replace(".", "").isupper()
        gap = question[match.start() - 1:match.start()] if match.start() else ""
        if current and (not capital or gap not in (" ", "-")):
            names.append(tuple(current))
            current = []
        if capital and (acronym or token[:1].isdigit() or not sentence_start):
            stems = [stem(w) for w in words(token) if w not in STOPWORDS and len(w) > 1]
            current.extend(stems)
            if not stems and current:
                names.append(tuple(current))
                current = []
    if current:
        names.append(tuple(current))
    return [n for n in dict.fromkeys(names) if n]


@lru_cache(maxsize=4096)
def _vocabulary(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A passage's stemmed terms, and the initials of its runs of capitalised words ('U.S. Coast Guard' -> uscg)."""
    initials: set[str] = set()
    run: list[str] = []
    for token in [*_NAME_TOKEN.findall(text), ""]:
        if token[:1].isupper():
            letters = token.replace(".", "") if token.replace(".", "").isupper() else token[:1]
            run.append(letters.lower())
            continue
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + 6) + 1):
                initials.add("".join(run[i:j]))
        run = []
    return frozenset(content_terms(text)), frozenset(initials)


def _covered(word: str, terms: frozenset[str]) -> bool:
    if word in terms:
        return True
    if len(word) < 4:
        return False
    # 'korean' / 'korea', 'japanes' / 'japan', 'chines' / 'china': a shared stem of all but one letter of the
    # shorter, and at most two letters beyond it ('singl' from 'single sign-on' does not cover 'singapor').
    return any(len(t) >= 4 and (common := _common_prefix(word, t)) >= min(len(word), len(t)) - 1
               and max(len(word), len(t)) - common <= 2 for t in terms if t[:3] == word[:3])


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


# Holidays a text may speak of by their dates instead (stemmed names, as question_names gives them).
_HOLIDAY_MONTHS = {"christma": "December", "xmas": "December", "new year": "December|January",
                   "box day": "December", "easter": "March|April", "carniv": "February|March",
                   "hanukkah": "December", "diwali": "October|November"}


_TIME_WORDS = frozenset(stem(w) for w in (
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays"
    " sundays january february march april may june july august september october november december").split())


# a date, as question_names gives it: ('20', 'februari'), ('may', '14'), ('octob', '2025'), ('14', 'may', '2026')
_MONTH_STEM = "|".join(sorted(_TIME_WORDS))
_DAY_OF_MONTH = re.compile(rf"(?:\d{{1,2}} )?(?:{_MONTH_STEM})(?: \d{{1,2}})?(?: (?:19|20)\d\d)?")
_EXAMPLE_BEFORE = re.compile(rf"{EXAMPLE_INTRO}\s+[^,;.?!]{{0,30}}$", re.I)
_CLOCK_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b(?:\s?[ap]\.?m\.?)?|\b\d{1,2}\s?[ap]\.?m\b\.?", re.I)
_SHARE = re.compile(r"\b\d+(?:\.\d+)?\s?%")


def _shares(text: str) -> set[str]:
    """The percentages the text states, written alike ('25 %' and '25%')."""
    return {m.replace(" ", "") for m in _SHARE.findall(text)}
_SEARCH_GENERIC = frozenset({"rate", "rates", "price", "cost", "amount", "limit", "policy", "rule", "rules", "number",
                             "deadline", "length", "time", "info", "details", "process", "procedure", "contact"})
_NEAR = re.compile(r"\b(?:near|nearby|close to|just outside|outside of|on the outskirts of)\s+(?:the\s+)?$", re.I)


def _askers_figure(name: tuple[str, ...]) -> bool:
    """Is the name a figure other than a year ('22', '00' of '22:00'; '6.30', 'pm'; '120')?"""
    return name[0][:1].isdigit() and not (len(name) == 1 and _YEAR_NAME.fullmatch(name[0]))


_YEAR_NAME = re.compile(r"(?:19|20)\d\d")
_SUM_PAID = re.compile(r"\b(?:pay|paying|paid|spend|spending|spent|cost|costs|costing|buy|buying|bought|purchase"
                       r"|charged?|claim|claiming)\b(?:\s+[\w'’-]+){0,3}?\s+(?P<sum>[£€$]\s?\d[\d,]*(?:\.\d+)?)", re.I)
_SUM_FIGURE = re.compile(r"[£€$]\s?(\d[\d,]*(?:\.\d+)?)")


def missing_names(names: list[tuple[str, ...]], text: str) -> int:
    """How many of the question's names `text` never mentions (by name, by a variant, by its initials, or, for a
    country, by another of its names or its demonym)."""
    terms, initials = _vocabulary(text)
    missing = 0
    for name in names:
        if all(_covered(w, terms) for w in name):
            continue
        acronym = "".join(w[0] for w in name) if len(name) > 1 else name[0]
        if acronym in terms or acronym in initials:
            continue
        if len(name) == 1 and 2 <= len(acronym) <= 6 and acronym in acronym_terms(acronym.upper(), text):
            continue  # 'NDA' for a text that spells it out ('a non-disclosure agreement')
        if len(name) == 1 and name[0] in _TIME_WORDS:
            continue  # 'on a Saturday', 'in March': a time the rules need not name ('out of hours', 'each year')
        if _DAY_OF_MONTH.fullmatch(" ".join(name)):
            continue  # "It's 20 February", 'a trip in October 2025': a day the asker speaks of, which the rules
            # need not name (the year's version is chosen by the dates the texts apply from)
        months = _HOLIDAY_MONTHS.get(" ".join(name))
        if months and re.search(rf"\b(?:{months})\b", text, re.I):
            continue  # 'the Christmas freeze' for a text that dates it ('from 18 December to 5 January')
        country = country_of(name)  # 'American' for a text that says 'the U.S.', 'Japan' for 'Japanese'
        if country and mentions_country(country, text):
            continue
        missing += 1
    return missing


def _name_end(token: re.Match) -> int:
    """Where a token of a name ends: before a sentence's full stop ('in Leeds.'), after an abbreviation's ('U.S.')."""
    word = token.group(0).rstrip(".")
    return token.end() if "." in word else token.start() + len(word)


def name_span(text: str, name: tuple[str, ...]) -> tuple[int, int] | None:
    """Where a (stemmed) name, as question_names gives it, occurs in the text, as character offsets."""
    tokens = [(m.start(), _name_end(m), stem(m.group(0).strip(".").lower()))
              for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'’.]*", text)]
    for i in range(len(tokens) - len(name) + 1):
        if tuple(t[2] for t in tokens[i:i + len(name)]) == name:
            return tokens[i][0], tokens[i + len(name) - 1][1]
    return None


def _with_place_named(question: str, names: list[tuple[str, ...]], label: str) -> str:
    """The question with each of `names` (stemmed word tuples, from question_names) written as `label`: 'Who
    approves a trip to Singapore?' -> 'Who approves a trip to Outside Europe?'."""
    for name in names if label else ():
        span = name_span(question, name)
        if span:
            question = question[:span[0]] + label + question[span[1]:]
    return question


def meaningful_title(title: str) -> str:
    """'000 96d9ef7321b5605f' (a title made from a file name) adds only noise to an embedding."""
    return title if re.search(r"[A-Za-z]{3,}", title) and not re.fullmatch(r"[\W\d_a-fA-F]+", title) else ""


@dataclass(slots=True)
class Candidate:
    ref: int
    span: Span
    index: int  # position among the passage's spans
    score: float
    cosine: float
    overlap: float
    vector: np.ndarray
    label: str = ""  # the part of a compound question it answers ('Porto'), when the sentence does not say so
    relevance: float | None = None  # what the abstain threshold reads: score less the ordering-only bonus
    situation: float = 0.0  # how close its condition (or its list's) is to the asker's stated situation

    @property
    def gate_score(self) -> float:
        return self.score if self.relevance is None else self.relevance


# 'does fernhill match pension contributions, how much': a yes/no question with the amount asked as an afterthought
_HOW_TAIL = re.compile(r",?\s+(?:and\s+)?(?:if so,?\s+)?how (?:much|many|long|often)\b[^?]*\??\s*$", re.I)


class SentenceScorer:
    """Scores passage sentences against a question; sentence embeddings are cached across requests."""

    def __init__(self, embedder, cache_size: int = 50_000):
        self.embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Document embeddings of `texts` (one batch for those not cached yet)."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.embedder.embed_documents(missing)
            with self._lock:
                for text, vec in zip(missing, vectors, strict=True):
                    self._cache[text] = vec
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        with self._lock:
            if not texts:
                return np.zeros((0, self.embedder.dim), dtype=np.float32)
            return np.stack([self._cache[t] for t in texts])

    def embed_query(self, question: str) -> np.ndarray:
        key = "\0q\0" + question  # queries and documents may be embedded differently
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self.embedder.embed_query(question)
            with self._lock:
                self._cache[key] = cached
        return cached

    def candidates(self, question: str, passages: list[Passage], *, focus: frozenset[str] = frozenset()
                   ) -> list[Candidate]:
        """Every answer-worthy sentence of the passages, scored against the question, best first. `focus`: the
        words a follow-up added ('carry' for 'And how many can they carry over?' after a question about leave)."""
        question = without_believed_figures(question, lambda figure: _only_replaced_say(figure, passages))
        # ('who should she phone?' asks whom to call, not of phones)
        question = _PHONE_AS_VERB.sub(lambda m: f"{m.group('before')} call", question)
        question = signed_in(question)  # ('keeps me logged in': signed in, not the logs a text keeps)
        found: list[tuple[Passage, int, Span]] = []
        # An article's own question may answer a 'which X' question by the fact its opening phrase states ('After
        # the Upper House elections this summer, will ...?' for 'Which elections ...?'), never a yes/no one.
        category = which_category(question)  # 'Which administration ...?': one named leads
        asks_which = bool(category)
        kind = question_kind(question)
        # ... and a byline ('Cai Liang Interviewed by Global Times') answers who, though it stands as a heading
        asks_who = kind == "person"
        for passage in passages:
            spans = passage_spans(passage)
            for index, span in enumerate(spans):
                if (is_answer_span(span) or (asks_which and _states_in_asking(span))
                        or (asks_who and span.kind == "heading" and bool(_BYLINE.search(span.readable)))) \
                        and not is_untrusted(passage, span) and not _cut_by_chunking(spans, index):
                    found.append((passage, index, span))
        if not found:
            return []
        vectors = self._sentence_vectors(found)
        # 'How big is a PR allowed to be?' is embedded as '... a PR (pull request) ...' where a passage spells it out
        texts = [p.text for p in passages]
        # ... and 'Who signs off my trip?' as '... (approves)' where one says 'approves' (ragqa/policy_words.py)
        used = content_terms("\n".join(texts))
        # ... and 'can I bin old customer contracts?' as '... (Confidential)' where a table lists them as its examples
        classes = [match for p in passages for match in classes_named_by_example(question, passage_spans(p),
                                                                                 p.table_header)]
        everyday = policy_matches(question, used) + classes
        forms = policy_forms(everyday, texts)
        in_policy_words = with_policy_words(question, everyday, forms)
        # (embedded with them only where the passages lack the question's own words: 'guests' stays 'guests'; a
        # class always, as its examples never say it)
        unsaid = [(said, meant) for said, meant in everyday if not said <= used or (said, meant) in classes]
        # (embedded without the names of people said in passing: 'Lukas' draws the meaning to nothing in the texts)
        cosines = vectors @ self.embed_query(with_policy_words(spelled_out(without_people(question), texts), unsaid,
                                                               forms))
        scene, asking = scene_and_question(question)  # (with a leading clause's or a relayed question's scene)
        long_scene = len(content_terms(scene)) >= LONG_SCENE_TERMS if scene else False
        closer_to_asked = np.zeros(len(found))
        if long_scene:
            # A long scene ('A project crunch ate my whole autumn ... I just couldn't.') draws the question's meaning
            # to itself: a sentence closer to the words that ask is ordered as if half that much closer to the
            # question (the order only: the relevance gate reads the whole question)
            asked_cosines = vectors @ self.embed_query(with_policy_words(spelled_out(asking, texts), unsaid, forms))
            closer_to_asked = np.maximum(0.0, (asked_cosines - cosines) / 2)
        ruled_out = negated_terms(question)  # ('a non-senior role'; and a place only compared with)
        quantities = question_quantities(question)  # stated before the question too: "I have been off 4 days."
        had_since = years_had_since(question)  # ('my IPAF card is from 2021': the asker's own fact)
        q_terms = content_terms(_ONE_OF.sub(" ", question)) - past_markers(question) - situation_times(question) \
            - ruled_out - _stated_days(quantities) - had_since
        # an everyday wording of stop words only ('on my own', 'by myself') counts by the policy words it stands for
        # ('alone'): it has no word of its own to share
        # (not what a question's asking words mean, 'how much can I' -> maximum: the kind of value is asked, not named)
        q_terms |= {t for said, meant in everyday if not said and not meant & _ASKING_MEANT for t in meant}
        context, asked = split_context(question)
        # words only in the statements before the question ('I'm on a Leeds contract.'): see row_nudges
        scene_only = frozenset(content_terms(context) - content_terms(asked)) if context else frozenset()
        # (people named in passing, 'Forwarded from Owen', 'Hannah says', 'Filipa's new hire', are no names the
        # articles must speak of)
        people = people_named(question)
        q_terms -= {term for name in people for term in name}  # (no passage need share a name said in passing)
        names = [n for n in question_names(asked) if n not in people]
        # (a place given as an example of the asker's case, 'a long one, like 8 hours to Toronto', weighs as the
        # scene's names do: the rule for the case may never name it)
        exemplified = [n for n in names if (span := name_span(asked, n)) and _EXAMPLE_BEFORE.search(asked[:span[0]])]
        names = [n for n in names if n not in exemplified]
        # Names only in the statements before the question ('I'm going to Lisbon:') weigh less: a part of the
        # question ('who approves the trip?') may be answered by a passage that never names them.
        # (not a place the question only compares with: 'A colleague in Leeds says ... Is it the same in Porto?')
        context_names = [n for n in question_names(context) if n not in names and n not in people
                         and not set(n) <= ruled_out and n not in {(year,) for year in had_since}] if context else []
        context_names += [n for n in exemplified if n not in context_names]
        past = about_past(question) or dated_before_current(question, passages)
        # ('I rolled 4 days over from 2025 into 2026': a case the current text leaves to the old one; its own rules,
        # read first, would answer for another case)
        deferred = any(p.superseded for p in passages) and _deferred_to_old(question, passages)
        old_version = deferred or (asks_old_version(question) and any(p.superseded for p in passages))
        # 'What was the allowance in 2025?': a text in force only from a later year answers after the replaced one.
        # (not one asking how things are now: 'I last changed it in June 2025. Am I about to be forced to ...?')
        dated = any(p.superseded for p in passages) and not asks_about_now(question)
        year = past_year(question) if dated else None
        asked_day = stated_date(question) if dated else None
        asked_day = asked_day.isoformat() if asked_day else ""
        wants_number = wants_figure(question, kind)
        value_type = typed_value(question)
        asks_least = value_type in ("length", "characters") and bool(_REQUIRED.search(question)) \
            and not _CEILING.search(question)
        bounded = bool(_REQUIRED.search(question) or _CEILING.search(question))  # (asks a least or a most)
        # what a count is of: a quota's doing ('work remotely from another country'), a count's kind ('paternity')
        counted = quota_activity(question) if value_type.startswith("quota:") else counted_kind(question)
        # (in the policy's words too: 'transfer into the following year' is carrying over)
        counted |= {t for said, meant in everyday if counted and said & counted for t in meant}
        # ... and what the asker would do with the days counted ('roll over', said as the policy's 'carry over')
        doing, doing_words = counted_doing(question) if not counted else (frozenset(), "")
        # ... and what an amount is of ('How much holiday ...?': leave, in the policy's word)
        measured = measured_thing(question)
        measured |= {t for said, meant in everyday if said & measured for t in meant}
        said_doing = content_terms(doing_words)  # ('take with me into next year': carrying over, as everyday words)
        doing |= {t for said, meant in everyday if said and said <= said_doing for t in meant}
        roles = _roles(asked, context)  # 'reviewers' in 'how quickly should reviewers get back to me?'
        numbered = _ordinal_things(asked)  # 'the 2nd round'
        still = asks_still(question)
        # the words the asking part says or means ('Who runs ...?': lead, owner), not the scene's ('a new hire')
        asked_words = content_terms(asked)
        asked_role_words = asked_words | {t for said, meant in everyday if said and said <= asked_words for t in meant}
        question_words = content_terms(question)
        # Row nudges; `fit` is how well a named row fits beyond what counts as relevance: it orders candidates and
        # never clears the gate.
        rows: dict[int, dict[int, float]] = {}
        fit: dict[int, dict[int, float]] = {}
        row_closeness: dict[int, float] = {}
        for (passage, _, span), cos in zip(found, cosines.tolist(), strict=True):
            if span.kind == "row":
                row_closeness[passage.ref] = max(cos, row_closeness.get(passage.ref, 0.0))
        for p in passages:
            # (a row may be named in the policy words for the question's own: 'gather' names 'Assembly point')
            rows[p.ref], fit[p.ref] = row_nudges(in_policy_words, passage_spans(p), match=ROW_MATCH,
                                                 general=ROW_GENERAL, qualified=ROW_QUALIFIED,
                                                 named=ROW_QUALIFIED_ORDER, scene=scene_only)
            # 'What is the mileage rate for a motorbike?': the Motorcycle row, named in other words (looked for only
            # in a table whose rows are near the question: it embeds the question's words)
            if row_closeness.get(p.ref, 0.0) < ROW_MEANING_NEAR:
                continue
            for named, others in rows_named_by_meaning(asked, passage_spans(p), self.embed):
                fit[p.ref][named] = fit[p.ref].get(named, 0.0) + ROW_QUALIFIED_ORDER
                for i in others:
                    rows[p.ref][i] = rows[p.ref].get(i, 0.0) - ROW_MATCH
        needed = asked_capacity(question)  # 'for about 20 people ... which room is big enough?'
        how_often = asks_how_often(question)
        later_stage = bool(_ASKS_LATER_STAGE.search(question)) or bool(
            _FROM_NOW_ON.search(question) and _DAY_REACHED.search(question))
        ranged = {p.ref: _range_fits(quantities, p) for p in passages} if quantities else {}
        stated_shares = _shares(question)
        durations_only = bool(quantities) and all(unit in DURATION_UNITS for _, unit in quantities)
        # 'When do I need a doctor's note?': the case a labelled range is of is what is asked ('Beyond 3 days: a
        # certificate'), no case the asker left unstated
        asks_from_when = bool(_ASKS_FROM_WHEN.search(asking or question))
        # 'can I ...?', 'what do I need to do?' with a figure stated, not 'how many do I get?'
        checks_figure = kind in ("yesno", "other", "steps")
        # A name the article mentions in another retrieved passage still counts ('The project, estimated at...').
        article_text: dict[str, str] = {}
        for p in passages:
            article_text[p.doc_id] = article_text.get(p.doc_id, "") + "\n".join((p.title, *p.headings, p.text)) + "\n"
        # 'Who approves a trip to Singapore?': a place the passage never names falls under the table row that sums
        # up the rest ('Outside Europe'); that row leads, and the name is not missing from its passage. (The
        # passage, not its article: 'the hotel cap in the USA' is the caps table's 'Outside Europe' row, although
        # the article's per diem table names the USA.)
        placed: dict[int, set[tuple[str, ...]]] = {}
        named_as: dict[tuple[int, int], set[str]] = {}
        # the place asked about; one in the statements before the question only when the question names none
        # ('I'm going to Berlin. What is the allowance for Germany?': Germany)
        asked_places = [(n, place) for n in names if (place := place_of(n))] \
            or _destinations([(n, place) for n in context_names if (place := place_of(n))], context)
        # 'bereavement leave': the kind of thing asked about ('the end-of-year release freeze': end-of-year freeze)
        # (not what the asker wants left alone: 'Can IT remove just the work stuff without erasing my family photos?')
        topic = _LEFT_ALONE.sub("", _topic_first(asked))
        compounds = question_compounds(topic) + hyphenated_kinds(topic)
        article_terms = {doc: content_terms(text) for doc, text in article_text.items()} if compounds else {}
        position = {(p.ref, index): i for i, (p, index, _) in enumerate(found)} if asked_places else {}
        origins = _origins(question) if asked_places else []
        # (where the asker sets out from is no place a row is chosen for: 'from Leeds to a fair in Germany')
        origin_names = set(_names_of(origins))
        going_to = [(n, place) for n, place in asked_places if n not in origin_names] or asked_places
        homes = tuple(place for n in origin_names if (place := place_of(n)))
        for p in passages:
            unnamed = [(n, place) for n, place in going_to if missing_names([n], p.text)]
            covering = rows_for_places([place for _, place in unnamed], passage_spans(p), homes) if unnamed else {}
            if covering and origins:  # 'a trip from Leeds to Singapore': the row covering where the asker goes
                # leads, not the row naming where they start ('Between Leeds and Porto, or elsewhere in Europe')
                rows[p.ref], fit[p.ref] = row_nudges(_without(in_policy_words, origins), passage_spans(p),
                                                     match=ROW_MATCH, general=ROW_GENERAL, qualified=ROW_QUALIFIED,
                                                     named=ROW_QUALIFIED_ORDER, scene=scene_only)
            for row, others in covering.items():
                # the row names the place in other words: its words count as the row's ('Madrid' for 'Other
                # European cities'), as a named row's would, and so does its meaning: the row is as close to the
                # question as it is to the question asked with its label for the place ('... a trip to Outside
                # Europe?'), which the embedding reads far closer to it than '... a trip to Singapore?'
                named_as[(p.ref, row)] = {w for n, _ in unnamed for w in n}
                at = position.get((p.ref, row))
                # ... unless it speaks of another kind of the thing asked ('the overnight rate' for 'the mileage
                # rate in Spain?': the per diem table covers Spain, but not for mileage)
                if at is not None and not (compounds and other_kind(compounds, found[at][2].readable,
                                                                    article_terms[p.doc_id])):
                    as_labelled = _with_place_named(_without(question, origins), [n for n, _ in unnamed],
                                                    span_label(passage_spans(p)[row]))
                    cosines[at] = max(cosines[at], float(vectors[at] @ self.embed_query(as_labelled)))
                for i in others:
                    rows[p.ref][i] = rows[p.ref].get(i, 0.0) - ROW_MATCH
            if covering:
                placed[p.ref] = {n for n, _ in unnamed}
        # A product named for the kind of thing the passages speak of ('ChatGPT' for 'a public AI tool') is not
        # missing from them: the policy words it stands for are there (ragqa/policy_words.py).
        standing_for = set().union(*(said for said, _ in everyday)) if everyday else set()
        checked = [n for n in names if not set(n) <= standing_for]
        # A figure no passage mentions is the asker's own ('stolen at 22:00', 'I drove 120 km'): the rules never
        # name it, so it makes no passage less likely to answer. (Not a year, which is asked of: 'the 2019 rates'
        # that no article gives are not found; nor a sum, which a text about days does not speak of: 'roll the
        # unused £400 into next year' is no question about carrying over leave.)
        said_anywhere = "\n".join(article_text.values())
        sums = {part for m in _SUM_FIGURE.findall(question) for part in re.findall(r"\d+(?:\.\d+)?", m)}

        # ... and so is a place the asker's errand is near that no article names ('a sensor near Harrogate')
        # ... and a time of day the asker gives ('At 10:40 this morning I slipped'): the rules give their own hours
        clocks = [m.span() for m in _CLOCK_TIME.finditer(question)]
        spans = {n: span for n in question_names(question) if (span := name_span(question, n))}
        nearby = {n for n, (start, _) in spans.items() if _NEAR.search(question[:start])
                  or (_askers_figure(n) and any(begin <= start < end for begin, end in clocks))}

        def askers_own(name: tuple[str, ...]) -> bool:
            if name in nearby:
                return _askers_figure(name) or bool(missing_names([name], said_anywhere))
            return _askers_figure(name) and name[0] not in sums and bool(missing_names([name], said_anywhere))

        checked = [n for n in checked if not askers_own(n)]
        context_names = [n for n in context_names if not askers_own(n)]

        rows_placing: dict[str, set[tuple[str, ...]]] = {}  # per article, the places a table row of it covers
        for p in passages:
            rows_placing.setdefault(p.doc_id, set()).update(placed.get(p.ref, ()))

        def unplaced(of: list[tuple[str, ...]], p: Passage) -> int:
            """How many of the names the passage's article never speaks of. A place whose country or continent the
            article names ('outside Europe' for Madrid) is spoken of, unless a row of the article covers it: that
            row ('USA and Canada' for Toronto) is where the article speaks of it, not its other passages."""
            article = article_text[p.doc_id]
            return missing_names([n for n in of if n not in placed.get(p.ref, ()) and (
                n in rows_placing[p.doc_id] or not ((place := place_of(n)) and region_named(place, article)))],
                article)

        # (a name only in the question's leading clause is the scene's too: 'flying to the US for a conference, can
        # I book business class?' reads as 'Flying to the US next week. Can I ...?')
        in_clause = set(question_names(scene)) - set(question_names(asking)) - set(context_names)
        clause_names = [n for n in checked if n in in_clause]
        checked_own = [n for n in checked if n not in in_clause]
        # (an article that gives sums of money of its own speaks of the asker's: '£700 in one go' is checked against
        # the card's 'single transaction limit is £500')
        # (a sum the asker pays: not one they would move or keep, 'the other £450 into next year', which only an
        # article about that money speaks of)
        paid = {part for m in _SUM_PAID.finditer(question) for part in re.findall(r"\d+(?:\.\d+)?", m.group("sum"))}
        asked_sums = {n for n in [*names, *context_names] if _askers_figure(n) and n[0] in paid}
        priced = {doc_id for doc_id, text in article_text.items() if _SUM_FIGURE.search(text)} if asked_sums else set()

        def unpriced(of: list[tuple[str, ...]], p: Passage) -> list[tuple[str, ...]]:
            return [n for n in of if n not in asked_sums] if p.doc_id in priced else of

        # ... but a known place only the scene names ('staying at my uncle's in Bristol') makes a passage that never
        # names it ('If you stay with friends or family ...') later, not less relevant: the rule may hold wherever
        # one goes. `missing` counts every absent name; `placed_later` the share of it that only orders.
        scene_names = context_names + clause_names
        scene_unplaced = [n for n in scene_names if not place_of(n)]
        missing, placed_later = {}, {}
        for p in passages:
            own_absent = unplaced(unpriced(checked_own, p), p)
            in_scene = CONTEXT_NAME_SHARE * min(1, unplaced(unpriced(scene_names, p), p))
            gating = CONTEXT_NAME_SHARE * min(1, unplaced(unpriced(scene_unplaced, p), p)) \
                if len(scene_unplaced) < len(scene_names) else in_scene
            missing[p.ref], placed_later[p.ref] = own_absent + in_scene, in_scene - gating
        heads = {stem(h) for _, h in compounds}  # a sentence without one speaks of no other kind of them
        titled = {p.ref: frozenset(content_terms(p.title)) for p in passages} if compounds else {}
        # 'Annual leave (Leeds)' for 'How many days of paternity leave ...?': an article titled for another kind of
        # the asked head, which never names the asked one (read once per passage)
        titled_otherwise = {p.ref for p in passages if heads & titled.get(p.ref, frozenset())
                            and other_kind(compounds, p.title, article_terms[p.doc_id])}
        # ... or a section headed so ('Buddy lunch allowance' for 'our monthly team lunch')
        titled_otherwise |= {p.ref for p in passages if p.headings and p.headings[-1] != p.title
                             and heads & content_terms(p.headings[-1])
                             and other_kind(compounds, p.headings[-1], article_terms[p.doc_id])}
        asked_countries = {c.country: c for n in names if (c := country_of(n))}
        unmentioned = {p.ref: {name for name, c in asked_countries.items()
                               if not mentions_country(c, article_text[p.doc_id])} for p in passages}
        # 'I lost my badge at the Leeds office ... will they charge me?': an article about a site in another country
        # than every place the asker names ('Porto office guide') is about someone else's office.
        # ('I work in the Porto office ... A Leeds colleague says the first one is free': where the asker is based
        # stands for the places the scene names, when the question itself names none)
        home = [n for n in _home_names(context) if n in context_names] if context and not names else []
        # ... unless the scene says where, elsewhere, the asker goes ("I'm based in Leeds and I'm bringing a customer to
        # a meeting at the Porto office": Porto's rules)
        going = [n for n in _visited_names(context) if n in context_names and n not in home] if home else []
        asked_lands = {place.country for n in (*names, *(going or home or context_names)) if (place := place_of(n))}
        asked_places = [n for n in dict.fromkeys((*names, *context_names)) if place_of(n)]
        asked_modes = travel_modes(question)
        asks_gain = bool(_ASKS_GAIN.search(asking))
        # ('people in orange vests who herd everyone out': the fire wardens, as 'the fire wardens, who wear orange
        # high-visibility vests' defines them) the asker's role, named in the article's words
        described = _roles_described(q_terms, [s.readable for _, _, s in found]) if asks_gain else frozenset()
        roles |= {stem(w) for w in described}
        elsewhere = {p.ref for p in passages if asked_lands and (lands := countries_placed(p.title))
                     and not lands & asked_lands}
        # the follow-up's words with the policy words they stand for ('the new one': 'replacement')
        on_focus = set(focus).union(*(meant for said, meant in everyday if said & focus)) if focus else set()
        unknown = self._asks_unknown(asked, context, compounds, article_text, article_terms, found, cosines,
                                     standing_for)
        asks_owner = bool(_ASKS_OWNER.search(question))
        tells = asks_whom_to_tell(question)
        asks_contact = bool(_WHOM_TO_CONTACT.search(question))
        asks_first_step = bool(_ASKS_FIRST_STEP.search(asking))
        asks_to_ring = bool(_ASKS_WHOM_TO_RING.search(asking))
        must_do = _asked_obligation(asking) if kind == "yesno" else None
        may_do, told = _asked_permission(asking, scene) if kind in ("yesno", "other") and not must_do \
            else (frozenset(), "")  # ('Everyone else is busy, so can I just go on my own?' is of no kind read)
        asks_example = bool(re.search(r"\b(?:examples?|for instance|such as)\b", question, re.I))
        examples = {p.ref: bool(p.headings) and bool(_EXAMPLES_HEADING.search(p.headings[-1])) for p in passages}
        # (a further sentence of an item that opens with a question holds that question's words: 'Forgot your badge?
        # Reception issues a temporary day badge ...' is about a forgotten badge)
        asked_cases = [_asked_case(passage_spans(p), i, p) for p, i, _ in found]
        section_heads = [_section_heading(p, i) for p, i, _ in found]
        section_terms = [frozenset(content_terms(heading)) for heading in section_heads]
        table_headings: dict[str, set[frozenset[str]]] = {}  # each article's tables, by their sections' headings
        for (p, _, s), section in zip(found, section_terms, strict=True):
            table_headings.setdefault(p.doc_id, set())
            if s.kind == "row":
                table_headings[p.doc_id].add(section)
        sentence_terms = [content_terms(s.readable) | content_terms(" ".join(p.headings)) | content_terms(case)
                          | section for (p, _, s), case, section in zip(found, asked_cases, section_terms, strict=True)]
        situation = stated_situation(context, asked)
        # (the things the scene names, 'a weir': not its verbs, 'needs to swap'; or the action asked leave for, where
        # nothing is told before it: 'Am I allowed to replace a sensor on a weir by myself?')
        # ('... a sensor on a riverbank if it's only a quick job?': the closing clause and the action both)
        scene_things = [] if not may_do else _SCENE_THING.findall(f"{situation} {told}") if told \
            else _SCENE_THING.findall(situation) + _SCENE_THING.findall(asking)
        scene_terms = content_terms(" ".join(scene_things))
        # (... with the policy words their everyday ones stand for: 'a riverbank' is at the water's edge)
        scene_terms |= {t for said, meant in everyday if said & scene_terms for t in meant}
        asks_exception = bool(_ASKS_EXCEPTION.search(question))
        owned = {stem(w.lower()) for pair in _OWN_THING.findall(question) for w in pair  # ("my account", "my password")
                 if w and w.lower() not in STOPWORDS}
        own_heads = _own_heads(question)
        # (the situation read with the policy words its everyday wording stands for: 'right on the bank' is at the
        # water's edge)
        fits_situation, conditional_ones = self._situation_fits(
            with_policy_words(situation, policy_matches(situation, used), forms), found, asked_cases,
            question_words | set(t for _, meant in everyday for t in meant)) if situation \
            else ([0.0] * len(found), [False] * len(found))
        # A heading holding every word of a phrase the question's everyday wording means ('On the first day' for
        # 'can't come in today'): one-word meanings ('leave' for 'holiday') head too many sections to tell them apart
        phrases_meant = [meant for _, meant in everyday if len(meant) > 1]
        # (not a heading for doing what the question never asks: 'Setting up MFA with Fernhill Authenticator' for
        # 'tapped approve on a sign-in I didn't start')
        headed_by = {p.ref: bool(p.headings) and _heading_means(p.headings[-1], phrases_meant)
                     and not _other_doing(p.headings[-1], question_words)
                     for p in passages}
        meant_terms = {t for _, meant in everyday for t in meant}
        question_word = asked_as(asking)
        heading_asks = [bool(question_word) and asked_as(heading) == question_word
                        and bool(matched_terms(q_terms | meant_terms, set(terms) - _ASKED_AS_WORDS))
                        for heading, terms in zip(section_heads, section_terms, strict=True)]
        # Rare words weigh more: a question word found in few of these sentences is what it is really about.
        idf = {t: math.log(1 + len(found) / (1 + sum(t in terms for terms in sentence_terms))) for t in q_terms}
        idf_total = sum(idf.values()) or 1.0
        asked_terms = q_terms & content_terms(asking) \
            if scene and len(content_terms(scene)) >= LIFT_SCENE_TERMS else set()
        lift_share = 1.0 if long_scene else SHORT_SCENE_LIFT  # ('Flying to the US next week. Can I book ...?')
        asked_own = q_terms & content_terms(asking)  # (the words that ask, not the scene's)
        # ... with the policy words they stand for ('per night for his meals': the per diem)
        asked_meaning = asked_own | {t for said, meant in everyday if said and said <= asked_own for t in meant}
        # ... and what a phrase of those words stands for ('take them with me into next year': carry over)
        asked_phrases = [meant for said, meant in everyday
                         if len(said) >= ASKED_PHRASE_TERMS and NEGATED not in said and said <= asked_own]
        asked_idf = sum(idf[t] for t in asked_terms) or 1.0
        # 'Flying 12 hours to Brazil. Can I book business class?': the item labelled with the thing asked of
        # ('Business class: only with CFO approval') says yes or no, ahead of the item the asker's figure fits
        # ('Flights of 6 hours or more: premium economy'), which follows it
        permitted = _ASKS_PERMISSION.search(asking) if kind == "yesno" else None
        named_items = {(passage.ref, index) for passage, index, span in found
                       if span.kind in ("item", "row") and len(label := content_terms(span_label(span))) >= 2
                       and label <= content_terms(permitted.group("rest"))} if permitted else set()
        # (a thing's name, not one word: 'Book up to: 14 days ahead' is not what 'Can I just book one?' asks of;
        # and only what one asks leave to do: 'Does the Fernhill-Guest password change?' asks no leave)
        out = []
        for ((passage, index, span), cos, vec, terms, section, situated, conditional, asked_closer,
             asks_as_heading) in zip(
                found, cosines.tolist(), vectors, sentence_terms, section_terms, fits_situation, conditional_ones,
                closer_to_asked.tolist(), heading_asks, strict=True):
            terms = terms | named_as.get((passage.ref, index), set())
            shared = matched_terms(q_terms, terms) | (acronym_terms(question, span.readable) & q_terms)
            for said, meant in everyday:  # 'nicked' matches a sentence that says 'stolen'
                if meant & terms:
                    shared |= said & q_terms
            overlap = len(shared) / len(q_terms) if q_terms else 0.0
            rare_overlap = sum(idf[t] for t in shared) / idf_total
            score = W_COSINE * cos + W_OVERLAP * overlap + W_RARE_OVERLAP * rare_overlap + W_RANK / passage.ref
            # A long scene thins the share of the question's words any sentence says ('It's 11pm, I'm at Porto
            # airport and my flight has been cancelled ... what number do I ring?'): the share of the words that ask
            # counts for relevance too, never for the order (which the scene's words help choose)
            lift = lift_share * max(0.0, W_OVERLAP * (len(shared & asked_terms) / len(asked_terms) - overlap)
                                    + W_RARE_OVERLAP * (sum(idf[t] for t in shared & asked_terms) / asked_idf
                                                        - rare_overlap)) if asked_terms else 0.0
            # a rule written for the situation the asker states ('when breakfast is included')
            if conditional and situated != OPPOSED and quantities and ranged[passage.ref].get(index) == 1:
                # 'If you start after the 15th of the month' for 'I started on the 20th': the range settles that
                # the rule is written for the asker's case, however far apart the words are in meaning
                situated = 1.0
            score += situation_bonus(situated) if situated else 0.0
            if kind == "steps" and headed_by[passage.ref] and is_conditional(passage.headings[-1]):
                # a step of the section written for the case the everyday words tell ('If you discover a fire' for
                # 'smoke is pouring out of the microwave, what do I do?'): however long the scene, its steps answer
                score += CASE_HEADING_LIFT
            if situated == OPPOSED:  # 'when breakfast is included' for a hotel without breakfast
                score -= OPPOSED_PENALTY
            if wants_number:
                score += NUMBER_BONUS if holds_figure(span.stated, question) else -NUMBER_PENALTY
                if span.kind == "item" and _labels_another_case(span, q_terms | meant_terms):
                    # 'Client or partner entertainment: up to £60 per head' for 'How much can we spend per person
                    # on the team's Christmas party?': the figure of a case the question never names
                    score -= OTHER_CASE_PENALTY
            # ('How often ...?': a row's '5 years' is a period under its header 'Replacement cycle')
            valueless = kind in VALUE_KINDS and not has_value(kind, span.readable if span.kind == "row" and how_often
                                                              else span.stated, question)
            if valueless:
                score -= VALUE_PENALTY
            if value_type and not holds_typed_value(value_type, span.stated):
                score -= TYPED_VALUE_PENALTY
            elif counted and not matched_terms(counted, terms | content_terms(" ".join(passage.headings))):
                # 'how many days a year may I work from another country?': '23 working days of annual leave per
                # calendar year' counts days of something else; so does 'two weeks off needs four weeks' notice'
                # for 'how many weeks of paternity leave?'
                score -= TYPED_VALUE_PENALTY
            if measured and not matched_terms(set(measured), terms | content_terms(" ".join(passage.headings))):
                score -= MEASURED_ELSE_PENALTY  # 'End of week 1, Porto (90 days)' counts days, but none of leave
            if doing and not matched_terms(set(doing), terms):
                score -= VALUE_PENALTY  # 'Entitlement: 25 days' counts days, but none rolled over
            if unmentioned[passage.ref] and countries_named(span.readable) - set(asked_countries):
                score -= OTHER_COUNTRY_PENALTY
            if passage.ref in elsewhere:
                score -= OTHER_SITE_PENALTY
            if other_mode(asked_modes, span.readable):
                score -= OTHER_MODE_PENALTY
            if numbered and other_ordinal(numbered, span.readable):
                score -= OTHER_ORDINAL_PENALTY
            # (a page's owners answer 'who is the release manager?', not 'who do I need to let know?')
            referral = bool(_REFERRAL.search(span.readable)) or (bool(_PAGE_DETAIL.match(span.readable))
                                                                 and not asks_owner and (kind != "person" or tells))
            if referral or (_SCOPE.search(span.readable) and not _ASKS_SCOPE.search(question)):
                # (and a page's scope, 'This page applies to everyone with a contract with ...', answers only
                # whom it applies to)
                score -= REFERRAL_PENALTY
            if asks_contact and _CONTACT_STEP.match(span.readable):
                score += CONTACT_STEP_BONUS  # 'Who do I talk to ...?': 'Contact Sophie Lang or ...' says it
            elif asks_contact and not _SAYS_WHOM.search(span.stated) and not has_value("contact", span.stated, ""):
                # ... and 'Your buddy is not your manager' names a role, but nobody to talk to
                score -= VALUE_PENALTY
            condition = _CONDITION.match(span.readable)
            case = content_terms(condition.group(0)) - _CONDITION_WORDS if condition else set()
            if condition and not matched_terms(case, q_terms | meant_terms):
                # (a case the question tells in everyday words is its own: 'hurt myself on a work trip' for 'If you
                # are ill, injured or caught up in an emergency abroad')
                score -= CONDITION_PENALTY
            elif condition and not matched_terms(case, q_terms):
                # ... and its rule is lifted as the asker's case: the model reads everyday words as far from the
                # text's ('hurt myself' from 'If you are ill, injured ...': cosine 0.25)
                score += CONDITION_PENALTY
            if other_group(question, span.readable) or _other_role(roles, q_terms, span.readable) \
                    or _another_kind_of_own(owned, q_terms, span.readable, own_heads) or (
                    ruled_out and span.kind in ("row", "item")
                    and content_terms(span_label(span)) & ruled_out):
                # 'Full-time staff receive ...' for 'I work part-time'; 'Porto, senior roles' for 'nothing senior'
                score -= OTHER_GROUP_PENALTY
            if asks_gain and not _SAYS_GAIN.search(span.readable):
                # 'If I volunteer for this, do I get something extra?': a sentence giving nothing to anyone ('Follow
                # the instructions of the fire wardens, who wear orange vests') says nothing of what one gets
                score -= NO_GAIN_PENALTY
            if (examples[passage.ref] or _EXAMPLE.match(span.readable)) and not asks_example \
                    and not (quantities and set(quantities) & set(question_quantities(span.readable))
                             and _works_out_asked(span.readable, asked_own)):
                # unless it is the asker's own case ('3 days a week' for 'three days a week'), working out what is
                # asked ('Two nights in London: 2 x (£55 - 20%) = £88 per diem' does not answer what the hotel may cost)
                score -= EXAMPLE_PENALTY
            if _REPORTED.search(span.readable) and kind != "reason":
                # 'After the 2025 staff survey, many people said that 5 days was too little': why a rule changed,
                # in what people said; the rule answers
                score -= EXAMPLE_PENALTY
            if kind not in ("number", "date") and has_shape(kind, span.stated):
                score += SHAPE_BONUS  # a contact for 'who do I call', a place for 'where'
            if kind == "steps" and span.kind == "item":
                score += SHAPE_BONUS
            if still and states_change(span.readable):
                score += SHAPE_BONUS  # 'Do passwords still expire?': 'Passwords do not expire.'
            score += rows[passage.ref].get(index, 0.0)
            order_only = fit[passage.ref].get(index, 0.0) + W_COSINE * asked_closer
            if asks_to_ring and holds_typed_value("phone", span.stated):
                order_only += NUMBER_TO_RING_ORDER
            if asks_from_when and span.kind in ("row", "item") and _says_none_of(q_terms, span.readable):
                # 'From which day does he need a doctor's note?': the case that needs one ('From the 8th calendar
                # day: a fit note'), not the one before it ('Up to 7 calendar days: no doctor's note')
                order_only -= RANGE_UNASKED
            if described and matched_terms(described, terms) and _SAYS_GAIN.search(span.readable):
                order_only += RANGE_FIT  # what the role the scene describes gets ('Wardens ... receive an extra day')
            if span.kind == "item" and _ONLY_BY_EXCEPTION.match(span.readable[len(span_label(span)):].lstrip(": ")) \
                    and span_label(span) and _named_short(content_terms(span_label(span)), q_terms):
                # 'Business class: only with CFO approval' for 'what class can I book?': an exception the question
                # does not name comes after the rule ('Flights under 6 hours: economy')
                order_only -= RANGE_UNASKED
            elif span.kind == "item" and len(content_terms(span_label(span))) >= 2 \
                    and not _named_short(content_terms(span_label(span)), q_terms):
                # ... and one it names leads ('Can I book business class?': 'Business class: only with CFO approval')
                order_only += RANGE_UNASKED
            if span.kind == "row" and _another_tables_row(asked_meaning, passage, span, terms, section,
                                                          table_headings[passage.doc_id]):
                # 'How much per diem can I claim in Lisbon?': the row 'Lisbon | €140' of the article's 'Accommodation
                # caps' table, beside the table whose heading names what is asked ('Per diem rates')
                order_only -= RANGE_FIT
            if asks_least and _CEILING.search(span.readable):
                # 'How long does my password have to be?': the least it must be, not the most it may be
                order_only -= RANGE_FIT
            if wants_number and not bounded and _FLOOR_STATED.search(span.readable):
                # 'How many holiday days do I get in Porto?': what staff receive (23 days), not the minimum the law
                # sets that it is built on ('Portuguese law sets a minimum of 22 days')
                order_only -= RANGE_FIT
            # (where someone is based is not where the case happens: 'Three nights in Porto for a Leeds-based
            # engineer' is a case in Portugal)
            if asked_lands and span.kind in ("row", "item") and (
                    lands := countries_placed(_BASED.sub("", span_label(span)))) and not lands & asked_lands:
                order_only -= OTHER_LAND_ORDER  # 'UK: 45p per mile' beside 'Portugal: €0.40 per km', asked from Porto
            elif asked_lands and (lands := countries_placed(_section_heading(passage, index))) \
                    and not lands & asked_lands:
                # 'Up to 7 calendar days: no doctor's note.' under 'Leeds and UK contracts', asked on a Porto contract
                order_only -= OTHER_LAND_ORDER
            if kind in ("steps", "contact") and span.kind == "item" \
                    and _FIRST_STEP.search(passage.text, 0, span.start):
                order_only += FIRST_STEP_ORDER
                if asks_first_step:
                    score += FIRST_STEP_ASKED_BONUS
            if kind == "yesno" and not still and _says_none_of(asked_own, span.readable):
                order_only += VERDICT_ORDER  # 'Can I park at the office?': 'There is no car parking at ...'
            if may_do and _says_whether_may(may_do, span.readable, _lead_in_text(passage, index)):
                # 'Am I allowed to go on my own?': 'You must not work alone in these situations: any work within 3
                # metres of the water's edge', not 'Most field work is on river-level sensors' that the scene recalls
                order_only += OBLIGATION_VERDICT_ORDER
                if scene_terms and _case_named(passage, index, scene_terms):
                    order_only += RANGE_FIT  # ... and of its cases, the one that names the asker's ('on a weir')
                if _TIME_CASE.search(span.readable) and not _TIME_SAID.search(question):
                    # 'Lone work outside these hours is not allowed': a verdict for a time the asker never names
                    order_only -= OBLIGATION_VERDICT_ORDER
            if must_do and _says_whether_must(must_do, span.readable):
                # 'Do I need to buy my own travel insurance?': 'You do not need to buy your own insurance ...'
                order_only += OBLIGATION_VERDICT_ORDER
            if _SUMMARY_LINE.match(span.readable):
                order_only -= SUMMARY_ORDER  # 'In short: 23 days of leave' restates the rule the page gives in full
            if span.kind == "heading" and matched_terms(content_terms(span.readable) & _BYLINE_VERBS, q_terms):
                order_only += BYLINE_ORDER  # 'Who was interviewed?': 'Cai Liang Interviewed by Global Times'
            if asks_who and (role := _ROLE_LINE.match(span.readable)) \
                    and matched_terms(asked_role_words, content_terms(role.group(1))):
                order_only += ROLE_LINE_ORDER  # 'Who runs the buddy scheme?': 'Programme lead: Sophie Lang'
            if category and names_a_member(category, span.readable, question_words):
                order_only += CATEGORY_MEMBER_ORDER  # 'the Biden administration' for 'which administration'
            if not asks_exception and not (situation and situated > 0) \
                    and _EXCEPTIONS_HEADING.search(_section_heading(passage, index)):
                # 'Exceptions: Business need. ... you may carry more than 8 days' for 'How many days can I carry
                # over?': the rule answers; an exception when the question states a situation its case is written
                # for ('if I was off sick') or asks beyond the rule ('more than 8 days')
                order_only -= EXCEPTION_ORDER
            if wants_number and span.kind != "row" and not situated > SITUATION_FLOOR \
                    and is_conditional(condition_said := rule_condition(span)) \
                    and not matched_terms(content_terms(condition_said), q_terms | meant_terms):
                # 'How much can I claim for food each night in the UK?': the rate, not 'when breakfast is included in
                # your hotel rate, reduce the per diem by 20%', a rule for a case the question never names
                order_only -= EXCEPTION_ORDER
            if later_stage and span.kind in ("row", "item") and _LATER_STAGE_LABEL.match(span_label(span)):
                order_only += RANGE_FIT  # 'once the first few days have passed': the row 'After that'
            if needed and span.kind == "row":
                holds = row_capacity(passage_spans(passage), index, passage.table_header)
                if holds is not None:  # a room seating 24 fits 20; the 16-seat boardroom does not
                    order_only += RANGE_FIT if holds >= needed else -RANGE_FIT
            if (passage.ref, index) in named_items:
                order_only += VERDICT_ORDER + RANGE_FIT * bool(quantities)  # (ahead of a fitting range's item)
            if stated_shares and span.kind == "row" and stated_shares & _shares(span.readable):
                # 'it went out to 25% of the sensors: how long do we hold?': the row of the stage at that share
                order_only += RANGE_FIT
            if quantities:
                order_only += RANGE_FIT * ranged[passage.ref].get(index, 0)
                if index not in ranged[passage.ref] and 1 in ranged[passage.ref].values() and wants_number \
                        and holds_figure(span.stated, question):
                    # 'Full-time staff receive 25 days' beside the row '3 years or more | 26 days' that holds the
                    # asker's stated service: the general rule the fitting row refines
                    order_only -= RANGE_FIT
                if checks_figure and not ranged[passage.ref] and _states_a_threshold(span, quantities):
                    # 'been here 8 months, can I be a buddy?': 'Buddies have been here at least 12 months' is the
                    # rule the asker's figure is checked against, whether it holds or not; not beside a labelled
                    # case of the passage that holds the figure ('Flights of 6 hours or more' for a 7.5-hour flight,
                    # over 'journeys over 3 hours' of the train's first class)
                    order_only += RANGE_FIT
            if span.kind in ("row", "item") and (not quantities or (durations_only and not ranged[passage.ref])) \
                    and not asks_from_when \
                    and label_range(span_label(span)) \
                    and not (asked_places and _item_goes_on_naming(passage, index, asked_places)):
                # 'Less than 3 years | 25 days' for 'How many days do Leeds staff get?': a case of the rule the
                # question does not state; the sentence stating the rule itself ('Full-time staff receive 25 days
                # ... plus the UK bank holidays') leads. So does a labelled case of a list ('From the 8th calendar
                # day: a fit note' for 'won't make it in today, what do I do?'), and a case of a passage whose ranges
                # are in no unit of the lengths the question states ('Less than 3 years' for 'away for a fortnight')
                order_only -= RANGE_UNASKED
                # (unless the item goes on to name the asker's places: 'Flights under 6 hours: economy. This covers
                # Leeds Bradford or Manchester to Porto.' is the case of a flight from Manchester to Porto)
            absent = missing[passage.ref]
            if absent and asked_lands and span.kind == "item" and countries_named(span_label(span)) & asked_lands:
                absent -= 1  # 'Portugal: €0.40 per km' speaks of Porto itself, whatever its article's tables cover
            score -= NAME_PENALTY * (absent - placed_later[passage.ref])
            order_only -= NAME_PENALTY * placed_later[passage.ref]
            # (a row with its label column's header: 'Trip' for the 'Outside Europe' row, which reads 'For Outside
            # Europe, who approves: ...', as for the row that reads 'Where Trip is between Leeds and Porto, ...')
            # (not for one without the value the follow-up asks: 'moved the deadline for using carried days later in
            # the year' for 'By when do I have to use them?')
            if focus and not referral and matched_terms(on_focus, terms | (content_terms(label_header(
                    passage_spans(passage), index, passage.table_header)) if span.kind == "row" else set())) \
                    and not (kind == "date" and not has_value(kind, span.stated, question)):
                # The follow-up's own words: the conversation's earlier question, carried in, would otherwise choose
                # its own answer again ('25 days of leave' for '... can they carry over?'). Order only; not for a
                # sentence that only says where the rules are ('... and by when you must use them, are set out in').
                order_only += FOCUS_ORDER
            if not valueless and any(meant <= terms for meant in asked_phrases):
                # 'You may carry over up to 8 days' for 'how many can I take with me into next year?', over a sentence
                # sharing only the scene's words ('your holiday days ... this year'); order only, and not for one
                # without the value asked ('you may claim a daily allowance instead of meals' for 'how much food money')
                order_only += ASKED_MEANT_ORDER
            if headed_by[passage.ref]:  # the section whose heading the question's everyday words name ('On the
                order_only += HEADING_MEANT_ORDER  # first day' for 'won't make it in today')
            if asks_as_heading:
                order_only += HEADING_ASKED_ORDER
            case = _CASE_OPENING.match(span.readable) if kind == "steps" and meant_terms else None
            if case and len(content_terms(case.group("case")) & meant_terms) >= CASE_MEANT_TERMS:
                # 'In a medical emergency call 999 (UK) or 112 (Portugal) first' for 'a colleague's just collapsed,
                # what do I do?': a step written for the case the everyday words tell (orders only)
                order_only += CASE_MEANT_ORDER
            # (or in an article titled for another kind: 'Entitlement: 25 days plus bank holidays' in 'Annual leave')
            if passage.ref in titled_otherwise or (heads & terms and other_kind(
                    compounds, span.readable, article_terms[passage.doc_id], article_text[passage.doc_id],
                    titled[passage.ref])):
                score -= OTHER_KIND_PENALTY
            elif _ACRONYM_BEFORE.search(span.readable) and other_spelled_kind(question, span.readable,
                                                                             article_text[passage.doc_id]):
                score -= OTHER_KIND_PENALTY  # 'AQ sensor checks' for a river-level sensor
            score -= UNKNOWN_KIND_PENALTY if unknown else 0.0
            if not is_answer_span(span):
                score -= ASKING_PENALTY  # an article's own question or a byline answers only when clearly best
            if passage.superseded and not past:
                score -= SUPERSEDED_PENALTY
            elif old_version and not passage.superseded and (deferred or not _STATES_OLD.search(span.readable)):
                # 'the previous rates': the replaced article answers first (not a current text's own word on the old:
                # 'For Scheduled expiry, the before (2023 policy) is Every 90 days')
                score -= SUPERSEDED_PENALTY
                order_only -= LATER_TEXT_ORDER if deferred else 0.0
            elif not passage.superseded and passage.since[:4].isdigit() and (
                    (year and int(passage.since[:4]) > year) or (asked_day and passage.since[:10] > asked_day)):
                # the text did not exist then ('a trip from 20 to 23 January 2026' before rates effective from 1
                # February); the gate still reads it as relevant
                order_only -= LATER_TEXT_ORDER
            out.append(Candidate(passage.ref, span, index, score + order_only + ORDER_LIFT * lift, cos, overlap, vec,
                                 relevance=score + lift, situation=max(situated, 0.0) if conditional else 0.0))
        out.sort(key=lambda c: (-c.score, c.ref, c.span.start))
        return out

    def _asks_unknown(self, asked: str, context: str, compounds: list[tuple[str, str]], article_text: dict[str, str],
                      article_terms: dict[str, set[str]], found: list[tuple[Passage, int, Span]],
                      cosines: np.ndarray, standing_for: set[str] = frozenset()) -> bool:
        """Is the question about a kind of thing ('bereavement leave') or a thing ('Can I bring my dog to the
        office?') that no retrieved passage speaks of (service/compounds.py)? (Not a thing the question names in
        everyday words that stand for the passages' policy words, `standing_for`: 'my staff pass' is a badge.)"""
        retrieved = "\n".join(article_text.values())
        if any(missing_names([site], retrieved) for site in _sites_named(asked)):
            return True  # 'Is there parking at the Lisbon office?': no article speaks of a Lisbon office at all
        # (the question itself, not the scene it sets: "Heading to a trade fair - can I ...?")
        own = scene_and_question(asked)[1]
        terms = set().union(*article_terms.values()) if article_terms else content_terms(retrieved)
        if any(_unit_unsaid(unit, terms) for unit in _PER_UNIT.findall(own)):
            return True  # 'How much will it cost me per kWh?': a rate by a unit no retrieved article counts in
        # ('flight delayed 4 hours, can i expense airport lounge access?': the thing of the question after its scene)
        # (its own thing, not one a pointer takes from the scene: 'paste it into ChatGPT' asks of no export)
        thing = asked_object(asked, context) or (asked_object(own) if own != asked else "") \
            or asked_object(_HOW_TAIL.sub("?", own)) or asked_attribute(asked) or asked_subject(asked) \
            or asked_amount_of(own) or sought_thing(own) or asked_object(relayed_in(context))
        category = asked_category(asked)
        phrases = question_compounds(_LEFT_ALONE.sub("", own if len(content_terms(own)) >= 2 else _topic_first(asked)),
                                     through_hyphens=True)
        # 'Does Fernhill give Porto staff a discount at a gym?': where a yes/no question's thing is had, brought in
        # with 'a', is part of what it asks
        introduced = _INTRODUCED_PLACE.findall(own) if question_kind(own) == "yesno" else []
        searched = [w for w in re.findall(r"[a-z][a-z-]+", own.lower()) if content_terms(w)
                    and not content_terms(w) & (terms | standing_for) and w not in _SEARCH_GENERIC
                    and not names_no_kind(w)] \
            if is_search_query(own) and not question_names(own.lower()) else []
        # (object_kind needs a thing)
        if not phrases and not thing and not category and not introduced and not searched:
            return False
        # A word for the thing would stand in the sentences nearest the question in meaning: only theirs are
        # compared with it (a few dozen words, embedded once, where every retrieved word would cost ~100 ms).
        nearest = "\n".join(found[i][2].readable for i in np.argsort(-cosines)[:THING_SENTENCES])
        # 'company pension contribution rate?': typed as into a search box, each word of the phrase is what it asks
        # of; one no article speaks of (by the word or one close in meaning) is a thing the articles lack
        if any(unknown_thing(asked, word, retrieved, terms, self.embed, near=nearest) for word in searched):
            return True
        if any(stem(word) not in standing_for
               and unknown_thing(asked, word, retrieved, terms, self.embed, near=nearest) for word in introduced):
            return True
        # 'What programming language ...?': the category's head may be left unsaid ('Book economy' for 'What cabin
        # class can I book?'), but passages that use neither of its words do not speak of it at all.
        if category and all(unknown_thing(asked, w, retrieved, terms, self.embed, near=nearest) for w in category):
            return True
        kinds = [*compounds, *filter(None, [object_kind(asked, context)
                                            or (object_kind(own) if own != asked else None)])]
        if kinds and unknown_kinds(asked, kinds, retrieved, terms, self.embed):
            return True
        paid_for = purpose_kind(asked)
        # 'a scheme to buy a bike': what a scheme pays for is said in an article that speaks of schemes, not in any
        # ('Cycle storage: 60 covered racks' in the office guide)
        by_article = (article_terms or {doc: content_terms(text) for doc, text in article_text.items()}) \
            if paid_for else {}
        schemes = [doc for doc, words in by_article.items() if stem(paid_for[1]) in words]
        if schemes and unknown_kinds(asked, [paid_for], "\n".join(article_text[doc] for doc in schemes),
                                     set().union(*(by_article[doc] for doc in schemes)), self.embed):
            return True
        if absent_phrase(asked, phrases, retrieved, terms, self.embed, near=nearest):
            return True
        fed_into = _FED_INTO.search(own)
        if not thing or stem(thing) in standing_for or _POINTER_INTO.search(own) \
                or (fed_into and content_terms(fed_into.group("place").replace("-", " ")) & (standing_for | terms)):
            # ('... an export of raw readings. Am I allowed to paste it into ChatGPT?': what is asked is where it goes,
            # not the scene's export)
            return False
        return unknown_thing(asked, thing, retrieved, terms, self.embed, near=nearest)

    def _situation_fits(self, situation: str, found: list[tuple[Passage, int, Span]], asked_cases: list[str],
                        asked_terms: set[str]) -> tuple[list[float], list[bool]]:
        """How close in meaning each sentence's own condition ('If you have also lost your MFA device', a row's
        'Flight cancelled or missed') is to the situation the asker states (service/situations.py), 0 for none,
        OPPOSED for one the situation rules out or that the question never names (`asked_terms`: its words and the
        policy words they stand for); and whether that condition is a clause ('If ...'), not a label. `asked_cases`:
        for each sentence, the question its list item opens with (_asked_case), or ''."""
        conditions, cases = [], []
        for (passage, index, span), asked_case in zip(found, asked_cases, strict=True):  # (an item is written for
            # the line its list hangs from)
            spans = passage_spans(passage)
            lead = list_lead_in(spans, index)
            # an item under 'What counts as an incident' is the case it names ('You approved an MFA request in
            # Fernhill Authenticator that you did not start'): written for that situation as an 'if' clause is
            heading = _section_heading(passage, index)
            goes_on = item_opening(spans, index, passage) < index  # a further sentence of the item before it
            case = span.kind == "item" and not goes_on and (bool(category_listed(heading)) or (
                lead is not None and bool(_CASES_LEAD_IN.search(spans[lead].readable))))
            own = span.readable if case else \
                rule_condition(span) or (rule_condition(spans[lead]) if lead is not None else "") \
                or asked_case
            # a span with no condition of its own is written for the situation its section's heading names
            headed = heading_condition(heading) if not own and span.kind != "row" else ""
            conditions.append(own or headed)
            cases.append(case)  # (a heading's situation weighs in the score; only an 'if' heading leads steps)
        clauses = [bool(c) and (case or is_conditional(c)) for c, case in zip(conditions, cases, strict=True)]
        # 'If you fall ill during annual leave' is close to 'I woke up feeling awful' in meaning, but the asker
        # never said they were on leave: a clause for a time spent on something the question never names
        # ('during annual leave', 'while on probation') is written for another situation
        elsewhere = [clause and any(not matched_terms(content_terms(during.group(1)), asked_terms)
                                    for during in _DURING.finditer(c))
                     for c, clause in zip(conditions, clauses, strict=True)]
        written = sorted({c for c, other in zip(conditions, elsewhere, strict=True) if c and not other})
        closeness = {}
        if written:
            vectors = self.embed([situation, *written])
            closeness = dict(zip(written, (vectors[1:] @ vectors[0]).tolist(), strict=True))
        return [(OPPOSED if other or contradicts(situation, c) else closeness[c]) if c else 0.0
                for c, other in zip(conditions, elsewhere, strict=True)], clauses

    def _sentence_vectors(self, found: list[tuple[Passage, int, Span]]) -> np.ndarray:
        """Vectors pooled at ingest where the index has them (no model call); the rest embedded in context."""
        # A table row is embedded as read ('For Porto, the probation period is 90 days'), with its column headers;
        # indexes built before 2026-12-03 also stored a vector pooled from its cells alone, which is not used.
        stored = [p.sentence_vectors.get((s.start, s.end)) if p.sentence_vectors and s.kind != "row" else None
                  for p, _, s in found]
        missing = [i for i, vec in enumerate(stored) if vec is None]
        if missing:
            embedded = self.embed([_in_context(found[i][0], found[i][2].readable) for i in missing])
            for i, vec in zip(missing, embedded, strict=True):
                stored[i] = vec
        return np.stack(stored).astype(np.float32, copy=False)


# 'without erasing my family photos', 'without losing my files': what an action must leave alone
_LEFT_ALONE = re.compile(r"\bwithout\s+[a-z]+ing\b[^?.,;!]*", re.I)


def _topic_first(asked: str) -> str:
    """The question as its kinds of thing are read: one that says nothing after the topic it opens with ('Paternity
    leave for Leeds staff - I think it's two weeks, is that right?') is read as about that topic, a noun phrase
    (its capital only starts the sentence)."""
    if len(content_terms(scene_and_question(asked)[1])) >= 2 or not _TOPIC_OPENING.match(asked):
        return asked
    return f"the {asked[:1].lower()}{asked[1:]}"


_TOPIC_OPENING = re.compile(r"^[A-Z][a-z]+(?: [\w'’]+){0,5}\s*(?:[-–—:]|,)\s")


def _item_goes_on_naming(passage: Passage, index: int, places: list[tuple[str, ...]]) -> bool:
    """Do the further sentences of the item at `index` name every one of the places?"""
    spans = passage_spans(passage)
    rest = []
    for i in range(index + 1, len(spans)):
        if not goes_on_item(spans, i, passage):
            break
        rest.append(spans[i].readable)
    return bool(rest) and not missing_names(places, " ".join(rest))


def goes_on_item(spans: tuple[Span, ...], i: int, passage: Passage) -> bool:
    """Is span `i` a further sentence of the list item before it (no line break between them)?"""
    return spans[i].kind == spans[i - 1].kind == "item" and "\n" not in passage.text[spans[i - 1].end:spans[i].start]


def item_opening(spans: tuple[Span, ...], index: int, passage: Passage) -> int:
    """The first sentence of the list item span `index` belongs to (`index` itself for one that opens its item, or
    for no item): an item's sentences follow each other with no line break between them."""
    start = index
    while start > 0 and goes_on_item(spans, start, passage):
        start -= 1
    return start


def _asked_case(spans: tuple[Span, ...], index: int, passage: Passage) -> str:
    """The question a list item opens with ('Forgot your badge? Reception issues a temporary day badge ...'): the
    case its further sentences are written for; '' when the item opens otherwise."""
    start = item_opening(spans, index, passage)
    opening = spans[start].readable.strip()
    return opening if start < index and opening.endswith("?") else ""


# A condition's time spent on something: 'during annual leave', 'while on probation', 'while you are on a trip'.
_DURING = re.compile(r"\b(?:during|while (?:you are |you're )?on)\s+(?:your |an? |the )?([a-z][\w-]*(?: [a-z][\w-]*)?)",
                     re.I)


# A site named by its place: 'the Lisbon office', 'our Madrid warehouse'.
_SITE = re.compile(r"\b([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:office|offices|site|building|campus|branch|hq"
                   r"|headquarters|lab|labs|warehouse|depot|plant|factory|store|studio)\b")


def _sites_named(question: str) -> list[tuple[str, ...]]:
    """The places the question names a site by ('Lisbon' in 'the Lisbon office'), as stemmed names."""
    names = []
    for match in _SITE.finditer(question):
        name = tuple(stem(w) for w in words(match.group(1)) if w not in STOPWORDS)
        if name and place_of(name):
            names.append(name)
    return names


def list_lead_in(spans: tuple[Span, ...], index: int) -> int | None:
    """The line that introduces the list an item belongs to ('Claim mileage as follows:', 'If you have also lost
    your MFA device:'), by its index."""
    if spans[index].kind != "item":
        return None
    for j in range(index - 1, -1, -1):
        if spans[j].kind != "item":
            intro = spans[j]
            return j if intro.kind == "sentence" and intro.readable.rstrip().endswith(":") else None
    return None


def _heading_means(heading: str, phrases_meant: list[frozenset[str]]) -> bool:
    """Does the heading hold every word of a phrase the question's everyday wording means ('On the first day' for
    'can't come in today'), or nothing but words of one ('Hotfixes' for 'crashing ... and my fix is ready')?"""
    terms = content_terms(heading)
    return any(meant <= terms or (terms and terms <= meant) for meant in phrases_meant)


def _states_a_threshold(span: Span, quantities: list[tuple[float, str]]) -> bool:
    """Does an unlabelled sentence state a range ('at least 12 months') in a unit the question states a figure in?"""
    if span.kind == "row" or span_label(span):
        return False
    # (any clause's: 'you accrue up to 20 days, and can start taking leave once you have completed 6 months')
    # in another unit only when it holds the asker's figure: 'four weeks off' meets 'Taking more than 15 consecutive
    # working days needs ...', not 'Your manager replies within 5 working days'
    return any(unit == stated.unit or ((converted := in_unit(value, unit, stated.unit, span.readable)) is not None
                                       and stated.holds(converted))
               for stated in stated_ranges(span.readable) for value, unit in quantities)


def _stated_days(quantities: list[tuple[float, str]]) -> set[str]:
    """The words of a day of the month the asker states ('I started on the 20th': '20', 'th'): whether a rule's day
    holds it ('after the 15th of the month') is for its range to say; the same figure in a rule ('by the 20th') is
    no sign of the same subject."""
    days = {f"{value:g}" for value, unit in quantities if unit == DAY_OF_MONTH}
    return days | content_terms("st nd rd th") if days else set()


def _range_fits(quantities: list[tuple[float, str]], passage: Passage) -> dict[int, int]:
    """service/ranges.py range_fits over the passage's labelled spans (rows, cases, conditions)."""
    labels = {i: label for i, span in enumerate(passage_spans(passage)) if (label := span_label(span))}
    return range_fits(quantities, labels)


def _cut_by_chunking(spans: tuple[Span, ...], index: int) -> bool:
    """A passage may start or end mid-sentence (chunk boundaries); such fragments are not quoted."""
    span = spans[index]
    if span.kind != "sentence":
        return False
    if index == 0 and span.text[:1].islower():
        return True
    return index == len(spans) - 1 and not re.search(r"[.!?…][\"'”’)\]]*$", span.text)


def _in_context(passage: Passage, sentence: str) -> str:
    """The sentence as embedded: under its article title and section, so 'It is 25 days.' keeps its subject."""
    title = meaningful_title(passage.title)
    where = [h for h in passage.headings if h and h != passage.title]
    prefix = " > ".join([t for t in (title, *where) if t])
    return f"{prefix}: {sentence}" if prefix else sentence


# --- checking a generated answer ----------------------------------------------------------------------------
@dataclass(slots=True)
class CheckedAnswer:
    text: str  # citations to unknown passages removed, the rest renumbered 1..k by first appearance
    sentences: list[SentenceSupport]
    cited_refs: list[int]  # the original refs of citations 1..k

    @property
    def score(self) -> float:
        return sum(s.supported for s in self.sentences) / len(self.sentences) if self.sentences else 0.0

    @property
    def grounded(self) -> bool:
        return bool(self.sentences) and all(s.supported for s in self.sentences)


def attach_markers(text: str) -> str:
    """'Fact. [1] Next.' -> 'Fact [1]. Next.': a marker after the full stop belongs to the sentence before it."""
    return _TRAILING_MARKERS.sub(lambda m: " " + m.group(2).strip() + m.group(1), text)


def _marker_refs(match: re.Match) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", match.group(1))]


def number_markers(text: str, valid: set[int], numbering: dict[int, int]) -> str:
    """Markers to refs not in `valid` dropped, the rest numbered 1..k in order of first appearance.

    `numbering` (old ref -> new number) is extended in place, so a text that arrives in pieces (a stream) is
    numbered exactly as the whole text would be.
    """
    def rewrite(match: re.Match) -> str:
        refs = [numbering.setdefault(r, len(numbering) + 1) for r in _marker_refs(match) if r in valid]
        refs = list(dict.fromkeys(refs))
        return "[" + ", ".join(map(str, refs)) + "]" if refs else ""

    return _MARKER.sub(rewrite, text)


def renumber_citations(text: str, valid: set[int]) -> tuple[str, list[int]]:
    """Drop markers to refs not in `valid`; renumber the rest 1..k in order of first appearance."""
    numbering: dict[int, int] = {}
    rewritten = number_markers(text, valid, numbering)
    order = list(numbering)
    rewritten = re.sub(r"[ \t]+([.,;:!?])", r"\1", rewritten)  # 'Fact [9].' -> 'Fact.' after removal
    rewritten = re.sub(r"[ \t]{2,}", " ", rewritten)
    return rewritten.strip(), order


def check_answer(text: str, passages: list[Passage], scorer: SentenceScorer,
                 screen: Callable[[str], str | None] | None = None) -> CheckedAnswer:
    """Drop citations to passages that were not given, renumber the rest, score each sentence's support.

    A sentence `screen` flags (an instruction to sign in or give credentials elsewhere) is cut from the text
    before the citations are renumbered, so a passage cited only by it is not cited; it is reported unsupported
    with its reason. (A stream shows the numbering of the uncut text; the final answer replaces it.)
    """
    by_ref = {p.ref: p for p in passages}
    text = attach_markers(text)
    flagged: list[SentenceSupport] = []
    if screen:
        cut: list[Span] = []
        for span in split_sentences(text):
            warning = screen(span.text)
            if warning:
                plain = clean_inline(_MARKER.sub("", span.text)).strip()
                flagged.append(SentenceSupport(text=plain, refs=[], supported=False, flagged=True, warning=warning))
                cut.append(span)
        for span in reversed(cut):
            text = text[:span.start] + text[span.end:]
        if cut:
            text = re.sub(r"[ \t]{2,}", " ", re.sub(r"\n{3,}", "\n\n", text)).strip()
    text, order = renumber_citations(text, set(by_ref))
    by_new = {i: by_ref[old] for i, old in enumerate(order, start=1)}
    supports: list[SentenceSupport] = []
    for span in split_sentences(text):
        refs = list(dict.fromkeys(r for m in _MARKER.finditer(span.text) for r in _marker_refs(m)))
        plain = clean_inline(re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub("", span.text))).strip()
        if span.kind in ("heading", "media") and not refs:
            continue
        if len(plain.strip(" .!?:;-")) == 0:
            continue
        score = support_score(plain, [by_new[r] for r in refs], scorer) if refs else 0.0
        supports.append(SentenceSupport(text=plain, refs=refs, supported=score >= 1.0, score=round(min(score, 1.0), 3)))
    return CheckedAnswer(text, supports + flagged, order)


def support_score(sentence: str, cited: list[Passage], scorer: SentenceScorer) -> float:
    """>= 1.0 means supported: containment/SUPPORT_CONTAINMENT or cosine/SUPPORT_COSINE, whichever is higher."""
    usable = [s.readable for p in cited for s in passage_spans(p)
              if s.kind != "media" and not is_injection(s.readable) and not is_untrusted(p, s)]
    if not usable:
        return 0.0
    source = " ".join(usable)
    if _unsupported_figures(sentence, source):
        return 0.5  # a figure the sources do not contain is invented, however similar the wording
    terms = content_terms(sentence)
    source_terms = content_terms(source)
    containment = len(terms & source_terms) / len(terms) if terms else 0.0
    if containment >= SUPPORT_CONTAINMENT:
        return containment / SUPPORT_CONTAINMENT  # supported on words alone: no need to embed (quotes, mostly)
    vectors = scorer.embed([sentence, *usable])
    cosine = float(np.max(vectors[1:] @ vectors[0]))
    if containment < 0.3:  # shares almost no content words with its sources: never counted as supported
        return min(cosine / SUPPORT_COSINE, 0.99)
    return max(containment / SUPPORT_CONTAINMENT, cosine / SUPPORT_COSINE)


def _unsupported_figures(sentence: str, source: str) -> bool:
    figures = {w for w in words(sentence) if w[:1].isdigit()}
    return bool(figures - {w for w in words(source) if w[:1].isdigit()})
