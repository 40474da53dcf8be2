"""Whether the way of travelling a question asks about is one the articles speak of.

'Is there a per-mile rate for my bicycle, like the car mileage rate?' over articles that pay mileage only for one's
own car: the car's rate is another vehicle's, and quoting it would answer a question nobody asked. The kinds of
vehicle are few and general, so they are listed here; a question naming one (besides the car it compares with) is
answered only by sentences that name it.
"""

from __future__ import annotations

import re

# each kind of vehicle, as the words that name it
_KINDS: dict[str, re.Pattern] = {kind: re.compile(rf"\b(?:{words})\b", re.I) for kind, words in {
    # ('my own motor': British slang for one's car)
    "car": r"cars?|automobiles?|(?:own|my|his|her|their|your) motor(?! ?(?:bikes?|cycles?|scooters?))",
    "van": r"vans?",
    "motorbike": r"motor ?bikes?|motorcycles?|motor ?scooters?|mopeds?",
    "bicycle": r"bicycles?|bikes?|cycling|cycle[- ]to[- ]work|e-?bikes?",
    "scooter": r"(?:e-|electric )?scooters?",
}.items()}
# ('like the car mileage rate', 'instead of driving'): a kind named only to compare with
_COMPARED = re.compile(r"\b(?:like|unlike|as with|same as|instead of|rather than|compared (?:with|to)|not)\s+"
                       r"(?:the |my |a |an |his |her |their |our )?(?:own )?(?P<kind>[\w-]+(?: [\w-]+)?)", re.I)
# a rate or claim for travelling: what a vehicle kind would be paid for
_ASKS_RATE = re.compile(r"\b(?:per[- ](?:mile|km|kilometre)|mileage|rate|claim|allowance|reimburs\w*|pay(?:s|ment)?)\b",
                        re.I)


def _kinds(text: str) -> set[str]:
    return {kind for kind, words in _KINDS.items() if words.search(text)}


def asked_vehicle(question: str) -> set[str]:
    """The kinds of vehicle the question asks a rate for ('my bicycle'), less those it only compares with ('like
    the car mileage rate') and those it only says it will not use ('instead of driving')."""
    if not _ASKS_RATE.search(question):
        return set()
    compared = set().union(*(_kinds(m.group("kind")) for m in _COMPARED.finditer(question)))
    return _kinds(question) - compared


def vehicle_unspoken(question: str, sentences: list[str]) -> bool:
    """Does the question ask a rate for a kind of vehicle (other than a car) that no sentence names? (The car's
    mileage, or a trip's per diem, is another thing's rate.)"""
    asked = asked_vehicle(question) - {"car"}
    if not asked:
        return False
    return not asked & set().union(*(_kinds(s) for s in sentences))


# The ways a trip is made, as the words that name them: a question that says how the asker travels ('I need to fly
# out to Porto') is not answered by a rule for another way ('Rail: standard class', 'First class is allowed ...
# where you need to work on the train').
_MODES: dict[str, re.Pattern] = {mode: re.compile(rf"\b(?:{words})\b", re.I) for mode, words in {
    "air": r"fly|flies|flying|flew|flown|flights?|planes?|airports?|airlines?|airfares?",
    "rail": r"rail|railways?|trains?",
    # (not 'the shared drives', 'a USB drive')
    "road": r"driving|drove|(?:drive|drives) (?:to|there|up|down|over|myself|my car|in)|car hire|hire cars?"
            r"|rental cars?",
}.items()}


def travel_modes(text: str) -> frozenset[str]:
    """The ways of travelling the text names."""
    return frozenset(mode for mode, words in _MODES.items() if words.search(text))


def other_mode(asked: frozenset[str], sentence: str) -> bool:
    """Does the sentence speak only of ways of travelling other than the `asked` ones (travel_modes of the
    question)?"""
    said = travel_modes(sentence)
    return bool(asked and said and not said & asked)
