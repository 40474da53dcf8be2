"""Where common places are, and which summing-up row of a table covers a place the table does not list."""

from __future__ import annotations

import pytest

from ragqa.places import countries_named, country_of, covering_label, mentions_country, place_of, region_named
from ragqa.service.grounding import missing_names, question_names

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


@pytest.mark.parametrize(("text", "country"), [
    ("American", "United States"),  # a demonym
    ("Japanese", "Japan"),
    ("the USA", "United States"),  # a name
    ("Manchester", None),  # a city: a text naming its country does not name it
])
def test_the_country_a_name_or_demonym_stands_for(text, country):
    (name,) = question_names(f"What about {text}?")
    found = country_of(name)
    assert (found.country if found else None) == country


@pytest.mark.parametrize(("text", "mentioned"), [
    ("New U.S. tariffs took effect.", True),
    ("The US said so.", True),
    ("The United States said so.", True),
    ("Tell us more.", False),  # the pronoun, not the initials
    ("Canada said so.", False),
])
def test_a_country_is_mentioned_by_any_of_its_names(text, mentioned):
    assert mentions_country(country_of(("american",)), text) is mentioned


@pytest.mark.parametrize(("text", "countries"), [
    ("The Netherlands and Spain agreed.", {"Netherlands", "Spain"}),  # at the start of a sentence too
    ("New U.S. tariffs took effect.", {"United States"}),
    ("Japanese and Korean officials met.", {"Japan", "South Korea"}),  # demonyms
    ("Tell us more.", set()),
    ("Leeds staff get 25 days.", set()),  # a city names no country
    ("For Outside Europe, who approves: your director.", set()),  # a continent is no country
])
def test_the_countries_a_sentence_names(text, countries):
    assert countries_named(text) == countries


def test_a_demonym_in_the_question_is_not_missing_from_a_text_naming_the_country():
    assert missing_names(question_names("What did the American envoy say?"), "The U.S. envoy said no.") == 0
    assert missing_names(question_names("What did the American envoy say?"), "The envoy said no.") == 1
    assert missing_names(question_names("What is the hotel cap in Manchester?"), "Hotels in the UK cost more.") == 1


def test_a_list_labelled_by_place_counts_as_a_table():
    from ragqa.sentences import split_sentences
    from ragqa.service.table_rows import rows_for_places

    spans = tuple(split_sentences("Claim mileage as follows:\n\n- UK: 45p per mile.\n- Portugal: 40 cents per km.\n"))
    covering = rows_for_places([_place("Braga")], spans)
    assert [spans[i].readable for i in covering] == ["Portugal: 40 cents per km."]


@pytest.mark.parametrize(("name", "text", "named"), [
    (("madrid",), "Cash withdrawals, except on trips outside Europe.", True),  # its continent
    (("madrid",), "Claims in Spain need a receipt.", True),  # its country
    (("madrid",), "Trips to Asia need a visa check.", False),
    (("tokyo",), "The per diem for Japanese cities is higher.", True),  # its country's demonym
])
def test_a_text_naming_a_places_country_or_continent_speaks_of_it(name, text, named):
    assert region_named(place_of(name), text) is named


def test_an_acronym_the_text_spells_out_is_not_missing():
    text = "Share it only with organisations that have signed a non-disclosure agreement with us."
    assert missing_names(question_names("Can I send it to a partner who signed an NDA?"), text) == 0
    assert missing_names(question_names("Can I send it to a partner who signed an SLA?"), text) == 1


def test_a_holiday_is_not_missing_from_a_text_that_dates_it():
    text = "No releases during the end-of-year freeze from 18 December to 5 January."
    assert missing_names(question_names("When is the Christmas freeze?"), text) == 0
    assert missing_names(question_names("When is the Christmas freeze?"), "No releases on Fridays.") == 1


def test_a_weekday_or_month_is_no_name_the_rules_must_give():
    assert missing_names(question_names("Who do I call on a Saturday?"), "Out of hours, call the duty line.") == 0
    assert missing_names(question_names("Who do I call in Oslo?"), "Out of hours, call the duty line.") == 1


def test_a_rule_for_anywhere_in_the_world_speaks_of_every_country():
    assert region_named(place_of(("canada",)), "You are covered worldwide on business trips.")
    assert not region_named(place_of(("canada",)), "You are covered on business trips in Europe.")
    assert region_named(place_of(("germani",)), "If you are injured abroad, call the assistance line.")


def test_us_in_capitals_is_the_united_states():
    names = question_names("What's the daily meal allowance in the US?")
    assert [place_of(n).country for n in names if place_of(n)] == ["United States"]
    assert not [n for n in question_names("Can you help us with the form?") if place_of(n)]  # 'us', a pronoun
