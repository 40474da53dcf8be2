"""Compound questions split into standalone parts; questions about the past recognised."""

from __future__ import annotations

import pytest

from ragqa.sentences import content_terms
from ragqa.service.question_types import (
    about_past,
    has_value,
    holds_figure,
    holds_typed_value,
    names_a_member,
    negated_terms,
    part_labels,
    parts_for_each,
    question_kind,
    question_parts,
    scene_and_question,
    split_context,
    which_category,
    with_place_capitals,
    without_preamble,
)


@pytest.mark.parametrize(("question", "parts"), [
    ("How long is the notice period, and who approves a transfer?",
     ["How long is the notice period?", "Who approves a transfer?"]),
    ("I am based in Oslo. How many desks are there, and when does the building open?",
     ["I am based in Oslo. How many desks are there?", "I am based in Oslo. When does the building open?"]),
    ("What time do the Oslo and Bergen offices open?",
     ["What time do the Oslo offices open?", "What time do the Bergen offices open?"]),
    ("Can I cycle to the office in Oslo and in Bergen?",
     ["Can I cycle to the office in Oslo?", "Can I cycle to the office in Bergen?"]),
    ("How much leave do Oslo staff get compared with Bergen staff?",
     ["How much leave do Oslo staff get?", "How much leave do Bergen staff get?"]),
    ("Which VPN do we use, and how long does a session last?",
     ["Which VPN do we use?", "How long does a session last (VPN)?"]),
    ("I'm flying to Oslo for a week: who signs off the trip and what's the hotel cap there?",  # a colon ends it too
     ["I'm flying to Oslo for a week: Who signs off the trip?", "I'm flying to Oslo for a week: What's the hotel cap "
      "there?"]),
    # a leading condition is no part of its own: it goes with each part
    ("If I travel alone, how often do I check in?", ["If I travel alone, how often do I check in?"]),
    # chat without apostrophes, who the asker is without a comma, and a part that leaves out the first's noun
    ("whats the max size for a PR and how fast are reviewers meant to respond",
     ["Whats the max size for a PR?", "How fast are reviewers meant to respond (PR)?"]),
    ("how long does the mentoring last and whats the monthly coffee budget in oslo",
     ["How long does the mentoring last?", "Whats the monthly coffee budget in oslo?"]),
    ("whos my fire warden and wheres the assembly point",
     ["Whos my fire warden?", "Wheres the assembly point?"]),
    ("As a new starter how long have I got to set up MFA, and what happens if I miss it?",
     ["As a new starter, how long have I got to set up MFA?", "As a new starter, what happens if I miss it (MFA)?"]),
    ("For Oslo staff, which month's pay includes the summer bonus, and which includes the winter bonus?",
     ["For Oslo staff, which month's pay includes the summer bonus?",
      "For Oslo staff, which month's pay includes the winter bonus?"]),
    ("For Oslo salaries, in which month is the summer bonus paid, and in which month the winter bonus?",
     ["For Oslo salaries, in which month is the summer bonus paid?",
      "For Oslo salaries, in which month the winter bonus?"]),
    # a phrase set off by commas is no clause: the question goes on after it
    ("What spending target, as a share of GDP, is the ministry asking the regions to hit?",
     ["What spending target, as a share of GDP, is the ministry asking the regions to hit?"]),
    ("If I am off sick in Oslo, do I get paid and who do I tell?",
     ["If I am off sick in Oslo, do I get paid?", "If I am off sick in Oslo, who do I tell?"]),
])
def test_compound_questions_split_into_standalone_parts(question, parts):
    assert question_parts(question) == parts


@pytest.mark.parametrize(("question", "titles", "parts"), [
    ("How much is a new badge in each office?", ["Bergen office guide", "Oslo office guide (Main St)", "Lockers"],
     ["How much is a new badge in the Bergen office?", "How much is a new badge in the Oslo office?"]),
    ("What are the opening hours of all our offices?", ["Oslo office guide", "Bergen office guide"],
     ["What are the opening hours of the Oslo office?", "What are the opening hours of the Bergen office?"]),
    ("How much is a new badge in each office?", ["Oslo office guide"], ["How much is a new badge in each office?"]),
    ("Is every laptop encrypted?", ["Laptops and loan equipment"], ["Is every laptop encrypted?"]),
])
def test_each_of_several_named_in_the_articles_becomes_a_part_per_name(question, titles, parts):
    assert parts_for_each(question, titles) == parts


@pytest.mark.parametrize(("question", "labels"), [
    ("What time do the Oslo and Bergen offices open?", ["Oslo", "Bergen"]),
    ("How much leave do Oslo staff get compared with Bergen staff?", ["Oslo", "Bergen"]),
    ("How long is the notice period, and who approves a transfer?", ["", ""]),  # told apart by what they ask
    ("I work in Bergen. How many desks are there, and when does the building open?", ["", ""]),
    # a scene after the question ('... a receipt? bergen') is carried in front of each part: 'What's' is no name
    ("what's the deadline for claims, and from what amount do I need a receipt? Bergen", ["", ""]),
])
def test_what_tells_the_parts_apart(question, labels):
    assert part_labels(question_parts(question)) == labels


@pytest.mark.parametrize(("question", "parts"), [
    ("By what time do I register guests, and what badge do they get?",
     ["By what time do I register guests?", "What badge do they get?"]),
    ("Guests arrive on Friday - by when must they be registered, and what badge colour do they get?",
     ["Guests arrive on Friday, by when must they be registered?",
      "Guests arrive on Friday, what badge colour do they get?"]),
    ("In Bergen, when does the office close, and after what time does the door need a PIN?",
     ["In Bergen, when does the office close?", "In Bergen, after what time does the door need a PIN?"]),
])
def test_a_part_may_open_with_a_preposition(question, parts):
    assert question_parts(question) == parts



@pytest.mark.parametrize(("question", "read"), [
    ("is there parking at the lisbon office?", "is there parking at the Lisbon office?"),
    ("can uk folks buy extra leave? and in new york?", "can UK folks buy extra leave? and in New York?"),
    ("can you tell us if the nice office in reading is open?", "can you tell us if the nice office in reading is "
                                                                "open?"),  # places that are also everyday words
    ("Is there parking at the lisbon office?", "Is there parking at the Lisbon office?"),  # the first is no name
    ("Is parking at the Porto office free for porto staff?", "Is parking at the Porto office free for porto staff?"),
    ("when's the christmas release freeze this year", "when's the Christmas release freeze this year"),  # a holiday
    ("are we off on boxing day or new year's eve?", "are we off on Boxing Day or new year's eve?"),
])
def test_a_lower_case_question_has_its_places_capitalised(question, read):
    assert with_place_capitals(question) == read


@pytest.mark.parametrize("question", [
    "How many days of annual leave do full-time staff get?",
    "Who approves travel and expenses?",  # 'and' inside one noun phrase is not a second question
    "What should I do if my laptop is stolen?",
    "health and safety coordinator",  # a list's side of one word is part of one name
    "terms and conditions of the loan",
    "I paid for lunch and whats more the taxi",  # no question after 'and'
])
def test_a_single_question_stays_whole(question):
    assert question_parts(question) == [question]


def test_a_question_typed_as_a_list_of_things_asks_for_each():
    assert question_parts("travel insurance policy number and the emergency assistance number") == [
        "What is the travel insurance policy number?", "What is the emergency assistance number?"]
    assert question_parts("oslo office opening hrs + reception extension?") == [
        "What is the oslo office opening hrs?", "What is the reception extension?"]
    # with a verb it is one question: 'do I need receipts' is not a thing
    assert len(question_parts("expenses deadline + do I need receipts for small stuff")) == 1


@pytest.mark.parametrize(("question", "context", "asked", "kind"), [
    ("I work in Bergen. Who signs my leave?", "I work in Bergen.", "Who signs my leave?", "person"),
    ("Going abroad next week: how soon must I book?", "Going abroad next week:", "how soon must I book?", "date"),
    ("How many U.S. staff are in Oslo?", "", "How many U.S. staff are in Oslo?", "number"),  # not split at 'U.S.'
    ("My laptop was stolen. How quickly do I report it?", "My laptop was stolen.", "How quickly do I report it?",
     "date"),
    ("There is no café. How much is the allowance?", "There is no café.", "How much is the allowance?", "number"),
])
def test_statements_before_the_question_are_its_context(question, context, asked, kind):
    assert split_context(question) == (context, asked)
    assert question_kind(question) == kind  # read from the question, not the statement


def test_questions_about_the_past():
    assert about_past("What were the 2024 per diem rates?")
    assert about_past("What was the old password rule?")
    assert not about_past("Do our passwords still expire every 90 days?")
    assert not about_past("How far in advance should I ask before going away?")
    # a year before this one is the past; this year's or a later one is not
    from datetime import date

    this_year = date.today().year
    assert about_past(f"I carried 5 days over from {this_year - 1} into {this_year}. Which rules apply?")
    assert not about_past(f"Two nights in Glasgow, 10-12 March {this_year}. What meal allowance can he claim?")


@pytest.mark.parametrize(("query", "kind"), [
    # typed as into a search box: the head noun says what is asked
    ("per diem for a trip to the US", "number"),
    ("oslo office lost badge cost", "number"),
    ("expenses deadline", "date"),
    ("security hotline", "contact"),
    ("new laptop", "other"),  # nothing asked for by name
])
def test_a_search_box_query_asks_for_what_its_head_noun_names(query, kind):
    assert question_kind(query) == kind


def test_they_in_a_later_part_are_the_people_the_scene_names():
    from ragqa.service.condense import standalone_parts

    # 'they' go to the assembly point: the new person, not the alarm test the first part asks about
    parts = standalone_parts("New person joining my team - when is the alarm test, and where do they go if it's real?")
    assert parts[1].endswith("where do they go if it's real (assembly point)?"), parts
    # without people in the scene, 'them' is still the first part's thing
    assert "days of leave" in standalone_parts("How many days of leave can I carry over, and by when do I have to "
                                               "use them?")[1]


def test_a_value_is_a_figure_or_a_date_not_a_topic_word():
    assert has_value("date", "Carried days must be taken by 30 April.")
    assert has_value("date", "Reports are due within 5 working days.")
    assert not has_value("date", "The deadline moved later in the year.")
    assert has_value("number", "Up to eight days may be carried over.")
    assert not has_value("number", "Carry-over is limited.")
    # 'Until when' asks for a point in time: a duration or an unrelated year is not it
    assert has_value("date", "Carried days must be taken by 30 April.", "Until when can I use carried days?")
    assert not has_value("date", "Up to a maximum of 20 days.", "Until when can I use carried days?")
    # ('How soon' asks a time counted from a start: a cap on days is none)
    assert has_value("date", "You can use them once you have completed 3 months.", "How soon can I use carried days?")
    assert not has_value("date", "Up to a maximum of 20 days.", "How soon can I use carried days?")
    # a deadline may be counted from the event it follows
    assert has_value("date", "Report a near miss within 24 hours.", "deadline for reporting a near miss?")
    assert has_value("date", "Claims are due 30 days after the trip.", "What's the deadline for claims?")
    assert not has_value("date", "Claims are checked by Finance.", "What's the deadline for claims?")
    # a period's bounds are days of the calendar: a count of days does not say when it resets
    assert has_value("date", "The leave year runs from 1 January.", "When does the leave year reset?")
    assert not has_value("date", "Staff get 25 days of leave per leave year.", "When does the leave year reset?")


CARD = ("## Lost card\n\n1. Freeze the card in the Wallet app. This works at any hour.\n"
        "2. Call the issuer on the number on the back of the card to cancel it.\n"
        "3. Tell the finance team the next working day.\n\n"
        "If you see a payment you do not recognise, freeze the card and report it in the same way.")
RULES_OLD = ("> **Superseded.** This policy was replaced in 2026.\n\n# Badge policy (2022)\n\n"
             "Visitor badges must be returned within 7 days.")
RULES_NEW = "# Badge policy\n\nVisitor badges must be returned within 2 days."


def _passages():
    from ragqa.service.llm.base import Passage

    return [Passage(ref=1, doc_id="fin/card", chunk_id="fin/card#0", title="Corporate card", text=CARD),
            Passage(ref=2, doc_id="sec/badges-2022", chunk_id="b22#0", title="Badge policy (2022) (superseded)",
                    superseded=True, text=RULES_OLD),
            Passage(ref=3, doc_id="sec/badges", chunk_id="b#0", title="Badge policy", text=RULES_NEW)]


def test_what_should_i_do_is_answered_with_the_steps(settings_factory, embedder):
    from ragqa.service.llm.extractive import ExtractiveLLM
    from tests.service.conftest import make_request

    llm = ExtractiveLLM(settings_factory(), embedder)
    text = llm.generate(make_request("My corporate card was stolen. What should I do?", _passages(),
                                     settings_factory()))
    assert text.index("Freeze the card in the Wallet app") < text.index("Call the issuer") < text.index("Tell the")


def test_the_current_policy_answers_unless_the_question_is_about_the_past(settings_factory, embedder):
    from ragqa.service.llm.extractive import ExtractiveLLM
    from tests.service.conftest import make_request

    llm = ExtractiveLLM(settings_factory(), embedder)
    now = llm.generate(make_request("Within how many days must visitor badges be returned?", _passages(),
                                    settings_factory()))
    assert "2 days" in now and "7 days" not in now
    before = llm.generate(make_request("Within how many days did the old 2022 policy say visitor badges must be "
                                       "returned?", _passages(), settings_factory()))
    assert "7 days" in before
    only_old = llm.generate(make_request("Within how many days must visitor badges be returned?", _passages()[:2],
                                         settings_factory()))
    assert only_old.startswith("According to the superseded article:") and "7 days" in only_old


@pytest.mark.parametrize(("question", "alone"), [
    ("Separate thing - if I'm off sick for 10 days, do I need a note?",
     "If I'm off sick for 10 days, do I need a note?"),
    ("Different question: a supplier wants to be paid early. Is that allowed?",
     "A supplier wants to be paid early. Is that allowed?"),
    ("Hi, quick question: where is the assembly point?", "Where is the assembly point?"),
    ("Thanks! One more thing, how long is probation?", "How long is probation?"),
    ("ok different thing - how much is the meal allowance?", "How much is the meal allowance?"),  # no comma
    ("Thanks! Totally different thing: which network do I use?", "Which network do I use?"),
    ("Unrelated, but my train was cancelled. Who do I ring?", "My train was cancelled. Who do I ring?"),
    ("On a different note, who approves trips?", "Who approves trips?"),
    # what belongs to the question stays: a follow-up's connective, a noun phrase, a reply with no question
    ("And in Porto?", "And in Porto?"),
    ("Also, who approves it?", "Also, who approves it?"),
    ("Right to work documents: what do I bring?", "Right to work documents: what do I bring?"),
    ("Different rules apply in Porto?", "Different rules apply in Porto?"),
    ("OK, thanks", "OK, thanks"),
])
def test_words_about_the_conversation_are_not_part_of_the_question(question, alone):
    assert without_preamble(question) == alone


@pytest.mark.parametrize("question", [
    "Fernhill Connect just won't connect. What should I try?",
    "Woke up with a fever and can't work today. What do I need to do?",
    "I'm doing sensor checks on my own tomorrow. What do I have to do while I'm out?",
    "We had to use the emergency account last night. What has to happen now?",
    "I approved a sign-in request I didn't start. what now?",
])
def test_ways_of_asking_what_to_do_ask_for_steps(question):
    assert question_kind(question) == "steps"


def test_what_to_bring_is_not_steps():
    assert question_kind("What do I need to bring on my first day?") != "steps"


def test_a_statement_before_a_dash_goes_with_each_part():
    assert question_parts("starting in Porto on Monday - what time do I show up and what ID should I bring?") == [
        "Starting in Porto on Monday, what time do I show up?", "Starting in Porto on Monday, what ID should I bring?"]


def test_a_statement_before_the_question_is_no_part_of_its_own():
    # 'been here about 8 months' tells the asker's situation; it is not a question to answer on its own
    assert question_parts("been here about 8 months, can I sign up to be a buddy?") == [
        "been here about 8 months, can I sign up to be a buddy?"]
    assert question_parts("I work in Porto, how many days do I get and when can I carry them over?") == [
        "I work in Porto, how many days do I get?", "I work in Porto, when can I carry them over?"]


def test_a_question_opening_with_when_is_a_part_not_a_condition():
    assert question_parts("When do managers get the pay letters, and when do the new salaries kick in?") == [
        "When do managers get the pay letters?", "When do the new salaries kick in?"]
    assert question_parts("When I travel, how much can I claim and who approves it?") == [
        "When I travel, how much can I claim?", "When I travel, who approves it?"]


@pytest.mark.parametrize(("sentence", "holds"), [
    ("The train leaves every second Tuesday.", True),
    ("The platform ships on a fortnightly release train.", True),
    ("Sessions last 12 hours.", True),  # a figure still counts
    ("The release branch is cut from main.", False),
])
def test_a_frequency_in_words_answers_how_often(sentence, holds):
    question = "How often does the release train go out?"
    assert holds_figure(sentence, question) is holds
    assert has_value("number", sentence, question) is holds


def test_a_frequency_word_is_no_figure_for_other_questions():
    assert not holds_figure("The train leaves every second Tuesday.", "How many times did they meet?")


def test_which_official_asks_for_a_person():
    assert question_kind("Which harbour official has pushed for night berths?") == "person"
    assert question_kind("What Lisbon minister signed the accord?") == "person"
    assert question_kind("Which South Norland minister signed the accord?") == "person"
    assert question_kind("What is the team budget?") != "person"
    assert question_kind("Which harbour has the deepest berths?") == "other"


def test_how_long_a_code_must_be_is_answered_by_its_digits():
    assert has_value("number", "a screen lock with a PIN of at least 6 digits, or biometrics;",
                     "How long does my phone's PIN need to be?")


def test_the_24_7_number_asks_for_a_phone_number_and_a_reference_is_none():
    question = "What's the 24/7 number for the boat insurer if I get hurt at sea?"
    assert question_kind(question) == "contact"
    assert not holds_typed_value("phone", "For Policy number, the detail is BX-SEA-2025-0917.")
    assert holds_typed_value("phone", "Call the assistance line on +44 20 7946 0999, day or night.")
    assert question_kind("What is the number of days I can carry over?") != "contact"


@pytest.mark.parametrize(("question", "category"), [
    ("Which Japanese farm market is Washington pushing Tokyo to open up?", "market"),
    ("Which administration put the country on the list?", "administration"),
    ("Which election this summer could decide his future?", "election"),  # a time after the category
    ("Which analyst said alliances are about money?", ""),  # a person: a name answers
    ("Which year was the treaty signed?", ""),  # a time
    ("What cabin class can I book?", ""),  # 'what': often answered without the category's word ('economy')
])
def test_the_category_a_which_question_asks_a_member_of(question, category):
    assert which_category(question) == category


def test_a_sentence_names_a_member_by_a_word_the_question_lacks():
    asked = content_terms("Which administration put the country on the list?")
    assert names_a_member("administration", "The preceding Oslo administration added it in January.", asked)
    assert not names_a_member("administration", "The administration added it in January.", asked)
    assert not names_a_member("administration", "It was added to the list by this administration.", asked)
    assert not names_a_member("administration", "The list administration added it in January.", asked)  # asked


def test_a_later_part_read_after_the_first():
    from ragqa.service.llm.extractive import _after

    assert _after("What's the VPN app called?", "How long does a session last?") == \
        "What's the VPN app called. How long does a session last?"
    # the statements both parts carry are said once
    assert _after("I'm in Porto. What's the VPN app called?", "I'm in Porto. How long does a session last?") == \
        "I'm in Porto. What's the VPN app called. How long does a session last?"


@pytest.mark.parametrize(("question", "alone"), [
    ("Oh no, I clicked a strange link. What should I do?", "I clicked a strange link. What should I do?"),
    ("Oops, left my laptop on the train, what now?", "Left my laptop on the train, what now?"),
    ("Help, I lost my badge. What do I do?", "I lost my badge. What do I do?"),
    ("Help desk hours in Porto?", "Help desk hours in Porto?"),  # the help desk, no cry for help
])
def test_an_exclamation_before_the_question_is_not_part_of_it(question, alone):
    assert without_preamble(question) == alone


def test_a_statement_closed_by_a_bracket_is_context_and_am_i_starts_a_part():
    question = "lost my badge again (2nd time). how quickly do I report it and am I charged for a new one?"
    assert question_parts(question) == ["lost my badge again (2nd time). How quickly do I report it?",
                                        "lost my badge again (2nd time). Am I charged for a new one?"]


@pytest.mark.parametrize(("question", "scene", "asked"), [
    ("Someone in finance is checking an old claim and wants to know what the hotel cap was.",
     "Someone in finance is checking an old claim", "what the hotel cap was."),
    ("One of our engineers is asking whether he can bring his dog.", "One of our engineers",
     "whether he can bring his dog."),
    ("I want to know how many days I get.", "", "I want to know how many days I get."),  # no one else's
    ("field team here, need a part - whats the max on my card?", "field team here, need a part",
     "whats the max on my card?"),
    # a 'when' that sets the scene, as 'if' does; 'When is ...?' asks a time
    ("When the fire alarm rings, where do we go?", "When the fire alarm rings", "where do we go?"),
    ("When is the alarm test, and where do we meet?", "", "When is the alarm test, and where do we meet?"),
])
def test_the_scene_of_a_relayed_question_or_one_before_whats(question, scene, asked):
    assert scene_and_question(question) == (scene, asked)


def test_a_place_compared_with_is_ruled_out_and_labels_no_part():
    assert negated_terms("Is the Porto office open until 8pm like Leeds?") == content_terms("Leeds")
    assert negated_terms("Is probation 6 months, as in Leeds, for Porto staff?") == content_terms("Leeds")
    assert part_labels(["I work in Porto. Is it open until 8pm like Leeds?", "I work in Porto. Do I need a code?"]) \
        == ["", ""]


MENTORING = """---
title: Mentoring programme
updated: 2026-02-02
---
# Mentoring programme

Every new engineer is paired with a mentor from another team, who has volunteered in the people portal. The
formal mentoring period lasts 6 months, with a catch-up every two weeks.

## Coffee budget

Each mentoring pair can spend up to £30 per month on coffee or lunch together during the 6-month mentoring period.
Claim it in the expenses app under the category Mentoring.
"""


# another article's lengths of time, which 'For how long?' read alone finds first
PROBATION = """---
title: Probation
updated: 2026-01-10
---
# Probation

## How long does probation last?

For most roles probation lasts 6 months. It can be extended once, by up to 3 months.
"""


def test_a_length_of_time_that_only_names_a_thing_does_not_answer_how_long(tmp_path_factory, embedder):
    """'during the 6-month mentoring period' names the period by its length; 'and for how long?' is answered by the
    sentence that says how long it lasts, though the first part's sentence holds the figure too."""
    from tests.conftest import index_articles, service_factory

    service = service_factory(index_articles(tmp_path_factory, embedder, {"people/mentoring.md": MENTORING,
                                                                          "people/probation.md": PROBATION}),
                              embedder)()
    answer = service.answer("How much can my mentor and I spend on coffee each month, and for how long?").answer
    assert "£30 per month" in answer and "period lasts 6 months" in answer, answer
    assert answer.index("£30") < answer.index("period lasts 6 months"), answer
