"""What a question asks for (a figure, a date, a contact, steps...) and what a sentence answering it looks like."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from ragqa.dates import stated_date
from ragqa.places import place_of
from ragqa.policy_words import policy_words, words_across
from ragqa.sentences import STOPWORDS, stem
from ragqa.words import content_terms

KINDS = ("steps", "contact", "person", "date", "number", "place", "list", "reason", "yesno", "definition", "other")

# Checked in this order: the first that matches is the question's kind.
# Reaching someone: 'how do I get hold of the office manager?' asks for a contact, not for steps.
_REACH = r"contact|reach|get (?:hold of|in touch)|email|e-mail|call|ring|phone"
# 'Which Pentagon official ...?', 'what Japanese minister ...?': a person answers, by name and title.
PERSON_NOUNS = (r"(?:person|people|team|manager|director|official|officials|minister|ministers|expert|experts"
                r"|leader|leaders|executive|spokesperson|spokesman|spokeswoman|analyst|diplomat|lawmaker|politician"
                r"|president|commander|general|ambassador|envoy|secretary|chief|officer|researcher|scientist"
                r"|author|writer|founder|ceo|chair|chairman|chairwoman)")
# ... 'which South Korean minister', not 'what is the team's budget'
_DESCRIBING = r"(?!(?:is|are|was|were|do|does|did|the|a|an|our|my|your|their|its)\b)"
# Who is to act: the asker, or the colleague a manager asks for ('What should she do?', 'what does my team need to
# do', 'what does someone in my team need to do', 'what does a new starter have to do')
_ACTOR = (r"(?:i|we|you|he|she|they|(?:someone|somebody|one|a member)(?: (?:in|on|of|from) (?:my|our|the)"
          r"(?: [\w-]+){1,2})?|(?:my|our|the|a|an)(?: [\w-]+){1,2})")
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # ('What I should do first?', 'What I do now?': the word order of many who learned English later)
    # ('What exactly should I do first?')
    ("steps", re.compile(rf"\bwhat (?:(?:exactly|precisely|actually|now|then) )?(?:(?:should|do|must|can|could) )?"
                         rf"{_ACTOR} (?:(?:should|must|need to|needs to"
                         rf"|have to|has to|ought to) )?(?:do|try)\b|\bwhat (?:do|does|would|will|did)"
                         rf" {_ACTOR} (?:have|need|has|needs) to (?:do|sort(?: out)?|arrange|organi[sz]e|prepare"
                         r"|set up)\b"
                         r"|\bwhat (?:has|have|needs|need|is meant) to happen\b"
                         r"|\b(?:what now|what next|now what)\b"
                         # ('What action should I take?', 'what actions do we need to take?')
                         rf"|\bwhat (?:action|actions|measures|next steps?) (?:(?:should|do|must|can|could) )?{_ACTOR}"
                         r" (?:(?:should|must|need to|needs to|have to|has to) )?take\b"
                         # 'Tell me what to do now.', 'not sure what to do'
                         r"|\b(?:tell me|let me know|not sure|no idea|wondering|know) what to do\b"
                         # 'Lost my work credit card. Help?': a cry for help after a mishap asks what to do
                         r"|(?:^|[.!?,]\s*|\s[-–—]\s*)(?:(?:please|pls|plz|can (?:you|someone|anyone)"
                         r"|could (?:you|someone|anyone)"
                         r"|any) )?help(?: me| pls| please| needed)?\s*[?!.]*\s*$"
                         # 'first thing I do?', 'what am I supposed to do?', 'what is he supposed to do?'
                         rf"|\bfirst thing (?:{_ACTOR} (?:should |must |need to |has to |have to )?|to )do\b"
                         r"|\bwhat(?:['’]s| is|['’]re| are| am) (?:i|we|you|he|she|they) (?:supposed|meant|expected"
                         r"|required) to do\b|\bwhat (?:am i|are we|are you|is he|is she|are they) (?:supposed|meant"
                         r"|expected|required) to do\b"
                         # 'What's the check-in routine I have to follow?', 'which procedure do we follow?'
                         r"|\b(?:routine|procedure|process|protocol|drill|steps) (?:do |should |must )?(?:i|we|you)"
                         r" (?:have to |need to |must |should )?follow\b"
                         rf"|\bhow (?:do|can|should|would) (?:i|we|you)\b(?! (?:know|find out|{_REACH})\b)"
                         rf"|\bhow to\b(?! (?:{_REACH})\b)"
                         r"|\bwhat(?:'s|’s| is| are)? (?:the )?(?:steps|procedure|process|drill)"
                         r"\b|\bsteps? (?:to|for)\b|\bwhat happens (?:if|when)\b", re.I)),
    ("contact", re.compile(r"\bwho (?:do|should|can|must) (?:i|we) (?:have to |need to |got to )?"
                           r"(?:call|ring|phone|contact|ask|tell|email|report|notify|inform)\b"
                           r"|\b(?:phone|telephone|hotline|extension) number\b|\b(?:what|which) number\b"
                           r"|\bwhat(?:'s|’s| is) (?:the |our )?(?:[\w-]+ )?(?:hotline|helpline|phone line|extension)\b"
                           # 'What's the 24/7 number for the insurer?' (not 'the number of days')
                           r"|\bwhat(?:'s|’s| is) (?:the |our )?(?:[\w/-]+ ){0,2}number\b(?! of\b)"
                           r"|\bemail"
                           rf" address\b|\bhow (?:do|can|should|would) (?:i|we|you) (?:{_REACH})\b"
                           rf"|\bhow to (?:{_REACH})\b"
                           r"|\bcontact details?\b", re.I)),
    ("person", re.compile(rf"^\s*(?:who|whom|whose)\b|\b(?:which|what) (?:{_DESCRIBING}[\w-]+ ){{0,2}}{PERSON_NOUNS}\b"
                          # 'Is there a particular person who looks after trips?': who it is
                          r"|^\s*is there (?:a |any |one )?(?:particular |specific |named |dedicated |single )?"
                          r"(?:person|someone|somebody|anyone|anybody|one person|contact person) (?:who|that|whom|i)\b",
                          re.I)),
    # 'From which day does he need a doctor's note?': the day counted into something ('From the 8th calendar day'),
    # not a date
    ("number", re.compile(r"\bfrom (?:which|what) (?:day|week|month)\b(?! of the (?:week|month|year)\b)", re.I)),
    ("date", re.compile(r"^\s*when\b|\b(?:by|until|till) when\b|\bwhat (?:date|day|time|year|month)s?\b|\bwhich "
                        r"(?:date|day|time|year|month)s?\b|\bdeadline\b|\bhow (?:soon|early|quickly|far in advance)\b",
                        re.I)),
    ("number", re.compile(r"\bhow (?:many|much|long|often|frequently|old|far|big|large|high|low|fast)\b"
                          r"|\bwhat(?:'s| is| are| was| were)? (?:the )?(?:\w+ ){0,2}(?:rate|limit|cap|cost|price"
                          r"|amount|percentage|share"
                          r"|size|number|maximum|minimum"
                          r"|allowance|per diem|budget|fee|salary)\b|\bnumber of\b", re.I)),
    ("place", re.compile(r"^\s*where\b|\bwhich (?:floor|room|building|office|site|address)\b|\baddress\b", re.I)),
    ("list", re.compile(r"\bwhat (?:are|were) (?:the )?(?:\w+ ){0,3}(?:levels|types|kinds|options|rules|classes"
                        r"|categories|requirements|benefits|holidays|tiers|grades|bands|stages|phases)\b"
                        r"|\bwhat (?:are|were) (?:the )?(?:two|three|four|five|six|seven|eight|nine|ten|\d+) \w+"
                        r"|\b(?:list|name) (?:the|all)\b|\bwhich \w+ "
                        r"(?:are|count)\b", re.I)),
    ("reason", re.compile(r"^\s*why\b|\bwhat (?:is|was) the reason\b|\bhow come\b", re.I)),
    ("yesno", re.compile(r"^\s*(?:is|are|am|was|were|can|could|do|does|did|may|might|must|should|shall|will|would"
                         r"|have|has)\b", re.I)),
    ("definition", re.compile(r"^\s*what (?:is|are|was|were) (?:a |an |the )?\w+(?: \w+)?\s*\??\s*$|\bwhat does .+ "
                              r"mean\b|\bdefine\b|\bmeaning of\b", re.I)),
]

# A month by name or short name; 'may' only as a name ('May', '31 may'), not the verb ('You may carry over'); not a
# word that starts like one ('decide', 'separate', 'market', 'junior', 'maybe')
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May)|(?<=\d )may|may(?= \d)|june?|july?"
          r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])")
# A figure; 'one' only as a count ('one night'), not as a pronoun or idiom ('one by one', 'one of them', 'no one').
_NUMBER = re.compile(r"\d|(?<!\bno )(?<!\bany )(?<!\bsome )(?<!\bthe )(?<!\beach )(?<!\bthis )(?<!\bthat )"
                     # (nor 'from one year into the next', which counts nothing)
                     r"(?<!\bby )\bone\b(?! (?:by one|of|another|or (?:more|two|both)|and the same))(?<!\bfrom one)"
                     r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
                     r"|thirty|forty|fifty|hundred|thousand|million|billion|trillion|half|dozen|once|twice"
                     r"|double|unlimited|no limit|none)\b", re.I)
_SHAPES: dict[str, re.Pattern] = {
    "number": _NUMBER,
    "date": re.compile(rf"\b\d{{1,2}}[:.]\d{{2}}\b|\b{_MONTH}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday"
                       rf"|sunday|day|week|month|year|quarter)s?\b|\b(?:19|20)\d\d\b|\bwithin\b|\bbefore\b|\bby\b",
                       re.I),
    "contact": re.compile(r"\bext\.? ?\d|\+\d|\b\d{3,}\b|@|#[\w-]+|\b(?:call|ring|phone|email|hotline|help desk"
                          r"|contact|report)\b", re.I),
    # (a role heading a table cell is capitalised, 'Director and CFO'; an executive goes by initials)
    "person": re.compile(r"\b(?:[Mm]anager|[Dd]irector|team|[Oo]fficer|[Cc]oordinator|[Oo]wner|lead"
                         r"|head|[Cc]ontroller|[Aa]pprover|desk|C[EFTO]O|CISO|CIO|DPO)\b"),
    # 'Why ...?': a sentence that gives a reason, not a table row of the thing ('Where the stage is 3, ...').
    "reason": re.compile(r"\b(?:because|so that|since|in order to|to avoid|to prevent|as a result|the reason|due to"
                         r"|owing to|this is why|therefore)\b", re.I),
}


# Statements before the question ('I work in Porto.', 'I'm going to Lisbon for two nights:') are its context.
# (after 'HQ.' too, but not after 'U.S.', 'e.g.' or 'Dr.')
_STATEMENT_END = re.compile(r"(?:(?<=[a-zà-ÿ0-9]{2}[.!:])|(?<=[^A-Za-z][A-Z]{2}[.!:])|(?<=[a-z0-9][)\"”’][.!]))\s+"
                            r"(?=[\"'“‘(]?[A-Za-z])")


# Words that set places apart ('any country except Portugal'), and a region said with what lies outside it ('Europe
# outside the UK'): the places named after them are ruled out (_NEGATED), and make no pair of questions (_pairs).
_SETS_APART = r"(?:except|excluding|other than|apart from|besides|but not)"
_REGION_OUTSIDE_WORDS = r"\b(?-i:[A-Z])[a-z]+\s+outside\s+"

# 'a normal (non-senior) job': a word the question rules out names no row or sentence it wants.
# 'a non-senior role', 'a regular (not senior) engineer', 'as a developer, not a manager, ...', 'the alarm is going
# off and it's not the test'
_NEGATED = re.compile(r"\bnon[- ](?P<a>[a-z]{3,})|\(\s*(?:not|non)\s+(?:an?\s+)?(?P<b>[a-z]{3,}(?:\s+[a-z]{3,})?)\s*\)"
                      r"|,\s*not\s+(?:an?\s+)?(?P<c>[a-z]{3,})\s*(?:,|[?.!]?\s*$)"
                      # ('I'm not in a senior role', 'she isn't a senior grade')
                      r"|\b(?:not|n['’]t)\s+(?:in\s+)?(?:an?\s+)?(?P<r>[a-z]{3,})\s+(?:role|position|job|grade|level)\b"
                      r"|\b(?:it|this|that)(?:['’]s not| is not| isn['’]t)\s+(?:the|a|an|just the|just a)\s+"
                      # ('it isn't the usual weekly test time': not the weekly test)
                      r"(?:(?:usual|normal|regular|scheduled|planned|routine)\s+(?P<d2>[a-z]{3,}(?: [a-z]{3,})?)"
                      # ('it's not the Wednesday test, where ...': the test named by its day)
                      r"|(?P<d>[a-z]{3,}(?:\s+[a-z]{3,}(?=\s*(?:[,.;!?)]|$|\s+(?:and|but|so)\b)))?))\b"
                      r"(?!\s+(?:of|for|to|in|on|at)\b)"
                      # 'I'm fine, nothing serious': not the serious case
                      r"|\bnothing (?P<e>serious|major|bad|urgent|big|broken|damaged|lost|stolen)\b"
                      # 'a normal role, nothing senior.', 'nothing senior or specialist', 'not a senior role'
                      r"|\bnothing (?![a-z]*ed\b)(?P<g>[a-z]{4,}(?: (?:or|and) [a-z]{4,})?)(?=\s*(?:[,.;!?)]|$))"
                      # ('nothing senior in her contract')
                      r"|\bnothing (?![a-z]*ed\b)(?P<m>[a-z]{4,}(?: (?:or|and) [a-z]{4,})?) (?:in|about) (?:my|his|her"
                      r"|their|your|the) (?:contract|offer|role|job|letter)\b"
                      # ('(not a senior or specialist role)')
                      r"|\bnot (?:an? |very |too |that |so )?(?P<h>[a-z]{4,}(?: (?:or|and) (?:an? )?[a-z]{4,})?)"
                      r" (?:role|job|position|post|grade|one"
                      r"|level)\b"
                      r"|\b(?:(?:it'?s|it is|it was) not|(?:it )?(?:wasn'?t|isn'?t)) (?P<f>serious|major|urgent)\b"
                      # "(it's not one of the senior or highly technical roles)"
                      r"|\bnot (?:one of )?the (?P<i>[a-z]{4,}(?:\s+(?:and|or)\s+(?:highly\s+|very\s+)?[a-z]{4,})?)"
                      r" (?:roles|jobs|positions|posts|grades|ones)\b"
                      # 'a normal contract (nothing in it about a senior role)', 'my offer doesn't mention a senior
                      # grade': a kind of role the asker's papers never give them
                      r"|\b(?:nothing|no mention|says nothing|doesn['’]?t (?:say|mention)(?: anything)?"
                      r"|does not (?:say|mention)(?: anything)?)(?: in it| in there| in mine)?(?: (?:about|of))?"
                      # ('my contract doesn't say it's a senior or highly technical role')
                      r" (?:an? |being (?:an? )?|it being (?:an? )?|(?:that )?(?:it['’]s|it is|i['’]m|i am) (?:an? )?)?"
                      r"(?P<j>[a-z]{4,}(?: (?:or|and) (?:highly |very )?[a-z]{4,})?)"
                      r" (?:roles?|jobs?|positions?|posts?|grades?|levels?)\b"
                      # 'Europe outside the UK and Portugal', 'any country except Portugal': places set apart
                      rf"|(?:\b{_SETS_APART}\s+|{_REGION_OUTSIDE_WORDS})(?:the\s+)?(?P<k>(?-i:[A-Z])[A-Za-z]+)"
                      r"(?:,?\s+(?:and|or|nor)\s+(?:the\s+)?(?P<l>(?-i:[A-Z])[A-Za-z]+))?",
                      re.I)


# 'Am I right that it's open until 8pm like Leeds?' from Porto: the place compared with is not the one asked about.
_COMPARED_WITH = re.compile(r"\b(?:like|unlike|as in|same as)\s+(?:in\s+|at\s+|for\s+|the\s+)?([A-Z][a-z]{2,})\b"
                            r"(?=\s*(?:[?,.!;]|$|\s(?:is|does|do|has|staff|office)\b))")


def negated_terms(question: str) -> set[str]:
    """The stemmed words the question rules out ('senior' in 'a non-senior role', 'a regular (not senior) one'),
    and a place it compares with ('like Leeds', or one only its scene names: _places_compared)."""
    ruled_out = [g for m in _NEGATED.finditer(question) for g in m.groups() if g]
    ruled_out += [m.group("stage") for m in _STAGE_PASSED.finditer(question)]
    if _REGION_OUTSIDE.search(question):
        ruled_out.append("outside")  # 'Europe outside the UK' is in Europe: not the row 'Outside Europe'
    return content_terms(" ".join(ruled_out + _COMPARED_WITH.findall(question) + _places_compared(question)))


_REGION_OUTSIDE = re.compile(rf"{_REGION_OUTSIDE_WORDS}(?:the\s+)?(?-i:[A-Z])")
# 'Once the company's full pay for the first days runs out, how much ...?': a stage the asker is past, said in a
# leading clause (the row 'After that' answers, not 'Full pay'); not 'What happens when my probation ends?', which
# asks of it
_STAGE_PASSED = re.compile(r"(?:^|(?<=[.!?;:]\s))(?:once|after|when)\s+"
                           r"(?:the\s+|his\s+|her\s+|my\s+|their\s+|your\s+|our\s+)?(?:[a-z]+['’]s\s+)?"
                           r"(?P<stage>[a-z]{3,}(?:\s+[a-z]{3,})?)(?:\s+(?:for|of)\s+[^,.?;]{0,40}?)?"
                           r"\s+(?:runs? out|has run out|ran out|ends|has ended|is used up|are used up|is over"
                           r"|has finished|finishes|stops|has stopped|expires|has expired)\b(?=\s*,)", re.I)


_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _places_compared(question: str) -> list[str]:
    """The places the scene names when the question itself asks about another: 'A colleague in Leeds says carried
    days must be used by June. Is it the same for me in Porto?' asks about Porto; Leeds is what it is compared
    with."""
    scene, asked = scene_and_question(question)
    if not scene:
        return []
    if _HERE.search(asked):
        # 'I've lost my badge at the Porto office. In Leeds the first one is free; is it free here too?': here is
        # where the asker's own statements put them
        own = {p for piece in re.split(r"(?<=[.;!?])\s+", question) if _FIRST_PERSON.search(piece)
               for p in _places_in(piece)}
        if len(own) == 1:
            return [w for w in _places_in(question) if w not in own]
    asked_places = _places_in(_COMPARED_WITH.sub(" ", asked))  # (not 'like in Leeds', itself compared with)
    if not asked_places:
        return []
    return [w for w in _places_in(scene) if w not in asked_places]


_HERE = re.compile(r"\bhere\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i’m|i've|i’ve|my|we|we're|our)\b", re.I)


def _places_in(text: str) -> list[str]:
    """The capitalised place names of a text, in order."""
    return [w for w in _CAPITALISED.findall(text) if place_of((stem(w.lower()),))]


def split_context(question: str) -> tuple[str, str]:
    """(context statements, the question asked): ('I work in Porto.', 'How many leave days do I get?'). A statement
    after the question is context too: ('My calendar reminder just went off.', 'Do I still have to change ...?')."""
    question = _TAG_QUESTION.sub(". ", question.strip())
    after = _STATEMENT_AFTER.match(question) or _STATEMENT_TRAILING.match(question)
    if after:
        context, asked = split_context(after.group("question"))
        return f"{context} {after.group('statement')}".strip(), asked
    pieces = [p.strip() for p in _STATEMENT_END.split(question) if p.strip()]
    for i in range(len(pieces) - 1, 0, -1):
        if pieces[i].endswith("?") or _QUESTION_START.match(pieces[i]):
            if all(not p.endswith("?") for p in pieces[:i]):
                return _after_semicolon(" ".join(pieces[:i]), " ".join(pieces[i:]))
            break
    return _after_semicolon("", question)


# 'Porto folks get a meal allowance instead of a café, right? How much is it per day?': a statement checked with a
# tag before the question, not a question of its own (a tag that ends the text is the question asked)
_TAG_QUESTION = re.compile(r",\s*(?:right|yes|yeah|correct|no|innit|isn['’]t (?:it|that|there)"
                           r"|aren['’]t (?:they|there)|don['’]t (?:they|we|you|i)|doesn['’]t (?:it|he|she|that)"
                           r"|didn['’]t (?:it|they|we|i))\s*\?\s+(?=\S)", re.I)


def _after_semicolon(context: str, asked: str) -> tuple[str, str]:
    """'In Leeds the first replacement is free; is it free here too?': a statement, then after its semicolon the
    question; its statement goes with the context (not 'What's the cap for hotels; and for meals?')."""
    before, semicolon, after = asked.rpartition(";")
    if semicolon and before.strip() and not _QUESTION_START.match(before) and _QUESTION_START.match(after.strip()) \
            and "?" not in before:
        return f"{context} {before.strip()};".strip(), after.strip()
    return context, asked


# '... every 90 days? My calendar reminder just went off.': a question, then a statement that is no question.
# ('... a bit longer? for how long': a question's fragment, not a statement)
_STATEMENT_AFTER = re.compile(r"^(?P<question>.*\?)\s+(?P<statement>(?!(?:(?:for|by|until|till|from|to|in|at|on)\s+)?"
                              r"(?:what|how|when|where|who|which|why|is|are|do"
                              r"|does|did|can|could|should|must|will|would|may|and|or|also)\b)[^?]{3,})$", re.I | re.S)
# 'which laptop do engineers get as standard, I'm starting in the eng team next month': typed without a question
# mark, a question and then what the asker says of themselves
_STATEMENT_TRAILING = re.compile(r"^(?P<question>(?:what|whats|how|when|where|who|which|can|could|do|does|is|are"
                                 r"|should|will|would)\b[^?,;]{8,}?)\s*(?:,|;|\s[-–—])\s+"
                                 r"(?P<statement>(?:i'?m|i am|i['’]?ve|i have|i['’]?ll|i will|i need|i was|i work"
                                 r"|we['’]?re|we are|we have|need to|my|our)\b[^?]*)$", re.I | re.S)


# 'Planning a trip to Singapore, who signs it off?', 'If I claim on the insurance - what is the excess?': a clause
# before the question words sets the scene as a statement before the question does.
# ('I need to pay a supplier this afternoon, so what's the most I can put through?': 'so' joins the question on)
_LEADING_CLAUSE = re.compile(r"^(?P<scene>[^?]+?)(?:,|\s[-–—]|:)\s+(?:so\s+)?(?=(?:what|whats|how|hows|when|where"
                             r"|wheres|who|whos|which|can|could"
                             r"|do|does|did|is|are|am|was|were|have|has|may|might|should|must|will|would)\b)", re.I)


_WHEN_SCENE = re.compile(r"^(?:when|whenever|once)\s+(?!(?:do|does|did|is|are|was|were|can|could|will|would|should"
                         r"|must|may|might|has|have|had|shall)\b)\w+\s+\w+", re.I)


def scene_and_question(question: str) -> tuple[str, str]:
    """(what the asker says of their situation, the words that ask): split_context, and a leading clause of the
    question ('Planning a trip to Singapore, ...') counted with the statements."""
    context, asked = split_context(question)
    clause = _LEADING_CLAUSE.match(asked)
    # ('When the alarm rings, where do we go?': a 'when' that sets the scene, as 'if' does; not 'When is ...?')
    # ("some kind of company code - what is it?": the clause names what the bare question asks, and stays asked)
    if clause and (not _QUESTION_START.match(asked) or _WHEN_SCENE.match(clause.group("scene"))) \
            and not _BARE_WHAT.match(asked[clause.end():]):
        context = f"{context} {clause.group('scene')}".strip()
        asked = asked[clause.end():]
    elif not _QUESTION_START.match(asked) and (relayed := _RELAYED.search(asked)) \
            and len(who := re.sub(r"(?:[\s,]+(?:and|but|so))?[\s,]*$", "", asked[:relayed.start()]).split()) >= 2:
        # 'Someone in finance is checking an old claim and wants to know what the hotel cap was': the question is
        # the one relayed; who wants it, and why, is the scene
        context = f"{context} {' '.join(who)}".strip()
        asked = asked[relayed.start('question'):]
    elif _WHAT_TO_TELL.match(asked) and (relayed := _RELAYED.search(context)):
        # 'My new starter asked how long their password has to be. What should I tell them?': what to tell them is
        # the answer to the question they asked
        context, asked = (re.sub(r"(?:[\s,]+(?:and|but|so))?[\s,]*$", "", context[:relayed.start()]),
                          context[relayed.start("question"):])
    return context, asked


# 'What should I tell them?', 'What do I say to her?': a bare question after a question relayed for someone
_WHAT_TO_TELL = re.compile(r"^\s*(?:(?:so|and|ok(?:ay)?),?\s+)?(?:what|how)\s+(?:should|do|can|shall|would|must)\s+"
                           r"(?:i|we)\s+(?:tell|say to|answer|reply to|respond to)\s+(?:them|him|her|my\s+\w+)"
                           r"(?:\s+\w+)?\s*\??\s*$", re.I)


def relayed_in(statement: str) -> str:
    """The question relayed inside a statement ('My new starter wants to know how much the company puts into his
    pension.'), which a later bare question may follow ('What is the employer contribution?'), or ''."""
    relayed = _RELAYED.search(statement)
    return statement[relayed.start("question"):] if relayed else ""


# A question asked as a request: 'Tell me the rate ...', 'I need the excess ...', 'Looking for the price of ...'
REQUEST_OPENER = (r"(?:(?:please\s+)?(?:tell|give|send|find) me|remind me(?: of)?|i need|i'?d like"
                  r"|(?:i'?m )?looking for)")


# 'what is it?', "what's that?": a question that names nothing of its own
_BARE_WHAT = re.compile(r"^\s*what(?:['’]s| is| are)\s+(?:it|that|this|they|those)\s*\??\s*$", re.I)


# A question relayed for someone: '... wants to know what ...', '... is asking how long ...', '... asked whether ...'
_RELAYING = r"wants|want|would like|needs|need|is asking|are asking|'s asking|’s asking|asks|asked"
_RELAYED = re.compile(rf"\b(?:{_RELAYING}|is wondering|wonders|wondering)\s+(?:me\s+|us\s+)?"
                      r"(?:to know\s+|to check\s+)?(?P<question>(?:what|how|when|where|who|which|whether|if)\b)", re.I)


# ... a thing relayed by its name, then a question: '... wants to know our policy number and who to ring'
_RELAYED_THING = re.compile(rf"\b(?:{_RELAYING})\s+(?:me\s+|us\s+)?to know\s+"
                            r"(?P<thing>(?:our|the|their|his|her|your|my)\s+[^,?]{3,60}?)\s*,?\s+and\s+"
                            r"(?P<rest>(?:what|how|when|where|who|which|whether|if)\b[^?]*\??)\s*$", re.I)


# 'How many custodians must be present? Where is it kept?' (a follow-up carried with the question it follows):
# the last question is the one asked.
_LAST_QUESTION = re.compile(r"(?<=\?)\s+(?=[A-Za-z])")


def split_questions(text: str) -> list[str]:
    """'and in Porto? also where do we gather?' -> ['and in Porto?', 'also where do we gather?']."""
    return _LAST_QUESTION.split(text.strip())


def _last_asked(question: str) -> str:
    """The question asked, without its context statements; of several questions, the last (read without the filler
    adverbs that only stress it: 'What does he actually need to do?' asks for steps)."""
    return _FILLER.sub("", split_questions(scene_and_question(question)[1])[-1])


_FILLER = re.compile(r"\b(?:actually|really|basically|honestly|exactly|even)\s+(?=[a-z])", re.I)


# "It's 20 February. Can I still buy extra days?": whether it is too late, given the day the asker is at; the
# window or deadline answers it ('from 1 to 31 January'), not the rule that one may buy days
_TODAY_IS = re.compile(rf"\b(?:it['’]?s|it is|today is|today['’]?s)\s+(?:now\s+|already\s+)?(?:the\s+)?"
                       rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}\b)", re.I)
_STILL_IN_TIME = re.compile(r"^(?:can|could|may|am|is|are|do|does)\b[^?]*\bstill\b|\btoo late\b|\bin time\b", re.I)


def asks_if_in_time(question: str) -> bool:
    return bool(_TODAY_IS.search(question) and _STILL_IN_TIME.search(_last_asked(question)))


def question_kind(question: str) -> str:
    """One of KINDS: what the question asks for (read from the question itself, not its context statements; of
    several questions, from the last)."""
    if asks_if_in_time(question):
        return "date"
    asked = _last_asked(question)
    for kind, pattern in _PATTERNS:
        if pattern.search(asked):
            return "number" if kind == "contact" and number_keyed_in(question, asked) else kind
    # 'per diem for a trip to the US', 'porto lost badge cost': typed as into a search box, a noun phrase with no
    # question word asks for what its head noun names
    if is_search_query(asked):
        for kind, pattern in _SEARCH_KINDS:
            if pattern.search(asked):
                return kind
    return "other"


def is_search_query(asked: str) -> bool:
    """Is the question typed as into a search box: no question word, no verb, nobody asking ('trindade parking
    monthly pass price')?"""
    return not _QUESTION_START.match(asked) and not _VERB_OR_ASKER.search(asked)


# (words that make a sentence of a phrase: a verb, or the asker as its subject)
_VERB_OR_ASKER = re.compile(r"\b(?:i|i'm|im|we|you|my|our|is|are|was|were|do|does|did|can|could|should|must|will|would"
                            r"|have|has|need|needs|get|gets|want)\b", re.I)
_SEARCH_KINDS: list[tuple[str, re.Pattern]] = [
    ("contact", re.compile(r"\b(?:phone|telephone|hotline|helpline|extension|contact|email address)\b", re.I)),
    ("date", re.compile(r"\b(?:deadline|cut-?off|due date|closing date)\b", re.I)),
    ("number", re.compile(r"\b(?:rates?|per diem|allowance|limits?|caps?|costs?|price|fees?|budget|salary|amount"
                          r"|mileage|excess|percentage|discount)\b", re.I)),
    ("steps", re.compile(r"\b(?:steps|procedure|process|how to)\b", re.I)),  # ('what to do' has a verb: _PATTERNS')
]


def has_shape(kind: str, sentence: str) -> bool:
    """Does the sentence hold the kind of thing asked for (a figure for 'how many', a time for 'when')?"""
    if kind == "place":  # 'on Canal Lane, at the back', not 'booked with the post room'
        return bool(_LOCATION.search(sentence))
    shape = _SHAPES.get(kind)
    return bool(shape and shape.search(sentence))


_UNIT = r"(?:working |calendar |business |extra |more |additional |further |full |whole )?" \
        r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|years?)"
# 'How long do I have to claim it?': '60 days', 'until 20:00'; not 'reduce it by 20%'.
_HOW_LONG = re.compile(r"\bhow long\b", re.I)
# 'how long her password has to be': the length of something written, counted in characters, digits or words
_TEXT_THING = r"(?:password|passphrase|passcode|pin|code|username|user name|name|message|description|reference|word)s?"
_ASKS_TEXT_LENGTH = re.compile(rf"\bhow long\b(?:(?!\bhow\b)[^.?!]){{0,40}}?\b{_TEXT_THING}\b[^.?!]{{0,25}}?"
                               r"\b(?:be|is|are)\b(?=\s*(?:[?.!,;]|$))"
                               rf"|\b(?:length|how many characters) of (?:\w+ ){{0,2}}?{_TEXT_THING}\b", re.I)
_TEXT_LENGTH = re.compile(r"\b\d+\s*(?:characters?|chars?|letters?|digits?|words?|numbers?)\b", re.I)
_DURATION = re.compile(rf"\b(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
                       rf"|thirty|forty|sixty|ninety|a|an|half an?)[- ](?:{_UNIT}|characters?|digits?|metres?|meters?"
                       rf"|miles?|km|kilometres?|words?|pages?)\b|\b\d{{1,2}}[:.]\d{{2}}\b|\b\d{{1,2}} {_MONTH}\b"
                       rf"|\b{_MONTH} \d"
                       rf"|\b(?:same|next) (?:working )?day\b|\bend of\b", re.I)
_VALUES: dict[str, re.Pattern] = {
    "number": _NUMBER,
    "date": re.compile(rf"\b\d{{1,2}}[:.]\d{{2}}\b|\b{_MONTH}\b|\b(?:monday|tuesday|wednesday|thursday|friday"
                       rf"|saturday|sunday|weekday|weekend|today|tomorrow|daily|weekly|monthly|yearly|annually)s?\b"
                       rf"|\b(?:19|20)\d\d\b|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a|an)"
                       rf"[- ]{_UNIT}\b|\b(?:start|end) of (?:the )?(?:day|week|month|quarter|year)\b"
                       # (a time said by the one it follows: 'paid with the following month's payroll')
                       rf"|\b(?:following|next|same|coming)\s+(?:working\s+)?(?:day|week|month|quarter|year)\b"
                       # ('paid on the last working day of each month', 'on the 25th of each month')
                       rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th)|first|second|third|last) (?:working |business |calendar )?day"
                       rf" of\b|\b(?:on|by|from|until) the \d{{1,2}}(?:st|nd|rd|th)\b", re.I),
}


_HONORIFIC = re.compile(r"\b(?:General|Gen\.|Admiral|Colonel|Captain|President|Prime Minister|Minister|Secretary"
                        r"|Senator|Governor|Mayor|Ambassador|Judge|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Professor|Prof\.|Sir|Dame"
                        r"|King|Queen|Pope|Chief)\s+[A-Z]")
_BY_NAME = re.compile(r"\b(?:by|from|to|with|contact|ask|call|email|is|are|was|were)\s+(?:the\s+)?([A-Z][\w'’&.-]*"
                      r"(?:\s+[A-Z][\w'’&.-]*)*)")
_NAME_RUN = re.compile(r"(?<=[a-z,;:(] )([A-Z][a-z][\w'’-]*(?:\s+[A-Z][\w'’.-]*)+)")
# the emergency services' short numbers ('999 in the UK, 112 in Portugal'): a number to ring, for all its length
_EMERGENCY_NUMBER = r"\b(?:999|112|911)\b(?![.,:]?\d)"
_CONTACT_VALUE = re.compile(r"\bext\.? ?\d|\+\d[\d ()-]{6,}|\b\d{3,}[ -]?\d{3,}\b|[\w.+-]+@[\w-]+\.[\w.]+|#[a-z][\w-]+"
                            r"|\bhttps?://|\b(?:help ?desk|hotline|service ?desk)\b"
                            r"|\b(?:24-hour|duty|emergency|help|phone|telephone|out-of-hours) (?:line|number)\b"
                            r"|" + _EMERGENCY_NUMBER, re.I)


# 'Who do I need to tell?', 'who should we notify?': answered by whom to tell as well as how to reach them.
_TELL_WHOM = re.compile(r"\bwho (?:do|should|must|can|would) (?:i|we|he|she|they) (?:have to |need to |got to )?"
                        r"(?:tell|notify|inform|report (?:it |this |that )?to|let know)\b", re.I)
def asks_whom_to_tell(question: str) -> bool:
    """'Who do I need to let know?', 'who should we notify?': whom to tell, not who someone is."""
    return bool(_TELL_WHOM.search(question))


_ROLE_TO_TELL = re.compile(r"\b(?:manager|supervisor|team|hr|reception|security|coordinator|director|finance"
                           r"|help ?desk|warden|officer|team lead|people team)\b", re.I)


@lru_cache(maxsize=1024)
def _asked_words(question: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z][\w'’-]*", question))


def names_someone(sentence: str, question: str) -> bool:
    """A person or organisation the question does not already name ('underwritten by Calder Mutual')."""
    asked = _asked_words(question)  # the same question is checked against every candidate sentence
    # 'the United States', 'the Shangri-La Dialogue': a name after 'the' is a country, body or event, not who
    # ... and a name made an adjective ('Trump-specific disdain', 'China-related') names nobody
    found = [m.group(1) for m in (*_BY_NAME.finditer(sentence), *_NAME_RUN.finditer(sentence))
             if not re.search(r"\bthe\s+$", sentence[max(0, m.start(1) - 4):m.start(1)], re.I)
             and not re.match(r"[A-Z][\w.'’]*-[a-z]", m.group(1))]
    return bool(_HONORIFIC.search(sentence)) or any(
        any(re.sub(r"['’]s$", "", w.lower()) not in asked for w in re.findall(r"[A-Za-z][\w'’-]*", name))
        for name in found)  # ("South Korea's" is named by a question about South Korea)


# 'Until when / by when / what date' asks for a point in time; a duration ('20 days') does not answer it.
# ('By when do I reconcile my card?' asks for a day: 'appears within a day or two' says how long something takes)
_BY_WHEN = r"\b(?:until|till|by) when\b|\bwhen\b[^?.!]*\bby\s*\?"  # 'By when ...?', 'When do I use them by?'
_ASKS_BY_WHEN = re.compile(rf"{_BY_WHEN}|\bdeadline\b", re.I)
_ASKS_DEADLINE = re.compile(r"\bdeadline\b", re.I)
_YEAR_IT_HAPPENED = re.compile(r"\b(?:in|since|from|during|after|of) (?:19|20)\d\d\b", re.I)
# 'What time ...?', 'by what time ...?': a time of day, not a day ('New starters join on a Monday')
_ASKS_CLOCK = re.compile(r"\b(?:what|which) time\b"
                         r"(?!\s+(?:of (?:year|month|the year|the month)|zone|frame|period|off)\b)|\bwhat hour\b", re.I)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)|\b(?:noon|midday|midnight"
                    r"|o['’]clock)\b|\b(?:start|end|close) of (?:the )?(?:working )?day\b"
                    r"|\b(?:morning|afternoon|evening|lunchtime)\b", re.I)
_ASKS_CALENDAR = re.compile(rf"{_BY_WHEN}|\bwhat (?:date|day)\b"
                            r"|\bwhich (?:date|day|month)\b"
                            r"|\bdeadline\b"
                            # 'when does the holiday year reset?': a period's bounds are days of the calendar
                            r"|\bwhen (?:does|do|did|will) (?:the |my |our |a |each )?(?:[\w'’-]+ ){0,3}?(?:year|period"
                            r"|cycle|window|term|quarter|season|round)s? (?:start|begin|reset|restart|renew|roll over"
                            r"|end|finish|close|open|run)s?\b", re.I)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# A month, a year or a day of a month ('March', '2026', '3 May'): what names a day rather than a time of day.
_DATE_PARTS = rf"\b{_MONTH}\b|\b(?:19|20)\d\d\b|\b\d{{1,2}}(?:st|nd|rd|th)?\b(?= (?:of )?{_MONTH})"
_CALENDAR = re.compile(rf"\b\d{{1,2}}[:.]\d{{2}}\b|\b(?:{_WEEKDAYS}|weekday|today|tomorrow)s?\b|{_DATE_PARTS}"
                       rf"|\b(?:start|end) of (?:the )?(?:day|week|month|quarter|year)\b"
                       # 'by the 5th working day of the following month', 'on the last day of the month'
                       rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th)|first|second|third|last) (?:working |business |calendar )?day"
                       rf" of\b", re.I)
_DAY = re.compile(rf"\b(?:{_WEEKDAYS})\b|{_DATE_PARTS}", re.I)
# A deadline counted from an event: 'within 24 hours', '60 days after the trip', 'at least 14 days before travel'.
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_RELATIVE_DEADLINE = re.compile(rf"\bwithin (?:{_COUNT}|a|an)[- ]{_UNIT}\b"
                                rf"|\b{_COUNT}[- ]{_UNIT} (?:of|after|before|from)\b", re.I)
# ... the count said with the event it runs from ('within 60 days of the date you spent the money')
# 'a long one, like 8 hours to Toronto': what gives an example of the asker's case (its names are the example's)
EXAMPLE_INTRO = r"\b(?:like|such as|e\.g\.|for example|for instance)\b"
_HOW_SOON = re.compile(r"\bhow soon\b", re.I)
_AFTER_A_WHILE = re.compile(rf"\b(?:after|once (?=you|they|he|she|we|i|the|your)|within|from|until)\b[^.;]{{0,40}}?"
                            rf"\b(?:{_COUNT}|a|an)[- ]{_UNIT}\b"
                            rf"|\b{_COUNT}[- ]{_UNIT} (?:of|after|from|in)\b|\bstraight away\b|\bimmediately\b"
                            r"|\bfrom (?:your|their|the) first day\b", re.I)
_COUNTED_FROM_EVENT = re.compile(rf"\b{_COUNT}[- ]{_UNIT} (?:of|after|before|from)\b", re.I)


def names_a_day(text: str) -> bool:
    """A weekday, month, year or calendar date ('Monday', 'in March', '2026', '3 May'), not a time of day."""
    return bool(_DAY.search(text))


_ADDRESS = re.compile(r"\b\d+[A-Za-z]?,? (?:[A-Z][\w'’-]+ )+(?:Street|St|Road|Rd|Lane|Avenue|Ave|Square|Way|Place|Park"
                      r"|Row|Quay|Wharf)\b|\b(?:Rua|Avenida|Praça|Largo|Travessa|Calle|Via|Rue) [^,.;]{2,40}\d+", re.I)
# Where something is: a named place after a preposition of place ('on Canal Lane', 'in PeopleHub'), a part of a
# building there ('in the basement', 'at ground-floor reception'), a floor or a room's number, or a relative spot.
_LOCATION = re.compile(r"\b(?:in|on|at|to|into|via|from|under|inside|outside|behind|beside)\s+(?:the\s+)?[A-Z][\w'’-]+"
                       r"|\b(?:in|on|at|to|into|from|by|behind|beside|outside|inside|near)\s+(?:the\s+|a\s+|an\s+|your"
                       r"\s+|each\s+|every\s+)?(?:[\w-]+\s+){0,2}(?:floor|basement|car park|courtyard|kitchen|reception"
                       r"|lobby|entrance|bay|garage|lockers?|cabinet|room|building|office|desk|lab|store|cupboard|shelf"
                       r"|pigeonholes?|drive|folder|site|vault|racks?|landing|stairs?|corridor|door|gate|channel|inbox|mailbox)\b"
                       # ('about 300 metres away': how far, from where it is)
                       r"|\b\d+\s*(?:metres|meters|m|km|miles|yards)\s+(?:away|from)\b"
                       # ('in the #field-checkin Murmur channel': where a message goes)
                       r"|\b(?:in|on|to|into|via)\s+(?:the\s+)?#[a-z][\w-]+"
                       r"|\b(?:floor|room|level|desk|bay|gate|door|locker)\s+[A-Z]?\d|\b[A-Z]?\d+\.\d+\b"
                       r"|\b(?:ground|first|second|third|fourth|fifth|top|basement)[- ]floor\b"
                       r"|\b(?:at the (?:back|front|side|rear)|next to|opposite|around the corner|upstairs"
                       r"|downstairs)\b"
                       + "|" + _ADDRESS.pattern)
# ('how many holiday days', 'the maximum number of unused days': the unit counted after a word or two)
_HOW_MANY = re.compile(r"\b(?:how many|number of) (?:[a-z-]+ ){0,2}?(days|weeks|months|years|hours|minutes|nights"
                       r"|people|sessions|times|spaces|seats|approvals|reviewers|custodians|rounds|stages|characters"
                       r"|lines)\b", re.I)


# 'How many members sit on the board?' is not answered by a phone number or opening hours: figures that count nothing.
_NOT_COUNTS = re.compile(r"\+?\d[\d ()-]{6,}\d|\b\d{1,2}[:.]\d{2}\b|\bext(?:ension)?\.? ?\d+"
                         # nor a date ('by 30 June', 'in 2026'): 'How many can I carry over?' is not answered by one
                         rf"|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}\b|\b{_MONTH} \d{{1,2}}\b"
                         r"|\b(?:19|20)\d\d\b", re.I)
# ('how much holiday/leave': a count of days too; '30 April' does not say it)
_ASKS_COUNT = re.compile(r"\bhow many\b"
                         r"|\bhow much (?:annual |paid |more |extra )?(?:holiday|leave|time off|vacation)\b", re.I)


def _counts(sentence: str) -> bool:
    """Does the sentence hold a figure that counts something (not a phone number, extension or clock time)?"""
    return bool(_NUMBER.search(_NOT_COUNTS.sub(" ", sentence)))


_ONE_OF_UNIT = r"(?:extra|additional|further|full|whole|half|single|working|calendar|business|paid|unpaid|spare)"


def asks_count_of_unit(question: str) -> bool:
    """Does a 'number' question (question_kind) ask how many of a unit ('how many holiday days', 'the maximum number
    of days'), not how often or how long?"""
    return bool(_HOW_MANY.search(question)) and not _ASKS_FREQUENCY.search(question) \
        and not _HOW_LONG.search(question)


# 'after how long ...?', 'how long can I be off before ...?': the point something starts, which a sentence may give
# as an ordinal day ('From the 8th calendar day: a fit note')
_AFTER_HOW_LONG = re.compile(r"\bafter how long\b|\bhow long\b[^?]*\bbefore\b", re.I)
_ORDINAL_POINT = re.compile(r"\b(?:from|after|on|by|beyond) (?:the )?\d+(?:st|nd|rd|th) (?:[\w-]+ )?"
                            r"(?:day|week|month)s?\b"
                            r"|\bfrom (?:day|week|month) \d+\b", re.I)


def has_value(kind: str, sentence: str, question: str = "") -> bool:
    """A figure for 'how many', a date or time for 'when', a name or role for 'who', a number or address for
    'who do I call' (stricter than has_shape: a value, not a topic word)."""
    if kind == "person":
        return bool(_SHAPES["person"].search(sentence)) or names_someone(sentence, question)
    if kind == "contact":
        # 'Who do I tell?': a person to tell ('Call your line manager'), as well as a number or address
        return bool(_CONTACT_VALUE.search(sentence)) or bool(_TELL_WHOM.search(question)
                                                            and _ROLE_TO_TELL.search(sentence))
    if kind == "date" and _HOW_SOON.search(question):
        # 'How soon can she start using it?': a time counted from when she starts ('once you have completed 6 months
        # of service'), not a day of the year ('by 15 April')
        return bool(_AFTER_A_WHILE.search(sentence))
    if kind == "date" and _ASKS_CLOCK.search(question):  # 'What time should starters arrive?': a time of day
        return bool(_CLOCK.search(sentence))
    if kind == "date" and (_ASKS_CALENDAR.search(question) or asks_if_in_time(question)):
        # a day, or for a deadline one counted from an event
        if _ASKS_BY_WHEN.search(question):
            # ('By when must I use them?': not 'the limits changed in 2026', the year something happened)
            sentence = _YEAR_IT_HAPPENED.sub(" ", sentence)
        # ('By when do I submit the claim?': 'within 60 days of the date you spent the money' is its deadline, a
        # time counted from an event; not 'appears within a day or two', how long something takes)
        return bool(_CALENDAR.search(sentence)) or bool(
            _ASKS_DEADLINE.search(question) and _RELATIVE_DEADLINE.search(sentence)) or bool(
            _ASKS_BY_WHEN.search(question) and _COUNTED_FROM_EVENT.search(sentence))
    if kind == "place" and re.search(r"\baddress\b", question, re.I):  # a street address, not a topic word
        return bool(_ADDRESS.search(sentence))
    if kind == "number" and _ASKS_FREQUENCY.search(question):  # 'how often': 'every second Tuesday', 'weekly'
        # ... or the period after which it comes round again ('replaced after 3 years'); not any figure ('If you
        # miss a check-in by 30 minutes' says how late, not how often)
        return bool(_FREQUENCY.search(sentence) or _PERIOD.search(sentence))
    if kind == "number" and _ASKS_TEXT_LENGTH.search(question):  # 'how long must my password be?': its length
        return bool(_TEXT_LENGTH.search(sentence))
    if kind == "number" and _HOW_LONG.search(question):  # a length of time or size, or when it ends
        # ('a catch-up every two weeks' says how often, not how long)
        # ('needed after how long?': the point it starts, 'From the 8th calendar day')
        return bool(_DURATION.search(_EVERY.sub(" ", sentence))) or bool(
            _AFTER_HOW_LONG.search(question) and _ORDINAL_POINT.search(sentence))
    counted = _HOW_MANY.search(question) if kind == "number" else None
    if counted:  # 'how many days': a count of days ('8 days', 'up to 5 extra days'), not a date ('30 April')
        unit = re.escape(counted.group(1).lower().rstrip("s"))
        # ('a company day off' names a day, it counts none; 'an extra day', 'a full day' count one)
        return bool(re.search(rf"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty"
                              rf"|thirty))[\d.,]*\s+(?:[\w-]+\s+)?{unit}s?\b|\b(?:a|an)\s+(?:{_ONE_OF_UNIT}\s+)?{unit}\b",
                              sentence, re.I))
    if kind == "number" and _ASKS_COUNT.search(question):
        return _counts(sentence)
    value = _VALUES.get(kind)
    return bool(value.search(sentence)) if value else True


# Questions that ask for a value of one type: an amount of money, a percentage, a phone number. A sentence without a
# value of that type does not answer them, however close its topic ('How much is the meal allowance in Porto?' is
# not answered by 'Porto staff receive a meal allowance with their salary').
_ASKS_PERCENT = re.compile(r"\bwhat (?:%|percent(?:age)?|share of|proportion of|fraction of)"
                           r"|\bhow (?:many|much) percent"
                           r"|\bwhat (?:is |'s )?the (?:percentage|share of|proportion of)\b", re.I)
_ASKS_PHONE = re.compile(r"\b(?:phone|telephone|mobile|hotline|helpline|after[- ]hours|out[- ]of[- ]hours|emergency"
                         r"|24[- ]hour|24/7|contact|direct|assistance|support|help ?desk|service ?desk)"
                         r"(?: (?:assistance|support|contact|help|phone))? number\b|\bwhat number\b"
                         r"|\bnumber (?:to|should i|do i|can i) (?:call|ring|phone|dial)\b"
                         # ('what phone I call if I get sick?': a number to call, in a learner's words)
                         r"|\bwhat phone (?:(?:do|should|can|must) )?(?:i|we) (?:call|ring|dial)\b"
                         # ('Is there anyone there I can ring at this hour?': someone reached by a number)
                         r"|\b(?:anyone|anybody|someone|somebody)(?: \w+){0,2} (?:i|we) (?:can|could)"
                         r" (?:ring|phone|call)\b"
                         # "what's the skyroute number if my flight is cancelled?": a name's number is one to ring
                         # ('the policy number', 'the room number', 'the number of days' are none)
                         r"|\bwhat(?:'s|’s| is) (?:the |our |their )?(?!(?:policy|account|reference|booking|version"
                         r"|room|flight|badge|employee|staff|tax|order|ticket|case|serial|asset|seat|bus|platform|gate"
                         r"|floor|desk|card|project|invoice|vat|nif|niss|ni|pin|cost|tracking|registration|licen[cs]e"
                         r"|passport|id|model|part|release|build|page|total|right|exact|minimum|maximum|max|min)\b)"
                         r"[\w'’-]+ number\b(?! of\b)", re.I)
_MONEY_NOUNS = r"(?:cost|price|fee|fees|salary|budget|per diem|allowance|allowances|reimbursement|contribution|bonus" \
               r"|refund|payment|charge|mileage rate|hourly rate|daily rate|weekly rate|monthly rate|day rate|excess" \
               r"|deposit)"
_ASKS_MONEY = re.compile(
    # 'What is the amount charged for such a repair?', 'from what amount must I attach a receipt?'
    r"\bwhat(?:'s|’s| is| was| will be) the (?:amount|sum) (?:charged|billed|paid|payable|invoiced)\b"
    # 'What amount per person may each department spend on its team lunch?'
    r"|\bwhat (?:amount|sum)\b[^?]*?\b(?:spend|spent|claim|pay|paid|cost|charge|charged|get back|reimburs\w*)\b"
    # 'What would I be charged if I lost it again?' (or in a wrapped question's order, 'what I would be charged')
    r"|\bwhat (?:(?:would|will|do|does|did|might|could) (?:i|we|you|they|he|she)|(?:i|we|you|they|he|she)"
    r" (?:would|will|might|could)) (?:have to )?(?:be )?(?:charged|billed|pay|owe)\b"
    r"|\b(?:from|above|over|under|below|up to) (?:what|which|how much of an?) (?:amount|sum|value|spend)\b"
    r"|\bhow much (?:money\b|(?:(?:exactly|roughly|approximately|actually) )?(?:(?:more|extra|less) )?"
    r"(?:does|do|did|am|is|are|will|would|can|could|should|may|might)\b"
    r"[^?,.]*?"
    r"\b(?:cost|costs|pay|paid|charge|charged|billed|invoiced|claim|spend|spent|reimburse\w*|expense|put|contribute"
    r"|give|refund\w*|lend|borrow"
    r"|worth|earn|get back)\b)"
    # ('how much I pay if I lose my card?', 'how much it costs': the order of a question said without its verb first)
    r"|\bhow much (?:i|we|you|they|he|she|it) (?:[\w'’]+ ){0,2}?(?:cost|costs|pay|paid|charge|charged|spend|claim"
    r"|get back)\b"
    rf"|\bhow much (?:is|are|was|were) (?:the |a |an |my |our )?(?:[\w'’-]+ ){{0,3}}{_MONEY_NOUNS}\b"
    rf"|\bwhat(?:'s|’s| is| are| was)? (?:the |our |my )?(?:[\w'’-]+ ){{0,3}}{_MONEY_NOUNS}\b"
    # 'Is there a charge for using the chargers?': whether it costs, said by a sum or 'free'
    r"|\bis there (?:a|any) (?:charge|fee|cost)\b"
    # 'what's the limit in euros?': a sum in a currency
    r"|\bin (?:euros?|pounds?|sterling|dollars?|gbp|eur|usd)\b"
    # 'How high can a temporary limit increase on my card go?': a spending limit's height is a sum
    r"|\bhow (?:high|big|large)\s+(?:can|could|will|would|does|do|is|are|may|might)\s+(?:the |a |an |my |our )?"
    r"(?:[\w'’-]+ ){0,3}(?:limits?|allowances?|budgets?|caps?|increases?|credit|spend|spending)\b"
    # 'What's the maximum we can spend per person?': a sum's ceiling
    r"|\bwhat(?:'s|’s| is) the (?:maximum|max|most|limit|budget|cap)\b[^?]*?\b(?:spend|spent|pay|claim|charge"
    # ('What's the maximum he can borrow?': a loan's ceiling; 'what's the most his hotel can cost per night?')
    r"|borrow|borrowed|lend|lent|cost|costs)\b", re.I)
# 'will I have to pay for a new one?', 'will they charge me?': whether it costs, said by a sum, 'free' or by who pays
# ('Fernhill reimburses travel vaccinations')
_ASKS_WHETHER_PAID = re.compile(r"\b(?:will|would|do|does|did|am|is|are)\s+(?:i|we|you|they|he|she|it)\s+"
                                r"(?:have to |need to |going to |gonna |be |get |getting )*"
                                r"(?:pay|charge|charged|cost)\b",
                                re.I)
_PAID_BY_SOMEONE = re.compile(r"\b(?:reimburs\w*|refund(?:s|ed)?|pays? for|paid for|covers|covered|funded"
                              r"|at no cost)\b", re.I)
# A sum of money ('£25', 'NOK 900', '45p'), and words that state a price without one ('free', 'no charge').
_SUM = r"[£€$¥]|(?-i:\b[A-Z]{3} ?\d|\d ?[A-Z]{3}\b)|\d\s?(?:p|pence|euros?|pounds?|dollars?|cents?)\b"
_NO_PRICE = r"(?<!-)free|free of charge|no charge|no cost|nothing"  # (not 'interest-free': that is no price)
_SHARE = r"%|\bper ?cent\b"
# An amount: a sum, a share ('3.2%'), or words that state one ('not covered', 'in full').
_MONEY = re.compile(rf"{_SUM}|{_SHARE}|\b(?:{_NO_PRICE}|no limit|in full|full (?:pay|salary|cost)|at cost|unpaid"
                    r"|not covered|not paid|not reimbursed|not refunded|not claimable)\b", re.I)
# ... and whether the asker pays (typed_value 'payer'): a sum, or who pays ('Fernhill reimburses ...')
_PAID_OR_PAYER = re.compile(f"{_MONEY.pattern}|{_PAID_BY_SOMEONE.pattern}", re.I)
_PERCENT = re.compile(_SHARE, re.I)
# 'What does a monthly pass cost?': a price is a sum, not a share ('a 20% discount' does not say it).
_ASKS_PRICE = re.compile(r"\b(?:what|how much)\s+(?:does|do|did|will|would)\b[^?]*\b(?:cost|costs|charge)\b"
                         r"|\bhow many (?:euros?|pounds?|dollars?|quid)\b"  # ('How many euros a month will it cost?')
                         # 'How much cost the lunch?', 'is it free or how much it cost me?'
                         r"|\bhow much (?:(?:does|do|will|would) )?(?:it |that |this )?(?:cost|costs)\b"
                         # 'How much is the monthly pass?', '... the season ticket loan?': a thing bought or lent
                         r"|\bhow much (?:is|are|does|do) (?:the |a |an |my |our )?(?:[\w'’-]+ ){0,3}"
                         r"(?:pass|passes|ticket|tickets|membership|subscription|loan|deposit|excess)\b"
                         # 'how much a monthly pass at the car park actually costs'
                         r"|\bhow much (?:a|an|the|my|our) (?:[\w'’-]+ ){0,9}?(?:actually |really )?costs?\b"
                         r"|\bwhat(?:'s|’s| is) the (?:most|max\w*|largest|limit)(?: amount)? (?:i|we|you) can"
                         r" (?:borrow|lend)\b"
                         r"|\bhow much (?:can|could|may) (?:i|we|you) borrow\b"
                         # 'how much I pay to charge my car', 'how much do we pay for parking'
                         r"|\bhow much (?:(?:do|does|will|would) )?(?:i|we|you|they|staff) (?:have to |need to )?pay"
                         r" (?:to|for)\b"
                         r"|\bwhat(?:'s|’s| is| are| was)? the (?:price|cost)\b", re.I)
_PRICE = re.compile(rf"{_SUM}|\b(?:{_NO_PRICE})\b", re.I)
# (not a reference's digits: 'FH-TRV-2026-0412' is a policy number, not one to call)
_PHONE = re.compile(r"(?<![\w-])\+?\d[\d ()-]{5,}\d(?![\w-])|\bext(?:ension)?\.? ?\d+|" + _EMERGENCY_NUMBER, re.I)
# 'How much OneDrive storage do I get?', 'How big can an attachment be?': a size in bytes answers ('1 TB'), or words
# that state there is none ('unlimited'); a sharing link's 30-day expiry does not.
_STORED = r"(?:storage|disk space|disk|space on|memory|ram|quota|mailbox|inbox|drive space|cloud space|upload" \
          r"|uploads|attachment|attachments|file size|files?)"
_ASKS_SIZE = re.compile(
    rf"\bhow much (?:[\w'’-]+ ){{0,2}}(?:storage|disk space|drive space|cloud space|memory|ram|quota|mailbox space)\b"
    rf"|\bhow (?:big|large) (?:is|are|can|may|could) (?:the |a |an |my |our |each )?(?:[\w'’-]+ ){{0,2}}{_STORED}\b"
    rf"|\bwhat(?:'s|’s| is| are)? (?:the |my |our )?(?:[\w'’-]+ ){{0,2}}{_STORED}"
    r" (?:quota|limit|size|capacity|allowance)\b"
    r"|\b(?:storage|mailbox|upload|attachment|file size|disk) (?:quota|limit|capacity)\b", re.I)
_SIZE = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:[KMGTP]i?B|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)\b"
                   r"|\b(?:unlimited|no (?:size |storage )?limit)\b", re.I)
# 'What day of the month is salary paid?': a day of the month answers ('the 25th', 'the last working day'), not a
# month ('with the June payroll').
_ASKS_MONTHDAY = re.compile(r"\b(?:what|which) (?:day|date) of (?:the |each |every )?month\b"
                            r"|\bon what (?:day|date) (?:of |in )?(?:the |each |every )month\b", re.I)
_MONTHDAY = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b|\b(?:last|first|final) (?:working |business |calendar )?day\b"
                       r"|\bday \d{1,2}\b", re.I)
# 'In which year ...?': a year answers, not a date without one.
# 'How fast will the guest Wi-Fi be?', 'is there a speed limit?': a speed answers ('20 Mbit/s', '30 mph'), not a time
_ASKS_SPEED = re.compile(r"\b(?:speed|bandwidth|throughput)\b|\bhow (?:fast|quick|slow)\b(?=.*\b(?:connection|wi-?fi"
                         r"|internet|network|broadband|download|upload|line|link)s?\b)", re.I)
_SPEED = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:[KMGT]bit/s|[KMGT]b/s|[KMGT]bps|mph|km/h|kph|knots)(?!\w)", re.I)
# 'Is there a weight limit on parcels?', 'how heavy can my bag be?': a weight answers ('25 kg'), not a count of days
# 'What class am I allowed to book?': a class of travel, which the sentence names ('Flights under 6 hours: economy')
_ASKS_TRAVEL_CLASS = re.compile(r"\b(?:which|what) (?:class|cabin)\b|\bclass of (?:travel|seat|ticket|flight)\b", re.I)
_TRAVEL_CLASS = re.compile(r"\b(?:economy|business class|first class|standard class|second class)\b", re.I)
_ASKS_WEIGHT = re.compile(r"\bweigh(?:t|ts|s|ing)?\b|\bhow heavy\b", re.I)
_WEIGHT = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:kg|kgs|kilos?|kilograms?|g|grams?|lbs?|pounds|tonnes?|tons?|oz)\b", re.I)
# 'How close to the river can I go alone?': a distance answers ('within 3 metres'), not '3 years' (not 'how far in
# advance', a time)
_ASKS_DISTANCE = re.compile(r"\bhow (?:close|near)\b|\bhow far\b(?!\s+(?:in advance|ahead|back|before|beforehand"
                            r"|out|into)\b)|\bminimum distance\b", re.I)
_DISTANCE = re.compile(r"\d(?:[\d.,]*\d)?\s?(?:m|metres?|meters?|km|kilomet(?:re|er)s?|miles?|feet|ft|yards?)\b"
                       # ... or the time it takes to cover ('within 5 minutes on foot', 'a 10-minute walk')
                       r"|\b(?:\d+|a|one|two|three|five|ten|fifteen|twenty)[- ](?:minutes?|mins?|hours?)['’]?"
                       r"(?: (?:on foot|walk|walking|drive|driving|by (?:car|bus|train|metro|tram))\b|(?=,? away\b))",
                       re.I)
# 'How long does my password have to be?': how long a thing must be, in characters or metres, not a time
# (a length required of it: not 'How long will his probation be?', a time)
_OWNED = r"(?:a |an |the |my |our |your )?(?:[\w-]+ ){0,3}?"
_ASKS_LENGTH = re.compile(rf"\bhow long (?:(?:does|do|will|would) {_OWNED}(?:have to|need to|got to)|(?:must|should)"
                          rf" {_OWNED}) ?be\b"
                          r"(?!\s+(?:kept|valid|away|off|on|open|closed|paid|ill|sick|in|out|at|for)\b)"
                          # 'What's the shortest password I'm allowed?': a length in characters
                          r"|\b(?:shortest|longest) (?:\w+ )?(?:password|passphrase|passcode|pin|code|name|title"
                          r"|message|subject line)s?\b", re.I)
_LENGTH = re.compile(r"\d(?:[\d.,]*\d)?[- ]?(?:characters?|chars|digits?|letters?|words?|pages?|lines?|m|cm|mm|km"
                     r"|metres?|meters?|miles?|feet|ft|inches?|minutes?|seconds?)\b", re.I)
_NO_LIMIT = re.compile(r"\bno limit\b", re.I)
_COUNTED_LIMIT = re.compile(r"\b\d+\s+(?:days?|weeks?|months?|hours?|nights?|times?)\b", re.I)
_SECRET = re.compile(r"\b(?:password|passphrase|passcode|pin|pin code)s?\b", re.I)
_CHARACTERS = re.compile(r"\d(?:[\d.,]*\d)?[- ]?(?:characters?|chars|digits?|letters?)\b", re.I)
_ASKS_YEAR = re.compile(r"\b(?:which|what) year\b", re.I)
_A_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")


def typed_value(question: str) -> str:
    """'money', 'payer' (whether the asker pays: a sum or who pays), 'price', 'percent', 'phone', 'code' (an account
    or policy reference), 'year', 'monthday', 'size' (of stored data), 'speed', 'weight', 'distance', 'length'
    (characters, metres), 'quota:<unit>:<period>' (so many days a year), 'notice' (a time ahead), 'class' (of travel)
    or 'web' (an address) when the question asks for a value of that type; '' otherwise."""
    asked = _last_asked(question)
    if _ASKS_PERCENT.search(asked):
        return "percent"
    if _ASKS_PHONE.search(asked) and not number_keyed_in(question, asked):
        return "phone"
    if _ASKS_CODE.search(asked):
        return "code"
    if _ASKS_PRICE.search(asked):
        return "price"
    if _ASKS_YEAR.search(asked):
        return "year"
    if _ASKS_MONTHDAY.search(asked):
        return "monthday"
    if _ASKS_SIZE.search(asked):
        return "size"
    if _ASKS_SPEED.search(asked):
        return "speed"
    if _ASKS_WEIGHT.search(asked):
        return "weight"
    if _ASKS_TRAVEL_CLASS.search(asked):
        return "class"
    if _ASKS_DISTANCE.search(asked):
        return "distance"
    if _ASKS_LENGTH.search(asked):
        # ('... his password rejected when he sets it up. How long does it have to be?': in characters, not minutes)
        return "characters" if _SECRET.search(question) else "length"
    quota = _ASKS_QUOTA.search(asked)
    if quota:
        return f"quota:{quota.group('unit').lower().rstrip('s')}:{quota.group('period').lower()}"
    most = _ASKS_MOST.search(asked)
    if most:
        return f"quota:{most.group('unit').lower().rstrip('s')}:"  # (in no period said)
    if _ASKS_NOTICE.search(asked):
        return "notice"
    if _ASKS_ADDRESS.search(asked):
        return "web"
    if _ASKS_MONEY.search(asked):
        return "money"
    if _ASKS_WHETHER_PAID.search(asked):
        return "payer"
    return ""


def holds_typed_value(value_type: str, sentence: str) -> bool:
    """Does the sentence hold a value of the type (typed_value) asked for?"""
    if value_type.startswith("quota:"):
        return _holds_quota(*value_type.split(":")[1:], sentence)
    pattern = {"money": _MONEY, "price": _PRICE, "percent": _PERCENT, "phone": _PHONE, "year": _A_YEAR,
               "size": _SIZE, "monthday": _MONTHDAY, "speed": _SPEED, "weight": _WEIGHT,
               "distance": _DISTANCE, "notice": _TIME_AHEAD, "web": _WEB_ADDRESS, "length": _LENGTH,
               "characters": _CHARACTERS, "code": _CODE, "payer": _PAID_OR_PAYER,
               "class": _TRAVEL_CLASS}.get(value_type)
    if value_type == "money" and _COUNTED_LIMIT.search(sentence) \
            and not _MONEY.search(_NO_LIMIT.sub(" ", sentence)):
        return False  # 'For Maximum days per week, Leeds is No limit; Porto is 4 days': no limit of a count, no sum
    return bool(pattern.search(sentence)) if pattern else True


# 'How many days a year am I allowed to work from abroad?': so many days in each year, month or week (a quota)
_ASKS_QUOTA = re.compile(r"\b(?:how many|(?:maximum |max |total )?number of|max(?:imum)?)\s+(?:[\w-]+\s+){0,2}?"
                         r"(?P<unit>hours|days|weeks|nights|months)\b[^?.]*?\b(?:a|per|each|every|in a)\s+"
                         r"(?:calendar\s+|leave\s+)?(?P<period>year|month|week)\b", re.I)
# ... or the most of them, in no period said ('What's the maximum number of days they're allowed to work from
# abroad?': not answered by 'at least 3 working days before you leave')
_ASKS_MOST = re.compile(r"\b(?:maximum|max|most|longest|greatest) (?:number of |no\.? of )?"
                        r"(?:working |calendar |consecutive )?(?P<unit>hours|days|weeks|nights|months)\b", re.I)
# ... in a week or month, said of the period: 'Maximum days per week per person' (a year goes unsaid: 'Entitlement:
# 25 days plus UK bank holidays')
_PERIOD_SAID = {"week": re.compile(r"\bweek|\bweekly\b", re.I), "month": re.compile(r"\bmonth", re.I)}
# 'How much notice do I need to give?', 'how far in advance ...?': a time ahead of something, or a word for one
_ASKS_NOTICE = re.compile(r"\bhow much (?:advance )?(?:notice|warning|heads[- ]?up)\b"
                          r"|\bhow (?:far|long|many (?:days|weeks|hours|months))"
                          r" (?:in advance|ahead|beforehand)\b|\bhow early\b"
                          # 'How long before the trip do I need to book?'; not 'How long before IT swaps my laptop?',
                          # which asks how long until it happens
                          r"|\bhow long before (?:the|my|a|an|our|your|their) [\w-]+(?: [\w-]+)? (?:do|does|must"
                          r"|should|can|will|would|have|has|need|needs)\b", re.I)
# ... a time said to be ahead ('up to 7 days ahead', 'at least 21 days before travel', 'four weeks' notice'), not a
# length ('pay-and-display bays are limited to 2 hours')
_AHEAD_SPAN = (r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|ten|twelve|fourteen|twenty|thirty)[ -]"
               r"(?:(?:working|calendar|business|clear|full)\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?)\b")
_TIME_AHEAD = re.compile(rf"{_AHEAD_SPAN}(?:['’]s?)?(?:\s+[\w'’-]+){{0,3}}?\s+(?:ahead|in advance|before|beforehand"
                         rf"|prior|notice|earlier)\b|\bat least\s+{_AHEAD_SPAN}"
                         r"|\bnotice\b[^.]*\b(?:twice|double)\b|\b(?:twice|double)\b[^.]*\bnotice\b"
                         r"|\b(?:same|next|previous) (?:day|week|working day)\b|\bday before\b|\bimmediately\b"
                         r"|\bas soon as\b|\bno notice\b|\bany time\b", re.I)
# 'What's the Skyroute portal web address?': an address the sentence writes out
_ASKS_ADDRESS = re.compile(r"\b(?:web ?address|website|web ?site|url|web ?page|web ?link|homepage|home page)\b",
                           re.I)
# 'What account code do I give them?', 'What's the policy number they want?': a reference written as a code
# 'the front door wanted a number as well as my card. What number is it?': a number keyed in, not one to call
_NUMBER_KEYED = re.compile(r"\b(?:wanted|wants|want|asked for|asks for|asking for|needs|needed|need|requires|required"
                           r"|enter|entered|type|typed|key in|keyed in|punch in|tap in)\s+(?:in\s+)?(?:a |my |the |some"
                           r" |another )?(?:\w+ )?(?:number|code|pin|digits)\b(?! to (?:call|ring|phone|dial))", re.I)
def number_keyed_in(question: str, asked: str) -> bool:
    """Is the number 'what number' asks for one the scene says is keyed in (a door's PIN), with nothing else in the
    asking sentence about calling?"""
    return bool(_NUMBER_KEYED.search(question)) and not _ASKS_PHONE.search(re.sub(r"\b(?:what|which) number\b", "",
                                                                                  asked, flags=re.I))


_ASKS_CODE = re.compile(r"\b(?:account|reference|policy|booking|cost[- ]cent(?:re|er)|project|company|client|customer"
                        r"|insurance|membership|claim|case|ticket|tracking) (?:code|number|no\.?|ref)\b"
                        r"|\b(?:what|which) (?:\w+ )?code\b(?! ?words?)|\breference number\b"
                        r"|\bany (?:kind of )?reference\b", re.I)
# 'FERN-4471', 'FH-TRV-2026-0412': capitals and digits joined by hyphens
_CODE = re.compile(r"(?<![\w-])(?=[A-Z0-9-]*\d)[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![\w-])")
_WEB_ADDRESS = re.compile(r"https?://|\bwww\.|(?<![@\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|example|uk|pt|eu"
                          r"|int)\b(?![@.\w-]*@)", re.I)  # (not an email address's domain)
_NUMBER_WORD = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)"
_NO_LIMIT = re.compile(r"\b(?:no limit|unlimited|no maximum|as many as)\b", re.I)


# '... am I allowed to work remotely from another country?': what the days are spent doing
_QUOTA_ACTIVITY = re.compile(r"\b(?:allowed|able|permitted|entitled|supposed|expected|required|obliged|meant) to\s+"
                             r"(?P<doing>[^?.!]+)"
                             r"|\b(?:can|may|could)\s+(?:i|we|you|they|he|she|staff|my team|my report)\s+"
                             r"(?P<doing2>[^?.!]+)"
                             # ('... how many days a year i can work from another country', typed as said)
                             r"|\b(?:i|we|you|they|he|she|staff)\s+(?:can|may|could)\s+(?P<doing3>[^?.!]+)", re.I)
# ... less the words any count of working days shares ('work', 'days', 'year')
_QUOTA_GENERIC = content_terms("work working day days week weeks month months year years a per each every take have "
                               "get spend use")


def quota_activity(question: str) -> frozenset[str]:
    """The content words of what a quota question counts the doing of ('remot', 'countri' for '... allowed to work
    remotely from another country?'); empty when it says nothing beyond working days."""
    found = _QUOTA_ACTIVITY.search(_last_asked(question))
    doing = (found.group("doing") or found.group("doing2") or found.group("doing3")) if found else ""
    # ('... allowed to work from home if I'm based in Leeds?': the asker's case is not what the days are spent on)
    doing = _CASE_AFTER.split(doing, maxsplit=1)[0]
    # (a name only says where or whose: 'come into the Porto office' is coming into the office)
    doing = " ".join(w for w in doing.split() if not w[:1].isupper())
    return frozenset(content_terms(doing) - _QUOTA_GENERIC)


_CASE_AFTER = re.compile(r",|\s+(?:if|when|while|as|since|because|given)\s+", re.I)


# 'How many days can I roll over?': what the asker would do with the days counted
# ('how many can I take with me into next year?': the unit left unsaid)
_COUNTED_DOING = re.compile(r"\bhow many (?:(?:\w+ ){0,3}?(?:days|weeks|months|hours|nights)\s+)?(?:can|may|could|do|am"
                            r"|will|are|is)\s+"
                            r"(?:i|we|you|they|he|she|staff|each person|everyone|people"
                            # ('each of them', 'my team', 'someone on my team')
                            r"|(?:each|any|all|one) of (?:them|us|you)|(?:my|our|the|his|her|their) (?:[\w-]+ )?(?:team"
                            r"|staff|people|engineers|reports|colleagues?)|(?:someone|anyone|each person) (?:in|on) "
                            r"(?:my|our|the) (?:[\w-]+ )?team)\s+"
                            # ('How many days am I actually allowed to take over ...?')
                            r"(?:(?:actually|really|still|even|realistically|officially)\s+)?"
                            r"(?:be allowed to\s+|allowed to\s+|able to\s+|get to\s+)?(?P<doing>[^?.!]+)",
                            re.I)


def counted_doing(question: str) -> tuple[frozenset[str], str]:
    """The content words of what the asker would do with the time a 'how many days can I ...?' question counts
    ('roll' for 'How many days can I roll over?'; empty when it says nothing beyond taking or having them), and the
    words that say it ('take with me into next year', which everyday wordings may read as carrying over)."""
    found = _COUNTED_DOING.search(_last_asked(question))
    if not found:
        return frozenset(), ""
    return frozenset(content_terms(found.group("doing")) - _QUOTA_GENERIC - _WHEN_WORDS), found.group("doing")


_WHEN_WORDS = content_terms("next last this coming following new")  # ('into next year' says when, not what)


# 'How many weeks of paternity leave ...?': the kind of the thing counted
_COUNTED_KIND = re.compile(r"\bhow many (?:\w+ )?(?:days|weeks|months|hours|years) of (?:paid |unpaid )?"
                           r"(?P<kind>[a-z]{3,}) (?P<head>leave|pay|holiday|holidays|training|notice)\b", re.I)
_NOT_A_KIND = content_terms("full half annual extra more additional unused leftover")


# 'How much annual leave does a new hire get?': an amount of leave, counted in days. (Not notice: it is said as
# days 'before' or 'ahead' as often as by its name.)
# ('When can I start using the days of annual leave I get?': the days are leave too)
_LEAVE_NOUN = r"(?:(?:annual|paid|unpaid|sick|extra|parental|maternity|paternity) )?(?:leave|holidays?|time off)"
_MEASURED = re.compile(rf"\bhow much (?P<noun>{_LEAVE_NOUN})\b"
                       rf"|\b(?:the|my|our|your)\s+(?:[a-z]+\s+)?(?:days|weeks|hours)\s+of\s+(?P<days_of>{_LEAVE_NOUN})\b"
                       # ('How many days of holiday does my new hire get?', 'how many holiday days ...')
                       rf"|\bhow many\s+(?:days|weeks)\s+of\s+(?P<many_of>{_LEAVE_NOUN})\b"
                       rf"|\bhow many\s+(?P<many>{_LEAVE_NOUN})\s+(?:days|weeks)\b"
                       r"|\bhow many\s+(?P<off>(?:days|weeks) off)\b",
                       re.I)


def measured_thing(question: str) -> frozenset[str]:
    """'leave' in 'How much annual leave do I get?': a count of days that is not of it does not answer."""
    found = _MEASURED.search(_last_asked(question))
    if not found:
        return frozenset()
    noun = next(filter(None, found.groups()))
    # (holidays and days off are what the articles call leave, by the policy words; 'days off' counts days of leave,
    # not any days)
    return frozenset(content_terms(noun) - _NOT_A_KIND - _UNITS_OFF) | (
        content_terms("leave") if "leave" in policy_words(noun) else frozenset())


_UNITS_OFF = content_terms("days weeks")


def counted_kind(question: str) -> frozenset[str]:
    """'paternity' in 'How many weeks of paternity leave do I get?': a count given for another kind of leave does
    not answer it (not 'annual' or 'full', which every count of leave or pay may leave unsaid)."""
    found = _COUNTED_KIND.search(_last_asked(question)) or _KIND_LENGTH.search(_last_asked(question))
    if not found:
        # 'How many days off do I get as the father?': the leave a parent's role names, asked by the role
        role = _PARENT_ROLE.search(_last_asked(question)) if _COUNTS_TIME_OFF.search(_last_asked(question)) else None
        return frozenset(content_terms(_PARENT_LEAVE[role.group(1).lower()])) if role else frozenset()
    return frozenset(content_terms(found.group("kind") or found.groupdict().get("kind2") or "") - _NOT_A_KIND)


# 'How long is paternity leave?', 'paternity leave length': the kind of leave whose length is asked
_KIND_LENGTH = re.compile(r"\bhow long (?:is|are|does|do|will|would|can) (?:the |my |a |an )?(?:paid |unpaid )?"
                          r"(?P<kind>[a-z]{3,}) (?P<head>leave|pay|holiday|notice)\b"
                          r"|^\s*(?P<kind2>[a-z]{3,}) (?:leave|pay) (?:length|duration|entitlement|allowance)\b", re.I)
_COUNTS_TIME_OFF = re.compile(r"\bhow (?:many|much|long)\b[^?]*\b(?:days?|weeks?|months?|time|leave|off|holiday)\b",
                              re.I)
_PARENT_ROLE = re.compile(r"\bas (?:the |a |an |the new |a new )?(father|dad|mother|mum|mom|parent|adopter)\b", re.I)
_PARENT_LEAVE = {"father": "paternity", "dad": "paternity", "mother": "maternity", "mum": "maternity",
                 "mom": "maternity", "parent": "parental", "adopter": "adoption"}


def _holds_quota(unit: str, period: str, sentence: str) -> bool:
    """A count of the unit that is no notice given or time taken before something ('at least 3 working days before
    you leave' answers how early to tell, not how many days a year), or no limit; a week's or month's said so."""
    if period in _PERIOD_SAID and not _PERIOD_SAID[period].search(sentence):
        return False
    counts = re.finditer(rf"\b{_NUMBER_WORD}\s+(?:[\w-]+\s+){{0,2}}?{unit}s?\b"
                         r"(?P<after>\s+(?:before|ahead|in advance|notice|beforehand|after|earlier|prior)\b)?",
                         sentence, re.I)
    return bool(_NO_LIMIT.search(sentence)) or any(not c.group("after") for c in counts)


_EVERY = re.compile(r"\b(?:every|each)\s+(?:other\s+)?(?:[\w-]+\s+)?(?:seconds?|minutes?|hours?|days?|nights?|weeks?"
                    r"|fortnights?|months?|years?)\b", re.I)
# 'How often does the train go?': a frequency answers, in words as often as in figures.
_ASKS_FREQUENCY = re.compile(r"\bhow (?:often|frequently)\b", re.I)
_FREQUENCY = re.compile(r"\bevery\b|\beach (?:hour|day|week|month|quarter|year|morning|evening|night)\b"
                        r"|\b(?:hourly|daily|weekly|fortnightly|monthly|quarterly|annually|yearly|twice|once)\b"
                        r"|\b(?:per|a) (?:hour|day|week|month|quarter|year)\b", re.I)


_PERIOD = re.compile(r"\b(?:after|cycle of|(?:cycle|interval|frequency) is|lasts?|valid for"
                     r"|renew(?:ed|al)? (?:after|at))\s+(?:up to\s+|about\s+)?"
                     r"(?:\d+|one|two|three|four|five|six|ten|twelve)\s+(?:hour|day|week|month|year)s?\b", re.I)


def asks_how_often(question: str) -> bool:
    """Does the question ask how often ('How often do I get a new laptop?')?"""
    return bool(_ASKS_FREQUENCY.search(question))


def holds_figure(sentence: str, question: str = "") -> bool:
    """A figure ('12 hours', 'two weeks'), or for 'how often' a frequency in words ('every second Tuesday')."""
    if _ASKS_COUNT.search(question):
        return _counts(sentence)
    return bool(_NUMBER.search(sentence)) or bool(_ASKS_FREQUENCY.search(question) and _FREQUENCY.search(sentence))


# Questions a figure usually answers, beyond the number and date kinds ('what does it cost', 'when').
_WANTS_FIGURE = re.compile(
    r"\b(how (many|much|long|old|often|frequently|far|soon|large|big|high|low)|what (time|date|year|day|age|percentage|"
    r"percent|share|amount|rate|size|proportion|level)|which (year|date|day|month)|when|number of|deadline|"
    r"cost|price|population|budget|salary)\b",
    re.I,
)


def wants_figure(question: str, kind: str) -> bool:
    """Is the question (of `kind`) usually answered by a figure? (A sentence holding one gets a nudge.)"""
    return kind in ("number", "date") or bool(_WANTS_FIGURE.search(question))


def wants_sequence(kind: str) -> bool:
    """Steps and lists are answered whole and in their order, not cut to a few sentences."""
    return kind in ("steps", "list")


# A question about how things were: a replaced policy may answer it (otherwise only the current one does).
# Words that ask for the earlier version itself ('the old policy', 'the previous rates'); the replaced article
# answers those before the current one.
_OLD_VERSION = (r"old|older|previous(?:ly)?|former(?:ly)?|prior|original(?:ly)?|used to|superseded|replaced"
                r"|outdated|last year's|historic(?:al)?")
# ... and, with them, what else says a question is about how things were ('was the', 'no longer', 'back in').
# (not a thing's own replacing: 'When is it due to be replaced?')
_NOT_OWN_REPLACING = r"(?<!\bbe )(?<!\bget )(?<!\bgets )(?<!\bbeing )"
# ('back in 2024'; not 'lets me back in')
_ABOUT_PAST = re.compile(rf"\b{_NOT_OWN_REPLACING}(?:{_OLD_VERSION}|earlier|no longer"
                         r"|back in(?= (?:(?:19|20)\d\d|the (?:day|past|old days)|those days)\b))\b"
                         r"|\b(?:was|were) (?:the|it|they|there)\b"
                         # ('before the change', 'before it changed'; not 'before the trip', 'before it unlocks')
                         r"|\bbefore (?:(?:the|that|this) (?:\w+ )?(?:change|changes|update|switch|rewrite|revision)"
                         r"|(?:it|they|that) (?:was|were|changed|got changed|had)|\d)", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


_ASKS_OLD_VERSION = re.compile(rf"\b{_NOT_OWN_REPLACING}(?:{_OLD_VERSION})\b", re.I)  # 'was the', 'no longer' do not
# 'Is that still the number? How many can I carry over now?': the question asks how things are, whatever its
# statements say of the old ('our old spreadsheet says 5 days', 'I still get codes on my old phone').
_ABOUT_NOW = re.compile(r"\b(?:now|nowadays|currently|these days|at the moment|any ?more|any longer|still|today"
                        # ('I last changed it in June 2025. Am I about to be forced to pick a new one?': what comes)
                        r"|this year|about to|going to|soon)\b", re.I)


def asks_about_now(question: str) -> bool:
    """Does the question ask how things are now or will be ('Am I about to be forced to pick a new one?'), whatever
    dates its statements give?"""
    return bool(_ABOUT_NOW.search(_OLD_VERSION_CLAUSE.sub(" ", _last_asked(question))))


# 'What was the nightly amount before the rates went up?': the version before a change the question names
_BEFORE_CHANGE = re.compile(r"\bbefore (?:the |it |they |that |this )?(?:[\w'’-]+ ){0,2}?(?:went up|went down|increased"
                            r"|decreased|rose|fell|changed|got changed|(?:was|were|got) (?:raised|cut|updated|increased"
                            r"|changed|lowered|revised|reduced|replaced|amended|reviewed|overhauled))\b", re.I)


def asks_old_version(question: str) -> bool:
    asked = _last_asked(question)
    # (or in the clause that leads into the question: 'Before the travel rates were revised, what was ...?')
    return bool(_ASKS_OLD_VERSION.search(asked) or _UNDER_OLD.search(question) or _BEFORE_CHANGE.search(asked)
                or _BEFORE_CHANGE.match(question.lstrip())) \
        and not _ABOUT_NOW.search(_OLD_VERSION_CLAUSE.sub(" ", asked))


# 'Under the previous rule, how many days could you take over?': the version the question is asked under, in a phrase
# before what it asks
_VERSION_NOUNS = r"(?:rules?|policy|policies|system|scheme|rates?|version)"  # what has an old version
_UNDER_OLD = re.compile(rf"\b(?:under|with|by|according to|in) (?:the )?(?:{_OLD_VERSION}) {_VERSION_NOUNS}\b", re.I)


# 'before the policy was changed this year', 'the old rules that still apply to those days': a clause that says which
# version is asked; its 'this year' or 'still' does not ask how things are now
_OLD_VERSION_CLAUSE = re.compile(rf"\bbefore\b[^,.;?]*?\b(?:chang\w*|updat\w*|replac\w*|revis\w*)\b[^,.;?]*"
                                 rf"|\b(?:{_OLD_VERSION}) {_VERSION_NOUNS} (?:that|which) still appl\w*\b[^,.;?]*",
                                 re.I)


def past_markers(question: str) -> set[str]:
    """The content words that only say the question is about the past ('old', 'previous'): not what it is about
    ('What was the old password expiry rule?' is not about 'your old password')."""
    return content_terms(" ".join(m.group(0) for m in _ABOUT_PAST.finditer(question)))


# When the asker's own situation happens ('taking a client out next week', 'I'm off sick tomorrow'): it places the
# question in time and says nothing of what it is about ('week' is no reason to quote 'Maximum days per week').
_SITUATION_TIME = re.compile(r"\b(?:next|this|last|coming|following) (?:week|weekend|month|morning|afternoon|evening"
                             r"|night|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
                             r"|\b(?:tomorrow|tonight|yesterday|today)\b"
                             # ... or that it asks how things stand now ('How long does it have to be these days?')
                             r"|\b(?:these days|nowadays|at the moment|at present|right now)\b", re.I)


def situation_times(question: str) -> set[str]:
    """The content words that only say when the asker's situation happens ('next week', 'tomorrow')."""
    return content_terms(" ".join(m.group(0) for m in _SITUATION_TIME.finditer(question)))


def past_year(question: str) -> int | None:
    """The year a question asks about, when every year it names is before this one ('in 2025' -> 2025)."""
    years = [int(y) for y in _YEAR.findall(question)]
    return min(years) if years and max(years) < date.today().year else None


def dated_before_current(question: str, passages) -> bool:
    """Is the question about a day before the current version of a replaced text took effect ('I was in Lisbon from
    20 to 23 January 2026' when the 2026 rates apply from 1 February 2026)? Then the replaced text applied."""
    when = stated_date(question)
    if when is None or not any(p.superseded for p in passages) or _ABOUT_NOW.search(_last_asked(question)):
        return False
    return any(not p.superseded and p.since[:10] > when.isoformat() for p in passages if p.since)


def about_past(question: str) -> bool:
    """Does the question ask how things were ('the 2024 rates', 'the old policy', 'before the change')? Read from
    the question asked, not the statements before it ('I still get codes on my old phone. When does that stop?'),
    and not when it asks how things are now."""
    asked = _last_asked(question)
    turn = _BUT_THEN_ASKED.search(asked)
    if turn:
        # "There's an older policy on our drive, but by when do I actually have to use them?": what is asked
        asked = asked[turn.end():]
    if _ABOUT_NOW.search(_OLD_VERSION_CLAUSE.sub(" ", asked)):
        return False
    if _UNDER_OLD.search(question):
        return True
    # (a year before this one: 'a trip on 10-12 March 2026' asks this year's rates; not the year since which the
    # asker has had something: 'my IPAF card is from 2021', 'I joined in 2019')
    return bool(_ABOUT_PAST.search(asked)) or any(int(y) < date.today().year
                                                  for y in _YEAR.findall(_YEAR_HAD_SINCE.sub(" ", question)))


# a statement, then after ', but' the question itself
_BUT_THEN_ASKED = re.compile(r"[,;]\s+but\s+(?=(?:by |until |from |since |in |at |for )?(?:what|when|where|who"
                             r"|which|how|is|are|do|does|can|could|should|must|will|would|may)\b)", re.I)


def years_had_since(question: str) -> set[str]:
    """The years since which the asker has had something ('my IPAF card is from 2021'): their own facts, which no
    article needs to name."""
    return {m.group(0)[-4:] for m in _YEAR_HAD_SINCE.finditer(question)}


_YEAR_HAD_SINCE = re.compile(r"\b(?:(?:is|are|it'?s|dates?|dated) from|since|(?:started|joined|began|hired|issued"
                             # ('was given his ThinkPad in May 2023', 'bought it in 2024')
                             r"|obtained|qualified|renewed|given|got|received|bought|handed|delivered|set up)"
                             r"(?: [\w'’]+){0,3}? in)\s+(?:[A-Za-z]+\s+)?(?:19|20)\d\d\b", re.I)


# 'Do passwords still expire?', 'Is that allowed any more?': whether an old rule holds. The sentence saying what
# changed answers it ('Passwords do not expire.', 'You no longer have to ...', 'From 2026, ...').
# (not 'can I still put it through whenever?', 'can I still claim it now?': whether it is too late, not whether the
# rule changed)
_ASKS_STILL = re.compile(r"\b(?:still(?!(?:\s+[\w'’-]+){0,5}\s+(?:whenever|any ?time|now|late|in time|at this point"
                         r"|so long after|after all this time)\b)|any ?more|any longer)\b", re.I)
_STATES_CHANGE = re.compile(r"\b(?:no longer|not|\w+n['’]t|instead|now|since"
                            r"|(?:has|have) (?:been )?(?:changed|replaced|removed|dropped|ended|stopped)"
                            r"|from (?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|(?:19|20)\d\d))\b",
                            re.I)


# 'Someone said the UK per diem is £45 a night, is that still right?', 'I remember it being 5 days': what the asker
# only believes, which the answer checks; its figure, matched, draws the answer to the replaced policy that said it
_CHECKS_STATEMENT = re.compile(r"\b(?:is|are) (?:that|this|it|they|those) (?:still )?(?:right|correct|true|accurate"
                            r"|the case|current|up to date|valid)\b"
                            r"|\bstill (?:right|correct|true|accurate|the case|valid)\b"
                            r"|\b(?:has|have) (?:that|this|it|they) (?:changed|gone up|gone down)\b"
                            r"|\bi (?:remember|recall) (?:it|them|that) being\b|\bi thought (?:it|that) was\b", re.I)
_BELIEVED_FIGURE = re.compile(r"[£€$]\s?\d+(?:[.,]\d+)*|\b(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)*"
                              r"(?:\s?%|\s+(?:working |calendar )?(?:days?|weeks?|months?|years?|nights?|hours?"
                              r"|per cent|percent))?\b", re.I)


def checks_a_statement(question: str) -> bool:
    """Does the question ask whether what it reports is (still) right ('..., is that still right?')?"""
    return bool(_CHECKS_STATEMENT.search(question))


def without_believed_figures(question: str, stated_only_in_replaced: Callable[[str], bool]) -> str:
    """The question less the figures it only reports believing, when it asks whether they are still right and
    `stated_only_in_replaced(figure)`: a replaced article states it and no current one does."""
    if not checks_a_statement(question):
        return question
    return _BELIEVED_FIGURE.sub(lambda m: " " if stated_only_in_replaced(m.group(0)) else m.group(0), question)


def asks_still(question: str) -> bool:
    """'Do guests still need a printed badge?' (in the words that ask: not 'it still works fine. Can I keep it?')"""
    return question_kind(question) == "yesno" and bool(_ASKS_STILL.search(_last_asked(question)))


def states_change(sentence: str) -> bool:
    return bool(_STATES_CHANGE.search(sentence))


# 'Separate thing - ...', 'Different question: ...', 'Hi, quick question: ...', 'Thanks! One more thing, ...': words
# about the conversation, not the question. Left in, they become a part of their own, or the context of it.
_GREETING = (r"(?:hi|hello|hey|morning|good (?:morning|afternoon|evening)|ok(?:ay)?"
             # ('Thanks for that.', 'thank you so much for your help!')
             r"|(?:many thanks|thanks|thank you)(?: in advance| (?:(?:so|very) much )?for (?:that|this"
             r"|the (?:help|info|answer|reply)|your (?:help|answer|reply)))?"
             r"|cheers|oh(?: no| dear)?|oops|ugh|argh|help(?=\s*[,!.])"
             # 'sorry to bother you', 'sorry for all the questions', 'sorry if this is a silly question'
             r"|sorry(?: to (?:bother|trouble|disturb|pester) you| for (?:all )?(?:the|my|these|this|so many)"
             r"(?: \w+)?(?: questions?)?| if this is (?:a )?(?:silly|daft|stupid|dumb|basic) (?:question|one))?)"
             r"(?: there| all| again)?(?:\s*[,!.]+\s*|\s+)")
_PREAMBLE = re.compile(
    rf"^(?:{_GREETING})*(?:(?:a|one|another|my|the)\s+)?(?:(?:totally|completely|entirely|quite)\s+)?"
    r"(?:(?:quick|different|separate|unrelated|other|new|last|more|side|follow-up|general|random)\s+){1,2}"
    r"(?:question|thing|topic|one|query|point|subject|matter)s?\b\s*(?:[-–—:,.!?]|\bbut\b)\s*"
    # 'On a different note, ...', 'On a completely different subject: ...', 'Unrelated, but ...'
    rf"|^(?:{_GREETING})*(?:on (?:a|an|another) )?(?:(?:totally|completely|entirely|quite)\s+)?"
    r"(?:different|separate|unrelated|other) (?:note|subject|topic|matter)\b\s*[-–—:,.]?\s*"
    rf"|^(?:{_GREETING})*(?:totally |completely )?unrelated,?\s+but\s*[-–—:,]?\s+"
    rf"|^(?:{_GREETING})+(?=[a-z])", re.I)


# Places whose name is also a common word: never capitalised from a lower-case question ('tell us', 'that's nice').
_WORD_PLACES = frozenset({("us",), ("nice",), ("turkey",), ("chad",), ("jersey",), ("guinea",), ("reading",),
                          ("bath",), ("split",), ("mobile",), ("orange",), ("victoria",), ("georgia",), ("jordan",)})


# Holidays, named alike everywhere and never everyday words: capitalised from a lower-case question as places are
# ("when's the christmas release freeze": a name that a text may give by its dates instead).
_HOLIDAYS = frozenset({("christma",), ("xmas",), ("easter",), ("hanukkah",), ("diwali",), ("ramadan",), ("eid",),
                       ("box", "day")})


def with_place_capitals(question: str) -> str:
    """A question typed all in lower case ('is there parking at the lisbon office?') with the places and holidays
    it names capitalised, as names are read elsewhere ('Lisbon', 'Christmas'); a question with capitals of its own
    is left as it is."""
    tokens = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", question))
    if any(t.group(0)[:1].isupper() for t in tokens[1:] if t.group(0) not in ("I", "I'm", "I’m", "I've", "I'd")):
        return question
    out = question
    for n in (2, 1):  # 'new york' before 'york'
        for i in range(len(tokens) - n + 1):
            group = tokens[i:i + n]
            name = tuple(stem(t.group(0).lower()) for t in group)
            if name not in _HOLIDAYS and (name in _WORD_PLACES or not place_of(name)):
                continue
            start, end = group[0].start(), group[-1].end()
            if out[start:end].islower():  # ('uk', 'usa': an acronym)
                named = out[start:end].upper() if end - start <= 3 and name not in _HOLIDAYS \
                    else " ".join(w[:1].upper() + w[1:] for w in out[start:end].split(" "))  # (not title(): "John's")
                out = out[:start] + named + out[end:]
    return out


# 'Which Japanese farm market is Washington pushing Tokyo to open?': the category the answer names one of ('market'),
# the last of the words after 'which' before the clause's verb.
_WHICH_CATEGORY = re.compile(r"^\s*(?:(?:in|on|at|for|from|to|with|by|under|of)\s+)?which\s+"
                             r"(?P<words>(?:(?!(?:this|that|the|next|last)\b)[A-Za-z][\w'’-]*\s+){0,3}?)"
                             r"(?P<head>[a-z]{3,})\s+(?:(?:this|next|last)\s+[a-z]+\s+)?(?:is|are|was|were|does|do"
                             r"|did|can|could|should|will|would|has|have|had|[a-z]{3,}ed|said|put|set|made|took|gave"
                             r"|sent|won|led|met|held|became|might|may)\b", re.I)
_NOT_CATEGORIES = frozenset({"one", "ones", "thing", "things", "kind", "sort", "type", "way", "time", "day", "date",
                             "year", "month", "week", "number", "amount", "figure", "percentage", "share", "level",
                             "rate", "price", "cost", "much", "many", "long", "often"})


def which_category(question: str) -> str:
    """The category a 'which X ...?' question asks for one member of ('market', 'administration', 'election'),
    lower-cased; '' for people (a name answers), quantities and times, and other questions ('what X' too: 'What
    cabin class can I book?' is answered by 'premium economy', without the category's word)."""
    match = _WHICH_CATEGORY.match(_last_asked(question))
    if not match:
        return ""
    head = match.group("head").lower()
    if head in _NOT_CATEGORIES or head in STOPWORDS or re.fullmatch(PERSON_NOUNS, head):
        return ""
    return head


def names_a_member(category: str, sentence: str, asked: set[str]) -> bool:
    """Does the sentence name a member of the category by a word the question lacks (`asked`: its content words):
    'the Biden administration', 'its rice market', 'the Upper House election' for 'which administration / market /
    election'?"""
    for match in re.finditer(rf"\b([A-Za-z][\w'’-]*)\s+{re.escape(category)}s?\b", sentence):
        word = match.group(1)
        if word.lower() not in STOPWORDS and not content_terms(word) & asked:
            return True
    return False


# 'Megan thinks her card was stolen. She's asking me what she needs to do first.': the words that relay a question
# opening a sentence of its own, before its question word (the question is the colleague's; whoever relays it is
# not what it asks about)
_RELAY_SHELL = re.compile(r"(?:(?<=[.!?;]\s)|^)(?:he|she|they|(?-i:[A-Z][a-z]+))"
                          r"(?:['’]s| is| are| was| were| has| had)?\s+(?:been\s+|just\s+)?(?:asking|asked|asks"
                          r"|wants to know|wanted to know|would like to know|wondering|wonders|was wondering)"
                          r"(?:\s+(?:me|us))?(?:\s+to (?:find out|check))?\s+"
                          r"(?=(?:what|how|when|where|who|which)\b)", re.I)


def without_relay(question: str) -> str:
    """The question with the words that relay it dropped ('She's asking me what she needs to do' -> 'What she needs
    to do'), when they open a sentence after the scene; unchanged otherwise."""
    match = _RELAY_SHELL.search(question)
    if not match or match.start() == 0:
        return question  # ('Tom asked me how ...' with no scene before it: scene_and_question reads who asks)
    rest = question[match.end():]
    return question[:match.start()] + rest[:1].upper() + rest[1:]


# A question written as a letter: 'Dear Finance, ... ? Best regards' (salutation and sign-off say nothing asked).
_SALUTATION = re.compile(r"^\s*(?:dear|hello|hi|hey)\s+(?:[\w'’.&-]+\s+){0,4}?[\w'’.&-]+\s*,\s+(?=\S)", re.I)
_SIGN_OFF = re.compile(r"(?<=[.!?])\s+(?:(?:best|kind|warm|many)\s+)?(?:regards|(?:thanks|thank you)"
                       # ('Thanks very much for your time.', 'Thank you so much in advance for your help.')
                       r"(?: (?:so|very) much)?(?: in advance)?(?: for (?:all )?(?:your|the) (?:time|help|assistance"
                       r"|patience|support))?(?: in advance)?|cheers"
                       r"|sincerely|best wishes|all the best|best)\b[,.!]?(?:\s+(?-i:[A-Z][\w'’-]*)){0,2}\s*$", re.I)


def without_letter(question: str) -> str:
    """The question without a letter's salutation and sign-off ('Dear IT, ... Regards')."""
    rest = _SIGN_OFF.sub("", _SALUTATION.sub("", question, count=1), count=1).strip()
    return rest[:1].upper() + rest[1:] if rest != question.strip() and len(rest.split()) >= 2 else question


# 'Could you please remind me of the deadline for ...?': a polite request for a thing, asked as what it is; 'Could you
# tell me how much a pass costs?': the question it wraps, left in statement order ('How much a pass costs?').
_POLITE = (r"(?:(?:could|can|would|will)\s+(?:you|someone|somebody)\s+(?:also\s+)?(?:please\s+|kindly\s+)?(?:also\s+)?"
           r"|please\s+(?:also\s+)?)"
           r"(?:remind me(?:\s+of)?|tell me|let me know|confirm|clarify|explain|advise me(?:\s+of)?|give me"
           r"|point me to|mind (?:telling me|letting me know|explaining|confirming))")
# ... and the asker's own wrapping of a question ('Would you mind telling me how long ...', "I'd be grateful to know
# the most I may spend"), which leaves the question's own words outnumbered by the wrapping's
_WRAPPING = (r"(?:(?:do|would|did) you (?:happen to )?know"
             r"|i(?:['’]d| would) (?:be (?:very |really |most )?grateful (?:to know|if you could"
             r" (?:tell me|let me know)|for)|(?:like|love|want) to (?:know|find out|check|understand|ask)"
             r"|appreciate (?:it )?if you could (?:tell me|let me know)|appreciate knowing)"
             r"|i(?:['’]m| am) (?:wondering|trying to (?:find out|work out|understand))|i was wondering|i wonder"
             r"|(?:may|can|could) i ask|i (?:want|need) to know)")
_POLITE_THING = re.compile(rf"(?:^|(?<=[.!?]\s))\s*(?:{_POLITE}|{_WRAPPING})\s+(?=(?:the|a|an|my|our|your)\s)", re.I)
_WRAPPED_QUESTION = re.compile(rf"(?:^|(?<=[.!?]\s))\s*(?:{_POLITE}|{_WRAPPING})\s+"
                               r"(?=(?:(?:roughly|approximately|exactly|briefly)\s+)?(?:how|what|when|where|who|whom|which"
                               r"|why)\b)", re.I)


def without_request(question: str) -> str:
    """'Could you please remind me of the deadline for submitting claims?' -> 'What is the deadline for submitting
    claims?'; 'Would you mind telling me how long the trial period would be?' -> 'How long would the trial period
    be?' (the question it wraps, turned back to question order where _question_order can)."""
    rest = _POLITE_THING.sub(lambda m: (" " if m.start() else "") + "What is ", question, count=1)
    if rest == question:
        unwrapped = _WRAPPED_QUESTION.sub(" ", question, count=1)
        if unwrapped == question:
            return question
        # (each sentence opening with a capital, the unwrapped one too, and the question ending with its mark)
        rest = _SENTENCE_OPENING.sub(lambda m: m.group(1) + m.group(2).upper(), unwrapped.lstrip()).rstrip(" .")
        rest = _question_order(rest if rest.endswith("?") else rest + "?")
    return " ".join(rest.split()) if rest != question else question


_SENTENCE_OPENING = re.compile(r"(^|[.!?]\s+)\s*([a-z])")


# 'What the excess is on the travel insurance?', 'How long the trial period would be?': a wrapped question's statement
# order, turned back ('What is the excess on ...?', 'How long would the trial period be?')
_STATEMENT_ORDER = re.compile(r"(?P<ask>\b(?:what|who|where|when|which [a-z]+|how (?:much|many|long|often|far|big|old)"
                              r"(?: [a-z]+)?)) (?P<subject>(?:the|a|an|my|our|your|their|his|her) [\w'’-]+(?: [\w'’-]+)"
                              r"{0,8}?) (?:(?P<modal>would|will|could|should|might) )?(?P<verb>is|are|was|were|be)\b"
                              r"(?P<rest>[^.!?]*\?)\s*$", re.I)


def _question_order(text: str) -> str:
    found = _STATEMENT_ORDER.search(text)
    if not found or (found.group("verb").lower() == "be") != bool(found.group("modal")):
        return text
    ask, subject, rest = found.group("ask"), found.group("subject"), found.group("rest")
    if found.group("modal"):
        return f"{text[:found.start()]}{ask} {found.group('modal')} {subject} be{rest}"
    return f"{text[:found.start()]}{ask} {found.group('verb')} {subject}{rest}"


def without_preamble(question: str) -> str:
    """The question without words about the conversation before it ('Separate thing - if I'm off sick...'), and
    without a letter's salutation and sign-off or a polite request's wrapping."""
    question = without_request(without_letter(question))
    rest = _PREAMBLE.sub("", question, count=1)
    if rest == question or len(rest.split()) < 2:
        return question
    # ('Good morning, I was wondering what ...': the wrapping the greeting hid)
    return without_request(rest[:1].upper() + rest[1:])


# --- compound questions: one answer per part -----------------------------------------------------------------
# A new clause starts where a question word follows "and" or a comma ('..., and how long is their probation?').
# A preposition before a question word: 'By what time ...?', 'after what time ...?', 'For how long ...?'
# ('..., and above what amount do I need a receipt?')
_ASKING_PREPOSITION = r"(?:by|from|for|in|on|at|to|until|till|since|after|before|with|within|above|below|over|under)"
# (Not a relative clause after a bare comma: '... a person who arranges trips, whom I could ask about a journey?')
# (not an alternative of yes or no: 'Can I get a card straight away, or do I have to wait?' asks one thing)
_CLAUSE = re.compile(r"\s*(?:,\s*(?:and\s+|but\s+|or\s+(?=(?:what|hows?|when|wheres?|who|which|why)\b)"
                     r"|(?:and\s+)?then\s+"
                     r"|(?!(?:who|whom|whose|which|where)\s+(?:i|we|you|they|he|she)\b)"
                     # (not a relative clause after a noun: '... my home broadband bill, which is about £30 a month?')
                     r"(?!which\s+(?:is|are|was|were|costs?|comes?|runs?)\b))"
                     # ('what time does it open + what's the reception ext': a plus sign for 'and' in a quick message)
                     r"|\s+(?:and|but also|as well as|\+)\s+)"
                     r"(?=(?:what(?:'s|’s|s)?|hows?|when"
                     rf"|wheres?|who(?:m|se|s)?|which|why|until when|by when|{_ASKING_PREPOSITION} (?:which|what|how)"
                     r"|is|are|am(?= i\b)|do|does|did|can|could|should|must"
                     r"|will|would|may)\b(?!['’]t\b)"
                     # ('..., and if things don't work out how much notice would I have to give?': a condition, then
                     # the question it goes with)
                     r"|(?:if|when|once)\s[^,?]{3,60}?\s(?:what|how|when|where|who|which)\b)", re.I)
                     # ('... and can't come in today' is a statement)
_NAME = r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*"
# 'the Leeds and Porto offices', 'in Leeds and in Porto': the same question about two names.
_PAIR = re.compile(rf"\b(?P<prep>(?:in|at|for|from|to) )?(?P<a>{_NAME})(?: office| staff)? and (?:(?P=prep))?"
                   rf"(?P<b>{_NAME})\b")
# 'Leeds staff compared with Porto staff'
_COMPARED = re.compile(r"\s*,?\s*\b(?:compared (?:with|to)|versus|vs\.?|as opposed to)\s+", re.I)
# (a preposition may lead: 'By what time do I register them, and ...')
_QUESTION_START = re.compile(rf"^(?:{_ASKING_PREPOSITION} (?=what|which|how|when|whom|whose)\b)?"
                             r"(?:what|how|when|where|who|whom|whose|which|why|until|by when|is|are|do|does|did|can"
                             r"|could|should|must|will|would|may|whats|hows|wheres|whos)\b", re.I)
# 'As a new starter how long have I got ...': who the asker is, then the question, without a comma.
_AS_WHO_THEN_QUESTION = re.compile(r"^((?:as|for) (?:an? |the )?[\w'’ -]{2,40}?)\s+((?:what|how|when|where|who|which"
                                   r"|can|could|do|does|is|are|should|must|will|would)\b.+)$", re.I)
# '..., and which includes the Christmas allowance?': a later part that leaves out the first part's 'which' noun.
_WHICH_VERB = r"(?:includes?|is|are|was|were|has|have|does|do|applies)"
_WHICH_NOUN = re.compile(rf"\bwhich ((?:[\w'’-]+ ){{0,2}}?[\w'’-]+) (?={_WHICH_VERB}\b)", re.I)
_BARE_WHICH = re.compile(rf"^which (?=(?:{_WHICH_VERB}|gets?|pays?|covers?|comes?)\b)", re.I)
MAX_PARTS = 3


def question_parts(question: str) -> list[str]:
    """The parts of a compound question, each standalone; [question] when it asks one thing.

    Statements before the question ('I work in Porto.') are context and go with every part; a later part that
    lacks the names of the first ('..., and how long is their probation?') borrows them.
    """
    context, ask = split_context(question)
    if ask.count("?") > 1:
        return _asked_apart(context, ask)
    relayed = _RELAYED.search(ask) if not _QUESTION_START.match(ask) else None
    if relayed and (who := ask[:relayed.start()].strip(" ,")):
        # 'My new starter wants to know what hours the office is open, and when there's someone on the desk.': the
        # parts of the question relayed, with who wants it as the scene
        asked = ask[relayed.start("question"):].rstrip(" .?!")
        parts = question_parts(f"{context} {who}. {asked[:1].upper()}{asked[1:]}?".strip())
        if len(parts) > 1:
            return parts
    thing = _RELAYED_THING.search(ask) if not _QUESTION_START.match(ask) else None
    if thing and (who := re.sub(r"(?:[\s,]+(?:and|but|so))?[\s,]*$", "", ask[:thing.start()])):
        # '... wants to know our travel insurance policy number and who to ring if they get hurt': a thing asked by
        # its name, then a question
        rest = thing.group("rest").rstrip(" .?!")
        parts = question_parts(f"{context} {who}. What is {thing.group('thing')}, and {rest}?".strip())
        if len(parts) > 1:
            return parts
    needed = _needed_pair(context, ask)
    if needed:
        return needed
    parts = _clauses(ask)
    if len(parts) == 1:
        parts = _pairs(ask)
    if len(parts) == 1:
        parts = _listed_things(ask)
    if len(parts) == 1:
        parts = _and_the_thing(ask)
    if len(parts) == 1:
        parts = _what_the_pair(ask)
    if len(parts) == 1 or len(parts) > MAX_PARTS:
        return [question]
    return [f"{context} {part}".strip() if context else part for part in _with_words_across(ask, parts)]


# a question of its own in a message of several: a question word or verb first ('And which day do they test it?')
# ('And if I lose my card, how much do I pay?': a condition, then the question)
_OWN_QUESTION_START = re.compile(r"^\s*(?:(?:and|also|plus|oh and),?\s+)?(?:(?:if|when|once)\b[^,?]{3,80},\s*)?"
                                 r"(?:(?:at|from|by|in|on|for|until|till|to)\s+(?=what|which|whom))?"
                                 r"(?:what|which|who|whom|where|when|why|how"
                                 r"|is|are|do|does|did|can|could|will|would|should|must|may|am)\b", re.I)


# ('In Leeds office, where do we wait ...?': where the question is asked of, said first)
_LEADING_PHRASE = re.compile(r"^\s*(?:in|at|for|on|about|re|regarding)\b[^,?]{1,40},\s*", re.I)


def _asked_apart(context: str, ask: str) -> list[str]:
    """Questions asked one after another ('Where do we wait when the fire alarm goes? And which day do they test
    it?'): each a part, with the scene; [the whole] when any piece is no question of its own ('what now??')."""
    pieces = [p for p in split_questions(ask) if p.strip(" ?")]
    whole = [f"{context} {ask}".strip()]
    if not 1 < len(pieces) <= MAX_PARTS or not all(p.endswith("?") and len(content_terms(p)) >= 2 for p in pieces) \
            or not all(_OWN_QUESTION_START.match(p) for p in pieces[1:]) \
            or not _OWN_QUESTION_START.match(_LEADING_PHRASE.sub("", pieces[0])):
        return whole
    # (the place said first is every piece's: 'In Porto office, what time ...? And how much if I lose my card?')
    lead = _LEADING_PHRASE.match(pieces[0])
    later = f"{context} {lead.group(0).strip(' ,')}." if lead else context
    return [f"{context} {pieces[0]}".strip(), *(f"{later} {p}".strip() for p in pieces[1:])]


# 'I need both the policy number and the emergency line. Could you provide both?': two things asked for, by a
# statement of need and a request for them
_ASKS_FOR_THEM = re.compile(r"^\s*(?:(?:could|can|would|will) you (?:please )?|please )?(?:provide|give|send|tell"
                            r"|share|list|find)(?: me| us)?(?: with)? (?:both|them|these|those|the two|each)"
                            r"(?: of them)?(?: please)?\s*[?.!]?\s*$", re.I)
_NEEDS_PAIR = re.compile(r"(?:^|(?<=[.!;]\s))(?P<before>[^.!;]*?)\b(?:i|we) (?:need|want|require|am looking for"
                         r"|are looking for)\s+(?:both\s+)?(?P<a>(?:the|a|an|our|my|your)\s+[^.;?!]+?)\s+and\s+"
                         r"(?P<b>(?:the|a|an|our|my|your)\s+[^.;?!]+?)\s*[.;!]?\s*$", re.I)


def _needed_pair(context: str, ask: str) -> list[str]:
    """The two things a statement of need names, each asked for on its own ('What is the policy number ...?'), when
    the question only asks for them ('Could you provide both?'); [] otherwise."""
    found = _NEEDS_PAIR.search(context) if context and _ASKS_FOR_THEM.match(ask) else None
    if not found:
        return []
    scene = (context[:found.start()] + found.group("before")).strip(" ,")
    scene = f"{scene}." if scene and not scene.endswith((".", "!", "?")) else scene
    return [f"{scene} What is {found.group(thing)}?".strip() for thing in ("a", "b")]


def _with_words_across(ask: str, parts: list[str]) -> list[str]:
    """The parts, each with the policy words that a wording across it and an earlier part stands for ('when is the
    fire alarm test, and where do we meet outside?': '... outside (assembly point)?')."""
    out = []
    for part, words in zip(parts, words_across(ask, parts), strict=True):
        if words and part.endswith(")?"):
            part = f"{part[:-2]}, {' '.join(words)})?"
        elif words:
            part = f"{part.rstrip('?')} ({' '.join(words)})?"
        out.append(part)
    return out


# 'If I'm off sick, do I get paid?': a leading condition is not a part of its own; it goes with every part.
# ('What about if I cycle to a client site, is there a per-mile rate?': a condition asked as 'what about')
_LEADING_CONDITION = re.compile(r"^(?:(?:what|how) about\s+)?(?:if|when|whenever|while|once|after"
                                r"|before|since|as soon as|because|unless|although|in case)\b", re.I)


_STATEMENT_THEN_QUESTION = re.compile(rf"^(.+?)\s*(?:\s[-–—]\s|:\s)\s*((?:{_ASKING_PREPOSITION} (?=what|which|how|when)"
                                      r"|by when\b)?(?:what|how|when|where|who|which|can|could|do|does|is|are|should"
                                      r"|must|will|would)\b.+)$", re.I)
# 'When do managers get the letters, and ...': a question about a time, not a condition ('When I travel, ...').
# ('when's the alarm test': 'when is'; 'When in the month does my salary get paid?': where in time, then the verb)
_ASKS_WHEN = re.compile(r"^(?:when|once|since)(?:['’]s\b|\s+(?:(?:in|during|of|on) (?:the |a )?[a-z]+\s+)?"
                        r"(?:do|does|did|is|are|was|were|can|could|will|would|should|must|may|might|has|have|had)\b)",
                        re.I)


# 'What spending target, as a share of GDP, is the Pentagon asking for?': a phrase set off by commas, and the
# question going on after it (no second clause).
_INSERTED_PHRASE = re.compile(r",\s*(?:as|in|for|of|on|at|by|with|from|per|including|excluding|say)\b[^,]*$", re.I)


_TRAILING_CONDITION = re.compile(r",?\s+and\s+(?P<condition>(?:once|if|when|after|before|as soon as)\s[^,?]+)$", re.I)


_WHAT_NOUN = re.compile(r"^(?:what|which)\s+(?:percentage|percent|share|rate|amount|time|date|day|deadline|number"
                        r"|figure|limit|cap|fee|cost|price)\s*\??$", re.I)


# 'leeds office what time does it open': a topic of a few words typed before the question, with no verb of its own
_TOPIC_THEN_QUESTION = re.compile(r"^((?:[\w'’-]+\s+){0,3}[\w'’-]+)\s+((?:what|how|when|where|who|which)\b.+)$", re.I)


def _topic_then_question(piece: str) -> re.Match | None:
    found = _TOPIC_THEN_QUESTION.match(piece)
    if not found or any(word.lower() in _SENTENCE_WORDS for word in found.group(1).split()):
        return None
    return found


_BARE_ASKING_PHRASE = re.compile(rf"^(?:{_ASKING_PREPOSITION} )?(?:which|what) [a-z]+$|^(?:when|where|how|what time)$",
                                 re.I)


def _clauses(ask: str) -> list[str]:
    pieces = [p.strip(" ,") for p in _CLAUSE.split(ask) if p and p.strip(" ,")]
    for i in range(len(pieces) - 1):
        # '... a year, and once I put in a request, how long does my manager have ...?': the condition that ends
        # a piece opens the next
        trailing = _TRAILING_CONDITION.search(pieces[i])
        if trailing and trailing.start() > 0:
            pieces[i], pieces[i + 1] = pieces[i][:trailing.start()].rstrip(" ,"), \
                f"{trailing.group('condition')}, {pieces[i + 1]}"
    if len(pieces) > 1 and _INSERTED_PHRASE.search(pieces[0]):
        return [ask]
    if len(pieces) > 1 and not _QUESTION_START.match(pieces[0]):
        # 'starting in Porto on Monday - what time do I show up, and ...': the statement, then the first question
        said = (_STATEMENT_THEN_QUESTION.match(pieces[0]) or _AS_WHO_THEN_QUESTION.match(pieces[0])
                or _topic_then_question(pieces[0]))
        # (not a condition after the phrase: 'For the insurance when I travel for work, what is ...')
        if said and not (_LEADING_CONDITION.match(said.group(2)) and not _ASKS_WHEN.match(said.group(2))):
            pieces[0:1] = [said.group(1), said.group(2)]
    # 'If I'm off sick, ...' or a statement ('been here about 8 months, can I ...?') before the question's clauses
    condition = pieces.pop(0) if len(pieces) > 1 and ((_LEADING_CONDITION.match(pieces[0])
                                                       and not _ASKS_WHEN.match(pieces[0]))
                                                      or not _QUESTION_START.match(pieces[0])) else ""
    # (a piece of two words asks only as 'what percentage?', 'which day?': a value)
    if len(pieces) < 2 or any(len(p.split()) < 3 and not _WHAT_NOUN.match(p) for p in pieces):
        return [ask]
    if _BARE_ASKING_PHRASE.match(pieces[0]):
        return [ask]  # 'On which day and at what time does the weekly test take place?': one event, asked twice
    if condition:
        pieces = [f"{condition}, {p}" for p in pieces]
    first_names = _capitalised(pieces[0])
    noun = _WHICH_NOUN.search(pieces[0])
    parts = []
    for i, piece in enumerate(pieces):
        if i and noun and _BARE_WHICH.search(piece.split(", ")[-1]):
            # '... which month's pay includes the holiday allowance, and which includes ...': which month's pay
            head, _, last = piece.rpartition(", ")
            last = f"which {noun.group(1)} {last[len('which '):]}"
            piece = f"{head}, {last}" if head else last
        piece = piece[0].upper() + piece[1:]
        piece = piece if piece.endswith("?") else piece.rstrip(".") + "?"
        if i and first_names:
            missing = [n for n in first_names if n not in piece]
            if missing:
                piece = piece[:-1] + f" ({', '.join(missing)})?"
        parts.append(piece)
    return parts


_SET_APART = re.compile(rf"\b(?:outside|{_SETS_APART})\s+(?:the\s+)?$", re.I)


def _pairs(ask: str) -> list[str]:
    compared = _COMPARED.split(ask, maxsplit=1)
    if len(compared) == 2:
        first, second = compared
        a, b = _capitalised(first), _capitalised("x " + second)
        if len(a) == 1 and len(b) == 1:
            first = first.rstrip(" ?") + "?"
            return [first, first.replace(a[0], b[0])]
    match = _PAIR.search(ask)
    if not match or match.start("a") == 0 or _SET_APART.search(ask[:match.start("a")]):
        return [ask]  # (not places set apart: 'Europe outside the UK and Portugal' is one place)
    prep = match.group("prep") or ""
    keep = match.group(0)
    out = []
    for name in (match.group("a"), match.group("b")):
        replacement = keep[:keep.index(match.group("a"))] + name if not prep else prep + name
        if "office" in keep[:keep.index(" and ")]:
            replacement += " office"
        elif " staff and " in keep:
            replacement += " staff"
        out.append(ask[:match.start()] + replacement + ask[match.end():])
    return out


# 'travel insurance policy number and the emergency assistance number', 'expenses deadline + receipt limit': a
# question typed as a list of the things wanted, with no verb to ask with.
_THING_LIST = re.compile(r"\s+(?:and|&|\+)\s+")
# (words that make it a sentence: a verb, or the asker as its subject or owner)
_SENTENCE_WORDS = frozenset({"is", "are", "was", "were", "be", "do", "does", "did", "can", "could", "should", "must",
                             "will", "would", "may", "have", "has", "get", "gets", "need", "needs", "i", "we", "you",
                             "my", "our"})


# 'Tell me what time the building shuts, and the number for reception.': a question, then a thing asked of as well
_AND_THE_THING = re.compile(r"^(?P<first>.+?),\s+(?:and|plus)\s+(?:also\s+)?"
                            r"(?P<thing>(?:the|its|their)\s+[a-z][\w'’-]*(?:\s+[\w'’-]+){0,10}?)\s*[.?!]?\s*$", re.I)
# ... whose thing may go on in a clause that says which ('and the maximum the company will pay per night for my
# hotel'), its verb the clause's own
_THING_WHICH = re.compile(r"^(?:the|its|their)\s+[a-z][\w'’-]*(?:\s+[a-z][\w'’-]*)?\s+(?:that\s+|which\s+)?"
                          r"(?:the company|fernhill|i|we|you|they)\s+(?:will|would|can|could|may|might|should)\b",
                          re.I)
_ASKING_WORDS = re.compile(rf"\b(?:what|whats|when|where|who|how|which|{REQUEST_OPENER})\b", re.I)
_CLAUSE_WORDS = re.compile(r"\b(?:is|are|was|were|do|does|did|can|could|should|must|will|would|have|has|i|we|you|my"
                           r"|get|gets|need|needs)\b", re.I)


_THING_WORDS = 6  # a thing of no clause of its own is named in a few words


def _and_the_thing(ask: str) -> list[str]:
    """[the question, 'What is the <thing>?'] for a question followed by ', and the <thing>' of no verb of its own;
    [ask] otherwise."""
    match = _AND_THE_THING.match(ask)
    # (not 'the difference between the Leeds rate, and the Porto one': one thing compared with another)
    if not match or not _ASKING_WORDS.search(match.group("first")) \
            or ((_CLAUSE_WORDS.search(match.group("thing")) or len(match.group("thing").split()) > _THING_WORDS)
                and not _THING_WHICH.match(match.group("thing"))) \
            or re.search(r"\bbetween\b", match.group("first"), re.I) \
            or re.search(r"\bones?$", match.group("thing"), re.I):
        return [ask]
    first = match.group("first").rstrip(" ,")
    first = first[:1].upper() + first[1:]
    thing = f"What is {match.group('thing')}?"
    missing = [n for n in _capitalised(first) if n not in thing]  # ('... the Porto office ..., and the number
    if missing:  # for reception': reception there)
        thing = thing[:-1] + f" ({', '.join(missing)})?"
    return [first if first.endswith("?") else first.rstrip(".") + "?", thing]


# 'what's the policy no and the 24hr helpline number pls': two things, each with its determiner, after one 'what is'
_DETERMINED = r"(?:the|our|my|its|their|your)\s+[\w'’-]+(?:\s+[\w'’-]+){0,4}?"
_WHAT_THE_PAIR = re.compile(rf"^(?P<lead>.*?)\b(?:what(?:['’]?s|\s+(?:is|are))|which (?:is|are))\s+(?P<a>{_DETERMINED})"
                            rf"\s+and\s+(?P<b>{_DETERMINED})\s*(?:,?\s*(?:please|pls|plz))?\s*[?.!]*\s*$", re.I)


def _what_the_pair(ask: str) -> list[str]:
    """['What is <a>?', 'What is <b>?'] for 'what's <a> and <b>' of no verb of their own; [ask] otherwise (not
    'what's the difference between the Leeds and the Porto rate')."""
    match = _WHAT_THE_PAIR.match(ask.strip())
    if not match or any(_CLAUSE_WORDS.search(match.group(side)) for side in ("a", "b")) \
            or re.search(r"\b(?:between|difference|same)\b", match.group("a"), re.I):
        return [ask]
    lead = match.group("lead")
    return [f"{lead}What is {match.group(side)}?" for side in ("a", "b")]


def _listed_things(ask: str) -> list[str]:
    """Each thing of a list of two or three, asked as 'What is the <thing>?'; [ask] for anything else (a question
    word, a verb, or a side of one word: 'health and safety coordinator')."""
    text = ask.strip().rstrip("?. ")
    if _QUESTION_START.match(text) or any(w.lower() in _SENTENCE_WORDS for w in re.findall(r"[\w'’]+", text)):
        return [ask]
    sides = [s.strip(" ,") for s in _THING_LIST.split(text)]
    # 'mileage rate for UK and for portugal': a later side that opens with its preposition is the first thing again,
    # for another case
    thing = _SIDE_QUALIFIED.match(sides[0])
    if thing:
        sides = [sides[0], *(f"{thing.group('thing')} {s}" if _SIDE_QUALIFIED.match(f"x {s}") and s.split()[0].lower()
                             in _SIDE_PREPOSITIONS else s for s in sides[1:])]
    if not 2 <= len(sides) <= MAX_PARTS or any(not 2 <= len(s.split()) <= 6 for s in sides):
        return [ask]
    return [f"What is the {_ARTICLE.sub('', s)}?" for s in sides]


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_SIDE_PREPOSITIONS = frozenset({"for", "in", "at", "of", "on", "to", "from"})
_SIDE_QUALIFIED = re.compile(r"^(?P<thing>.+?)\s+(?:for|in|at|of|on|to|from)\s+\S", re.I)


def _capitalised(text: str) -> list[str]:
    """Capitalised words not at the start of the text ('Leeds', 'Porto', 'MFA'); not a function word starting a
    sentence after a scene carried in front of it ('Leeds What's the deadline ...?')."""
    tokens = re.findall(r"[A-Za-z][\w'’-]*", text)
    return list(dict.fromkeys(t for t in tokens[1:] if t[:1].isupper() and content_terms(t)
                              and t.lower() not in _CHAT_CAPITALS))


# words typed in capitals that name nothing ('... need to OK it', 'ASAP')
_CHAT_CAPITALS = frozenset({"ok", "okay", "asap", "fyi", "pls", "tbh", "btw", "lol", "eta", "aka"})


# 'in each office', 'for both offices', 'at all the sites': the same question about every one the articles name.
_EACH = re.compile(r"\b(?P<prep>(?:in|at|for|of|from|to) )?(?:each|both|every|all(?: of)?(?: the| our)?)"
                   r"(?: of (?:the|our))? (?P<noun>[a-z]{3,})\b")


def parts_for_each(question: str, titles: list[str]) -> list[str]:
    """'How much is a badge in each office?' over articles titled 'Leeds office guide' and 'Porto office guide'
    -> one part per office; [question] when the articles do not name two to MAX_PARTS of them."""
    match = _EACH.search(question)
    if not match:
        return [question]
    noun = match.group("noun")
    noun = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun  # 'offices' -> 'office'
    names: list[str] = []
    for title in titles:
        for found in re.finditer(rf"\b([A-Z][\w'’]*(?: [A-Z][\w'’]*)*) {noun}s?\b", title):
            if found.group(1) not in names:
                names.append(found.group(1))
    if not 2 <= len(names) <= MAX_PARTS:
        return [question]
    prep = match.group("prep") or ""
    return [f"{question[:match.start()]}{prep}the {name} {noun}{question[match.end():]}" for name in names]


def part_labels(parts: list[str]) -> list[str]:
    """What tells each part of a compound question from the others ('Leeds', 'Porto'); '' for a part that differs
    by what it asks rather than by a name."""
    names = [[n for piece in _STATEMENT_END.split(part) for n in _capitalised(_COMPARED_WITH.sub("", piece))]
             for part in parts]  # (not a place compared with: 'open until 8pm like Leeds?')
    if len(parts) < 2:
        return [""] * len(parts)
    common = set.intersection(*(set(n) for n in names))
    return [" ".join(n for n in found if n not in common) for found in names]


# 'What is the verification phrase for ...?': the thing asked about, up to its first qualifier.
_WHAT_IS_THE = re.compile(r"^\s*what(?:'s|’s| is| are| was| were)\s+(?:the |your |our |my )(?P<np>[a-z][\w-]*(?: [a-z]"
                          r"[\w-]*){0,3}?)(?=\s+(?:for|of|in|at|on|to|from|with|when|if|that|which|used|we|i|you|"
                          r"there|now|today)\b|\s*[?.]?\s*$)", re.I)


def asked_thing(question: str) -> str:
    """What a 'what is the X?' question asks about, up to its first qualifier ('verification phrase' for 'What is
    the verification phrase for urgent payments?'); '' for other questions."""
    asked = split_context(question)[1]
    match = _WHAT_IS_THE.search(asked) or _WHICH_WE_USE.search(asked)
    return match.group("np").lower() if match else ""


# 'Which VPN do we use?': the thing is the VPN, and 'Fernhill Connect is our VPN client' says which it is.
_WHICH_WE_USE = re.compile(r"^\s*(?:which|what)\s+(?P<np>[a-z][\w-]*(?: [a-z][\w-]*){0,2}?)\s+(?:do|does|should|must)"
                           r"\s+(?:we|i|you|staff|the company)\s+(?:use|have)\b(?!\s+to\b)", re.I)  # (not 'have to')


# 'Where is the signing key kept?': the thing whose place is asked.
_WHERE_IS = re.compile(r"^\s*where (?:is|are) (?:the |our |my |your )(?P<np>[a-z][\w-]*(?: [a-z][\w-]*){0,3}?)"
                       r"(?:\s+(?:kept|stored|held|located|based|found|installed))?\s*\??\s*$", re.I)


def asked_place_of(question: str) -> str:
    """What a 'where is the X (kept)?' question asks the place of ('signing key'); '' for other questions."""
    match = _WHERE_IS.search(_last_asked(question))
    return match.group("np").lower() if match else ""


def states_where(thing: str, sentence: str) -> bool:
    """Does the sentence, about `thing` as its subject, say where it is ('The production signing key is held in a
    safe in room L2.14'), rather than only mention it?"""
    words = r"\s+".join(re.escape(w) for w in thing.split())
    return bool(re.search(rf"^\W*(?:[\w'’-]+\s+){{0,3}}{words}(?:e?s)?\s+(?:is|are)\s+(?:[\w-]+\s+)?(?:in|at|on|inside"
                          rf"|under|behind|beside|next to)\b", sentence, re.I))


def states_the_thing(thing: str, sentence: str) -> bool:
    """Does the sentence say what `thing` is, as its subject ('The current verification phrase is GREY HERON.'),
    rather than only mention it ('ask for the verification phrase', 'who cannot give the phrase is reported')?"""
    if not thing:
        return False
    words = r"\s+".join(re.escape(w) for w in thing.split())
    if re.match(rf"For\s+(?:the\s+)?{words}(?:e?s)?,", sentence, re.I):
        return True  # a table row read as a sentence, the thing in its first cell: 'For Market adjustment pool, ...'
    if re.search(rf"\b(?:is|are)\s+(?:our|the company's|the)\s+(?:[\w-]+\s+){{0,2}}?{words}(?:e?s)?\b", sentence, re.I):
        return True  # the thing as the predicate: 'Fernhill Connect is our VPN client.'
    subject = rf"^\W*(?:[\w'’-]+\s+){{0,3}}{words}(?:e?s)?"  # at most three words before it: 'The current ...'
    return bool(re.search(subject + rf"(?:\s+(?:is|are|was|were|remains|reads)\b{_NOT_PASSIVE}{_NOT_COMPARED}"
                          rf"|:\s*\S)", sentence, re.I))


# 'The Porto pool is larger because ...' compares the thing with another; it does not say what it is.
_NOT_COMPARED = r"(?!\s+(?:\w+er|more|less)\s+(?:than|because|as|since|in|for|at)\b)"
# 'Salary bands are reviewed every April' says what is done to the thing, not what it is.
_NOT_PASSIVE = (r"(?!\s+(?:\w{2,}ed|given|taken|written|chosen|shown|known|held|kept|set|made|paid|sent|done|run|being"
                r"|not)\b)")


# 'Who commands the Northern Fleet?', 'Who is the chief executive of Acme?': the role whose holder is asked.
_AGENT_NOUNS = {"command": "commander", "lead": "leader", "head": "head", "found": "founder", "chair": "chair",
                "direct": "director", "manage": "manager", "own": "owner", "govern": "governor", "coach": "coach",
                "edit": "editor", "captain": "captain", "preside": "president"}
_WHO_DOES = re.compile(r"^\s*who\s+(?:currently\s+|now\s+)?(?P<verb>command|lead|head|found|chair|direct|manage|own"
                       r"|govern|coach|edit|captain|preside)(?:s|ed|es)?\b", re.I)
_WHO_IS_ROLE = re.compile(r"^\s*who\s+(?:is|was|are|were)\s+(?:the\s+)?(?:current\s+|new\s+|former\s+)?"
                          r"(?P<role>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)\s+(?:of|at|for|in)\b", re.I)
# A name of two or more capitalised words ('Jane Holt', 'Adm. Jane Holt')
_PERSON_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|[A-Z]\.))*[ -][A-Z][a-z]+(?:-[a-z]+)?\b")


def asked_role(question: str) -> str:
    """The role whose holder a 'who' question asks for ('commander' for 'Who commands the Northern Fleet?', 'chief
    executive' for 'Who is the chief executive of Acme?'), lower-cased; '' for other questions."""
    asked = _last_asked(question)
    does = _WHO_DOES.match(asked)
    if does:
        return _AGENT_NOUNS[does.group("verb").lower()]
    role = _WHO_IS_ROLE.match(asked)
    return role.group("role").lower() if role else ""


def names_the_holder(role: str, sentence: str) -> bool:
    """Does the sentence name who holds the role, beside it ('Admiral Jane Holt, commander of the Northern
    Fleet', 'the chief executive, Jane Doe')?"""
    words = r"\s+".join(re.escape(w) for w in role.split())
    for found in re.finditer(rf"\b{words}s?\b", sentence, re.I):
        near = sentence[max(0, found.start() - 60):found.end() + 60]
        if _PERSON_NAME.search(near.replace(found.group(0), " ")):
            return True
    return False
