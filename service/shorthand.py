"""Chat shorthand in a question, written out ('lost my card wat do i do', 'n for leeds ppl?', 'diff q - ...', 'the min
length'), and a share said as a fraction written as the percentage tables give ('the quarter-of-the-fleet stage':
'25%').

Questions typed on a phone or in the chat widget use texting shorthand that neither the embedding model nor the
keyword index reads as the words meant, and that the rules for follow-ups ('and for Leeds people?') and new
topics ('different question - ...') never match. Each entry is common English texting usage, not any corpus's
wording. A word is written out only when no article the asker may read uses it (an engineering article may say
'diff'); a phrase ('diff q') always is, as it has no other reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Two words that are shorthand together: written out whatever the articles use.
_PHRASES: dict[str, str] = {
    "diff q": "different question",
    "diff question": "different question",
    "quick q": "quick question",
    "other q": "other question",
    "another q": "another question",
    "unrelated q": "unrelated question",
    "new q": "new question",
}

# One word: written out only when the articles do not use it.
_WORDS: dict[str, str] = {
    # what, when, how ...
    "wat": "what", "wot": "what", "wht": "what", "wen": "when", "whn": "when",
    # people and things
    "ppl": "people", "pw": "password", "pwd": "password", "passwd": "password", "mgr": "manager",
    "dept": "department", "msg": "message", "msgs": "messages", "appt": "appointment", "acct": "account",
    "hols": "holidays", "smth": "something", "sth": "something", "pts": "points", "std": "standard",
    # teams and workplace words
    "eng": "engineering", "engg": "engineering", "mgmt": "management", "ops": "operations", "biz": "business",
    "govt": "government", "intl": "international", "reqs": "requirements", "tech": "technician", "prod": "production",
    "techs": "technicians",
    # time
    "wk": "week", "wks": "weeks", "hrs": "hours", "yr": "year", "yrs": "years", "mth": "month", "mths": "months",
    "mins": "minutes", "secs": "seconds", "tmrw": "tomorrow", "tmr": "tomorrow", "tomoz": "tomorrow",
    "b4": "before", "nxt": "next", "asap": "as soon as possible", "rn": "right now",
    # little words
    "n": "and", "u": "you", "ur": "your", "r": "are", "abt": "about", "pls": "please", "plz": "please",
    "thx": "thanks", "thnx": "thanks", "bc": "because", "cuz": "because", "coz": "because", "tho": "though",
    "thru": "through", "hv": "have", "shd": "should", "approx": "approximately",
}

# Apostrophes left out: written out whatever the articles use, as the keyword index stems 'whats' as 'what' (so any
# article seems to use it) and no article writes 'whats' for anything else.
_APOSTROPHE_LEFT_OUT: dict[str, str] = {
    "im": "I'm", "ive": "I've", "dont": "don't", "cant": "can't", "didnt": "didn't", "doesnt": "doesn't",
    "isnt": "isn't", "wont": "won't", "wasnt": "wasn't", "arent": "aren't", "havent": "haven't",
    "shouldnt": "shouldn't", "couldnt": "couldn't", "whats": "what's", "hows": "how's", "wheres": "where's",
    "whos": "who's",
}
_WRITTEN_OUT = {**_WORDS, **_APOSTROPHE_LEFT_OUT}

# A share said as a fraction of a whole ('the quarter-of-the-fleet stage'), which tables give as a percentage
# ('Share of fleet: 25%'); not of a time ('a quarter of an hour').
_FRACTION = re.compile(r"\b(?:a |one )?(quarter|half|tenth|fifth)([- ])of([- ])(the|our|all|their)\b"
                       r"(?![- ](?:hour|day|week|month|year|time)s?\b)", re.I)
_PERCENT_OF = {"quarter": "25%", "half": "50%", "tenth": "10%", "fifth": "20%"}

# 'min' / 'max' not after a figure ('the min password length', not '15 min'): minimum and maximum
_MIN_MAX = re.compile(r"(?<![\d.])(?<!\d\s)\b(min|max)\b(?![.\w'’/@-])", re.I)
_MIN_MAX_WORDS = {"min": "minimum", "max": "maximum"}

# 'going to the states': the United States, where a trip goes ('the states that signed' are no place)
_THE_STATES = re.compile(r"\b(to|in|from|visiting|visit|around|across|over in|over to|for) the states\b(?!\s+(?:that"
                         r"|which|who|where)\b)", re.I)

# 'the us' typed in lower case: the country ('us' after 'the' is never the pronoun)
_THE_US = re.compile(r"\bthe us\b")

# Thousands said with a 'k' ('over 5k', '£2.5k'), which the articles write out ('£5,000')
_THOUSANDS = re.compile(r"(?<![\w.,])([£€$]?)(\d{1,3})(?:\.(\d))?k\b(?![\w'’/@-])", re.I)

# An amount said with its currency's name ('only like 8 quid', 'a 12 euro taxi'), which the articles write with its
# symbol ('£10 / €12')
_AMOUNT_IN_WORDS = re.compile(r"\b(\d+(?:[.,]\d\d)?)\s?(quid|pounds?|quids|euros?|bucks|dollars?)\b"
                              r"(?!\s+(?:of|in weight)\b)", re.I)
_CURRENCY_SIGN = {"quid": "£", "quids": "£", "pound": "£", "pounds": "£", "euro": "€", "euros": "€", "buck": "$",
                  "bucks": "$", "dollar": "$", "dollars": "$"}

_PHRASE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _PHRASES) + r")\b", re.I)
# (a word as typed: letters and digits, never part of a longer word, a code or an address: 'b4' but not 'B4-2' or 'n/a')
_WORD = re.compile(r"(?<![\w'’./@-])[A-Za-z][A-Za-z0-9]*(?![\w'’/@-]|\.\w)")


def written_out(text: str, counts: Callable[[list[str]], dict[str, int]]) -> str:
    """The text with its chat shorthand written out; unchanged when it has none. `counts(words)`: how many passages
    the asker may read use each word (Retriever.word_counts); a shorthand word they use stays as it is."""
    text = _PHRASE.sub(lambda m: _matching_case(m.group(0), _PHRASES[m.group(0).lower()]), text)
    text = _THE_STATES.sub(lambda m: f"{m.group(1)} the USA", text)
    text = _THE_US.sub("the USA", text)
    text = _THOUSANDS.sub(_thousands_written_out, text)
    text = _MIN_MAX.sub(lambda m: _matching_case(m.group(1), _MIN_MAX_WORDS[m.group(1).lower()]), text)
    text = _FRACTION.sub(lambda m: f"{_PERCENT_OF[m.group(1).lower()]}{m.group(2)}of{m.group(3)}{m.group(4)}", text)
    text = _AMOUNT_IN_WORDS.sub(lambda m: f"{_CURRENCY_SIGN[m.group(2).lower()]}{m.group(1)}", text)
    found = [m for m in _WORD.finditer(text) if m.group(0).lower() in _WRITTEN_OUT]
    if not found:
        return text
    used = counts(sorted({m.group(0).lower() for m in found if m.group(0).lower() in _WORDS}))
    for match in reversed(found):  # from the end, so earlier offsets stay valid
        word = match.group(0)
        # (a capitalised 'U' or 'R' inside a sentence is a name or a grade, not 'you')
        if used.get(word.lower()) or (len(word) == 1 and word.isupper() and match.start() > 0):
            continue
        text = text[:match.start()] + _matching_case(word, _WRITTEN_OUT[word.lower()]) + text[match.end():]
    return text


def _thousands_written_out(match: re.Match) -> str:
    """'5k' -> '5,000', '£2.5k' -> '£2,500'."""
    sign, whole, tenth = match.groups()
    return f"{sign}{int(whole) * 1000 + int(tenth or 0) * 100:,}"


def _matching_case(typed: str, full: str) -> str:
    """'Wat' -> 'What': a shorthand typed with a capital starts its written-out form with one."""
    return full[:1].upper() + full[1:] if typed[:1].isupper() else full
