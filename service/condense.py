"""A standalone question from a follow-up and the conversation, made only when the follow-up depends on it.

"And in Porto?" after "How many days of leave do Leeds staff get?" becomes "How many days of leave do Porto
staff get?"; a question that stands on its own ("What is Fernhill's stock price?") is left exactly as it is, so
it is retrieved, gated and answered as it would be with no history.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ragqa.dates import MONTHS, WEEKDAYS
from ragqa.places import country_of, place_of, region_of
from ragqa.sentences import STOPWORDS, content_terms
from ragqa.service.grounding import name_span, people_named, question_names
from ragqa.service.question_types import (
    EXAMPLE_INTRO,
    is_search_query,
    negated_terms,
    question_parts,
    scene_and_question,
    split_context,
    split_questions,
    typed_value,
    without_preamble,
)
from ragqa.service.ranges import without_sums
from ragqa.words import leading_content_words, stem

# Openers that continue the previous question ("and in Porto?", "what about the USA?", "same for contractors?").
# ('ok, and ...', 'thanks. also ...': a word that joins the new question to the last)
# (the nods a chat message opens with: 'nice one', 'cheers', 'good to know')
_NOD = (r"(?:ok(?:ay)?|right|cool|great(?: stuff)?|thanks|thank you|thx|ty|ta|cheers|got it|i see|perfect|brilliant"
        r"|lovely|awesome|nice(?: one)?|sweet|noted|understood|makes sense|good to know|fair enough)")
_NODS = re.compile(rf"^\s*(?:(?:oh\s+)?{_NOD}[,.!]*\s+){{1,3}}(?=\w)", re.I)
_OPENING = (rf"^\s*(?:(?:oh\s+)?{_NOD}[,.!]*\s+){{0,3}}(?:and|also|plus|but|or|then|so)\b")
_NOD_BEFORE_OPENER = re.compile(rf"^\s*(?:(?:oh\s+)?{_NOD}[,.!]*\s+){{1,3}}(?=(?:and|also|plus|what about"
                                r"|how about)\b)", re.I)
_FOLLOW_UP = re.compile(
    _OPENING + r"|^\s*(?:what|how) about\b|^\s*how (?:does|do|would|will) (?:it|that|this) work (?:for|in|at|with|if)\b"
    # ('How does that compare for someone on a Portuguese contract?': the answer just given, set against a case)
    r"|^\s*(?:(?:and|but|so),?\s+)?how (?:does|do|would|will) (?:it|that|this) (?:compare|differ)\b"
    r"|^\s*(?:is|are|does|do|would|will) (?:it|that|this"
    r"|they|the same)\b.*\b(?:same|too|also|as well|apply|applies)\b|\b(?:the same|as well|too|instead|in that case"
    r"|likewise)\s*\??\s*$|^\s*(?:same|what if|in that case)\b"
    # ('Does the same go for my teammate who works out of Porto?')
    r"|^\s*(?:(?:and|but|so),?\s+)?(?:does|do|would|will|is|are) the same (?:\w+ )?(?:go|goes|apply|applies|hold|holds"
    r"|count|counts|work|works)\b"
    # ('My colleague's on a Portuguese contract though - what does she get?': gets what the last question asked)
    r"|(?:^|[.,;:!?-]\s*)what (?:do|does|would|will) (?:i|we|you|he|she|they) (?:get|receive|claim|have)\s*\??\s*$"
    # ('I only started three weeks ago though. Could I already book a week off?': set against what was said before)
    r"|\bthough\s*[.!,;-]",
    re.I)
# 'I've been here six years now - does that change it?': whether the asker's case changes the answer just given.
_CHANGES_IT = re.compile(r"(?:^|[.,;:!?]|\s[-–—])\s*(?:(?:and|but|so)\s+)?(?:does|would|will|could|can|do)\s+"
                         r"(?:that|this|it)\s+(?:change|affect|alter|make a difference to)\s+(?:it|that|this|things"
                         # ('... does that change what I may claim?')
                         r"|anything|what (?:i|we|you|they) (?:may|can|could|get|am allowed to|are allowed to)"
                         r"(?: \w+)?)"
                         r"\s*\??\s*$", re.I)
# '... Is it the same there?', 'Does that apply to me too?': the question asked is whether the last answer holds in
# the scene the question sets first.
_SAME_AFTER_SCENE = re.compile(r"^\s*(?:(?:and|but|so),?\s+)?(?:(?:is|are|does|do|would|will)\s+(?:it|that|this|they"
                               r"|the same)\b.*\b(?:same|too|also|as well|apply|applies)\b"
                               # ('... What about there, is the first one free too?')
                               r"|(?:what|how) about (?:there|here)\b"
                               # ('... it's my Porto badge I've lost, not a Leeds one. Same deal?')
                               r"|(?:is it |it's |it’s )?(?:the\s+)?same\s+(?:deal|thing|rules?|story|there|here)?"
                               r"\s*\??\s*$)",
                               re.I)
_ONE = content_terms("one ones")
# 'What about the Porto office, what hours is that open?': a thing named, then a question pointing at it
_ABOUT_THEN_ASKED = re.compile(r"^\s*(?:(?:and|but|so|ok(?:ay)?),?\s+)?(?:what|how) about\s+"
                               r"(?P<thing>(?:the|a|an|my|our)\s+[^,?;:]+?)\s*[,;:–—-]\s*"
                               # (not a clause that says who the thing is: 'what about my teammate Rui, who's on a
                               # Porto contract?')
                               r"(?!who(?:['’]s|\s+is|\s+are|\s+was)\s+(?:on|in|at|based|from|new|starting|joining"
                               r"|also|still|only|part-time|full-time)\b|who\s+(?:works|lives|joined|started|has|have)\b)"
                               r"(?P<asked>(?:what|how|when|where|who|which|is|are|does|do|can|will|would)\b[^?]*\??)\s*$",
                               re.I)
_A_SITE = re.compile(r"\b(?:office|offices|building|site|sites|lab|warehouse|depot|campus|branch|hq)\b", re.I)
_ASKED_POINTER = re.compile(r"(?<=\s)(?:that|it|this)\b(?!\s+(?:one|ones|year|week|month|day|time|way)\b)", re.I)
_INSTEAD = re.compile(r"\binstead\b(?!\s+of\b)", re.I)
# ('Would a similar arrangement be available to me in Porto?': like the one just given)
_EQUIVALENT = re.compile(r"\bthe (?:equivalent|corresponding|comparable|matching)\b"
                         r"|\b(?:a|any|some) (?:similar|comparable|equivalent) (?:arrangement|set-?up|deal|scheme"
                         r"|option|thing|system|rule|policy|offer|allowance|benefit)s?\b", re.I)
# 'Does the same arrangement apply to colleagues based in Porto?': the previous question, of the place it names
_SAME_APPLIES = re.compile(r"^\s*(?:(?:and|but|so),?\s+)?(?:does|do|would|will|is|are)"
                           r" (?:the same|that|this|it)(?: [\w'’-]+){0,2}? (?:apply|applies|hold|holds|work|works|count"
                           r"|counts|go|goes) (?:to|for|in|at)\b"
                           r"|^\s*(?:(?:and|but|so),?\s+)?how (?:does|do|would|will) (?:that|this|it)"
                           r" (?:compare|differ) (?:to|for|in|at|with)\b", re.I)


def _same_after_scene(asked: str, previous: str = "") -> bool:
    """Is the question asked, after a scene, whether the last answer holds there, without naming the previous
    question's thing again? ('Is it the same there if I lose my badge?' names it: asked on its own, with 'there' the
    scene's place.)"""
    return bool(_SAME_AFTER_SCENE.match(asked)) \
        and not (content_terms(asked) - _GENERIC - _ONE) & content_terms(previous)


# Words that point back at something named earlier.
# (not the 'there' of 'is there ...?', 'are there any ...?', which points at nothing)
_POINTER = re.compile(r"\b(?:it|its|they|them|their|that|this|those|these|(?<!is )(?<!are )there(?! (?:is|are)\b)|he"
                      r"|she|him|her|his|one|ones)\b", re.I)
_GENERIC = {"same", "also", "too", "instead", "about", "case", "equival", "correspond", "compar"}
# Words that only say whose case a follow-up asks about ('And what about people in the Porto office?' is 'And in
# Porto?'), stemmed as content_terms gives them.
_WHO_WORDS = content_terms("people staff folks employees colleagues colleague teammates teammate team office offices "
                           "site based contract contracts someone person workers report reports member members one "
                           "hire hires starter starters recruit recruits guy guys lad lass bloke chap woman man girl "
                           "joiner joiners newbie lot lots crowd gang bunch side")
# Nouns that name only an attribute of some thing ('What's the rate for colleagues in Portugal?'): a question whose
# words are these, whose-case words and names asks the previous question's thing again.
_ATTRIBUTE_NOUNS = content_terms("rate rates deadline deadlines limit limits cost costs price prices amount figure "
                                 "number allowance entitlement rule rules policy process procedure cap fee fees "
                                 "maximum minimum max min time times answer situation")
_WORKING_WORDS = content_terms("work working works worked based located sitting joining joins joined starting")
# (but 'one': 'will they charge me for the new one?' asks about the new one)
_CASE_WORDS = _WHO_WORDS - content_terms("one")
# Words of a follow-up that say which one, not what about it ('the new one' is the replacement, not 'New Year').
_NOT_FOCUS = {"new", "old", "again", "actually", "still", "now"}
# A pointer as the subject the question asks about ('How long does it last before I have to approve again?'), not
# the empty 'it' of 'How long does it take to ...?' or 'Is it OK to ...?': the question leans on an earlier turn
# however many words follow it.
_POINTER_AS_SUBJECT = re.compile(
    r"^\s*(?:(?:how|what|when|where|who|which|why)\b[\w'’ ]{0,20}?\s+)?(?:do|does|did|is|are|was|were|can|could|will"
    r"|would|should|must|has|have)\s+(?:it|they|this|that|these|those)\b(?!\s+(?:take|takes|took|possible|ok|okay"
    r"|true|worth|fine|allowed|necessary|mean|matter|make sense)\b)"
    # ('how long till it kicks me off?': the pointer as the subject of the time asked about)
    r"|^\s*how (?:long|soon|often)\s+(?:until|till|til|before|after)\s+(?:it|they)\b", re.I)
# (not a quantity: 'a couple of weeks ago', 'a few days')
# (nor a unit of a frequency or a time: 'How many times a year ...', 'on the day')
_NOUN_PHRASE = re.compile(r"\b(?:the|a|an|my|our|your)\s+(?!(?:first|second|third|last|next|same|whole|other|time"
                          r"|moment|end|rest|couple|few|lot|bit|little|handful|number|year|month|week|fortnight|day"
                          r"|hour|quarter)\b)[a-z][a-z-]{2,}", re.I)
# 'that deadline', 'these forms': a thing named before, pointed at ('What if I miss that deadline and just go?'); not
# the conjunction ('Is it true that staff get ...?', followed by a verb) nor a time ('this year').
# (nor the subject of the verb ending the question after its auxiliary: 'When does that happen?'; not 'Does that
# password change every week?')
_AFTER_AUXILIARY = (r"(?:(?<!\bdo )(?<!\bdoes )(?<!\bdid )(?<!\bwill )(?<!\bwould )(?<!\bcan )(?<!\bcould )"
                    r"(?<!\bshould )|(?!\w+\s+[a-z]{3,}\s*[?.!]*\s*$))")
_THAT_THING = re.compile(_AFTER_AUXILIARY + r"\b(?:that|this|these|those)\s+"
                         r"(?!(?:year|week|month|morning|afternoon|evening|time|way"
                         r"|weekend|quarter|days?|one|ones)\b)[a-z]{3,}s?(?=\s*(?:[?.!,]|$|\s+(?:and|or|but|if|by|for|to"
                         r"|in|on|at|with|from|again|too|then|instead)\b))", re.I)
# ... or any word after a pointer, when the previous answer names it ('how much does that pass actually cost?')
_POINTED_THING = re.compile(_AFTER_AUXILIARY + r"\b(?:that|this|these|those)\s+[a-z]{3,}\b", re.I)
_NOT_POINTED = {"same", "one", "ones", "way", "time", "year", "week", "month", "day", "days", "morning", "afternoon",
                "evening", "weekend", "quarter"}
# What a question asks of a thing, never the thing a final pointer stands for ('Is there a deadline for that?')
_ASKED_OF = frozenset({"limit", "cap", "maximum", "minimum", "deadline", "fee", "charge", "cost", "penalty", "catch",
                       "rule", "time", "cut-off", "threshold", "ceiling", "allowance", "budget"})
# A condition before the question ('If I connect at 08:00 that morning, ...'), which names no thing of its own.
_LEADING_CLAUSE = re.compile(r"^\s*(?:if|when|once|after|before|while|as soon as)\b[^,?]{3,80},\s*", re.I)
# 'the building', 'the office': a site the conversation named ('visiting the Porto office'), named here by none
# (not one being left: 'once we're out of the building' asks where everyone goes, in any office)
_UNNAMED_SITE = re.compile(r"(?<!out of )(?<!outside )(?<!leave )(?<!leaving )(?<!exit )\bthe (?:building|office"
                           r"|premises)\b(?! (?:of|in|at)\b)", re.I)
_OFFICE_NAMED = re.compile(r"\b((?-i:[A-Z])[a-z]+) (?:office|building|HQ|headquarters)\b", re.I)
# 'all of it', 'the rest of them': a share of a thing said before
# ('Can I take any of those days straight away?')
_SHARE_OF_IT = re.compile(r"\b(?:all|most|some|any|none|part|half|the rest|the remainder|whatever is left)"
                          r" of (?:it|them|(?:those|these)(?: [a-z]+)?)\b", re.I)
# 'For how many months can we keep claiming that?': a pointer the question ends on is the thing it asks about.
# ('How far in advance can I book one?': one of the things spoken of, after its verb)
_FINAL_POINTER = re.compile(r"\b(?:it|that|this|them|those|these|(?<!\bno )(?<!\bany )(?<!\beach )(?<!\bevery )"
                            r"(?<![-\d] )(?<=[a-z] )one)\s*[?.!]*\s*$", re.I)
_PERSONAL_WORDS = content_terms("me myself us we")
_RATE_OF_PAY = re.compile(r"\b(?:rate|level|amount) of (?:pay|salary)\b", re.I)
_ASKING_TYPED = content_terms("whats hows wheres whos whens")  # 'whats the limit': asking words typed without "'"
# 'How do I get hold of her?': a person named before, in the question or the answer.
_PERSON_POINTER = re.compile(r"\b(?:she|her|he|him)\b", re.I)


# A person pointed at as the subject the question opens with ('They're asking me for ...', 'She says ...'): not the
# empty 'it' of 'It's my first day ...'
_OPENING_SUBJECT = re.compile(r"^\s*(?:(?:and|but|so|ok(?:ay)?|now),?\s+)?(?:they|he|she)(?:['’](?:re|s|ve|ll|d))?\s+"
                              r"(?!(?:say|says|said)\s+(?:that\s+)?(?:i|we|you)\b)\w", re.I)


def asks_only_an_attribute(question: str) -> bool:
    """'What's the rate for colleagues in Portugal?', '... What's the rate for me now?': which rate? The question
    asks an attribute and names, besides, only whose case and where; the thing is the conversation's."""
    asked = split_context(question)[1] or question
    if typed_value(asked) == "code":
        return False  # 'What's the policy number they want?': a reference of its own, not the policy's figure
    names = {word for name in question_names(asked) for word in name}
    terms = content_terms(_RATE_OF_PAY.sub("rate", asked))  # ('at what rate of pay?': which pay?)
    return bool(terms & _ATTRIBUTE_NOUNS) and not (terms - _GENERIC - _ATTRIBUTE_NOUNS - _WHO_WORDS - _NOT_FOCUS
                                                   - names - _PERSONAL_WORDS - _ASKING_TYPED - _CALLING_WORDS)


# how a number is used, which names no thing ('what number do I ring?')
_CALLING_WORDS = content_terms("ring call phone dial")


# 'I fly on Thursday': a day or month names when, not what the question is about
# (not 'may', which is as often the verb)
_CALENDAR_NAMES = {(stem(day),) for day in (*WEEKDAYS, *MONTHS) if day != "may"}


def _sentence_at(text: str, at: int) -> str:
    """The sentence of `text` that holds the character at `at`."""
    start = max(text.rfind(end, 0, at) for end in ".?!") + 1
    ends = [i for i in (text.find(end, at) for end in ".?!") if i >= 0]
    return text[start:min(ends) + 1 if ends else len(text)]


def _names_a_subject(question: str) -> bool:
    """Does the question name what it is about ('the Leeds office', 'MFA'), beyond a day or month, or a place said
    in a sentence of its own ('By when do I have to use them? I'm Porto based.': where the asker is)?"""
    return any(name not in _CALENDAR_NAMES and not place_of(name) for name in question_names(question))


# 'How much would I get there?': an amount asked of no thing named
# ('How many days will I get there?': days of what, the earlier question said)
_AMOUNT_OF_NOTHING = re.compile(r"^\s*(?:and\s+|so\s+)?how (?:much|long|many(?:\s+(?:working\s+)?"
                                r"(?P<unit>days|weeks|hours|months|years)\b)?)\b", re.I)


def _amount_of_nothing_after_scene(scene: str, asked: str) -> bool:
    """Does a scene come before a question asking an amount of nothing it names ('How much would I get there?')?"""
    amount = _AMOUNT_OF_NOTHING.match(asked) if scene else None
    return bool(amount) and not content_terms(asked) - _GENERIC - content_terms(amount.group("unit") or "")


# 'at the Porto office, not Leeds', 'not the Leeds one': a place the asker sets right (named before, so not here)
_NOT_THAT_PLACE = re.compile(r",?\s+not (?:in |at |for |the )?(?P<place>(?-i:[A-Z][a-z]+))"
                             r"(?: (?:one|office|site|contract))?(?=\s*(?:[-–—,.;:!?]|$))", re.I)
# a thing said by its owner alone ('theirs', 'hers'): the thing the conversation was about, someone else's
_THEIRS = re.compile(r"\b(?:theirs|hers|ours)\b", re.I)


def depends_on_history(question: str) -> bool:
    """Does the question need the conversation to be understood?"""
    # ('Nice. How long does that go on for?': the nod before the question says nothing of what it asks)
    question = _NODS.sub("", question) or question
    terms = content_terms(question) - _GENERIC
    if _FOLLOW_UP.search(question) or _CHANGES_IT.search(question):
        return True
    if _EQUIVALENT.search(question):
        return True  # 'What would the equivalent rate be in Portugal?': equivalent to the one just given
    if _INSTEAD.search(question):
        return True  # 'the customer now wants us at a conference in Toronto instead': instead of what was asked
    if _same_after_scene(split_context(question)[1]):
        return True  # 'I'm working from the Porto office next month and usually drive. Is it the same there?'
    if len(terms) <= 1 or asks_only_an_attribute(question):  # 'Porto?', 'why?', 'how long?'
        return True
    if _NOT_THAT_PLACE.search(question):
        return True  # "I'm actually at the Porto office this week, not Leeds": the last question, for another place
    if _amount_of_nothing_after_scene(*split_context(question)):
        return True  # "I'm moving to the Porto office next year. How much would I get there?": an amount of what?
    # A pointer with little else ('How long does it take?', 'Who approves that?') leans on an earlier turn;
    # one inside a question that names its own subject ('Is there parking at the Leeds office?') does not.
    another = _ANOTHER_ONE.search(question)
    if another and not question_names(question) and not _NOUN_PHRASE.search(question[:another.start()]):
        return True  # 'Will they charge me for the new one?'
    if _OPENING_SUBJECT.match(question):
        return True  # 'They're asking me for a company code - what is it?': who 'they' are was said before
    if _THEIRS.search(split_context(question)[1]):
        return True  # "I'm in the Porto office next month - when do they do theirs?": their own of what was asked
    if _CALLED_IT.search(question) and not question_names(question):
        return True  # "I've rung it twice and nobody picks up": the line the conversation gave
    done = _DONE_IT.search(question)
    if done and not question_names(question) and not _NOUN_PHRASE.search(question[:done.start()]):
        return True  # "What happens if I don't get round to it in time?": the thing the conversation said to do
    if _WHOSE_POINTER.search(question) and not question_names(question) and not _PEOPLE.search(question):
        return True  # "what's their out of hours emergency number?": whose, the conversation said
    share = _SHARE_OF_IT.search(question)
    # (people named before it are not what 'it' is: 'If one of my engineers doesn't spend all of it')
    if share and not any(not _PEOPLE.search(m.group(0)) for m in _NOUN_PHRASE.finditer(question[:share.start()])):
        return True  # "If I don't spend all of it this year, does what's left carry over?": all of what was said
    leading = _LEADING_CLAUSE.match(question)
    if leading and not _NOUN_PHRASE.search(leading.group(0)) and _POINTER_AS_SUBJECT.match(question[leading.end():]) \
            and not question_names(question[leading.end():]):
        return True  # 'If I connect at 08:00 that morning, when will it make me approve again?': 'it' was said before
    pointer = _POINTER.search(question) or _PERSON_POINTER.search(question)
    # (a day or month in a sentence of its own names no subject: 'How far ahead do I raise that ticket? I fly on
    # Thursday.'; in the pointer's sentence it may: 'Is it true that staff get a free lunch on Fridays?')
    if not pointer or question_names(_sentence_at(question, pointer.start())) or _names_a_subject(question):
        return False
    leaning = _THAT_THING.search(question) or _PERSON_POINTER.search(question)
    if leaning and not _NOUN_PHRASE.search(question[:leaning.start()]):
        return True  # 'What if I miss that deadline?', 'How do I get hold of her?'
    pointed = _POINTED_THING.search(question)
    noun = pointed.group(0).split()[-1] if pointed else ""
    if noun and noun.lower() not in _NOT_POINTED \
            and not re.search(rf"\b{re.escape(noun)}", question[:pointed.start()], re.I):
        return True  # 'I'll be giving two colleagues a lift on that trip': a trip said before, not here
    # (the pointer's own sentence ends on it: 'By when do I have to use them? I'm Porto based.'; not 'one', which
    # may be the kind the question goes on to name: 'I'm thinking of signing up to be one. Do first aiders ...?')
    ends_on = _sentence_at(question, pointer.start()) if pointer.group(0).lower() in ("it", "them") else question
    if len(terms) > 2 and not _POINTER_AS_SUBJECT.match(question) and not _FINAL_POINTER.search(ends_on):
        return False
    # 'When was the treaty signed and who signed it?': the pointer's noun comes earlier in the question itself;
    # not what is asked of it ('Is there a limit on how often I can use that?', 'Is there a fee for it?')
    return not any(m.group(0).split()[-1].lower() not in _ASKED_OF
                   for m in _NOUN_PHRASE.finditer(question[:pointer.start()]))


# 'also,' / 'and' before a whole question of its own: an opener, not a continuation, when nothing else leans back.
_OPENER = re.compile(_OPENING + r"[,:]?\s*", re.I)
NEW_TOPIC_TERMS = 4  # content words a question after 'also,' needs to stand on its own
# ... and it asks ('does Fernhill ...', 'what is ...'), where 'and if I'm going to Denver?' adds a condition
_ASKING = re.compile(r"(?:what|how|who|whom|where|when|which|why|does|do|did|is|are|was|were|can|could|will|would"
                     r"|should|may|has|have)\b", re.I)


def _new_topic(question: str, previous: str, answer: str) -> bool:
    """'also, does Fernhill chip in for home broadband if I work remotely?' after a question about hotel rates:
    a new question opened with 'also', naming its own subject and sharing no word with the turn before."""
    opener = _OPENER.match(question)
    if not opener:
        return False
    rest = question[opener.end():]
    terms = content_terms(rest) - _GENERIC
    if not _ASKING.match(rest) or len(terms) < NEW_TOPIC_TERMS:
        return False
    if _POINTER.search(rest) or _PERSON_POINTER.search(rest) or _FOLLOW_UP.search(rest) or _EQUIVALENT.search(rest):
        return False  # ('And what is the corresponding entitlement for colleagues in Porto?': of what was asked)
    if _GOES_ON.search(rest):
        return False  # ('and will I still get paid properly while I'm off?': the situation told before goes on)
    return not terms & content_terms(f"{previous} {answer}")


_GOES_ON = re.compile(r"\bstill\b|\bwhile (?:i['’]?m|i am|he['’]?s|she['’]?s|they['’]re|we['’]re) (?:off|away|out)\b",
                      re.I)


# 'Unrelated, but ...', 'Different question: ...', 'On another note, ...': the asker says the question stands alone
_SAYS_NEW_SUBJECT = re.compile(rf"^\s*(?:{_NOD}\b[,.!]*\s*)*"
                               r"(?:totally |completely )?(?:unrelated|separately|(?:different|separate|new|another"
                               r"|unrelated)"
                               r" (?:question|topic|subject|thing|matter)"
                               r"|on (?:a|an) (?:(?:entirely|completely|totally) )?(?:different|unrelated|separate"
                               r"|other|another) (?:note|subject|topic|matter)"
                               r"|changing (?:the )?(?:subject|topic))\b", re.I)


def says_new_subject(question: str) -> bool:
    """Does the asker say the question stands alone ('Unrelated, but ...')? Then the history has no part in it."""
    return bool(_SAYS_NEW_SUBJECT.match(question))


_IN_THAT_TIME = re.compile(r"\b(?:in|during|within) (?:this|that) time\b(?! of\b)", re.I)


_COUNTING = re.compile(r"^\s*how (?:many|much)\b", re.I)
# the pronoun typed in lower case: 'can i', "i'm" (not 'i.e.')
_LOWER_I = re.compile(r"(?<![\w.'’])i(?=['’]|\s|[?,!]|$)")


def condense(question: str, history: Sequence) -> tuple[str, str]:
    """(standalone question, "unchanged" | "rule"): earlier follow-ups are resolved first, oldest to newest."""
    previous: str | None = None
    answer = ""  # the reply to the previous question
    for turn in history:
        if turn.role == "user" and turn.content.strip():
            text = _LOWER_I.sub("I", " ".join(turn.content.split()))  # ('how many can i roll into next yr')
            if _COUNTING.match(text) and not text.endswith(("?", ".", "!")):
                text += "?"  # (a count asked without its mark is still a question: its 'them' is what it counts)
            # (a turn the asker says stands alone, 'Different thing - ... Is that over the limit?', leans on nothing)
            previous = _resolve(text, previous) if previous and not says_new_subject(text) \
                and depends_on_history(text) else text
            answer = ""
        elif turn.role == "assistant":
            answer = " ".join(turn.content.split())
    if previous is None or says_new_subject(question):
        return question, "unchanged"
    question = _NOD_BEFORE_OPENER.sub("", question)  # ('fair enough, and over in Porto?': 'and over in Porto?')
    if _IN_THAT_TIME.search(question) and depends_on_history(_IN_THAT_TIME.sub("during that period", question)):
        # 'And if I want to quit in this time, ...?': the time the previous question asked of is that period
        question = _IN_THAT_TIME.sub("during that period", question)
    at_site = _at_site_named_before(question, previous)
    if at_site:
        return at_site, "rule"
    if not depends_on_history(question) or _new_topic(question, previous, answer):
        return question, "unchanged"
    about = _ABOUT_THEN_ASKED.match(question)
    pointer = _ASKED_POINTER.search(about.group("asked")) if about else None
    if pointer:
        # 'What about the Porto office, what hours is that open?': 'that' is the thing the question names first
        asked, thing = about.group("asked"), about.group("thing")
        return _standalone(asked[:pointer.start()] + thing + asked[pointer.end():]), "rule"
    if about and len(content_terms(about.group("asked"))) >= 2 and not _POINTER.search(about.group("asked")):
        # 'What about the Porto office, where do we go when the alarm goes off for real?': a question of its own,
        # asked of the thing it names first
        asked, thing = about.group("asked").rstrip(" ?"), about.group("thing")
        at = "at" if _A_SITE.search(thing) else "for"
        return _standalone(f"{asked} {at} {thing}?"), "rule"
    kind = _THE_KIND_ONE.match(question)
    asking = _asking_sentence(previous)
    swapped = _kind_swapped(asking, kind.group("kind")) if kind else None
    if swapped:
        # "I'm on a Porto contract. When is the holiday allowance (subsídio de férias) paid?" + 'And the Christmas
        # one?': the same question, in the same scene, of the Christmas allowance
        return previous.replace(asking, swapped), "rule"
    called = _CALLED_IT.search(question)
    line = _line_to_call(answer) if called else None
    if line:
        # 'Call the Security hotline on ext 7111 ...' + "I've rung it twice and nobody picks up. What now?": the line
        # the answer said to call
        return _standalone(question[:called.start("it")] + line + question[called.end("it"):]), "rule"
    one = _ONE_POINTER.search(question)
    thing = _thing_introduced(answer) if one else None
    if thing:
        # 'Reception will give you a temporary day badge.' + 'How long does that one work for?': the thing the
        # answer brought in, not the previous question's
        return _standalone(question[:one.start()] + f"the {thing}" + question[one.end():]), "rule"
    pointed = _POINTED_THING.search(question)
    introduced = _answer_phrase(answer, pointed.group(0).split()[-1], previous) if pointed else None
    if introduced:
        # 'No, but staff get a 20% discount on a monthly pass at the Parque Trindade.' + 'How much does that pass
        # cost?': the pass the answer spoke of, not one of the previous question's things
        resolved = _standalone(question[:pointed.start()] + f"the {introduced}" + question[pointed.end():])
        # (a thing the answer qualifies without a name of its own, 'that period': 'the probation period', is the
        # one of the place the previous question was asked of: Leeds's probation)
        named_more = introduced.lower() != pointed.group(0).split()[-1].lower()  # ('that period': 'probation period')
        return (_with_places_of(previous, resolved) if named_more and not re.search(r"\b(?-i:[A-Z])", introduced)
                else resolved), "rule"
    own = _previous_phrase(previous, pointed.group(0).split()[-1]) if pointed and not introduced else None
    if own:
        # 'How far in advance do I need approval for a trip from Porto to Leeds?' + 'What class am I allowed to fly on
        # that trip?': the trip the previous question named, with its places; not that question asked again
        resolved = question[:pointed.start()] + own + question[pointed.end():]
        return _standalone(_with_places_of(previous, resolved)), "rule"
    said = _said_before(question, previous, pointed) if pointed and not own else None
    if said:
        # 'Does the car park at the Leeds office have charging points ...?' + 'Is there a charge when I use one of
        # those charging points, and if so, how much is it?': the phrase the previous question said, where it was
        return _standalone(_with_places_of(previous, said)), "rule"
    person = _PERSON_POINTER.search(question)
    # (not where the previous question spoke of a person: 'Where can my new engineer park his car?' + 'Does he have
    # to pay ...?' asks of the engineer)
    named = _person_named(answer) if person and not question_names(question) and not _PEOPLE.search(previous) \
        else None
    if named:
        # 'Who do I ask?' -> '... the office manager is Claire Whitaker.' + 'How do I get hold of her?': the person
        # the answer named, asked about on their own
        return _standalone(_OPENING_NOD.sub("", question[:person.start()] + named + question[person.end():])), "rule"
    they = _THEY_POINTER.search(question)
    # (not people the previous question named: 'One of my Leeds engineers ...' + 'What if they give a lift?')
    called = _called_name(answer) if they and not question_names(question) and not _PEOPLE.search(previous) \
        else None
    if called:
        # "Outside desk hours, call Skyroute's 24-hour emergency line." + 'What account code do I give them?': the
        # organisation the answer said to call
        whose = "'s" if they.group(0).lower() == "their" else ""
        return _standalone(question[:they.start()] + called + whose + question[they.end():]), "rule"
    changes = _CHANGES_IT.search(question)
    if changes and changes.start() > 0:
        # '... six years now - does that change it?': the previous question, asked with the asker's case stated
        return f"{question[:changes.start()].strip(' -–—,;:')}. {previous}", "rule"
    given = _given_in_answer(question, answer)
    if given:
        # '... they'll issue a Temporary Access Pass so you can register a new device' + 'How long do I have to use
        # that before it stops working?': the thing the answer said one is given
        return given, "rule"
    done_to = _done_to_in_answer(question, answer)
    if done_to:
        # 'For up to 3 days you can use the SNS 24 self-declaration ...' + 'How many times a year am I allowed to use
        # that?': the thing the answer said to do the same to, not one of the previous question's things
        return done_to, "rule"
    scene, asked = split_context(question)
    swapped = _other_place_for_old(previous, question) if _EQUIVALENT.search(asked) or _SAME_APPLIES.match(asked) \
        else previous
    if swapped != previous:
        # 'What mileage can I claim for my own car in the UK?' + 'What would the equivalent rate be in Portugal?':
        # the previous question, about the place the follow-up names
        return f"{scene} {swapped}".strip(), "rule"
    if _amount_of_nothing_after_scene(scene, asked):
        # "How much annual leave do I get?" + "I'm moving to the Porto office next year. How much would I get
        # there?": the amount the previous question asked, in the scene just set
        # (the place of the question asked, not one its scene named first: 'me in Leeds and her in Porto ... How many
        # days do Leeds people get?')
        return f"{scene} {_other_place_for_old(_asking_sentence(previous), question)}", "rule"
    if scene and _same_after_scene(asked, previous):
        # 'Where can I park at the Leeds office?' + "I'm working from the Porto office next month and usually drive.
        # Is it the same there?": the previous question, in the scene just set (about its place)
        return f"{scene} {_other_place_for_old(previous, question)}", "rule"
    placed = _IF_PLACED.match(question)
    moved = _other_place_for_old(previous, question) if placed and question_names(placed.group("clause")) \
        and (_OBJECT_POINTER.search(placed.group("clause")) or _SAME_THING.search(placed.group("clause"))) \
        else previous
    if moved != previous:
        # 'How much does it cost to replace a lost staff pass in Leeds?' + 'And if I lose it while I'm based in
        # Porto?': the same question, of the place the condition names
        return moved, "rule"
    if placed and _IT_IS_ONE.search(placed.group("clause")):
        # 'What class can I fly from Leeds to Porto?' + "and if it's a long one, like 8 hours to Toronto?": the same
        # question, of the case the condition describes (its place too)
        # (a place only given as an example of the case, 'like 8 hours to Toronto', is not the question's own)
        clause = placed.group("clause")
        named = question_names(_AN_EXAMPLE.sub(" ", clause))
        base = _other_place_for_old(previous, question) if named else previous
        return f"{base.rstrip(' ?.')}, if {clause.rstrip(' ?.')}?", "rule"
    condition = _WHAT_IF.match(question)
    # (a sum the asker states is their case, no name: 'What if the flights and hotel come to about £6,200?')
    if condition and not question_names(without_sums(condition.group("clause"))) \
            and not _OBJECT_POINTER.search(condition.group("clause")):
        # 'What's the per diem for a trip within Portugal?' + 'What if it's just a day trip?': the same question,
        # under the new condition ('... within Portugal, if it's just a day trip?')
        return f"{previous.rstrip(' ?.')}, if {condition.group('clause').rstrip(' ?.')}?", "rule"
    if asks_only_an_attribute(question) and not _FOLLOW_UP.search(question):
        # 'I've just moved to a Portuguese contract. What's the rate for me now?': the previous question, about the
        # place the follow-up names, asked in the follow-up's scene
        scene = split_context(question)[0]
        if not scene:
            return _resolve(question, previous), "rule"
        return f"{scene} {_other_place_for_old(previous, question)}", "rule"
    first, *more = split_questions(question)
    said = [m for m in more if _STATEMENT.match(m)]
    if more and said == more:
        # 'and what about porto? one of my teammates is based there': the follow-up, in the scene its statements set
        # ('And what about Rita? She's been in our Porto office for a few years.': the place the statements name)
        placed = _other_place_for_old(previous, " ".join(said)) \
            if not any(_is_place(name) for name in question_names(first)) else previous
        resolved = placed if placed != previous else _resolve(first, previous)
        told = [_place_for_there(m, resolved) or m for m in said]
        return " ".join([*(_sentence(m) + "." for m in told), _sentence(resolved)]), "rule"
    if more and all(m.strip() for m in more):
        # 'and in Porto? also where do we gather outside there?': the first question continues the conversation,
        # the next ones lean on it ('there' is Porto)
        resolved = _resolve(first, previous)
        rest = [_standalone(_place_for_there(m, resolved) or m) for m in more]
        # one compound question, whose parts are answered each in turn ('..., and where do we gather ...?')
        joined = ", and ".join([resolved.rstrip(" ?"), *(m[:1].lower() + m[1:].rstrip(" ?") for m in rest)])
        return joined + "?", "rule"
    return _resolve(question, previous), "rule"


def _said_before(question: str, previous: str, pointed: re.Match) -> str | None:
    """The question with its pointed phrase ('those charging points') made 'the' phrase the previous question said
    word for word (up to three words), or None."""
    words = re.findall(r"[a-z][a-z-]*", question[pointed.start():], re.I)[1:4]
    if not words or words[0].lower() in _NOT_POINTED:
        return None  # 'this year'
    for size in range(len(words), 0, -1):
        phrase = " ".join(words[:size])
        found = re.search(rf"\b{re.escape(phrase)}\b", previous, re.I) if content_terms(phrase) else None
        if found:
            end = re.search(rf"\b{re.escape(words[size - 1])}\b", question[pointed.start():], re.I).end()
            # (with the words that made it a kind there: 'those spaces' were 'parking spaces')
            kind: list[str] = []
            for word in reversed(previous[:found.start()].split()[-2:]):
                if not re.fullmatch(r"[a-z][a-z-]+", word, re.I) or not content_terms(word):
                    break
                kind.insert(0, word)
            phrase = " ".join([*kind, found.group(0)])
            return f"{question[:pointed.start()]}the {phrase}{question[pointed.start() + end:]}"
    return None


def _with_places_of(previous: str, resolved: str) -> str:
    """The resolved question with the place phrases of the previous one it lost ('How long is probation for a new
    employee on a UK contract?' + 'During that period, how much notice ...?': '... during the probation period, on a
    UK contract?'); unchanged when it names a place of its own."""
    if any(_is_place(name) for name in question_names(resolved)):
        return resolved
    phrases = []
    for name in question_names(previous):
        span = name_span(previous, name) if _is_place(name) else None
        if not span:
            continue
        before = re.search(r"\b(?:on|in|at|for|from)\s+(?:(?:a|an|the)\s+)?$", previous[:span[0]], re.I)
        after = re.match(r"(?:\s+(?:contracts?|offices?|sites?|teams?|staff))?", previous[span[1]:])
        if before:
            phrases.append(previous[before.start():span[1] + after.end()])
    if not phrases:
        return resolved
    return f"{resolved.rstrip(' ?.')}, {' and '.join(phrases)}?"


def _at_site_named_before(question: str, previous: str) -> str | None:
    """"I'm a Leeds engineer visiting the Porto office ..." + 'How late can I stay in the building?': the question,
    in the place whose office the previous question named last; None when the question names a place or the previous
    no office."""
    site = _UNNAMED_SITE.search(question)
    if not site or any(place_of(name) for name in question_names(question)):
        return None
    offices = _OFFICE_NAMED.findall(previous)
    # (the place beside the site, its words kept: 'out of the building in Leeds' is still about leaving a building)
    return _standalone(f"{question[:site.end()]} in {offices[-1]}{question[site.end():]}") if offices else None


def _sentence(text: str) -> str:
    """The text as a sentence of its own: opening with a capital, without the mark it ended on ('.', ',')."""
    text = text.strip().rstrip(".,;")
    return text[:1].upper() + text[1:]


# A part of a follow-up that only tells ('one of my teammates is based there'): who says what of themselves, no '?'
_STATEMENT = re.compile(r"^\s*(?:i|i['’]m|i['’]ve|we|we['’]re|my|our|one of|he|she|they|he['’]s|she['’]s|they['’]re)\b"
                        r"[^?]*$", re.I)

# 'What if it's just a day trip?', 'And what if I'm part-time?': the previous question under another condition.
# ... unless the condition points at the previous question's thing ('What if I need to go above it?'): it is put
# back in its place, as for any pointer.
_OBJECT_POINTER = re.compile(r"(?<!^)\b(?:it|them|that|this|those|these)\b(?!['’]s)", re.I)
# ... or the previous question's doing, pointed at as the same ('And if I want to do the same thing in Porto?', 'and
# if I go to a customer in the USA, same thing?')
_SAME_THING = re.compile(r"\b(?:the )?same(?: thing| again)?\b", re.I)
# ('And if I lose it while I'm based in Porto?': 'it' is the earlier question's thing, asked of Porto; not '..., how
# far ahead does it need to be set up?', a question of its own after the condition)
_IF_PLACED = re.compile(r"^\s*(?:(?:and|but|so|ok(?:ay)?),?\s+)?(?:what\s+)?if\s+"
                        r"(?P<clause>(?:(?!,\s*(?:what|how|who|when|where|which|why|can|could|do|does|is|are|will"
                        r"|would|should)\b)[^?])+?)\s*\??\s*$", re.I)
# ("if it's a long one", 'if it's an overnight one'): the case of the earlier question's thing the condition describes
_IT_IS_ONE = re.compile(r"\bit(?:['’]s| is| was| were)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?one\b", re.I)
_AN_EXAMPLE = re.compile(rf"{EXAMPLE_INTRO}[^,;.?!]*", re.I)
_WHAT_IF = re.compile(r"^\s*(?:(?:and|but|so|ok(?:ay)?),?\s+)?what\s+if\s+(?P<clause>[^?]+?)\s*\??\s*$", re.I)

# A person's name: two or three capitalised words, not a sentence's first word ('In Leeds') and not a place.
_FULL_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}\b")
_OPENING_NOD = re.compile(rf"^\s*{_NOD}\b[,.!]*\s*", re.I)


# 'the new one', 'a spare one': another thing of a kind named earlier in the conversation.
_ANOTHER_ONE = re.compile(r"\b(?:the|a|an|my)\s+(?:new|old|other|replacement|spare|second|different)\s+one\b", re.I)
# 'if I don't get round to it', 'once I've submitted them': a thing done, said before
# (not 'do it', 'use it': 'Do first aiders get anything for doing it?' does it by its own words)
_DONE_IT = re.compile(r"\b(?:get round to|get around to|finish|finished|complete|completed|submit|submitted|miss|missed"
                      r"|set up|renew|renewed|return|returned)\s+(?:it|them)\b(?!\s+(?:is|was|to)\b)", re.I)
# 'I've rung it twice', 'tried calling them': a line the answer said to call, called
_CALLED_IT = re.compile(r"\b(?:rung|rang|ring|ringing|called|call|calling|phoned|phone|phoning|dialled|dialed|dial"
                        r"|dialling|tried|try|trying)(?: (?:calling|ringing|phoning))? (?P<it>it|them|that number"
                        r"|that line|the number|the line)\b", re.I)
# ... said as 'call the Security hotline on ext 7111', 'ring the help desk'
_LINE_TO_CALL = re.compile(r"\b(?:call|ring|phone|contact|dial)\s+(?P<line>the\s+(?:[\w-]+\s+){0,3}?(?:hotline|helpline"
                           r"|line|desk|number|team|service))\b", re.I)


def _line_to_call(answer: str) -> str | None:
    """The line the answer says to call ('the Security hotline'), or None."""
    found = _LINE_TO_CALL.search(answer)
    return found.group("line") if found else None


# 'that one', 'this one': a thing of the kind just mentioned.
_ONE_POINTER = re.compile(r"\b(?:that|this)\s+one\b", re.I)
# ... which the answer brings in with 'a' or 'an': 'a temporary day badge' (its words up to a preposition or verb).
_INTRODUCED = re.compile(r"\b(?:a|an)\s+((?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+)", re.I)


def _thing_introduced(answer: str) -> str | None:
    """The first thing the answer brings in with an indefinite article, as a short noun phrase, or None."""
    for match in _INTRODUCED.finditer(answer):
        words = leading_content_words(match.group(1).split())  # 'a day badge after' -> 'a day badge'
        if words:
            return " ".join(words)
    return None


def _answer_phrase(answer: str, noun: str, previous: str) -> str | None:
    """The phrase in which the answer, and not the previous question, speaks of `noun` ('monthly pass at the Parque
    Trindade' for 'pass'), or None."""
    if not content_terms(noun) or noun.lower() in _NOT_POINTED or re.search(rf"\b{re.escape(noun)}\b", previous, re.I):
        return None  # no thing ('is that the same'), a time ('this year'), or the question's own: _resolve finds it
    # (a count is a determiner too: 'including 6 electric vehicle chargers')
    found = re.search(rf"\b(?:a|an|the|\d+)\s+((?:[\w-]+\s+){{0,2}}{re.escape(noun)}"
                      rf"(?:\s+(?:at|for|in|on|of|from)\s+(?:the\s+)?(?-i:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*))?)\b"
                      # (with the label in brackets after it: 'a ServiceDesk ticket (Access → Travelling abroad)')
                      r"(\s+\([^()\[\]]{3,60}\))?", answer, re.I)
    if found and found.group(1).lower() == noun.lower():
        # 'Visitors use the Fernhill-Guest network; the password is shown on ...': whose password, the clause before
        # it names
        owner = re.search(rf"\bthe\s+((?-i:[A-Z][\w'’-]*)(?:\s+[a-z][\w-]*)?)\s*[;,]\s*the\s+{re.escape(noun)}\b",
                          answer, re.I)
        if owner:
            return f"{noun} for the {owner.group(1)}"
    return "".join(part for part in found.groups() if part) if found else None


def _previous_phrase(previous: str, noun: str) -> str | None:
    """The phrase in which the previous question names `noun`, with the places that qualify it ('a trip from Porto to
    Leeds' for 'trip'), or None."""
    if not content_terms(noun) or noun.lower() in _NOT_POINTED:
        return None
    found = re.search(rf"\b(?:a|an|the|my|our|your)\s+((?:[\w-]+\s+){{0,2}}?{re.escape(noun)}\b"
                      rf"(?:\s+(?:from|to|in|at|for|of|on|between|and)\s+(?:the\s+)?(?-i:[A-Z][\w'’-]*))*)",
                      previous, re.I)
    return found.group(0) if found else None


_ADDRESS_WORD = re.compile(r"\b(?:Street|Road|Lane|Avenue|Square|Place|Park|Way|Drive|Close|Row|Quay|Wharf|Station"
                           r"|Airport|House|Building|Centre|Center|Office|Hall|Hospital)\b")


def _person_named(answer: str) -> str | None:
    """The last person the answer names ('... the office manager is Claire Whitaker [1].'), or None."""
    for match in reversed(list(_FULL_NAME.finditer(answer))):
        words = match.group(0).split()
        # (no place, nor an address: '2 Wharf Street')
        if not any(place_of((stem(w.lower()),)) for w in words) and not _ADDRESS_WORD.search(match.group(0)) \
                and not re.search(r"\d\s*$", answer[:match.start()]):
            return match.group(0)
    return None


# 'what's their number?', 'what are its opening hours?': a thing of someone or something said before
_WHOSE_POINTER = re.compile(r"^\s*(?:and\s+|so\s+)?(?:what|when|where|who|how)\w*(?:['’]s|\s+(?:is|are|was|were))?\s+"
                            r"(?:their|its)\s+[a-z]", re.I)
_THEY_POINTER = re.compile(r"\b(?:they|them|their)\b", re.I)
# 'call Skyroute's 24-hour line', 'ring the Calder Mutual assistance line': whom the answer says to contact
# ... or goes through ('All business travel is booked through Skyroute Travel, using ...')
_CALLED = re.compile(r"\b(?i:call|ring|phone|contact|email|tell|through)\s+(?:the\s+)?"
                     r"(?P<name>[A-Z][\w-]+(?: [A-Z][\w-]+)*)"
                     r"(?=['’]s\b|\s+(?:on|at|desk|line|team|assistance|travel|help)\b|\s*[,;.]|\s*\[)")


def _called_name(answer: str) -> str | None:
    """The organisation or team the answer says to contact (not a place, nor a person: _person_named), or None."""
    for match in _CALLED.finditer(answer):
        name = match.group("name")
        if not any(place_of((stem(w.lower()),)) for w in name.split()) and not _FULL_NAME.fullmatch(name):
            return name
    return None


def standalone_parts(question: str) -> list[str]:
    """The parts of a compound question (question_types.question_parts), a later part's 'it' or 'them' put back as
    the first part's subject: 'How long is probation for a Leeds contract, and how much notice do I give if I
    leave during it?' -> '... if I leave during probation for a Leeds contract?'."""
    parts = question_parts(question)
    # 'new person starting in my team - when is the fire alarm test, and where do they go if it's real?': 'they'
    # are the people the asker's scene names, not the thing the first part asks about
    # (of the first part, the question: not the statements before it, which every part carries)
    first = scene_and_question(parts[0])[1]
    # (unless the first part counts things: 'Someone on my team ... How many days can she take into next year, and
    # by when does she have to use them?': the days)
    people = bool(_PEOPLE.search(scene_and_question(parts[0])[0])) and not _COUNTED_DOING.match(first)
    # ('..., and if it's a real evacuation, where do we gather?': a situation, not the first part's thing)
    return parts[:1] + [part if (people and _PEOPLE_POINTER.search(part)) or _SITUATION_IT.search(part)
                        else _with_own_pointer_resolved(part, first) for part in parts[1:]]


def _with_own_pointer_resolved(part: str, first: str) -> str:
    """A later part with the pointer of its question (not of the scene every part carries: "I'm a bit late sorting
    it.") put back as the first part's subject."""
    scene, asked = scene_and_question(part)
    if not scene or not part.endswith(asked):
        return _subject_for_pointer(part, first) or part
    resolved = _subject_for_pointer(asked, first)
    return part[:len(part) - len(asked)] + resolved if resolved else part


_SITUATION_IT = re.compile(r"\bif it(?:['’]s| is| was)(?: ever)? an? (?:real|actual|genuine|proper)\b", re.I)


_PEOPLE = re.compile(r"\b(?:person|people|someone|somebody|team|colleagues?|reports?|starters?|hires?|visitors?"
                     r"|guests?|suppliers?|customers?|staff|employees?|contractors?|engineers?|technicians?|techs?)\b",
                     re.I)
_PEOPLE_POINTER = re.compile(r"\b(?:they|them)\b", re.I)


_POINTER_SUBJECT = re.compile(r"(?:it|they|them|this|that|he|she)\b", re.I)


def _asking_sentence(previous: str) -> str:
    """The previous question's last sentence that asks (ends with '?'), or all of it when none does."""
    asked = re.findall(r"[^?.!]+\?", previous)
    return asked[-1].strip() if asked else previous


_QUERIED_THING = re.compile(r"^\s*(?P<subject>(?:[a-z][\w'’-]*\s+){0,3}[a-z][\w'’-]*)\s+(?:for|of|in|on|at|to|with"
                            r"|from|about)\b", re.I)
# 'What's that VPN thing called that I need for the shared drives?': the thing whose name is asked
_CALLED_THING = re.compile(r"^\s*what(?:['’]s|\s+is|\s+are)\s+(?:that|this|the)\s+"
                           r"(?P<subject>(?:[a-z][\w'’-]*\s+){0,3}?[a-z][\w'’-]*)\s+called\b", re.I)
# ... and when what the query opens with is only a measure of a thing ('max length for a meeting room booking'), the
# thing itself: a pointer that does something ('how long before it gets released?') stands for the booking
_MEASURE_OF = re.compile(r"^\s*(?:the\s+)?(?:max(?:imum)?|min(?:imum)?|longest|shortest|usual|standard)?\s*(?:length"
                         r"|duration|limit|cap|size|cost|price|fee|rate|deadline|time)\s+(?:for|of)\s+"
                         r"(?P<subject>(?:a|an|the|my|our)\s+(?:[a-z][\w'’-]*\s+){0,3}?[a-z][\w'’-]*?)"
                         r"(?=\s+(?:in|on|at|with|from)\b|\s*[?.!]?\s*$)", re.I)


# 'What rate per mile can I claim, and by when do I have to submit it?': what one submits is the claim (or the
# request, the form) that the earlier question makes, not the thing it asks the value of
_SUBMITS_IT = re.compile(r"\b(?:submit|file|lodge|send in|hand in|put in|put through)\s+(?:it|them)\b", re.I)
_CLAIMED_MONEY = re.compile(r"\b(?:per mile|mileage|per diem|expenses?|allowance|reimburs\w*|refund|get back)\b", re.I)
_SUBMITTED_THING = re.compile(r"\b(?P<thing>claim|request|application|form|report|expense)(?:s|ed|ing)?\b", re.I)


def _subject_for_pointer(question: str, previous: str) -> str | None:
    submits, submitted = _SUBMITS_IT.search(question), _SUBMITTED_THING.search(previous)
    # ('What rate per mile do I get, and by when do I submit it?': money one gets back is claimed)
    if submits and (submitted or _CLAIMED_MONEY.search(previous)):
        thing = submitted.group("thing").lower() if submitted else "claim"
        plural = submits.group(0).lower().endswith("them")
        return (question[:submits.end() - len("them" if plural else "it")]
                + f"the {thing}{'s' if plural else ''}" + question[submits.end():])
    pointer = _SUBJECT_POINTER.search(question)
    done_by_them = _THEY_DO_TO_IT.search(question)
    if done_by_them:  # 'How often do they change that?': 'they' who do it are whoever runs it; 'that' is the thing
        pointer = _SUBJECT_POINTER.search(question, done_by_them.start("it"))
    counted = _COUNTED_DOING.match(previous)
    if pointer and counted and pointer.group(0).lower() in ("them", "they"):
        # 'How many days of leave can I carry over into next year?' + 'By when do I have to use them?' -> '... use
        # the days of leave I carry over into next year?'
        # ('How many can I carry over?' + '... use them?': what I carry over)
        noun, who, rest = counted.group("noun", "who", "rest")
        things = f"the {noun} {who} {rest}" if noun else f"what {who} {rest}"
        return question[:pointer.start()] + things + question[pointer.end():]
    measured = _MEASURED_THING.match(scene_and_question(previous)[1])
    if pointer and measured and pointer.group(0).lower() == "them" \
            and _TIME_OFF.fullmatch(measured.group("subject")):
        # 'How much holiday do I get a year?' + 'When can I start using them?': the days of holiday (in the scene
        # the previous question set: "I'm in the Porto office.")
        scene = scene_and_question(previous)[0]
        resolved = question[:pointer.start()] + f"the days of {measured.group('subject')}" + question[pointer.end():]
        return f"{scene} {resolved}" if scene else resolved
    got = _AMOUNT_GOT.match(scene_and_question(previous)[1]) if not measured else None
    if pointer and got and pointer.group(0).lower() in ("it", "this", "that"):
        # 'How much money we get each year for courses and books?' + "If I don't spend all of it ...": the money
        return question[:pointer.start()] + f"the {got.group('thing')}{got.group('rest')}" + question[pointer.end():]
    if pointer and measured and pointer.group(0).lower() in ("it", "this", "that"):
        # 'How many weeks of adoption leave do I get?' + 'Is it full pay?' -> 'Is the adoption leave full pay?'
        thing = measured.group("subject")
        thing = thing if _DETERMINED.match(thing) else f"the {thing}"
        return question[:pointer.start()] + thing + question[pointer.end():]
    asking = _asking_sentence(previous)  # ('When is the fire alarm test? I don't want my team panicking.')
    inverted = _INVERTED.match(asking)
    if inverted and (_THIRD_PERSON.match(inverted.group("subject"))
                     or len(inverted.group("subject").split()) > _SUBJECT_WORDS):
        # 'When do they test the fire alarm?' + 'if it keeps ringing': 'it' is what they test; 'How much does each
        # person in my team get per year for courses and training?' ends on no verb after a subject
        inverted = None
    # (a subject that is a pointer itself, 'When is it tested in the Porto office?', names nothing: the last
    # phrase does)
    # ('guest wifi password for a visitor?' + 'how often does it change?': a query's thing opens it, before 'for')
    queried = None
    if pointer and is_search_query(asking):
        acts = bool(_VERB_AFTER_POINTER.fullmatch(_word_after(question, pointer)))  # 'it gets released'
        queried = (_MEASURE_OF.match(asking) if acts else None) or _QUERIED_THING.match(asking)
    subject = next((found for found in (_CALLED_THING.match(asking), _COPULAR.match(asking),
                                        _WHICH_THING.match(asking), inverted, _YESNO_SUBJECT.match(asking), queried,
                                        _LAST_PHRASE.search(asking))
                    if found and not _POINTER_SUBJECT.match(found.group("subject"))), None)
    if subject is None and _POINTER_ASKED.match(asking):
        # 'HR mentioned someone called a buddy. What's that about?': the pointer asked about is what the scene
        # ended on, and so is the one after it ('How long does that go on for?')
        subject = _SCENE_END.search(scene_and_question(previous)[0])
    if not (subject and pointer) or _PERSONAL.match(subject.group("subject")):
        return None
    thing = subject.group("subject")
    bare = subject.re in (_WHICH_THING, _QUERIED_THING, _CALLED_THING)  # (a thing said without its determiner)
    thing = f"the {thing}" if bare and not _DETERMINED.match(thing) else thing
    head = re.sub(r"\s+(?:for|of|in|on|at|to|with|from|about)\b.*$", "", thing, flags=re.I)  # 'the deadline'
    if pointer.group(0).lower() in ("they", "them") and not _PLURAL_END.search(head) \
            and not _SOMEONE.search(head):  # ('the expenses lead' + 'How do I contact them?': one person)
        # 'What's the deadline for submitting claims, and is there a point after which they won't be paid?': 'they'
        # are the claims, not the deadline
        plural = [p for p in _PLURAL_THING.findall(previous) if p.split()[-1].lower() not in _NOT_PLURAL]
        if not plural:
            return None
        thing = f"the {plural[-1]}"
    end = pointer.end()
    noun = re.match(r"\s+([a-z][a-z-]{2,})\b", question[end:], re.I) \
        if pointer.group(0).lower() in ("this", "that") else None
    if noun and _VERB_AFTER_POINTER.fullmatch(noun.group(1)):
        # 'if this drags on for weeks': the pointer is the subject of a verb, not 'this drag', a thing of its own;
        # what goes on or gets worse is the situation the asker told, not the thing they asked about
        if _GOES_ON_VERB.fullmatch(noun.group(1)):
            return None
        return question[:pointer.start()] + thing + question[end:]
    if noun and content_terms(noun.group(1)):
        # 'How long is probation for ... on a UK contract?' + 'During that period, ...': the period of probation,
        # not 'probation ... period'; 'that deadline' after 'the deadline for claims' is the deadline itself
        end += noun.end()
        said = re.search(rf"\b{re.escape(noun.group(1))}\b", head, re.I)
        bare = re.sub(r"^(?:the|a|an)\s+", "", thing, flags=re.I)
        thing = thing if said else f"the {noun.group(1)} of {bare}"
    return question[:pointer.start()] + thing + question[end:]


# A word after 'this' or 'that' in the form of a verb's third person ('drags', 'goes', 'happens'): no plural follows
# a singular pointer, so the pointer is the verb's subject (not 'this news', 'that process', 'this bus')
_VERB_AFTER_POINTER = re.compile(r"(?!(?:news|series|species|means|lens|gas|alias|bias|status|bonus|campus|virus"
                                 r"|canvas|atlas|analysis|basis|crisis|thesis|axis)$)[a-z]{2,}[^su]s", re.I)


def _word_after(question: str, pointer: re.Match) -> str:
    """The word after a pointer ('gets' in 'how long before it gets released'), or ''."""
    after = re.match(r"\s+([a-z][a-z'’-]*)", question[pointer.end():], re.I)
    return after.group(1) if after else ""


# what a situation does on its own ('if this drags on', 'if it gets worse'), not what is done with a thing
_GOES_ON_VERB = re.compile(r"drags|goes|carries|continues|lasts|persists|gets|keeps|happens|recurs|spreads|worsens",
                           re.I)


# A phrase that ends in a plural ('the expense claims'), and a plural thing a question names after a determiner or a
# verb ('submitting claims', 'the receipts'): what 'they' can point at
_SOMEONE = re.compile(r"\b(?:lead|manager|officer|coordinator|person|owner|director|contact|head|partner|buddy"
                      r"|[a-z]{3,}(?:er|or|ist|ant))\s*$", re.I)
_NOT_PLURAL = frozenset({"is", "was", "has", "does", "its", "this", "thus", "plus", "us", "yes", "less", "unless"})
_PLURAL_END = re.compile(r"[a-z]{2}(?<!s)s\s*$|\b(?:people|staff|children|men|women)\s*$", re.I)
# (a common noun: 'the Leeds office' names no plural)
_PLURAL_THING = re.compile(r"\b(?:the|my|our|your|their|all|any|some|[a-z]+ing)\s+"
                           r"((?-i:(?:[a-z]+\s+)?[a-z]{2,}(?<!s)s))\b", re.I)


# 'How many days of leave can I carry over into next year?': what is counted, who does it, and what they do.
_COUNTED_DOING = re.compile(r"^\s*how many (?:(?P<noun>[a-z][\w'’ -]*?)\s+)?(?:can|could|may|must|should|do|will)\s+"
                            r"(?P<who>i|we|you|staff|employees|each person|everyone|they|he|she)\s+"
                            r"(?P<rest>[a-z][\w'’ -]*?)\s*\?\s*$", re.I)


def follow_up_words(question: str) -> frozenset[str]:
    """What a follow-up asks beyond the question it continues: 'carry' in 'And how many can they carry over?'. Not
    its names: 'And for Porto?' asks the same thing of Porto, which the standalone question names already."""
    # (nor what a relative clause tells of the person asked for: 'And for Rui, who works out of our Porto office?'
    # asks the same thing of Porto, not about work; a figure there is the follow-up's own case)
    untold = _PERSON_TOLD_CLAUSE.sub(lambda m: m.group(0) if re.search(r"\d", m.group(0)) else "", question)
    asked = scene_and_question(untold)[1]  # not its chat: 'this is the second time this year lol'
    changes = _CHANGES_IT.search(question)
    if changes and changes.start() > 0:
        # 'The hotel includes breakfast though. Does that change anything?': what it adds is the statement
        asked = question[:changes.start()]
    names = {word for name in question_names(asked) for word in name}
    # (nor whose case it is: 'my colleague who's on the Porto side' asks the same thing of Porto)
    # (nor the 'one' of 'And the Christmas one?', which only points back; 'the new one' is a replacement)
    pointing = _ONE if _THE_KIND_ONE.match(question) else set()
    # (nor how the asker would reach someone: 'who do I phone?' asks for a contact, not about phones)
    reaching = content_terms(" ".join(_REACHING.findall(asked)))
    return frozenset(content_terms(asked) - _GENERIC - _NOT_FOCUS - _CASE_WORDS - pointing - names - reaching)


_REACHING = re.compile(r"\b(?:who|whom|what number|which number)\s+(?:do|should|can|shall|must|would|will|could)\s+"
                       r"(?:i|we|you|they|he|she)\s+(?:have to\s+|need to\s+|then\s+)?(phone|call|ring|contact|email"
                       r"|e-mail|text|message)\b", re.I)


# a person, then a relative clause that tells who they are ('my colleague who started the same day', 'Rita, who's
# on a Porto contract'), to the end of the question
_WHO_TELLS = (r"(?<=\w),?\s+who(?:['’]s)?\s+(?!(?:do|does|did|can|could|should|would|will|must|may|might"
              r"|shall)\b)")
_PERSON_TOLD = re.compile(_WHO_TELLS + r"[^?]*", re.I)
# ... to the clause's end: 'and my colleague who is on a Porto contract, how many can she carry over?' goes on asking
_PERSON_TOLD_CLAUSE = re.compile(_WHO_TELLS + r"[^?,;]*", re.I)


# a role someone takes: 'a fire warden', 'a first aider' (one word before it at most)
_ROLE_TAKEN = re.compile(r"\b(?:a|an)\s+((?:[a-z]+\s+)?(?:[a-z]{3,}(?:er|or|ee|ant)|warden|marshal|steward|champion"
                         r"|buddy))\b(?!\s+(?:of|to|for)\b)", re.I)


def _role_swapped(question: str, previous: str) -> str | None:
    """The previous question with its role swapped for the one the follow-up takes instead, or None."""
    new, old = _ROLE_TAKEN.search(question), _ROLE_TAKEN.search(previous)
    if not (new and old) or new.group(1).lower() == old.group(1).lower():
        return None
    return previous[:old.start(1)] + new.group(1) + previous[old.end(1):]


# A final pointer after its verb ('... allowed to use that?'), and what the answer says to do the same to ('you can use
# the SNS 24 self-declaration of illness'): a determiner and up to five words, to a clause's end
_VERB_THEN_POINTER = re.compile(r"\b(?P<verb>[a-z]{3,})\s+(?P<pointer>that|it|this|them|those|these)\s*[?.!]*\s*$",
                                re.I)
# (besides the stop words: 'does that change it?', 'about that?', 'without it?')
_NOT_DONE_TO = frozenset({"change", "affect", "alter", "mean", "matter", "like", "onto", "through", "without",
                          "against"})
_OBJECT_AFTER = re.compile(r"\s+(?P<thing>(?:the|a|an|your|their)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+?)"
                           r"(?=\s+(?:and|or|but|to|for|at|in|on|by|within|until|if|when|from|with)\b"
                           r"|\s*[,.;:()\[]|\s*$)", re.I)


def _done_to_in_answer(question: str, answer: str) -> str | None:
    """The follow-up with its final pointer replaced by the thing the answer does the same verb to ('use that?' +
    '... you can use the SNS 24 self-declaration ...' -> 'use the SNS 24 self-declaration?'), or None."""
    final = _VERB_THEN_POINTER.search(question) if answer else None
    if not final or final.group("verb").lower() in _NOT_DONE_TO or final.group("verb").lower() in STOPWORDS:
        return None
    verb = stem(final.group("verb"))
    for word in re.finditer(r"\b[a-z]{3,}\b", answer, re.I):
        if stem(word.group(0)) != verb:
            continue
        done = _OBJECT_AFTER.match(answer, word.end())
        if done:
            thing = done.group("thing")
            return _standalone(question[:final.start("pointer")] + thing + question[final.end("pointer"):])
    return None


# 'issue a Temporary Access Pass so ...', 'they'll give you a visitor badge.': a thing the answer says one is given
_THING_GIVEN = re.compile(r"\b(?:issue|issues|give|gives|send|sends|provide|provides|hand|hands|lend|lends)\s+"
                          r"(?:you\s+|them\s+|him\s+|her\s+)?(?P<thing>(?:a|an)\s+(?:[\w-]+\s+){0,3}?[\w-]+?)"
                          r"(?=\s*(?:[,.;:!?]|$)|\s+(?:so|that|which|to|for|with|and|valid|from|at)\b)", re.I)
# ... that a question does something to by a pointer ('use that before it stops working?')
_POINTER_DONE_TO = re.compile(r"\b(?P<verb>[a-z]{3,})\s+(?P<pointer>it|that)\b"
                              r"(?!\s+(?:is|was|are|the|a|an|you|i|we)\b)", re.I)


def _given_in_answer(question: str, answer: str) -> str | None:
    """The follow-up with its pointer written as the thing the answer said one is given, when the question names
    no thing of its own before it; or None."""
    pointed = _POINTER_DONE_TO.search(question)
    given = _THING_GIVEN.search(answer) if pointed and pointed.group("verb").lower() not in STOPWORDS else None
    if not given or _NOUN_PHRASE.search(question[:pointed.start("pointer")]) or question_names(question):
        return None
    thing = "the " + re.sub(r"^(?:a|an)\s+", "", given.group("thing"), flags=re.I)
    return _standalone(question[:pointed.start("pointer")] + thing + question[pointed.end("pointer"):])


def _place_set_right(question: str, previous: str) -> str | None:
    """The previous question asked of the place the asker sets right ("I'm at the Porto office this week, not Leeds
    - where am I meant to go there?" after where to gather in Leeds), or None."""
    said = _NOT_THAT_PLACE.search(question)
    old = (stem(said.group("place").lower()),) if said else None
    old_span = name_span(previous, old) if old and place_of(old) else None
    new = next((n for n in reversed(question_names(question[:said.start()])) if place_of(n) and n != old), None) \
        if old_span else None
    new_span = name_span(question, new) if new else None
    if not new_span:
        return None
    return _standalone(previous[:old_span[0]] + question[new_span[0]:new_span[1]] + previous[old_span[1]:])


def _names_with_opening_place(text: str) -> list[tuple[str, ...]]:
    """The text's names, with a known place it opens with, which a capital at a sentence's start does not mark as a
    name ('Leeds annual leave allowance?' + 'and Porto?': Leeds is the place to swap)."""
    names = question_names(text)
    first = re.match(r"\s*([A-Z][a-z]+)\b", text)
    opening = (stem(first.group(1)),) if first else None
    return [opening, *names] if opening and opening not in names and place_of(opening) else names


def _resolve(question: str, previous: str) -> str:
    """Put the follow-up's new names into the previous question, or carry the previous question along."""
    corrected = _place_set_right(question, previous)
    if corrected:
        return corrected
    # (not a person said in passing: 'What about my colleague Tiago in Porto?' asks about Porto)
    people = people_named(question)
    new_names = _city_first([name for name in question_names(question) if name not in people])
    old_names = _names_with_opening_place(previous)
    # ('And what's the deadline if I'm working from the Porto office?': an attribute and where the asker works add
    # nothing to the place)
    # (nor words the previous question said, nor a person's name said in passing: 'what if it's Rita in Porto who
    # lost hers?' after 'Sam in my Leeds team has lost his staff badge ...')
    # (but a figure of its own is the follow-up's own case: '... on a Lyon contract who is off for 2 days?')
    # (nor what a relative clause tells of the person asked for: 'And my colleague who started the same day but
    # works out of the Porto office?' names Porto)
    # (a figure there is the follow-up's own case: '... on a Lyon contract who is off for 2 days?')
    own = content_terms(_PERSON_TOLD.sub(lambda m: m.group(0) if re.search(r"\d", m.group(0)) else "", question)) \
        - {word for name in people for word in name}
    if not set(re.findall(r"\d+", question)) - set(re.findall(r"\d+", previous)):
        own -= content_terms(previous)
    if new_names and old_names and len(own - _GENERIC - _WHO_WORDS - _ATTRIBUTE_NOUNS
                                       - _WORKING_WORDS) <= len(new_names[0]) + 1:
        # 'And in Porto?': the same question about another place, class or year.
        replacement = _name_text(question, new_names[0])
        # Only a name of the same form is replaced: a place for a place, an acronym for an acronym, a year for a
        # year ('How long is a VPN session?' + 'And for Porto?' keeps VPN); a place said of a person first, for a
        # place said of a person (_other_place_for_old).
        for old in _last_first(old_names, previous, question, replacement or ""):
            target = name_span(previous, old)
            if not (target and replacement):
                continue
            if region_of(old) and (place_of(new_names[0]) or country_of(new_names[0])):
                return _region_replaced(previous, target, question, replacement)
            if _form(previous[target[0]:target[1]]) == _form(replacement):
                if _is_place(old) != _is_place(new_names[0]):
                    continue  # ('a Porto contract' + 'And the Christmas one?': a place only for a place)
                return _replaced(previous, target, replacement)
            preposition = _acronym_for_a_name(previous, target, question, replacement)
            if preposition:  # 'for the USA' -> 'for Germany'; 'within the UK' -> 'to Toronto'
                start = re.search(r"\b\w+\s+(?:the\s+)?$", previous[:target[0]], re.I).start()
                return f"{previous[:start]}{preposition} {replacement}{previous[target[1]:]}"
        swapped = _other_place_for_old(previous, question)
        if swapped != previous:
            return swapped  # 'a work journey in the UK' + 'And my colleague on the Porto side?': a place for a place
    role = _role_swapped(question, previous) if _INSTEAD.search(question) else None
    if role:
        # 'Priya wants to become a fire warden. What does she get?' + 'And if Tom volunteers as a first aider
        # instead, does he get anything?': the same question, of the other role
        return role
    renumbered = _another_figure(question, previous)
    if renumbered:
        # 'How much leave do I get once I've done 3 years?' + 'And after 5?': the same question for another figure
        return renumbered
    other = _ANOTHER_THING.match(question)
    thing = _THING_ASKED_ABOUT.search(previous)
    if other and thing:
        # 'What's the mileage rate for a car?' + 'What about a bicycle?' -> '... for a bicycle?'; 'And for an
        # overnight stay in Germany?' after '... for a day trip in France?': the same question about another thing.
        start, new = thing.start("thing"), other.group("thing")
        # 'What about a trip to France?' after 'Who approves a trip to the USA?': the follow-up restates the words
        # before the replaced phrase too.
        restated = re.match(r".+?\s(?:to|in|for|of|at|on|from)\s", new)
        if restated and previous[:start].lower().endswith(restated.group(0).lower()):
            start -= len(restated.group(0))
        # A name only for a name, a thing for a thing: 'And the hotel cap?' after '... allowance for the USA?' asks
        # the previous question's other thing, and is carried along.
        if _named(previous[start:thing.end("thing")]) == _named(new):
            return previous[:start] + new + previous[thing.end("thing"):]
    bare = _ANOTHER_KIND.match(question)
    swapped = _same_kind_swapped(previous, bare.group("thing")) if bare and not other else None
    if swapped:
        # 'How many approvals does a PR to the sensor firmware repositories need?' + 'And for infrastructure-as-code
        # repos?': the same question about another thing of the same kind, named without 'the' or 'a'
        return swapped
    placed = _place_for_there(question, previous)
    if placed:
        # 'What's the per diem for the USA?' + 'And is the hotel cap the same there?' -> '... the same in the USA?'
        return _standalone(placed)
    resolved = _subject_for_pointer(question, previous)
    if resolved:
        # 'How long is probation in Porto?' + 'Can it be extended?' -> 'Can probation in Porto be extended?'; 'Who is
        # the expenses lead?' + 'How do I contact them?' -> 'How do I contact the expenses lead?'
        resolved = _standalone(resolved)
        # 'How many days of leave do Porto staff get?' + 'And how many can they carry over?': a bare 'how many'
        # counts what the previous question counted.
        counted = _COUNTED.match(previous)
        return _BARE_COUNT.sub(lambda m: f"{m.group(1)} {counted.group('noun')} ", resolved, count=1) if counted \
            else resolved
    # the previous question as the scene the follow-up is asked in, not a question of its own to answer
    carried = _other_place_for_old(previous, question).rstrip(" ?.!")
    scene, _ = split_context(without_preamble(carried) + "?")  # ('Hi, sorry, another question!' is no scene)
    own_thing = _asks_own_question(question) \
        and (not _CONTINUES.match(question) or _ASKS_AFTER_CONDITION.search(question)) \
        and len(content_terms(question) - content_terms(previous) - _GENERIC - _WHO_WORDS) >= _OWN_THING_TERMS
    if own_thing and len(content_terms(scene)) >= _OWN_THING_TERMS:
        # 'My flight has been cancelled and the desk is closed. Who do I call?' + "They're asking me for some kind
        # of company code - what is it?": a question about a thing of its own, asked in the same scene; the one
        # already answered would choose its own answer again
        carried = scene.rstrip(" ?.!")
    elif own_thing and not scene.strip() and not _POINTER.search(question):
        # ('How much can we spend per head on a client dinner?' + "And what's the budget per person for our team's
        # Christmas party?": a question of its own, no scene to carry, and the one answered is not asked again)
        return question
    return f"{carried}. {question}"


# new words a follow-up needs to ask about a thing of its own (not 'And how long is it?'), and words the previous
# question's scene needs to set one ('Hi, sorry, another question!' sets none)
_OWN_THING_TERMS = 3
# ... asked with a question word of its own, not as the previous question under another case ('And if they'd been
# hired on a Portuguese contract?', 'What about for contractors?')
_OWN_QUESTION = re.compile(r"\b(?:what|which|who|where|when|how)\b", re.I)
# ... not a relative clause that says who a person is: 'And my colleague who started the same day but works out of the
# Porto office?' asks the previous question of them
_RELATIVE_WORD = re.compile(r"(?<=\w)(?:,\s*|\s+)(?:who(?:['’]s)?|which|where|when)\s+"
                            r"(?!(?:do|does|did|is|are|was|were|can|could|should|would|will|must|may|might|shall|have"
                            r"|has)\b)", re.I)
_JOINING = frozenset("and or but so also then ok okay plus".split())


def _asks_own_question(question: str) -> bool:
    """Does the question ask with a question word of its own, one no relative clause uses?"""
    def relative(match: re.Match) -> str:
        before = question[:match.start()].split()
        return " " if before and before[-1].lower().strip(",") not in _JOINING else match.group(0)
    return bool(_OWN_QUESTION.search(_RELATIVE_WORD.sub(relative, question)))
# ... though a condition may open a question of its own: 'And if it's a real one, where do we go?'
_ASKS_AFTER_CONDITION = re.compile(r"^\s*(?:(?:and|or|but|so|also),?\s+)?(?:if|when)\b[^,?]+,\s*(?:what|where|who|when"
                                   r"|how|which)\b", re.I)
_CONTINUES = re.compile(r"^\s*(?:(?:and|or|but|so|also),?\s+)?(?:if|what if|for|in|at|with|what about|how about"
                        # ('And when I am working here more than five years?': 'when' with its subject, a condition)
                        r"|when (?:i|i['’]m|i['’]ve|we|we['’]re|we['’]ve|he|she|they|my|our|someone|somebody)"
                        r"\b(?! (?:do|does|did|can|could|will|would|should|must|may|need)\b))\b",
                        re.I)


# 'And after 5?', 'what about 10 nights?': the previous question again for another figure (of the same unit).
_ANOTHER_FIGURE = re.compile(r"^\s*(?:(?:and|or|but|what about|how about)\s+)?(?:(?:after|for|with|at|over|under|above"
                             r"|below|beyond|past|from|on|if it'?s|if i'?ve done)\s+)?(?P<n>\d+(?:\.\d+)?)"
                             r"(?:\s*(?P<unit>[a-z]+))?\s*\??\s*$", re.I)
_FIGURE = re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\b(?:\s*(?P<unit>[a-z]+))?", re.I)


def _another_figure(question: str, previous: str) -> str | None:
    """`previous` with its figure swapped for the follow-up's: the one of the follow-up's unit, or its only one."""
    asked = _ANOTHER_FIGURE.match(question)
    if not asked:
        return None
    figures = list(_FIGURE.finditer(previous))
    unit = (asked.group("unit") or "").lower().rstrip("s")
    if unit:
        figures = [f for f in figures if (f.group("unit") or "").lower().rstrip("s") == unit]
    if len(figures) != 1:
        return None
    return previous[:figures[0].start("n")] + asked.group("n") + previous[figures[0].end("n"):]


def _replaced(text: str, span: tuple[int, int], name: str) -> str:
    """`text` with `name` in place of its `span`, and the article before it agreeing ('an Oslo' -> 'a Lyon')."""
    before = text[:span[0]]
    article = re.search(r"\b(an?)\s+$", before, re.I)
    if article:
        fitting = "an" if name[:1].lower() in "aeiou" else "a"
        fitting = fitting.capitalize() if article.group(1)[0].isupper() else fitting
        before = before[:article.start(1)] + fitting + before[article.end(1):]
    return before + name + text[span[1]:]


def _other_place_for_old(previous: str, question: str) -> str:
    """The previous question with its place written as the one the follow-up names ('I've been off sick in Leeds.
    Do I need a note?' + 'What about my colleague in Porto, off for 2 days?': carried along, it is about Porto)."""
    # (not a place the follow-up rules out: 'it's my Porto badge I've lost, not a Leeds one')
    ruled_out = negated_terms(question)
    new_places = _city_first([n for n in question_names(question) if (place_of(n) or country_of(n))
                              and not content_terms(" ".join(n)) <= ruled_out])
    if not new_places:
        return previous
    replacement = _name_text(question, new_places[0])
    if replacement and not place_of(new_places[0]):
        replacement = country_of(new_places[0]).country  # 'a Portuguese contract': Portugal
    # Only the last place: 'a trip from Leeds to Porto' + 'and if I'm going to Boston?' is a trip from Leeds to
    # Boston, not from Boston to Boston; but a place said of a person stands for a place said of a person ('Someone
    # on my Leeds team is driving to Sheffield' + 'What about a colleague in Porto?': the colleague is Porto's)
    for old in _last_first(question_names(previous), previous, question, replacement):
        target = name_span(previous, old)
        if not ((place_of(old) or region_of(old)) and old not in new_places and target and replacement):
            continue
        if region_of(old):
            return _region_replaced(previous, target, question, replacement)
        if _form(previous[target[0]:target[1]]) == _form(replacement):
            return _replaced(previous, target, replacement)
        # 'a work journey in the UK' + '... on the Porto side?': a place for a place, without the acronym's 'the'
        the = re.search(r"\bthe\s+$", previous[:target[0]], re.I)
        start = the.start() if the and not re.match(r"\s+[a-z]", previous[target[1]:]) else target[0]
        return previous[:start] + replacement + previous[target[1]:]
    return previous


def _city_first(names: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The names with a city ahead of its country's adjective said before it ('on a Portuguese contract in the Porto
    office': the city says more)."""
    city = next((name for name in names if place_of(name)), None)
    if city and names[0] != city and (land := country_of(names[0])) and land.country == place_of(city).country:
        return [city, *(name for name in names if name != city)]
    return names


def _region_replaced(previous: str, target: tuple[int, int], question: str, place: str) -> str:
    """'a trip to another country in Europe' + 'and if I'm going to the USA instead?': a trip to the USA, the
    region's countries and all ('the' as the follow-up writes it)."""
    within = _COUNTRY_IN_REGION.search(previous[:target[0]])
    start = within.start() if within else target[0]
    the = re.search(r"\bthe\s+" + re.escape(place), question, re.I)
    return previous[:start] + ("the " if the else "") + place + previous[target[1]:]


_COUNTRY_IN_REGION = re.compile(r"\b(?:(?:an|any|another|other|a|some)\s+)?(?:countr(?:y|ies)|cit(?:y|ies)|places?)\s+"
                                r"(?:in|within|across)\s+(?:the\s+)?$", re.I)


_PERSON_NOUN = r"(?:colleagues?|team|teams|staff|someone|somebody|people|person|members?|hires?|starters?|engineers?" \
               r"|employees?|reports?|manager|friend|coworkers?)"


def _last_first(names: list[tuple[str, ...]], previous: str, question: str, place: str) -> list[tuple[str, ...]]:
    """The previous question's names, last first; those said of a person first when the follow-up's place is."""
    olds = list(reversed(names))
    if _of_a_person(question, place):
        olds.sort(key=lambda old: not _of_a_person(previous, _name_text(previous, old) or ""))
    return olds


def _of_a_person(text: str, place: str) -> bool:
    """Is the place said of a person in the text ('my Leeds team', 'a colleague of theirs in Porto', 'staff based in
    Porto')?"""
    if not place:
        return False
    name = re.escape(place)
    return bool(re.search(rf"\b{name}\s+(?:based\s+)?{_PERSON_NOUN}\b|\b{_PERSON_NOUN}\b(?:\s+[\w'’]+){{0,3}}?"
                          rf"\s+(?:in|from|at|based in|of)\s+(?:the\s+)?{name}\b", text, re.I))


def _standalone(question: str) -> str:
    """'And how many can they carry over?': the connective joined it to the conversation; standalone, it goes."""
    question = re.sub(r"^\s*(?:and|also|but|so|plus|then)\s+(?=\w)", "", question, flags=re.I)
    return question[:1].upper() + question[1:]


# 'there' as a place ('Is the hotel cap the same there?'), not 'is there' / 'there are'.
_THERE = re.compile(r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )\bthere\b(?!\s+(?:is|are|was|were|be|any)\b)", re.I)


def _place_for_there(question: str, previous: str) -> str | None:
    """The follow-up with its 'there' written as the last place the previous question names, or None."""
    there = _THERE.search(question)
    if not there or any(place_of(name) for name in question_names(question[:there.start()])):
        return None  # ("I'm moving to the Porto office. Is it free there too?": there is Porto)
    for name in reversed(question_names(previous)):
        span = name_span(previous, name)
        if span and place_of(name):
            the = "the " if re.search(r"\bthe\s+$", previous[:span[0]], re.I) else ""
            site = re.match(r"\s+(?:office|site|headquarters|hq|building|campus)\b", previous[span[1]:], re.I)
            end = span[1] + site.end() if site else span[1]
            place = f"in {the}{previous[span[0]:end].rstrip('.')}"  # 'in the Porto office', 'in the USA'
            return question[:there.start()] + place + question[there.end():]
    return None


# A previous question that asks about its subject ('How long is probation for most roles in Porto?', 'What is the
# hotel cap in Lisbon?'): that subject is what a following 'it' points at.
_COPULAR = re.compile(r"^\s*(?:(?:how (?:long|much|many \w+|often|far|big)|what|when|where|who|which \w+)\s+(?:is|are"
                      r"|was|were)|what[’']s)\s+(?P<subject>(?:the |a |an |my |our )?[\w'’ -]+?)\s*\?\s*$", re.I)
# ... or one that asks what its subject does or gets ('How many days of annual leave do Porto staff get?').
_INVERTED = re.compile(r"^\s*(?:how (?:long|much|many|often|far)|what|when|where|which)\b[\w'’ -]*?"
                       r"\s+(?:do|does|did)\s+(?P<subject>(?:the |a |an |my |our )?[\w'’ -]+?)\s+\w+\s*\?\s*$", re.I)
# ... or else the thing it ends on ('How many custodians must be present to unlock the signing key?' + 'Where is it
# kept?' -> 'Where is the signing key kept?').
_LAST_PHRASE = re.compile(r"\b(?P<subject>(?:the|a|an|our|your)\s+[\w'’ -]+?)\s*\?\s*$", re.I)
# A follow-up that names only another thing ('What about a bicycle?', 'And for an overnight stay in Germany?').
_ANOTHER_THING = re.compile(r"^\s*(?:and|or|what about|how about)\s+(?:(?:for|in|at|on|with|to)\s+)?"
                            r"(?P<thing>(?:the|a|an|our|your)\s+[\w'’ -]{2,60}?)\s*\?\s*$", re.I)
# 'And for infrastructure-as-code repos?': another thing named without a determiner.
_ANOTHER_KIND = re.compile(r"^\s*(?:and|or|what about|how about)\s+(?:(?:for|in|at|on|with|to)\s+)?"
                           r"(?P<thing>[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,3})\s*\?\s*$", re.I)


# 'what if I'd gone on my motorbike instead?': the thing a follow-up puts in place of the one asked about
_INSTEAD_THING = re.compile(r"\b(?:on|by|in|with|at|for|to)\s+(?:a|an|my|our|the|his|her|their)\s+"
                            r"(?P<thing>[a-z][\w'’-]*)\s+instead\b", re.I)


def thing_asked_instead(question: str) -> str:
    """The head word of the other thing a follow-up asks the same question of ('motorbike' in 'what about on a
    motorbike?' or '... if I'd gone on my motorbike instead'); '' for a name ('And for Porto?') or none."""
    found = _ANOTHER_THING.match(question) or _ANOTHER_KIND.match(question) or _INSTEAD_THING.search(question)
    words = found.group("thing").split() if found else []
    head = words[-1] if words else ""
    # (nor whose case it is: 'And for the Porto lot?' asks the same thing of Porto)
    if content_terms(head) and content_terms(head) <= _WHO_WORDS:
        return ""
    return head.lower() if head[:1].islower() and head.lower() not in STOPWORDS else ""


def _same_kind_swapped(previous: str, thing: str) -> str | None:
    """The previous question with its phrase for a thing of the new thing's kind ('sensor firmware repositories'
    for 'infrastructure-as-code repos': the same head word, or one it shortens) replaced by the new thing; None when
    it names none."""
    head = thing.split()[-1].lower().rstrip("s")
    if len(head) < 3 or head in STOPWORDS:
        return None
    for match in reversed(list(re.finditer(r"[A-Za-z][\w'’-]*", previous))):
        word = match.group(0).lower()
        if word.startswith(head) or (len(word) > 4 and head.startswith(word.rstrip("s"))):
            # with up to three modifiers before it, not across a stop word: 'one of the sensor firmware
            # repositories' -> 'one of the infrastructure-as-code repos'
            start = match.start()
            for token in reversed(list(re.finditer(r"[\w'’-]+", previous[:match.start()]))[-3:]):
                if token.group(0).lower() in STOPWORDS:
                    break
                start = token.start()
            return previous[:start] + thing + previous[match.end():]
    return None


# ... and the thing a previous question ends on: a short phrase after its last determiner, with no verb of its own
# ('a day trip in France'; not 'the VPN to use Ledgerly', where the thing is Ledgerly).
_THING_ASKED_ABOUT = re.compile(r"\b(?P<thing>(?:the|a|an|our|your)\s+(?:(?!(?:the|a|an|our|your|to|is|are|do|does)\b)"
                                r"[\w'’-]+\s*){1,5}?)\?\s*$", re.I)
# 'Which laptop do engineers get?' + 'Does it come with a monitor?': 'it' is the laptop, the thing asked about.
# (not an attribute: 'What time does the office open?' + 'How late does it stay open?' is about the office)
_WHICH_THING = re.compile(r"^\s*(?:which|what)\s+(?!(?:is|are|was|were|do|does|did|time|times|day|days|date|year"
                          r"|month|week|hour|hours|percentage|share|amount|number|kind|sort|type|size)\b)"
                          r"(?P<subject>[a-z][\w-]*"
                          r"(?:\s+[a-z][\w-]*){0,2}?)\s+(?:(?:do|does|did|should|must|can|will)\s+(?!it\b)"
                          # ('Which laptop the engineers get here?': a learner's question without its 'do')
                          r"|(?=(?:the|my|our|your|i|we|you|they)\s+[a-z]+\b))", re.I)
# 'Does the laptop come with a monitor?' + 'How often does it get replaced?': 'it' is the yes/no question's subject.
_YESNO_SUBJECT = re.compile(r"^\s*(?:does|do|did|can|will|would|should|is|are)\s+(?P<subject>(?:the|a|an|my|our|your)"
                            r"\s+[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)\s+(?:come|get|have|need|include|cover|work"
                            r"|apply|last|cost|take|run|use|count|expire|renew|go|stay|require|allow)\b",
                            re.I)
_PERSONAL = re.compile(r"(?:i|you|we|me|us)\b", re.I)
# 'What's that about?', 'What is this?': a question asking what a pointer is
_POINTER_ASKED = re.compile(r"^\s*(?:what|who)(?:['’]s|\s+is|\s+are)\s+(?:that|this|it|those|these|they)"
                            r"(?:\s+(?:about|for|all about))?\s*\?\s*$", re.I)
# the thing a scene ends on ('... mentioned someone called a buddy.')
_SCENE_END = re.compile(r"\b(?P<subject>(?:the|a|an)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+)\s*[.!]?\s*$", re.I)
_THIRD_PERSON = re.compile(r"(?:they|he|she|someone|somebody|people|each|every|everyone|everybody|staff)\b", re.I)
_SUBJECT_WORDS = 5  # an inverted question's subject is a short phrase ('the signing key'), not a clause
# 'How many weeks of adoption leave ...', 'How much adoption leave ...': the thing measured.
_MEASURED_THING = re.compile(r"^\s*how (?:many [\w'’-]+ of|much)\s+(?P<subject>[\w'’ -]+?)\s+(?:do|does|did|can|could"
                             r"|will|would|should|must|may|is|are)\b", re.I)
# ... or asked without its auxiliary, as a learner may ('How much money we get each year for courses?')
_AMOUNT_GOT = re.compile(r"^\s*how much (?P<thing>money|budget|allowance|[a-z]+ allowance) (?:do |does |will |can )?"
                         r"(?:we|i|you|staff|they|employees) (?:get|have|receive)\b(?P<rest>[^?]*?)\s*\?\s*$", re.I)
_TIME_OFF = re.compile(r"(?:(?:annual|paid|unpaid|extra) )?(?:leave|holidays?|time off|annual leave)", re.I)
_DETERMINED = re.compile(r"(?:the|a|an|my|our|your|their)\s", re.I)
_COUNTED = re.compile(r"^\s*how (?:many|much)\s+(?P<noun>[\w'’ -]+?)\s+(?:do|does|did|can|is|are|will|must|should)\b",
                      re.I)
_BARE_COUNT = re.compile(r"\b(how (?:many|much))\s+(?=(?:do|does|did|can|could|is|are|will|would|must|should)\b)", re.I)
# 'do they change that?', 'will they reset it?': an impersonal 'they' doing something to a thing pointed at
_THEY_DO_TO_IT = re.compile(r"\b(?:do|does|did|will|would|can|could|should)\s+they\s+[a-z]{3,}\s+(?P<it>that|it|this)\b"
                            r"(?!\s+(?:year|week|month|day|time|one)\b)", re.I)
# (not the 'it' of 'how much does it cost to replace a badge?' or 'is it possible to ...', which points at nothing)
# (not the department written in capitals: 'IT is sitting me down ...')
_SUBJECT_POINTER = re.compile(r"\b(?!(?-i:IT)\b)(?:(?:this|that)"
                              r"(?!\s+(?:year|week|month|morning|afternoon|evening|weekend|day|time|summer|winter"
                              r"|autumn|spring)\b)|they|them|it(?!\s+(?:costs?|takes?)\s+(?:[\w£€$-]+\s+){0,3}?to\s"
                              r"|\s+(?:possible|ok|okay|allowed|necessary|worth|fine)\b))\b"
                              r"(?!\s+(?:is|are|was|were)\s+(?:the same|true))", re.I)


def _named(phrase: str) -> bool:
    """'the USA', 'the Porto office': a phrase whose first word after its determiner is capitalised."""
    words = phrase.split()
    return len(words) > 1 and words[1][:1].isupper()


# 'And the Christmas one?': the same kind of thing as the last question's, of another kind (not 'the new one', which
# _ANOTHER_ONE reads)
_THE_KIND_ONE = re.compile(r"^\s*(?:(?:and|so|ok(?:ay)?|what about|how about)[,\s]+)*(?:the|an?)\s+"
                           r"(?!(?:new|old|other|replacement|spare|second|different|same|first|last|next)\b)"
                           r"(?P<kind>[\w'’-]+)\s+one\s*[?.!]*\s*$", re.I)
# ... the thing of the last question: 'the holiday allowance', with a gloss in brackets after it
_KIND_AND_THING = re.compile(r"\b(?:the|an?|my|our)\s+(?P<kind>[\w'’-]+)\s+(?P<head>[a-z][\w-]{2,})\b"
                             r"(?:\s*\([^()]*\))?")


def _kind_swapped(asking: str, kind: str) -> str | None:
    """The last question asked of the other kind of its thing ('the holiday allowance' -> 'the Christmas
    allowance'), or None when it names no such thing."""
    for found in _KIND_AND_THING.finditer(asking):
        if found.group("head").lower() not in STOPWORDS and content_terms(found.group("kind")):
            return f"{asking[:found.start()]}the {kind} {found.group('head')}{asking[found.end():]}"
    return None


def _is_place(name: tuple[str, ...]) -> bool:
    return bool(place_of(name) or country_of(name) or region_of(name))


def _form(name: str) -> str:
    letters = name.replace(".", "").replace(" ", "")
    if letters[:1].isdigit():
        return "figure"
    return "acronym" if letters.isupper() and len(letters) > 1 else "name"


def _acronym_for_a_name(previous: str, target: tuple[int, int], question: str, name: str) -> str:
    """The preposition to write the name with in place of the acronym and the preposition before it; '' when the
    acronym stays. 'What are the per diem rates for the USA?' + 'And for Germany?': an acronym that ends its phrase
    after the same preposition the follow-up uses is a place or party like the name ('for', as written); one before
    a noun ('a VPN session') or after another preposition ('connect to the VPN' + 'And in Porto?') is a thing. A
    place the gazetteer knows ('a trip within the UK' + 'and if it's to Toronto?') goes with the follow-up's own
    preposition ('to')."""
    acronym = previous[target[0]:target[1]]
    if _form(acronym) != "acronym" or _form(name) != "name":
        return ""
    before = re.search(r"\b(\w+)\s+(?:the\s+)?$", previous[:target[0]])
    asked = re.search(r"\b(\w+)\s+(?:the\s+)?" + re.escape(name), question)
    ends_phrase = not re.match(r"\s*[a-z]", previous[target[1]:])
    if not (ends_phrase and before and asked and before.group(1).lower() in _PLACE_PREPOSITIONS):
        return ""
    if before.group(1).lower() == asked.group(1).lower():
        return before.group(1)
    known = place_of((stem(acronym.lower()),))
    return asked.group(1).lower() if known and asked.group(1).lower() in _PLACE_PREPOSITIONS else ""


_PLACE_PREPOSITIONS = frozenset({"for", "in", "to", "from", "at", "within"})


def _name_text(text: str, name: tuple[str, ...]) -> str | None:
    span = name_span(text, name)
    return text[span[0]:span[1]].rstrip(".") if span else None
