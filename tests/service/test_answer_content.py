"""Answers a person can act on: question kinds, tables in words, qualified and general rows, links kept, steps in
order, at most three sentences, and conversations (real embedding model, real index of corpus/)."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from ragqa.sentences import content_terms, split_sentences
from ragqa.service.composition import build_components
from ragqa.service.grounding import Candidate
from ragqa.service.llm.base import Passage
from ragqa.service.llm.extractive import (
    ExtractiveLLM,
    _own_answer,
    _same_fact,
    leans_on_previous,
    value_first,
    without_connective,
)
from ragqa.service.models import Turn
from ragqa.service.question_types import (
    asked_role,
    asked_thing,
    has_value,
    holds_typed_value,
    names_the_holder,
    question_kind,
    situation_times,
    states_the_thing,
    typed_value,
)
from ragqa.service.table_rows import row_for_question, row_label, row_nudges, rows_named_by_meaning
from tests.service.conftest import make_request, section

PROBATION = section("## How long probation lasts\n\nThe length depends on your contract:\n\n| Contract | Probation "
                    "period |\n|---|---|\n| Leeds and UK contracts | **6 months** |\n"
                    "| Porto and Portuguese contracts, most roles | **90 days** |\n"
                    "| Porto, senior and highly technical roles | **180 days** |\n",
                    "Probation", "How long probation lasts")
STEPS = Passage(
    ref=1, doc_id="finance/card", chunk_id="finance/card#3", title="Corporate card", headings=("Lost or stolen card",),
    text="## Lost or stolen card\n\nIf your card is lost or stolen, do this:\n\n"
         "1. Freeze the card immediately in the Ledgerly app. This works 24 hours a day.\n"
         "2. Call the card issuer's 24-hour number printed on the back of the card to cancel it.\n"
         "3. Tell Finance at finance@fernhill.example the next working day.\n")


@pytest.mark.parametrize(("question", "kind"), [
    ("How many days of annual leave do Leeds staff get?", "number"),
    ("When does the code freeze start?", "date"),
    ("Who do I call if my flight is cancelled at night?", "contact"),
    ("I lost my laptop. What is the security hotline?", "contact"),
    ("What are the four classification levels for company data?", "list"),
    ("What are the three tiers of documents?", "list"),
    ("Who owns the probation policy?", "person"),
    ("Where is the assembly point in Porto?", "place"),
    ("I clicked a link in a phishing email. What should I do?", "steps"),
    ("How do I book annual leave?", "steps"),
    ("Can I bring my dog to the office?", "yesno"),
    ("What are the four classification levels for company data?", "list"),
    ("What is a PEEP?", "definition"),
    ("On which days are supplier payment runs?", "date"),  # days, not a list of things
    ("What times is the office open?", "date"),
    ("Why are firmware releases staged?", "reason"),
    ("How many custodians hold a card? Where is the key kept?", "place"),  # a follow-up carried with its question
    ("How do I get hold of the office manager?", "contact"),  # how to reach someone is a contact, not steps
    ("How can I reach the payroll team?", "contact"),
    ("If my flight is cancelled, which number should I ring?", "contact"),
    ("How to get in touch with the Security team?", "contact"),
    ("Phone got nicked on the bus. First thing I should do?", "steps"),
    ("What am I supposed to do now?", "steps"),
    ("Feeling awful and can't come in. Who do I have to tell?", "contact"),
    ("One of my team had her card stolen. What should she do first?", "steps"),  # a manager asking for someone
    ("My new starter lost his badge. What does he need to do?", "steps"),
    ("What is he supposed to do now?", "steps"),
    ("Too unwell to work today - what's the process?", "steps"),
    ("A customer is coming in on Friday, what do I need to sort beforehand?", "steps"),  # 'sort' without 'out'
    ("what does someone in my team need to do if they miss a flight", "steps"),
    ("What does a new starter have to do in their first week?", "steps"),
    ("What I should do first?", "steps"),  # the word order of many who learned English later
    ("What I do now?", "steps"),
    ("Am I right that the first thing to do is email Finance?", "steps"),  # a belief about the first step
])
def test_question_kind(question, kind):
    assert question_kind(question) == kind


@pytest.mark.parametrize(("kind", "sentence", "holds"), [
    ("person", "General Ana Reyes, commander of the northern fleet, said so.", True),  # honorific + name
    ("person", "The policy is underwritten by Calder Mutual.", True),  # a name the question lacks
    ("person", "You do not need to buy your own insurance.", False),
    ("person", "Costs rose, coupled with Calder-specific disdain for small fleets.", False),  # a name as adjective
    ("person", "Your line manager approves the request.", True),  # a role
    ("contact", "Call the duty line on +44 113 496 0000 at any hour.", True),
    ("contact", "Tell your manager if your flight is cancelled.", False),
    ("contact", "Ring the 24-hour line if your flight is cancelled.", True),
    ("number", "The estimated cost is $44 billion.", True),
    ("place", "Office manager: Ana Lopes, facilities team.", True),  # no address asked: any sentence may place it
    ("number", "You may keep it for one extra year.", True),
    ("number", "Claim a flat allowance instead of claiming meals one by one.", False),  # an idiom, not a count
    ("number", "No one may approve their own claim.", False),
])
def test_what_a_value_answer_holds(kind, sentence, holds):
    assert has_value(kind, sentence, "Who underwrites the fleet's insurance?") is holds


@pytest.mark.parametrize(("sentence", "holds"), [
    ("The mentoring period lasts 6 weeks.", True),
    ("Months 2-3: a catch-up every two weeks.", False),  # how often, not how long
    ("Meet each other week for coffee.", False),
])
def test_how_long_is_answered_by_a_length_not_a_frequency(sentence, holds):
    assert has_value("number", sentence, "How long does the mentoring last?") is holds


@pytest.fixture
def ask(settings_factory, embedder):
    """The extractive answer to a question over the given passages."""
    llm = ExtractiveLLM(settings_factory(), embedder)
    return lambda question, passages: llm.generate(make_request(question, passages, settings_factory()))


def row_adjustments(question: str, spans, **weights) -> dict[int, float]:
    """Each row's whole nudge: table_rows.row_nudges' score and order-only nudges summed."""
    score, order = row_nudges(question, spans, **weights)
    return {i: score.get(i, 0.0) + order.get(i, 0.0) for i in score.keys() | order.keys()}


def cand(text: str, score: float) -> Candidate:
    """A scored candidate for one sentence (the ordering helpers only read its text and score)."""
    span = split_sentences(text)[0]
    return Candidate(ref=1, span=span, index=0, score=score, cosine=score, overlap=0.0, vector=np.zeros(3))


@pytest.mark.parametrize(("question", "value_type"), [
    ("How much is the meal allowance in Porto?", "money"),
    ("How much does a parking space cost?", "price"),  # an amount, not a share
    ("What does a monthly bus pass cost after the discount?", "price"),
    ("What's the mileage rate for a van?", "money"),
    ("What percentage of my salary goes into the pension?", "percent"),
    ("What share of the vote did she receive?", "percent"),
    ("What is Acme's yearly payment to the fund?", "money"),  # a possessive among the words before the noun
    ("In which year did the plant open?", "year"),
    ("What is the phone number of the duty coordinator?", "phone"),
    ("Hurt abroad: what's the emergency assistance number?", "phone"),  # a word between
    ("Which policy number do I quote?", "code"),  # a reference, not a number to ring
    ("How much OneDrive storage does each employee get?", "size"),
    ("What day of the month does salary get paid in Porto?", "monthday"),
    ("How big can an email attachment be?", "size"),
    ("What's the mailbox quota?", "size"),
    ("How big is a PR allowed to be?", ""),  # lines of code, not stored bytes
    ("How much leave do I get?", ""),  # days, not money
    ("How much notice do I have to give?", "notice"),  # a time ahead, not money
    ("Who do I call about a lost badge?", ""),  # a contact: a desk or a channel answers too
    ("How fast is the guest Wi-Fi connection?", "speed"),
    ("Is there a bandwidth cap on the lab network?", "speed"),
    ("How fast do reviewers have to respond?", ""),  # a time, not a speed
    ("Is there a size or weight limit on parcels?", "weight"),
    ("How heavy can my cabin bag be?", "weight"),
    # whether it costs: a sum, 'free' or who pays ('Fernhill reimburses ...') answers
    ("Will I have to pay for a new one?", "payer"),
    ("Am I going to be charged for another one?", "payer"),
    ("Will I get paid for it?", ""),
    ("She asks how much a yearly pass for the city car park actually costs.", "price"),  # the thing, then 'costs'
    ("How much exactly will my team be charged for the repair?", "money"),
    ("How much percent of the ticket does the company pay?", "percent"),
])
def test_what_type_of_value_a_question_asks_for(question, value_type):
    assert typed_value(question) == value_type


@pytest.mark.parametrize(("value_type", "sentence", "holds"), [
    ("money", "Claim up to €25 a month.", True),
    ("money", "Mileage is 45p per mile.", True),
    ("money", "For Norway, the overnight stay is NOK 900.", True),  # an ISO currency code
    ("money", "Replacement is free the first time.", True),  # 'free' is an amount
    ("money", "Porto staff receive a meal allowance with their salary.", False),
    ("money", "Full-time staff get 25 days of leave.", False),  # a figure, not money
    ("payer", "Fernhill reimburses travel vaccinations needed for business trips.", True),  # who pays
    ("payer", "Replacement is free the first time.", True),
    ("payer", "Check vaccination requirements at least 6 weeks before travel.", False),
    ("money", "Fernhill reimburses travel vaccinations needed for business trips.", False),  # (no amount)
    ("price", "Staff get a 20% discount on a monthly pass.", False),  # a share of a price is not one
    ("price", "Every replacement costs €10.", True),
    ("percent", "The employer adds 5% of salary.", True),
    ("year", "The plant opened in March 1998.", True),
    ("year", "The plant opened in March.", False),
    ("percent", "The employer adds a contribution each month.", False),
    ("phone", "Call the duty line on +44 113 496 0000.", True),
    ("phone", "Post a check-in message in the #field-checkin channel.", False),
    ("size", "Each account gets 1 TB of cloud storage.", True),
    ("monthday", "Porto staff are paid on the 25th of each month.", True),
    ("monthday", "Leeds staff are paid on the last working day of each month.", True),
    ("monthday", "The holiday allowance is paid with the June payroll.", False),
    ("size", "Attachments over 25MB are blocked.", True),
    ("size", "Mailboxes have unlimited space.", True),
    ("size", "Share a link with an expiry of 30 days at most.", False),
    ("speed", "Guests are limited to 20 Mbit/s per device.", True),
    ("speed", "The site limit is 15 mph.", True),
    ("speed", "Guest access is limited to internet use.", False),
    ("weight", "Parcels over 25 kg go to the loading bay.", True),
    ("weight", "Parcels must be collected within 3 working days.", False),
])
def test_a_typed_value_is_held_only_by_a_value_of_its_type(value_type, sentence, holds):
    assert holds_typed_value(value_type, sentence) is holds


@pytest.mark.parametrize(("sentence", "holds"), [
    ("The Oslo office is at Rua do Sol 12, on the first floor.", True),
    ("Our headquarters is at 7 Canal Street, Leeds.", True),
    ("Office manager: Ana Lopes (facilities@example.org).", False),
])
def test_an_address_question_is_answered_by_an_address(sentence, holds):
    assert question_kind("What is the Oslo office address?") == "place"
    assert has_value("place", sentence, "What is the Oslo office address?") is holds


@pytest.mark.parametrize(("sentence", "holds"), [
    ("You may carry over up to 8 days of unused leave.", True),
    ("The limit rose from 5 days to 8 working days.", True),
    ("Carried days must be taken by 30 April of the new leave year.", False),  # a date, not a count of days
])
def test_how_many_days_is_answered_by_a_count_of_days(sentence, holds):
    assert has_value("number", sentence, "How many days can I carry over?") is holds


@pytest.mark.parametrize(("question", "sentence", "holds"), [
    ("Who do I need to tell?", "Call your line manager by 09:30.", True),  # whom to tell: a role
    ("Who should we notify?", "Tell the Security team at once.", True),
    ("Who do I need to tell?", "From the 8th day: a fit note from your GP.", False),
    ("Who do I call?", "Call your line manager by 09:30.", False),  # a number to call
    ("Who do I call?", "Call the hotline on ext 7111.", True),
])
def test_whom_to_tell_is_answered_by_a_role_or_a_contact(question, sentence, holds):
    assert has_value("contact", sentence, question) is holds


@pytest.mark.parametrize(("sentence", "holds"), [
    ("Check in again every 2 hours while on site.", True),
    ("The alarm is tested weekly.", True),
    ("Laptops are replaced after 3 years.", True),  # the period after which it comes round again
    ("If you miss a check-in by 30 minutes, the coordinator calls you.", False),  # how late, not how often
    ("The coordinator role is covered 07:00-19:00 on working days.", False),
])
def test_how_often_is_answered_by_a_frequency(sentence, holds):
    assert has_value("number", sentence, "How often do I check in with the coordinator?") is holds


def test_the_sentence_holding_the_asked_value_leads():
    topic = cand("You may claim a flat allowance for each night away.", 0.8)
    figure = cand("The allowance is 55 pounds a night.", 0.7)
    question = "How much is the nightly allowance?"
    assert value_first([topic, figure], "number", question) == [figure, topic]
    assert value_first([figure, topic], "number", question) == [figure, topic]
    assert value_first([topic, figure], "yesno", question) == [topic, figure]  # no value asked: the order stays


def test_of_the_sentences_holding_the_value_the_one_naming_the_asked_place_leads():
    general = cand("A day trip of more than 5 hours earns the day rate.", 0.8)
    row = cand("For Norway, the overnight rate is 90 euros.", 0.78)  # near-equal scores
    assert value_first([general, row], "number", "How much is the overnight allowance in Norway?") == [row, general]
    assert value_first([general, row], "number", "How much is the overnight allowance?") == [general, row]
    # far below the best figure, naming the place is not enough to lead
    scope = cand("That covers everyone at the Norway office at 2 Fjord Street.", 0.5)
    assert value_first([general, scope], "number", "How much is the overnight allowance in Norway?")[0] is general


def test_the_leave_answer_is_not_padded_with_the_pages_introduction(sample_service):
    """'That covers everyone based at the Leeds headquarters' names Leeds but needs 'This page explains...' before
    it: two sentences of scope, not of answer."""
    answer = sample_service.answer("How much annual leave do Leeds staff get?").answer
    assert "25 days" in answer.split("[1]")[0] and "This page" not in answer, answer


@pytest.mark.parametrize(("sentence", "alone", "leans"), [
    ("Meanwhile, no progress has been made.", "No progress has been made.", False),
    ("As a result, the minister called it a crisis.", "The minister called it a crisis.", False),
    ("What's more, the US set a 25 percent tax.", "The US set a 25 percent tax.", False),
    ("By contrast, Leeds closes at 20:00.", "Leeds closes at 20:00.", False),
    ("However, it is 25 days.", "However, it is 25 days.", True),  # the pronoun still needs its sentence
    ("It is 25 days.", "It is 25 days.", True),
    ("This shift is understandable.", "This shift is understandable.", False),  # 'this' + a noun stands alone
    ("This applies to contractors.", "This applies to contractors.", True),
    ("Otherwise, pay the fee.", "Otherwise, pay the fee.", True),  # the condition it reverses is needed
    # a short phrase before the pronoun subject: who 'he' is is in the sentence before
    ("During last year's interview, he noted the need for change.",
     "During last year's interview, he noted the need for change.", True),
    ("During last year's interview, the minister noted the need for change.",
     "During last year's interview, the minister noted the need for change.", False),
])
def test_a_sentence_quoted_alone_drops_its_connective(sentence, alone, leans):
    assert without_connective(sentence) == alone
    assert leans_on_previous(sentence) is leans


def test_table_row_reads_as_a_sentence_from_its_headers():
    rows = [s.readable for s in split_sentences(PROBATION.text) if s.kind == "row"]
    assert rows[1] == "For Porto and Portuguese contracts, most roles, the probation period is 90 days."
    assert not any("Contract:" in r or ";" in r for r in rows)  # no 'Header: cell; Header: cell' dumps


INSTRUMENTS = section("| Instrument | Oslo | Bergen (Harbour lab) | Training needed |\n|---|---|---|---|\n"
                      "| Confocal microscope | 4 hours | 3 hours | Yes, a half-day induction |\n"
                      "| Plate reader | 2 hours | 2 hours | No |\n", "Booking lab instruments", "Booking limits")


@pytest.mark.parametrize(("question", "row", "read"), [
    ("How long can I book the confocal microscope in Bergen?", 0,
     "For Confocal microscope, Bergen (Harbour lab) is 3 hours; the training needed is Yes, a half-day induction."),
    ("How long can I book the plate reader in Oslo?", 1,
     "For Plate reader, Oslo is 2 hours; the training needed is No."),
    # both places named, or none: the row as read, every column
    ("Confocal limits in Oslo and Bergen?", 0, None),
    ("How long can I book the confocal microscope?", 0, None),
])
def test_a_row_is_said_with_the_place_columns_the_question_names(question, row, read):
    spans = tuple(split_sentences(INSTRUMENTS.text))
    index = [i for i, s in enumerate(spans) if s.kind == "row"][row]
    assert row_for_question(question, spans, index) == (read or spans[index].readable)


def test_a_part_that_an_earlier_parts_sentence_answers_adds_nothing(settings_factory, embedder):
    """'in Oslo and in Bergen': both places are columns of one row; the second part must not quote another row."""
    limits = section("| Instrument | Oslo | Bergen (Harbour lab) |\n|---|---|---|\n"
                     "| Confocal microscope | 4 hours | 3 hours |\n| Electron microscope (SEM) | 6 hours | 8 hours |\n"
                     "| Mass spectrometer | 12 hours | 12 hours |\n", "Booking lab instruments", "Booking limits")
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("How long can I book the confocal microscope in Oslo and in Bergen?",
                                       [limits], settings_factory()))
    assert "4 hours" in answer and "3 hours" in answer and "Electron microscope" not in answer, answer


def test_the_answer_quotes_only_the_column_of_the_place_asked_about(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("How long can I book the confocal microscope for in Bergen?", [INSTRUMENTS],
                                       settings_factory()))
    assert "Bergen (Harbour lab) is 3 hours" in answer and "Oslo" not in answer and "4 hours" not in answer, answer
    # a passage cut inside the table reads its header from the table above it
    rows = "| Confocal microscope | 4 hours | 3 hours | Yes, a half-day induction |\n"
    cut = Passage(ref=1, doc_id="docs/lab", chunk_id="docs/lab#2", title="Booking lab instruments", headings=(),
                  text=rows, table_header="| Instrument | Oslo | Bergen (Harbour lab) | Training needed |")
    spans = tuple(split_sentences(cut.text, table_header=cut.table_header))
    assert row_for_question("In Oslo?", spans, 0, cut.table_header).startswith("For Confocal microscope, Oslo is")


MILEAGE = section("Mileage for business journeys in your own vehicle is claimed per kilometre.\n\n"
                  "| Vehicle | Mileage rate per kilometre |\n|---|---|\n| Car or van | 0.30 euros |\n"
                  "| Motorcycle | 0.15 euros |\n| Bicycle | 0.10 euros |\n", "Mileage rates", "Mileage")


@pytest.mark.parametrize(("question", "label"), [
    ("What is the rate for a motorbike?", "Motorcycle"),
    ("Can I claim for cycling to a client?", "Bicycle"),
    ("What is the rate for electric scooters?", None),  # as near Motorcycle as Bicycle: no row named
    ("What is the rate for a car?", None),  # named as written: row_nudges' work
])
def test_a_row_named_in_other_words(question, label, embedder):
    spans = tuple(split_sentences(MILEAGE.text))
    named = rows_named_by_meaning(question, spans, embedder.embed_documents)
    assert [row_label(spans[i]) for i, _ in named] == ([label] if label else [])


def test_the_row_named_in_other_words_answers_alone(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    for question, label in (("What is the mileage rate for a motorbike?", "Motorcycle"),
                            ("How much mileage do I get per kilometre on my bike?", "Bicycle")):
        answer = llm.generate(make_request(question, [MILEAGE], settings_factory()))
        assert answer.startswith(f"For {label}") and "Car or van" not in answer, answer  # not the general row too


SICK_PAY = section("## Sick pay\n\n| | Oslo contracts | Bergen contracts |\n|---|---|---|\n"
                   "| Full pay | first **15 days** | first **5 days** of each absence |\n"
                   "| After that | half pay for 30 days | the state benefit, topped up by us to **85%** of base pay"
                   " |\n",
                   "Sickness", "Sick pay")


def test_a_label_word_every_row_carries_names_no_row(settings_factory, embedder):
    # 'pay' is the 'Full pay' row's label, but the 'After that' row reads 'half pay' and 'base pay': the question's
    # 'pays' singles out neither, and the row holding what it asks (the top-up) answers
    scorer = ExtractiveLLM(settings_factory(), embedder).scorer
    question = "I'm on a Bergen contract and off sick. After the first days, does the company top up what the " \
               "state pays?"
    assert scorer.candidates(question, [SICK_PAY])[0].span.readable.startswith("After that, ")


@pytest.mark.parametrize(("question", "fact", "not_fact"), [
    ("How long is probation for someone on a Porto contract?", "90 days", "180 days"),  # general row wins
    ("How long is probation for a senior role in Porto?", "180 days", "90 days"),  # the exception, when named
    ("How long is probation on a Leeds contract?", "6 months", "90 days"),  # the qualified row
    ("How long is probation for a non-senior job in Porto?", "90 days", "180 days"),  # the row ruled out
    ("I'm a regular (not senior) engineer in Porto. How long is my probation?", "90 days", "180 days"),
])
def test_table_answer_chooses_the_qualified_or_general_row(question, fact, not_fact, settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request(question, [PROBATION], settings_factory()))
    first = answer.split(" [1]")[0]
    assert fact in first and not_fact not in first, answer


def test_a_table_row_is_scored_as_read_with_its_headers_not_by_its_stored_cells(settings_factory, embedder):
    """A row's vector pooled at ingest saw only its cells ('| Engineering | 3 years |'); the row is embedded as
    read, headers included. The stored vectors here point away from everything, so only that can pick the row."""
    text = ("## Standard laptops\n\nYou may keep a working laptop for one extra year if you prefer.\n\n"
            "| Role | Laptop | Replacement cycle |\n|---|---|---|\n| Engineering | ThinkPad P16s | 3 years |\n"
            "| Sales | Latitude 7450 | 4 years |\n")
    away = np.zeros(embedder.dim, dtype=np.float32)
    away[0] = 1.0
    stored = {(s.start, s.end): away for s in split_sentences(text) if s.kind == "row"}
    laptops = Passage(ref=1, doc_id="it/laptops", chunk_id="it/laptops#1", title="Laptops",
                      headings=("Laptops", "Standard laptops"), text=text, sentence_vectors=stored)
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("How often do engineers get a new laptop?", [laptops], settings_factory()))
    assert answer.startswith("For Engineering") and "3 years" in answer.split(" [1]")[0], answer


def test_a_sentence_saying_what_the_asked_thing_is_leads_over_one_that_only_mentions_it(ask):
    text = ("## Urgent payments\n\nIf the director asks by email for an urgent payment, call them back on their known "
            "number and ask for the callback code word. A caller who cannot give the code word is reported to "
            "security. The current callback code word is SILVER FINCH. It changes every quarter.\n")
    answer = ask("What is the callback code word for urgent payments?", [section(text, "Payments", "Urgent payments")])
    assert answer.startswith("The current callback code word is SILVER FINCH"), answer


@pytest.mark.parametrize(("question", "sentence", "states"), [
    ("What is the verification phrase for urgent payments?", "The current verification phrase is GREY HERON.", True),
    ("What is the verification phrase for urgent payments?", "Verification phrase: GREY HERON", True),
    ("What is the verification phrase for urgent payments?", "Ask the caller for the verification phrase.", False),
    ("What is the verification phrase?", "A caller who cannot give the phrase is reported.", False),
    ("What's the minimum length for my password?", "The maximum length is 128 characters.", False),
    ("What is the salary band for senior engineers?", "Salary bands are reviewed every April.", False),  # passive
    ("What is the code word?", "The code word is changed every quarter.", False),
    ("What is the pass mark?", "The pass mark is ten out of twelve.", True),
    ("How long is the minimum length?", "The minimum length is 14 characters.", False),  # not a 'what is the X'
    ("What is the market adjustment pool for Porto?",
     "The Porto market adjustment pool is larger because salaries rise faster there.", False),  # a comparison
    ("What is the pass mark?", "The pass mark is higher than last year.", False),
    ("Which VPN do we use?", "Fernhill Connect is our VPN client.", True),  # the thing as the predicate
    ("Which VPN do we use?", "For Email and calendar, VPN needed? is No.", False),
    ("What is the market adjustment pool for Porto?",
     "For Market adjustment pool, Leeds is 0.8% of payroll; Porto is 1.1% of payroll.", True),  # a row, as read
])
def test_what_states_the_asked_thing(question, sentence, states):
    assert states_the_thing(asked_thing(question), sentence) is states


@pytest.mark.parametrize(("sentence", "refers"), [
    ("Car park spaces are booked like desks; the rules are in the Leeds office guide.", True),
    ("The rates are set out in the travel policy.", True),
    ("The car park has 38 spaces.", False),
    ("This page tells you what happens in your first five days, what to bring, and who to ask.", True),  # a signpost
    ("This procedure describes how we pay suppliers.", True),
    ("The page number is on the badge.", False),
    ("How to reach Oslo systems from home, from a hotel or from a field site.", True),  # a lede naming its topics
    ("How to apply: send the form to the People team.", False),  # a labelled step says what to do
    ("Everything about the phone we give you: which model, when it is replaced and what to do if it is lost.",
     True),  # a lede opening with what the page is all about
    ("Everything is backed up nightly.", False),
    ("For the full list, see Data classification.", True),
    # an aside pointing to another page does not make an instruction a referral
    ("Also tell the Security team (see Reporting a security incident) and the police.", False),
])
def test_a_sentence_sending_the_reader_elsewhere_is_a_referral(sentence, refers):
    from ragqa.service.grounding import _REFERRAL

    assert bool(_REFERRAL.search(sentence)) is refers


def test_a_list_question_answered_by_a_table_gets_every_row_in_order(ask):
    text = ("## The three tiers\n\n| Tier | Who may see it |\n|---|---|\n| Open | Anyone |\n"
            "| Staff | All employees |\n| Sealed | Named people only |\n\nLabel every document with its tier.\n")
    passage = section(text, "Document tiers", "The three tiers")
    answer = ask("What are the three tiers of documents?", [passage])
    positions = [answer.find(tier) for tier in ("Open", "Staff", "Sealed")]
    assert -1 not in positions and positions == sorted(positions), answer
    single = ask("Who may see a Sealed document?", [passage])
    assert "Open" not in single and "Sealed" in single, single  # not a list question: the one row


def test_a_when_answer_names_the_day_its_section_heading_gives(ask):
    text = ("## Day 2 (Tuesday)\n\n| Time | What |\n|---|---|\n| 09:00 | Safety walk-round of the lab |\n"
            "| 11:00 | Meet the product owners |\n")
    passage = section(text, "Your first week", "Day 2 (Tuesday)")
    answer = ask("When is the safety walk-round of the lab?", [passage])
    assert answer.startswith("Day 2 (Tuesday): ") and "09:00" in answer, answer
    what = ask("What happens in the safety walk-round?", [passage])
    assert "Tuesday" not in what, what  # not a 'when' question: no heading label


def test_an_item_of_a_list_its_heading_turns_around_says_that_heading(ask):
    text = "## What we do not pay for\n\n- Taxis home after a team dinner.\n- Hotel minibar drinks.\n"
    answer = ask("Can I claim hotel minibar drinks?", [section(text, "Expenses", "What we do not pay for")])
    assert answer.startswith("What we do not pay for: Hotel minibar drinks"), answer
    allowed = "## What we pay for\n\n- Taxis to the airport.\n- Hotel minibar drinks.\n"
    plain = ask("Can I claim hotel minibar drinks?", [section(allowed, "Expenses", "What we pay for")])
    assert plain.startswith("Hotel minibar drinks"), plain  # a heading that does not turn the list: no label


def test_steps_about_another_thing_do_not_answer_a_how_do_i_question(ask):
    desks = section("## Desks\n\nMost desks are shared hot desks that you book in the Perch app up to 14 days ahead.\n",
                    "Booking desks and rooms", "Desks")
    rooms = section("## Meeting rooms\n\n- Open Perch and pick a room.\n- Add the room to your calendar invite.\n"
                    "- Check in within 15 minutes.\n", "Booking desks and rooms", "Meeting rooms", ref=2)
    answer = ask("How do I book a desk?", [desks, rooms])
    assert answer.startswith("Most desks are shared"), answer
    room_answer = ask("How do I book a meeting room?", [desks, rooms])
    assert room_answer.startswith("Open Perch and pick a room"), room_answer


def test_each_place_of_a_compound_question_keeps_its_own_twin_figure(ask):
    """Two offices' reception rows read alike but for their hours: each is its own office's answer."""
    oslo = section("## Opening hours\n\n| | Hours |\n|---|---|\n| Reception desk staffed | 08:00-18:00 |\n",
                   "Oslo office guide", "Opening hours")
    bergen = section("## Opening hours\n\n| | Hours |\n|---|---|\n| Reception desk staffed | 09:00-18:00 |\n",
                     "Bergen office guide", "Opening hours", ref=2)
    answer = ask("What are the reception hours of the Oslo and Bergen offices?", [oslo, bergen])
    assert "08:00-18:00" in answer and "09:00-18:00" in answer, answer


def test_the_rule_answers_ahead_of_a_worked_example(settings_factory, embedder):
    rates = Passage(ref=1, doc_id="travel/rates", chunk_id="travel/rates#1", title="Meal rates",
                    headings=("Meal rates", "Rates"), text=("| Where | Nightly rate |\n|---|---|\n"
                                                            "| Norway | 95 euros |\n| Sweden | 85 euros |\n"))
    worked = Passage(ref=2, doc_id="travel/rates", chunk_id="travel/rates#2", title="Meal rates",
                     headings=("Meal rates", "Examples"),
                     text=("Three nights in Oslo for a Bergen-based engineer on a domestic trip: 3 x 95 euros = 285 "
                           "euros nightly rate for Norway.\n"))
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("What is the nightly rate in Norway for staff travelling domestically?",
                                       [rates, worked], settings_factory()))
    assert answer.startswith("For Norway"), answer


@pytest.mark.parametrize(("question", "lead"), [
    ("How many days of leave do I get in Oslo?", "Full-time staff"),  # the general rule
    ("How many days of leave do I get in my first year in Oslo?", "In your first year"),  # the subgroup, asked
])
def test_a_rule_for_a_subgroup_answers_only_when_the_question_names_it(question, lead, ask):
    text = ("In your first year, you earn 2 days of leave for each month worked, up to 20 days. "
            "Full-time staff in Oslo get 26 days of annual leave per year.\n")
    answer = ask(question, [section(text, "Annual leave in Oslo", "Your entitlement")])
    assert answer.startswith(lead), answer


def test_an_ordinal_in_the_question_names_the_numbered_row():
    text = ("## Staged rollout\n\n| Stage | Share of fleet | Wait before next stage |\n|---|---|---|\n"
            "| 1 | 5% | 48 hours |\n| 2 | 25% | 72 hours |\n| 3 | 100% | |\n")
    spans = tuple(split_sentences(text))
    for question, stage in (("What share gets the update in the first stage?", "1"),
                            ("How long is the wait after the 2nd stage?", "2")):
        nudges = row_adjustments(question, spans, match=0.08, general=0.04)
        best = max(nudges, key=nudges.get)
        assert spans[best].text.strip("| ").startswith(stage), (question, spans[best].text)
        assert min(nudges.values()) < 0  # the other stages are pushed down


def test_a_figure_stated_before_the_question_names_the_row_holding_it():
    text = ("## Staged rollout\n\n| Stage | Share of fleet | Wait before next stage |\n|---|---|---|\n"
            "| 1 | 5% | 48 hours |\n| 2 | 25% | 72 hours |\n| 3 | 100% | |\n")
    spans = tuple(split_sentences(text))
    question = "Our rollout has just reached 25% of the fleet. How long must we wait now?"
    stage = {spans[i].text.strip("| ")[0]: i for i in range(len(spans)) if spans[i].kind == "row"}
    nudges = row_adjustments(question, spans, match=0.08, general=0.0, named=0.04, scene=frozenset({"25"}))
    assert nudges.get(stage["2"], 0) == 0.04 and nudges.get(stage["1"], 0) == 0, nudges
    # ... and so does one in a clause before what is asked
    nudges = row_adjustments("Once the rollout has reached 25% of the fleet, how long must we wait?", spans,
                             match=0.08, general=0.0, named=0.04)
    assert nudges.get(stage["2"], 0) == 0.04 and nudges.get(stage["1"], 0) == 0, nudges
    # a figure in what is asked is the value the asker checks: no row is named by it
    assert not any(row_adjustments("Is the wait 72 hours at every stage?", spans, match=0.08, general=0.0,
                                   named=0.04).values())
    assert not any(row_adjustments("Is the wait longer than 48 hours once we reach 25%?", spans, match=0.08,
                                   general=0.0, named=0.04).values())


def test_the_row_a_qualifier_names_rises_over_prose_about_everyone():
    text = ("## Replacement\n\nYou may keep a working laptop for up to one extra year.\n\n"
            "| Team | Replacement cycle |\n|---|---|\n| Engineering and data science | 3 years |\n"
            "| Sales and operations | 4 years |\n")
    spans = tuple(split_sentences(text))
    nudges = {spans[i].readable.split(",")[0]: v for i, v in row_adjustments(
        "How often do engineers get a new laptop?", spans, match=0.08, general=0.04, qualified=0.04).items()}
    assert nudges == {"For Engineering and data science": 0.04, "For Sales and operations": -0.08}
    # a question naming no row's qualifier: only the general (first) row's nudge
    plain = row_adjustments("How often is a laptop replaced?", spans, match=0.08, general=0.04, qualified=0.04)
    assert list(plain.values()) == [0.04]
    # a qualifier stated before the question only chooses among the rows: no lift over the prose
    scene = row_adjustments("I'm an engineer. How often is a laptop replaced?", spans, match=0.08, general=0.04,
                            qualified=0.04, scene=frozenset({"engin"}))
    assert {spans[i].readable.split(",")[0]: v for i, v in scene.items()} == {"For Engineering and data science": 0.0,
                                                                             "For Sales and operations": -0.08}


def test_the_row_the_question_names_leads_but_does_not_make_a_question_answerable(sample_service):
    """'engineers' names the Engineering row of the laptop table: it answers before the prose about keeping a laptop
    longer. That preference is for the order only: the firmware row of the review table does not turn a question
    the articles do not answer (its language) into an answer."""
    answer = sample_service.answer("How often do engineers get a new laptop?").answer
    assert answer.startswith("For Engineering and data science") and "3 years" in answer.split("[1]")[0], answer
    assert sample_service.answer("What programming language is the sensor firmware written in?").abstained


def test_a_what_is_question_is_answered_by_the_row_not_by_a_sentence_comparing_the_thing(sample_service):
    """'The Porto ... pool is larger because ...' names the pool as its subject but only compares it: the budget
    row, which holds the figure, answers."""
    answer = sample_service.answer("What is the market adjustment pool for Porto?",
                                   groups=frozenset({"managers"})).answer
    assert answer.startswith("For Market adjustment pool") and "1.1%" in answer.split("[1]")[0], answer


def test_the_unit_a_how_many_question_counts_qualifies_no_row():
    """'How many days ...': 'days' is what the answer counts; the row named 'Deadline to use carried days' is not
    the row the question is about for holding the word."""
    text = ("| Rule | 2024 policy | 2026 policy |\n|---|---|---|\n| Maximum carry-over | 5 days | 8 days |\n"
            "| Deadline to use carried days | 31 March | 30 June |\n")
    spans = tuple(split_sentences(text))
    nudges = row_adjustments("How many days could I carry over under the old policy?", spans, match=0.08,
                             general=0.04, qualified=0.04, named=0.04)
    by_label = {spans[i].readable.split(",")[0]: v for i, v in nudges.items()}
    assert by_label.get("For Maximum carry-over", 0.0) >= by_label.get("For Deadline to use carried days", 0.0), \
        by_label


def test_the_order_bonus_goes_to_a_row_the_question_names_alone():
    text = ("| Step | Who | When |\n|---|---|---|\n| Prepare the run | Accounts payable | by 10:00 |\n"
            "| First approval | Financial Controller | by 13:00 |\n| Second approval | Another approver | by 15:00 |\n")
    spans = tuple(split_sentences(text))
    # 'approved' names two rows: neither is the row the question is about.
    assert not any(row_adjustments("By when must an invoice be approved?", spans, match=0.0, general=0.0,
                                   named=0.04).values())
    alone = row_adjustments("When is the second approval due?", spans, match=0.0, general=0.0, named=0.04)
    assert {spans[i].readable.split(",")[0]: v for i, v in alone.items() if v} == {"For Second approval": 0.08}


def test_a_word_only_one_rows_other_cells_hold_orders_that_row_first():
    text = ("| Network | Who it is for | How to connect |\n|---|---|---|\n| Corp | Company laptops and phones | "
            "Automatic |\n| Corp-Own | Personal phones of staff | Sign in |\n| Corp-Guest | Visitors | Password |\n")
    spans = tuple(split_sentences(text))
    told = row_adjustments("Which network do personal phones use?", spans, match=0.0, general=0.0, named=0.04)
    assert {spans[i].readable.split(",")[0]: v for i, v in told.items() if v} == {"For Corp-Own": 0.04}
    # 'phones' is in two rows' cells, and a figure or a unit is the asker's value: neither tells a row
    assert not any(row_adjustments("Which network do phones use every 7 days?", spans, match=0.0, general=0.0,
                                   named=0.04).values())


def test_beside_the_answering_row_at_most_one_other_row_of_its_table(sample_service):
    """The laptop table's rows score alike for 'which laptop': the answer is the sales row and one close case at
    most, not every team's laptop."""
    answer = sample_service.answer("Which laptop do salespeople get?").answer
    assert answer.startswith("For Most staff (operations, HR, finance, sales)"), answer
    assert answer.count("Standard laptop is") <= 2, answer


def test_a_passage_that_opens_inside_a_table_reads_its_rows_with_the_tables_headers(sample_service):
    """The first-week timetable is cut across chunks; the later chunk's rows still say which column is which."""
    answer = sample_service.answer("What happens at 13:30 on my first day?").answer
    assert answer.startswith("Where the time is 13:30, "), answer


def test_dated_rows_of_a_weekly_schedule_are_exceptions_to_it():
    text = ("## Opening hours\n\n| | Hours |\n|---|---|\n| Monday to Friday | 08:00-19:30 |\n"
            "| 24 and 31 December | Closes at 13:00 |\n| Public holidays | Closed |\n")
    spans = tuple(split_sentences(text))
    rows = {spans[i].readable.split(",")[0]: v for i, v in row_adjustments(
        "What are the opening hours in Oslo?", spans, match=0.08, general=0.04).items()}
    assert rows["For Monday to Friday"] > 0 > rows["For 24 and 31 December"]
    assert rows["For Public holidays"] < 0
    named = {spans[i].readable.split(",")[0]: v for i, v in row_adjustments(
        "What are the opening hours on public holidays?", spans, match=0.08, general=0.04).items()}
    assert named.get("For Public holidays", 0.0) >= 0  # asked about: no longer pushed down
    # 'what time': a one-off date is further off than another exception; for 'when' the date may be the answer
    hours = row_adjustments("What time does the Oslo office open?", spans, match=0.08, general=0.04)
    when = row_adjustments("When does the Oslo office open?", spans, match=0.08, general=0.04)
    dated = next(i for i in hours if spans[i].readable.startswith("For 24 and 31 December"))
    assert hours[dated] < when[dated] < 0


def test_each_part_of_a_compound_answer_says_which_place_it_is_about(settings_factory, embedder):
    def office(ref, city, text):
        return Passage(ref=ref, doc_id=f"facilities/{city.lower()}", chunk_id=f"facilities/{city.lower()}#1",
                       title=f"{city} office guide", headings=(f"{city} office guide", "Badges"),
                       text=f"## Badges\n\n{text}\n")

    passages = [office(1, "Oslo", "A replacement badge costs 10 euros, because the landlord charges for each card."),
                office(2, "Bergen", "Your first replacement badge is free; later ones cost 8 euros each.")]
    llm = ExtractiveLLM(settings_factory(), embedder)
    for question in ("How much does a replacement badge cost in the Oslo and Bergen offices?",
                     "How much does a replacement badge cost in each office?"):
        answer = llm.generate(make_request(question, passages, settings_factory()))
        assert "Oslo: A replacement badge costs 10 euros" in answer, answer
        assert "Bergen: Your first replacement badge is free" in answer, answer


def test_markdown_link_text_is_kept_across_a_wrapped_line():
    text = ("Unused leave does not roll over automatically. The rules on how many days you may carry are set out in"
            " the\n"
            "[Leave carry-over policy](https://intranet.example/hr/carry-over). Please check that page.\n")
    sentences = [s.readable for s in split_sentences(text)]
    assert "The rules on how many days you may carry are set out in the Leave carry-over policy." in sentences


def test_steps_are_kept_together_and_in_order(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("My corporate card was stolen. What should I do?", [STEPS], settings_factory()))
    positions = [answer.find(s) for s in ("Freeze the card", "Call the card issuer", "Tell Finance")]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), answer


SHARING = section("## Sharing outside the company\n\n- **Public**: share freely.\n"
                  "- **Internal**: share only when there is a business reason.\n"
                  "- **Confidential**: only with organisations under a non-disclosure agreement. Send a sharing link "
                  "limited to named recipients that expires within 30 days. Never attach the file to an email.\n"
                  "- **Restricted**: never shared without the data owner's approval. Use the secure transfer "
                  "service.\n",
                  "Data classification", "Sharing outside the company")
NUMBERED_STEPS = section("## Connecting\n\n- Step 1: install the VPN client from the software centre.\n"
                         "- Step 2: sign in with your work account and approve the request.\n"
                         "- Step 3: choose the nearest gateway and connect.\n", "VPN", "Connecting")


def test_a_list_of_labelled_cases_is_answered_by_the_asked_case_whole(settings_factory, embedder):
    """'How should I ...' over a list of cases ('Public: ...', 'Confidential: ...'): the asked case with its own
    sentences, not every case as if they were steps; numbered steps ('Step 1: ...') stay whole."""
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("How should I share a Confidential file outside the company?", [SHARING],
                                       settings_factory()))
    assert answer.startswith("Confidential:") and "sharing link" in answer, answer
    assert "Public" not in answer and "Restricted" not in answer, answer
    steps = llm.generate(make_request("How do I connect to the VPN?", [NUMBERED_STEPS], settings_factory()))
    assert all(f"Step {n}" in steps for n in (1, 2, 3)), steps


def test_a_question_asking_for_the_previous_version_is_answered_by_the_replaced_article(sample_service):
    """'previous', 'old': the replaced 2024 rates answer first (both pages have the USA row); a plain question keeps
    the current one. 'old' is a marker there, not a topic word: the 2023 password rule answers, not the sentence
    about changing an expired password with 'your old password'. A current text's own word on the old rule (its
    'before (2023 policy)' column) answers as well as the replaced text does."""
    previous = sample_service.answer("What were the previous per diem rates for the USA?")
    assert "$75" in previous.answer.split("[1]")[0] and previous.citations[0].status == "superseded", previous.answer
    assert "$90" in sample_service.answer("What is the per diem for the USA?").answer.split("[1]")[0]
    old = sample_service.answer("What was the old password expiry rule?").answer
    lead = old.split("[1]")[0]
    assert "every 90 days" in lead.lower() and "old password" not in lead, old


def test_which_x_do_we_use_is_answered_by_the_sentence_naming_it(sample_service):
    answer = sample_service.answer("Which VPN do we use?").answer
    assert answer.startswith("Fernhill Connect is our VPN client"), answer


def test_a_pages_owner_line_answers_only_who_owns_the_page_or_who_someone_is(sample_service):
    """'Policy owner: People team (people@...)' holds a contact, but it is about the page, not about being ill;
    'Owner: Rui Matos, Release Manager' does say who the release manager is."""
    told = sample_service.answer("Who do I tell if I'm sick?").answer
    assert "Policy owner" not in told and "manager" in told.split("[1]")[0], told
    assert sample_service.answer("Who owns the sickness absence policy?").answer.startswith("Policy owner: People team")
    assert sample_service.answer("Who is the release manager?").answer.startswith("Owner: Rui Matos")


def test_a_why_question_is_answered_by_the_sentence_giving_the_reason(sample_service):
    answer = sample_service.answer("Why are firmware releases staged?").answer
    assert "because" in answer.split("[1]")[0], answer


def test_at_most_three_sentences_and_no_duplicates(sample_service):
    answer = sample_service.answer("How many days of annual leave do Leeds staff get?")
    sentences = [s.text for s in answer.grounding.sentences]
    assert not answer.abstained and len(sentences) <= 3
    assert "25 days" in sentences[0]
    assert len(set(sentences)) == len(sentences)
    assert not re.search(r"\bthe \[\d+\]", answer.answer)  # no sentence that lost its link text


@pytest.fixture(scope="module")
def sample_service(sample_index, embedder):

    return build_components(sample_index, embedder=embedder).answers


LEAVE_HISTORY = [
    Turn(role="user", content="How many days of annual leave do Leeds staff get?"),
    Turn(role="assistant", content="25 days plus UK bank holidays [1]."),
    Turn(role="user", content="How do I book leave?"),
    Turn(role="assistant", content="Open PeopleHub and choose My leave, Request leave [1]."),
]


@pytest.mark.parametrize("question", [
    "What is Fernhill's current stock price?",  # unanswerable: must abstain as without history
    "What number do I call to report a security incident urgently?",  # answerable: same citations
    # 'also,' opens a whole new question naming its own subject: no continuation of the leave talk
    "Also, what is the security hotline number for reporting an incident?",
])
def test_unrelated_question_after_history_behaves_as_without(question, sample_service):
    alone = sample_service.answer(question)
    after = sample_service.answer(question, history=LEAVE_HISTORY)
    assert after.standalone_question == question and after.standalone_method == "unchanged"
    assert after.abstained == alone.abstained
    assert [c.chunk_id for c in after.citations] == [c.chunk_id for c in alone.citations]
    assert after.answer == alone.answer


def test_follow_up_resolves_to_the_new_place(sample_service):
    answer = sample_service.answer("And in Porto?", history=LEAVE_HISTORY[:2])
    assert answer.standalone_method == "rule"
    assert answer.standalone_question == "How many days of annual leave do Porto staff get?"
    assert not answer.abstained and "23" in answer.answer
    assert answer.citations[0].doc_id == "hr/annual-leave-porto"


@pytest.mark.parametrize(("question", "text", "lead"), [
    # 'still' asks whether an old rule holds: the sentence saying it changed leads over the better-scored one
    # stating the rule (which reads as 'yes')
    ("Do guests still need a printed badge?",
     "Every guest needs a printed visitor badge, worn where it can be seen. Guests wait at reception until their "
     "host arrives.\n\nSince March, guests in the offices are not given printed badges: reception sends a QR pass "
     "to their phone.\n", "Since March, guests in the offices are not given printed badges"),
    # 'where is X kept': the sentence with X as its subject and a place leads over a better-scored one that only
    # talks about where it is kept
    ("Where is the signing key kept?",
     "Where the signing key is kept matters: only key custodians may enter the signing room, and the key never "
     "leaves it. The signing key is held in a locked hardware module in room B4.10 on the fourth floor.\n",
     "The signing key is held in a locked hardware module"),
])
def test_the_sentence_that_says_what_the_question_asks_leads(question, text, lead, ask):
    answer = ask(question, [section(text, "Office rules", "Details")])
    assert answer.startswith(lead), answer


def test_beside_a_sentence_saying_where_the_thing_is_only_sentences_naming_it(ask):
    """Company that never names the asked thing is about something else: padding, not more of the answer."""
    vault = section("Only key custodians may enter the signing room. The signing key is held in a locked hardware "
                    "module in room B4.10 on the fourth floor. The room has its own badge reader and camera.\n",
                    "Signing", "Where the key lives")
    answer = ask("Where is the signing key kept?", [vault])
    assert answer.startswith("The signing key is held in a locked hardware module"), answer
    assert "badge reader" not in answer, answer


def test_a_rule_for_the_opposite_subgroup_or_an_example_of_the_askers_own_case(ask):
    """'I work part-time, three days a week': the rule for full-time staff is for the other subgroup, and the worked
    example of exactly that case answers (an example otherwise ranks below the rule it illustrates)."""
    leave = section("Full-time staff receive 26 days of annual leave per year, plus the public holidays.\n\n"
                    "Part-time staff receive a pro-rata entitlement, worked out in hours in StaffDesk. For example, "
                    "someone working 3 days a week receives 15.6 days (60% of 26).\n", "Leave in Oslo", "Entitlement")
    answer = ask("I work part-time, three days a week. How much annual leave do I get?", [leave])
    assert answer.startswith("For example, someone working 3 days a week") and "Full-time" not in answer, answer
    answer = ask("I work three days a week. How much annual leave do I get?", [leave])  # the example alone
    assert answer.startswith("For example, someone working 3 days a week"), answer
    assert ask("How much annual leave do full-time staff get?", [leave]).startswith("Full-time staff receive 26 days")



class _FixedScores(ExtractiveLLM):
    """The answerer with its scores given (the selection rules read only them): a stand-in for the scorer."""

    def __init__(self, settings, embedder, scored):
        super().__init__(settings, embedder)
        self.scored = scored

    def _candidates(self, question, passages, focus=frozenset()):
        return self.scored


def test_a_replaced_texts_sentence_is_not_quoted_beside_the_current_ones(settings_factory, embedder):
    """Nearly as relevant and adding to it, a current sentence would join the replaced one's answer: the two
    figures would read as one rule. Each version answers alone."""
    old = replace(section("The allowance was 20 pounds a month.\n", "Home allowance", "Rates", ref=1), superseded=True)
    new = section("Remote staff receive 40 pounds a month, plus a chair.\n", "Home allowance", "Rates", ref=2)
    scored = [replace(cand(old.text.strip(), 0.8), ref=1), replace(cand(new.text.strip(), 0.78), ref=2)]
    llm = _FixedScores(settings_factory(), embedder, scored)
    chosen = llm.select("What was the home allowance in 2025?", [old, new])
    assert [c.ref for c in chosen] == [1]
    # both current: the second one joins (the rule is about versions, not about company as such)
    both = [replace(scored[0], ref=2), replace(scored[1], ref=3)]
    third = section("Remote staff receive 40 pounds a month, plus a chair.\n", "Home allowance", "Rates", ref=3)
    assert [c.ref for c in _FixedScores(settings_factory(), embedder, both).select(
        "What was the home allowance in 2025?", [replace(old, superseded=False, ref=2), third])] == [2, 3]


@pytest.mark.parametrize(("question", "times"), [
    ("Taking a client out next week, how much can I spend?", {"next", "week"}),
    ("I'm off sick tomorrow. Who do I tell?", {"tomorrow"}),
    ("How many days per week can I work from home?", set()),  # the week is what it asks about
])
def test_when_the_askers_situation_happens_is_not_what_the_question_is_about(question, times):
    assert situation_times(question) == times


@pytest.mark.parametrize(("sentence", "holds"), [
    ("All transactions must be reconciled by the 5th working day of the following month.", True),
    ("The statement closes on the last day of the month.", True),
    ("Submit it by 30 April.", True),
    ("Every transaction appears in Ledgerly within a day or two.", False),  # a duration, not a point in time
])
def test_a_by_when_question_is_answered_by_a_point_in_time(sentence, holds):
    assert has_value("date", sentence, "By when do I have to reconcile my card?") is holds


@pytest.mark.parametrize(("question", "role"), [
    ("Who commands the Northern Fleet?", "commander"),  # the verb's agent
    ("Who founded the museum?", "founder"),
    ("Who is the chief executive of Harbour Lines?", "chief executive"),
    ("Who approves my expenses?", ""),  # no role named
])
def test_the_role_a_who_question_asks_the_holder_of(question, role):
    assert asked_role(question) == role


def test_a_sentence_naming_the_roles_holder_beside_it():
    assert names_the_holder("commander", "Admiral Jane Holt, commander of the Northern Fleet, praised the crews.")
    assert not names_the_holder("commander", "The Fleet Command holds exercises with the coastguard.")


def test_the_sentence_naming_who_holds_the_asked_role_leads(settings_factory, embedder):
    fleet = section("The Northern Fleet is based at Port Aldern and runs joint exercises with the coastguard each "
                    "spring under the fleet command structure. Admiral Jane Holt, commander of the Northern Fleet, "
                    "praised the crews after the exercise.\n", "Northern Fleet", "Command")
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("Who commands the Northern Fleet?", [fleet], settings_factory()))
    assert answer.startswith("Admiral Jane Holt"), answer


def test_a_sentence_about_another_numbered_one_of_the_thing_does_not_answer(settings_factory, embedder):
    events = section("The 80th anniversary of the harbour's opening was marked with a parade through the old town. "
                     "The 70th anniversary, in 2016, was celebrated with a concert on the quay.\n",
                     "Harbour", "Anniversaries")
    llm = ExtractiveLLM(settings_factory(), embedder)
    answer = llm.generate(make_request("How was the 70th anniversary of the harbour's opening marked?", [events],
                                       settings_factory()))
    assert answer.startswith("The 70th anniversary, in 2016"), answer



@pytest.mark.parametrize(("sentence", "holds"), [
    ("The board has seven members.", True),
    ("Up to 12 people sit on the board.", True),
    ("Call the facilities desk on +47 22 00 11 22 (Monday to Friday, 08:00–16:00).", False),  # counts nothing
    ("Ring ext 4357 for help.", False),
])
def test_how_many_is_answered_by_a_count_not_a_phone_number_or_a_time(sentence, holds):
    assert has_value("number", sentence, "How many members sit on the board?") is holds


def test_a_sentence_about_another_country_does_not_answer_for_one_the_articles_never_mention(settings_factory,
                                                                                             embedder):
    spending = section("Norway spends about 2.1% of its GDP on defence, short of the share its allies ask for. The "
                       "budget for next year adds 4 billion kroner for coastal patrols.\n", "Nordic defence budgets",
                       "Spending")
    llm = ExtractiveLLM(settings_factory(), embedder)
    assert llm.select("What share of its GDP does Norway spend on defence?", [spending])
    assert not llm.select("What share of its GDP does Finland spend on defence?", [spending])


def test_the_place_the_asker_is_based_in_is_not_the_place_they_ask_about(settings_factory, embedder):
    rates = section("## Overnight rates\n\n| Destination | Per night |\n|---|---|\n| UK domestic | £55 |\n"
                    "| Other European countries | €70 |\n| Rest of the world | £65 |\n", "Travel rates",
                    "Overnight rates")
    llm = ExtractiveLLM(settings_factory(), embedder)
    question = "I'm based in Leeds and going to a conference in Berlin. What can I claim per night?"
    answer = llm.generate(make_request(question, [rates], settings_factory()))
    assert answer.startswith("For Other European countries") and "£55" not in answer, answer  # not Leeds's row


def test_a_sentence_far_better_for_another_part_goes_to_that_part():
    """'Who approves the trip and what's the hotel cap there?': the cap row scores best for both parts, but far
    better for the second; the first part answers with its own next best, which clears the threshold."""
    from ragqa.service.llm.extractive import _contested

    cap = replace(cand("For Lisbon, the maximum per night is €140.", 0.55), index=0)
    approval = replace(cand("Within Portugal, your line manager approves.", 0.49), index=1)
    other_cap = replace(cand("For Porto, the maximum per night is €110.", 0.50), index=2)
    who, how_much = [cap, approval], [replace(cap, score=0.88), other_cap]
    assert _contested([who, how_much], ["", ""], 0.40) == {0: frozenset({(1, 0)})}
    assert _contested([who, how_much], ["", ""], 0.50) == {}  # no other answer clears the threshold: keep it
    close = [replace(cap, score=0.62), other_cap]  # nearly as good for the first part: one sentence for both
    assert _contested([who, close], ["", ""], 0.40) == {}


def test_a_pronoun_subject_is_written_as_the_name_before_it(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    talks = section("Norland has put forward many conditions that are hard for its neighbours to accept. It demands "
                    "that Sudland raise its border patrol budget from 2 percent to 4 percent of spending.\n",
                    "Border talks", "Demands")
    answer = llm.generate(make_request("To what share of spending is Sudland pushed to raise its border patrol budget?",
                                       [talks], settings_factory()))
    assert answer.startswith("Norland demands that Sudland raise"), answer
    # 'It is ...' may stand for any thing the sentence before spoke of (here the customs house, not the Board): the
    # sentence before is quoted instead
    board = section("The Harbour Board meets in the old customs house. It is closed on 12 public holidays a year.\n",
                    "Harbour Board", "Meetings")
    answer = llm.generate(make_request("On how many public holidays a year is the customs house closed?", [board],
                                       settings_factory()))
    assert answer.startswith("The Harbour Board meets in the old customs house"), answer


def test_a_which_question_leads_with_the_sentence_naming_a_member_of_its_category(ask):
    text = ("Among the most contentious issues was Norland's inclusion in the Energy Department's sensitive "
            "countries list, a list that also includes four other states. The department confirmed last month that "
            "the preceding Larsen administration added Norland to the lowest category of the list in January.\n")
    answer = ask("Which administration put Norland on the Energy Department's sensitive countries list?",
                 [section(text, "Alliance issues", "Energy list")])
    assert answer.startswith("The department confirmed"), answer


def test_a_part_whose_best_sentence_was_quoted_takes_the_next_that_says_its_own_words():
    summer = cand("The summer bonus is paid with the June payroll.", 0.82)
    winter = replace(cand("The winter bonus is paid with the November payroll.", 0.80), index=1)
    other = replace(cand("Salaries are paid in 14 instalments.", 0.79), index=2)
    quoted = {(summer.ref, summer.index)}
    part = "And is the winter bonus paid as well?"
    assert _own_answer([summer, winter, other], quoted, frozenset({"winter"}), part, 0.4) is winter
    assert _own_answer([summer, other], quoted, frozenset({"winter"}), part, 0.4) is None  # none says 'winter'
    far = replace(winter, score=0.6)
    assert _own_answer([summer, far], quoted, frozenset({"winter"}), part, 0.4) is None  # not nearly as good
    # ... or the value the part asks, where the quoted sentence holds none: a date for 'when does it reset?'
    counted = cand("Staff get 25 days of leave each leave year.", 0.82)
    bounds = replace(cand("The leave year runs from 1 January to 31 December.", 0.78), index=1)
    asked = "When does the leave year reset?"
    assert _own_answer([counted, bounds], {(counted.ref, counted.index)}, frozenset({"reset"}), asked, 0.4) is bounds
    assert _own_answer([bounds, counted], {(bounds.ref, bounds.index)}, frozenset({"reset"}), asked, 0.4) is None
    # near-duplicates by meaning, but another value: the same fact for company, not for another part
    same_direction = np.array([1.0, 0.0, 0.0])
    alike, twin = replace(winter, vector=same_direction), replace(summer, vector=same_direction)
    terms = content_terms(alike.span.readable)
    assert _same_fact(alike, terms, twin) and not _same_fact(alike, terms, twin, values_tell=True)


def test_an_articles_own_question_answers_which_by_the_fact_it_opens_with(ask):
    """The article states the fact only inside a question of its own: it answers 'which elections', quoted as
    written, and never a yes/no question ('will he survive?' says nothing of whether he did)."""
    text = ("Larsen faces a difficult season at home. After the Storting elections in Norway this autumn, will "
            "Larsen survive as prime minister? Few analysts expect a clear answer before the count.\n")
    passages = [section(text, "Nordic politics", "Outlook")]
    answer = ask("Which Norwegian elections this autumn could decide whether Larsen stays on as prime minister?",
                 passages)
    assert "Storting elections" in answer, answer
    assert "Storting" not in ask("Did Larsen survive the Storting elections in the end?", passages)


def test_a_byline_answers_who_was_interviewed(ask):
    """'Ola Berg Interviewed by Nordic Times' stands as a heading line; a question about who was interviewed is
    answered by it, though headings are otherwise never quoted."""
    text = ("Commentary\n\nOla Berg Interviewed by Nordic Times\n\nThe minister had cancelled his first trip to "
            "Oslo in early July to focus on other issues, local media reported. In response, the ministry said the "
            "cancelled trip appears difficult to rearrange in the near future.\n")
    passages = [section(text, "Commentary", "")]
    answer = ask("Who did Nordic Times interview for the commentary on the minister's cancelled trip?", passages)
    assert answer.startswith("Ola Berg Interviewed by Nordic Times"), answer
    assert "Ola Berg" not in ask("Why was the minister's trip to Oslo cancelled?", passages)


EVACUATION = section("## Assembly points and alarm tests\n\n| | Oslo office | Bergen office |\n|---|---|---|\n"
                     "| Weekly alarm test | Mondays at 09:30 | Fridays at 14:00 |\n"
                     "| Assembly point | the square by the tram stop | the harbour steps |\n",
                     "Fire safety", "Assembly points and alarm tests")


@pytest.mark.parametrize("question", [
    "The fire alarm is going off in the Oslo office and it's not the test - where do we go?",  # the row ruled out
    "If the fire alarm goes off in the Oslo office, where do we all meet outside?",
])
def test_where_to_go_when_the_alarm_sounds_is_the_assembly_point(question, settings_factory, embedder):
    answer = ExtractiveLLM(settings_factory(), embedder).generate(make_request(question, [EVACUATION],
                                                                               settings_factory()))
    assert answer.startswith("For Assembly point") and "tram stop" in answer, answer
