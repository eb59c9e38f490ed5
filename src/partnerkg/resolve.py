"""Resolve: partner and home names -> Institutions and Departments with stable ids.

First pass (within and across documents, by folded name and country): a name is split into its
institution and its unit ("Faculté d'Ingénierie, Université de Waterloo"); rows naming the same
institution give one entity; ids come from the lock file so that they never change.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .config import Source
from .lexicon import (
    has_discipline_word,
    has_head_word,
    has_institution_word,
    has_unit_word,
    starts_with_unit_word,
)
from .lock import Lock
from .model import AgreementRow
from .text import fold, fold_spaces


@dataclass(frozen=True)
class Entity:
    id: str  # the IRI path under the data namespace, e.g. "institution/universite-de-liege-be"
    kind: str  # "institution" or "department"
    pref_label: str
    labels: tuple[str, ...]  # every name as written, first seen first
    country: str | None
    parent: str | None = None  # a department's institution
    stated_count: int | None = None


@dataclass(frozen=True)
class Resolution:
    entities: dict[str, Entity]
    partner: dict[tuple[str, str], tuple[str, str | None]]  # (source, row key) -> (institution, unit)
    home: dict[str, str]  # source id -> institution id
    home_unit: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, row key) -> unit
    home_unit_named: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, unit name) -> unit


@dataclass(frozen=True)
class NameParts:
    institution: str
    unit: str | None


def split_name(name: str) -> NameParts:
    """The institution a name refers to, and the unit of it the name names, if any.

    >>> split_name("Faculté d'Ingénierie, Université de Waterloo")
    NameParts(institution='Université de Waterloo', unit="Faculté d'Ingénierie")
    >>> split_name("Gembloux Agro Bio Tech / Université de Liège")
    NameParts(institution='Université de Liège', unit='Gembloux Agro Bio Tech')
    >>> split_name("UPC - Castelldefels School of Telecommunications and Aerospace Engineering")
    NameParts(institution='UPC', unit='Castelldefels School of Telecommunications and Aerospace Engineering')
    >>> split_name("Université de Californie, Berkeley")
    NameParts(institution='Université de Californie, Berkeley', unit=None)
    >>> split_name("Technion - Israel Institute of Technology")
    NameParts(institution='Technion - Israel Institute of Technology', unit=None)
    """
    parts = _split_outside_brackets(name, ",")
    if len(parts) == 1:
        return _split_alternatives(name)
    if any(has_institution_word(p) for p in parts):
        k = max(i for i, p in enumerate(parts) if has_institution_word(p))
    elif starts_with_unit_word(parts[0]):
        k = len(parts) - 1
    else:
        heads = [i for i, p in enumerate(parts) if has_head_word(p)]
        k = heads[-1] if heads else 0
    units = parts[:k]
    institution = [parts[k]]
    for part in parts[k + 1:]:
        (units if has_unit_word(part) or has_discipline_word(part) or has_institution_word(part)
         else institution).append(part)
    inner = _split_alternatives(", ".join(institution))
    if inner.unit:
        units.append(inner.unit)
    return NameParts(inner.institution, ", ".join(units) or None)


def _split_alternatives(name: str) -> NameParts:
    """Split at " / " or " - " where one side is a unit of the other."""
    for separator in ("/", " - "):
        parts = [p.strip() for p in _split_outside_brackets(name, separator)]
        if len(parts) < 2:
            continue
        strong = [p for p in parts if has_institution_word(p)]
        if separator == "/" and len(strong) == 1:
            return NameParts(strong[0], ", ".join(p for p in parts if p != strong[0]))
        units = [p for p in parts if has_unit_word(p) and not has_institution_word(p)]
        if units and len(units) < len(parts):
            return NameParts(" ".join(p for p in parts if p not in units), ", ".join(units))
    return NameParts(name, None)


def _split_outside_brackets(text: str, separator: str) -> list[str]:
    parts, depth, quote, start = [], 0, False, 0
    i = 0
    while i < len(text):
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == '"':
            quote = not quote
        elif text.startswith(separator, i) and depth == 0 and not quote:
            parts.append(text[start:i].strip())
            start = i + len(separator)
            i = start
            continue
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


_ACRONYM = re.compile(r"\s*\(([^)]*)\)\s*$")


def name_key(name: str) -> str:
    """What two spellings of one name share: folded, a trailing "(ACRONYM)" dropped.

    >>> name_key("Kungliga Tekniska Högskolan (KTH)") == name_key("Kungliga tekniska högskolan")
    True
    """
    return fold(_ACRONYM.sub("", name)) or fold(name)


def resolve(rows: list[AgreementRow], sources: tuple[Source, ...], lock: Lock) -> Resolution:
    """Entities for every partner, partner unit, home institution and home unit."""
    builder = _Builder(lock)
    home = {}
    for source in sources:
        if source.home.name:
            home[source.id] = builder.institution(source.home.name, source.home.country or None)
        else:
            label = f"Home institution of {source.id}"
            home[source.id] = builder.institution(label, source.home.country or None, key=f"home|{source.id}")
    partner, home_unit, home_unit_named = {}, {}, {}
    for row in rows:
        parts = split_name(row.partner)
        institution = builder.institution(parts.institution, row.country)
        unit = builder.department(parts.unit, institution, row.country) if parts.unit else None
        builder.label(unit or institution, row.partner)
        partner[(row.source, row.key)] = (institution, unit)
        if row.home_unit:
            unit_id = builder.department(row.home_unit, home[row.source], None)
            home_unit[(row.source, row.key)] = home_unit_named[(row.source, row.home_unit)] = unit_id
    return Resolution(builder.entities(), partner, home, home_unit, home_unit_named)


class _Builder:
    def __init__(self, lock: Lock) -> None:
        self.lock = lock
        self.labels: dict[str, list[str]] = {}
        self.kind: dict[str, str] = {}
        self.country: dict[str, str | None] = {}
        self.parent: dict[str, str] = {}

    def institution(self, name: str, country: str | None, key: str | None = None) -> str:
        key = key or f"institution|{country or '-'}|{name_key(name)}"
        suffix = f" {country.lower()}" if country else ""
        entity_id = self.lock.mint(key, name + suffix, "institution")
        self._note(entity_id, "institution", name, country)
        return entity_id

    def department(self, name: str, institution: str, country: str | None) -> str:
        key = f"department|{institution}|{name_key(name)}"
        entity_id = self.lock.mint(key, f"{institution.split('/', 1)[1]} {name}", "department")
        self._note(entity_id, "department", name, country)
        self.parent[entity_id] = institution
        return entity_id

    def label(self, entity_id: str, name: str) -> None:
        self.labels[entity_id].append(fold_spaces(name))

    def _note(self, entity_id: str, kind: str, name: str, country: str | None) -> None:
        self.kind[entity_id] = kind
        self.labels.setdefault(entity_id, []).append(fold_spaces(name))
        if country and not self.country.get(entity_id):
            self.country[entity_id] = country

    def entities(self) -> dict[str, Entity]:
        result = {}
        for entity_id, names in self.labels.items():
            counts = Counter(names)
            # the most used name; among equals, the first seen
            pref = max(dict.fromkeys(names), key=lambda n: counts[n])
            result[entity_id] = Entity(
                id=entity_id, kind=self.kind[entity_id], pref_label=pref,
                labels=tuple(dict.fromkeys(names)), country=self.country.get(entity_id),
                parent=self.parent.get(entity_id),
            )
        return result
