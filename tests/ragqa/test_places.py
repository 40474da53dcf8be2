"""Where common places are, and which summing-up row of a table covers a place the table does not list."""

from __future__ import annotations

import pytest

from ragqa.places import covering_label, place_of
from ragqa.service.grounding import question_names

PER_DIEM = ["UK domestic", "Portugal domestic", "Other European countries", "USA and Canada", "Rest of the world"]
HOTEL_CAPS = ["London", "Elsewhere in the UK", "Lisbon", "Porto", "Other European cities", "Outside Europe"]
APPROVAL = ["Within the UK or within Portugal", "Between Leeds and Porto, or elsewhere in Europe", "Outside Europe",
            "Any trip costing more than £5,000 in total"]


def _place(text: str):
    (name,) = question_names(f"What about {text}?")
    return place_of(name)


@pytest.mark.parametrize(("text", "country", "continent"), [
    ("Singapore", "Singapore", "Asia"),
    ("New York", "United States", "North America"),
    ("Manchester", "United Kingdom", "Europe"),
    ("the UAE", "United Arab Emirates", "Asia"),
])
def test_a_place_has_a_country_and_continent(text, country, continent):
    place = _place(text)
    assert (place.country, place.continent) == (country, continent)


def test_a_name_that_is_no_place_is_not_one():
    assert place_of(question_names("Who approves Ledgerly claims?")[0]) is None


@pytest.mark.parametrize(("text", "labels", "label"), [
    ("Germany", PER_DIEM, "Other European countries"),
    ("Japan", PER_DIEM, "Rest of the world"),
    ("Chicago", PER_DIEM, "USA and Canada"),  # the row naming its country, before any summing-up row
    ("Edinburgh", PER_DIEM, "UK domestic"),
    ("Madrid", HOTEL_CAPS, "Other European cities"),
    ("Manchester", HOTEL_CAPS, "Elsewhere in the UK"),
    ("Tokyo", HOTEL_CAPS, "Outside Europe"),
    ("Singapore", APPROVAL, "Outside Europe"),
    ("Norway", APPROVAL, "Between Leeds and Porto, or elsewhere in Europe"),
])
def test_the_row_that_covers_a_place_the_table_does_not_list(text, labels, label):
    assert covering_label(_place(text), labels) == label


def test_no_row_covers_a_place_outside_every_label():
    assert covering_label(_place("Japan"), ["UK domestic", "Other European countries"]) is None
