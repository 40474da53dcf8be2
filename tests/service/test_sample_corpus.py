"""The extractive default on the sample corpus (corpus/, real index): right sources, key facts, abstentions."""

from __future__ import annotations

import pytest

from ragqa.service.composition import build_components

ANSWERABLE = [
    ("How many days of annual leave do full-time staff in Leeds get?", "hr/annual-leave-leeds", "25 days"),
    ("How much annual leave do Porto employees receive?", "hr/annual-leave-porto", "23"),
    ("How many unused leave days can I carry over into next year?", "hr/leave-carry-over-2026", "8 days"),
    ("What is the minimum length of a password?", "it/password-and-mfa", "14 characters"),
    ("How long does a VPN session last before I must approve MFA again?", "it/vpn-and-remote-access", "12 hours"),
    ("What is the mileage rate for driving my own car on business in the UK?", "finance/expense-claims-ledgerly",
     "45p"),
    ("What is the per diem for an overnight stay in the UK?", "travel/per-diem-rates-2026", "£55"),
    ("Which travel agency must we use to book business travel?", "travel/booking-travel", "Skyroute"),
]
UNANSWERABLE = [
    "Who is our dental insurance provider?",
    "What is the recipe for the canteen's lentil soup?",
    "Which football team does the CEO support?",
    # 'cycle' stands for a bike alone; the laptops' 'replacement cycle' says nothing of a scheme
    "Does Fernhill run a cycle-to-work scheme for buying a bike through salary sacrifice?",
]


@pytest.fixture(scope="module")
def service(sample_index, embedder):

    return build_components(sample_index, embedder=embedder).answers


@pytest.mark.parametrize("question, source, fact", ANSWERABLE)
def test_answers_with_the_right_source_and_fact(service, question, source, fact):
    answer = service.answer(question)
    assert not answer.abstained, question
    assert answer.citations[0].doc_id == source, [c.doc_id for c in answer.citations]
    assert fact in answer.answer
    assert answer.grounded


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_abstains_on_what_the_corpus_does_not_cover(service, question):
    answer = service.answer(question)
    assert answer.abstained and not answer.citations, answer.answer


def test_a_changed_policy_is_answered_from_the_current_article_first(service):
    answer = service.answer("How many unused leave days can I carry over into next year?")
    assert answer.citations[0].doc_id == "hr/leave-carry-over-2026"
    assert answer.answer.index("8 days") < answer.answer.find("5 days") if "5 days" in answer.answer else True


def test_a_follow_up_in_a_conversation(service):
    from ragqa.service.models import Turn

    history = [Turn(role="user", content="How many days of annual leave do full-time staff in Leeds get?"),
               Turn(role="assistant", content="25 days [1].")]
    answer = service.answer("And in Porto?", history=history)
    assert any(c.doc_id == "hr/annual-leave-porto" for c in answer.citations) and "23" in answer.answer


@pytest.mark.parametrize(("previous", "follow_up", "fact", "earlier_fact"), [
    # the follow-up's own words ('carry over', 'above') choose the answer, not the question it continues
    ("How many days of annual leave do Porto staff get?", "And how many can they carry over?", "8 days", "23"),
    ("What's the hotel cap in Lisbon?", "What if I need to go above it?", "director", "€140"),
])
def test_a_follow_up_is_answered_by_what_it_adds(service, previous, follow_up, fact, earlier_fact):
    from ragqa.service.models import Turn

    history = [Turn(role="user", content=previous), Turn(role="assistant", content=service.answer(previous).answer)]
    answer = service.answer(follow_up, history=history)
    assert answer.standalone_method == "rule" and fact in answer.answer
    assert earlier_fact not in answer.answer.split(".")[0], answer.answer


def test_words_about_the_conversation_change_nothing(service):
    plain = service.answer("If I'm off sick for 10 days in Leeds, do I need a doctor's note?")
    prefixed = service.answer("Separate thing - if I'm off sick for 10 days in Leeds, do I need a doctor's note?")
    assert "8th calendar day" in plain.answer.split("[")[0]
    assert prefixed.answer == plain.answer


def test_what_to_try_is_answered_with_the_whole_list_of_steps(service):
    answer = service.answer("I'm in a hotel and Fernhill Connect just won't connect. What should I try?")
    assert "accept terms" in answer.answer and "Collect diagnostics" in answer.answer, answer.answer


def test_a_step_added_with_also_follows_the_step_it_adds_to(service):
    answer = service.answer("How do I report a lost laptop?")
    assert "within 1 hour" in answer.answer and "Security team" in answer.answer
    assert answer.answer.index("within 1 hour") < answer.answer.index("Security team"), answer.answer


def test_a_stated_figure_is_answered_by_the_threshold_it_is_checked_against(service):
    # 8 months is under the 12 the rule asks for: the rule answers, though the figure does not fit its range
    answer = service.answer("been here about 8 months, can I sign up to be a buddy?")
    assert "at least 12 months" in answer.answer.split("[")[0], answer.answer


def test_two_parts_answered_by_two_rows_of_one_table(service):
    # the timetable's rows read alike ('Where the date is ..., the step is ...') but are two records
    answer = service.answer("When do managers get the pay letters, and when do the new salaries actually kick in?")
    assert "25 March 2026" in answer.answer and "1 April 2026" in answer.answer, answer.answer


def test_a_compound_questions_it_is_the_first_parts_subject(service):
    answer = service.answer("How long is probation for a Leeds contract, and how much notice do I have to give if I "
                            "want to leave during it?")
    assert "6 months" in answer.answer and "one week's notice" in answer.answer, answer.answer


def test_a_follow_up_naming_another_place_is_answered_without_padding(service):
    from ragqa.service.models import Turn

    history = [Turn(role="user", content="How many days of annual leave do I get in Leeds?"),
               Turn(role="assistant", content="25 days [1].")]
    answer = service.answer("and for Porto?", history=history)
    alone = service.answer(answer.standalone_question)
    assert "23" in answer.answer and answer.answer == alone.answer


def test_a_follow_up_about_another_destination_is_answered_by_the_row_covering_it(service):
    from ragqa.service.models import Turn

    # the follow-up asks about a trip; every row of the approvals table is about one, whether or not its words say
    # 'Trip' (the label column's header)
    history = [Turn(role="user", content="Who needs to approve my trip from Leeds to Porto?"),
               Turn(role="assistant", content="Your line manager [1].")]
    answer = service.answer("And if it's a trip to Singapore?", history=history)
    assert answer.answer.startswith("For Outside Europe"), answer.answer


def test_a_later_part_is_about_the_thing_the_first_part_asks_about(service):
    # 'a session' alone is closer to probation's length than to the VPN's; read after the first part, it is the VPN's
    answer = service.answer("what's the vpn app called and how long does a session last")
    assert "Sessions last 12 hours" in answer.answer, answer.answer
    assert "probation" not in answer.answer, answer.answer


def test_a_desk_question_is_answered_by_its_row_of_the_desks_table(service):
    # 'reserve a desk' is booking one: the 'Book up to' row answers, not the rows that say 'desk'
    answer = service.answer("I work out of the Porto office - how far ahead am I allowed to reserve a desk?")
    assert answer.answer.startswith("For Book up to, Porto is 7 days ahead"), answer.answer


def test_each_part_keeps_its_own_answer_when_one_sentence_suits_both(service):
    # the code-freeze row ties for 'how often' but is the only answer to 'when is the freeze': the fortnightly
    # sentence answers the first part
    answer = service.answer("how often does the cloud release train go out, and when's the code freeze before it?")
    assert "fortnightly" in answer.answer and "Monday 12:00" in answer.answer, answer.answer
    assert answer.answer.index("fortnightly") < answer.answer.index("Monday 12:00")


@pytest.mark.parametrize(("question", "fact"), [
    ("What is the hotel cap in Madrid?", "€150"),  # 'Other European cities'
    ("What's the hotel limit in Manchester?", "£120"),  # 'Elsewhere in the UK'
    ("What's the overnight rate for New York?", "$90"),  # 'USA and Canada'
    # 'Outside Europe': the row is as near in meaning as it is to '... a trip to Outside Europe?'; and 'singl'
    # (single sign-on) in the article does not mention Singapore
    ("Who approves a trip to Singapore?", "Your director"),
    ("Who signs off a business trip to Japan?", "Your director"),
    # where the trip starts ('Leeds', which the Europe row names) is not where it goes
    ("Who needs to approve my trip from Leeds to Singapore?", "Your director"),
    ("How far ahead do I need approval for a trip from Leeds to Toronto?", "At least 21 days"),
    # the article names the USA in its per diem table, not in the table of hotel caps
    ("What is the hotel cap in the USA?", "£190"),
    # a list of items labelled by country ('UK: 45p per mile', 'Portugal: €0.40 per km') counts as a table
    ("What is the mileage rate for driving to Braga?", "€0.40 per km"),
])
def test_a_place_the_table_does_not_list_is_answered_by_the_row_covering_it(service, question, fact):
    answer = service.answer(question)
    assert not answer.abstained and fact in answer.answer.split("[")[0], answer.answer


@pytest.mark.parametrize("question", [
    "What % does Fernhill contribute to the pension of Leeds staff?",  # the leave page's lede had answered it
    "What is the phone number of the field duty coordinator?",  # the article gives a channel, no number
    # no article speaks of pensions: the sick-pay row ('Full pay ... paid by Fernhill') had answered them
    "How much does Fernhill pay into my pension each month on a Leeds contract?",
    "Does Fernhill pay anything towards my pension if I'm on a Porto contract?",
    "What percentage does Fernhill pay into my pension?",  # the sick-pay row's 'tops it up to 90%' had answered
    # the car park article gives the staff discount (20%), not what the pass costs
    "What does a monthly pass at the Trindade car park cost with the staff discount?",
    "A colleague wants to know how much a monthly pass at the Trindade car park actually costs after the discount.",
    "What's the Skyroute portal web address?",  # the articles name the portal, never its address
    "Unrelated, but how much extra am I paid for being on the sensor fleet on-call rota?",  # days in lieu, no sum
    "Does Fernhill pay for eye tests?",  # 'test' is the fire alarm's; no article speaks of eyes
    "Is there a charge for using the electric car chargers in the Leeds car park?",  # chargers counted, not priced
    # a letter (a guard: the 2026-12-05 starting code abstained on it too, for the letter's words); a badge's €10
    # replacement is another thing
    "Dear Facilities, could you tell me how much a monthly pass at the partner car park costs with the staff "
    "discount? Kind regards",
])
def test_a_question_asking_for_a_value_the_articles_lack_abstains(service, question):
    answer = service.answer(question)
    assert answer.abstained, answer.answer


def test_a_situation_the_article_counts_as_an_incident_is_answered_with_reporting_it_first(service):
    answer = service.answer("I clicked a link in a phishing email. What should I do?")
    assert answer.answer.startswith("Report an incident within 1 hour"), answer.answer
    assert "Do not delete the suspicious email" in answer.answer  # the steps follow, whole


def test_the_rule_answers_before_its_exceptions_unless_the_question_states_one(service):
    rule = service.answer("How many days of leave can I carry over?")
    assert rule.answer.startswith("You may carry over up to 8 days"), rule.answer
    sick = service.answer("Can I carry over more days if I was off sick for months?")
    assert "Long-term sickness" in sick.answer.split("[1]")[0], sick.answer


@pytest.mark.parametrize(("question", "fact"), [
    # a place named before the question picks the row when the question names none
    ("I'm visiting a client in Madrid next month. What is the hotel cap?", "€150"),
    # the articles speak of trips and business travel, never of a 'work trip': 'work' names no other kind of trip
    ("What is the overnight meal allowance on a work trip in the UK?", "£55"),
    # the rates table lists 'USA and Canada', and no passage the question finds names New York
    ("What's the per diem for a day trip to New York?", "$25"),
    # weekdays are Monday to Friday, not 'the office closes at 13:00 on 24 December' (another article's 'closes')
    ("Porto office closing time on weekdays?", "19:30"),
    # turning up is arriving
    ("Starting at the Porto office next week - what time should I turn up on my first morning, and what should I"
     " bring?", "09:30"),
    # 'Also report it to the Security team' answers 'who do I tell' or 'first thing' only with the step it adds to
    ("Someone pinched my work laptop from the office kitchen. Who do I tell, and how fast?", "within 1 hour"),
    ("my laptop was stolen from my bag on the tube, first thing I should do?", "within 1 hour"),
])
def test_the_fact_leads_an_answer_to_a_question_worded_around_it(service, question, fact):
    answer = service.answer(question)
    assert not answer.abstained and fact in answer.answer.split("[1]")[0], answer.answer


def test_a_step_added_with_also_brings_the_step_it_adds_to(service):
    # 'last night' is a time, not a kind of car; 'Also report it to the Security team' needs the step before it
    answer = service.answer("my work laptop got stolen out of my car last night, what do I need to do?")
    assert answer.answer.startswith("Report a lost or stolen device to the help desk within 1 hour"), answer.answer
    assert "Security team" in answer.answer


@pytest.mark.parametrize("question", [
    "Got flu and I'm not coming in today. What should I do?",
    "Came down with a stomach bug overnight, so I'm not coming in today. What do I need to do?",
    "Down with covid, won't be in today, sorry. What should I do?",
    "I'm too unwell to come to work today - what's the process?",  # 'what's the process?' asks for steps
    # the question's own words find the evidence rules ('From the 8th calendar day: a fit note'); what 'today'
    # means, the first day, finds the section headed so, and its call by 09:30 leads
    "Woke up with a temperature and I'm not going to make it in today. I'm Leeds-based - what do I need to do?",
    "Woke up with a fever and can't come in today. I'm in Leeds - how do I let work know?",
    # 'If you fall ill during annual leave, tell your manager ...' is for someone on leave, which the asker never
    # said; the Leeds evidence list names nobody to tell
    "Woke up with a migraine and I'm not coming in today. Who do I have to tell, and by when? I'm Leeds based.",
    "Came down with flu overnight so won't be in today - who do I have to notify and by when? Leeds",
])
def test_sick_today_is_answered_with_the_first_days_steps(service, question):
    # the day an absence starts is its first day: not what happens on coming back or after a week
    answer = service.answer(question)
    assert answer.answer.startswith("Call your line manager"), answer.answer


def test_a_situation_listed_as_an_incident_brings_what_its_item_says_to_do(service):
    answer = service.answer("I just hit approve on an authenticator request I didn't start. what now?")
    assert "deny them and call the hotline" in answer.answer, answer.answer


def test_the_rule_leads_over_a_table_row_for_a_range_the_question_does_not_state(service):
    answer = service.answer("How many days of annual leave do Leeds staff get?")
    assert answer.answer.startswith("Full-time staff receive 25 days of annual leave"), answer.answer
    stated = service.answer("I've been at Fernhill for 6 years. How many days of annual leave do I get in Leeds?")
    assert "27 days" in stated.answer.split("[1]")[0], stated.answer  # a stated figure still picks its row


def test_a_case_the_article_counts_as_an_incident_brings_its_instruction_though_not_retrieved(service):
    # the 'How to report' section ('Report an incident within 1 hour') shares no word with the question and is not
    # among the retrieved passages; the case, listed under 'What counts as an incident', brings it. The step written
    # for the asker's case is quoted alone, not the list's other steps ('Do not turn off an infected computer').
    answer = service.answer("I entered my passphrase on a fake sign-in page from an email. What should I do?")
    assert answer.answer.startswith("Report an incident within 1 hour"), answer.answer
    assert "change it now" in answer.answer and "Do not turn off" not in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "lead"), [
    # 'next week' had made 'Maximum days per week per person' (desk booking) the row the question names
    ("I'm taking a client to dinner next week. How much can I spend per person?",
     "Client or partner entertainment: up to £60"),
    # 'Authors should respond to comments within 2 working days' shares more words; the reviewers' rule answers
    # ('response' is a form of 'respond')
    ("How quickly should reviewers respond to a pull request?", "Reviewers should give a first response"),
    # 'Install Fernhill Authenticator ...' shares more words; the steps under 'If you have also lost your MFA
    # device:' are written for the asker's situation
    ("I've forgotten my passphrase and the phone with my authenticator app was stolen. How do I get back in?",
     "If you have also lost your MFA device: Call the help desk on ext 4357"),
])
def test_the_answer_leads_with_the_rule_for_what_and_whom_the_question_asks(service, question, lead):
    answer = service.answer(question)
    assert answer.answer.startswith(lead), answer.answer


def test_a_follow_up_about_the_counted_things_is_answered_by_their_deadline(service):
    from ragqa.service.models import Turn

    history = [Turn(role="user", content="How many days of leave can I carry over into next year?"),
               Turn(role="assistant", content="Up to 8 days [1].")]
    answer = service.answer("and by when do I have to use them? I'm in Leeds", history=history)
    # not 'The rules on ... by when you must use them, are set out in the Leave carry-over policy', which holds
    # the follow-up's own words but only says where the rules are
    assert answer.answer.startswith("For Leeds and UK contracts, Carried days must be taken by 30 June"), answer.answer


def test_smoke_is_read_as_the_fire_the_articles_speak_of(service):
    """No passage says 'smoke' or 'bin'; read as a fire, the question is answered from the fire procedures."""
    answer = service.answer("There's smoke coming out of a bin in the kitchen on our floor - what's the first thing "
                            "I should do?")
    assert not answer.abstained and answer.citations[0].doc_id == "facilities/fire-safety-and-first-aid", answer


def test_a_temperature_and_not_making_it_in_is_a_sickness_absence(service):
    answer = service.answer("woke up with a temperature, not going to make it in today. who do I need to tell and "
                            "by when?")
    assert not answer.abstained and "09:30" in answer.answer.split("[1]")[0], answer.answer


def test_a_question_in_everyday_words_finds_the_passage_in_policy_words(service):
    """'left my laptop on the train' is what the articles call a lost laptop: the keyword hits for the question
    read in policy words join its passages (ragqa/policy_words.py), and the lost-laptop row answers."""
    answer = service.answer("I think I left my work laptop on the train home. What should I do?")
    assert not answer.abstained and answer.answer.startswith("For Lost company laptop"), answer.answer


def test_the_section_headed_with_the_policy_word_and_the_askers_thing_is_read(service):
    """'Left my laptop on the train' is a lost laptop: of the keyword hits for it in policy words, the section
    headed 'Lost or stolen laptops and phones' is read, though short passages saying 'lost' and 'missing' more often
    ('Lost receipts') rank above it, and its rule (the hour to report in) is in the answer."""
    question = "Left my work laptop on the train this morning. What do I need to do?"
    retriever = service.index.retriever()
    headings = [h.chunk.headings[-1] for h in service._retrieve(retriever, question, service.settings.top_k, None)]
    assert "Lost or stolen laptops and phones" in headings, headings
    answer = service.answer(question)
    assert "within 1 hour" in answer.answer, answer.answer


@pytest.mark.parametrize("time", ["at 10pm", "at 22:00", "at 6.30pm"])
def test_a_clock_time_the_asker_gives_is_no_name_the_articles_must_speak_of(service, time):
    """No article names the asker's '22:00': it is when their case happened, and must not read as a name every
    passage lacks (which lowers every sentence under the answer threshold)."""
    plain = service.answer("Just realised I left my work laptop on the train home. What do I need to do and how "
                           "quickly?")
    timed = service.answer(f"Just realised I left my work laptop on the train home {time}. What do I need to do and "
                           "how quickly?")
    assert not timed.abstained and "within 1 hour" in timed.answer, timed.answer
    assert timed.grounding.score == pytest.approx(plain.grounding.score, abs=0.05), (timed, plain)


def test_a_sum_the_asker_names_still_counts_as_a_name(service):
    """'the unused £400' is money: a sentence about carrying over leave days does not answer it, and no article
    says whether the learning budget carries over."""
    answer = service.answer("I only used £150 of my learning budget this year. Can I move the other £450 into next "
                            "year?")
    assert answer.abstained, answer.answer


def test_what_a_visitor_is_given_is_what_they_receive(service):
    """'What kind of badge will they be given?': the sentence saying what visitors receive answers it, not the one
    that names visitor badges beside what the question asks."""
    answer = service.answer("A customer is coming to see me at the Leeds office on Thursday. By when do I register "
                            "them, and what badge will they be given?").answer
    assert "17:00" in answer and "red visitor badge" in answer, answer


def test_an_attribute_asked_within_a_request_that_no_article_gives_is_not_found(service):
    """The travel insurance article gives cover limits, never an excess: asked politely, as asked plainly."""
    answer = service.answer("Could you tell me what the excess is on our travel insurance if my suitcase is stolen "
                            "abroad?")
    assert answer.abstained, answer.answer


def test_a_laptop_someone_else_left_on_a_train_is_lost_too(service):
    answer = service.answer("One of my team left his work laptop in a taxi last night. What does he need to do, and "
                            "how quickly?")
    assert "within 1 hour" in answer.answer, answer.answer


def test_a_scene_naming_several_things_no_article_speaks_of_counts_as_one_unknown_name(service):
    """'Peso da Régua', 'Tiago' and 'Project Heron' say where, with whom and why the asker drove: each is a name no
    article mentions, but together they lower every passage only as much as one would."""
    answer = service.answer("I'm on the Porto team and last week I drove my own car to check a river site near Peso "
                            "da Régua with Tiago for Project Heron. What rate can I claim for that, and how does the "
                            "money actually get paid to me?")
    assert not answer.abstained and "every Friday" in answer.answer, answer.answer


def test_a_pop_up_the_asker_did_not_trigger_is_an_unexpected_push_request(service):
    answer = service.answer("A login pop-up came up on my phone and I tapped approve without thinking, but it wasn't "
                            "me. What should I do?")
    assert "7111" in answer.answer, answer.answer


def test_a_thing_named_in_everyday_words_is_one_the_articles_speak_of(service):
    """'my staff pass' is what the Leeds office page calls a badge: the question is not about a thing no article
    speaks of, and the badge replacement rule answers."""
    answer = service.answer("I've managed to lose my staff pass again at the Leeds office, the second time now. "
                            "Will I have to pay for the new one?")
    assert "£10" in answer.answer, answer.answer


def test_each_part_gets_its_own_sentence_when_the_two_read_alike(service):
    """The Christmas allowance sentence reads almost like the holiday allowance one, which scores best for both
    parts: the second part still gets the sentence that says its own words and value."""
    answer = service.answer("For Porto staff, which month's pay includes the holiday allowance, and which includes "
                            "the Christmas allowance?").answer
    assert "June" in answer and "November" in answer, answer
    assert answer.index("June") < answer.index("November"), answer


def test_abstains_when_no_article_says_the_company_pays_for_what_it_names(service):
    # the VPN article names home broadband (use it to connect); nothing says Fernhill pays for it
    assert service.answer("Does Fernhill pay for my home broadband when I work from home?").abstained
    answer = service.answer("Does Fernhill pay for travel insurance on business trips?")
    assert not answer.abstained, answer.answer  # 'All employees are covered by the group policy'


def test_how_often_leads_with_the_frequency(service):
    # the lone-working steps say how often (every 2 hours) beside how late (30 minutes) and when (07:00-19:00)
    answer = service.answer("Doing a visual inspection on my own this afternoon - how often must I check in with the"
                            " duty coordinator?")
    assert "every 2 hours" in answer.answer.split("[1]")[0], answer.answer


def test_each_part_of_a_question_about_guests_is_answered(service):
    # two items of one short section are near twins in meaning, yet answer different parts
    answer = service.answer("We have guests from a university coming on Friday to the Leeds office - by when must"
                            " they be registered, and what badge colour do they get?")
    assert "17:00" in answer.answer and "red visitor badge" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "fact"), [
    # only two chunks name IPAF: the training table is read beside 'Work at height', though the fused ranking puts
    # tables that share the question's everyday words ('renewed') above it (service/answer.py, _rare_word_hits)
    ("How often does my IPAF ticket for the lamp-post platforms have to be renewed?", "5 years"),
    # too ill to come in at all: the first day's procedure, not the 'Coming back to work' section that 'come' names
    ("what do I have to do when I am too sick to come in", "09:30"),
    ("what does someone in my team have to do when they are too sick to come in", "09:30"),
    # 'the latest' stands for a time: no attribute the articles lack
    ("Woke up with a fever, no way I'm making it in today. What's the latest I should ring my boss?", "09:30"),
    # 'stolen' alone finds the lost card and the lost laptop; with 'the phone with my authenticator app' it finds
    # the steps for a lost MFA device
    ("Forgot my passphrase, and the phone with my authenticator app was stolen yesterday - how do I get back in?",
     "ext 4357"),
    # the scene's many words (sensor, lamp post, station) are said by no sentence that answers; relevance reads the
    # words that ask too, so the check-in rule is not abstained on
    ("I'm going out by myself this afternoon to look at an air-quality sensor at ground level on a lamp post near "
     "the station. Once I've begun, how often must I check in?", "every 2 hours"),
])
def test_the_first_sentence_holds_the_asked_fact(service, question, fact):
    answer = service.answer(question)
    assert fact in answer.answer.split("[")[0], answer.answer


@pytest.mark.parametrize(("question", "facts"), [
    # the later part's sentence holds the speed asked, under the threshold the scene draws it from
    ("A supplier visits me in the Leeds office on Thursday and will want the visitor Wi-Fi: when does that password "
     "change, and how fast will their connection be?", ["20 Mbit/s"]),
    # the sentence that answers the first part says no date: the leave year's bounds answer the second
    ("I work full time in Leeds. How many days of holiday do I get on top of bank holidays, and when does the "
     "holiday year reset?", ["25 days", "1 January"]),
    # 'they' are the new person's, not the fire alarm test's
    ("a new person is joining my team in Porto - when is the weekly fire alarm test there, and where do they go if "
     "it's a real evacuation?", ["11:00", "Carlos Alberto"]),
    # one sentence per part: the insurer's name, not the nearer row about personal days on a business trip
    ("who is our business travel insurer, and what's the policy number", ["Calder Mutual", "FH-TRV-2026-0412"]),
])
def test_each_part_of_a_compound_question_gets_its_own_fact(service, question, facts):
    answer = service.answer(question)
    assert all(fact in answer.answer for fact in facts), answer.answer


def test_a_follow_up_stating_the_askers_case_is_answered_for_it(service):
    from ragqa.service.models import Turn

    # six years of service: the row for 5 years or more, not the 25 days the conversation started from
    history = [Turn(role="user", content="How much annual leave do I get as a full-timer in Leeds?"),
               Turn(role="assistant", content="25 days a year plus the UK bank holidays.")]
    answer = service.answer("I've been here six years now - does that change it?", history=history)
    assert "27 days" in answer.answer, answer.answer


def test_the_askers_own_office_rule_leads_over_the_one_a_colleague_is_said_to_have(service):
    # the asker works in Porto; 'a Leeds colleague' in the scene is someone else: Porto's badge rule answers first
    # (the Leeds rule may still follow as company: not yet kept out)
    answer = service.answer("I'm based at the Porto office and lost my badge yesterday. Will I have to pay for a new "
                            "one? A colleague in Leeds says it's free the first time.")
    assert "€10" in answer.answer, answer.answer
    assert "£10" not in answer.answer or answer.answer.index("€10") < answer.answer.index("£10"), answer.answer


@pytest.mark.parametrize("question", [
    # the first part is about a thing the articles name without answering; 'it' in the second is that thing
    "Does Fernhill pay anything towards my home broadband bill, and how would I claim it?",
    # (a regression guard: this one abstained before too, its second part finding nothing above the gate)
    "How many weeks of paternity leave do UK staff get, and is it fully paid?",
])
def test_a_part_about_the_unanswered_first_parts_thing_is_not_answered_either(service, question):
    answer = service.answer(question)
    assert answer.abstained, answer.answer


def test_who_to_ring_for_a_case_listed_as_an_incident_is_the_hotline(service):
    # 'who should I phone?' asks for a contact: the help-desk sentences of the MFA article share more of its words,
    # but the asker's case is listed under 'What counts as an incident' and the incident page says whom to call
    answer = service.answer("Someone just sent me an authenticator prompt and I accidentally approved it although "
                            "I wasn't logging in. Who should I phone?")
    assert answer.answer.startswith("Report an incident within 1 hour"), answer.answer
    assert "ext 7111" in answer.answer and "deny them and call the hotline" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    "I think I've lost my company credit card, what should I do?",  # a company credit card is the corporate card
    "I left my company card in an Uber on the way to the airport, what do I do?",  # 'left it in an Uber': lost
    # the steps of the section the question names lead over a list the scene's words bring ('team dinner')
    "Pretty sure I left my company card in a taxi after the team dinner, what do I do?",
    # a belief to check ('Is it right that the first thing to do is ...?') asks for the first step all the same
    "I think I've lost my company card on the bus. Is it right that the first thing to do is tell my manager?",
])
def test_a_lost_card_is_answered_with_the_steps_its_section_heading_names(service, question):
    # the travel table's 'Lost company laptop or phone' row shares 'lost' and 'company' with the question; the
    # section 'Lost or stolen card' names two of its words, and its steps lead, in their order
    answer = service.answer(question)
    assert answer.answer.startswith("Freeze the card immediately"), answer.answer


def test_a_compound_question_typed_in_a_hurry_is_answered_part_by_part(service):
    # '(ugh).' ends a statement; 'and am I ...' starts a second question; '??' is one question mark
    answer = service.answer("Misplaced my Porto badge for the second time (ugh). how soon must I report it and am I "
                            "going to pay for a replacement??")
    assert "same day" in answer.answer and "€10" in answer.answer, answer.answer


def test_a_question_relayed_for_someone_is_read_by_what_it_asks(service):
    # '... and wants to know what the nightly cap was': the long scene (who asks, and why) thins the question's
    # words; relevance reads the relayed question's own too. A 2025 stay is answered by the rates of the time.
    answer = service.answer("A colleague in accounts is reviewing a September 2025 expense claim for a London hotel "
                            "and wants to know what the nightly cap was for that stay.")
    assert answer.answer.startswith("For London, the maximum per night is £150"), answer.answer


def test_a_scene_before_whats_typed_without_its_apostrophe_is_the_scene(service):
    # the scene's 'local supplier' is no thing the question asks about ('whats the most ...' asks the limit)
    answer = service.answer("Leeds field team here, about to pay a £600 invoice from a local supplier on my field "
                            "team card - whats the most I can put through in one go?")
    assert "£500" in answer.answer, answer.answer


def test_a_place_compared_with_is_not_the_place_asked_about(service):
    # 'like in Leeds' compares; the asker's contract is Porto's, whose row leads
    answer = service.answer("I'm on a Porto contract. Is my probation 6 months like in Leeds?")
    lead = "For Porto and Portuguese contracts, most roles, the probation period is 90 days"
    assert answer.answer.startswith(lead), answer.answer


def test_a_further_sentence_of_an_item_that_opens_with_a_question_is_about_that_question(service):
    # 'Forgot your badge? Reception issues a temporary day badge ...': the item's question names the case its
    # sentences answer, though they never say 'forgot'
    answer = service.answer("I came without my badge to the Leeds office this morning, how do I get in?")
    assert "temporary day badge" in answer.answer.split("[1]")[1], answer.answer


def test_a_near_miss_in_everyday_words_is_answered_with_the_rule_for_reporting_it(service):
    # 'almost tripped ... no one was injured' is a near miss; 'report it' reports the event, not the colleague
    answer = service.answer("No one was injured, but a colleague almost tripped into the canal at a field site today. "
                            "Should I report it?")
    assert "within 24 hours" in answer.answer.split("[1]")[0], answer.answer


def test_how_much_holiday_counts_days_a_deadline_does_not(service):
    # '30 April' (the carry-over row for Porto contracts) holds a figure but counts no days
    answer = service.answer("I'm moving from Leeds onto a Portuguese contract in Porto. How much holiday will I "
                            "have each year?")
    assert answer.answer.startswith("Full-time staff in Porto receive 23 working days"), answer.answer


def test_a_forwarded_question_naming_colleagues_in_passing_is_answered(service):
    # 'Bronwen' and 'Kofi' are people named in passing: no article need speak of them
    answer = service.answer('Forwarded from Bronwen in the Leeds field team: "We start the Aire Valley install next '
                            "week and Kofi says the card saves a lot of hassle. If a pump fails on site, what's the "
                            'most I can put on my field team card in one transaction?"')
    assert "£500" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    "Think I left my work laptop on the coach this afternoon. What should I do first?",
    "I left my work laptop on the train. Who do I call?",
])
def test_a_line_named_in_another_articles_table_gets_its_number(service, question):
    # the travel page's row says 'first call: IT help desk' without a number; the laptop page's rule gives it
    # (and the hour to report in)
    answer = service.answer(question)
    assert "ext 4357" in answer.answer and "within 1 hour" in answer.answer, answer.answer


def test_a_follow_up_typed_in_chat_shorthand_is_read_as_one(service):
    from ragqa.service.models import Turn

    # 'n for porto ppl?' is 'and for Porto people?': a follow-up, about Porto
    # (the history typed in lower case too: 'leeds' is the place)
    history = [Turn(role="user", content="how many days of annual leave do leeds staff get?"),
               Turn(role="assistant", content="25 days [1].")]
    answer = service.answer("n for porto ppl?", history=history)
    assert answer.standalone_method == "rule" and "23" in answer.answer, (answer.standalone_question, answer.answer)


@pytest.mark.parametrize(("question", "fact"), [
    ("whats the min length for my pw", "14 characters"),  # 'pw' is the password
    ("think my company card got nicked on the tram wat do i do", "Freeze the card"),
])
def test_a_question_in_chat_shorthand_is_answered(service, question, fact):
    answer = service.answer(question)
    assert fact in answer.answer, answer.answer


def test_where_to_meet_after_asking_about_the_alarm_is_the_assembly_point(service):
    # 'alarm ... where do we meet outside' is the assembly point, though the part asking it never says 'fire'
    answer = service.answer("when's the weekly fire alarm test in Leeds and where do we meet outside?")
    assert "Wednesdays" in answer.answer and "Canal Basin" in answer.answer, answer.answer


def test_a_when_that_sets_the_scene_asks_what_follows_it(service):
    answer = service.answer("When the fire alarm goes off in Leeds, where do we need to go?")
    assert "Canal Basin" in answer.answer.split("[1]")[0], answer.answer


def test_proof_of_purchase_is_a_receipt(service):
    answer = service.answer("Do I need proof of purchase for a £6 coffee on expenses?")
    assert "£10" in answer.answer, answer.answer


def test_the_price_of_a_thing_named_only_with_its_discount_is_not_given(service):
    # the office guide gives the car park's staff discount (20%), never the pass's price
    answer = service.answer("How much does the Parque Trindade monthly parking pass cost Porto staff?")
    assert not answer.citations, answer.answer


def test_what_a_visitor_must_bring_is_what_they_must_show(service):
    answer = service.answer("Two auditors are visiting the Porto office on Monday - do they need to bring anything?")
    assert "photo ID" in answer.answer.split("[1]")[0], answer.answer


def test_a_company_card_is_the_corporate_card(service):
    # (a guard: the card's own words found this phrasing before 'company card' stood for the corporate card)
    answer = service.answer("I can't find my company card anywhere, what do I do?")
    assert answer.answer.startswith("Freeze the card"), answer.answer


def test_a_line_named_for_one_part_of_a_compound_question_gets_its_number(service):
    # 'first call: Skyroute 24-hour line' answers which number to ring: the line's number comes with it, though
    # the question's last part asks for a code
    answer = service.answer("If a flight I booked for my manager is cancelled late at night, which number should she "
                            "ring and what account code does she quote?")
    assert "+44 113 496 0799" in answer.answer and "FERN-4471" in answer.answer, answer.answer


@pytest.mark.parametrize("question", [
    # the office guide names the Andante pass without the share Fernhill pays; the 20% it gives is the car park's
    "A colleague in Porto uses the Andante monthly pass. What percentage of the pass does Fernhill cover?",
    # the travel insurance article never speaks of an excess
    "If I claim for a damaged suitcase on the business travel insurance, is there an excess I have to pay?",
    # the Porto office guide names the meal allowance paid with the salary, never its amount
    "Porto colleague here - we get a meal allowance with our salary instead of a canteen. How much is it per day?",
])
def test_a_near_topic_detail_the_articles_never_give_is_not_answered(service, question):
    answer = service.answer(question)
    assert not answer.citations, answer.answer


def test_how_long_a_scheme_runs_for_is_how_long_it_lasts(service):
    # 'at least 12 months' is how long a buddy has been at Fernhill, not how long the buddy period lasts
    answer = service.answer("How long does the buddy scheme run for?")
    assert answer.answer.startswith("The formal buddy period lasts 3 months"), answer.answer


def test_a_trip_dated_this_year_gets_this_years_rates(service):
    from datetime import date

    # a date in the year the 2026 rates are in force is no question about the replaced 2024 rates
    year = max(2026, date.today().year)
    answer = service.answer(f"Our Leeds engineer is going to Glasgow on 10-12 March {year}, two nights, hotel without "
                            "breakfast. What per diem can he claim per night?")
    assert answer.answer.startswith("For UK domestic, the overnight rate (per night) is £55"), answer.answer


def test_an_extension_asked_for_is_given_by_its_value(service):
    # 'extension' is named by no article ('Reception: ext 3000'): a contact given by its value, not an unknown thing
    answer = service.answer("What's the extension for reception in the Porto office?")
    assert "ext 3000" in answer.answer, answer.answer
