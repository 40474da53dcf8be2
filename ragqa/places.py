"""Countries and major cities by continent: which table row a place the table does not list falls under.

A policy table lists a few destinations and sums up the rest ('Other European countries', 'Outside Europe', 'Rest
of the world', 'Elsewhere in the UK'). A question about Singapore, Madrid or Manchester is answered by one of those
rows, but nothing in the text says which: the embedding model reads 'Madrid' as nearer to 'Porto' than to 'Other
European cities'. This module knows where common places are, and which summing-up label covers them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ragqa.words import STOPWORDS, stem, words

# Countries by continent (common English names; aliases after '='). General knowledge, not any corpus's wording.
_COUNTRIES = {
    "Europe": """Albania; Andorra; Austria; Belarus; Belgium; Bosnia and Herzegovina=Bosnia; Bulgaria; Croatia;
        Cyprus; Czech Republic=Czechia; Denmark; Estonia; Finland; France; Germany; Greece; Hungary; Iceland;
        Ireland=Republic of Ireland; Italy; Kosovo; Latvia; Liechtenstein; Lithuania; Luxembourg; Malta; Moldova;
        Monaco; Montenegro; Netherlands=Holland=the Netherlands; North Macedonia=Macedonia; Norway; Poland;
        Portugal; Romania; San Marino; Serbia; Slovakia; Slovenia; Spain; Sweden; Switzerland; Ukraine;
        United Kingdom=UK=Britain=Great Britain=England=Scotland=Wales=Northern Ireland; Vatican""",
    "Asia": """Afghanistan; Armenia; Azerbaijan; Bahrain; Bangladesh; Bhutan; Brunei; Cambodia; China; Georgia;
        India; Indonesia; Iran; Iraq; Israel; Japan; Jordan; Kazakhstan; Kuwait; Kyrgyzstan; Laos; Lebanon;
        Malaysia; Maldives; Mongolia; Myanmar=Burma; Nepal; North Korea; Oman; Pakistan; Philippines; Qatar;
        Russia; Saudi Arabia; Singapore; South Korea=Korea; Sri Lanka; Syria; Taiwan; Tajikistan; Thailand;
        Timor-Leste; Turkey=Türkiye; Turkmenistan; United Arab Emirates=UAE; Uzbekistan; Vietnam; Yemen;
        Hong Kong""",
    "Africa": """Algeria; Angola; Benin; Botswana; Burkina Faso; Burundi; Cameroon; Cape Verde=Cabo Verde;
        Central African Republic; Chad; Comoros; Congo; Democratic Republic of the Congo=DRC; Djibouti; Egypt;
        Equatorial Guinea; Eritrea; Eswatini; Ethiopia; Gabon; Gambia; Ghana; Guinea; Guinea-Bissau; Ivory Coast;
        Kenya; Lesotho; Liberia; Libya; Madagascar; Malawi; Mali; Mauritania; Mauritius; Morocco; Mozambique;
        Namibia; Niger; Nigeria; Rwanda; Senegal; Seychelles; Sierra Leone; Somalia; South Africa; South Sudan;
        Sudan; Tanzania; Togo; Tunisia; Uganda; Zambia; Zimbabwe""",
    "North America": """United States=USA=US=United States of America=America; Canada; Mexico; Guatemala; Belize;
        Honduras; El Salvador; Nicaragua; Costa Rica; Panama; Cuba; Jamaica; Haiti; Dominican Republic; Bahamas;
        Barbados; Trinidad and Tobago""",
    "South America": """Argentina; Bolivia; Brazil; Chile; Colombia; Ecuador; Guyana; Paraguay; Peru; Suriname;
        Uruguay; Venezuela""",
    "Oceania": """Australia; New Zealand; Fiji; Papua New Guinea; Samoa; Tonga; Vanuatu""",
}

# Major cities, by their country's first name above.
_CITIES = {
    "United Kingdom": """London; Manchester; Birmingham; Leeds; Liverpool; Bristol; Sheffield; Newcastle;
        Nottingham; Leicester; Cambridge; Oxford; Brighton; Southampton; York; Hull; Bradford; Edinburgh; Glasgow;
        Aberdeen; Dundee; Cardiff; Swansea; Belfast""",
    "Portugal": "Lisbon; Porto; Braga; Coimbra; Faro; Aveiro; Funchal; Évora=Evora",
    "Spain": "Madrid; Barcelona; Valencia; Seville; Bilbao; Malaga",
    "France": "Paris; Lyon; Marseille; Toulouse; Nice; Bordeaux; Lille; Strasbourg",
    "Germany": "Berlin; Munich; Hamburg; Frankfurt; Cologne; Stuttgart; Düsseldorf=Dusseldorf; Leipzig",
    "Italy": "Rome; Milan; Naples; Turin; Florence; Venice; Bologna",
    "Netherlands": "Amsterdam; Rotterdam; The Hague; Utrecht; Eindhoven",
    "Belgium": "Brussels; Antwerp; Ghent",
    "Switzerland": "Zurich; Geneva; Basel; Bern",
    "Austria": "Vienna; Salzburg",
    "Ireland": "Dublin; Cork; Galway",
    "Denmark": "Copenhagen", "Sweden": "Stockholm; Gothenburg", "Norway": "Oslo; Bergen",
    "Finland": "Helsinki", "Poland": "Warsaw; Krakow; Gdansk", "Czech Republic": "Prague",
    "Hungary": "Budapest", "Greece": "Athens", "Iceland": "Reykjavik", "Romania": "Bucharest",
    "Turkey": "Istanbul; Ankara",
    "United States": """New York; Washington; Boston; Chicago; San Francisco; Los Angeles; Seattle; Houston;
        Dallas; Austin; Miami; Atlanta; Denver; Philadelphia""",
    "Canada": "Toronto; Montreal; Vancouver; Ottawa; Calgary",
    "Mexico": "Mexico City", "Brazil": "São Paulo=Sao Paulo; Rio de Janeiro", "Argentina": "Buenos Aires",
    "Chile": "Santiago", "Colombia": "Bogotá=Bogota", "Peru": "Lima",
    "Japan": "Tokyo; Osaka; Kyoto", "China": "Beijing; Shanghai; Shenzhen", "South Korea": "Seoul; Busan",
    "India": "Delhi; New Delhi; Mumbai; Bangalore=Bengaluru; Chennai; Hyderabad", "Singapore": "",
    "Thailand": "Bangkok", "Vietnam": "Hanoi; Ho Chi Minh City", "Indonesia": "Jakarta",
    "Malaysia": "Kuala Lumpur", "Philippines": "Manila", "Taiwan": "Taipei",
    "United Arab Emirates": "Dubai; Abu Dhabi", "Qatar": "Doha", "Israel": "Tel Aviv; Jerusalem",
    "Saudi Arabia": "Riyadh",
    "Egypt": "Cairo", "Kenya": "Nairobi", "Nigeria": "Lagos", "South Africa": "Cape Town; Johannesburg",
    "Morocco": "Marrakesh; Casablanca",
    "Australia": "Sydney; Melbourne; Brisbane; Perth", "New Zealand": "Auckland; Wellington",
}

# What a country's people and things are called ('Japanese suppliers' are suppliers in Japan): a question's
# demonym names the country its text may call by name ('U.S.', 'the United States').
_DEMONYMS = {
    "United States": "American", "United Kingdom": "British=English=Scottish=Welsh", "Japan": "Japanese",
    "China": "Chinese", "South Korea": "South Korean=Korean", "North Korea": "North Korean", "Germany": "German",
    "France": "French", "Spain": "Spanish", "Portugal": "Portuguese", "Italy": "Italian", "Russia": "Russian",
    "India": "Indian", "Canada": "Canadian", "Australia": "Australian", "Mexico": "Mexican", "Brazil": "Brazilian",
    "Ireland": "Irish", "Netherlands": "Dutch", "Switzerland": "Swiss", "Sweden": "Swedish", "Norway": "Norwegian",
    "Denmark": "Danish", "Poland": "Polish", "Turkey": "Turkish", "Israel": "Israeli", "Iran": "Iranian",
    "Ukraine": "Ukrainian", "Taiwan": "Taiwanese", "Vietnam": "Vietnamese", "Philippines": "Filipino=Philippine",
    "Indonesia": "Indonesian", "Thailand": "Thai", "Egypt": "Egyptian", "Greece": "Greek", "Belgium": "Belgian",
    "Austria": "Austrian", "Finland": "Finnish", "Pakistan": "Pakistani", "Saudi Arabia": "Saudi",
    "South Africa": "South African", "Nigeria": "Nigerian", "Kenya": "Kenyan", "Singapore": "Singaporean",
    "Malaysia": "Malaysian", "New Zealand": "New Zealander", "Argentina": "Argentine=Argentinian",
    "Iraq": "Iraqi", "Afghanistan": "Afghan", "Syria": "Syrian", "Cuba": "Cuban", "Chile": "Chilean",
    "Colombia": "Colombian", "Peru": "Peruvian", "Hungary": "Hungarian", "Romania": "Romanian",
    "Czech Republic": "Czech",
}

_CONTINENT_WORDS = {"europe": "Europe", "european": "Europe", "eu": "Europe", "asia": "Asia", "asian": "Asia",
                    "africa": "Africa", "african": "Africa", "north america": "North America",
                    "south america": "South America", "latin america": "South America", "oceania": "Oceania",
                    "australasia": "Oceania"}


@dataclass(frozen=True, slots=True)
class Place:
    country: str  # its first name in _COUNTRIES
    continent: str
    names: tuple[str, ...]  # the country's names, lower-cased ('united kingdom', 'uk', ...)


def _split(names: str) -> list[list[str]]:
    return [[n.strip() for n in entry.split("=")] for entry in names.replace("\n", " ").split(";") if entry.strip()]


def _key(name: str) -> tuple[str, ...]:
    """A name as question_names (service/grounding.py) gives it: stemmed words, no stop words."""
    return tuple(stem(w) for w in words(name) if len(w) > 1 and w not in STOPWORDS)


@cache
def _gazetteer() -> tuple[dict[tuple[str, ...], Place], dict[str, Place]]:
    by_key: dict[tuple[str, ...], Place] = {}
    by_country: dict[str, Place] = {}
    for continent, countries in _COUNTRIES.items():
        for names in _split(countries):
            place = Place(names[0], continent, tuple(n.lower() for n in names))
            by_country[names[0]] = place
            for name in names:
                if _key(name):
                    by_key.setdefault(_key(name), place)
    for country, cities in _CITIES.items():
        for names in _split(cities):
            for name in names:
                if _key(name):
                    by_key.setdefault(_key(name), by_country[country])
    return by_key, by_country


def place_of(name: tuple[str, ...]) -> Place | None:
    """The country and continent of a stemmed name ('singapor',) or ('new', 'york'), if it is a known place."""
    return _gazetteer()[0].get(name)


def region_of(name: tuple[str, ...]) -> str | None:
    """The continent a stemmed name stands for: ('europ',) -> Europe, ('asian',) -> Asia; None for anything else."""
    return _regions().get(name)


@cache
def _regions() -> dict[tuple[str, ...], str]:
    return {_key(word): continent for word, continent in _CONTINENT_WORDS.items()}


# Summing-up labels: 'Other European countries', 'Elsewhere in the UK', 'Outside Europe', 'Rest of the world'.
_OTHER_IN = re.compile(r"\b(?:other|elsewhere in|rest of|remaining|everywhere else in|all other)\s+(?:the\s+)?"
                       r"([a-z][a-z ]*?)(?:\s+(?:countries|country|cities|city|destinations|locations|areas))?\s*$")
_OUTSIDE = re.compile(r"\b(?:outside|beyond|non-?)\s*(?:the\s+)?([a-z][a-z ]*?)\s*$")
_ANYWHERE = re.compile(r"\b(?:rest of the world|other countries|other destinations|all other destinations"
                       r"|anywhere else|elsewhere|worldwide|international|overseas)\b")


def covering_label(place: Place, labels: list[str], homes: tuple[Place, ...] = ()) -> str | None:
    """Of a table's row labels, the one that covers `place`: the row naming its country ('USA and Canada' for New
    York), else a summing-up row for its region ('Other European countries' for Madrid, 'Elsewhere in the UK' for
    Manchester), else one for places outside a region it is not in ('Outside Europe' for Tokyo), else the rest of
    the world. None when no label covers it. A domestic row ('Portugal domestic') is for people based in its
    country: not for a trip there from one of `homes` elsewhere (a Leeds-based engineer in Lisbon)."""
    best, best_rank = None, 0
    for label in labels:
        rank = _coverage(place, label)
        if rank == 4 and homes and _DOMESTIC.search(label) and all(h.country != place.country for h in homes):
            rank = 0
        if rank > best_rank:
            best, best_rank = label, rank
    return best


_DOMESTIC = re.compile(r"\b(?:domestic|national|in-country|within)\b", re.I)


def _coverage(place: Place, label: str) -> int:
    text = " ".join(re.sub(r"\([^)]*\)", " ", label.lower()).split())
    clauses = [c.strip() for c in re.split(r",|\bor\b|\band\b", text) if c.strip()]
    rank = 0
    for clause in clauses:  # 'Between Leeds and Porto, or elsewhere in Europe': each clause on its own
        other, outside = _OTHER_IN.search(clause), _OUTSIDE.search(clause)
        if any(re.search(rf"\b{re.escape(name)}\b", clause) for name in place.names) and not (other or outside):
            rank = max(rank, 4)  # 'USA and Canada', 'UK domestic'
        elif other and _known_region(other.group(1)):
            rank = max(rank, 3 if _in_region(place, other.group(1)) else 0)
        elif outside and _known_region(outside.group(1)):
            rank = max(rank, 0 if _in_region(place, outside.group(1)) else 2)
        elif _ANYWHERE.search(clause):
            rank = max(rank, 1)
    return rank


def _known_region(region: str) -> bool:
    region = _region_word(region)
    return region in _CONTINENT_WORDS or any(region in p.names for p in _gazetteer()[1].values())


def _in_region(place: Place, region: str) -> bool:
    region = _region_word(region)
    return _CONTINENT_WORDS.get(region) == place.continent or region in place.names


def _region_word(region: str) -> str:
    return re.sub(r"\s+(?:countries|country|cities|city|destinations|locations|areas)$", "", region.strip())


def country_of(name: tuple[str, ...]) -> Place | None:
    """The country a stemmed name or demonym stands for: ('american',) -> United States, ('japan',) -> Japan; None
    for a city ('Manchester' is in the UK, but a text naming the UK does not name it)."""
    place = place_of(name)
    if place and name in {_key(n) for n in place.names}:
        return place
    return _demonyms().get(name)


@cache
def _demonyms() -> dict[tuple[str, ...], Place]:
    by_country = _gazetteer()[1]
    return {_key(d): by_country[country] for country, names in _DEMONYMS.items() for d in names.split("=")}


def place_called(name: str) -> Place | None:
    """The country a name as written stands for, by its name, a city in it or its demonym ('Porto', 'Portuguese')."""
    return country_of(_key(name)) or place_of(_key(name))


def mentions_country(place: Place, text: str) -> bool:
    """Does the text name the country, by a name ('the United States', 'U.S.', 'USA') or its demonym ('American')?"""
    return bool(_country_pattern(place).search(text))


@cache
def _country_pattern(place: Place) -> re.Pattern:
    demonyms = [d for country, names in _DEMONYMS.items() if country == place.country for d in names.split("=")]
    plain, initials = [], []
    for name in [*place.names, *(d.lower() for d in demonyms)]:
        if len(name) <= 4 and name.isalpha() and name not in ("iran", "iraq", "cuba", "peru", "chad", "mali", "oman",
                                                                 "laos", "togo", "fiji"):
            initials.append(r"\.?".join(re.escape(c.upper()) for c in name) + r"\.?")  # 'US', 'U.S.', 'UAE'
        else:
            plain.append(re.escape(name))
    parts = [rf"(?i:\b(?:{'|'.join(plain)})\b)"] if plain else []
    if initials:
        parts.append(rf"\b(?:{'|'.join(initials)})(?![A-Za-z])")
    return re.compile("|".join(parts))


_EVERYWHERE = re.compile(r"\b(?:worldwide|anywhere in the world|all countries|any country|every country|abroad"
                         r"|overseas)\b", re.I)  # ("abroad": any country but home, which a trip elsewhere is)


def region_named(place: Place, text: str) -> bool:
    """Does the text name the place's country or its continent ('Cash withdrawals, except on trips outside Europe'
    speaks of Madrid)? The place itself may still be unnamed."""
    if mentions_country(place, text) or _EVERYWHERE.search(text):
        return True  # (a rule for anywhere in the world speaks of every place)
    words = [w for w, continent in _CONTINENT_WORDS.items() if continent == place.continent and w != "eu"]
    return bool(words) and bool(re.search(rf"\b(?:{'|'.join(map(re.escape, words))})\b", text, re.I))


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’.-]*)(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][\w'’.-]*)*")


def countries_placed(text: str) -> set[str]:
    """The countries of the places a text names, cities too, word by word ('Porto office guide' -> {'Portugal'};
    countries_named leaves cities out)."""
    return {place.country for w in words(text) if (place := place_of((stem(w),)))}


def countries_named(text: str) -> set[str]:
    """The countries a text names, by a name or a demonym ('South Korea spends...' -> {'South Korea'}): each run of
    capitalised words, whole and word by word."""
    found: set[str] = set()
    for run in _CAPITALISED_RUN.findall(text):
        key = _key(run.replace(".", ""))
        for size in range(len(key), 0, -1):
            for start in range(len(key) - size + 1):
                place = country_of(key[start:start + size])
                if place:
                    found.add(place.country)
    return found
