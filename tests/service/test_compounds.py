"""Kinds of a thing: a question about 'bereavement leave' is not answered by articles that only know annual and sick
leave (real embedding model for the closeness in meaning; the passages are written here)."""

from __future__ import annotations

import pytest

from ragqa.service.compounds import (
    absent_phrase,
    asked_attribute,
    asked_category,
    asked_object,
    object_kind,
    other_kind,
    question_compounds,
    unknown_kinds,
    unknown_thing,
)
from ragqa.service.llm.base import Passage
from ragqa.service.llm.extractive import ExtractiveLLM
from ragqa.words import content_terms
from tests.service.conftest import section

LEAVE = section("## Entitlement\n\nFull-time staff in Oslo receive 26 working days of annual leave each calendar year, "
                "plus the Norwegian public holidays.\n\nSick leave is paid in full for the first 16 days of an "
                "absence.\n\nBook annual leave in StaffDesk at least two weeks ahead.\n", "Leave for Oslo staff",
                "Entitlement")
PROJECT = section("The Fjord Bridge will link the two ferry ports by 2031. Planners put its construction costs at 3.1 "
                  "billion kroner, and cost-sharing between the two counties is still under negotiation.\n",
                  "The Fjord Bridge", "Costs")
REVIEW = section("Every PR needs one approval before it is merged; a PR that changes the build needs two.\n",
                 "Code review", "Approvals")


@pytest.mark.parametrize(("question", "pairs"), [
    ("How many days of paid bereavement leave do Oslo staff get?", [("bereavement", "leave")]),
    ("When is the next Danish general election?", [("general", "election")]),  # a name inside the phrase
    ("What is the exchange rate of the krone to the euro?", [("exchange", "rate")]),
    ("What cabin class can I book?", []),  # the category the answer ('economy class') belongs to
    ("By when do staff have to use leave carried over from last year?", []),  # a verb and its object; a time
    ("Which meetings gave little reason for hope?", []),  # the subject's verb, with no auxiliary before it
    ("What's the hotel budget per night in Oslo?", [("hotel", "budget")]),  # 'per' ends the phrase
    ("How many days of carer's leave can I take?", [("carer", "leave")]),  # a possessive that names a kind
    ("Can I paste a client's meter readings into a chatbot?", [("meter", "readings")]),  # whose readings: no kind
    ("How long does a hotel refund take?", [("hotel", "refund")]),  # the question ends on the subject's verb
    ("What does the travel insurance cover?", [("travel", "insurance")]),
    # 'paid' after its subject is its verb, not a kind of thing ('the client company paid for my supper')
    ("If the client company paid for my supper, do I still get the full amount?", [("client", "company")]),
    # 'work' only says it is for work, as everything in the articles is ('a work trip' is a business trip); 'last
    # night' is a time
    ("My work laptop got stolen out of my car last night. What do I do?", []),
    ("What's the overnight meal allowance for a work trip?", [("overnight", "meal"), ("meal", "allowance")]),
    ("How many days of remote work can I do?", [("remote", "work")]),  # work as the thing itself
    # 'present' and 'proposed' place a thing in time, as 'current' does: not kinds of it
    ("What does the present deal cost?", []),
    ("How long is the proposed gas line?", [("gas", "line")]),
    ("What is Fernhill's current stock price?", [("stock", "price")]),  # a name's possessive opens a phrase
    # its size or worth is not a kind of it either ('a little heater' is a heater)
    ("Can I bring in a little heater for under my desk?", []),
    ("Is there a small fee for a quick car wash?", [("car", "wash")]),
    # a verb after a plural noun opens a clause: its object is a phrase of its own ('comments tying' is no kind)
    ("Where did Lena Voss post her remarks linking river tolls to the budget?", [("river", "tolls")]),
    ("How do I book the meeting room screens?", [("meeting", "room"), ("room", "screens")]),
    ("What does Norvik pay after the first three days?", []),  # a count, not a kind of day
    # a verb after a noun ('the minister insisted ...'), and words of degree ('a bit', 'a certain age'), name no kind
    ("Which Norlandic minister insisted troop cost-sharing isn't on the table?", []),
    ("Norland won't let in cattle over a certain age - what's the cutoff?", []),
    ("The visit made people there a bit uncomfortable - what phrases did he use?", []),
    ("Can I book a room booking for the whole team?", [("room", "booking")]),  # a noun in -ing still names one
    # after 'how many', the unit counted is no kind; how much of it is left is none either
    ("how many weeks paternity leave do they get", [("paternity", "leave")]),
    ("How many leftover holiday days can I roll over?", []),
])
def test_the_kinds_a_question_asks_about(question, pairs):
    assert question_compounds(question) == pairs


def _unknown(question: str, passage: Passage, embedder) -> list[str]:
    text = "\n".join((passage.title, *passage.headings, passage.text))

    def embed(texts):
        return embedder.embed_documents(texts)

    return unknown_kinds(question, question_compounds(question), text, content_terms(text), embed)


def test_a_kind_no_passage_speaks_of_is_unknown_unless_said_in_other_words(embedder):
    assert _unknown("How many days of paid bereavement leave do Oslo staff get?", LEAVE, embedder) == ["bereavement"]
    assert _unknown("How many days of annual leave do Oslo staff get?", LEAVE, embedder) == []
    assert _unknown("How many days of annual leave do Oslo staff get for a long year?", LEAVE, embedder) == []
    # 'building' is said as 'construction' (close in meaning); 'pull request' as 'PR' (its acronym); the passage
    # never speaks of a 'tag' at all, so its 'price tag' may be in other words
    assert _unknown("What is the building cost of the bridge?", PROJECT, embedder) == []
    assert _unknown("What is the price tag of the bridge project?", PROJECT, embedder) == []
    assert _unknown("How many approvals does a pull request need?", REVIEW, embedder) == []


def test_a_run_of_modifiers_names_the_kind_when_one_of_them_does(embedder):
    card = section("## Lost cards\n\nIf your corporate card is lost, freeze it in the app at once and tell Finance.\n",
                   "Corporate card", "Lost cards")
    # 'company' names the article's 'corporate' card; 'credit' alone would be a kind the article lacks
    assert _unknown("I've lost my company credit card. What should I do?", card, embedder) == []
    assert _unknown("I've lost my fuel card. What should I do?", card, embedder) == ["fuel"]


def test_a_sentence_about_another_kind_of_the_thing_is_recognised():
    pairs = question_compounds("How many days of bereavement leave do I get?")
    terms = content_terms(LEAVE.text)
    assert other_kind(pairs, "Staff receive 26 working days of annual leave.", terms)
    assert not other_kind(pairs, "Staff receive 26 working days of leave.", terms)
    # an article that names the asked kind somewhere: its other kinds are not flagged
    assert not other_kind(pairs, "Staff receive 26 working days of annual leave.", terms | {"bereav"})


def test_a_sentence_about_another_kind_is_recognised_where_the_article_names_the_asked_kind_too():
    article = "The summer allowance is paid in June. The winter allowance is paid with the December payroll."
    terms = content_terms(article)
    pairs = question_compounds("When is the summer allowance paid?")
    assert other_kind(pairs, "The winter allowance is paid with the December payroll.", terms, article)
    assert not other_kind(pairs, "The summer allowance is paid in June.", terms, article)
    # a sentence whose article's title says the modifier speaks of that kind ('Weekly alarm test' in 'Fire safety')
    fire = "Fire safety. Weekly alarm test: Mondays at 09:30. Never ignore a fire alarm."
    pairs = question_compounds("When is the fire alarm tested?")
    assert other_kind(pairs, "Weekly alarm test: Mondays at 09:30.", content_terms(fire), fire)
    assert not other_kind(pairs, "Weekly alarm test: Mondays at 09:30.", content_terms(fire), fire,
                          frozenset(content_terms("Fire safety")))


def test_a_question_about_a_kind_the_articles_lack_is_not_answered_with_another_kind(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    assert llm.select("How many days of annual leave do Oslo staff get?", [LEAVE])
    assert not llm.select("How many days of paid bereavement leave do Oslo staff get?", [LEAVE])
    assert not llm.select("How many weeks of paternity leave do Oslo staff get?", [LEAVE])
    assert not llm.select("My son is ill. How many days of carer's leave can I take?", [LEAVE])
    assert llm.select("How many days of sick leave are paid in full?", [LEAVE])


def _absent(question: str, passage: Passage, embedder) -> bool:
    text = "\n".join((passage.title, *passage.headings, passage.text))
    pairs = question_compounds(question, through_hyphens=True)
    return absent_phrase(question, pairs, text, content_terms(text), embedder.embed_documents)


def test_a_phrase_absent_whole_from_the_passages_is_unknown(embedder):
    # neither 'lunar' nor 'probe' (nor a word near them) in a text about a bridge
    assert _absent("When will Norway launch its next lunar probe?", PROJECT, embedder)
    # the head is there ('costs'): the usual kind check decides, not this one
    assert not _absent("What are the bridge's lunar costs?", PROJECT, embedder)
    # a generic attribute is given by its value, not named ('time limit' for 'at least two weeks ahead')
    assert not _absent("Is there a time limit for booking annual leave?", LEAVE, embedder)
    # what the question calls its source is no thing asked about
    assert not _absent("The opinion piece says the bridge opens when?", PROJECT, embedder)
    # nor a pronoun after a verb ('the situation Norway finds itself in')
    assert not _absent("How did planners describe the situation Norway finds itself in?", PROJECT, embedder)
    # nor a phrase the text says in policy words ('private chat' for its direct messages)
    chat = section("Natter keeps direct messages for 3 years and team channels for 5.", "Natter", "Natter")
    assert not _absent("How long are my private chat messages kept?", chat, embedder)


def test_a_hyphenated_modifier_keeps_the_phrase_open():
    question = "What is the limit on the interest-free season ticket loan?"
    assert question_compounds(question, through_hyphens=True) == [("season", "ticket"), ("ticket", "loan")]
    assert question_compounds(question) == []  # the kind check reads the words as before


OFFICE = section("## Getting in\n\nBring your staff badge every day; visitors sign in at reception and are escorted. "
                 "Bicycles can be left in the locked racks behind the building. The office opens at 07:30 and closes "
                 "at 19:00.\n", "Oslo office guide", "Getting in")


@pytest.mark.parametrize(("question", "thing"), [
    ("Can I bring my cat to the office?", "cat"),
    ("Can I get a salary advance before payday?", "advance"),  # the head of the phrase
    ("Is there an employee share scheme?", "scheme"),
    ("Do I still get my second sign-in factor by text message?", "factor"),
    ("Does Acme pay for airport lounge membership?", "membership"),  # a company as the subject; 'pay for'
    ("Can I claim for a taxi home?", "taxi"),  # 'home': where to, not what
    ("Can I park at the office?", "office"),  # what the verb is done at, from or with
    ("Can I work from home on Fridays?", "home"),
    ("How do I change how much I pay into my pension each month?", "pension"),  # what money goes into
    ("What sets how much Norway pays toward the upkeep of the troops?", ""),  # not the asker's money
    ("Do I need something from my doctor?", ""),  # an indefinite word names nothing
    ("Is there an approved tool for storing passwords?", ""),  # a category the articles name by its member
    ("Is there any money available for a training course?", ""),  # 'available' says how the money is
    ("Is there a gym available at the office?", "gym"),
    ("Am I allowed to bring my cat into the Oslo office?", "cat"),  # 'am I allowed to'
    ("unrelated, but does acme give any discount on gym membership?", "membership"),  # an aside; a company in
    # lower case; what a discount is on
    ("Do I still get the full amount?", ""),  # a quantity of something named elsewhere
    ("Can I get my work stuff like email on my own phone?", ""),  # 'stuff' names nothing an article would
    ("Can I install Fernhill Connect at home?", ""),  # a name is left to the name check
    ("How many days do I get?", ""),  # not a yes/no question
    ("How much does Acme put into my pension each month?", "pension"),  # what an amount goes into or towards
    ("How much do they pay towards a gym membership?", "membership"),
    ("How much can I spend on a client dinner?", ""),  # what it is spent on may be named in other words
    ("Does Acme pay anything towards my home broadband?", "broadband"),  # an indefinite object, and its purpose
    ("Does the company contribute anything to my pension?", "pension"),
    ("Is there anything to eat?", ""),
    ("Can I expense part of my home broadband bill?", "bill"),  # a share of the thing asked about
    ("Can I claim the cost of a gym membership?", "membership"),
    ("Is it OK to paste a chunk of our source code into a chatbot?", "code"),  # an amount of the thing asked about
    ("Can I send a copy of the contract to my own email?", "contract"),
    ("What percentage does Acme pay into my pension?", "pension"),  # a share of an amount, what it goes into
    ("what does Acme put into our pension each month, as a percentage?", "pension"),
    ("can one of my team bring their dog into the Oslo office now and then", "dog"),  # a manager asks for them
    ("Can my report bring her bike inside?", "bike"),
    ("Can I book anything better than economy?", ""),  # a comparative names no thing
    ("Can I get something cheaper instead?", ""),
])
def test_the_thing_a_yes_no_or_how_much_question_asks_about(question, thing):
    assert asked_object(question) == thing


@pytest.mark.parametrize(("context", "asked", "thing"), [
    ("My laptop bag broke on a trip.", "Can I expense a new one?", "bag"),  # 'broke': the verb ends the phrase
    ("My phone crashed yesterday.", "Do I need a new one?", "phone"),
    ("My glasses broke at my desk.", "Can I claim for them?", "glasses"),
    ("I bought a monitor.", "Can I claim it?", "monitor"),
    ("My laptop is 4 years old.", "Can I get one with more memory?", "laptop"),
    ("I work in Oslo.", "Can I bring one guest?", "guest"),  # 'one' counts a guest: no thing named before
    ("", "Can I get a new one?", ""),  # nothing named before: nothing to ask about
    # a pointer's own noun says what it points at: 'that money' is no bag, 'that bag' is
    ("Clearing out my bag I found an old taxi receipt.", "Can I still get that money back?", ""),
    ("My laptop bag broke on a trip.", "Can I claim that bag?", "bag"),
    # a yes/no question the scene reports, asked about by the question that follows
    ("A new starter asked whether they can bring their dog to the office.", "What's our policy?", "dog"),
    # what is reported is what happened, not the first thing the scene names
    ("Nobody was hurt, but one of my crew nearly slipped into the river.", "Do I need to report it?", ""),
])
def test_one_or_it_asks_about_the_thing_named_before_the_question(context, asked, thing):
    assert asked_object(asked, context) == thing


def test_a_thing_no_passage_speaks_of_by_word_or_meaning(embedder):
    text = "\n".join((OFFICE.title, *OFFICE.headings, OFFICE.text))

    def unknown(question):
        return unknown_thing(question, asked_object(question), text, content_terms(text), embedder.embed_documents)

    assert unknown("Can I bring my cat to the office?")
    assert not unknown("Can I bring my bicycles to the office?")  # the word itself
    assert not unknown("Can I bring my bike to the office?")  # a word close in meaning: 'bicycles'
    # only the words of the sentences given as nearest are compared by meaning (a few, not every retrieved word)
    # ('cyclists', close to 'Bicycles' in meaning, has no policy word: 'bikes' now has, as 'bike' always had)
    far = "Bring your staff badge every day."
    assert not unknown_thing("Can we bring cyclists?", "cyclists", text, content_terms(text),
                             embedder.embed_documents)
    assert unknown_thing("Can we bring cyclists?", "cyclists", text, content_terms(text), embedder.embed_documents,
                         near=far)
    # a policy word for it is looked for in all of the text ('bike': 'bicycle'; ragqa/policy_words.py)
    assert not unknown_thing("Can I bring my bike?", "bike", text, content_terms(text), embedder.embed_documents,
                             near=far)


@pytest.mark.parametrize(("question", "attribute"), [
    ("What is the population of Oslo?", "population"),
    ("What's the seating capacity of the boardroom?", "capacity"),
    ("What's the excess on the travel insurance if my bag is stolen?", "excess"),
    ("What is the name of the data protection officer?", ""),  # a name answers without the word 'name'
    ("What is the deadline for expense claims?", ""),
    ("What's the estimated price tag of the bridge project?", ""),  # the price, under another name
    ("What is the most I can claim for a dinner?", ""),  # not a noun phrase
    ("How many people work in Oslo?", ""),
    ("What's the latest I should ring my boss?", ""),  # a superlative stands for a time, not an attribute's name
    ("Before I fill in the forms, what's the excess I'd have to pay on a claim?", "excess"),  # 'I'd have to pay'
    # asked within a request, or typed without the apostrophe
    ("Could you tell me what the excess is on the travel insurance if my bag is stolen?", "excess"),
    ("Do you know what the seating capacity of the boardroom is?", "capacity"),
    ("whats the excess on the travel insurance", "excess"),
    ("Could you tell me what the time is?", ""),
    ("whats the cutoff for getting my expenses in?", ""),  # a deadline, whatever the word
    # what is payable on something; whether there is one to pay
    ("What is the excess payable on a baggage claim?", "excess"),
    ("If I claim on the travel insurance, is there an excess I have to pay?", "excess"),
    ("If I claim on the travel insurance, is there an excess I've got to pay?", "excess"),  # 'I've got to'
    ("What's the deductible I've got to cover on a claim?", "deductible"),
    ("Is there a limit I have to pay?", ""),  # a limit is given by its value
])
def test_the_attribute_a_what_is_the_x_of_question_asks_for(question, attribute):
    assert asked_attribute(question) == attribute


@pytest.mark.parametrize(("question", "category"), [
    ("What programming language is the firmware written in?", ("programming", "language")),
    ("Which cabin class can I book?", ("cabin", "class")),
    ("What is the population of Oslo?", None),
    ("Which office is closer?", None),  # one word: a category too broad to check
])
def test_the_category_a_what_x_y_question_asks_for(question, category):
    assert asked_category(question) == category


@pytest.mark.parametrize(("question", "kind"), [
    ("Is there a cycle-to-work scheme?", ("cycle-to-work", "scheme")),
    ("does fernhill have a cycle to work scheme?", ("cycle-to-work", "scheme")),  # the hyphens left out
    ("Can I bring my laptop to work?", None),
    ("Do I still get my second sign-in factor by text?", ("sign-in", "factor")),
    ("Is there a salary sacrifice scheme?", None),  # left to question_compounds
    ("Can I bring my dog?", None),
])
def test_a_hyphenated_kind_of_the_thing_a_yes_no_question_asks_about(question, kind):
    assert object_kind(question) == kind


def test_a_yes_no_question_about_a_hyphenated_kind_no_passage_names_is_not_answered(settings_factory, embedder):
    buying = section("UK staff can buy up to 5 extra days of leave each year through the salary sacrifice scheme; "
                     "the cost is spread over the year's payslips.\n", "Buying leave", "How it works")
    llm = ExtractiveLLM(settings_factory(), embedder)
    assert not llm.select("Is there a cycle-to-work scheme so I can buy a bike through my salary?", [buying])
    assert llm.select("Is there a salary-sacrifice scheme to buy extra leave?", [buying])  # written with a space


def test_an_attribute_or_category_no_passage_speaks_of_is_not_answered(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    assert not llm.select("What is the population of Oslo?", [OFFICE])
    assert llm.select("What are the opening hours of the Oslo office?", [OFFICE])  # a generic attribute
    assert not llm.select("What programming language is the Oslo office badge system written in?", [OFFICE])
    assert llm.select("What time does the Oslo office open?", [OFFICE])


def test_a_yes_no_question_about_a_thing_the_articles_never_mention_is_not_answered(settings_factory, embedder):
    llm = ExtractiveLLM(settings_factory(), embedder)
    assert not llm.select("Can I bring my cat to the Oslo office?", [OFFICE])
    assert llm.select("Can I bring my bike to the Oslo office?", [OFFICE])
    assert not llm.select("My car is new. Can I park it at the Oslo office?", [OFFICE])  # "it": the car
    assert not llm.select("Can I work from home when the Oslo office is closed?", [OFFICE])  # from home
    assert llm.select("Can I cycle to the Oslo office?", [OFFICE])
    assert llm.select("My bicycle is new. Can I leave it at the Oslo office?", [OFFICE])


def test_a_person_category_is_answered_by_a_name_whatever_word_the_article_uses():
    # 'Which harbour official ...?' is answered by 'Deputy Harbourmaster Ines Ruiz ...': no sentence need say
    # 'official'; a thing category still counts ('What programming language ...?')
    assert asked_category("Which harbour official has pushed for night berths?") is None
    assert asked_category("What programming language is the firmware written in?") == ("programming", "language")


def test_a_tool_asked_for_by_its_category_is_answered_by_its_name(settings_factory, embedder):
    vault = section("## Storing passwords\n\nEveryone can use KeyHaven, the company password manager, for work logins "
                    "that single sign-on does not cover.\n", "Passwords", "Storing passwords")
    llm = ExtractiveLLM(settings_factory(), embedder)
    assert llm.select("Is there a company-approved tool for storing the logins that don't use single sign-on?",
                      [vault])


def test_a_site_no_passage_names_is_unknown(settings_factory, embedder):
    office = section("## Getting here\n\nThere is no car parking at the Porto office. Short-stay parking in the "
                     "street is very limited; the public car park nearby gives staff a discount.\n",
                     "Porto office guide", "Getting here")
    llm = ExtractiveLLM(settings_factory(), embedder)
    assert llm.select("Is there parking at the Porto office?", [office])
    assert not llm.select("Is there parking at the Lisbon office?", [office])  # Portugal too, but no such office


def test_a_phrase_the_passages_say_in_policy_words_is_no_unknown_kind(embedder):
    door = section("## Access\n\nThe street door opens with your badge. After 18:00 it also asks for your PIN.\n",
                   "Oslo office guide", "Access")
    # 'front door' is the building's 'street door' (ragqa/policy_words.py): not another kind of door
    assert _unknown("From what time does the front door want my PIN?", door, embedder) == []
    assert not other_kind([("front", "door")], "The street door opens with your badge.",
                          content_terms(door.text))
