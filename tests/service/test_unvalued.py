"""A thing the articles name without the value asked of it is not answered with another thing's figure
(service/unvalued.py)."""

from __future__ import annotations

import pytest

from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.question_types import typed_value
from ragqa.service.unvalued import speaks_without_value, valued_elsewhere_only, valued_thing
from tests.service.conftest import make_request, section


def test_the_thing_whose_amount_is_asked():
    assert len(valued_thing("How much is the travel bonus that Oslo staff get?")) == 2  # 'travel', 'bonus'
    assert valued_thing("How much does the monthly parking pass cost?")
    assert not valued_thing("How much is the excess?")  # one word: often said in other words
    assert not valued_thing("Who approves the travel bonus?")
    # a person, a date or a count asked of a thing
    assert len(valued_thing("Who are the first aiders for floor 2 in the Oslo office?")) == 2
    assert not valued_thing("When is the Oslo office closed over Christmas?")  # a date of what happens
    assert len(valued_thing("How many weeks of full pay do you get on adoption leave?")) == 2
    # a share of it, the most one may borrow through it
    assert valued_thing("How much of the monthly rail pass does the company pay?") == {"rail", "pass"}  # not how often
    assert {"season", "loan"} <= valued_thing("What's the maximum I can borrow through the season ticket loan?")
    assert {"season", "loan"} <= valued_thing("whats the max i can borrow on the season ticket loan")
    assert {"season", "loan"} <= valued_thing("What's the maximum amount I can borrow through the season ticket loan?")
    assert {"season", "loan"} <= valued_thing("whats the max season ticket loan i can get in leeds?")  # thing first
    assert not valued_thing("What is the maximum I can claim for a dinner?")  # no thing between
    assert valued_thing("how many weeks paternity leave do we get?") == {"patern", "leav"}  # the unit, then it
    assert valued_thing("how many weeks paternity leave do dads get?") == {"patern", "leav"}  # whoever gets it
    # (the question after a leading clause that sets the scene)
    assert valued_thing("my colleague is about to become a dad, how many weeks paternity leave does he get") \
        == {"patern", "leav"}
    assert valued_thing("Could you tell me the amount of the travel bonus that Oslo staff get?") == {"travel", "bonus"}
    # what the asker gets as it; whether it has a limit; a place only says where ('the Oslo ...'), a name says which
    assert valued_thing("how much do Bergen staff get as a travel bonus each month?") == {"travel", "bonus"}
    assert valued_thing("Is there a limit on the Oslo season ticket loan?") == {"season", "ticket", "loan"}
    assert "ruter" in valued_thing("How much of the Ruter monthly pass does the company pay?")
    # how often it comes only says when
    assert valued_thing("How much is the daily meal allowance that comes with the salary?") == {"meal", "allow"}
    # a share of it; its price, before where it is sold and whatever else the question says
    assert valued_thing("What percentage of the Ruter pass does the company pay back?") == {"ruter", "pass"}
    assert valued_thing("Roughly what does a monthly pass at the Bergen car park actually cost?") == {"month", "pass"}
    assert valued_thing("How much does the Strand Street monthly parking pass cost staff?") == \
        {"strand", "street", "park", "pass"}
    assert not valued_thing("What does the laptop cost?")  # one word
    assert not valued_thing("What share of the fleet gets the update first?")
    # the name the scene gives the thing the question calls 'the pass' (not a place, which only says where)
    assert valued_thing("She has a Ruter monthly pass. What percentage of the pass does the company pay?") == \
        {"ruter", "pass"}
    assert not valued_thing("I have an Oslo monthly pass. What percentage of the pass does the company pay?")
    # an amount in a currency; 'it' for the thing the scene names (not a time or a place it mentions)
    assert valued_thing("We get a travel bonus with the salary. How many kroner per day is this travel bonus?") == \
        {"travel", "bonus"}
    assert valued_thing("I heard we get a travel bonus instead of a canteen. How much is it per day?") == \
        {"travel", "bonus"}
    assert valued_thing("We book a team lunch next week. How much is it per head?") == {"team", "lunch"}
    assert not valued_thing("I'm going to Bergen on a trip. How much is it per day?")


def test_the_price_of_a_thing_a_sentence_names_only_with_a_discount_is_not_given():
    question = "Roughly what does a monthly pass at the Bergen car park actually cost?"
    assert speaks_without_value(question, ["Staff get a 20% discount on a monthly pass at the Bergen car park."])
    assert not speaks_without_value(question, ["A monthly pass at the Bergen car park costs NOK 900."])


def test_whether_a_bill_is_paid_for_asks_about_the_thing_billed():
    # 'my home broadband bill': the broadband, named by a sentence without its bill; a part after a comma too
    question = "Does Acme chip in towards my home broadband bill, and how do I claim it?"
    assert valued_thing(question) == {"home", "broadband"}
    assert speaks_without_value(question, ["Use your home broadband or a phone hotspot."])


def test_a_limit_of_a_kind_is_answered_only_by_a_value_of_that_kind():
    # the thing named with a limit of one kind ('weight'); a sentence naming it with a count of days gives none
    question = "Is there a size or weight limit on personal parcels?"
    assert valued_thing(question) == {"person", "parcel"}
    assert speaks_without_value(question, ["Personal parcels must be collected within 3 working days."])
    assert not speaks_without_value(question, ["Personal parcels over 20 kg go to the loading bay."])
    # a thing is named by its acronym too: 'PRs' are pull requests, and 400 lines is their size limit
    assert not speaks_without_value("Is there a size limit on pull requests?",
                                    ["Keep PRs small: at most 400 changed lines.", "Every pull request needs review."])


def test_a_question_of_no_known_kind_asks_a_figure_of_its_thing():
    question = "whats the max i can borrow on the season ticket loan"  # no kind the question types know
    assert speaks_without_value(question, ["Staff can get an interest-free season ticket loan from HR."])
    assert not speaks_without_value(question, ["The season ticket loan is up to £3,000."])


def test_a_count_of_a_thing_named_only_in_a_list_of_kinds_is_not_given():
    listed = "Family leave (maternity, paternity, adoption or shared parental leave)."
    assert speaks_without_value("how many weeks paternity leave do we get?", [listed])
    assert not speaks_without_value("how many weeks paternity leave do we get?",
                                    [listed, "Paternity leave is 2 weeks at full pay."])


@pytest.mark.parametrize(("question", "named", "valued", "other"), [
    # a person asked of a thing
    ("Who are the first aiders for floor 2 in the Oslo office?",
     "Each floor has at least two first aiders, listed on the notice next to the lifts.",
     "The first aiders on floor 2 are Cara Holm and Dev Patel.",
     "Owners: Ada Lund (Oslo office manager) and Ben Roe (Safety Coordinator)."),
    # an amount asked of a thing
    ("How much is the travel bonus that Oslo staff get?",
     "Oslo staff receive a travel bonus with their salary instead of a rail card.",
     "The travel bonus is NOK 400 a month.",
     "For the merit pool, Oslo is 3.1% of base payroll."),
])
def test_a_thing_named_without_the_value_asked_is_no_answer(question, named, valued, other):
    assert speaks_without_value(question, [other, named])
    assert not speaks_without_value(question, [other, valued])
    assert not speaks_without_value(question, [other])  # never named: the usual relevance gate decides


def test_the_most_you_can_borrow_asks_for_a_price():
    assert typed_value("What's the maximum amount I can borrow through the bike loan?") == "price"


@pytest.fixture
def ask(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    return lambda question, passages: llm.generate(make_request(question, passages, settings_factory()))


def test_the_answerer_abstains_rather_than_quote_another_things_figure(ask):
    office = section("There is no staff canteen. Oslo staff receive a travel bonus with their salary instead of a "
                     "company rail card.\n", "Oslo office guide", "Getting here", ref=1)
    pay = section("The merit pool for Oslo is 3.1% of base payroll, allocated to each department.\n",
                  "Salary review", "Merit pool", ref=2)
    assert ask("How much is the travel bonus that Oslo staff get with their salary?", [office, pay]) == ""
    priced = section("The travel bonus is NOK 400 a month, paid with salary.\n", "Oslo office guide", "Pay", ref=3)
    assert "NOK 400" in ask("How much is the travel bonus that Oslo staff get with their salary?",
                            [office, pay, priced])


def test_named_only_in_another_article_than_the_one_that_would_answer():
    question = "How much is the Oslo travel bonus per month?"
    office = ("office-guide", "Oslo staff receive a travel bonus with their salary instead of a rail card.")
    lunch = ("mentoring", "Each mentoring pair may spend up to NOK 300 per month on a lunch together.")
    assert valued_elsewhere_only(question, [lunch, office], answering="mentoring")
    # the article that names the thing is the one answering: its other sentences may hold the amount
    assert not valued_elsewhere_only(question, [lunch, office], answering="office-guide")
    # another article names it with an amount: that one answers, not this rule
    priced = ("pay", "The Oslo travel bonus is NOK 400 a month.")
    assert not valued_elsewhere_only(question, [lunch, office, priced], answering="mentoring")
    assert not valued_elsewhere_only(question, [lunch], answering="mentoring")  # never named: the gate decides


def test_the_answerer_abstains_rather_than_quote_another_articles_amount(ask):
    # a long office guide whose sentence naming the bonus is not among the dozen nearest the question
    guide = " ".join(f"Oslo office travel note {n}: the tram stop for month {n} moves per the city plan." for n in
                     range(1, 15))
    office = section(guide + " Oslo staff receive a travel bonus with their salary instead of a rail card.\n",
                     "Oslo office guide", "Getting here", ref=2)
    lunch = section("Each Oslo mentoring pair may claim up to NOK 300 per month for travel to a lunch together.\n",
                    "Mentoring programme", "Lunch", ref=1)
    question = "How much is the Oslo travel bonus per month?"
    assert "NOK 300" in ask(question, [lunch])  # without the office guide the lunch amount is near enough
    assert ask(question, [lunch, office]) == ""


def test_whether_a_thing_is_paid_for_is_answered_only_by_a_sentence_about_paying_for_it():
    question = "also, does Northwind chip in for home broadband if I work remotely?"
    assert valued_thing(question) == {"home", "broadband"}
    named = "Use your home broadband or a phone hotspot to connect."
    assert speaks_without_value(question, [named, "Public Wi-Fi is acceptable with the VPN."])
    paid = "Northwind pays up to £20 a month towards home broadband for remote staff."
    assert not speaks_without_value(question, [named, paid])
    assert not valued_thing("Does the VPN work on home broadband?")  # not asking who pays
    assert valued_thing("Does Northwind pay anything towards their home broadband?") == {"home", "broadband"}

