"""Where everyone goes when the alarm sounds (said as waiting or meeting outside), 'it' after a question whose subject
is 'they', a row labelled with a word the question rules out ('nothing senior'), and a 'how much' question whose
thing is named at its end ('as a meal allowance'), read on the sample corpus (corpus/, real index and embedding
model) and by the rules alone."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_matches
from ragqa.service.condense import condense
from ragqa.service.grounding import _roles
from ragqa.service.models import Turn
from ragqa.service.question_types import negated_terms
from ragqa.service.unvalued import valued_things

ALARM_TEST = [Turn(role="user", content="When do they test the fire alarm in the Leeds office?"),
              Turn(role="assistant", content="On Wednesdays at 10:00; the ring lasts under 30 seconds [1].")]


def _meant(question: str) -> set[str]:
    return set().union(*(meant for _, meant in policy_matches(question, {"assembl", "point"})))


@pytest.mark.parametrize("question", [
    "Where are we supposed to wait outside if the alarm keeps going?",
    "Where do we meet outside if the fire alarm goes off?",
    "If the fire alarm rings in the afternoon, where are we meant to go?",
])
def test_where_everyone_waits_outside_is_the_assembly_point(question):
    assert _meant(question) == {"assembl", "point"}


def test_where_to_go_without_leaving_the_building_is_no_assembly_point():
    # guard: a place asked with no alarm and nobody sent outside
    assert not _meant("Where do we go for lunch near the Porto office?")


def test_it_after_a_question_whose_subject_is_they_is_the_thing_they_act_on():
    standalone, method = condense("And if it keeps ringing, where do we wait outside?", ALARM_TEST)
    assert method == "rule" and "if the fire alarm in the leeds office keeps ringing" in standalone.lower(), standalone


@pytest.mark.parametrize("question", [
    "And if it goes off for real, where do we gather outside?",
    "Where should we wait outside when the fire alarm goes off in Leeds?",
])
def test_the_assembly_point_answers_where_to_wait_outside(service, question):
    answer = service.answer(question, history=ALARM_TEST)
    assert "Canal Basin car park" in answer.answer and "Wednesdays" not in answer.answer, answer.answer


def test_nothing_or_not_before_a_word_rules_it_out():
    assert negated_terms("It's a normal job, nothing senior. How long is probation?") == {"senior"}
    assert negated_terms("I'm in a regular position, not a senior one.") == {"senior"}
    # guard: what happened is no word ruled out
    assert negated_terms("I clicked the link but nothing happened. What now?") == set()


def test_a_row_labelled_with_a_ruled_out_word_does_not_answer(service):
    answer = service.answer("I start in the Porto office next month in an ordinary role, nothing senior. How long "
                            "is my probation?")
    assert "90 days" in answer.answer and "180 days" not in answer.answer, answer.answer


def test_the_thing_paid_is_read_after_who_pays():
    assert valued_things("How much does the company pay Leeds staff as a travel allowance?") == [
        frozenset({"travel", "allow"})]
    assert valued_things("How much money does each team get per quarter for a team dinner?") == [
        frozenset({"team", "dinner"})]
    # guard: a question ending in a place or a pronoun names no such thing
    assert valued_things("How much can I claim when I drive my own car for work in Portugal?") == []


@pytest.mark.parametrize("question", [
    "Someone tagged me on their PR. How soon should I respond?",
    "A teammate wants me to look over their code changes - how quickly do I have to get back to them?",
])
def test_being_asked_to_read_someones_changes_makes_the_asker_a_reviewer(question):
    assert "review" in _roles(question)


def test_someone_merely_mentioned_with_code_is_no_review_asked():
    # guard: the asker's own pull request
    assert "review" not in _roles("How many approvals does my pull request need?")


def test_reading_code_changes_over_stands_for_reviewing():
    assert policy_matches("Can you go through my changes before Friday?", {"review"}) == [
        (frozenset({"go", "through", "chang"}), frozenset({"review"}))]


@pytest.mark.parametrize("question", [
    "Someone tagged me on a pull request review. How fast should I reply?",
    # guard: asked to look over changes, which the reviewers' rule already answered
    "Someone on my team asked me to look over their code changes. How quickly should I get back to them?",
])
def test_the_reviewers_deadline_answers_one_asked_to_review(service, question):
    answer = service.answer(question)
    assert "1 working day" in answer.answer and not answer.answer.startswith("Authors"), answer.answer


def test_a_sentence_saying_the_thing_is_not_there_settles_a_yes_no_question():
    from ragqa.service.grounding import _says_none_of
    assert _says_none_of({"park"}, "There is no car parking at Rua do Almada 140.")
    assert _says_none_of({"park"}, "Porto has no parking spaces to book.")
    # guard: a 'no' about something else than the thing asked
    assert not _says_none_of({"park"}, "There are no rules about capitals or symbols.")


def test_no_car_parking_answers_whether_one_can_park_at_the_office(service):
    answer = service.answer("Is it possible to drive to the Porto office and park there?")
    assert "no car parking" in answer.answer and "Parque Trindade" in answer.answer, answer.answer


def test_negated_auxiliaries_are_no_content_words_whichever_apostrophe():
    from ragqa.words import content_terms
    assert content_terms("my buddy and I aren't clicking") == content_terms("my buddy and I clicking")
    assert content_terms("it wasn’t me, I didn’t start it") == content_terms("it me, I start it")


def test_whom_to_talk_to_is_said_by_a_name_or_a_verb_of_turning_to_someone():
    from ragqa.service.grounding import _SAYS_WHOM
    assert _SAYS_WHOM.search("Talk to your manager first, then to your HR Business Partner.")
    assert _SAYS_WHOM.search("Programme lead: Sophie Lang, People team.")
    # guards: a role named in passing, a company's name
    assert not _SAYS_WHOM.search("Your buddy is not your manager and does not assess your work.")
    assert not _SAYS_WHOM.search("Every new starter at Fernhill Labs is paired with a buddy.")


@pytest.mark.parametrize("question", [
    "My buddy and I don't really click. Who should I talk to about being matched with someone else?",
    # guard: answered so already
    "The buddy I was given and I just don't get on. Who should I talk to about a new one?",
])
def test_whom_to_contact_about_a_buddy_match_is_the_programme_contact(service, question):
    answer = service.answer(question)
    assert "Sophie Lang" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "thing"), [
    ("leeds season ticket loan how much per month?", {"season", "ticket", "loan"}),
    ("bereavement leave how many days", {"bereav", "leav"}),
    ("Someone asked about the travel allowance that comes with the contract. What's the amount?", {"travel", "allow"}),
    ("How many days of full pay does the company give during adoption leave?", {"adopt", "leav"}),
])
def test_the_thing_a_value_is_asked_of(question, thing):
    assert valued_things(question) == [frozenset(thing)]


def test_how_long_a_thing_must_be_asks_a_length_not_a_time():
    from ragqa.service.question_types import holds_typed_value, typed_value
    assert typed_value("How long does my login password have to be these days?") == "characters"  # (a password's)
    assert typed_value("How long should a pull request be?") == "length"
    # guards: how long something lasts, or how long one is away
    assert typed_value("How long will his probation be?") == ""
    assert typed_value("How long do I have to be off sick before I need a note?") == ""
    assert holds_typed_value("length", "Minimum length: 14 characters.")
    assert not holds_typed_value("length", "Finish enrolment within 7 days of your first day.")
    assert not holds_typed_value("characters", "Your account is locked for 15 minutes.")


def test_now_words_say_when_not_what():
    from ragqa.service.question_types import situation_times
    assert situation_times("How long does it have to be these days?") == {"day"}


def test_how_long_a_password_must_be_is_answered_by_its_length(service):
    answer = service.answer("How long does my computer password need to be these days?")
    assert answer.answer.startswith("For Minimum length") and "14 characters" in answer.answer, answer.answer


def test_how_often_a_test_comes_round_is_no_kind_of_test(service):
    answer = service.answer("The alarm in the Leeds office rang briefly this morning and nobody left. Is there a "
                            "regular test? When?")
    assert "Wednesdays at 10:00" in answer.answer, answer.answer


def test_where_a_team_goes_when_the_alarm_sounds_is_its_assembly_point():
    assert _meant("If the fire alarm goes off, where should my Porto team go?") == {"assembl", "point"}


def test_an_item_is_named_by_its_lists_line_too(service):
    # 'Portugal: €0.40 per km' never says mileage or car; the line of its list does
    answer = service.answer("own car mileage rate portugal?")
    assert "€0.40 per km" in answer.answer, answer.answer


def test_what_the_asker_would_do_with_the_days_counted():
    from ragqa.service.question_types import counted_doing
    assert counted_doing("How many days can I roll over?") == ({"roll"}, "roll over")
    assert counted_doing("How many days can I carry into next year?")[0] == {"carri"}
    assert counted_doing("How many spare holiday days am I allowed to take with me into next year?") == (
        set(), "take with me into next year")  # (said in everyday words only: carrying over)
    # guard: days had or taken say nothing more
    assert counted_doing("How many days do I get?")[0] == set()


def test_a_later_parts_them_is_what_an_unnamed_count_counts():
    from ragqa.service.condense import standalone_parts
    parts = standalone_parts("I'll have some holiday left at the end of the year. How many can I carry over, and by "
                             "when do I have to use them?")
    assert parts[1].endswith("use what I carry over?"), parts


@pytest.mark.parametrize("question", [
    "How many spare holiday days am I allowed to take with me into next year?",
    "How many unused holiday days can I move into next year? A colleague said it's 5, but I'm not sure.",
])
def test_days_taken_into_next_year_are_carried_over(service, question):
    answer = service.answer(question)
    assert "8 days" in answer.answer.split("[1]")[0], answer.answer


def test_this_year_is_no_pointer_to_the_first_part():
    from ragqa.service.condense import standalone_parts
    parts = standalone_parts("I won't use all my holiday this year. How many days can I roll over, and by when do I "
                             "have to use them?")
    assert parts[1].endswith("use the days I roll over?"), parts


def test_days_rolled_over_are_answered_by_the_carry_over_rule(service):
    answer = service.answer("I'm based in Leeds and won't get through all my leave this year because of a long "
                            "project. How many days can I roll over, and by when do I have to use them?")
    assert "8 days" in answer.answer and "30 June" in answer.answer, answer.answer


def test_an_item_labelled_with_the_places_country_speaks_of_the_place(service):
    history = [Turn(role="user", content="What's the mileage rate for my own car on Fernhill business in the UK?"),
               Turn(role="assistant", content="45p per mile for the first 10,000 business miles, then 25p [1].")]
    answer = service.answer("And I'm part-time and based in Porto. What rate do I get?", history=history)
    assert "€0.40 per km" in answer.answer, answer.answer


def test_how_a_thing_is_paid_is_no_part_of_what_it_is():
    assert valued_things("How many weeks of fully paid adoption leave does the company give?") == [
        frozenset({"adopt", "leav"})]
    assert valued_things("who's the site safety officer this week?") == [frozenset({"site", "safeti", "offic"})]


def test_the_thing_a_name_is_asked_of():
    assert valued_things("What's the name of the company's preferred hotel near the Leeds office?") == [
        frozenset({"prefer", "hotel"})]
    assert valued_things("Which hotels are our preferred hotels in Porto?") == [frozenset({"prefer", "hotel"})]
    # guard: 'which month' asks a month, not a name
    assert valued_things("which month is the holiday allowance paid in porto") == []


def test_a_quota_typed_as_said():
    from ragqa.service.question_types import quota_activity, typed_value
    assert typed_value("max days per year i can work from abroad") == "quota:day:year"
    assert quota_activity("is there a limit on how many days a year i can work from another country") == {
        "anoth", "countri"}


def test_a_negated_everyday_wording_is_never_the_passages_own():
    # 'start' is a word the passages use; 'didn't start' is not, so the question is read with 'unexpected' added
    said, _ = next(m for m in policy_matches("I tapped yes on a login I didn't start", {"start", "unexpect"})
                   if "unexpect" in m[1])
    assert "not" in said


def test_that_thing_never_named_in_the_question_leans_on_the_conversation():
    from ragqa.service.condense import depends_on_history
    assert depends_on_history("I'll also take two colleagues along in the car on that trip. Can I claim extra?")
    # guard: the thing pointed at was named earlier in the question itself
    assert not depends_on_history("I booked a trip to Lisbon. Can I add a personal day to that trip?")


def test_giving_colleagues_a_lift_is_carrying_them(service):
    history = [Turn(role="user", content="I'm driving my own car to a customer near Sheffield. What mileage can I "
                                         "claim?"),
               Turn(role="assistant", content="45p per mile for the first 10,000 business miles, then 25p [1].")]
    answer = service.answer("I'll also be giving a colleague a lift on that trip. Can I claim anything extra?",
                            history=history)
    assert "5p per mile for each colleague you carry" in answer.answer, answer.answer


def test_the_rule_in_full_leads_over_its_summary_line(service):
    history = [Turn(role="user", content="How many days of annual leave do I get in Leeds?"),
               Turn(role="assistant", content="25 days plus bank holidays [1].")]
    answer = service.answer("And what about someone at the Porto office?", history=history)
    assert answer.answer.startswith("Full-time staff in Porto receive 23 working days"), answer.answer


# What the articles speak of without giving what is asked: each is not found, whatever else holds a figure or a name.
@pytest.mark.parametrize("question", [
    "How much does Fernhill give Porto employees as a meal allowance?",  # named with the salary, never valued
    "porto meal allowance how much per week?",
    "We're expecting a baby. How many weeks of fully paid paternity leave does Fernhill give?",
    "How many weeks of full pay does Fernhill give during paternity leave?",
    "Who's the field duty coordinator today, and what's their number?",  # the role, never a name
    "What is the name of our preferred hotel near the Leeds office?",  # preferred hotels, none named
    "max days per year i can work remotely from abroad",  # a yearly quota no article sets
    "is there a limit on how many days a year we can work from another country",
    # home broadband is to be used, and nothing says who pays for it
    "Does Fernhill pay anything towards my home broadband bill when I work from home?",
    "Can I claim some of my home internet bill on expenses when I'm working from home?",
    # an adjusted desk or chair in the office, and no allowance for one at home
    "Is there an allowance to buy a desk and chair for working from home?",
    "I work from home in the UK. How much will Fernhill reimburse for a desk and an office chair?",
])
def test_what_the_articles_never_give_is_not_found(service, question):
    answer = service.answer(question)
    assert answer.abstained, answer.answer


# Guards: the same shapes of question where the articles do give what is asked.
@pytest.mark.parametrize(("question", "fact"), [
    ("How much does Fernhill pay for mileage in Portugal?", "€0.40 per km"),
    ("Who's the lead of the buddy programme?", "Sophie Lang"),
    ("What's the name of our VPN client?", "Fernhill Connect"),
    ("Does Fernhill pay for travel vaccinations?", "reimburses travel vaccinations"),
    ("Is there a budget for client entertainment?", "£60"),
])
def test_what_the_articles_give_is_still_answered(service, question, fact):
    answer = service.answer(question)
    assert fact in answer.answer, answer.answer
