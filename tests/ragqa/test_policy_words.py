"""Everyday wording and the policy words it stands for (ragqa/policy_words.py)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import NEGATED, policy_forms, policy_matches, policy_words, with_policy_words
from ragqa.words import content_terms

TEXTS = ["Trips outside Europe are approved by your director.", "Probation lasts 90 days for most roles.",
         "Report a stolen card to the issuer at once."]


@pytest.mark.parametrize(("phrase", "words"), [
    ("Who signs off my trip?", ["approve", "approval"]),
    ("the trial period", ["probation"]),
    ("Someone nicked my wallet", ["stolen", "theft", "lost"]),
    ("How many days do I get?", []),  # nothing everyday about it
    ("Can my wife come on the trip?", ["family"]),
    ("Can I paste code into ChatGPT?", ["ai", "tool", "assistant"]),  # a product for the kind of thing
    ("Who is my HR business partner?", []),  # a partner at work is not family
    ("A customer is coming to see me on Thursday.", ["client", "customer", "visitor", "visitors"]),
    ("Woke up feeling rough and won't make it in today.", ["sickness", "absence", "illness", "first", "day"]),
    ("Can I use an ATM abroad with it?", ["cash", "withdrawal", "withdrawals"]),
    ("Smoke is coming out of the kitchen", ["fire", "discover"]),  # smoke one sees is a fire one has found
    ("I'm taking our customer out for dinner", ["entertainment", "client", "meal", "meals", "customer"]),
    ("Woke up with a temperature, not going to make it in today.",
     ["sickness", "absence", "illness", "first", "day"]),  # today is the absence's first day
    ("Sick today, sorry.", ["sickness", "absence", "illness", "first", "day"]),
    ("I've woken up with a temperature and can't make it into the Leeds office today.",
     ["sickness", "absence", "illness", "first", "day"]),
    ("He has flu and won't be in today.", ["sickness", "absence", "illness", "first", "day"]),
    ("I've come down with something nasty.", ["sickness", "absence", "illness"]),
    ("A login pop-up I didn't trigger",
     ["sign-in", "sign", "mfa", "authenticator", "push", "request", "unexpected", "start"]),
    ("the login app on my phone", ["sign-in", "sign", "mfa", "authenticator"]),
    ("I'm too unwell to come to work today", ["sickness", "absence", "illness", "first", "day"]),
    ("What do I do when I'm too sick to come in?", ["sickness", "absence", "illness", "first", "day"]),
    ("I'm hosting three people from a charity next week", ["visitor", "visitors"]),
    ("Does the front door need a PIN?", ["street", "door", "main", "entrance"]),
    ("Is the canteen open today?", ["café"]),  # 'today' alone is no absence (a canteen is a café)
    ("I left my company Visa card in a taxi", ["lost", "missing", "corporate", "card"]),  # three words name it
    ("She left her work laptop on the train", ["lost", "missing"]),  # whoever left it
    ("He left his pass at home", ["forgot", "forgotten", "badge"]),
    ("How much can I spend per person?", ["maximum", "limit", "cap", "per", "head"]),
    ("What time should I turn up on day one?", ["arrive", "arrival"]),
    ("What kind of badge will they be given?", ["receive", "receives", "issued"]),
    ("Do we get anything on day one?", []),  # 'get' alone is too many things
    ("When does it close on weekdays?", ["monday", "friday"]),
    ("The fire alarm is going off, where do I go?", ["assembly", "point", "fire", "alarm"]),
    ("Where do we meet if the alarm goes off?", ["assembly", "point", "fire", "alarm"]),
    ("Where do they go if it's a real evacuation?", ["assembly", "point"]),  # 'they': the people asked about
    ("What's the daily meal allowance on a trip to Spain?", ["meal", "meals", "per", "diem", "allowance"]),
    ("How much is the daily meal allowance paid with the salary?", ["meal", "meals"]),  # no trip: no per diem
    ("An auditor is coming into the Oslo office on Monday", ["visitor", "visitors"]),  # a third party at an office
    ("A supplier visiting our office next week", ["visitor", "visitors"]),
    ("I'm visiting the Oslo office next week", []),  # staff going to another office are no visitors
    ("What do I need to do beforehand?", ["before", "advance", "ahead"]),
    ("How long are my private chat messages kept?", ["direct", "messages"]),  # a chat app's direct messages
    ("How big can a PR be?", ["small", "large", "larger"]),  # how big: kept small, or larger
    ("How far ahead can I grab a desk?", ["book", "booking"]),  # a desk, room or space is booked
    ("Can I reserve a meeting room?", ["book", "booking"]),
    ("I've mislaid my building pass again", ["lost", "missing", "badge"]),  # a building's pass is its badge ...
    ("How do I renew my bus pass?", []),  # ... not a bus pass
    ("Will I be charged for another one?", ["different", "replacement", "replace"]),  # the lost thing again
    ("How many days can I take into next year?", ["carry", "over", "carry-over"]),
    ("Left my building pass at home today", ["forgot", "forgotten", "badge"]),  # at home: forgotten, not lost
    ("I left my laptop in a taxi", ["lost", "missing"]),
    ("My colleague nearly slipped into the river today", ["near", "miss"]),
    ("It was a close call at the bridge site", ["near", "miss"]),
    ("From what amount do I need proof of purchase?", ["receipt", "receipts"]),
    ("I emailed the spreadsheet to the wrong external recipient", ["shared", "wrong", "person", "incident"]),
    ("Sent the payroll file to the wrong person", ["shared", "wrong", "person", "incident"]),
    ("When the fire alarm rings, where do we have to go?", ["assembly", "point", "fire", "alarm"]),
    ("I lost my company card at the airport", ["lost", "missing", "corporate", "card"]),
    ("Can I put it on my business card?", []),  # a business card carries a name: no corporate card
    ("What do our guests need to bring?", ["visitor", "visitors", "show", "identification", "ID"]),
    # how long it runs is how long it lasts (and a mentoring scheme is the buddy scheme)
    ("How long does the mentoring scheme run for?", ["buddy", "lasts", "last"]),
    # the code for a network is its password, and one rotated is changed (a code alone may be software)
    ("the code for our visitors' wireless network", ["wi-fi", "network", "password", "visitor", "visitors"]),
    ("how often is the wifi password rotated?", ["password", "passphrase", "wi-fi", "network", "changes", "change"]),
    ("when does that code get swapped for a new one?", ["replacement", "replace"]),
    # money for each year is a budget, and being certified is learning
    ("any cash each year to put toward getting certified?", ["training", "learning", "budget"]),
    # someone in the water has fallen in (and a slip that happened is an accident); nearly is a near miss
    ("my colleague slipped off the bank into the river", ["accident", "falls", "fall"]),
    ("I nearly slipped into the canal", ["near", "miss"]),
    # what holds officially is the formal arrangement (and a mentoring scheme is the buddy scheme)
    ("How long am I officially on mentor duty?", ["buddy", "formal"]),
    ("if I take my own motor out to see a client", ["mileage", "client", "customer"]),  # one's own car, for work
    # how long one is kept signed in, or may stay on, is how long a session lasts
    ("how long does it keep me signed in?", ["session", "last", "kept"]),
    ("how long can I stay on before it asks again?", ["session", "last"]),
])
def test_everyday_wording_stands_for_policy_words(phrase, words):
    assert policy_words(phrase) == words


def test_only_policy_words_the_passages_use_and_the_question_lacks_are_added():
    question = "Who needs to sign off my work trip to Boston?"
    used = content_terms("\n".join(TEXTS))
    matches = policy_matches(question, used)
    assert matches == [(frozenset({"sign"}), frozenset({"approv"}))]
    forms = policy_forms(matches, TEXTS)
    assert with_policy_words(question, matches, forms) == f"{question} (approved)"  # as the passage writes it
    assert with_policy_words(question, [], forms) == question  # no match: nothing added
    assert policy_matches("Who approves my trip?", used) == []  # the question already says it
    assert policy_matches("Who signs off my trip?", content_terms("Ask your director.")) == []  # no passage says it


def test_a_sentence_in_policy_words_answers_a_question_in_everyday_ones(settings_factory, embedder):
    from ragqa.service.llm.extractive import ExtractiveLLM
    from tests.service.conftest import section

    card = section("If your corporate card is lost or stolen, freeze it in the card app and call the issuer's "
                   "24-hour line.\n", "Corporate cards", "Lost or stolen cards")
    llm = ExtractiveLLM(settings_factory(), embedder)
    scorer = llm.scorer
    plain = scorer.candidates("Someone nicked my company card. What should I do?", [card])[0]
    assert plain.overlap > 0.4  # 'nicked' counts as the passage's 'stolen'


def test_a_table_row_named_in_policy_words_answers_the_everyday_question(settings_factory, embedder):
    from ragqa.service.llm.extractive import ExtractiveLLM
    from tests.service.conftest import make_request, section

    fire = section("## Fire\n\n| Item | Oslo office |\n|---|---|\n| Weekly alarm test | Mondays at 09:00 |\n"
                   "| Assembly point | The square in front of the main door |\n| Fire wardens | One per floor |\n",
                   "Fire safety", "Fire")
    llm = ExtractiveLLM(settings_factory(), embedder)
    question = "If the fire alarm goes off at the Oslo office, where do we gather outside?"
    answer = llm.generate(make_request(question, [fire], settings_factory()))
    assert answer.startswith("For Assembly point"), answer


def test_a_product_named_for_the_kind_of_thing_a_passage_speaks_of_is_not_a_missing_name(settings_factory, embedder):
    from ragqa.service.llm.extractive import ExtractiveLLM
    from tests.service.conftest import section

    rules = section("Never paste customer data, source code or personal data into a public AI tool.\n"
                    "Keep your screen locked when you step away.\n", "Acceptable use", "AI tools")
    scorer = ExtractiveLLM(settings_factory(), embedder).scorer
    top = scorer.candidates("Is it OK to paste some source code into ChatGPT?", [rules])[0]
    other = scorer.candidates("Is it OK to paste some source code into Zorblax?", [rules])[0]
    assert top.span.readable.startswith("Never paste")
    # 'Zorblax' is a name the passage never mentions; 'ChatGPT' stands for the 'AI tool' it does
    assert top.relevance > other.relevance + 0.1


def test_every_everyday_wording_of_an_entry_counts_as_its_policy_words():
    # 'fever' and "can't come in" both mean sickness: 'come' is no literal match for 'Coming back to work'
    used = content_terms("Reporting sickness absence: call your manager on the first day of absence.")
    said = [s for s, meant in policy_matches("Woke up with a fever and can't come in today.", used)
            if "absenc" in meant]
    assert said == [frozenset({"fever", "come", NEGATED})]  # ('can't come in' is negated: no passage's own words)


def test_a_wording_split_between_two_parts_goes_with_the_part_it_ends_in():
    from ragqa.policy_words import words_across

    question = "when is the fire alarm test in Oslo and where do we meet outside?"
    parts = ["When is the fire alarm test in Oslo?", "Where do we meet outside (Oslo)?"]
    # 'alarm ... where do we meet' is the assembly point; neither part alone says so
    assert words_across(question, parts) == [[], ["assembly", "point"]]
    # a wording inside one part is that part's to read
    assert words_across("where do we gather, and when is the alarm test?",
                        ["Where do we gather?", "When is the alarm test?"]) == [[], []]


def test_the_everyday_wordings_of_a_phrase_as_written():
    from ragqa.policy_words import wordings_and_words

    def everyday_wordings(phrase: str) -> list[str]:
        return [wording for wording, _ in wordings_and_words(phrase)]

    assert "Left my work laptop on the train" in everyday_wordings("Left my work laptop on the train. What now?")
    assert everyday_wordings("What is the VPN called?") == []
    assert ("new hire", ("new", "starter", "onboarding")) in wordings_and_words("How long is the new hire's probation?")
