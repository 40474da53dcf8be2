"""A quantity the question states picks the row or case whose range holds it ('off for four days': 'Up to 7
calendar days'), the nearest-fitting one when several hold it (real embedding model; passages written here)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from ragqa.sentences import Span
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.ranges import (
    Range,
    in_unit,
    label_range,
    question_quantities,
    range_fits,
    span_label,
    stated_ranges,
    years_served,
)
from tests.service.conftest import make_request, section

SERVICE = section("## Entitlement by service\n\n| Completed service | Annual leave |\n|---|---|\n"
                  "| Less than 2 years | 24 days |\n| 2 years or more | 25 days |\n| 8 years or more | 28 days |\n",
                  "Leave for Oslo staff", "Entitlement by service")
# the general rule ('Full-time staff receive 24 days') before the table that refines it by service
SERVICE_UNDER_RULE = section("## Entitlement\n\nFull-time staff receive 24 days of annual leave per leave year, plus "
                             "public holidays.\n\n| Completed service | Annual leave |\n|---|---|\n"
                             "| Less than 2 years | 24 days |\n| 2 years or more | 25 days |\n"
                             "| 8 years or more | 28 days |\n", "Leave for Oslo staff", "Entitlement")
EVIDENCE = section("## Evidence\n\n- Up to **5 calendar days**: no note is needed; fill in the self-report in "
                   "StaffDesk.\n- From the **6th calendar day**: a medical certificate from your doctor, uploaded to "
                   "StaffDesk.\n",
                   "Sickness absence in Oslo", "Evidence")

OVERTIME = section("## Overtime\n\n| Grade | Overtime rate | Approved by |\n|---|---|---|\n"
                   "| Grades 1-3 | Double time | Your team leader |\n| Grades 4-6 | Time and a half | Your manager |\n"
                   "| Grade 7 and above | Not paid: take time off instead | Your director |\n",
                   "Overtime in Oslo", "Overtime")
NOTE_FROM_DOCTOR = section("## Evidence\n\n- Up to **5 calendar days**: no certificate is needed; fill in the "
                           "self-report in StaffDesk.\n- From the **6th calendar day**: a note from your doctor, "
                           "uploaded to StaffDesk.\n", "Sickness absence in Oslo", "Evidence")


@pytest.mark.parametrize(("label", "expected"), [
    ("Up to 7 calendar days", Range(-math.inf, 7, "day")),
    ("From the 8th calendar day", Range(8, math.inf, "day")),
    ("3 years or more", Range(3, math.inf, "year")),
    ("5+ years", Range(5, math.inf, "year")),
    ("between 2 and 4 weeks", Range(2, 4, "week")),
    ("Scans larger than 20 MB", Range(20 + 1e-9, math.inf, "mb")),
    ("Parcels smaller than 2 kg", Range(-math.inf, 2 - 1e-9, "kg")),
    ("Senior roles", None),
    # a rank names its unit first
    ("Grades 1-4", Range(1, 4, "grade")),
    ("Grade 7 and above", Range(7, math.inf, "grade")),
    ("Band 2 or below", Range(-math.inf, 2, "band")),
    ("Level 3", Range(3, 3, "level")),
])
def test_the_range_a_label_states(label, expected):
    assert label_range(label) == expected


def test_less_than_and_more_than_exclude_their_bound():
    assert not label_range("Less than 3 years").holds(3) and label_range("Less than 3 years").holds(2)
    assert not label_range("More than 30 days").holds(30) and label_range("Beyond 3 days").holds(4)


def test_the_quantities_a_question_states_but_not_the_unit_it_asks_for():
    assert question_quantities("I've been off for four days. Do I need a note?") == [(4.0, "day")]
    assert question_quantities("How many days of leave do I get after 6 years?") == [(6.0, "year")]
    assert question_quantities("I'm on grade 8. Is overtime paid?") == [(8.0, "grade")]


def test_a_week_and_over_a_week_are_quantities():
    assert question_quantities("I've been off sick for over a week now. When do I need a note?") == [(8.0, "day")]
    assert question_quantities("I was off for a week.") == [(1.0, "week")]
    assert question_quantities("We meet twice a week; I fell a week ago.") == []  # a rate, and a time past


def test_a_figure_joined_to_its_unit_by_a_hyphen_is_a_quantity():
    assert question_quantities("I passed my 3-year anniversary last autumn.") == [(3.0, "year")]
    assert question_quantities("It's a five-day trip.") == [(5.0, "day")]


@pytest.mark.parametrize(("question", "years"), [
    # by the start of the year asked
    ("I started at the Oslo office in March 2021. How many days do I get in 2026?", 4.8),
    ("I joined Nordvik in 2019 - how much leave will I have for 2025?", 6.0),
    ("We started in Oslo in June 2020, what's our leave in 2024?", 3.6),
])
def test_a_start_date_states_the_years_served(question, years):
    assert years_served(question) == pytest.approx(years, abs=0.05)


def test_without_a_year_asked_the_years_served_run_to_today():
    assert years_served("I joined in 2024, how much leave?", today=date(2026, 1, 1)) == pytest.approx(2.0, abs=0.01)
    assert years_served("I started in 2 weeks") is None  # a time to come, not a start date
    assert years_served("How many days of leave do I get?") is None


def test_a_case_label_is_the_words_before_its_colon_or_its_leading_condition():
    def span(text, kind, display=""):
        return Span(0, len(text), text, kind, display)

    assert span_label(span("Up to 5 calendar days: no note is needed.", "item")) == "Up to 5 calendar days"
    assert span_label(span("If you are off for more than 5 days, see a doctor.", "sentence")) == \
        "If you are off for more than 5 days"
    # a row's label is its first cell, not the sentence it is read as
    row = span("| 2 years or more | 25 days |", "row", "Where the service is 2 years or more, the leave is 25 days.")
    assert span_label(row) == "2 years or more"


def test_of_the_ranges_holding_the_value_the_nearest_fits():
    labels = {1: "Less than 2 years", 2: "2 years or more", 3: "8 years or more"}
    assert range_fits([(9, "year")], labels) == {1: -1, 2: 0, 3: 1}
    assert range_fits([(3, "year")], labels) == {1: -1, 2: 1, 3: -1}
    assert range_fits([(3, "week")], labels) == {}  # another unit says nothing about these rows


@pytest.mark.parametrize(("question", "passage", "lead"), [
    ("I've worked in Oslo for 9 years. How many days of annual leave do I get?", SERVICE,
     "Where the completed service is 8 years or more"),
    ("I joined the Oslo office 3 years ago. How many days of annual leave do I get?", SERVICE,
     "Where the completed service is 2 years or more"),
    ("I started at the Oslo office in May 2017. How many days of annual leave do I get in 2026?", SERVICE,
     "Where the completed service is 8 years or more"),
    ("I'm full-time in Oslo and passed my 2-year anniversary last spring. How many days of leave do I get?",
     SERVICE_UNDER_RULE, "Where the completed service is 2 years or more"),
    ("I've been off sick in Oslo for three days. Do I need a note from my doctor?", EVIDENCE, "Up to 5 calendar"),
    ("I've been off sick in Oslo for over a week. From which day do I need a note from my doctor?", EVIDENCE,
     "From the 6th"),
    ("I've been off sick in Oslo for 9 days. Do I need a note from my doctor?", EVIDENCE, "From the 6th"),
    # the excluded case shares more of the question's words ('a note from your doctor'): the range still decides
    ("I have been off sick for three days in Oslo. Do I need a note from my doctor?", NOTE_FROM_DOCTOR,
     "Up to 5 calendar days"),
    ("I'm on grade 9 in Oslo. How is my overtime paid?", OVERTIME, "For Grade 7 and above"),
    ("I'm on grade 5 in Oslo. How is my overtime paid?", OVERTIME, "For Grades 4-6"),
])
def test_the_row_or_case_whose_range_holds_the_stated_quantity_answers(question, passage, lead, settings_factory,
                                                                        embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request(question, [passage], settings_factory()))
    assert answer.startswith(lead), answer


@pytest.mark.parametrize("question", [
    "How many days can I be off sick in Oslo without a note from my doctor?",
    "I'm off sick in Oslo. At what point do I need a certificate from my doctor?",
])
def test_with_no_quantity_stated_the_cases_either_side_of_the_line_answer_together(question, settings_factory,
                                                                                   embedder):
    """Where the line falls answers both ways of asking; one case alone reads as the answer to the other question."""
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request(question, [EVIDENCE], settings_factory()))
    assert answer.startswith("Up to 5 calendar days") and "From the 6th calendar day" in answer, answer


def test_weeks_stated_meet_a_range_in_days():
    # 'four weeks off' is 20 working days: more than 15 consecutive working days, not up to 10
    labels = {0: "More than 15 consecutive working days", 1: "Up to 10 working days"}
    assert range_fits([(4.0, "week")], labels) == {0: 1, 1: -1}
    assert in_unit(2, "week", "day", "Up to 10 calendar days") == 14
    assert in_unit(2, "month", "day", "Up to 10 days") is None
    assert label_range("Taking more than 15 consecutive working days needs approval").unit == "day"


def test_a_rule_for_a_longer_absence_than_stated_in_other_units_leads(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    leave = section("Give notice of at least twice the length of the leave you are requesting. Your manager approves "
                    "or declines within 5 working days. Taking more than 15 consecutive working days off needs "
                    "approval from your director as well as your manager.\n", "Holiday for Oslo staff", "Booking leave")
    answer = llm.generate(make_request("I want to take four weeks of leave in August. What do I need to do to get "
                                       "the leave approved?", [leave], settings_factory()))
    assert answer.startswith("Taking more than 15 consecutive working days"), answer


def test_each_clause_of_a_sentence_states_its_own_range():
    sentence = ("In your first year you accrue 2 days a month, up to a maximum of 20 days, and you can start taking "
                "leave once you have completed 6 months of service.")
    assert [(r.high, r.unit) for r in stated_ranges(sentence) if r.unit == "day"] == [(20.0, "day")]
    assert [(r.low, r.unit) for r in stated_ranges(sentence) if r.unit == "month"] == [(6.0, "month")]


def test_the_rule_a_stated_time_in_the_job_is_checked_against_answers(settings_factory, embedder):
    # two months in: the 6 months after which leave may be taken answers, not the list of public holidays
    llm = ExtractiveLLM(settings_factory(), embedder)
    leave = section("The office is closed on these public holidays: New Year's Day, Good Friday and Labour Day. In "
                    "your first year you accrue 2 days a month, up to a maximum of 20 days, and you can start taking "
                    "leave once you have completed 6 months of service.\n", "Holiday for Oslo staff", "Your holiday")
    answer = llm.generate(make_request("I joined the Oslo office two months ago. Am I allowed to book holiday yet?",
                                       [leave], settings_factory()))
    assert answer.startswith("In your first year"), answer
