"""Questions from people in an awkward spot, as they type them: a place compared with, a statement after the
question, an emergency number, a share said as a fraction, what nobody did, how close one may go, the nth day off,
and the near-topic amounts the articles never give (real embedding model; hand-made passages)."""

from __future__ import annotations

import pytest

from ragqa.policy_words import policy_words
from ragqa.sentences import Span, content_terms
from ragqa.service.compounds import asked_attribute, asked_object, question_compounds
from ragqa.service.condense import condense, depends_on_history, follow_up_words, standalone_parts
from ragqa.service.grounding import _roles, other_group, question_names
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.service.models import Turn
from ragqa.service.question_types import (
    asks_whom_to_tell,
    has_value,
    holds_typed_value,
    negated_terms,
    question_kind,
    question_parts,
    scene_and_question,
    split_context,
    typed_value,
    without_preamble,
    without_relay,
)
from ragqa.service.ranges import question_quantities, span_label
from ragqa.service.shorthand import written_out
from ragqa.service.situations import contradicts, rule_condition, stated_situation
from ragqa.service.unvalued import speaks_without_value, valued_things
from tests.service.conftest import make_request, section


def _none_used(words: list[str]) -> dict[str, int]:
    return {}


# --- reading the question -------------------------------------------------------------------------------------
def test_a_statement_typed_after_a_question_without_its_mark_is_context():
    context, asked = split_context("which phone do designers get as standard, I'm joining the design team in May")
    assert asked == "which phone do designers get as standard"
    assert context == "I'm joining the design team in May"
    assert split_context("how many days is the crane course, need to block my diary")[1] == \
        "how many days is the crane course"
    # a question of two parts keeps both
    assert split_context("how long is probation, and can it be extended?") == \
        ("", "how long is probation, and can it be extended?")


def test_a_fragment_after_the_question_mark_is_still_asked():
    question = "my phone is due for its swap but i like it, can i hang on to it a bit longer? for how long"
    assert split_context(question) == ("", question)
    assert question_kind(question) == "number"


def test_a_statement_before_a_semicolon_is_context():
    context, asked = split_context("I lost my badge at the Lyon office. In Oslo the first one is free; is it free "
                                   "here too?")
    assert asked == "is it free here too?"
    assert context.endswith("In Oslo the first one is free;")
    kept = "What is the cap for hotels; and for meals?"
    assert split_context(kept)[1] == kept


def test_a_place_only_compared_with_is_ruled_out():
    assert negated_terms("A colleague in Oslo says carried days go by June. Is it the same for me in Lyon?") == {"oslo"}
    assert negated_terms("I lost my badge at the Lyon office. In Oslo the first one is free; is it free here too?") \
        == {"oslo"}
    assert negated_terms("I'm going to Lyon from Oslo. What is the daily allowance?") == set()


def test_emergency_short_numbers_answer_what_number_to_ring():
    question = "if I find a fire in the Lyon office, what number should I ring?"
    assert typed_value(question) == "phone"
    assert holds_typed_value("phone", "Call the emergency services: 999 in the UK, 112 in France.")
    assert has_value("contact", "Call the emergency services: 999 in the UK, 112 in France.", question)
    assert not holds_typed_value("phone", "Fire doors must be kept shut at all times, since 1999.")


def test_a_length_may_say_extra_before_its_unit():
    assert has_value("number", "You may keep a working phone for up to one extra year.", "for how long?")


def test_how_close_asks_a_distance():
    assert typed_value("How close to the lake can he go before he needs a colleague with him?") == "distance"
    assert holds_typed_value("distance", "any work within 3 metres of the water's edge")
    assert holds_typed_value("distance", "The tram stop is 5 minutes on foot from the office.")
    assert not holds_typed_value("distance", "at least one person must have done the course in the last 3 years")
    assert typed_value("How far in advance can I book a desk?") != "distance"


def test_only_an_ordinal_day_off_counts_how_long_an_absence_lasted():
    assert question_quantities("this is my eighth day off with a chest infection") == [(8.0, "day")]
    assert question_quantities("I'm in my second week on an Oslo contract and woke up with a fever") == []
    assert question_quantities("a second accident this year") == []


def test_a_share_said_as_a_fraction_is_written_as_its_percentage():
    assert written_out("once it has reached the quarter-of-the-fleet stage", _none_used) == \
        "once it has reached the 25%-of-the-fleet stage"
    assert written_out("half of the sensors", _none_used) == "50% of the sensors"
    assert written_out("a quarter of an hour late", _none_used) == "a quarter of an hour late"


def test_team_shorthand_is_written_out_when_the_articles_do_not_use_it():
    assert written_out("starting in the eng team", _none_used) == "starting in the engineering team"
    assert written_out("starting in the eng team", lambda words: {"eng": 3}) == "starting in the eng team"


@pytest.mark.parametrize(("question", "policy_word"), [
    ("can i hang on to my old phone a bit longer?", "keep"),
    ("Should I get in touch with the shop?", "merchant"),
    ("There's a charge on my company card I don't recognise.", "transaction"),
    ("He is going out on his own; when must he have a colleague with him?", "alone"),
    ("How close to the lake can I go?", "within"),
])
def test_everyday_wordings_of_people_in_a_bind(question, policy_word):
    said = {t for w in policy_words(question) for t in content_terms(w)}
    assert content_terms(policy_word) <= said, said


def test_whom_one_would_get_in_touch_with_is_the_thing_asked_about():
    assert asked_object("Should I get in touch with the shop to sort it out?") == "shop"
    assert asked_object("Is there a point after which claims are never paid?") == ""


# --- the conversation and the parts ---------------------------------------------------------------------------
def test_a_question_opening_with_they_leans_on_the_conversation():
    assert depends_on_history("They're asking me for some kind of account code - what is it?")
    assert depends_on_history("She says it's urgent. Who approves it?")
    assert not depends_on_history("It's my first day in the Oslo office, where do I collect my badge?")


def test_they_points_at_a_plural_thing_of_the_first_part():
    parts = standalone_parts("I've been off for weeks. What's the normal deadline for submitting claims, and is "
                             "there a point after which they won't be paid at all?")
    assert parts[1].endswith("Is there a point after which the claims won't be paid at all?"), parts
    assert standalone_parts("Where are the keys for the bike shed, and who has them?")[1] == \
        "Who has the keys for the bike shed?"


def test_a_listed_side_that_opens_with_its_preposition_is_the_first_thing_again():
    assert question_parts("mileage rate for Norway and for france?") == \
        ["What is the mileage rate for Norway?", "What is the mileage rate for france?"]
    assert question_parts("expenses deadline + receipt limit") == \
        ["What is the expenses deadline?", "What is the receipt limit?"]


# --- situations -----------------------------------------------------------------------------------------------
def test_what_nobody_did_is_not_the_case_of_a_rule_that_it_happened():
    situation = "I've barely taken any holiday; nobody asked me in writing to skip it"
    assert contradicts(situation, "If your director asked you in writing not to take leave")
    assert not contradicts("I've barely taken any holiday", "If your director asked you in writing not to take leave")


def test_a_rule_after_a_short_label_ending_in_a_full_stop_has_its_condition():
    span = Span(start=0, end=80, kind="item", text="Business need. If your director asked you in writing, you may "
                                                     "carry more.")
    assert rule_condition(span).startswith("If your director asked you in writing")


def test_a_rule_for_all_that_mentions_the_other_group_in_brackets_is_not_about_it():
    assert not other_group("I'm full-time - how many days can I roll over?",
                           "You may carry over up to 8 days (pro-rata for part-time staff).")
    assert other_group("I'm full-time - how many days can I roll over?",
                       "Part-time staff may carry over up to 4 days.")


# --- near-topic amounts the articles never give ---------------------------------------------------------------
def test_the_thing_an_amount_is_asked_of_in_more_shapes():
    assert valued_things("We get a lunch voucher instead of a canteen. How much is that lunch voucher per day?") == \
        [{"lunch", "voucher"}]
    assert valued_things("how many days is the crane operator course, need to block my diary") == \
        [content_terms("crane operator course")]
    assert valued_things("How long is the crane operator course?") == [content_terms("crane operator course")]
    assert valued_things("how much does the company actually pay towards the Ruter pass in oslo, like what %") == \
        [content_terms("Ruter pass")]
    assert valued_things("I dropped my phone again and my department gets charged. Roughly how much will they be "
                         "billed for the repair?") == [content_terms("charged repair")]
    # (no thing after a pointer: the scene's, each in turn)
    assert valued_things("Lars in our customer success team wants the discounted monthly pass at the Vika car park "
                         "- how much does it actually cost per month?")[-1] == content_terms("discounted pass")
    assert valued_things("I'd like to use the interest-free bike loan the Oslo office offers. What's the maximum "
                         "amount I can borrow?") == [content_terms("interest-free bike loan")]
    assert valued_things("I heard we get a travel bonus instead of a canteen. How much is it per day?") == \
        [{"travel", "bonus"}]


def test_a_scene_thing_the_sentences_name_without_its_amount_is_not_answered():
    question = ("Lars in our customer success team wants the discounted monthly pass at the Vika car park - how much "
                "does it actually cost per month?")
    assert speaks_without_value(question, ["Staff get a 20% discount on a monthly pass at the Vika car park."])
    assert not speaks_without_value(question, ["A monthly pass at the Vika car park costs NOK 900 with the discount."])


def test_a_course_of_a_table_is_named_by_its_row_without_the_word_course():
    question = "how many days is the crane operator course?"
    row = "For Crane operator, who: Anyone lifting loads; the renewal is Every 5 years"
    assert speaks_without_value(question, [row])
    assert not speaks_without_value(question, ["For Crane operator, the course lasts 2 days; renewal every 5 years"])


def test_charged_for_a_repair_asks_an_amount_of_money():
    question = "My department gets charged this time. Roughly how much will they be billed for the repair?"
    assert typed_value(question) == "money"
    assert speaks_without_value(question, ["If a second accident happens within 12 months, your department is "
                                           "charged for the repair."])


# --- answers --------------------------------------------------------------------------------------------------
@pytest.fixture
def ask(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    return lambda question, passages: llm.generate(make_request(question, passages, settings_factory()))


def test_the_emergency_number_beats_an_office_extension(ask):
    fire = section("If you discover a fire:\n\n1. Raise the alarm at the nearest call point.\n2. Call the emergency "
                   "services: 999 in the UK, 112 in France.\n3. Leave by the nearest exit.\n",
                   "Fire safety", "If you discover a fire", ref=1)
    lyon = section("A lost badge must be reported the same day to reception (ext 4357).\n", "Lyon office guide",
                   "Badges", ref=2)
    answer = ask("I know it's 999 at home, but if I find a fire in the Lyon office, what number should I ring?",
                 [lyon, fire])
    assert "112" in answer and "4357" not in answer, answer


def test_a_case_labelled_with_the_askers_country_leads(ask):
    """(A guard: these two short passages were answered right before the other-country order too.)"""
    mileage = section("If you use your own car for business, claim mileage instead of fuel:\n\n- UK: 45p per mile for "
                      "the first 10,000 business miles in the tax year, 25p per mile after that, plus 5p per mile for "
                      "each colleague you carry.\n- France: €0.40 per km.\n", "Expense claims", "Mileage", ref=1)
    answer = ask("I'm on a Lyon contract. What's the mileage rate if I drive my own car for work?", [mileage])
    assert "€0.40" in answer and "45p" not in answer, answer


def test_the_place_asked_about_beats_the_place_compared_with(ask):
    """(A guard of the answer; test_a_place_only_compared_with_is_ruled_out checks the rule itself.)"""
    table = section("| Contract | Carried days must be taken by |\n|---|---|\n| Oslo and Norwegian contracts | "
                    "30 June of the new leave year |\n| Lyon and French contracts | 30 April of the new leave year |\n",
                    "Carrying leave over", "Deadline")
    answer = ask("A colleague in Oslo says carried-over holiday has to be used by the end of June. Is it the same "
                 "deadline for me in Lyon?", [table])
    assert answer.startswith("For Lyon and French contracts"), answer


def test_a_long_scene_does_not_draw_the_answer_away_from_what_is_asked(ask):
    rules = section("You may carry over up to 8 days of unused annual leave into the next leave year (pro-rata for "
                    "part-time staff).\n\nThe office closes between Christmas and New Year; those days are given in "
                    "addition to your 25 days.\n", "Annual leave", "Carrying leave over", ref=1)
    exceptions = section("Business need. If your director asked you in writing not to take leave, you may carry "
                         "more than 8 days.\n", "Annual leave", "Exceptions", ref=2)
    answer = ask("A project crunch ate my whole autumn and I've barely taken any holiday; nobody asked me in writing "
                 "to skip it, I just couldn't. I'm full-time - how many unused days am I allowed to roll over into "
                 "next year?", [exceptions, rules])
    assert answer.startswith("You may carry over up to 8 days"), answer


def test_and_for_one_of_my_reports_in_a_place_asks_the_same_question_there():
    history = [Turn(role="user", content="How much annual leave does a full-time member of my team in Oslo get?"),
               Turn(role="assistant", content="Full-time Oslo staff receive 25 days of annual leave.")]
    assert condense("And for one of my reports on a contract in Lyon?", history) == \
        ("How much annual leave does a full-time member of my team in Lyon get?", "rule")


def test_the_code_that_unlocks_a_phone_is_its_pin():
    said = {t for w in policy_words("How long does the code she uses to unlock the phone have to be?")
            for t in content_terms(w)}
    assert content_terms("PIN screen lock") <= said


def test_the_thing_a_scene_owns_is_what_a_claim_for_it_is_about():
    assert asked_object("What mileage rate per mile can he claim for it?",
                        "One of my reports in Oslo uses his own motorbike for site visits.") == "motorbike"
    assert asked_object("What is the mileage rate if I use my own motorcycle for a business journey?") == "motorcycle"
    assert asked_object("My laptop bag broke on a trip. Can I expense a new one?".split(". ")[1],
                        "My laptop bag broke on a trip.") == "bag"


def test_a_rate_for_a_vehicle_no_passage_speaks_of_is_not_found(ask):
    mileage = section("If you use your own car for business, claim mileage instead of fuel:\n\n- UK: 45p per mile.\n"
                      "- France: €0.40 per km.\n", "Expense claims", "Mileage", ref=1)
    answer = ask("One of my reports in Oslo uses his own motorbike for site visits. What mileage rate per mile can "
                 "he claim for it?", [mileage])
    assert answer == "", answer
    assert "45p" in ask("I use my own car for site visits. What mileage rate can I claim for it?", [mileage])


# --- questions passed on, greetings and apologies ------------------------------------------------------------
def test_the_words_that_relay_a_colleagues_question_are_dropped():
    question = ("Ingrid thinks her corporate card was stolen on the tram this evening. She's asking me what she "
                "needs to do first.")
    relayed = without_relay(question)
    assert relayed.endswith("this evening. What she needs to do first.")
    assert question_kind(relayed) == "steps"
    # (with no scene before it, who asks stays for scene_and_question to read)
    assert without_relay("Lars asked me how many days he can carry over.") == \
        "Lars asked me how many days he can carry over."


def test_a_colleagues_scene_is_the_situation_of_a_relayed_question():
    context, asked = split_context("Ingrid thinks her card was stolen on the tram. She's asking me what she needs "
                                   "to do first.")
    assert "stolen" in stated_situation(context, asked)
    assert stated_situation("", "Xi has invited Lee to Beijing - what's the occasion?") == ""


@pytest.mark.parametrize(("typed", "read"), [
    ("Hi, sorry to bother you, I've woken up unwell. Who do I tell?", "I've woken up unwell. Who do I tell?"),
    ("Sorry for all the questions! Is lunch in the café subsidised?", "Is lunch in the café subsidised?"),
    ("sorry, which floor is it?", "Which floor is it?"),
    ("Morning! Where do I collect my badge?", "Where do I collect my badge?"),
])
def test_apologies_and_greetings_before_a_question_are_dropped(typed, read):
    assert without_preamble(typed) == read


def test_a_follow_up_after_several_nods_still_leans_on_the_conversation():
    assert depends_on_history("Oh great, thanks! And as I'm in the Lyon office, by when would I have to use them?")


def test_who_to_let_know_asks_whom_to_tell():
    assert asks_whom_to_tell("Who do I need to let know?")
    assert not asks_whom_to_tell("Who is the release manager?")
    assert question_kind("who should I inform?") == "contact"


@pytest.mark.parametrize(("question", "meant", "not_meant"), [
    ("I've woken up really unwell, what now?", "first day", None),
    ("How often do I let the coordinator know I'm OK?", "check", "approve"),
    ("Who OKs my trip?", "approve", None),
    ("Does my manager need to ok it?", "approve", None),
])
def test_ok_is_approval_only_as_a_verb(question, meant, not_meant):
    said = {t for w in policy_words(question) for t in content_terms(w)}
    assert content_terms(meant) <= said, said
    assert not_meant is None or not content_terms(not_meant) & said, said


def test_chat_written_in_capitals_names_nothing():
    assert question_names("How often do I let the coordinator know I'm OK around Drammen?") == [("drammen",)]


def test_a_search_box_query_asks_a_value_of_the_rest_of_its_words():
    assert valued_things("vika parking monthly pass price") == [content_terms("vika parking pass")]
    assert valued_things("max bike loan amount oslo") == [content_terms("bike loan")]
    assert valued_things("hotel cap lyon") == []  # one word: often said in other words
    # a price is a sum of money, not the percentage of a discount
    assert speaks_without_value("vika parking monthly pass price",
                                ["Staff get a 20% discount on a monthly pass at the Vika parking garage."])
    assert not speaks_without_value("vika parking monthly pass price",
                                    ["A monthly pass at the Vika parking garage costs NOK 900."])


# --- more near-topic amounts, ordinary words and parts -------------------------------------------------------
def test_amounts_asked_in_other_word_orders():
    assert valued_things("My department is charged for a second accident. What is the amount charged for such a "
                         "repair?") == [content_terms("charged repair")]
    assert typed_value("What is the amount charged for such a repair?") == "money"
    assert valued_things("Staff can claim part of the Ruter monthly pass. What percentage of the pass's cost is "
                         "reimbursed?") == [content_terms("Ruter pass")]
    assert valued_things("How much cost the lunch in the canteen at the Oslo office?") == \
        [content_terms("lunch canteen")]
    assert typed_value("How much cost the lunch in the canteen?") == "price"
    assert typed_value("From what amount must I attach a receipt?") == "money"


def test_an_attribute_paid_is_asked_without_the():
    assert asked_attribute("What excess would I have to pay on a baggage claim?") == "excess"


def test_a_trailing_condition_opens_the_next_part():
    assert question_parts("How many days of holiday do I get, and once I put in a request, how long does my manager "
                          "have to approve it?") == \
        ["How many days of holiday do I get?", "Once I put in a request, how long does my manager have to approve it?"]


def test_nothing_serious_rules_out_the_serious_case():
    assert negated_terms("I tripped on the stairs. I'm fine, nothing serious. Do I still need to report it?") == \
        {"serious"}


def test_a_new_starter_is_not_a_visitor():
    context, asked = split_context("I start at the Lyon office on Monday. Which ID document should I bring?")
    assert "starter" in _roles(asked, context)
    assert question_names("Which ID document should I bring?") == []


@pytest.mark.parametrize(("question", "meant"), [
    ("my card was taken from my bag on the train", "stolen"),
    ("I wake up today very sick and cannot come to work", "first day"),
    ("Is there a limit on how long such a repeating reservation stays valid?", "recurring"),
    ("Which company is doing our business travel insurance?", "underwritten"),
    ("money back for driving my own car uk", "mileage"),
    ("how often does vpn make me reapprove", "approve again"),
])
def test_more_everyday_wordings(question, meant):
    said = {t for w in policy_words(question) for t in content_terms(w)}
    assert content_terms(meant) <= said, said


# --- belief checks, topics first, emergencies -----------------------------------------------------------------
def test_an_adverb_before_a_verb_makes_no_kind_of_thing():
    assert not [pair for pair in question_compounds("What should I do if a colleague suddenly collapses at their "
                                                    "desk?") if "suddenly" in pair]


def test_a_topic_before_a_colon_leaves_the_attribute_asked():
    assert asked_attribute("Business travel insurance: what's the excess if I claim for a bag that went missing?") \
        == "excess"


def test_someone_collapsing_is_a_medical_emergency():
    said = {t for w in policy_words("a colleague suddenly collapses at their desk") for t in content_terms(w)}
    assert content_terms("medical emergency") <= said


def test_a_belief_check_about_a_kind_no_passage_speaks_of_is_not_answered(ask):
    leave = section("Full-time staff in Oslo receive 25 days of annual leave per year, plus public holidays.\n",
                    "Annual leave", "Entitlement")
    assert ask("Paternity leave for Oslo staff - I think it's two weeks at full pay, is that right?", [leave]) == ""
    assert "25 days" in ask("Annual leave for Oslo staff - I think it's 25 days, is that right?", [leave])


# --- an attribute asked of someone else's claim, or typed as a search ---------------------------------------------
@pytest.mark.parametrize(("question", "attribute"), [
    ("What's the excess he has to pay on a baggage claim under the travel policy?", "excess"),
    ("If she claims for a damaged camera, is there an excess she has to cover herself?", "excess"),
    ("If I claim on the travel policy for a damaged kit, is there an excess I have to cover myself?", "excess"),
    ("business travel insurance excess for lost baggage", "excess"),
])
def test_the_attribute_asked_of_another_persons_claim_or_in_a_search(question, attribute):
    assert asked_attribute(question) == attribute


def test_a_search_without_an_attribute_before_its_preposition_names_none():
    # a guard: it passed before the searched attribute was read too
    assert asked_attribute("bandwidth limit on the guest wifi?") == ""  # a generic attribute
    assert asked_attribute("what is the limit for my colleague") == ""  # no search: a question word


def test_an_excess_asked_for_a_colleague_is_not_answered_by_the_cover_limit(ask):
    cover = section("| Cover | Detail |\n|---|---|\n| Baggage and personal effects | up to £2,000 per trip (£400 per "
                    "single item) |\n| Medical expenses | Unlimited |\n", "Travel insurance", "What is covered")
    assert ask("My colleague's rucksack was stolen on a trip to Lyon. What's the excess she has to pay on a "
               "baggage claim?", [cover]) == ""
    assert ask("travel insurance excess for stolen baggage", [cover]) == ""
    # the limit itself is still answered, asked for someone else too
    assert "£2,000" in ask("How much baggage cover does she have on a trip?", [cover])


# --- requests, kinds left to a title, pointers at nothing, a fortnight ------------------------------------------
@pytest.mark.parametrize("question", [
    "I need the excess I'd have to pay on a lost-baggage claim under the travel insurance.",
    "Tell me the excess on a baggage claim.",
    "Looking for the excess I would pay on a baggage claim",
])
def test_an_attribute_asked_as_a_request_is_the_attribute_asked(question):
    assert asked_attribute(question) == "excess"


def test_an_extension_is_given_by_its_value(ask):
    # a guard for the sample corpus's case (test_sample_corpus.py), where the word 'extension' is near none
    reception = section("The office is on the second floor of Rua Nova 12.\n\nReception: ext 2100.\n",
                        "Lyon office guide", "Reception")
    assert "ext 2100" in ask("What's the extension for reception in the Lyon office?", [reception])
    assert "ext 2100" in ask("I need the extension for reception in the Lyon office", [reception])


def test_the_it_of_how_much_does_it_cost_to_points_at_nothing():
    parts = standalone_parts("When does the Lyon office close on weekdays, and how much does it cost to replace a "
                             "lost badge there?")
    assert parts[1].startswith("How much does it cost to replace a lost badge"), parts
    # a pointer at the first part's thing is still put back
    assert standalone_parts("How long is the soak test, and can it be skipped?")[1] == "Can the soak test be skipped?"


def test_a_fortnight_is_two_weeks_and_a_gerund_subject_states_its_range():
    assert question_quantities("Someone in my team wants a fortnight off.") == [(2.0, "week")]
    text = "Taking more than 15 consecutive working days needs approval from your director."
    rule = Span(start=0, end=len(text), text=text, kind="sentence")
    assert span_label(rule) == "Taking more than 15 consecutive working days"


def test_a_fortnight_off_is_no_case_of_more_than_fifteen_working_days(ask):
    notice = section("Taking more than 15 consecutive working days needs approval from your director; ask early, "
                     "ideally three months ahead. Give notice of at least twice the length of the leave you are "
                     "requesting: two weeks off needs four weeks' notice.\n", "Annual leave", "Booking leave")
    answer = ask("Someone in my team wants a fortnight off. How far ahead should they be asking me?", [notice])
    assert answer.startswith("Give notice of at least twice the length"), answer


def test_a_count_someone_is_entitled_to_asks_the_value_of_its_kind():
    assert valued_things("How many days of paternity leave are people in my team entitled to?") == \
        [frozenset(content_terms("paternity leave"))]


def test_a_kind_only_another_article_names_is_not_answered_by_the_titles_kind(ask):
    annual = section("- Entitlement: 25 days plus public holidays.\n- Buy up to 5 extra days in January.\n",
                     "Annual leave for Oslo staff", "In short", ref=1)
    carry = section("Exceptions: family leave (maternity, paternity or adoption leave) that stopped you taking your "
                    "leave.\n", "Leave carry-over", "Exceptions", ref=2)
    assert ask("How many days of paternity leave are people in my Oslo team entitled to?", [annual, carry]) == ""
    assert "25 days" in ask("How many days of annual leave are people in my Oslo team entitled to?", [annual, carry])


def test_a_follow_up_about_a_thing_of_its_own_keeps_the_scene_not_the_answered_question():
    history = [Turn(role="user", content="My train home from Lyon has been cancelled and the travel desk is closed. "
                                         "Who do I call?"),
               Turn(role="assistant", content="Call the 24-hour line on +44 113 496 0000.")]
    standalone, how = condense("They're asking me for some kind of company code - what is it?", history)
    assert how == "rule" and "Who do I call" not in standalone and "company code" in standalone, standalone
    # a greeting sets no scene: the question it opened is carried along
    greeted = [Turn(role="user", content="Hi, sorry, another question! How many unused days can I carry over?"),
               Turn(role="assistant", content="Up to 8 days.")]
    standalone, _ = condense("Thanks! And as I'm in the Lyon office, by when would I have to use them?", greeted)
    assert "carry over" in standalone, standalone


def test_the_previous_question_under_another_case_is_carried_along():
    # (a guard: a follow-up with new words of its own keeps only the scene when it asks a thing of its own)
    history = [Turn(role="user", content="I'm just back from a long secondment and I'm now managing a new starter in "
                                         "Oslo. How long is their probation?"),
               Turn(role="assistant", content="For Oslo contracts, probation lasts 6 months.")]
    standalone, _ = condense("And if they'd been hired on a Swedish contract for an ordinary role?", history)
    assert "probation" in standalone, standalone


def test_a_place_named_with_s_is_no_plural_for_them():
    # (a guard: once the 'it' of 'is it fine' points at nothing, 'them' is the pointer read)
    history = [Turn(role="user", content="Can I bring a customer into the Leeds office for a meeting tomorrow?"),
               Turn(role="assistant", content="Yes, if you register them in Perch by 17:00 the day before.")]
    standalone, _ = condense("And in Lyon, is it fine if I register them the day before?", history)
    assert "the Leeds the day" not in standalone and "register them" in standalone, standalone


def test_a_bare_what_is_it_asks_of_the_thing_before_it():
    assert "company code" in scene_and_question("They're asking me for some kind of company code - what is it?")[1]


def test_a_thing_asked_of_after_the_question_is_a_part_of_its_own():
    assert question_parts("Tell me what time the Lyon office shuts on weekdays, and the number for reception.") == \
        ["Tell me what time the Lyon office shuts on weekdays?", "What is the number for reception (Lyon)?"]
    # one thing compared with another stays one question
    assert len(question_parts("What is the difference between the Leeds rate, and the Porto one?")) == 1


def test_rows_in_no_unit_of_the_length_asked_about_are_a_case_not_stated(ask):
    leave = section("| Completed service | Annual leave |\n|---|---|\n| Less than 3 years | 25 days |\n"
                    "| 3 years or more | 26 days |\n\nGive notice of at least twice the length of the leave you are "
                    "requesting: two weeks off needs four weeks' notice.\n", "Annual leave", "How much leave you get")
    answer = ask("How far in advance should I ask before going away for a fortnight?", [leave])
    assert answer.startswith("Give notice of at least twice the length"), answer


def test_a_price_asked_for_as_a_request_is_not_answered_by_a_discount():
    question = "Looking for the monthly price of the Harbour Street parking pass for staff once discounted."
    assert valued_things(question) == [frozenset(content_terms("Harbour Street parking pass"))]
    discount = "Staff get a 20% discount on a monthly pass at the Harbour Street car park, 300 metres away."
    assert speaks_without_value(question, [discount])
    assert not speaks_without_value(question, ["A monthly pass at the Harbour Street car park costs £80."])


def test_days_taken_into_a_named_year_are_carried_over():
    said = {t for w in policy_words("How many of them can I take into 2027?") for t in content_terms(w)}
    assert content_terms("carry over") <= said


def test_what_a_does_that_change_follow_up_adds_is_its_statement():
    words = follow_up_words("The hotel includes breakfast though. Does that change anything?")
    assert content_terms("hotel breakfast") <= words, words


@pytest.mark.parametrize("question", [
    "Got a sign-in push I never started and I think I tapped approve by mistake. Tell me what to do now.",
    "My card was declined abroad and I'm not sure what to do.",
])
def test_what_to_do_asked_as_a_request_asks_for_steps(question):
    assert question_kind(question) == "steps"


def test_too_ill_to_come_to_work_is_the_first_days_procedure():
    said = {t for w in policy_words("What should I do if I am too ill to come to work?") for t in content_terms(w)}
    assert content_terms("first day") <= said


def test_what_people_said_is_why_a_rule_changed_not_the_rule(ask):
    changed = section("After the 2025 staff survey, many people said that 5 days was too little for those on long "
                      "field deployments in the autumn.\n\nYou may carry over up to 8 days of unused annual leave "
                      "into the next leave year.\n", "Leave carry-over policy", "What changed")
    answer = ask("Autumn deployments ate into my holiday. How many unused days am I allowed to take into next year?",
                 [changed])
    assert answer.startswith("You may carry over up to 8 days"), answer


def test_then_what_percentage_is_a_part_of_its_own():
    assert question_parts("Oslo sick pay: how many days at full pay, then what percentage?") == \
        ["Oslo sick pay: How many days at full pay?", "Oslo sick pay: What percentage?"]
    # a piece of two words that asks no value stays with the question
    assert len(question_parts("How long is probation, and which role?")) == 1


def test_does_that_change_what_i_may_claim_adds_its_condition():
    history = [Turn(role="user", content="I will spend three nights in Oslo next month. What per diem may I claim?"),
               Turn(role="assistant", content="The overnight per diem is €70 per night.")]
    standalone, _ = condense("And if the hotel rate includes breakfast, does that change what I may claim?", history)
    assert standalone.startswith("And if the hotel rate includes breakfast. I will spend"), standalone
    words = follow_up_words("And if the hotel rate includes breakfast, does that change what I may claim?")
    assert content_terms("hotel breakfast") <= words, words
