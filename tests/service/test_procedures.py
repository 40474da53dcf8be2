"""Procedures: what to do in a situation an article classifies ('What counts as ...'), on an article of our own."""

from __future__ import annotations

import pytest

from ragqa.service.categories import category_listed, directs_on
from ragqa.service.signposts import names_section, signposted
from ragqa.words import content_terms
from tests.conftest import index_articles, service_factory

CONFLICTS = """---
title: Conflicts of interest
updated: 2026-01-05
---
# Conflicts of interest

Declare a conflict of interest to your line manager within 5 working days of becoming aware of it.

## What counts as a conflict of interest

- A close relative works for a supplier you choose or manage.
- You own shares in a company that bids for our work.
- You are offered a second job by a customer.

## While it is reviewed

1. Step back from any decision about the supplier or customer concerned.
2. Keep a note of the dates and people involved.
"""


def test_a_situation_in_a_category_list_brings_the_articles_instruction_for_that_category(tmp_path_factory,
                                                                                         embedder):
    service = service_factory(index_articles(tmp_path_factory, embedder, {"hr/conflicts.md": CONFLICTS}),
                              embedder)()
    answer = service.answer("A close relative of mine works for a supplier I manage. What should I do?")
    assert answer.answer.startswith("Declare a conflict of interest"), answer.answer


@pytest.mark.parametrize(("heading", "thing"), [
    ("What counts as an incident", "incident"),
    ("Examples of a near miss", "near miss"),
    ("Reporting an incident", ""),
])
def test_a_heading_that_lists_the_cases_of_a_category(heading, thing):
    assert category_listed(heading) == thing


def test_an_instruction_for_the_category_tells_the_reader_what_to_do_about_it():
    assert directs_on("incident", "Use the hotline. Report an incident within 1 hour of noticing it.")
    assert not directs_on("incident", "An incident is anything that puts data at risk.")  # says what it is
    assert not directs_on("incident", "Report a fault to the help desk.")  # another thing


LAB_SAFETY = """---
title: Electronics lab safety
updated: 2026-02-10
---
# Electronics lab safety

This page covers the electronics lab on floor 3: benches, soldering, batteries and working late.

## Working without a colleague

You must not work alone with mains voltage, high-current batteries or the reflow oven.

Bench soldering, firmware flashing and visual board inspections may be done alone under the solo bench procedure
below.

## Solo bench procedure

1. Before starting, post a start message in the #lab-solo channel with your bench number and expected finish time.
2. Post an update every 90 minutes, and again when you leave the lab.
3. If you miss an update by 20 minutes, the lab steward phones you.

## Waste

Put used solder wick and flux wipes in the yellow bin by the door.
"""


def test_a_section_named_below_is_signposted():
    assert signposted("Soldering may be done alone under the solo bench procedure below.") == [
        frozenset(content_terms("solo bench procedure"))]
    assert signposted("See the lone-working procedure further down.") == [frozenset(content_terms("lone working "
                                                                                                  "procedure"))]
    assert signposted("The rules are below.") == []  # no section named
    assert names_section(frozenset(content_terms("lone working procedure")), "Lone-working procedure")
    assert not names_section(frozenset(content_terms("lone working procedure")), "Water safety")


def test_the_section_a_retrieved_passage_points_to_is_retrieved_with_it(tmp_path_factory, embedder):
    from ragqa.service.answer import AnswerService

    service = service_factory(index_articles(tmp_path_factory, embedder, {"eng/lab.md": LAB_SAFETY}), embedder)()
    retriever = service.index.retriever()
    hits = [h for h in retriever.search("Which lab work may be done alone?", k=5)
            if "solo bench procedure\nbelow" in h.chunk.text or "solo bench procedure below" in h.chunk.text]
    assert hits, "the signposting passage is retrieved"
    added = AnswerService._signposted_sections(retriever, hits[:1], None)
    assert [h.chunk.headings[-1] for h in added] == ["Solo bench procedure"]


def test_the_steps_of_the_signposted_procedure_follow_the_sentence_pointing_to_them(tmp_path_factory, embedder):
    service = service_factory(index_articles(tmp_path_factory, embedder, {"eng/lab.md": LAB_SAFETY}), embedder)()
    answer = service.answer("I'm doing some bench soldering alone tonight. What do I need to do?").answer
    assert answer.startswith("Bench soldering, firmware flashing"), answer
    assert answer.index("post a start message") < answer.index("every 90 minutes") < answer.index("20 minutes"), \
        answer


# The same page with steps every session takes, which share more of an asker's words than the solo procedure.
LAB_SAFETY_WITH_CHECKLIST = LAB_SAFETY.replace("## Working without a colleague", """## Before you start

1. Book your bench in the lab calendar for the time you need it.
2. Check that the fume extractor was tested in the last 12 months.
3. Put on safety glasses and tie back long hair before you switch anything on.

## Working without a colleague""")


@pytest.mark.parametrize("question", [
    "I'm doing some bench soldering on my own tonight. What do I have to do before I start?",
    "I'll be doing bench soldering alone this evening. Who do I need to let know, and how?",
    "I'm doing visual board inspections by myself later. Do I have to tell anyone before I start?",
])
def test_the_procedure_for_the_askers_case_answers_though_a_general_checklist_shares_more_words(
        tmp_path_factory, embedder, question):
    service = service_factory(index_articles(tmp_path_factory, embedder,
                                             {"eng/lab.md": LAB_SAFETY_WITH_CHECKLIST}), embedder)()
    answer = service.answer(question).answer
    assert "#lab-solo" in answer and answer.index("#lab-solo") < answer.index("every 90 minutes"), answer
    assert "lab calendar" not in answer, answer


LOST_KEYS = """---
title: Lost keys and fobs
updated: 2026-03-02
---
# Lost keys and fobs

## Who to call

| Line | When to use it |
|---|---|
| Estates hotline: ext 6042 | Anything urgent, day or night |
| estates@example.org | Everything else |

## If you lose a door fob

1. Tell your manager the same day.
2. Do not borrow a colleague's fob; call the hotline so the lost fob is disabled.
"""


def test_an_answer_that_says_call_the_hotline_gives_its_number(tmp_path_factory, embedder):
    service = service_factory(index_articles(tmp_path_factory, embedder, {"facilities/keys.md": LOST_KEYS}),
                              embedder)()
    answer = service.answer("I think I've lost my door fob somewhere. What should I do?").answer
    assert "call the hotline" in answer and "ext 6042" in answer, answer
    assert answer.index("call the hotline") < answer.index("ext 6042"), answer


DISRUPTION = """---
title: Travel disruption
updated: 2026-03-02
---
# Travel disruption

## Who to call first

| Situation | First call | Then tell |
|---|---|---|
| Train cancelled or missed | Railhop 24-hour line | Your manager if it affects work |
| Lost passport | Local consulate | Your manager |
"""

RAILHOP = """---
title: Booking rail travel with Railhop
updated: 2026-03-02
---
# Booking rail travel with Railhop

## Out of hours

If your journey is disrupted outside office hours, Railhop's 24-hour line is +44 161 496 0123. Quote the account
code RAIL-2210.
"""


def test_a_line_named_by_its_provider_gets_its_number_from_the_article_that_gives_it(tmp_path_factory, embedder):
    service = service_factory(index_articles(tmp_path_factory, embedder, {"travel/disruption.md": DISRUPTION,
                                                                          "travel/railhop.md": RAILHOP}), embedder)()
    answer = service.answer("My train home got cancelled late at night. Who do I ring?").answer
    assert "Railhop 24-hour line" in answer and "+44 161 496 0123" in answer, answer



def test_a_named_line_gets_the_number_of_that_line_not_the_providers_first(tmp_path_factory, embedder):
    # the desk's number comes first in the article; the 24-hour line the answer names is the other one
    with_desk = RAILHOP.replace("## Out of hours", "## Booking\n\nIf you prefer, call the Railhop desk on +44 161 496 "
                                                   "0100 (Monday to Friday, 09:00-17:00).\n\n## Out of hours")
    service = service_factory(index_articles(tmp_path_factory, embedder, {"travel/disruption.md": DISRUPTION,
                                                                          "travel/railhop.md": with_desk}), embedder)()
    answer = service.answer("My train home got cancelled late at night. Who do I ring?").answer
    assert "+44 161 496 0123" in answer and "0100" not in answer, answer


INCIDENTS = """---
title: Reporting a safety incident
updated: 2026-03-02
---
# Reporting a safety incident

## How to report

| Channel | When to use it |
|---|---|
| Safety line: ext 5150 (from outside: +44 161 496 5150) | Anything urgent, day or night |
| safety@example.org | Everything else |

Report an incident within 2 hours of noticing it.

## What counts as an incident

- A chemical spill in a lab, however small.
- A fall from a ladder or a step.

## What to do

1. Leave the spill alone and keep others away.
2. Write down what happened and when.
"""


def test_an_answer_that_leads_with_report_it_gives_the_urgent_line_after_the_lead(tmp_path_factory, embedder):
    service = service_factory(index_articles(tmp_path_factory, embedder, {"safety/incidents.md": INCIDENTS}),
                              embedder)()
    answer = service.answer("There has been a chemical spill in the lab. What should I do?").answer
    assert answer.startswith("Report an incident within 2 hours"), answer
    second = answer.split("[1].", 1)[1]  # the sentence after the lead
    assert second.lstrip().startswith("For Safety line: ext 5150"), answer
