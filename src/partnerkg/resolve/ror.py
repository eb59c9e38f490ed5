"""The Research Organization Registry (ROR), read from its official v2 dump format.

A dump is a JSON array of records (``id``, ``status``, ``names[{value, types, lang}]``,
``locations[{geonames_details{country_code, name}}]``, ``relationships``), plain or gzipped.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..errors import SourceError
from ..reference import geography as places
from ..text import fold
from .names import name_key
from .signature import Signature, meanings, signature


@dataclass(frozen=True)
class RorRecord:
    id: str
    status: str
    display: str
    display_language: str  # the display name's language, where ROR knows it ('' else)
    country: str
    city: str
    names: tuple[str, ...]  # labels and aliases
    labels: tuple[str, ...]  # the display name and labels (names in use today)
    acronyms: tuple[str, ...]
    successors: tuple[str, ...]


@dataclass
class RorIndex:
    records: dict[str, RorRecord]
    by_name: dict[tuple[str, str], frozenset[str]]  # (country, name key) -> ids
    names: dict[str, list[tuple[str, str]]]  # country -> (name, record id)
    by_name_any: dict[str, frozenset[str]] = field(default_factory=dict)  # name key -> ids, any country
    digest: str = "empty"  # of the dump it was read from: what a cached clustering was made with

    def __len__(self) -> int:
        return len(self.records)

    @cached_property
    def countries_by_word(self) -> dict[str, frozenset[str]]:
        """Each folded word of a name in use today -> the countries whose records use it; made once,
        on the first question, since only rows whose country is in doubt ask it."""
        found: dict[str, set[str]] = defaultdict(set)
        for record in self.records.values():
            if record.status == "active":
                for name in record.labels:
                    for word in fold(name).split():
                        found[word].add(record.country)
        return {word: frozenset(countries) for word, countries in found.items()}

    def signatures(self, country: str | None, mentions: list[Signature]) -> list[tuple[Signature, str]]:
        """Signatures of the country's ROR names that could match one of the mentions.

        Computing a signature costs a gazetteer look-up per word; only names sharing a word, a
        city, or the meanings of a mention without words of its own are worth it.
        """
        if not country or country not in self.names:
            return []
        words = {w for m in mentions for w in m.proper | m.acronyms}
        words |= {w for m in mentions for w in places.names_of(m.cities, country)}
        words |= {w for m in mentions for w in places.region_words(m.regions, country)}
        cities = {c for m in mentions for c in m.cities}
        generic_tags = {m.tags for m in mentions if not m.proper and m.tags}
        result = []
        for name, record_id in self.names[country]:
            folded = set(fold(name).split())
            located = places.city(fold(self.records[record_id].city).split(), country)
            if not (folded & words or located & cities or (generic_tags and _tags(folded) in generic_tags)):
                continue
            named = signature(name, country)
            if not named.cities and located:
                named = replace(named, located=located)  # the record's city places a name that names none
            result.append((named, record_id))
        return result


def _tags(words: set[str]) -> frozenset[str]:
    return frozenset(label.split(":", 1)[1] for w in words for label in meanings(w)
                     if label.startswith("distinguishing:"))


EMPTY = RorIndex({}, {}, {})


def load_ror(path: Path | None, countries: set[str] | None = None) -> RorIndex:
    """Index a ROR v2 dump, keeping only records in ``countries`` when given."""
    if path is None:
        return EMPTY
    try:
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    except FileNotFoundError:
        raise SourceError(f"{path}: ROR dump not found") from None
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{path}: not a ROR v2 JSON dump: {exc}") from None
    records: dict[str, RorRecord] = {}
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_name_any: dict[str, set[str]] = defaultdict(set)
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in data:
        record = _record(item)
        if record is None or (countries is not None and record.country not in countries):
            continue
        records[record.id] = record
        for name in record.names:
            by_name[(record.country, name_key(name))].add(record.id)
            names[record.country].append((name, record.id))
        if record.status == "active":  # a name's country, from today's names only (not old aliases)
            for name in record.labels:
                by_name_any[name_key(name)].add(record.id)
            names[record.country].append((name, record.id))
    kept = None if countries is None else sorted(countries)
    digest = hashlib.sha256(raw + repr(kept).encode()).hexdigest()
    return RorIndex(records, {k: frozenset(v) for k, v in by_name.items()}, dict(names),
                    {k: frozenset(v) for k, v in by_name_any.items()}, digest)


def _record(item: dict) -> RorRecord | None:
    try:
        names = item["names"]
        location = (item.get("locations") or [{}])[0].get("geonames_details", {})
    except (KeyError, TypeError, AttributeError):
        return None
    labels = tuple(n["value"] for n in names if {"label", "alias", "ror_display"} & set(n.get("types", [])))
    shown = next((n for n in names if "ror_display" in n.get("types", [])), None)
    display = shown["value"] if shown else labels[0] if labels else ""
    return RorRecord(
        id=item["id"], status=item.get("status", "active"), display=display,
        display_language=(shown.get("lang") or "") if shown else "",
        country=location.get("country_code", ""), city=location.get("name", ""), names=labels,
        labels=tuple(n["value"] for n in names if {"label", "ror_display"} & set(n.get("types", []))),
        acronyms=tuple(n["value"] for n in names if "acronym" in n.get("types", [])),
        successors=tuple(r["id"] for r in item.get("relationships", []) if r.get("type") == "successor"),
    )
