"""Words of a text: lower-cased tokens, stop words and stems (term overlap, containment, table rows)."""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z][A-Za-z0-9'’]*(?:\.[A-Za-z0-9]+)*")
STOPWORDS = frozenset(
    """
a an the and or but if of to in on at by for with from as is are was were be been being do does did done can
could should would will shall may might must i me my we our you your he she it its they them their this that
these those there here what which who whom whose when where why how all any each some such no not only own
same so than too very just about into over after before under again further then once also am has have had
having up down out off more most other both few nor s t don now get got please tell know need want many much
i'm i've i'd i'll you're we're we've they're it's that's what's there's who's can't don't doesn't isn't won't
aren't wasn't weren't hasn't haven't hadn't didn't shouldn't wouldn't couldn't mustn't needn't shan't
you've you'd you'll we'd we'll they've they'd they'll he's she's he'd she'd let's here's
roughly approximately approx nearly almost around exactly precisely actually really normally usually typically
generally basically ordinarily commonly think guess reckon suppose maybe perhaps probably possibly apparently
""".split()  # the last lines: hedges ('Roughly how many ...?', 'I think I ...') that say nothing of what is asked
)


@cache
def stemmer():
    """PyStemmer's Snowball English (as the published BM25 baselines use), shared by the keyword index too."""
    import Stemmer

    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased words and numbers ('U.S.' -> 'us', '50,000' -> '50000')."""
    out = []
    for w in _WORD.findall(text.replace("’", "'")):  # ('don’t' is 'don't')
        w = w.lower().strip("'")
        if w[:1].isdigit():
            w = w.replace(",", "")
        elif "." in w:
            w = w.replace(".", "")
        if w:
            out.append(w)
    return out


def content_terms(text: str) -> set[str]:
    """Stemmed content words (numbers kept): the vocabulary of term-overlap and containment checks."""
    return set(stemmer().stemWords([w for w in words(text) if w not in STOPWORDS]))


def leading_content_words(words: list[str], but: frozenset[str] = frozenset()) -> list[str]:
    """The words up to the first that is no content word (or is one of `but`): 'day badge after' -> 'day badge'."""
    end = next((i for i, w in enumerate(words) if not content_terms(w) or w.lower() in but), len(words))
    return words[:end]


# Number words and the numbers they stand for ('two weeks', 'a group of twenty')
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
                "fifty": 50}

# Ordinal words and the numbers they stand for ('the third stage' is stage 3, 'my eighth day off' is day 8)
ORDINAL_NUMBERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                   "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                   "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
                   "twentieth": 20}


def stem(word: str) -> str:
    return stemmer().stemWord(word.lower())


_ACRONYM = re.compile(r"\b([A-Z]{2,6})s?\b")
INFLECTION_STEM = 5  # stems at least this long ...
INFLECTION_TAIL = 4  # ... that another extends by at most this many letters are one word ('underwrit'/'underwritten')
# Stems that share this many first letters and differ only in a short ending are forms of one word that the stemmer
# keeps apart ('respond' / 'respons' for 'respond' / 'response').
DERIVATION_STEM = 6
DERIVATION_TAIL = 2


# Irregular past forms and their verbs, which no stemmer joins ('paid' / 'pay': 'Is it paid?' and 'at full pay').
# 'left' (leave) and 'found' (found) are not here: both are words of their own.
_IRREGULAR_FORMS = {"paid": "pay", "spent": "spend", "sent": "send", "kept": "keep", "bought": "buy", "sold": "sell",
                    "held": "hold", "lost": "lose", "took": "take", "taken": "take", "gave": "give", "given": "give",
                    "chose": "choose", "chosen": "choose", "wrote": "write", "written": "write", "brought": "bring",
                    "caught": "catch", "taught": "teach", "built": "build",
                    "stolen": "steal", "stole": "steal", "flew": "fly", "flown": "fly", "drove": "drive",
                    "driven": "drive", "met": "meet", "told": "tell", "ran": "run", "began": "begin", "begun": "begin"}


@cache
def _irregular() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """(each verb's stem -> its forms' stems, each form's stem -> its verb's stem)."""
    verbs = {stem(form): stem(verb) for form, verb in _IRREGULAR_FORMS.items()}
    forms: dict[str, set[str]] = {}
    for form, verb in verbs.items():
        forms.setdefault(verb, set()).add(form)
    return {verb: frozenset(f) for verb, f in forms.items()}, verbs


def matched_terms(q_terms: set[str], terms: set[str]) -> set[str]:
    """The question's terms that `terms` holds: the same stem, or an inflection the stemmer keeps apart."""
    shared = set(q_terms & terms)
    forms, verbs = _irregular()
    for q in q_terms - shared:
        if verbs.get(q) in terms or not forms.get(q, frozenset()).isdisjoint(terms) or q + "s" in terms \
                or (q.endswith("s") and q[:-1] in terms and len(q) <= 4):
            shared.add(q)  # also an acronym and its plural, which the stemmer keeps apart ('PR' / 'PRs')
            continue
        if len(q) < INFLECTION_STEM:
            continue
        head = q[:INFLECTION_STEM]  # every match below shares at least these letters
        derived = q[:DERIVATION_STEM] if len(q) >= DERIVATION_STEM else None
        for t in terms:
            if not t.startswith(head):
                continue
            short, long = (q, t) if len(q) <= len(t) else (t, q)
            if long.startswith(short) and len(long) - len(short) <= INFLECTION_TAIL:
                shared.add(q)
                break
            if derived and t.startswith(derived):
                common = len(os.path.commonprefix((q, t)))
                if len(q) - common <= DERIVATION_TAIL and len(t) - common <= DERIVATION_TAIL:
                    shared.add(q)
                    break
    return shared


def acronym_terms(question: str, text: str) -> set[str]:
    """Question terms that `text` writes as an acronym ('pull request' / 'PRs'), or spells out ('MFA')."""
    found: set[str] = set()
    for asker, other in ((question, text), (text, question)):
        acronyms = {a.lower() for a in _ACRONYM.findall(other)}
        if not acronyms:
            continue
        seq = _content_sequence(asker)
        for n in range(2, 7):
            for i in range(len(seq) - n + 1):
                initials = "".join(w[0] for w in seq[i:i + n])
                if initials in acronyms:
                    found.update(stem(w) for w in seq[i:i + n])
                    if asker is text:  # the question's acronym, spelled out in the text, is matched itself
                        found.add(stem(initials))
    return found


@lru_cache(maxsize=4096)
def _content_sequence(text: str) -> tuple[str, ...]:
    """The text's words in order, stop words left out (the question's is asked for against every sentence)."""
    return tuple(w for w in words(text) if w not in STOPWORDS)


# 'a pull request (PR)', 'Temporary Access Pass (TAP)': an article spelling out the acronym it then uses.
_DEFINED = re.compile(r"((?:[A-Za-z][\w'’-]*[ \t]+){1,6})\(([A-Z]{2,6})s?\)")


@lru_cache(maxsize=1024)
def long_forms(text: str, *, by_parts: bool = False) -> dict[str, str]:
    """Each acronym the text spells out to its long form, lower-cased ('pull request (PR)' -> PR: 'pull request');
    with `by_parts`, a hyphenated word gives a letter per part ('air-quality (AQ)' -> AQ: 'air-quality'), else one.
    Cached by text (passages recur across questions): callers only read the mapping."""
    found: dict[str, str] = {}
    for words_before, acronym in _DEFINED.findall(text):
        if acronym in found:
            continue
        before = words_before.split()
        for n in range(1, len(acronym) + 1):
            candidate = before[-n:]
            parts = [part for word in candidate for part in (word.split("-") if by_parts else [word]) if part]
            if "".join(part[0] for part in parts).upper() == acronym:
                found[acronym] = " ".join(candidate).lower()
                break
    return found


def spelled_out(question: str, texts: list[str]) -> str:
    """The question with each acronym that `texts` spell out given its long form too ('How big is a PR allowed to
    be?' -> 'How big is a PR (pull request) allowed to be?'): the embedding model reads the words, not the
    letters."""
    acronyms = set(_ACRONYM.findall(question))
    if not acronyms:
        return question
    longs: dict[str, str] = {}
    for text in texts:
        for acronym, long in long_forms(text).items():
            if acronym in acronyms:
                longs.setdefault(acronym, long)
    for acronym, long in longs.items():
        question = re.sub(rf"\b{acronym}(s?)\b", rf"{acronym}\1 ({long})", question, count=1)
    return question
    longs: dict[str, str] = {}
    for text in texts:
        for words_before, acronym in _DEFINED.findall(text):
            if acronym in acronyms and acronym not in longs:
                candidate = words_before.split()[-len(acronym):]
                if "".join(w[0] for w in candidate).upper() == acronym:
                    longs[acronym] = " ".join(candidate).lower()
    for acronym, long in longs.items():
        question = re.sub(rf"\b{acronym}(s?)\b", rf"{acronym}\1 ({long})", question, count=1)
    return question
