"""'May I ...?' questions answered by the rule that says whether one may (read under its list's lead-in, the case
that names the asker's scene first); a sentence naming the asked thing by an acronym its article spells out as
another kind; kinds of thing after 'for' and 'how long is'; 'company' says whose a thing is, not its kind; a row of
the table whose heading names the asked thing before a row of another table; where the asker is based ('Leeds-based')
and goes ('flying out to a customer in Chicago'); developers work in engineering; a rule for a case the question
never names ('when dinner is provided') after the amount asked; follow-ups pointing at a search query's thing
('printer toner for the second floor?' + 'who orders it?') or asking their own question of a place ('What about the
Madrid office, where do we meet ...?'); 'today is day five ... from now on?' asks the stage after the first; 'pay part
of my home internet bill' asks whether a thing is paid for, and 'who do I ask?' after it leans on it; 'somewhere
between the metro and the office' names no thing; 'it' is the thing the asker found ('found a taxi receipt'),
which is no lost one; 'older than 60 days' is a range: by the
rules alone, on passages written for these tests, and on the sample corpus (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.service.compounds import asked_object, other_spelled_kind, question_compounds
from ragqa.service.condense import condense
from ragqa.service.grounding import _asked_permission, _home_names, _visited_names
from ragqa.service.llm.base import Passage
from ragqa.service.llm.extractive import ExtractiveLLM, _leaning_parts
from ragqa.service.question_types import question_parts
from ragqa.service.ranges import stated_ranges
from ragqa.service.situations import contradicts
from ragqa.service.unvalued import _thing_paid_for
from tests.service.conftest import exchange, make_request, section

HARBOUR = section(
    "## Working at the harbour\n\nMost inspections are of two kinds of craft: pilot boats moored at pontoons and "
    "quays, and SB (survey boat) trailers parked in the yard.\n\nYou must not inspect alone in these situations:\n\n"
    "- any inspection on a pontoon or a quay edge (pilot boats, tenders);\n- inspections below deck;\n"
    "- night inspections.\n\nSB trailer checks in the yard may be done alone.\n",
    "Harbour inspections", "Working at the harbour")
SENSORS = ("Field sites hold two kinds of sensor: river-level (RL) sensors on weirs and air-quality (AQ) sensors on "
           "lamp posts.")

RATES = Passage(ref=1, doc_id="docs/travel-rates", chunk_id="docs/travel-rates#1", title="Travel rates",
                headings=("Travel rates",),
                text="## Meal allowance rates\n\n| Where | Nightly rate |\n|---|---|\n| Capital cities | €45 |\n"
                     "| Elsewhere | €35 |\n\n## Hotel caps\n\nRooms are booked within these caps.\n\n"
                     "| Where | Maximum per night |\n|---|---|\n| Capital cities | €150 |\n| Elsewhere | €100 |\n")

MEALS = section("## Meal allowance\n\nWhen dinner is provided by your host, reduce the overnight meal allowance by 30% "
                "for that night.\n\nStaff who stay away overnight on business receive a meal allowance of €40 per "
                "night.\n", "Meal allowance", "Meal allowance")

SICK_PAY = section("## Sick pay\n\n| | Oslo contracts | Bergen contracts |\n|---|---|---|\n"
                   "| Full pay | First 10 working days a year | First 4 days of each absence |\n"
                   "| After that | Half pay for 10 more days | 70% of base salary, paid by the state |\n",
                   "Sickness", "Sick pay")


# --- by the rules alone ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("asked", "scene"), [
    ("Can I just go on my own?", ""),
    ("Everyone else is busy, so can I go on my own?", ""),
    ("Am I allowed to do the job by myself?", ""),
    ("Is that allowed?", "My colleague wants to go out on his own to check it."),
])
def test_the_action_whose_permission_is_asked_is_read_with_its_policy_words(asked, scene):
    assert {"alon", "lone"} <= _asked_permission(asked, scene)[0]


def test_ones_own_phone_is_a_personal_one_not_being_alone():
    assert not {"alon", "lone"} & _asked_permission("Can I read my work email on my own phone?", "")[0]


@pytest.mark.parametrize(("asked", "scene"), [
    ("How often do I check in when I'm on my own?", ""),  # no permission asked
    ("Is that allowed?", "I went to the site yesterday."),  # the scene tells no action
])
def test_no_permission_wording_is_read_where_none_is_asked(asked, scene):
    assert not _asked_permission(asked, scene)[0]


def test_ones_own_thing_is_no_being_alone():
    assert "alone" not in policy_words("read my email on my own phone")
    assert "alone" in policy_words("can I go on my own if it's a quick job?")


def test_a_sentence_naming_the_thing_by_another_kinds_acronym_is_about_another_kind():
    sentence = "AQ sensor checks at ground level may be done alone."
    assert other_spelled_kind("Can I check a river-level sensor on my own?", sentence, SENSORS)
    assert other_spelled_kind("Can I check a river level sensor on my own?", sentence, SENSORS)
    assert not other_spelled_kind("Can I check an air-quality sensor on my own?", sentence, SENSORS)
    assert not other_spelled_kind("Can I check an AQ sensor on my own?", sentence, SENSORS)
    assert not other_spelled_kind("Can I check a river-level sensor?", sentence, "AQ sensors are on lamp posts.")


@pytest.mark.parametrize(("question", "pair"), [
    ("How long is maternity leave here?", ("maternity", "leave")),
    ("How many weeks of full pay do we get for maternity leave?", ("maternity", "leave")),
])
def test_a_kind_of_thing_after_for_or_how_long_is_is_read(question, pair):
    assert pair in question_compounds(question)


def test_a_verb_after_for_is_no_kind_of_its_object():
    assert question_compounds("Is there money for grabbing lunch with my buddy?") == []


def test_where_the_asker_is_based_and_where_they_go():
    assert _home_names("I'm Leeds-based and flying out next week.") == _home_names("I'm based in Leeds.") != []
    assert _visited_names("I'm flying out to a customer in Chicago.") == _visited_names("I'm going to Chicago.") != []
    assert _visited_names("There is a conference in Madrid.") == _visited_names("I'm going to Madrid.") != []


def test_people_who_write_software_work_in_engineering():
    assert "engineering" in policy_words("I'm a software developer")
    assert "engineering" in policy_words("eng laptop refresh cycle?")
    assert "engineering" not in policy_words("the English version")


def test_a_pointer_after_a_search_query_points_at_the_querys_thing():
    standalone, how = condense("who orders it?", exchange("printer toner for the second floor?",
                                                          "The office manager keeps toner in the store room [1]."))
    assert how == "rule" and "the printer toner" in standalone and "floor" not in standalone, standalone


def test_what_about_a_place_then_a_question_of_its_own_asks_it_of_that_place():
    standalone, how = condense("What about the Madrid office, where do we meet when the alarm goes off?",
                               exchange("When is the fire alarm tested in the Lisbon office?",
                                        "It is tested on Fridays at 9:00 [1]."))
    assert how == "rule" and standalone == "Where do we meet when the alarm goes off at the Madrid office?", standalone
    standalone, _ = condense("And what about the Madrid office, what hours is that one open?",
                             exchange("When is the Lisbon office open?", "From 8:00 to 18:00 [1]."))
    assert "for the Madrid office" not in standalone, standalone


def test_paying_part_of_a_bill_asks_whether_its_thing_is_paid_for():
    assert _thing_paid_for("Will the company pay part of my home internet bill?") == {"internet"}


def test_whom_to_ask_after_whether_a_thing_is_paid_for_leans_on_it():
    question = "Does the company give any allowance towards gym membership, and who do I ask?"
    assert 1 in _leaning_parts(question, question_parts(question))


def test_where_a_thing_was_lost_names_no_thing_asked():
    assert asked_object("Will I have to pay for a new one?", "I lost my pass somewhere between the bus stop and "
                        "the office.") not in ("between", "somewhere")


def test_it_is_the_thing_the_asker_found_not_where_they_found_it():
    assert asked_object("Can I still put it through?", "I was clearing out my bag and found a train ticket from a "
                        "trip that I never claimed.") == "ticket"


def test_a_thing_in_hand_is_not_the_case_of_a_rule_for_losing_it():
    assert contradicts("I just found the receipt in my coat.", "If a receipt is lost")
    assert contradicts("I just found the receipt in my coat.", "Lost receipts")
    assert not contradicts("I think I lost my receipt.", "If a receipt is lost")


def test_older_than_states_a_range():
    (older,) = stated_ranges("Claims older than 30 days are rejected.")
    assert older.unit == "day" and older.holds(45) and not older.holds(20)


# --- answered ------------------------------------------------------------------------------------------------------

def test_a_may_i_question_is_answered_by_the_rule_and_the_case_that_names_the_askers_scene(settings_factory,
                                                                                          embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("I have to look over a pilot boat moored at a pontoon. Can I just go on my "
                                       "own?", [HARBOUR], settings_factory()))
    assert answer.startswith("You must not inspect alone in these situations: any inspection on a pontoon"), answer


def test_the_two_person_rule_answers_a_lone_visit_to_a_river_site(service):
    answer = service.answer("Next week I have to check a river-level sensor mounted on a weir and everyone else is "
                            "busy, so can I just go on my own?").answer
    first = answer.split("[1]")[0]
    assert "not work alone" in first and "3 metres" in first, answer


def test_a_kind_of_leave_no_article_speaks_of_is_not_answered_by_sick_pay(service):
    result = service.answer("How many weeks of full pay does Fernhill give for maternity leave?")
    assert result.abstained, result.answer


def test_company_data_is_the_organisations_data(service):
    result = service.answer("What are the four classification levels for company data?")
    assert not result.abstained and "Confidential" in result.answer, result.answer


@pytest.mark.parametrize(("question", "lead"), [
    ("I'm staying two nights in a capital city. How much meal allowance can I claim per night?", "€45"),
    ("How much can I spend per night on a hotel in a capital city?", "€150"),
])
def test_the_row_of_the_table_whose_heading_names_the_asked_thing_leads(settings_factory, embedder, question, lead):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request(question, [RATES], settings_factory()))
    assert lead in answer.split("[1]")[0], answer


def test_a_per_diem_abroad_is_the_per_diem_of_where_the_asker_goes(service):
    answer = service.answer("I'm Leeds-based and flying out to a customer in Chicago for four nights. What per diem "
                            "can I claim for each night?").answer
    assert "$90" in answer.split("[1]")[0], answer


def test_a_software_developers_laptop_is_replaced_on_the_engineering_cycle(service):
    answer = service.answer("I'm a software developer. How often does my work laptop get swapped for a new one?").answer
    assert "3 years" in answer.split("[1]")[0], answer


def test_the_amount_asked_leads_a_rule_for_a_case_the_question_never_names(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("I'm away overnight for work next week. How much can I claim for food for each "
                                       "night?", [MEALS], settings_factory()))
    assert "€40" in answer.split("[1]")[0] and "30%" not in answer, answer
    answer = llm.generate(make_request("My host is providing dinner tonight. How much less meal allowance do I get?",
                                       [MEALS], settings_factory()))
    assert "30%" in answer.split("[1]")[0], answer


def test_food_on_an_overnight_trip_in_the_uk_is_the_uk_per_diem(service):
    answer = service.answer("When I stay overnight in the UK for work, how much can I claim for food each "
                            "night?").answer
    assert "£55" in answer.split("[1]")[0], answer


def test_from_now_on_after_a_day_reached_asks_the_later_stage(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("I'm on a Bergen contract and off sick since Monday; today is day five. What "
                                       "happens to my pay from now on?", [SICK_PAY], settings_factory()))
    assert "70%" in answer.split("[1]")[0], answer


@pytest.mark.parametrize("question", [
    "I work from home most days. Will Fernhill pay part of my home internet bill?",
    "My broadband bill went up since I started working from home. Does Fernhill give any allowance towards home "
    "internet costs, and who do I ask?",
])
def test_a_home_internet_bill_no_article_pays_for_is_not_answered(service, question):
    result = service.answer(question)
    assert result.abstained, result.answer


def test_paying_for_a_badge_lost_between_two_places_is_answered(service):
    answer = service.answer("I dropped my staff badge somewhere between the car park and the Porto office. Who do I "
                            "tell, and will I have to pay for a new one?").answer
    assert "€10" in answer, answer
