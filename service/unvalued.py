"""A thing the articles name without giving the value asked of it.

'How much is the meal allowance Porto staff get?' over an article saying only 'Porto staff receive a meal
allowance with their salary': the passages speak of the meal allowance, none gives its amount, and the sentence
that holds an amount ('The merit pool is 3.2% of payroll') is about something else. Answering with it would be
a confident wrong figure; the answer is that the articles do not say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ragqa.dates import MONTHS, WEEKDAYS
from ragqa.places import place_of
from ragqa.policy_words import policy_words, wordings_and_words
from ragqa.sentences import STOPWORDS, content_terms
from ragqa.service.grounding import VALUE_KINDS
from ragqa.service.question_types import (
    REQUEST_OPENER,
    counted_kind,
    has_value,
    holds_typed_value,
    is_search_query,
    names_someone,
    question_kind,
    scene_and_question,
    split_questions,
    typed_value,
    without_request,
)
from ragqa.service.ranges import without_sums
from ragqa.words import acronym_terms, leading_content_words, matched_terms, stem

_DETERMINER = r"(?:the |a |an |my |our |your |this |that |these |those |his |her |their )?"


def _noun_phrase(least: int = 1, most: int = 3) -> str:
    """The pattern of the thing a question asks of, as group 'np': a lower-case word and `least` to `most` more,
    as few as the text after it allows."""
    return rf"(?P<np>[a-z][\w-]*(?: [a-z][\w-]*){{{least},{most}}}?)"


# 'How much is the meal allowance ...?', 'What is the season ticket loan limit?', 'How much does the pass cost?'
# 'How much of the Andante pass does Fernhill pay?', 'What's the most I can borrow through the season ticket loan?'
_VALUE_OF = re.compile(
    # 'how much do Porto staff get as a meal allowance?', 'is there a limit on the season ticket loan?'
    r"^\s*(?:how much (?:do|does|will|would|can) (?:[\w-]+ ){1,2}?(?:get|receive|have) (?:as|in|for|from|through)"
    r"|is there (?:a|any) (?:[a-z]+ (?:or [a-z]+ )?)?(?:limit|cap|maximum|max|ceiling) (?:on|for|to)"
    # ... and as a request: 'Looking for the monthly price of the Parque Trindade parking pass'
    rf"|(?:(?:could|can|would) you (?:please )?(?:tell me|let me know)|do you know|{REQUEST_OPENER})\s+"
    r"(?:what(?:'s| is) )?the (?:(?:monthly|weekly|daily|yearly|annual|current|exact"
    r"|total) )?(?:amount|value|rate|cost|price|size|level|figure) (?:of|for)"
    # ('how much's the meal allowance ...?'; embedded, as scene_and_question leaves it: 'how much the meal allowance
    # paid with the salary comes to')
    r"|how much(?:['’]s| (?:is|are|was|does|do|will|of)|(?= (?:the|this|that|these|those|our|my|your) ))"
    r"|what(?:'s|’s| is| are| was)(?: the)? (?:(?:daily|weekly|monthly|yearly|annual|current|exact|total) )?"
    r"(?:amount|value|rate|cost"
    r"|price|size|level|figure) (?:of|for)|what(?:'s|’s| is|s) the (?:maximum|most|limit|amount|max)"
    r"(?: amount| sum)?(?: that)? (?:i|we|you|staff) (?:can|could|may) (?:borrow|claim|get|spend|take|receive)"
    r" (?:through|from|on|with|under|for|in)"
    # ('How high can a temporary limit increase on my card go?': a limit's height is its amount)
    r"|how (?:high|big|large) (?:can|could|will|would|does|do|is|are|may|might))"
    # (not a pointer: '... spend on it in one go?' asks of no thing 'it in one go')
    rf"\s+(?!(?:it|them)\b){_DETERMINER}{_noun_phrase()}"
    r"(?=\s+(?:that|which|for|of|in|at|on|with|when|if|per|cost|costs|come|worth|go|get|i|we|you|they|staff|does|do|will|each"
    # ('the meal allowance my new Porto hire will get', 'the meal allowance Porto staff get')
    r"|every|a|my|our|your|their|his|her)\b|\s+(?-i:[A-Z])[\w'’-]+ (?:staff|people|employees|colleagues|hires?"
    r"|starters?|engineers|teams?)\b"
    # ('how much of the Andante pass Fernhill actually covers': who pays, in statement order)
    r"|\s+(?:(?-i:[A-Z])[\w'’-]+|the company|my employer) (?:actually |really )?(?:covers|pays|gives|contributes"
    r"|reimburses)\b|\s*\?|\s*$)", re.I)


_NP = _DETERMINER + _noun_phrase()
# 'What amount per person may each department spend on its monthly team lunch?': the thing a sum is spent on
_SPENT_ON = re.compile(r"^\s*(?:what(?: amount| sum)?|how much(?: money)?)(?: per (?:person|head))? "
                       r"(?:may|can|could|should|do|does|will|are|is) (?:[\w-]+ ){1,3}?"
                       r"(?:spend|spent|allowed to spend)(?: per (?:person|head))? on "
                       r"(?:its|their|our|the|a|an|my|your) "
                       + _noun_phrase() + r"(?=\s*[?,]|\s*$|\s+(?:per|each|every|for|at|in)\b)", re.I)
# 'Who are the first aiders for floor 3?', 'How many weeks of full pay do you get on maternity leave?': the thing
# a person or a count is asked of. (Not 'When is the Leeds office closed?': a date is asked of what happens, and
# the office is named by many sentences that give none.)
_WHO_OF = re.compile(rf"^\s*who(?:['’]s| is| are| was| were) (?:the )?(?:current )?{_NP}"
                     r"(?=\s+(?:for|of|in|at|on|this|next|today|tomorrow)\b|\s*[?,])",
                     re.I)
# 'What is the name of the company's preferred hotel near the Porto office?', 'Which hotels are Fernhill's preferred
# hotels?': the thing a name is asked of (a 'which X' question only when the thing is an X)
_NAME_OF = re.compile(rf"^\s*(?:what(?:['’]s| is| are) the names? of|which (?P<kind>[a-z]{{3,}}) (?:is|are))\s+"
                      r"(?:(?:the|our|my|your)\s+)?(?:(?:company|firm|[A-Z][\w-]*)['’]s?\s+)?"
                      rf"{_noun_phrase(least=0)}(?=\s+(?:near|for|in|at|on|of|that|we|i|you)\b|\s*[?,]|\s*$"
                      # ('... the preferred hotel Fernhill uses near the office?': the one a named company uses)
                      r"|\s+(?-i:[A-Z])[\w-]+\s+(?:uses|books|recommends|has|likes|prefers)\b)", re.I)
_COUNT_ON = re.compile(rf"^\s*how (?:many|much) (?:[\w-]+ ){{1,4}}?(?:do|does|can|will|would)"
                       # ('... does Fernhill give during maternity leave?': what the company gives)
                       rf" (?:i|we|you|staff|employees|they|the company|my employer|(?-i:[A-Z][\w-]+))"
                       r" (?:get|have|receive|take|give|offer|pay)"
                       rf" (?:on|for|during|of) {_NP}"
                       r"(?=\s*\?|\s+(?:if|when|in|at)\b)", re.I)


# 'how many days is the IPAF operator course?', 'How many hours does the first aid course take?': the thing counted in
# a unit, after its verb
_COUNT_IS = re.compile(rf"^\s*how (?:many|much) [\w-]+ (?:is|are|was|does|do|will|would) {_NP}"
                       r"(?=\s*\?|\s*$|\s+(?:take|last|run|go on|in total|altogether|for|if|when)\b)", re.I)


# 'How long is the IPAF operator course?', 'How long is maternity leave at Fernhill?': the length of a course or a
# leave (of a scheme or a period, the text may give it in a sentence that names it otherwise: 'the 3-month buddy
# period')
_LENGTH_OF = re.compile(rf"^\s*how long (?:is|are|does|do|will|would) {_DETERMINER}"
                        r"(?P<np>[a-z][\w-]*(?: [a-z][\w-]*){0,3}? (?:course|training|session|leave)s?)"
                        r"(?=\s*[?,]|\s*$|\s+(?:take|last|run|go on|for)\b|\s+(?:at|in) (?-i:[A-Z]))", re.I)


# 'How much does Fernhill actually pay towards the Andante pass?', 'how much will the company put towards my gym?':
# the thing paid for
_PAID_TOWARDS = re.compile(r"^\s*how much (?:does|do|will|would|can) (?:the company|my employer|work|we|they"
                           r"|[A-Z]?[\w-]+) (?:actually |really |roughly |usually |normally )?"
                           r"(?:pay|contribute|put|chip in|give) (?:towards?|for|to|on) "
                           rf"{_DETERMINER}{_noun_phrase()}"
                           r"(?=\s*[?,]|\s*$|\s+(?:in|at|for|if|when|like|each|per|a)\b)", re.I)


# 'Roughly how much will they be billed for the repair?': what is charged for, with the charging (a sentence saying
# only that a department 'is charged for the repair' names it and gives no amount)
_CHARGED_FOR = re.compile(r"^\s*(?:(?:roughly|approximately|about|so|and),?\s+)?(?:how much (?:will|would|does|do|is"
                          r"|are|was|were) (?:[\w'’-]+ ){1,2}?(?:be )?(?:billed|charged|invoiced)"
                          # 'What is the amount charged for such a repair?'
                          r"|what(?:'s|’s| is| was| will be) the (?:amount|sum|cost|price|fee) (?:charged|billed|paid"
                          r"|payable|invoiced)) "
                          rf"(?:for|on) (?:such an? )?{_DETERMINER}{_noun_phrase(least=0, most=2)}(?=\s*[?,]|\s*$)",
                          re.I)


# 'How much will I be charged for charging my car there?', 'how much does it cost to charge my electric car?': the
# price of doing a thing, named by the doing and what it is done to
_COST_OF_DOING = re.compile(r"^\s*(?:and\s+)?how much (?:(?:will|would|does|do|is|are|can|could|should|must) )?"
                            r"(?:(?:it|i|we|you|they|staff) )?(?:be |have to |need to )?(?:cost|costs|charged|billed"
                            r"|pay|paying)(?: me| us| them)?(?: (?:per|a|an|each) [\w-]+)?\s+(?:to|for) "
                            r"(?P<np>(?!(?:a|an|the|my|our|it|that|this)\b)[a-z]+(?: up)? (?:(?:my|our|the|a|an|your"
                            r"|their|his|her) )?(?:[\w-]+ ){0,2}?[\w-]+?)"
                            r"(?=\s+(?:there|here|at|in|per|on|each|every|a|an)\b|\s*[?,.]|\s*$)", re.I)
# 'How many weeks (of) paternity leave do we get?', '... do dads get?', '... do Leeds staff get?': the thing counted
# after its unit, whoever gets it.
_COUNT_OF = re.compile(rf"^\s*how (?:many|much) [\w-]+ (?:of )?{_NP}\s+(?:(?:do|does|can|will|would)"
                       r" (?:[\w'’-]+ ){1,2}?(?:get|have|receive|take|give|offer|provide)"
                       # ('... are people in my team entitled to?')
                       r"|(?:is|are|am) (?:[\w'’-]+ ){1,5}?(?:entitled to|eligible for|allowed|given|offered))\b"
                       # ('How much paternity leave would I get?', '... is there?': the thing itself counted, its unit
                       # unsaid)
                       r"|^\s*how much (?P<uncounted>[a-z][\w-]*(?: [a-z][\w-]*){1,3}?)\s+(?:(?:do|does|can|will"
                       r"|would) (?:[\w'’-]+ ){1,2}?(?:get|have|receive|take)|(?:is|are) there)\b"
                       # ('How many weeks of paternity leave?')
                       r"|^\s*how many [\w-]+ of (?P<bare>[a-z][\w-]*(?: [a-z][\w-]*){0,2})\s*\?*\s*$", re.I)


# 'What percentage of the Andante pass does Fernhill pay?': the thing a share is asked of
# 'How many weeks of full pay does Fernhill give for maternity leave?', 'how many weeks full pay maternity leave?'
_PAY_COUNT_FOR = re.compile(rf"^\s*how many (?:days|weeks|months)(?: of)?(?: (?:full|half))? pay"
                            rf"(?: [^?]*?\b(?:for|on|during))? {_DETERMINER}{_noun_phrase()}(?=\s*\?|\s*$)", re.I)
_SHARE_OF = re.compile(r"^\s*(?:what|which) (?:percentage|percent|share|proportion|fraction|part) of "
                       rf"{_DETERMINER}{_noun_phrase(least=0)}"
                       # ('... of the pass's cost is reimbursed?': the pass)
                       r"(?:['’]s? (?:cost|price|fare|fee|bill))?"
                       r"(?=\s+(?:does|do|will|would|is|are|can|gets?|paid|covered|reimbursed|refunded)\b"
                       # ... asked in statement order ('what share of the pass the company covers')
                       r"|\s+(?:the company|my employer|they|we|(?-i:[A-Z])[\w-]+) (?:covers|pays|reimburses|refunds"
                       r"|contributes)\b)", re.I)
# 'What does a monthly pass at the Parque Trindade car park actually cost?': the thing priced, before where it is
_COST_OF = re.compile(r"^\s*(?:(?:and|so|roughly|approximately|about|ok(?:ay)?),?\s+)?(?:what|how much) (?:does|do|will"
                      rf"|would) {_DETERMINER}{_noun_phrase(most=4)}"
                      r"(?=(?:\s+(?:at|in|near|from|for) (?:the )?[\w'’ -]+?)?\s+(?:actually |really |currently |now )?"
                      r"cost\b)", re.I)


# ... asked inside a request, in statement order: 'Could you tell me how much a monthly pass at the car park costs?'
_COST_EMBEDDED = re.compile(r"^\s*(?:(?:could|can|would) you (?:please )?(?:tell me|let me know)|do you know"
                            # (or already unwrapped: 'How much a monthly pass at the car park costs?')
                            r"|(?:i'?d|i would) like to know|i (?:wonder|was wondering))? ?how much "
                            rf"{_DETERMINER}{_noun_phrase(most=4)}"
                            r"(?=(?:\s+(?:at|in|near|from|for) (?:the )?[\w'’ -]+?)?\s+(?:actually |really |currently "
                            r"|now )?costs?\b)", re.I)


# 'How much cost the lunch in the café?' (the word order of many who learned English later): the thing, and where
_COST_INVERTED = re.compile(r"^\s*how much (?:cost|costs|is cost|does cost) (?:the |a |an )?"
                            r"(?P<np>[a-z][\w-]*(?: [a-z][\w-]*)?(?: (?:in|at) (?:the |a )?[a-z][\w-]*)?)"
                            r"(?=\s+(?:in|at|for|near|on)\b|\s*\?|\s*$)", re.I)


# 'How many euros per day is this meal allowance?': the thing an amount in a currency is asked of
_CURRENCY_OF = re.compile(r"^\s*how (?:many (?:euros|pounds|dollars|francs|kroner)|much money)"
                          r"(?: (?:a|per|each) [a-z]+)? (?:is|are|was|will be) (?:this|that|these|the|my|our|your) "
                          rf"{_noun_phrase()}(?=\s*\?|\s*$|\s+(?:per|a|each|worth)\b)", re.I)
# 'I heard we get a meal allowance instead of a café. How much is it per day?': the thing the scene names, asked of
# ... 'how much does it actually cost per month?', 'What's the maximum amount I can borrow?' (the loan the scene names)
_AMOUNT_OF_IT = re.compile(r"^\s*(?:what(?:'s|’s| is) the (?:amount|figure|sum)\s*\?*\s*$"
                           # ('... Do you know the amount?', 'porto meal allowance - how much per day?')
                           # ('... asked how much the meal allowance is worth per day. Do you know?': the question
                           # the scene relays)
                           r"|(?:do|does) (?:you|anyone|anybody) know"
                           r"(?: (?:the (?:amount|figure|sum)|how much(?: it is)?))?\s*\?*\s*$"
                           r"|how much (?:per|a|an|each|every) (?:day|week|month|year|night)\s*\?*\s*$"
                           # ('paternity leave - how many weeks?')
                           r"|how many (?:days|weeks|months|hours)\s*\?*\s*$"
                           r"|how much (?:is|are|was|will be|would be) (?:it|that|this|they"
                           # ('How much is this money for each day?': a word for any amount, the scene's thing)
                           r"|(?:this|that|the) (?:money|amount|sum|payment|allowance))"
                           # (not 'that meal allowance': the thing named after the pointer)
                           r"(?=\s*(?:[?.!,]|$)|\s+(?:per|a|an|each|every|in total|roughly|now|at|with|for (?:a|an|one"
                           r"|each|the|me|us)|monthly|weekly|daily)\b)"
                           r"|how much (?:does|do|will|would) (?:it|that|this|they) (?:actually |really |roughly )?"
                           r"cost\b"
                           # ('How many euros a month will it cost me after the staff discount?')
                           r"|how many (?:euros?|pounds?|dollars?|quid)"
                           r"(?: (?:a|per|each) (?:day|week|month|year|night))?"
                           r" (?:will|would|does|do) (?:it|that|this|they) (?:actually |really |roughly )?cost\b"
                           # ('I want to charge my electric car there. Is it free or how much it cost me?')
                           r"|is (?:it|that|this) free,? or how much (?:(?:does|will|would|do) )?(?:it|that|i|we)"
                           r" (?:costs?|pay)(?: me| us| for it)?\s*\?*\s*$"
                           # ('... 5% of my salary into the company pension. How much does Fernhill add on top?')
                           r"|how much (?:does|do|will|would) (?:the company|my employer|the employer|they|(?-i:[A-Z])"
                           r"[\w-]+) (?:add|put in|pay in|contribute|match|chip in|give)(?: on top| as well| too)?"
                           r"(?: of (?:that|it|this|mine))?\s*\?*\s*$"
                           r"|what(?:'s|’s| is|s) the (?:maximum|max|most|largest|biggest|highest)(?: amount| sum)?"
                           r" (?:that )?(?:i|we|you|staff|he|she|they) (?:can|could|may) (?:borrow|claim|get|take)"
                           # ('... they can borrow through it?': the loan the scene names)
                           r"(?: out)?(?:\s*(?:\?|$)| (?:through|from|on|with|under|in|out of|onto)"
                           r" (?:it|that|this|them)\b[^?]*(?:\?|$)))", re.I)
_RELAYED_AMOUNT = re.compile(r"\b(?:how much|how many|what (?:share|percentage|proportion|part))\b[^.?!]*", re.I)
# (a lookahead, so that one thing's words do not hide the next: 'my salary into the company pension')
_SCENE_THING = re.compile(r"(?=\b(?:a|an|the|our|my|this|that)\s+((?:[a-z][\w-]*\s+){1,2}[a-z][\w-]*))")


# 'whats the max season ticket loan i can get?': the thing between the superlative and who may have it
_MOST_OF = re.compile(r"^\s*what(?:'s|’s| is|s) the (?:maximum|max|most|largest|biggest|highest)\s+"
                      rf"(?!(?:i|we|you|staff|amount|sum)\b){_noun_phrase()}"
                      r"(?=\s+(?:that\s+)?(?:i|we|you|staff)\s+(?:can|could|may)\b)", re.I)


# 'What's the most Fernhill will lend me?', 'how much can I borrow?': the amount of a loan
_MOST_LENT = re.compile(r"^\s*(?:what(?:'s|’s| is|s) the (?:maximum|max|most|largest|biggest|highest)|how much)"
                        r" (?:[\w'’-]+ ){0,2}?(?:lend|loan|borrow|advance)(?:s|ed)?\b", re.I)


# 'Does Fernhill chip in for home broadband?', 'Will the company cover my gym membership?': whether a thing is paid
# for; answered only by a sentence saying so about it (_PAYING), not by one that only names it.
_PAID_FOR = re.compile(rf"^\s*(?:(?:and|also|so|but|plus),?\s+)?(?:(?:does|do|will|would|can|could) "
                       # ('The company pay part of my internet at home every month?': a learner's question, no 'does')
                       r"|(?=(?:the company|my employer|(?-i:[A-Z][a-z]+)) (?:pay|cover|reimburse|refund)\b))"
                       r"(?:the company|my employer|work|we|they|[A-Z][\w-]*)"
                       r" (?:pay (?:anything |something |any money |money )?"
                       r"(?:for|towards?)|chip in (?:for|towards?|on)|cover|contribute (?:anything )?(?:to|towards?)"
                       r"|reimburse|subsidi[sz]e|fund|pay|refund) (?:(?:part|some|any|all|half) of )?"
                       # ('contribute towards the cost of my home broadband')
                       r"(?:the (?:cost|costs|bill|bills|price|fees?) of )?"
                       r"(?:their |his |her )?"
                       rf"{_NP}"
                       # ('... does Fernhill pay the visa fee back?'; 'their home broadband or an allowance?': the
                       # first thing of several)
                       r"(?=\s+(?:if|when|for|at|while|as|since|because|back|or)\b|\s*[?,]|\s*$)", re.I)
# 'Can I claim part of my home internet bill on expenses?': whether a thing is paid for, asked by the one claiming
_CLAIM_FOR = re.compile(r"^\s*(?:(?:and|also|so|but),?\s+)?(?:can|could|may) (?:i|we) (?:claim|expense"
                        r"|get reimbursed for|be reimbursed for|get (?:money )?back (?:for|on)"
                        # ('Can I get back some money for my internet at home?')
                        r"|get back (?:some |any |the )?(?:money|cash|costs?) (?:for|on|towards)) (?:back )?"
                        r"(?:(?:part|some|any|all) of )?"
                        r"(?:my |our |the |a |an )?(?P<np>[a-z][\w-]*(?: [a-z][\w-]*){0,3}?)"
                        # ('Can I claim part of my internet bill back from Fernhill?')
                        r"(?=\s+(?:on|as|through|in|if|when|for|while|back|from)\b|\s*[?,]|\s*$)"
                        # ... or asked to get it paid back: 'Can I get part of my home internet bill paid back?'
                        r"|^\s*(?:(?:and|also|so|but),?\s+)?(?:can|could|may) (?:i|we) get "
                        r"(?:(?:part|some|any|all) of )?(?:my |our |the |a |an )?"
                        r"(?P<got>[a-z][\w-]*(?: [a-z][\w-]*){0,3}?)"
                        r"\s+(?:paid back|paid for|refunded|reimbursed|covered)\b", re.I)
# ... or asked as an allowance or a sum for it: 'Is there an allowance to buy a desk and chair for working from home?',
# 'How much will Fernhill reimburse for a desk and an office chair?'
_ALLOWANCE_FOR = re.compile(r"^\s*(?:is there|do we (?:get|have)|does (?:the company|[A-Z][\w-]*) (?:give|offer|have))"
                            r" (?:an?|any) (?:allowance|budget|subsidy|contribution|grant|stipend|money)"
                            r" (?:to (?:buy|pay for|help with|cover)|for|towards)"
                            r"|^\s*how much (?:will|would|does|do|can) (?:the company|[A-Z][\w-]*|they|we)"
                            r" (?:reimburse|pay|give|contribute|cover)(?: (?:for|towards|on))?", re.I)
_LOOSE_NP = re.compile(r"\s+(?:a |an |my |the |our )?(?P<np>[a-z][\w -]{2,60}?)"
                       r"(?=\s+(?:for|when|if|while|as|at|in|on)\b|\s*[?,]|\s*$)", re.I)
_PAYING = re.compile(r"\b(?:pay|pays|paid|cover|covers|covered|reimburs\w*|claim\w*|allowances?|expens\w*"
                     r"|subsidi\w*|contribut\w*|free|costs?|funded|budget)\b|[£€$]\s?\d", re.I)


_PAID_AMOUNTS = frozenset({"bill", "bills", "cost", "costs", "fee", "fees", "charge", "charges", "price"})
_PAY_WORDS = frozenset({"paid", "unpaid", "fully", "full", "half"})
_HOW_OFTEN = frozenset(content_terms("daily weekly monthly yearly annual annually"))  # when it comes, not what
_HEDGE = re.compile(r"^\s*(?:roughly|approximately|about|so|and|ok(?:ay)?),?\s+", re.I)
_HOW_OFTEN_WORDS = _HOW_OFTEN | frozenset(content_terms("per day week month year night each every"))


def valued_thing(question: str) -> frozenset[str]:
    """The content words of the thing whose amount the question asks ('meal', 'allowance'), or none. Only a thing
    of two or more words: one word ('the excess', 'the cost') is too often said in other words. (Of the things a
    scene names, the first: valued_things gives them all.)"""
    return next(iter(valued_things(question)), frozenset())


def valued_things(question: str) -> list[frozenset[str]]:
    """The things (valued_thing's content words) the question may ask the amount of, likeliest first: the one it
    names, or, for 'How much is it?', each the scene names ('Filipa in our customer success team wants the
    discounted monthly pass - how much does it cost?': the team, then the pass); then what the asking words name
    in policy words ('How much do we get in our pay to cover food?': the meal allowance)."""
    things = _valued_things(question)
    if not things:
        return []
    return things + [thing for thing in _policy_things(scene_and_question(question)[1]) if thing not in things]


# a reason said before the question in its own sentence: '..., so how much ...?'
_REASON_FIRST = re.compile(r"^[^?]*?(?:,\s*|\s+)so\s+(?=(?:how|what|which|who)\b)", re.I)


def _valued_things(question: str) -> list[frozenset[str]]:
    scene, asked = scene_and_question(question)  # not the scene: "my team member is about to become a dad, ..."
    asked = without_request(asked)  # ('Could you tell me how many weeks of full pay ...?')
    asked = _REASON_FIRST.sub("", asked)  # ('I need to budget, so how much is Statutory Sick Pay per week?')
    parts = split_questions(asked)
    if len(parts) > 1 and len(content_terms(parts[-1]) - _HOW_OFTEN_WORDS) <= 1:
        # 'how much is the meal allowance Porto staff get in their salary? per day?': the last part only adds how
        # often
        asked = " ".join(parts[:-1])
    if _AMOUNT_OF_IT.match(asked) and not _COST_OF_DOING.match(asked):  # (not 'it cost to charge my car')
        # ('... asked how much of the Andante pass Fernhill covers. What's the amount?': the question the scene
        # relays; 'porto meal allowance - how much per day?': a scene that is only the thing, as in a search box)
        relayed = _RELAYED_AMOUNT.search(scene)
        relayed_things = _valued_things(relayed.group(0)) if relayed else []
        return relayed_things or _things_in_scene(scene) or _searched_words(scene)
    # (the price of doing a thing first: _VALUE_OF would read 'How much will I be charged ...' as 'I be charged')
    patterns = (_COST_OF_DOING, _PAID_TOWARDS, _VALUE_OF, _MOST_OF, _SHARE_OF, _COST_OF, _COST_EMBEDDED, _COST_INVERTED,
                _CURRENCY_OF, _SPENT_ON, _WHO_OF, _NAME_OF,
                _PAY_COUNT_FOR, _COUNT_ON, _COUNT_OF, _COUNT_IS, _LENGTH_OF, _PAID_FOR, _CHARGED_FOR)
    match = next((m for m in (p.match(asked) for p in patterns) if m), None)
    hedged = _HEDGE.match(asked)
    if not match and hedged:  # 'roughly how much is the meal allowance ...?'
        asked = asked[hedged.end():]
        match = _VALUE_OF.match(asked)
    if not match and _MOST_LENT.match(asked):
        return [frozenset(content_terms("loan"))]  # 'What's the most Fernhill will lend me?': the loan's limit
    if not match:
        # ('How many days off do I get as the father?': paternity leave, the count's kind, is what is counted)
        kind = counted_kind(question)
        if kind and not _searched_thing(asked) and not _compound_thing(asked):
            return [frozenset(kind | content_terms("leave"))]
        return _searched_thing(asked) or _compound_thing(asked)
    # (a place only says where: 'the Leeds season ticket loan' is the season ticket loan; 'the Andante pass' is not
    # any pass)
    words = (match.group("np") or match.groupdict().get("bare") or match.groupdict().get("uncounted") or "").split()
    kind = match.groupdict().get("kind")
    if kind and words and words[-1].lower() == "one":
        words = [*words[:-1], kind]  # 'Which hotel is Fernhill's preferred one ...?': the preferred hotel
    if kind and not (words and stem(words[-1].lower()) == stem(kind.lower())):
        return []  # 'which month is the holiday allowance paid in?' asks a month, not a name
    if len(words) > 1 and words[1].lower() in _GIVING:
        # 'How much does Fernhill pay Porto staff as a meal allowance?': who pays, and then the thing paid
        return _compound_thing(asked[match.start("np"):].split(None, 2)[-1], asks_amount=True)
    named = _named_in_scene(words, scene)
    if named:
        # 'My colleague has an Andante monthly pass. What percentage of the pass does ...?': the Andante pass
        words = [named, *words]
    if match.re is _PAID_FOR and len(words) > 2 and words[-1].lower() in _PAID_AMOUNTS:
        words = words[:-1]  # 'my home broadband bill': what is paid for is the broadband, whatever its bill says
    if match.re is _CHARGED_FOR:
        words = ["charged", *words]  # 'billed for the repair': a repair charged for, not any repair
    words = _without_period(words)  # 'that allowance per month' is the allowance
    if len(words) > 1 and words[-1].lower() in _COPULAS:
        words = words[:-1]  # ('how much that allowance is per day', in statement order)
    pointed = _POINTER_BEFORE.search(asked[:match.start("np")]) if match.groupdict().get("np") else None
    if pointed and len(words) == 1:
        # 'we get a meal allowance with our salary. How much is that allowance per month?': the scene's thing
        head = stem(words[0].lower())
        things = [thing for thing in _things_in_scene(scene) if head in thing]
        if things:
            return things
    unnamed = [w for w in words if not (w[:1].isupper() and place_of((stem(w.lower()),)))] or words
    # ('fully paid maternity leave' is maternity leave: how it is paid is what is asked)
    unnamed = [w for w in unnamed if w.lower() not in _PAY_WORDS] or unnamed
    terms = content_terms(" ".join(unnamed))
    # (how often it comes only says when: 'the daily meal allowance' is a meal allowance, whether or not a text
    # calls it daily)
    kind = terms - _HOW_OFTEN
    terms = kind if len(kind) >= 2 else terms
    return _with_policy_names(frozenset(terms), " ".join(unnamed)) if len(terms) >= 2 else []


_PERIOD_AFTER = re.compile(r"^(?:per|a|an|each|every)$", re.I)
_PERIOD_WORDS = frozenset({"day", "week", "month", "year", "night", "hour", "person", "head", "trip", "working",
                           "calendar", "days", "weeks", "months", "years", "nights"})
_COPULAS = frozenset({"is", "are", "was", "were"})
_POINTER_BEFORE = re.compile(r"\b(?:that|this)\s+$", re.I)


def _without_period(words: list[str]) -> list[str]:
    """The words of a thing less a trailing 'per month' or 'each working day': how often it comes, not what it is."""
    for i, word in enumerate(words):
        rest = words[i + 1:]
        if i and _PERIOD_AFTER.match(word) and rest and all(w.lower() in _PERIOD_WORDS for w in rest):
            return words[:i]
    return words


def _with_policy_names(thing: frozenset[str], phrase: str) -> list[frozenset[str]]:
    """The thing (the content words of `phrase`), then each thing an everyday wording of two or more of its words
    names in policy words ('the lunch money Porto staff get' is the meal allowance: ragqa/policy_words.py)."""
    return [thing, *(meant for meant in _policy_things(phrase) if meant != thing)]


def _policy_things(phrase: str) -> list[frozenset[str]]:
    """The content words of each thing of two or more words that an everyday wording of two or more words in the
    phrase names in policy words."""
    out: list[frozenset[str]] = []
    for wording, words in wordings_and_words(phrase):
        meant = frozenset(content_terms(" ".join(words))) - _HOW_OFTEN
        if len(wording.split()) >= 2 and len(meant) >= 2 and meant not in out:
            out.append(meant)
    return out


# The value a search-box query asks of its thing ('trindade parking monthly pass price', 'max season ticket loan
# amount leeds'): the rest of its words name the thing.
_SEARCHED_VALUE = re.compile(r"\b(?:price|prices|cost|costs|fee|fees|amount|max|maximum|limit|cap|rate|rates"
                             r"|percentage|length|duration|how much|how many(?: [a-z]+)?)\b", re.I)


_PRICE_WORDS = r"(?:price|cost|fee)s?"
_SEARCHED_PRICE = re.compile(rf"\b{_PRICE_WORDS}\b", re.I)
# 'Looking for the monthly price of the pass': a sum asked in words no question type reads
_PRICE_OF = re.compile(rf"\bthe (?:[a-z]+ )?{_PRICE_WORDS} (?:of|for)\b", re.I)


_PER_PERIOD = re.compile(r"\b(?:per|a|an|each|every)\s+(?:day|week|month|year|night|hour|person|head|trip)\b", re.I)


def _searched_words(phrase: str) -> list[frozenset[str]]:
    """The thing a phrase typed as into a search box names ('porto meal allowance'): its content words, not places
    (nor 'vs'), when two or more, and what they name in policy words."""
    if not phrase.strip() or not is_search_query(phrase):
        return []
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", phrase)
             if not place_of((stem(w.lower()),)) and w.lower() not in ("vs", "versus")]
    terms = content_terms(" ".join(words)) - _HOW_OFTEN
    return _with_policy_names(frozenset(terms), " ".join(words)) if len(terms) >= 2 else []


def _searched_thing(asked: str) -> list[frozenset[str]]:
    """The thing of two or more words a search-box query asks a value of, or none: its words less the value asked
    ('price', 'how much') and how often it comes ('porto meal allowance how much per day?')."""
    if not is_search_query(asked) or not _SEARCHED_VALUE.search(asked):
        return []
    return _searched_words(_SEARCHED_VALUE.sub(" ", _PER_PERIOD.sub(" ", asked)))


# 'How much does Fernhill pay Porto staff as a meal allowance?', 'How much money does each team get for a team
# lunch?': a thing named at the question's end by two common nouns side by side
_COMPOUND_END = re.compile(r"\b([a-z][a-z-]{2,}) ([a-z][a-z-]{2,})\s*[?.!]*\s*$")
_GIVING = frozenset({"pay", "pays", "give", "gives", "offer", "offers", "provide", "provides", "contribute"})
_ASKS_AMOUNT = re.compile(r"^\s*how much\b", re.I)


_VERB_PARTICLES = frozenset({"back", "off", "out", "up", "over", "away", "down"})


def _compound_thing(asked: str, asks_amount: bool = False) -> list[frozenset[str]]:
    """For a 'how much' question no pattern reads, the thing its last two words name, when both are content words
    ('meal allowance'; not 'in Porto', not 'claim it')."""
    found = _COMPOUND_END.search(asked) if asks_amount or _ASKS_AMOUNT.match(asked) else None
    if not found or found.group(1) in STOPWORDS or found.group(2) in STOPWORDS \
            or found.group(2).lower() in _VERB_PARTICLES:  # ('How much per mile can I claim back?': a verb's)
        return []
    terms = content_terms(found.group(0)) - _HOW_OFTEN
    return [frozenset(terms)] if len(terms) == 2 else []


_NOT_THING = frozenset({"instead", "too", "also", "again", "now", "today", "tomorrow", "tonight", "here", "there",
                        "anyway", "though", "next", "last", "week", "weekend", "month", "year", "like", "unlike",
                        "because", "since", "although", "unless", "whereas"})


def _things_in_scene(scene: str) -> list[frozenset[str]]:
    """The content words of each thing of two or more words the scene names, in order ('a meal allowance' in 'I
    heard we get a meal allowance instead of a café'), each up to its first word that is no content word."""
    things = []
    for found in _SCENE_THING.finditer(scene):
        # (a place only says where: 'a Porto field team' is a field team)
        words = [w for w in leading_content_words(found.group(1).split(), but=_NOT_THING)
                 if w.lower() not in _PAY_WORDS and not (w[:1].isupper() and place_of((stem(w.lower()),)))]
        terms = frozenset(content_terms(" ".join(words)) - _HOW_OFTEN)
        if len(terms) >= 2 and terms not in things:
            things += [t for t in _with_policy_names(terms, " ".join(words)) if t not in things]
    # ... and each thing it says in everyday words ('some money towards food with our pay': the meal allowance)
    return things + [meant for meant in _policy_things(scene) if meant not in things]


def _named_in_scene(words: list[str], scene: str) -> str | None:
    """The name the scene gives the thing ('Andante' in 'her Andante monthly pass' for 'the pass'), when the
    question's words for it lack it; None for a place, which only says where."""
    head = re.escape(words[-1]) if words else None
    found = re.search(rf"\b([A-Z][\w'’-]+)\s+(?:[a-z][\w-]*\s+){{0,2}}{head}\b", scene) if head else None
    if not found or found.group(1).lower() in {w.lower() for w in words}:
        return None
    name = found.group(1)
    return None if name.lower() in STOPWORDS or place_of((stem(name.lower()),)) else name


def speaks_without_value(question: str, sentences: list[str]) -> bool:
    """Do the sentences name the asked thing (all its words in one sentence) while none that names it holds a value
    of the kind asked? `sentences`: the candidates the answer would be chosen from."""
    things = valued_things(question)
    if not _naming(things, sentences, question, text=lambda s: s):
        return _paid_for_unspoken(question, sentences)
    return not _valued_where_named(things, sentences, question)


def _valued_where_named(things: list[frozenset[str]], sentences: list[str], question: str) -> bool:
    """Does a sentence naming the first thing any of them names hold a value of the kind asked, in the clause that
    names it? ('... half pay for the next 20 working days, then Statutory Sick Pay; ... Fernhill tops it up to 90%
    of base salary' gives no amount of Statutory Sick Pay)"""
    thing = next((t for t in things if any(_names(t, s, question) for s in sentences)), None)
    if thing is None:
        return False
    clauses = [" ".join(c for c in s.split(";") if _names(thing, c, question)) or s
               for s in sentences if _names(thing, s, question)]
    return any(map(_value_test(question), clauses))


def scene_thing_unnamed(question: str, sentences: list[str]) -> bool:
    """Does the question ask the amount of the thing its scene names ('... 5% of my salary into the company pension.
    How much does Fernhill add on top?'), which no sentence names? What the sentences value is something else ('tops
    it up to 90% of base salary' is sick pay)."""
    scene, asked = scene_and_question(question)
    if not scene or not _AMOUNT_OF_IT.match(without_request(asked)) or _COST_OF_DOING.match(without_request(asked)):
        return False
    things = valued_things(question)
    return bool(things) and not _naming(things, sentences, question, text=lambda s: s)


def _paid_for_unspoken(question: str, sentences: list[str]) -> bool:
    """'Does Fernhill pay anything towards my home internet bill?' where no sentence names the whole thing: do some
    name a word of it ('internet connection', 'home broadband') while none of those speaks of paying?"""
    terms = _thing_paid_for(question)
    if not terms:
        return False
    naming = [s for s in sentences if terms & _common_terms(s, question)]
    if not naming:
        # ... or do they say its word only as another thing's name ('corporate Visa cards' for 'the visa fee')?
        if any(terms & content_terms(s) for s in sentences):
            return True
        # ... or in the policy words it stands for, or not at all ('Can I claim part of my home broadband bill on
        # expenses?' beside when to submit a claim)
        # (read from the words as written: 'upskill' is training, its stem 'upskil' matches no everyday wording)
        meant = content_terms(" ".join(policy_words(_thing_paid_for_words(question))))
        naming = [s for s in sentences if meant & content_terms(s)]
    return not any(_PAYING.search(s) for s in naming)


def _paid_for_with_its_payment(question: str, texts: list[str]) -> bool:
    """Does a text (a sentence with its section's heading) name a word of the thing asked to be paid for and speak
    of paying ('What we do not pay for: Hotel minibar drinks')?"""
    terms = _thing_paid_for(question)
    return bool(terms) and any(terms & _common_terms(t, question) and _PAYING.search(t) for t in texts)


def _common_terms(text: str, question: str) -> set[str]:
    """The text's content words, less those it writes only as a name (capitalised inside a sentence) that the
    question writes in lower case: 'corporate Visa cards' says nothing of 'the visa fee'."""
    named, plain = set(), set()
    opening = True  # (a sentence's first word is capitalised whatever it is)
    for tok in re.findall(r"[A-Za-z][\w'’-]*|[.!?:]", text):
        if tok in ".!?:":
            opening = True
            continue
        (named if tok[:1].isupper() and tok[1:].islower() and not opening else plain).add(stem(tok.lower()))
        opening = False
    asked_lower = {stem(w) for w in re.findall(r"\b[a-z][\w'’-]*", question)}
    return content_terms(text) - ((named - plain) & asked_lower)


def _thing_paid_for(question: str) -> frozenset[str]:
    """The content words of the thing a question asks to be paid for, claimed or given an allowance for ('home',
    'internet' for '... towards my home internet bill?', less where it is used: 'internet'), or none."""
    return frozenset(content_terms(_thing_paid_for_words(question)) - _WHERE_WORDS - _NO_THING)


def _thing_paid_for_words(question: str) -> str:
    """The words (as written) of the thing a question asks to be paid for, or ''."""
    # ('my £35 monthly home broadband bill': the sum says how much, not what)
    asked = without_sums(scene_and_question(question)[1])
    match = _PAID_FOR.match(asked) or _CLAIM_FOR.match(asked)
    opened = _ALLOWANCE_FOR.match(asked) if not match else None
    if opened:
        match = _LOOSE_NP.match(asked, opened.end())
    if not match:
        return ""
    thing = match.group("np") or match.groupdict().get("got") or ""
    if re.match(r"(?:if|when|while|because|as|so|once|it|them|this|that|these|those)\b", thing, re.I):
        # 'Will the company pay if we go for lunch together?': a case, not a thing; 'Do I pay for them myself?': a
        # thing named before
        return ""
    if re.match(r"(?:(?:the )?(?:two|three|four|both|all|rest) of (?:us|you|them)|us|me|him|her|my team|the team)\b",
                thing, re.I):
        # 'money to cover the two of us going out for lunch': whom it is paid for, not what
        return ""
    return " ".join(w for w in thing.split() if w.lower() not in _PAID_AMOUNTS)


_WHERE_WORDS = content_terms("home office work site")  # where a thing is used says nothing of what it is
# ('Can I claim anything extra?'; 'my monthly bill': how often, not what)
_NO_THING = content_terms("anything something extra more everything monthly weekly yearly annual daily month week year "
                          "day")


def named_with_value(question: str, sentences: list[str]) -> bool:
    """Does a sentence name the asked thing and hold a value of the kind asked, or, for a thing asked to be paid for,
    speak of paying? (`sentences` may carry their section headings: the 'Sick pay' table's row 'first 3 days'
    names sick pay that way, and 'What we do not pay for' its items.)"""
    things = valued_things(question)
    if not things:
        return _paid_for_with_its_payment(question, sentences)
    return _valued_where_named(things, sentences, question)


def valued_elsewhere_only(question: str, sentences: Iterable[tuple[str, str]], answering: str) -> bool:
    """Is the asked thing named only in other articles than `answering` (the article the answer would quote), and
    valued in none of their sentences? 'How much is the Porto meal allowance?': the office guide names the meal
    allowance without an amount, and the buddy article's '€25 per month on a lunch' is another thing's amount.
    `sentences`: (article, sentence) for every retrieved sentence, read only when the question asks a thing's value."""
    things = valued_things(question)
    if not things:
        return False
    sentences = list(sentences)
    naming = _naming(things, sentences, question, text=lambda found: found[1])
    # (the answering article names it only if it says the words together: 'a flat per diem (daily allowance) ...
    # instead of claiming meals' names no meal allowance)
    if not naming or any(doc == answering and _said_together(things[0], text) for doc, text in naming):
        return False
    # (nor where the answering article names it by the name the policy gives that phrase: 'the company card' is its
    # 'corporate card'; not by another thing the asking words may mean, 'per diem' for 'meal allowance per day')
    if any(doc == answering and _names(thing, text, question) and _said_together(thing, text)
           for thing in _valued_things(question)[1:] for doc, text in sentences):
        return False
    valued = _value_test(question)
    # (a lead-in naming it values it in the rows or items it opens: 'Hotels are booked ... within these nightly caps
    # (room only, including taxes):' over 'For London, the maximum per night is £180')
    valued_docs = {doc for doc, text in sentences if valued(text)}
    return not any(valued(s) or (s.rstrip().endswith(":") and doc in valued_docs) for doc, s in naming)


TOGETHER_WORDS = 5  # a thing's words said within this many words of each other name it as one phrase


def _said_together(thing: frozenset[str], text: str) -> bool:
    """Are the thing's words all said within a few words of each other in the text (or is it one word)?"""
    tokens = [stem(w.lower()) for w in re.findall(r"[A-Za-z][\w'’-]*", text)]
    def same(token: str, word: str) -> bool:  # (a stem, or an inflection the stemmer keeps apart)
        return token == word or (min(len(token), len(word)) >= 4 and (token.startswith(word) or word.startswith(token)))

    said = {w for w in thing if any(same(t, w) for t in tokens)}
    if len(said) < 2:
        return True  # (one word, or words the text names otherwise: nothing to say apart)
    at = [i for i, t in enumerate(tokens) if any(same(t, w) for w in said)]
    return any(len({tokens[j] for j in at if i <= j <= i + TOGETHER_WORDS + len(said) - 2}) >= len(said)
               for i in at)


def _naming(things: list[frozenset[str]], sentences: list, question: str, text: Callable) -> list:
    """The sentences naming the first of the things that any of them names (`text(sentence)`: its words)."""
    for thing in things:
        naming = [s for s in sentences if _names(thing, text(s), question)]
        if naming:
            return naming
    return []


# The kind a thing of several words is of, which a table leaves to its header ('the IPAF MEWP operator course' is
# the row 'IPAF MEWP operator' of a table of courses)
_KIND_HEADS = frozenset(content_terms("course courses training scheme programme program session"))


def _names(thing: frozenset[str], text: str, question: str) -> bool:
    """Does the text name the thing (all its words, in any form, or by their acronym: 'PRs' for 'pull requests'),
    or, for a thing of three or more words, all but its kind (_KIND_HEADS)?"""
    unnamed = thing - matched_terms(set(thing), content_terms(text) | acronym_terms(question, text))
    return not unnamed or (len(thing) >= 3 and unnamed <= _KIND_HEADS and len(unnamed) == 1)


def _value_test(question: str) -> Callable[[str], bool]:
    """Whether a sentence holds a value of the kind the question asks (read from the question once)."""
    asked = scene_and_question(question)[1]
    if _PAID_FOR.match(asked):
        return lambda text: bool(_PAYING.search(text))
    if _WHO_OF.match(asked) or _NAME_OF.match(asked):  # 'Who is the field duty coordinator this week?': a name
        return lambda text: names_someone(text, question)
    value_type, kind = typed_value(question), question_kind(question)
    if not value_type and ((is_search_query(asked) and _SEARCHED_PRICE.search(asked)) or _PRICE_OF.search(asked)):
        value_type = "price"  # 'trindade parking monthly pass price': a sum, not the '20%' of a discount
    if value_type:
        return lambda text: holds_typed_value(value_type, text)
    if kind in VALUE_KINDS:
        return lambda text: has_value(kind, text, question)
    # a question of no recognised kind ('whats the max i can borrow on the loan'): an amount is a figure
    return lambda text: bool(re.search(r"\d", text))


# 'Which courier company do they ship it with?': a question for the name of the firm that does a thing
_WHICH_FIRM = re.compile(r"\b(?:which|what)\s+(?:(?P<thing>[a-z][\w-]*)\s+)?(?:company|companies|firm|firms|provider"
                         r"|providers|supplier|suppliers|brand|brands|vendor|vendors|carrier|carriers|business)\b",
                         re.I)
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w&'’-]+")
_NOT_FIRMS = frozenset({"i", *WEEKDAYS, *MONTHS})


def firm_unnamed(question: str, sentences: list[str]) -> bool:
    """Does the question ask which firm does a thing ('Which courier company do they ship it with?') where the
    sentences naming that thing ('Remote staff receive the laptop by tracked courier') name no firm? A place ('shipped
    from Leeds') or a day is no firm. False when no sentence names the thing: other checks speak for that case."""
    asked = _WHICH_FIRM.search(scene_and_question(question)[1])
    if not asked or not asked.group("thing"):
        return False
    thing = stem(asked.group("thing").lower())
    naming = [s for s in sentences if thing in content_terms(s)]
    return bool(naming) and not any(_names_a_firm(s) for s in naming)


def _names_a_firm(sentence: str) -> bool:
    return any(word.lower() not in _NOT_FIRMS and not place_of((stem(word.lower()),))
               for word in _CAPITALISED.findall(sentence))
