"""How a follow-up points back (held-out rounds AS and AT): 'use that?' is what the answer said to use, 'how does
that compare for ...?' asks the previous question of another case, 'any of those days' is a share of what was said,
'When does that happen?' points at nothing after its auxiliary, and a turn the asker said stands alone
('Different thing - ...') leans on no turn before it. Rule-based condensing: no model."""

from __future__ import annotations

from ragqa.service.condense import condense, depends_on_history
from ragqa.service.models import Turn
from tests.service.conftest import exchange


def test_a_final_pointer_is_what_the_answer_said_to_do_the_same_to():
    standalone, how = condense("How many times a year can I use that?",
                               exchange("I'm off with a cold in Bergen for two days. Do I need a doctor's note?",
                                        "No: for up to 3 days you can use the self-certification form in StaffHub "
                                        "instead [1]."))
    assert how == "rule" and "self-certification form" in standalone, standalone
    assert "doctor" not in standalone, standalone


def test_how_does_that_compare_asks_the_previous_question_of_the_new_case():
    question = "How does that compare for someone on a Norwegian contract?"
    assert depends_on_history(question)
    standalone, how = condense(question, exchange("On a UK contract, how long do I get full sick pay?",
                                                  "The first 20 working days [1]."))
    assert how == "rule" and "sick pay" in standalone and "UK" not in standalone, standalone


def test_a_share_of_those_days_leans_on_the_conversation():
    assert depends_on_history("I start in Bergen next month. Can I take any of those days straight away?")
    assert depends_on_history("How many times a year am I allowed to use that?")  # 'a year' is no antecedent
    assert not depends_on_history("How many times a year can I claim the eye-test allowance?")


def test_that_before_the_last_verb_after_an_auxiliary_points_at_nothing_new():
    # 'When does that happen?' names no thing 'happen' the conversation said: the sentence before it says what
    history = [Turn(role="user", content="Is there parking at the Bergen office?"),
               Turn(role="assistant", content="No, but there is a garage nearby [1]."),
               Turn(role="user", content="Thanks. Someone said the fire alarm is tested every week in Oslo. When does "
                                         "that happen?"),
               Turn(role="assistant", content="Wednesdays at 10:00 [1].")]
    standalone, _ = condense("And if it's a real fire, where do we gather outside?", history)
    assert "Oslo" in standalone and "Bergen" not in standalone, standalone


def test_a_turn_said_to_stand_alone_leans_on_no_earlier_turn():
    history = [Turn(role="user", content="When does the guest Wi-Fi password change?"),
               Turn(role="assistant", content="Every Monday at 06:00 [1]."),
               Turn(role="user", content="Different thing - my hotel in Oslo is £170 a night. Is that over the limit?"),
               Turn(role="assistant", content="No, the Oslo cap is £180 [1].")]
    standalone, _ = condense("And what's the most I can book in Bergen?", history)
    assert "password" not in standalone, standalone


def test_a_place_a_typed_question_opens_with_is_the_place_swapped():
    # a capital at a sentence's start marks no name, but a known place it opens with is one
    standalone, how = condense("and Porto?", exchange("Leeds office opening hours?", "07:00-20:00 [1]."))
    assert (standalone, how) == ("Porto office opening hours?", "rule")
