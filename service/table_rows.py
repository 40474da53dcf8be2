"""Which row of a table a question is about.

Rows are told apart by the words that differ between them: the question's qualifiers pick a row; without one,
the general row (the first, or one saying "most", "standard", "all") wins over the exceptions below it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from ragqa.places import Place, covering_label, mentions_country, place_called
from ragqa.sentences import Span, table_cells
from ragqa.service.question_types import negated_terms, scene_and_question, situation_times
from ragqa.tables import names_a_place_or_party, place_names, row_in_words
from ragqa.words import ORDINAL_NUMBERS, STOPWORDS, content_terms, stem

# Row labels that describe the usual case, and those that describe an exception to it.
_GENERAL = re.compile(r"\b(most|standard|default|general|all|any|every|normal|usual|regular|basic|base|less than"
                      r"|under|up to|other|everyone|typical)\b", re.I)
# ... and dated rows ('24 and 31 December', 'public holidays') of a weekly schedule are exceptions to it.
_DATED_LABEL = (r"(?:public |bank )?holidays?|\d{1,2}(?:st|nd|rd|th)?(?: and \d{1,2}(?:st|nd|rd|th)?)? "
                r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*")
_EXCEPTION = re.compile(r"\b(senior|or more|more than|over|above|after|exceed\w*|only|special|except\w*|higher"
                        rf"|extended|premium|executive|director\w*|long[- ]service|{_DATED_LABEL})\b", re.I)
# An ordinal in the question names a numbered row: 'the first stage' (or '1st') is the row whose label is 1.
_NUMBERED = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.I)


_DATED = re.compile(rf"\b(?:{_DATED_LABEL})\b", re.I)
_ASKS_DATE = re.compile(r"\bwhen\b|\b(?:what|which) (?:date|day|month)\b|\bdeadline\b", re.I)
DATED_FACTOR = 2  # how much further off a dated row is than another exception, for a question not asking 'when'


# 'How many days ...?': the unit names what the answer counts, so it qualifies no row ('Deadline to use carried days').
_COUNTED_UNIT = re.compile(r"\bhow (?:many|much) ([a-z]+)\b", re.I)


def question_terms(question: str) -> set[str]:
    """The question's content words, with each ordinal also as its number ('first' and '1', '2nd' and '2'), less
    the unit a 'how many' question counts and when the asker's situation happens ('next week')."""
    terms = set(content_terms(question)) - content_terms(" ".join(_COUNTED_UNIT.findall(question))) \
        - situation_times(question) - negated_terms(question)  # 'next week' names no 'per week' row
    terms |= {str(ORDINAL_NUMBERS[t]) for t in terms if t in ORDINAL_NUMBERS}
    terms |= {m.group(1) for m in _NUMBERED.finditer(question)}
    return terms


def table_rows(spans: tuple[Span, ...]) -> dict[int, tuple[int, int]]:
    """span index of each table row -> (index of its table's header span, position of the row in the table)."""
    out: dict[int, tuple[int, int]] = {}
    header = None
    position = 0
    for i, span in enumerate(spans):
        if span.kind == "row":
            if header is None:
                header, position = i, 0
            out[i] = (header, position)
            position += 1
        elif span.kind == "heading" and i + 1 < len(spans) and spans[i + 1].kind == "row" \
                and "|" in span.text:
            header, position = i, 0
        else:
            header = None
    return out


def _tables(rows: dict[int, tuple[int, int]]) -> list[list[int]]:
    """table_rows' rows grouped by table, each table's row indexes in order."""
    tables: dict[int, list[int]] = {}
    for index, (table, _) in rows.items():
        tables.setdefault(table, []).append(index)
    return list(tables.values())


def row_nudges(question: str, spans: tuple[Span, ...], *, match: float, general: float, qualified: float = 0.0,
               named: float = 0.0, scene: frozenset[str] = frozenset()) -> tuple[dict[int, float], dict[int, float]]:
    """Nudges for table rows, in one pass: (score nudges, order-only nudges).

    Score: `qualified` per qualifier for the row the question's qualifiers name (over sentences too), `match` less
    per qualifier for the rows they name less, + `general` for the general row. Order only: `named` per qualifier
    when they name one row alone ('engineers': the Engineering row, where 'approve' names both approval rows of a
    procedure table). A qualifier only in the statements before the question (`scene`, stemmed: 'I'm on a Leeds
    contract.') chooses among the rows but lifts none over sentences: the table may be about something else."""

    rows = table_rows(spans)
    order: dict[int, float] = {}
    if not rows:
        return {}, order
    q_terms = question_terms(question)
    asks_date = bool(_ASKS_DATE.search(question))
    q_text = question.lower()
    # figures the asker states as their case, in a clause before what they ask ('Once the rollout has reached 25%
    # of the fleet, how long ...?'), as they would in a sentence of their own
    scene_said, asking = scene_and_question(question)
    stated_figures = frozenset(t for t in content_terms(scene_said) if not t.isalpha())
    asking_terms = question_terms(asking)  # (the question's own words, not its scene's: read once for every table)
    out: dict[int, float] = {}
    for members in _tables(rows):
        label_terms = {i: content_terms(row_label(spans[i])) for i in members}
        # Qualifiers: question words that some rows' labels carry and that not every row carries, in its label or
        # its cells (Porto vs Leeds; not 'pay' in the 'Full pay' row's label where the next reads 'half pay').
        everywhere = set.intersection(*(label_terms[i] | _cell_terms(spans[i].text) for i in members)) \
            if len(members) > 1 else set()
        qualifiers = {t for t in q_terms if any(t in terms for terms in label_terms.values())} - everywhere
        matched = {i: len(qualifiers & label_terms[i]) for i in members}
        best = max(matched.values(), default=0)
        contenders = [i for i in members if matched[i] == best]
        for i in members:
            if qualifiers:
                out[i] = match * (matched[i] - best) if matched[i] < best \
                    else qualified * len(qualifiers & label_terms[i] - scene)
        if len(contenders) < 2:
            if qualifiers and best:
                order[contenders[0]] = named * best
            continue
        if not qualifiers:
            # No label names a row, but the question's word stands in one row's other cells alone ('personal' in
            # 'Personal phones and tablets of staff', the Fernhill-BYOD row): that row leads, for the order only.
            for i, count in _told_by_other_cells(q_terms, spans, members, scene | stated_figures).items():
                order[i] = order.get(i, 0.0) + named * count
        # ... and where the words are the question's own, not its scene's ('At my last job it had a symbol.'), the
        # general row is not lifted over it
        lift_general = qualifiers or not _told_by_other_cells(asking_terms, spans, members)
        # Several rows fit the question equally: the general one answers unless the question names the exception.
        for rank, i in enumerate(contenders):
            label = row_label(spans[i])
            named_exception = any(m.group(0).lower() in q_text for m in _EXCEPTION.finditer(label))
            if _EXCEPTION.search(label) and not named_exception:
                # A dated row ('24 and 31 December') of a schedule is further off for 'what time / hours' questions;
                # for 'when' the date may be the very answer.
                dated = _DATED.search(label) and not asks_date
                out[i] = out.get(i, 0.0) - general * (DATED_FACTOR if dated else 1)
            elif lift_general and (_GENERAL.search(label) or rank == 0):
                out[i] = out.get(i, 0.0) + general
    return out, order


_QUANTIFIERS = frozenset({"everi", "each", "still", "also", "onli", "just", "ani", "all", "more", "less", "much",
                          "mani", "most", "least"})  # stems
_UNIT_WORD = re.compile(r"(?:second|minut|hour|day|week|fortnight|month|year|night|time|percent)s?")


@lru_cache(maxsize=8192)
def _cell_terms(row_text: str) -> frozenset[str]:
    """The content words of a row's cells after its label."""
    return frozenset(content_terms(" ".join(table_cells(row_text)[1:])))


def _told_by_other_cells(q_terms: set[str], spans: tuple[Span, ...], members: list[int],
                         scene: frozenset[str] = frozenset()) -> dict[int, int]:
    """For each row, how many of the question's words its cells after the label hold and no other row's cells do."""
    cells = {i: _cell_terms(spans[i].text) for i in members}
    # words, not figures or units: '90 days' in 'Do passwords still expire every 90 days?' is the value the asker
    # checks; a figure stated before the question is their case ('The rollout has reached 25%. How long ...?')
    words = {t for t in q_terms if (t.isalpha() or t in scene) and not _UNIT_WORD.fullmatch(t)
             and t not in _QUANTIFIERS}
    rows_with = {t: [i for i in members if t in cells[i]] for t in words}
    found: dict[int, int] = {}
    for rows in rows_with.values():
        if len(rows) == 1:
            found[rows[0]] = found.get(rows[0], 0) + 1
    return found


# A list item that opens with a short label ('UK: 45p per mile ...').
_ITEM_LABEL = re.compile(r"^([^:]{2,30}):\s+\S")


def _labelled_lists(spans: tuple[Span, ...]) -> list[list[int]]:
    """Runs of two or more consecutive list items that each open with a label of at most four words."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i, span in enumerate([*spans, None]):
        label = _ITEM_LABEL.match(span.readable) if span is not None and span.kind == "item" else None
        if label and len(label.group(1).split()) <= 4:
            run.append(i)
            continue
        if len(run) >= 2:
            runs.append(run)
        run = []
    return runs


def row_label(span: Span) -> str:
    """The row's first cell (what the row is about)."""
    return re.split(r"\s*\|\s*", span.text.strip().strip("|").strip(), maxsplit=1)[0]


def row_for_question(question: str, spans: tuple[Span, ...], index: int, table_header: str = "") -> str:
    """The row said in words with only the place columns the question names: 'How long can I book the SEM in
    Aberdeen?' reads 'For Electron microscope (SEM), Aberdeen is 8 hours per booking.', not Bristol's figure too.
    Columns that say something else about the row ('Training needed') stay. The row as read when the question
    names none of its place columns, or all of them."""
    span = spans[index]
    header = _header_of(spans, index, table_header)
    cells = table_cells(span.text)
    if not header or len(header) != len(cells):
        return span.readable
    places = [j for j in range(1, len(header)) if names_a_place_or_party(header[j].strip())]
    named = {j for j in places if _names(question, header[j])} \
        or {j for j in places if _names_its_country(question, header[j])}
    if not named or len(named) == len(places):
        return span.readable
    keep = [0, *(j for j in range(1, len(header)) if j not in places or j in named)]
    return row_in_words([header[j] for j in keep], [cells[j] for j in keep])


def label_header(spans: tuple[Span, ...], index: int, table_header: str = "") -> str:
    """The header of the label column of the table the row at `index` belongs to ('Trip'); '' when it has none."""
    header = _header_of(spans, index, table_header)
    return header[0] if header else ""


def table_header_cells(spans: tuple[Span, ...], index: int, table_header: str = "") -> list[str]:
    """The header cells of the table the row at `index` belongs to."""
    return _header_of(spans, index, table_header)


def _header_of(spans: tuple[Span, ...], index: int, table_header: str) -> list[str]:
    """The header cells of the table the row at `index` belongs to (`table_header` for a table the passage opens
    inside: table_rows then names its first row as the table's start)."""
    return _header_at(spans, table_rows(spans)[index][0], table_header)


def _header_at(spans: tuple[Span, ...], start: int, table_header: str) -> list[str]:
    """The header cells of the table table_rows says starts at span `start`."""
    if spans[start].kind == "heading":
        return table_cells(spans[start].text)
    return table_cells(table_header) if table_header else []


def _names(question: str, header: str) -> bool:
    """Does the question name the column's place ('Leeds' for 'Leeds (2 Wharf Street)', 'Porto' or 'Portuguese' for
    'Porto and Portuguese contracts')?"""
    return any(all(re.search(rf"\b{re.escape(w)}\b", question, re.I) for w in name.split())
               for name in place_names(header))


def _names_its_country(question: str, header: str) -> bool:
    """Does the question name the country of the column's place ('a Portugal contract' for 'Porto and Portuguese
    contracts')? Asked only when it names no column's place itself."""
    for name in place_names(header):
        place = place_called(name)
        if place is not None and mentions_country(place, question):
            return True
    return False


# A word of the question names a row in other words ('motorbike': Motorcycle, 'cycling': Bicycle) when it is this
# close in meaning to the row's label and this much closer than to any other label of the table ('scooters' is
# 0.54 from Motorcycle and 0.46 from Bicycle: no row).
ROW_MEANING_COSINE = 0.65
ROW_MEANING_MARGIN = 0.1


def rows_named_by_meaning(question: str, spans: tuple[Span, ...],
                          embed: Callable[[list[str]], np.ndarray]) -> list[tuple[int, list[int]]]:
    """(the row a question word names in other words, the other rows of its table), for each table whose labels
    no question word names as it is written (those are row_nudges' work)."""
    asked = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", question)
             if len(w) > 2 and w.lower() not in STOPWORDS}
    tables = _tables(table_rows(spans))
    if not asked or not tables:
        return []
    # Only words the passage does not use itself can name a row in other words (and only they are embedded).
    said = content_terms(" ".join(span.text for span in spans))
    words = sorted(w for w in asked if stem(w) not in said)
    stems = {stem(w) for w in asked}
    out = []
    for members in tables:
        labels = [row_label(spans[i]) for i in members]
        if len(members) < 2 or not words or any(content_terms(label) & stems for label in labels):
            continue
        vectors = embed([*words, *labels])
        closeness = (vectors[:len(words)] @ vectors[len(words):].T).max(axis=0)  # each label's nearest word
        order = np.argsort(-closeness)
        best, second = float(closeness[order[0]]), float(closeness[order[1]])
        if best >= ROW_MEANING_COSINE and best - second >= ROW_MEANING_MARGIN:
            named = members[int(order[0])]
            out.append((named, [i for i in members if i != named]))
    return out


def rows_for_places(places: list[Place], spans: tuple[Span, ...], homes: tuple[Place, ...] = ()
                    ) -> dict[int, list[int]]:
    """'Who approves a trip to Singapore?' over a table that lists 'Outside Europe': for each row that covers one of
    `places` (ones the passage never names; ragqa/places.py knows where they are), the other rows of its table. A
    list of items labelled by place ('UK: 45p per mile', 'Portugal: €0.40 per km') counts as a table. `homes`:
    where the asker is based, when the question says (a domestic row is for people based in its country)."""
    rows_at = table_rows(spans)
    labels = {i: row_label(spans[i]) for i in rows_at}
    lists = _labelled_lists(spans)
    labels.update({i: _ITEM_LABEL.match(spans[i].readable).group(1) for items in lists for i in items})
    out: dict[int, list[int]] = {}
    for place in places:
        for rows in [*_tables(rows_at), *lists]:
            label = covering_label(place, [labels[i] for i in rows], homes)
            if label:
                row = next(i for i in rows if labels[i] == label)
                out[row] = [i for i in rows if i != row]
    return out


# A column listing what belongs to each row's class ('Examples': 'Customer contracts, tender bids'): a question
# naming one of them asks about the row's class, which the article's rules are written for ('Paper marked
# Confidential ... goes into the confidential-waste consoles' answers 'can I bin old customer contracts?').
_EXAMPLES_HEADER = re.compile(r"^\s*(?:examples?|e\.\s?g\.?|for example|such as|includes?|including|typical\b.*"
                              r"|what (?:it|this) covers|covers)\s*$", re.I)
EXAMPLE_TERMS = 2  # an example named in fewer words ('Salaries') is too loose a match for a question's word


def classes_named_by_example(question: str, spans: tuple[Span, ...], table_header: str = ""
                             ) -> list[tuple[frozenset[str], frozenset[str]]]:
    """For each example in a table's examples column that the question names in full (every word of 'tender
    bids'): (the example's terms, the terms of its row's label the question does not say) - the shape of
    ragqa.policy_words.policy_matches, so the row's class counts as the question's everyday wording meant it."""
    asked = content_terms(question)
    found = []
    for index, (start, _) in table_rows(spans).items():  # (read once: this runs for every retrieved passage)
        header, cells = _header_at(spans, start, table_header), table_cells(spans[index].text)
        if len(header) != len(cells) or len(cells) < 2:
            continue
        label = content_terms(cells[0]) - asked
        for head, cell in zip(header[1:], cells[1:], strict=True):
            if not label or not _EXAMPLES_HEADER.match(head):
                continue
            for example in re.split(r"[,;]|\band\b|\bor\b", re.sub(r"\([^)]*\)", "", cell)):
                terms = content_terms(example)
                if len(terms) >= EXAMPLE_TERMS and terms <= asked:
                    found.append((frozenset(terms), frozenset(label)))
    return found


# A reference one is told to give without its value ('call the assistance line and quote the policy number'): the
# table row of that label holds it ('Policy number | FH-TRV-...').
_QUOTE_THE_THING = re.compile(r"\b(?:quote|give|state|provide|enter|mention|have ready)\s+(?:the|your|our)\s+"
                              r"(?P<thing>(?:[a-z][a-z-]+\s+){0,2}(?:number|code|reference|id))\b", re.I)


def things_to_quote(text: str) -> list[str]:
    """The references a text tells one to give without giving them ('quote the policy number' -> 'policy number')."""
    return list(dict.fromkeys(" ".join(m.group("thing").lower().split()) for m in _QUOTE_THE_THING.finditer(text)))


def markdown_row_label(line: str) -> str:
    """A Markdown table row's first cell, lower case and unmarked ('| **Policy number** | ...' -> 'policy number')."""
    if not line.lstrip().startswith("|"):
        return ""
    return " ".join(line.strip().strip("|").split("|")[0].replace("*", "").lower().split())

