"""Compound nouns that tell one kind of thing from another: 'bereavement leave' is not 'annual leave'.

A question about 'M H' (a modifier and the noun it qualifies) asks about one kind of H. When no retrieved passage
speaks of M, by the word, an inflection, an acronym or a word close in meaning ('price' / 'cost'), the articles
describe other kinds of H, and a sentence about 'annual leave' answers 'How many days of bereavement leave?'
only by looking alike: the embedding model reads the two as near-identical. Likewise a yes/no question about a
thing no passage mentions ('Can I bring my dog to the office?' over office rules) is not answered by the rule
nearest in meaning. Names are left to the name check (service/grounding.py missing_names); this is for the common
nouns that the embedding blurs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from ragqa.policy_words import policy_words, same_meaning
from ragqa.service.question_types import PERSON_NOUNS, REQUEST_OPENER, checks_a_statement, is_search_query
from ragqa.service.ranges import without_sums
from ragqa.words import STOPWORDS, acronym_terms, content_terms, long_forms, matched_terms, stem

_SEGMENT = re.compile(r"[^,;:()?!.\n]+")  # words either side of punctuation are not one compound
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
_POSSESSIVE = re.compile(r"(?<=s)['’]$|['’]s$")  # 'carer's', 'parents''
# A noun phrase opens after one of these ('the exchange rate', 'of paid bereavement leave', 'which printer model',
# 'how much paternity leave', 'how many weeks paternity leave': the unit counted is no kind, _NOT_KINDS; 'give for
# maternity leave'; and after 'how long is' / 'how much is', _COPULAS); a pair of content words elsewhere is as often
# a verb and its object ('to use leave').
_OPENERS = frozenset({"the", "a", "an", "my", "our", "your", "their", "his", "her", "its", "which", "what", "of",
                      "any", "each", "every", "some", "no", "much", "many", "on", "for"})
_COPULAS, _HOW_WORDS = frozenset({"is", "are"}), frozenset({"long", "much", "many", "often"})
# Before a phrase, these make it the subject of an inverted question, followed by its verb.
_AUXILIARIES = frozenset({"do", "does", "did", "can", "could", "will", "would", "should", "shall", "must", "may",
                          "might"})
# Modifiers that place a thing in time, order or size, not in kind ('last year', 'the current rate').
_NOT_KINDS = frozenset({"bit", "lot", "certain", "various", "such", "couple", "thing", "things", "stuff",
                        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                        "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "ninety", "hundred",
                        "few", "several", "many",  # 'the first three days': how many, not what kind
                        "days", "weeks", "months", "years", "hours", "minutes", "nights",  # ... and in what unit
                        "last", "next", "current", "previous", "new", "old", "same", "other", "usual", "whole",
                        "total", "latest", "recent", "earlier", "later", "maximum", "minimum", "average", "first",
                        "second", "main", "standard", "normal", "full", "paid", "unpaid", "exact",
                        "approximate", "overall", "typical", "longest", "shortest", "biggest", "smallest", "highest",
                        "lowest", "most", "least", "best", "worst", "earliest", "soonest", "nearest", "closest",
                        "furthest", "farthest", "cheapest", "quickest", "fastest", "right", "correct", "official",
                        "present",
                        "existing", "ongoing", "upcoming", "forthcoming", "coming", "impending", "future", "former",
                        "planned", "proposed", "expected", "estimated",
                        # ... or who was given it ('their assigned buddy' is their buddy)
                        "assigned", "allocated", "designated", "appointed", "nominated", "matched", "allotted",
                        # ... or how often it comes round ('a regular test' is the weekly test)
                        "regular", "routine", "periodic", "scheduled", "recurring", "occasional",
                        # ... or its size or worth, which the articles rarely grade ('a little heater' is a heater)
                        "little", "small", "tiny", "big", "large", "huge", "short", "long", "quick", "brief", "good",
                        "nice", "great", "simple", "proper", "cheap", "own", "extra", "additional", "spare", "more",
                        "less", "wrong", "actual", "real", "true", "genuine", "precise", "specific", "particular",
                        # ... or likeness to what it names ('ChatGPT or a similar public chatbot')
                        "similar", "comparable", "equivalent", "like",
                        # ... or how a person is, which no policy grades ('a friendly colleague' is a colleague)
                        "friendly", "helpful", "kind", "lovely", "decent", "reliable", "trusted",
                        "knowledgeable", "patient",
                        # ... or how much of it is left ('leftover holiday days' are days of leave)
                        "leftover", "remaining", "unused", "outstanding", "untaken", "left-over",
                        # ... or only say it is for work, as everything in an organisation's articles is ('a work
                        # trip' is a business trip; 'my work laptop' the laptop)
                        "work", "business"})
# Words that end a phrase rather than name a thing: prepositions the stop words lack ('budget per night'), adverbs
# ('straight away') and common irregular past tenses ('Which meetings gave little reason...': the subject's verb
# follows it without an auxiliary).
_NOT_NOUNS = frozenset({
    "per", "via", "plus", "minus", "versus", "including", "excluding", "like", "near", "within", "without", "across",
    "along", "among", "behind", "beside", "beyond", "despite", "during", "inside", "outside", "since", "through",
    "toward", "towards", "upon", "whether", "while", "until", "unless", "onto", "except", "around",
    "between", "amid", "amongst", "against", "beneath", "underneath", "throughout",
    "somewhere", "anywhere", "everywhere", "nowhere",
    "even", "away", "back", "ago", "instead", "together", "anyway", "ahead", "apart", "aside", "abroad", "overseas",
    "yet", "still", "already", "often", "always", "never", "ever", "soon", "later", "today", "tomorrow", "yesterday",
    "gave", "took", "made", "said", "went", "came", "got", "won", "led", "held", "set", "put", "met", "saw", "told",
    # ('when does the weekly check take place?': a verb)
    "take", "takes",
    "sent", "left", "kept", "brought", "bought", "thought", "found", "became", "began", "ran", "wrote", "spoke",
    "chose", "rose", "fell", "grew", "drew", "knew", "sold", "built", "lost", "spent", "cut", "hit", "meant", "felt",
    "stood", "understood", "struck", "lay", "laid", "let", "shut", "sat", "heard", "taught", "caught", "fought",
    "sought", "dealt", "hung", "ate", "drove", "flew", "gone", "done", "seen", "given", "taken", "written", "known",
    "shown", "grown", "drawn", "chosen", "spoken", "broken", "risen", "fallen", "driven", "flown", "eaten", "hidden",
    "broke", "stole", "stolen", "begun", "wore", "worn", "hid", "forgot", "forgotten",
    # reporting verbs: 'a colleague says the rate is £45' is no kind of colleague
    "says", "reckons", "thinks", "claims", "mentioned", "insists", "swears", "reckoned",
    # comparatives: 'anything better than economy' asks about economy's betters, no thing called 'better'
    "better", "worse", "cheaper", "dearer", "bigger", "larger", "smaller", "higher", "lower", "nicer", "faster",
    "else",
    # adverbs before a verb: 'a colleague suddenly collapses' is no kind of colleague
    "suddenly", "accidentally", "recently", "actually", "really", "finally", "quickly", "nearly", "almost",
    "probably", "apparently", "unexpectedly", "urgently", "immediately", "completely", "just", "also", "only",
})
# Words that qualify a thing but are never the thing itself: 'paid' follows its subject as a verb ('the client company
# paid for my supper'), and 'last' ends a phrase as a time ('stolen out of my car last night').
_NOT_HEADS = frozenset({"paid", "unpaid"}) | (_NOT_KINDS - {"maximum", "minimum", "average", "total", "standard",
                                                            "second", "official", "work", "business"})
# A modifier closer than this in meaning to a word of the passages is covered by it ('price' / 'cost': 0.74);
# kinds the articles lack stay under it ('bereavement': 0.40, 'paternity': 0.24, 'dental': 0.52, 'exchange': 0.64).
KIND_COVER_COSINE = 0.65
KIND_WINDOW = 2  # words either side of the head where a word for the kind would stand ('paid sick leave')


def _segments(text: str) -> list[list[str]]:
    """The words of each punctuation-free run of the text."""
    return [_WORD.findall(seg) for seg in _SEGMENT.findall(text)]


def _content(word: str) -> bool:
    low = word.lower()
    # ('his', 'her': owners that open a phrase, never a kind of its thing: 'for his meals')
    return low.isalpha() and len(low) > 2 and low not in STOPWORDS and low not in _NOT_NOUNS and low not in _OPENERS


def question_compounds(question: str, *, through_hyphens: bool = False) -> list[tuple[str, str]]:
    """(modifier, head), lower-cased, for adjacent common nouns of the question's noun phrases ('bereavement',
    'leave' in 'How many days of paid bereavement leave...'). A name inside a phrase splits it. The first pair
    after 'which' or 'what' names the category the answer belongs to, not a kind the articles must use: 'What
    cabin class can I book?' is answered by 'Book economy class'."""
    pairs: list[tuple[str, str]] = []
    question = without_sums(question)  # ('my £35 monthly home broadband bill')
    for seg in _segments(question):
        run: list[str] = []
        opener = previous = ""
        subject = False  # the phrase is an inverted question's subject: 'How long does a refund take?'
        for word in [*seg, ""]:
            low = word.lower()
            capitalised = word[:1].isupper() and low not in _OPENERS
            owner = False
            if not capitalised and _POSSESSIVE.search(low):
                # 'of carer's leave': a kind of leave; 'a client's readings': whose readings, not a kind of them.
                low = _POSSESSIVE.sub("", low)
                owner = not run and opener in _DETERMINERS
            if run and _verb_form(low):
                # 'his comments tying military support', 'the minister insisted troop cost-sharing ...': a verb after
                # a noun opens a clause; what follows it is its object, a phrase of its own
                pairs += _kinds(run, opener)
                run = []
                continue
            if through_hyphens and opener and "-" in low and _content(low.replace("-", "")):
                continue  # 'the interest-free season ticket loan': the phrase goes on past a hyphenated modifier
            if opener == "for" and not run and _PARTICIPLE_ING.search(low) and low not in _ING_NOUNS:
                continue  # 'money for grabbing lunch': a verb and its object, not a kind of lunch
            if opener and word and not capitalised and _content(low) and not owner:
                run.append(low)
                continue
            if subject and not word:
                run = run[:-1]  # the question ends on the subject's verb ('take', 'cover'), not on a noun
            pairs += _kinds(run, opener)
            run = []
            if owner:
                continue  # the owned thing's phrase goes on: 'a client's meter readings'
            if low in _OPENERS or (low in _COPULAS and previous in _HOW_WORDS):  # ('how long is maternity leave')
                opener, subject = low, previous in _AUXILIARIES
            elif capitalised and _POSSESSIVE.search(word):
                opener, subject = "their", previous in _AUXILIARIES  # 'Fernhill's current stock price': whose
            elif not (opener and capitalised):  # a name keeps the phrase open: 'the next Japanese general election'
                opener, subject = "", False
            previous = low
    return list(dict.fromkeys(pairs))


_HYPHENATED = re.compile(r"\b(?:the|a|an|our|my|your|this|next|last)\s+([a-z]+(?:-[a-z]+)+)\s+([a-z]+)(?:\s+([a-z]+))?",
                         re.I)


def hyphenated_kinds(question: str) -> list[tuple[str, str]]:
    """(hyphenated modifier, head) of the question's noun phrases: ('end-of-year', 'freeze') in 'the end-of-year
    release freeze', where the phrase goes on past the modifier to its head."""
    pairs = question_compounds(question, through_hyphens=True)
    found = []
    for phrase in _HYPHENATED.finditer(question):
        modifier, first, second = (w.lower() if w else "" for w in phrase.groups())
        if second and (first, second) in pairs:
            found.append((modifier, second))
        elif _content(first) and not _verb_form(first) and not (second and _content(second)):
            found.append((modifier, first))  # 'the end-of-year freeze for ...'
    return found


def _kinds(run: list[str], opener: str) -> list[tuple[str, str]]:
    """The (modifier, head) pairs of one noun phrase's run of words; after 'which' or 'what' the first pair names
    the answer's category."""
    found = list(zip(run, run[1:], strict=False))
    return [(m, h) for m, h in found[1 if opener in ("which", "what") else 0:]
            if m not in _NOT_KINDS and h not in _NOT_HEADS]


# Whose a thing is, not its kind: 'company data' is the organisation's data, whatever its articles call it (still
# read as an earlier modifier: 'company credit card' is the articles' 'company card').
_WHOSE = frozenset({"company"})


def unknown_kinds(question: str, pairs: list[tuple[str, str]], text: str, terms: set[str],
                  embed: Callable[[list[str]], np.ndarray]) -> list[str]:
    """The modifiers of `pairs` whose head `text` (the retrieved passages, `terms` their stemmed content words)
    speaks of, but never of the modifier: by the word, an inflection, an acronym, or a word close in meaning."""
    # Only where the passages speak of the head: a phrase they lack whole may be theirs in other words ('PR').
    absent = [m for m, h in pairs if m not in _WHOSE and matched_terms({stem(h)}, terms)
              and not matched_terms({stem(m)}, terms)
              and not _written(m, text) and ("-" in m or not _said_otherwise(m, terms))
              and not _phrase_said_otherwise(m, h, terms)]
    if absent:
        spelled = acronym_terms(question, text)  # 'pull request' for a text that writes 'PR'
        absent = [m for m in absent if stem(m) not in spelled]
    if not absent:
        return []
    # 'company credit card': one of a run's modifiers naming the article's kind ('corporate card') names the thing
    earlier = {m: [m0 for m0, x in pairs if x == m] for m in absent}
    absent = [m for m in absent if not any(matched_terms({stem(m0)}, terms) for m0 in earlier[m])]
    if not absent:
        return []
    # A word close in meaning stands where the kind would: beside the head ('error rate', 'leave for illness'). Only
    # those few words are embedded (cached across requests), so the check costs little even over a large corpus.
    heads = {stem(h) for m, h in pairs if m in absent}
    tokens = re.findall(r"[a-z]+", text.lower())
    vocabulary = sorted({tokens[j] for i, w in enumerate(tokens) if stem(w) in heads
                         for j in range(max(0, i - KIND_WINDOW), min(len(tokens), i + KIND_WINDOW + 1))
                         if j != i and _content(tokens[j])})
    if not vocabulary:
        return absent
    asked = list(dict.fromkeys([*absent, *(m0 for m in absent for m0 in earlier[m])]))
    vectors = embed([*asked, *vocabulary])
    closest = dict(zip(asked, (vectors[:len(asked)] @ vectors[len(asked):].T).max(axis=1).tolist(), strict=True))
    return [m for m in absent if max(closest[w] for w in (m, *earlier[m])) < KIND_COVER_COSINE]


# 'Can I bring my dog to the office?', 'Is there a salary advance scheme?', 'Does Fernhill pay for lounge access?':
# the thing a yes/no question asks about.
_YESNO = re.compile(r"^\s*(?:(?:can|could|may|might|do|does|should|must|will|would)\s+(?:i|we|you|staff|employees"
                    r"|contractors|visitors|the company|(?-i:[A-Z][a-z]+)"
                    # ('can one of my team bring their dog ...?': a manager asks for someone they manage)
                    r"|he|she|they|(?:someone|somebody|one|a member|members) (?:in|on|of|from) (?:my|our) (?:[\w-]+ )?"
                    r"(?:team|staff|department|group|reports)|my (?:[\w-]+ )?(?:team|report|colleague|team member)s?"
                    # ('does fernhill give ...': a company typed in lower case, before what it gives or has)
                    r"|[a-z][\w'’-]*(?=\s+(?:have|offer|provide|run|give|pay|match|cover|contribute|fund|subsidi[sz]e)\b)"
                    # ('Does my company phone have data roaming?': what a thing the asker has comes with)
                    r"|(?:my|our|your|the) (?:[\w-]+ ){0,2}?(?:phone|mobile|laptop|card|car|insurance|contract"
                    r"|account|badge|pass|plan|policy)(?=\s+(?:have|include|come with|cover)\b))"
                    r"\s+(?:(?:still|also|ever|just|really|actually|simply|even|then)\s+)?"
                    r"(?:have to\s+|need to\s+|be allowed to\s+)?[a-z]+(?:\s+for)?|(?:is|are)\s+there"
                    # 'Am I allowed to bring my dog ...?', 'Is it OK to ...?'
                    r"|(?:am i|are we|is it)\s+(?:allowed|ok|okay|possible|permitted|fine)\s+to\s+[a-z]+)"
                    r"\s+(?P<rest>.+)$", re.I)
# 'Unrelated, but does ...?': words about the conversation before the question itself.
_ASIDE_OPENING = re.compile(r"^\s*(?:(?:unrelated|different question|separate question|another thing|also|oh and)"
                            r"\s*[,:-]?\s*(?:but\s+)?|(?:but|so)\s*,?\s+)", re.I)  # ('But can I bring my dog ...?')
_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "their", "any", "some"})
_PREPOSITIONS = frozenset({"from", "at", "in", "on", "to", "into", "with", "by", "onto"})
_PAST = re.compile(r"[^e]ed$")  # 'My phone crashed': the verb after the subject (irregular ones are _NOT_NOUNS)
_PARTICIPLE_ING = re.compile(r"[a-z]{2}ing$")
# Nouns in -ing that do name kinds ('room booking', 'car parking', 'sensor testing').
_ING_NOUNS = frozenset({
    "booking", "meeting", "training", "parking", "building", "funding", "housing", "planning", "marketing",
    "accounting", "engineering", "clothing", "lighting", "heating", "cleaning", "wedding", "morning", "evening",
    "ceiling", "setting", "settings", "testing", "hosting", "shipping", "printing", "catering", "onboarding",
    "offboarding", "recording", "reporting", "spending", "pricing", "signing", "rating", "ranking", "screening",
    "learning", "processing", "briefing", "landing", "crossing", "filling", "lending", "borrowing", "banking",
    "spelling", "wording", "opening", "closing", "flooring", "seating", "staffing", "sourcing", "coaching",
    "mentoring", "monitoring", "networking", "routing", "logging", "backing", "hearing", "dining", "shopping",
    "packaging", "cycling", "commuting", "messaging", "ticketing"})


def _verb_form(word: str) -> bool:
    """A past tense or participle ('insisted', 'tying') rather than a noun in -ing ('booking')."""
    if len(word) >= 5 and _PAST.search(word):
        return True
    return bool(_PARTICIPLE_ING.search(word)) and word not in _ING_NOUNS
_REFERRING = frozenset({"it", "them", "this", "that", "these", "those"})  # 'Can I claim for it?'; and 'a new one'
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})

# Objects that name nothing the articles would ('Do I need something from my GP?', 'Is there anywhere to eat?'),
# or only a quantity of something named elsewhere ('Do I still get the full amount?').
_INDEFINITE = frozenset({"something", "anything", "someone", "anyone", "somebody", "anybody", "anywhere",
                         "somewhere", "one", "ones", "thing", "things", "way", "ways", "time", "money", "help",
                         "amount", "sum", "total", "number", "figure", "rate", "price", "cost", "fee", "value",
                         "level", "limit", "share", "percentage", "part", "rest", "lot", "bit", "kind", "sort",
                         "type", "option", "options", "choice", "same", "more", "less", "extra", "stuff", "bits",
                         "items", "kit", "lots",
                         # (what to use in the stated thing's place: 'Is there an alternative I could use instead?')
                         "alternative", "alternatives", "substitute", "workaround"})
# Adjectives that follow the thing they say something of ('any money available', 'a desk free', 'a form needed').
_PREDICATIVE = frozenset({"available", "possible", "required", "needed", "allowed", "free", "open", "left", "ready",
                          "eligible", "due", "included", "entitled", "offered", "provided", "on", "there"})
# Categories whose members the articles name without the category's word ('Is there a company-approved tool for
# logins?' is answered by 'use Vaultwise, the company password manager'): no thing the articles must name.
_NAMED_BY_INSTANCE = frozenset({"tool", "tools", "app", "apps", "application", "applications", "software",
                                "platform", "website", "site", "portal", "program", "product", "solution", "provider",
                                "vendor", "service"})


# 'How much does Fernhill put into my pension?', 'How much do they pay towards a gym membership?', 'What percentage
# does Fernhill pay into my pension?': what the amount goes into or towards is the thing asked about.
_HOW_MUCH_TOWARDS = re.compile(r"^\s*(?:how much(?: money)?|what(?: (?:percentage|percent|%|share|proportion|amount"
                               r"|sum))?)\s+"
                               # ('What percentage of my salary does Fernhill pay into my pension?', '... of salary')
                               r"(?:of (?:(?:my|our|your|the|their|base|gross) )?[a-z]+\s+)?"
                               # (the auxiliary left out: 'How much money the company put in my pension?')
                               r"(?:(?:do|does|did|can|could|will|would|should)\s+)?(?:i|we|you|they|staff"
                               r"|employees|the company|(?-i:[A-Z][a-z]+)"
                               # ('how much does fernhill put into the pension': a company typed in lower case)
                               r"|[a-z][\w'’-]*(?=\s+(?:put|puts|pay|pays|contribute|contributes|add|adds)\b))"
                               # ('... does Fernhill contribute to the pension?')
                               r"\s+(?:(?:[a-z]+\s+){1,2}?(?:into|towards?)|contribut(?:e|es|ing)\s+to)\s+"
                               r"(?P<rest>.+)$", re.I)
# ... and 'put in': 'How much money the company put in my pension every month?'
_HOW_MUCH_PUT_IN = re.compile(r"^\s*how much(?: money)?\s+(?:(?:do|does|did|will|would)\s+)?"
                              r"(?:the company|[a-z][\w'’-]*)\s+(?:put|puts|pay|pays|paid)\s+in\s+"
                              r"(?P<rest>(?:my|our|your|their|the)\s.+)$", re.I)
# 'One of my reports uses his own motorbike. What mileage rate can he claim for it?': the thing the scene names.
_CLAIMED_FOR_IT = re.compile(r"^\s*(?:what|how much)\b[^?]*?\b(?:claim|expense|charge|get back)\s+for\s+"
                             r"(?P<rest>(?:it|them|this|that)\b.*)$", re.I)
# 'How much does the travel insurance pay out for a delay like that?': what the money is paid for
_PAID_OUT_FOR = re.compile(r"^\s*how much\b[^?]*?\b(?:pay|pays|paid|reimburse|reimburses|refund|refunds)(?: out| back)?"
                           r"\s+for\s+(?P<rest>(?:a|an|the|my|our|each|every)\s.+)$", re.I)
# 'What is the mileage rate if I use my own motorcycle?': what the asker's case uses, which the rate is asked for
_IF_USING = re.compile(r"\b(?:if|when) (?:i|we|he|she|they|you) (?:use|drive|ride|take) "
                       r"(?P<rest>(?:my|our|his|her|their|your|a|an) .+)$", re.I)
# '... change how much I pay into my pension each month?': what money goes into, anywhere in the question.
# (the asker's own money: not 'the deal that sets how much Korea pays toward the upkeep of troops')
_PAID_INTO = re.compile(r"\b(?:i|we)\s+(?:pay|put|contribute|save)\s+"
                        # ('If I put 5% of my salary into my pension ...': what is put, then where)
                        r"(?:(?:[\w%£€$.,]+\s+){1,4}?(?=into|towards?))?(?:in\s+)?(?:into|towards?)\s+"
                        r"(?P<rest>(?:my|our|the|a|an)\s+.+)$", re.I)
# 'Does Fernhill pay anything towards my home broadband?': an indefinite object, and what it goes towards.
_INDEFINITE_TOWARDS = re.compile(r"^(?:anything|something|money)\s+"
                                 r"(?:towards?|into|to(?=\s+(?:my|our|your|the|a|an)\s))\s+(?P<rest>.+)$", re.I)


# 'Can I expense part of my broadband bill?', 'paste a chunk of our firmware': a share or amount of the thing asked
# about.
_SHARE_OF = re.compile(r"^(?:(?:a |the )?(?:part|some|any|all|half|most|rest|share|portion|bits?|cost|price|chunks?"
                       r"|pieces?|cop(?:y|ies)|extracts?|snippets?|excerpts?|samples?|couple|few|bunch|lots?|batch"
                       r"|amount)"
                       r"(?: parts)? of|(?:a |an |any |the |some )?(?:discount|reduction|subsidy|contribution|help)"
                       r" (?:on|for|towards?|with))\s+(?P<rest>.+)$", re.I)  # 'any discount on gym membership'



def asked_object(asked: str, context: str = "") -> str:
    """The noun a yes/no question asks about, lower-cased: the head of the phrase right after its verb ('dog' in
    'Can I bring my dog to the office?', 'advance' in 'Can I get a salary advance?'); for 'one' or 'it', the thing
    the statements before the question open with ('bag' in 'My laptop bag broke. Can I expense a new one?'); after
    a preposition, what the verb is done at, from or with ('home' in 'Can I work from home?'); what an amount goes
    into or towards ('pension' in 'How much does Acme put into my pension?', 'Does Acme pay anything towards my
    pension?'); '' when there is none (a name or an indefinite word follows)."""
    phrase = _object_phrase(asked, context)
    # ('Is there a point after which claims are never paid?': a time, given by its value, not named)
    return phrase[-1] if phrase and phrase[-1] not in _INDEFINITE | _NAMED_BY_INSTANCE | _POINTS_IN_TIME else ""


# ... or a stretch of time ('Is there a period around the holidays when releases aren't allowed?')
_POINTS_IN_TIME = frozenset({"point", "stage", "moment", "time", "date", "deadline", "cutoff", "cut-off", "age",
                             "period", "window", "spell", "stretch"})


# 'When and where is the Christmas party this year?': the thing whose time or place is asked.
_WHEN_WHERE_IS = re.compile(r"^\s*(?:(?:when|where)(?:\s+and\s+(?:when|where))?\s+(?:is|are|was|will\s+be)"
                            # ... and 'How long can a sabbatical be?': the thing whose length or size is asked
                            r"|how (?:long|big|large)\s+(?:is|are|can|could|may))\s+"
                            r"(?:the|our|this year's|a|an)\s+(?P<rest>.+)$", re.I)
# ... and 'What's the weather usually like there?': the thing described
_WHAT_IS_LIKE = re.compile(r"^\s*what(?:'s|’s| is| are| was| will be)\s+(?:the|our)\s+(?P<rest>[^?]+?)\s+"
                           r"(?:[a-z]+ly\s+)?like\b", re.I)
_PARTICIPLE = re.compile(r"(?:ed|en)$|^(?:kept|held|built|sent|put|due|open|closed|based|run)$")


# 'How much pension does Fernhill match?': the thing whose amount is asked, named right after 'how much'
_AMOUNT_OF_THING = re.compile(r"^\s*how (?:much|many) (?P<thing>[a-z][a-z-]+)\s+(?:does|do|did|will|would|can|could"
                              r"|should|is|are|am|was|were)\b", re.I)


# ... and the thing a price is asked of: 'How much does the canteen charge for a sandwich?', 'How much does a
# replacement badge cost?'
_PRICE_OF_THING = re.compile(r"^\s*how much (?:does|do|did|will|would|is|are)\s+(?:[\w'’-]+\s+){1,3}?"
                             r"(?:charges?|costs?)\s+(?:me\s+|us\s+|you\s+|staff\s+)?for\s+(?:a|an|the|my|one|each)\s+"
                             r"(?P<thing>[a-z][a-z-]+)\b"
                             r"|^\s*how much (?:does|do|did|will|would)\s+(?:a|an|the|one)\s+(?:[a-z][a-z-]*\s+){0,2}?"
                             r"(?P<priced>[a-z][a-z-]+)\s+cost\b", re.I)


# 'Where's the best place for a francesinha near the station?', 'Where can we get a decent curry?': the thing
# sought, which the articles must speak of for a place to get it to be theirs to give
_SOUGHT_THING = re.compile(r"\b(?:best|good|nice|nicest|cheapest|nearest|closest|decent) (?:place|spot)s?\s+"
                           r"(?:for|to (?:get|eat|buy|have|find|grab)) (?:an? |some |the )?(?:good |decent |nice "
                           r"|proper )?(?P<thing>[a-z][\w-]+)"
                           r"|^\s*where(?:['’]s| is| are| can| could| do| should)?\s+(?:i|we|you|one)\s+"
                           r"(?:get|eat|buy|find|grab|have)\s+(?:(?:an?|some|the|good|decent|nice|proper)\s+)+"
                           r"(?P<had>[a-z][\w-]+)"
                           # ('Where's the best francesinha near the office?')
                           r"|^\s*where(?:['’]s| is| are|['’]re)\s+(?:the\s+)?(?:best|nearest|closest|cheapest|nicest"
                           r"|good|decent)\s+(?!(?:place|spot|option)s?\b)(?P<best>[a-z][\w-]+)", re.I)


def names_no_kind(word: str) -> bool:
    """Is the word one that says how much, when or which of a thing ('latest', 'monthly'), not what kind it is?"""
    return word.lower() in _NOT_KINDS or word.lower() in _NOT_NOUNS


def sought_thing(asked: str) -> str:
    """The thing a question asks where to get ('francesinha'), lower-cased; '' for none."""
    found = _SOUGHT_THING.search(asked)
    return (found.group("thing") or found.group("had") or found.group("best")).lower() if found else ""


def asked_amount_of(asked: str) -> str:
    """The thing a 'how much X does ...' question asks the amount of, lower-cased ('pension'), or the price of
    ('sandwich'); '' for none."""
    priced = _PRICE_OF_THING.match(asked)
    if priced:
        thing = (priced.group("thing") or priced.group("priced")).lower()
        return thing if thing not in STOPWORDS and thing not in _NOT_NOUNS | _INDEFINITE else ""
    match = _AMOUNT_OF_THING.match(asked)
    thing = match.group("thing").lower() if match else ""
    return thing if thing not in STOPWORDS and thing not in _NOT_NOUNS else ""


def asked_subject(asked: str) -> str:
    """The head noun of the thing a 'when/where is the X?' or 'what is the X like?' question asks about, lower-cased
    ('party' in 'When and where is the Christmas party?'; a name before it only says which); '' for other
    questions."""
    match = _WHEN_WHERE_IS.match(asked) or _WHAT_IS_LIKE.match(asked)
    if not match:
        return ""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", match.group("rest"))
    while words and words[0][:1].isupper():
        words = words[1:]
    phrase = []
    for word in words:
        low = word.lower()
        if word[:1].isupper() or not _content(low) or _PARTICIPLE.search(low):
            break
        phrase.append(low)
    return phrase[-1] if phrase and phrase[-1] not in _INDEFINITE | _NAMED_BY_INSTANCE else ""


def object_kind(asked: str, context: str = "") -> tuple[str, str] | None:
    """(modifier, head) where the asked object's modifier is one hyphenated word ('cycle-to-work', 'scheme' in 'Is
    there a cycle-to-work scheme?'): a kind of the thing that question_compounds leaves out."""
    phrase = _object_phrase(asked, context)
    if len(phrase) > 1 and "-" in phrase[-2] and phrase[-1] not in _INDEFINITE:
        return phrase[-2], phrase[-1]
    # ... or a common noun before it ('eye' in 'Does Fernhill pay for eye tests?'), which no opener set off
    if len(phrase) > 1 and _content(phrase[-2]) and phrase[-2] not in _NOT_KINDS and phrase[-1] not in _INDEFINITE \
            and (phrase[-2], phrase[-1]) not in question_compounds(asked):
        return phrase[-2], phrase[-1]
    return None


# A programme of the organisation's, brought in with 'a' ('a cycle-to-work scheme') ...
_SCHEME_NOUNS = r"scheme|programme|program|plan|initiative|loan|allowance|benefit"  # (and _TO_IDIOM's)
_PROGRAMME = rf"(?:{_SCHEME_NOUNS}|fund|budget|subsidy|discount)s?"
_PROGRAMME_INTRODUCED = re.compile(rf"\b(?:a|an)\s+((?:[a-z][\w'’-]*\s+){{0,2}}?{_PROGRAMME})\b", re.I)
# ... or named by what it pays for: 'a scheme to buy a bike', 'an allowance for new glasses'
# ('a scheme to help her buy a bike': to help someone buy it is to buy it)
_PROGRAMME_FOR = re.compile(rf"\b(?P<head>{_PROGRAMME})\s+(?:to\s+(?:help\s+(?:\w+\s+)?(?:to\s+)?)?"
                            r"(?:buy|get|pay for|cover|lease|rent|hire|purchase"
                            r"|fund)|for(?:\s+(?:buying|getting|purchasing|leasing|renting|hiring))?)\s+"
                            r"(?:(?:a|an|my|our|the|new|some|any)\s+)*(?P<thing>(?-i:[a-z][a-z-]+)(?:\s+(?-i:[a-z][a-z-]+))?)\b",
                            re.I)


def _opens_with_one(words: list[str]) -> bool:
    """Does the object open with 'one' ('Do we offer one?'), not 'it'?"""
    return bool(words) and words[0].lower() in ("one", "ones")


def purpose_kind(asked: str) -> tuple[str, str] | None:
    """(thing, programme) for a programme named by what it pays for ('bike', 'scheme' in 'Is there a scheme to buy a
    bike through my salary?'): the kind of scheme asked about, which question_compounds cannot see."""
    match = _PROGRAMME_FOR.search(asked)
    if not match:
        return None
    words = [w for w in match.group("thing").lower().split() if _content(w) and not _verb_form(w)]
    if words and len(words) < len(match.group("thing").split()):
        words = words[:1]  # 'a bike through ...': the phrase ends where its nouns do
    return (words[-1], match.group("head").lower().rstrip("s")) if words else None


# 'a cycle to work scheme', 'a bring your dog to work day': the hyphens left out of a named kind of thing.
_TO_IDIOM = re.compile(rf"\b([a-z]+) to ([a-z]+)(?= (?:{_SCHEME_NOUNS}|day|week)s?\b)", re.I)


# 'Should I get in touch with the shop?': whom the asker would contact, not 'touch'
_CONTACT_IDIOM = re.compile(r"\b(?:get|be|keep|stay|getting) in (?:touch|contact) with\b|\breach(?:ing)? out to\b",
                            re.I)


# 'A new starter asked whether they can bring their dog to the office. What's our policy?': the yes/no question a
# statement reports, asked about by the question that follows.
_EMBEDDED_YESNO = re.compile(r"\b(?:whether|if)\s+(?P<who>i|we|you|they|he|she)\s+(?P<verb>can|could|may|might)\s+"
                             r"(?P<rest>[^.?!]+)", re.I)


_PARTICIPLES_AFTER = frozenset({"switched", "turned", "enabled", "disabled", "included", "activated", "set",
                                "installed", "covered", "paid", "allowed", "needed", "required"})


def _object_phrase(asked: str, context: str) -> list[str]:
    """The words of the phrase a yes/no or 'how much ... towards' question asks about (see asked_object)."""
    asked = _TO_IDIOM.sub(r"\1-to-\2", _ASIDE_OPENING.sub("", asked, count=1))
    asked = _CONTACT_IDIOM.sub("contact", asked)
    embedded = _EMBEDDED_YESNO.search(f"{context} {asked}")
    if embedded:  # '... has asked whether they can bring their dog to the office': 'can they bring their dog ...'
        asked = f"{embedded.group('verb')} {embedded.group('who')} {embedded.group('rest')}"
    match = _YESNO.match(asked) or _HOW_MUCH_TOWARDS.match(asked) or _HOW_MUCH_PUT_IN.match(asked) \
        or _PAID_INTO.search(asked) \
        or _CLAIMED_FOR_IT.match(asked) or _IF_USING.search(asked) or _PAID_OUT_FOR.match(asked)
    if not match:
        return []
    rest = match.group("rest")
    towards = _INDEFINITE_TOWARDS.match(rest) or _SHARE_OF.match(rest)
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", towards.group("rest") if towards else rest)
    if len(words) > 3 and [w.lower() for w in words[:2]] == ["one", "of"] and words[2].lower() in _DEMONSTRATIVES:
        words = words[3:]  # 'one of those flotation vests' names its thing; it is no 'one' pointing back
    if context and _refers_back(words):
        if _REPORTS_WHAT_HAPPENED.search(asked) or checks_a_statement(asked):
            # ('A colleague says the rate is £45. Is that still correct?': what is checked is what was said)
            return []  # 'Nobody was hurt, but one of my crew nearly slipped. Do I need to report it?': the event
        offered = _PROGRAMME_INTRODUCED.findall(context) if _opens_with_one(words) else []
        if offered:
            # 'wants to buy a bike through a cycle-to-work scheme. Do we offer one?': one such scheme
            return offered[-1].lower().split()
        thing = _thing_come_by(context) or _first_thing(context)
        return [thing] if thing else []
    if words and words[0].lower() in _PREPOSITIONS:
        words = words[1:]  # 'Can I work from home?': what the verb is done with, at or from
    if words and words[0].lower() in _DETERMINERS | _DEMONSTRATIVES | _OWNERS:
        words = words[1:]
    if words and words[0].lower() == "own":
        words = words[1:]  # 'my own motorcycle'
    phrase = []
    for word in words:
        low = re.sub(r"['’]s$", "", word.lower())
        acronym = word.isupper() and 2 <= len(word) <= 6  # ('the company VPN client': an acronym inside the phrase)
        if (word[:1].isupper() and not acronym) or not (low.replace("-", "").isalpha() and len(low) > 1
                                                        and (acronym or len(low) > 2) and low not in STOPWORDS
                                                        and low not in _NOT_NOUNS and low not in _OPENERS):
            break  # (nor a determiner that opens a phrase of its own: 'my pension every month')
        phrase.append(low)
    if len(phrase) > 1 and phrase[-1] == "home":
        phrase.pop()  # 'a taxi home': where to, not what
    while len(phrase) > 1 and (phrase[-1] in _PREDICATIVE or phrase[-1] in _PARTICIPLES_AFTER):
        phrase.pop()  # 'Is there any money available ...?', '... data roaming switched on': how it is, not what
    return phrase


# 'What is the population of Seoul?', 'What's the excess on the insurance?': the attribute asked for. Where no
# passage speaks of it, none gives it: the near-topic sentence only shares the rest of the question.
# ('If I claim on the travel insurance, what's the excess I have to pay?': after a leading clause, and before a
# clause saying who pays or gets it.)
# ... and asked within a request: 'Could you tell me what the excess is on the travel insurance?', 'Do you know what
# the excess on our insurance is?')
_ATTRIBUTE_OF = re.compile(r"^(?:[^?]*?[,:]\s*)?\s*(?:what(?:'s|’s|s|\s+is|\s+are|\s+was|\s+were)\s+"
                           # ('how much is the excess I have to pay?')
                           r"|how much (?:is|are|would be|will be)\s+"
                           r"|(?:(?:could|can|would) you (?:please )?(?:tell me|let me know|check)|do you know"
                           r"|(?:i'?m|i am) (?:wondering|not sure)|tell me)\s+what\s+"
                           # ('I need the excess I'd have to pay on ...': asked as a request)
                           rf"|{REQUEST_OPENER}\s+)"
                           r"(?:the|its|their|his|her)\s+(?P<phrase>(?:[a-z][a-z-]*\s+){0,2}?[a-z][a-z-]*)\s+"
                           r"(?:(?:is|are|would be|will be)\s+(?=(?:of|for|on)\s))?"
                           r"(?:(?:of|for|on)\s|(?:that\s+|which\s+)?(?:i|we|you|he|she|they)(?:['’](?:ve|d|ll))?\s+(?:got|have|has|need"
                           r"|must|would"
                           r"|will|get|pay|should)\b"
                           # 'What is the excess payable on a baggage claim?', '... the excess if I claim for a bag?'
                           r"|(?:payable|charged|due|owed|levied|applied|applicable)\s+(?:on|for|of|under|when|if)\s"
                           r"|(?:if|when)\s+(?:i|we|you)\s+(?:claim|make a claim)\b)",
                           re.I)
# 'What excess would I have to pay on a baggage claim?': the attribute paid, asked without 'the'
_WHAT_PAID = re.compile(r"^(?:[^?,]*,\s*)?\s*what\s+(?P<phrase>[a-z][a-z-]*)\s+(?:would|will|do|does|did|should|must)"
                        r"\s+(?:i|we|you|he|she|they)\s+(?:have to\s+|need to\s+)?pay\b", re.I)
# 'If I claim on the insurance, is there an excess I have to pay?': whether there is one is asked the same way
_IS_THERE_ATTRIBUTE = re.compile(r"^(?:[^?,]*,\s*)?\s*is there (?:a|an|any)\s+"
                                 r"(?P<phrase>(?:[a-z][a-z-]*\s+)?[a-z][a-z-]*)\s+"
                                 r"(?:(?:that\s+)?(?:i|we|you|he|she|they)(?:['’](?:ve|d|ll))?\s+(?:got|have|has|need"
                                 r"|needs|must|would|will|should)\s+(?:to\s+)?(?:pay|cover)\b"
                                 r"|(?:payable|charged|to pay)\b)", re.I)
# 'Does our travel insurance pay the excess?': what a thing is asked to pay
_PAYS_THE = re.compile(r"^(?:[^?,]*,\s*)?\s*(?:does|do|will|would)\s+(?:the|our|my|your)\s+(?:[a-z][a-z-]*\s+){1,3}?"
                       r"(?:pay|cover)\s+(?:for\s+)?the\s+(?P<phrase>[a-z][a-z-]*)\s*\?*\s*$", re.I)
# 'business travel insurance excess for lost baggage': typed as into a search box, the attribute asked is the word
# before what it is asked for, or the last ('business travel insurance excess?')
_SEARCHED_ATTRIBUTE = re.compile(r"^\s*(?:[a-z][a-z-]*\s+){0,4}(?P<phrase>[a-z][a-z-]*)\s+(?:for|on|of)\s"
                                 r"|^\s*(?:[a-z][a-z-]*\s+){2,4}(?P<last>[a-z][a-z-]*)\s*\?*\s*$", re.I)
# Attributes a passage gives by a value or a name without naming them ('What is the time of the test?' by
# 'Wednesdays at 10:00', 'What is the name of the DPO?' by the name).
_GENERIC_ATTRIBUTES = _INDEFINITE | frozenset({
    "name", "names", "address", "email", "phone", "extension", "mobile", "landline", "date", "day", "days", "time",
    "times", "hour", "hours", "week", "weeks", "month", "months", "year", "years", "deadline", "cutoff", "cut-off",
    "period", "length", "size", "duration", "age",
    "contact", "title", "role", "job", "status", "purpose", "reason", "point", "process", "procedure", "rule",
    "rules", "policy", "step", "steps", "difference", "details", "information", "maximum", "minimum", "max", "min",
    "category", "level", "grade", "class", "model", "version", "currency", "language", "format", "method",
    "location", "place", "room", "floor",
    # what to do, in any words: 'What's the check-in routine I have to follow?' is answered by the steps
    "routine", "arrangement", "arrangements", "requirement", "requirements", "protocol", "practice", "guidance",
    "instructions", "advice", "approach", "way", "system", "plan", "options", "setup", "drill",
    # ... and a superlative standing for its time or amount: 'What's the latest I should ring my boss?'
    "latest", "earliest", "soonest", "longest", "shortest", "furthest", "farthest", "highest", "lowest", "most",
    "least", "best", "fastest", "quickest", "cheapest", "biggest", "smallest"})


def asked_attribute(asked: str) -> str:
    """The head noun of the attribute a 'what is the X of ...?' question asks for, lower-cased ('population' in
    'What is the population of Seoul?'); '' for generic ones (_GENERIC_ATTRIBUTES) and other questions."""
    match = _ATTRIBUTE_OF.match(asked) or _IS_THERE_ATTRIBUTE.match(asked) or _WHAT_PAID.match(asked) \
        or _PAYS_THE.match(asked) or (_SEARCHED_ATTRIBUTE.match(asked) if is_search_query(asked) else None)
    if not match:
        return ""
    words = (match.group("phrase") or match.groupdict().get("last") or "").lower().split()
    if not all(_content(w.replace("-", "")) for w in words):
        return ""  # 'What is the most I can claim for ...': not a noun phrase
    # ('the price tag', 'the cost estimate': a generic attribute under another name)
    return "" if any(w in _GENERIC_ATTRIBUTES for w in words) else words[-1]


def asked_category(question: str) -> tuple[str, str] | None:
    """The category a 'what/which M H ...?' question's answer belongs to, as (modifier, head): ('programming',
    'language') in 'What programming language is the firmware written in?'; None when it names none."""
    match = re.match(r"^\s*(?:what|which)\s+([a-z]+)\s+([a-z]+)\s+(?:is|are|was|were|does|do|did|can|should|will"
                     r"|has|have)\b", question, re.I)
    if not match or not all(_content(w) for w in match.groups()):
        return None
    if re.fullmatch(PERSON_NOUNS, match.group(2), re.I):
        return None  # 'Which Pentagon official ...?': a name and title answer, whatever word the article uses
    return match.group(1).lower(), match.group(2).lower()


# 'report it', 'log this': what is reported is what happened, not the first thing the scene names
_REPORTS_WHAT_HAPPENED = re.compile(r"\b(?:report|log|record|declare|flag|escalate|mention|write up)"
                                    r"\s+(?:it|this|that)\b", re.I)


def _refers_back(words: list[str]) -> bool:
    """'it', 'them', 'a new one', 'one with more memory': the object is a thing named before the question."""
    low = [w.lower() for w in words[:4]]
    if low and low[0] in _REFERRING:
        # ('that money', 'this form': the pointer's own noun says what it is; 'that' or 'it' alone does not)
        return not (low[0] in _DEMONSTRATIVES and len(low) > 1 and _content(low[1]))
    i = next((i for i, w in enumerate(low[:3]) if w in ("one", "ones")), None)
    return i is not None and (i + 1 == len(low) or not _content(low[i + 1]))  # not 'one guest'


# 'I was clearing out my bag and found a taxi receipt from a trip ...': the thing the asker came by, not where it was
_COME_BY = re.compile(r"\b(?:found|find|discovered|came across|dug out|turned up|got|received|was given|bought)\s+"
                      r"(?:a|an|the|my|some|this|that)\s+(?:old\s+)?((?:[a-z][\w'’-]*\s+){0,2}?[a-z][\w'’-]*)"
                      r"(?=\s+(?:from|for|of|that|which|in|on|at|with|about|i|and)\b|\s*[.,;:!?]|\s*$)", re.I)


def _thing_come_by(text: str) -> str:
    """The head noun of the last thing the text says the asker found, got or bought ('receipt'), or ''."""
    found = [m.group(1).split()[-1].lower() for m in _COME_BY.finditer(text)]
    return found[-1] if found and _content(found[-1]) else ""


def _first_thing(text: str) -> str:
    """The head noun of the first phrase a determiner opens in `text` ('bag' in 'My laptop bag broke on a trip.'),
    not a person's ('One of my reports uses his own motorbike': the motorbike)."""
    for seg in _segments(text):
        phrase: list[str] = []
        opened = False
        for word in [*seg, ""]:
            low = word.lower()
            if opened and word and not word[:1].isupper() and _content(low) and not _PAST.search(low) \
                    and low not in _SUBJECTS_VERBS:
                phrase.append(low)
                continue
            if opened and not phrase and low == "own":
                continue  # 'his own motorbike'
            while len(phrase) > 1 and phrase[-1] in _PREDICATIVE:
                phrase.pop()  # 'a dashboard change ready': how the change is, not what
            if phrase and not _PEOPLE_WORDS.fullmatch(phrase[-1]):
                return phrase[-1]
            phrase = []
            opened = low in _DETERMINERS | _OWNERS
    return ""


_OWNERS = frozenset({"his", "her", "its"})
# The verb after a phrase's head ('Someone in my team wants to book ...': the team, which wants, not 'wants')
_SUBJECTS_VERBS = frozenset({"wants", "needs", "has", "says", "asks", "plans", "hopes", "keeps", "tries", "likes",
                             "thinks", "gets", "goes", "is", "are", "was", "were", "would", "will", "can", "could",
                             "should", "must", "may", "might", "does", "did"})
_PEOPLE_WORDS = re.compile(rf"{PERSON_NOUNS}|(?:report|colleague|teammate|member|staff|starter|hire|boss|employee"
                           r"|engineer|technician|friend|partner|guest|visitor|customer|client)s?", re.I)


def said_in_words(question: str, word: str, text: str, terms: set[str]) -> bool:
    """Do the passages (`text`, `terms` their stemmed content words) use `word` by the word itself, an inflection,
    an acronym or a policy word for it? (No model call: unknown_thing looks further, by meaning.)"""
    return bool(matched_terms({stem(word)}, terms)) or stem(word) in acronym_terms(question, text) \
        or _said_otherwise(word, terms)


def unknown_thing(question: str, word: str, text: str, terms: set[str],
                  embed: Callable[[list[str]], np.ndarray], near: str | None = None) -> bool:
    """Do the passages (`text`, `terms` their stemmed content words) never speak of `word`: by the word, an
    inflection, an acronym, or a word close in meaning ('pets' for 'dog') among those of `near` (default: all)?"""
    if said_in_words(question, word, text, terms):
        return False
    vocabulary = sorted({w for w in re.findall(r"[a-z]+", (text if near is None else near).lower()) if _content(w)})
    if not vocabulary:
        return True
    vectors = embed([word, *vocabulary])
    return float((vectors[1:] @ vectors[0]).max()) < KIND_COVER_COSINE


# What a question calls the text it read ('the opinion piece warns ...'): the source, not a thing asked about.
_SOURCE_WORDS = frozenset({"article", "articles", "piece", "report", "story", "column", "editorial", "op-ed", "page",
                           "post", "brief", "briefing", "interview", "commentary", "essay", "guide", "document",
                           "text", "write-up", "blog"})


_REFLEXIVES = frozenset({"itself", "himself", "herself", "themselves", "myself", "yourself", "yourselves", "ourselves",
                         "oneself"})  # 'the situation Japan finds itself in': no thing


def absent_phrase(question: str, pairs: list[tuple[str, str]], text: str, terms: set[str],
                  embed: Callable[[list[str]], np.ndarray], near: str | None = None) -> bool:
    """Is a compound's head absent from the passages together with one of its modifiers: neither word, nor a word
    near either in meaning, in them ('the season ticket loan' beside train tickets and hotel caps)? Not a generic
    attribute ('time limit'), which a passage gives by its value ('within 60 days') without naming it, nor the
    source's own name ('the opinion piece')."""
    ignored = _GENERIC_ATTRIBUTES | _SOURCE_WORDS | _REFLEXIVES
    modifier_of = {h: m for m, h in pairs}

    def unsaid(word: str) -> bool:
        return word not in ignored and not said_in_words(question, word, text, terms)

    def unknown(word: str) -> bool:  # ... nor by a word near it in meaning (embeds the nearest sentences' words)
        return unknown_thing(question, word, text, terms, embed, near=near)

    for m, h in pairs:
        if m in ignored or not unsaid(h) or _phrase_said_otherwise(m, h, terms):
            continue  # (a phrase the passages say in policy words: 'private chat' for 'direct messages')
        modifiers = []
        while m and m not in modifiers and m != h:  # the head's modifiers, nearest first: 'ticket', then 'season'
            modifiers.append(m)
            m = modifier_of.get(m, "")
        unsaid_ones = [w for w in modifiers if unsaid(w)]
        # (the meaning check only where the words themselves are missing: most questions need no model call)
        if unsaid_ones and unknown(h) and any(unknown(w) for w in unsaid_ones):
            return True
    return False


def _written(word: str, text: str) -> bool:
    """Does the text use a hyphenated word, with its hyphens or spaces ('cycle-to-work', 'cycle to work')?"""
    parts = word.split("-")
    return len(parts) > 1 and bool(re.search(r"\b" + r"[\s-]".join(map(re.escape, parts)) + r"\b", text, re.I))


def _said_otherwise(word: str, terms: set[str]) -> bool:
    """Do the passages use a policy word for this everyday one ('probation' for 'trial'; ragqa/policy_words.py)?"""
    return any(content_terms(w) & terms for w in policy_words(word))


def _phrase_said_otherwise(modifier: str, head: str, terms: set[str]) -> bool:
    """Do the passages use a policy word for the whole phrase ('street door' for 'front door'), beyond its head?"""
    return bool(_phrase_meaning(modifier, head) & terms)


@lru_cache(maxsize=4096)
def _phrase_meaning(modifier: str, head: str) -> frozenset[str]:
    """The stemmed policy words a phrase stands for as a whole, its head's own left out; not one its modifier or
    head stands for alone ('cycle' in 'cycle-to-work scheme' is no scheme). Read per sentence: cached."""
    meant = set(policy_words(f"{modifier} {head}")) - set(policy_words(modifier)) - set(policy_words(head))
    return frozenset(t for w in meant for t in content_terms(w)) - {stem(head)}


def other_kind(pairs: list[tuple[str, str]], sentence: str, article_terms: set[str], article_text: str = "",
               context: frozenset[str] = frozenset()) -> bool:
    """Does the sentence speak of another kind of a compound's head ('annual leave' for 'bereavement leave'), in
    an article that never uses the question's modifier, or that names the asked kind itself elsewhere ('the
    Christmas allowance' for 'the holiday allowance', where the article says 'holiday allowance' too) while the
    sentence and its `context` (its article title's stemmed words) never say the modifier ('Weekly alarm test' in
    'Fire safety ...' is a test of the fire alarm)?"""
    said = {stem(w.lower()) for seg in _segments(sentence) for w in seg} | context
    for seg in _segments(sentence):
        low = [w.lower() for w in seg]
        for prev, word in zip(low, low[1:], strict=False):
            if not _content(prev):
                continue
            for mod, head in pairs:
                if "-" in mod:
                    # 'the end-of-year release freeze': 'Code freeze' is another freeze where the article writes
                    # 'end-of-year freeze' (a hyphenated kind counts only where the article says it that way)
                    if stem(word) == stem(head) and mod not in low and _names_kind(mod, head, article_text):
                        return True
                    continue
                # (not the same kind in the policy word for its modifier: 'learning budget' for 'training budget')
                if stem(word) == stem(head) and stem(prev) != stem(mod) and not same_meaning(prev, mod) \
                        and not _phrase_said_otherwise(mod, head, article_terms) \
                        and (stem(mod) not in article_terms
                             or (stem(mod) not in said and _names_kind(mod, head, article_text))):
                    return True
    return False


def _names_kind(modifier: str, head: str, text: str) -> bool:
    """Does the text say the kind as one phrase ('holiday allowance', 'holiday allowances')?"""
    return bool(text) and bool(re.search(rf"\b{re.escape(modifier)}\s+{re.escape(head.rstrip('s'))}s?\b", text, re.I))


# 'AQ sensor checks': an acronym naming the kind of the thing after it ...
_ACRONYM_KIND = re.compile(r"\b([A-Z]{2,4})s?\s+([a-z]{3,})")


_DEVICE_WORDS = frozenset({"sensor", "monitor", "gauge", "meter", "logger", "detector", "probe", "station", "device",
                           "unit"})


def other_spelled_kind(question: str, sentence: str, article_text: str) -> bool:
    """Does the sentence name a thing the question asks about by an acronym its article spells out as another kind
    of it? 'AQ sensor checks ... may be done alone' for 'Can I check a river-level sensor on my own?', where the
    article writes 'air-quality (AQ) sensors' beside 'river-level (RL) sensors'."""
    asked = question.lower()
    for found in _ACRONYM_KIND.finditer(sentence):
        acronym, head = found.groups()
        # (a device may be asked of by another word for one: 'a water-level monitor' for the articles' sensors)
        heads = _DEVICE_WORDS if head.lower().rstrip("s") in _DEVICE_WORDS else {head.rstrip("s")}
        kind = re.search(rf"\b((?:[a-z]+[- ]){{1,2}})(?:{'|'.join(map(re.escape, sorted(heads)))})s?\b", asked)
        if not kind:
            continue
        asked_kind = content_terms(kind.group(1))
        spelled = long_forms(article_text, by_parts=True).get(acronym)
        if spelled and asked_kind and stem(acronym.lower()) not in asked_kind \
                and not matched_terms(asked_kind, content_terms(spelled)):
            return True
    return False

