"""What the thirty-fourth session's held-out questions taught the answerer: a table that lists examples of each
class ('Examples: Customer contracts, tender bids') names the class of a thing a question asks about, so the rules
written for the class answer it. By the rules alone and on the sample corpus (real index and embedding model)."""

from __future__ import annotations

import pytest

from ragqa.sentences import split_sentences
from ragqa.service.composition import build_components
from ragqa.service.table_rows import classes_named_by_example

_CLASSES = """| Tier | Who may handle it | Examples |
|---|---|---|
| **Open** | Anyone | Brochures, press releases |
| **Sealed** | Named teams | Lease agreements, grant applications, salary reviews |
"""


@pytest.fixture(scope="module")
def service(sample_index, embedder):
    return build_components(sample_index, embedder=embedder).answers


# --- by the rules alone ------------------------------------------------------------------------------------------

def test_an_example_named_in_full_names_its_rows_class():
    spans = tuple(split_sentences(_CLASSES))
    found = classes_named_by_example("Can I leave our lease agreements on my desk overnight?", spans)
    assert found == [(frozenset({"leas", "agreement"}), frozenset({"seal"}))]  # (stemmed terms)


@pytest.mark.parametrize("question", [
    "Can I leave the agreements on my desk?",  # one word of a two-word example is no example named
    "Where do I keep brochures?",  # an example named in one word is too loose a match
    "Can I leave sealed lease agreements on my desk?",  # the question names the class itself: nothing to add
])
def test_no_class_is_read_into_a_loose_or_explicit_question(question):
    assert classes_named_by_example(question, tuple(split_sentences(_CLASSES))) == []


def test_a_table_without_an_examples_column_names_no_class():
    table = _CLASSES.replace("| Examples |", "| Retention |")
    assert classes_named_by_example("Can I leave our lease agreements on my desk?", tuple(split_sentences(table))) \
        == []


# --- on the sample corpus ----------------------------------------------------------------------------------------

def test_the_disposal_rule_for_a_class_answers_a_thing_its_table_lists(service):
    answer = service.answer("can i just chuck old printed customer contracts in the recycling")
    assert not answer.abstained
    assert "confidential-waste consoles" in answer.answer
    assert answer.citations[0].doc_id == "security/data-classification"
