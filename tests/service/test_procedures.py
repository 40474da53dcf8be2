"""Procedures: what to do in a situation an article classifies ('What counts as ...'), on an article of our own."""

from __future__ import annotations

import pytest

from ragqa.service.categories import category_listed, directs_on
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
