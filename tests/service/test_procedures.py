"""Procedures: what to do in a situation an article classifies ('What counts as ...'), on an article of our own."""

from __future__ import annotations

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
