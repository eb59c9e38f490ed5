"""What a name means, independent of its language: the Signature two names are compared on.

"Université de Technologie de Dresde" and "Technische Universität Dresden" share one signature:
type university, distinguishing meaning technology, place Dresden (GeoNames), no other words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..reference import geography as places
from ..reference.lexicon import generic_lexicon, is_generic, meanings
from ..text import fold

_ROMAN = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII)$")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_PAREN = re.compile(r"\(([^()]*)\)")
_LOST = re.compile(r"(?<=\w)[?\ufffd](?=\w)")


@dataclass(frozen=True)
class Signature:
    name: str
    folded: str
    country: str | None  # the country the name is read in (its block)
    types: frozenset[str]  # what kind of body: university, institute, school, ...
    spanning: bool  # a type word that spans several kinds (Hochschule, högskola)
    tags: frozenset[str]  # distinguishing meanings: technology, national, medical, ...
    cities: frozenset[str]  # GeoNames ids of the places named
    countries: frozenset[str]  # countries named ("de Suède", "Danmarks")
    proper: frozenset[str]  # the words left: what names this very institution
    acronyms: frozenset[str]  # written acronyms ("KTH", "(UNSAM)")
    initials: str  # first letters of the words that are not places
    numbers: frozenset[str]  # "Rennes 2", "Paris VI"
    all_initials: str = ""  # first letters of every word but stop words, places included ("KAIST")
    located: frozenset[str] = frozenset()  # a registry record's city, for a name naming no place
    regions: frozenset[str] = frozenset()  # ISO 3166-2 regions named ("Pennsylvanie", "Kalifornien")

    @property
    def identifying(self) -> bool:
        """Whether the name holds anything beyond generic words."""
        return bool(self.proper or self.cities or self.acronyms)


@lru_cache(maxsize=200_000)
def bare(name: str) -> str:
    """The name without the acronyms it declares in brackets, folded.

    >>> bare("University of Ha'il (UoH)") == bare("University of Ha'il")
    True
    >>> bare("Universidad (de la) República")
    'universidad de la republica'
    """
    return fold(_PAREN.sub(lambda m: " " if _is_acronym(m[1].strip(), declared=True) else f" {m[1]} ", name))


@lru_cache(maxsize=1 << 18)  # the same names recur across rows and documents; a Signature is immutable
def signature(name: str, country: str | None) -> Signature:
    """The signature of a name of an institution in a country.

    >>> a = signature("Université de Technologie de Dresde", "DE")
    >>> b = signature("Technische Universität Dresden", "DE")
    >>> (a.types, a.tags, a.cities == b.cities, a.proper) == (b.types, b.tags, True, b.proper)
    True
    >>> signature("Kungliga Tekniska Högskolan (KTH)", "SE").initials
    'KTH'
    >>> upper = signature("INSTITUT NATIONAL DES SCIENCES APPLIQUEES DE RENNES", "FR")
    >>> upper.acronyms, upper.types, sorted(upper.tags)
    (frozenset(), frozenset({'institute'}), ['applied', 'national', 'science'])
    >>> signature("UNIVERSITAT ROVIRA I VIRGILI", "ES").numbers, signature("UNIVERSITE PARIS VI", "FR").numbers
    (frozenset(), frozenset({'6'}))
    """
    stop = generic_lexicon()[2]
    acronyms = {m.strip() for m in _PAREN.findall(name) if _is_acronym(m.strip(), declared=True)}
    text = _PAREN.sub(lambda m: " " if _is_acronym(m[1].strip(), declared=True) else f" {m[1]} ", name)
    text = _LOST.sub("", text)  # a character an export lost ("POLIT?CNICA"): the word stays one word
    raw = _TOKEN.findall(text)
    # a name written in capitals is read as words: "KUNGLIGA TEKNISKA HÖGSKOLAN", "ROVIRA I VIRGILI";
    # its acronyms are those declared in brackets, and a Roman numeral only ends it ("PARIS VI")
    capitals = not any(c.islower() for c in text) and len([t for t in raw if not t.isdigit()]) > 1
    numbers = {t for n, t in enumerate(raw) if t.isdigit() or (_ROMAN.match(t) and (not capitals or n == len(raw) - 1))}
    if not capitals:
        acronyms |= {t for t in text.split() if _is_acronym(t.strip(",.;:'\"")) and not _ROMAN.match(t)}
    acronyms = {a.strip(",.;:'\"") for a in acronyms}
    words = [fold(t) for t in raw if t not in numbers]
    words = [w for w in words if w]
    types, tags, cities, countries_named, proper, regions = set(), set(), set(), set(), set(), set()
    spanning = False
    initials, all_initials = [], []
    i = 0
    while i < len(words):
        place_len, place_ids, place_country = _place_at(words, i, country)
        if words[i] not in stop:
            all_initials.append(words[i][0].upper())
        if place_len:
            cities |= {p for p in place_ids if not p.startswith("iso:")}
            regions |= {p for p in place_ids if p.startswith("iso:")}
            if place_country:
                countries_named.add(place_country)
            i += place_len
            continue
        word = words[i]
        i += 1
        if word in stop:
            continue
        initials.append(word[0].upper())
        found = meanings(word)
        if not found:
            proper.add(word)
            continue
        for label in found:
            section, meaning = label.split(":", 1)
            if section == "distinguishing":
                tags.add(meaning)
            elif meaning == "spanning":
                spanning = True
            else:
                types.add(meaning)
    return Signature(
        name=name, folded=fold(name), country=country, types=frozenset(types), spanning=spanning, tags=frozenset(tags),
        cities=frozenset(cities), countries=frozenset(countries_named), proper=frozenset(proper),
        acronyms=frozenset(fold(a).replace(" ", "") for a in acronyms), initials="".join(initials),
        numbers=frozenset(_number(n) for n in numbers), all_initials="".join(all_initials),
        regions=frozenset(regions),
    )


def _place_at(words: list[str], i: int, country: str | None) -> tuple[int, frozenset[str], str | None]:
    """The longest place name starting at word i: (its length in words, GeoNames ids, country)."""
    for size in range(min(places.MAX_WORDS, len(words) - i), 0, -1):
        run = words[i:i + size]
        if size == 1 and is_generic(run[0]):
            return 0, frozenset(), None
        ids = places.city(run, country)
        if ids:
            return size, ids, None
        if size > 1 or len(run[0]) >= 5:  # a region: "Pennsylvanie" (single short words are too often other words)
            ids = places.region(run, country)
            if ids:
                return size, ids, None
        named = places.country_named(run)
        if named:
            return size, frozenset(), named
    return 0, frozenset(), None


def _is_acronym(token: str, declared: bool = False) -> bool:
    """Whether a token is an acronym: in capitals ("KTH"), or, declared in brackets after a name,
    opening with a capital and holding another ("RuG", "UniBo").

    >>> _is_acronym("KTH"), _is_acronym("RuG"), _is_acronym("RuG", declared=True), _is_acronym("Qingdao", declared=True)
    (True, False, True, False)
    """
    letters = token.replace("&", "")
    if not (2 <= len(letters) <= 8 and letters.isalnum() and any(c.isalpha() for c in letters)):
        return False
    if letters.upper() == letters:
        return True
    return declared and letters[0].isupper() and sum(c.isupper() for c in letters) >= 2


_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
                 "XI": 11, "XII": 12, "XIII": 13}


def _number(token: str) -> str:
    return str(_ROMAN_VALUES.get(token, token)).lstrip("0") or "0"
