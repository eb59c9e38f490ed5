"""Resolve: partner and home names -> Institutions and Departments with stable ids.

Each name is split into its institution and its unit ("Faculté d'Ingénierie, Université de
Waterloo"); institution names are grouped, country by country, by what they mean across
languages and by the ROR registry (cluster.py); each group gets the id the lock file holds for
any of its names, or a new one. Every merge and near-miss is kept, to be explained.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from ..build_cache import NO_CACHE, BuildCache
from ..config import Source
from ..lock import Lock
from ..model import AgreementRow
from ..reference import countries, zones
from ..reference import geography as places
from ..text import fold, fold_spaces
from .cluster import Clustering, Mention, Merge, NearMiss, cluster
from .names import NameParts, bracketed_names, name_key, split_name
from .overrides import Overrides
from .ror import EMPTY, RorIndex
from .signature import signature

__all__ = ["Entity", "Resolution", "ResolvedRow", "resolve", "country_zones", "split_name", "name_key", "NameParts"]


@dataclass(frozen=True)
class Entity:
    id: str  # the IRI path under the data namespace, e.g. "institution/universite-de-liege-be"
    kind: str  # "institution" or "department"
    pref_label: str
    labels: tuple[str, ...]  # every name as written, first seen first
    country: str | None
    parent: str | None = None  # a department's institution
    ror: str | None = None
    same_as: tuple[str, ...] = ()  # ids of entities merged into this one
    successors: tuple[str, ...] = ()  # ROR IRIs of the institutions that replaced this one
    countries_named: tuple[str, ...] = ()  # countries its names name ("... de Pologne")
    erasmus_codes: tuple[str, ...] = ()  # canonical Erasmus codes written beside its names
    pref_language: str = ""  # the preferred label's language, where known (ROR's display name)


@dataclass(frozen=True)
class _Named:
    """A name to cluster, before its signature is computed (a cached country needs none)."""

    key: str
    name: str
    country: str | None
    ror: str | None = None
    codes: frozenset[str] = frozenset()

    def mention(self) -> Mention:
        return Mention(self.key, self.name, self.country, signature(self.name, self.country), self.ror, self.codes)


@dataclass(frozen=True)
class ResolvedRow:
    """An agreement row with its entities: what map needs to write it."""

    row: AgreementRow
    partner: str  # the partner institution's id
    partner_unit: str | None  # the partner's department, if the row names one
    home: str  # the home institution's id
    home_unit: str | None  # the home institution's department, if the row names one


@dataclass(frozen=True)
class Resolution:
    entities: dict[str, Entity]
    rows: tuple[ResolvedRow, ...]  # every agreement row with its entities, in the order read
    home: dict[str, str]  # source id -> institution id
    home_unit_named: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, unit name) -> unit
    country_zone: dict[str, str] = field(default_factory=dict)  # each country's zone id (see country_zones)
    mention_entity: dict[tuple[str, str], str] = field(default_factory=dict)  # (country, name key) -> id
    merges: list[Merge] = field(default_factory=list)
    near_misses: list[tuple[str, NearMiss]] = field(default_factory=list)  # (country, near-miss)
    ror_evidence: dict[str, str] = field(default_factory=dict)  # entity id -> how it was linked
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a name as written -> institutions

    def report(self) -> dict:
        """Everything needed to explain the resolution, as plain data (output/report/resolution.json)."""
        return {
            "names": {name: list(ids) for name, ids in sorted(self.names.items())},
            "entities": {
                e.id: {"kind": e.kind, "pref_label": e.pref_label, "country": e.country, "parent": e.parent,
                       "ror": e.ror, "ror_evidence": self.ror_evidence.get(e.id, ""), "labels": list(e.labels),
                       "erasmus_codes": list(e.erasmus_codes),
                       "same_as": list(e.same_as)}
                for e in sorted(self.entities.values(), key=lambda e: e.id)},
            "merges": [{"a": m.a, "b": m.b, "evidence": m.evidence, "score": round(m.score, 3)}
                       for m in self.merges],
            "near_misses": [{"country": country, "name": m.name, "candidate": m.candidate,
                             "evidence": m.evidence, "score": m.score} for country, m in self.near_misses],
        }


def resolve(rows: list[AgreementRow], sources: tuple[Source, ...], lock: Lock,
            ror: RorIndex = EMPTY, overrides: Overrides | None = None, cache: BuildCache = NO_CACHE) -> Resolution:
    """Entities for every partner, partner unit, home institution and home unit.

    A country whose names (and their links, the overrides and the ROR dump) are those of the last
    build takes its groups from ``cache``: a changed document clusters again only the countries
    whose names it changed."""
    overrides = overrides or Overrides()
    named: dict[tuple[str, str], _Named] = {}
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)

    def mention(name: str, country: str | None, ror_id: str | None = None, written: tuple = ()) -> tuple[str, str]:
        key = (country or "-", name_key(name))
        if key not in named or (ror_id and not named[key].ror):
            named[key] = _Named(key[1], fold_spaces(name), country, ror_id)
        codes[key].update(written)
        return key

    home_mention = {s.id: mention(s.home.name, s.home.country or None, s.home.ror or None)
                    for s in sources if s.home.name}
    row_mention = {}
    links: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in rows:
        parts = split_name(row.partner)
        country = block_country(parts.institution, row.country)
        key = mention(parts.institution, country, written=row.erasmus_codes)
        row_mention[(row.source, row.key)] = (key, parts)
        for alias in bracketed_names(parts.institution):
            alias_key = mention(alias, country)
            links[key[0]].append((key[1], alias_key[1], f"written with {alias!r} in brackets"))
    by_country: dict[str, list[_Named]] = defaultdict(list)
    for key, item in named.items():
        by_country[key[0]].append(replace(item, codes=frozenset(codes[key])))
    builder = _Builder(lock, ror)
    countries = sorted(by_country)
    names_in = {country: sorted(by_country[country], key=lambda m: m.key) for country in countries}
    each = cache.get_or_make_each("cluster", [
        ((names_in[c], links[c], overrides, ror.digest), (names_in[c], ror, overrides, links[c])) for c in countries],
        _cluster)  # (country by country, in worker processes)
    for country, (clustering, named_countries) in zip(countries, each, strict=True):
        builder.add_clustering(country, clustering, {m.key: m for m in names_in[country]}, named_countries)
    home = {}
    for source in sources:
        if source.id in home_mention:
            home[source.id] = builder.mention_entity[home_mention[source.id]]
            builder.label(home[source.id], source.home.name)
        else:
            home[source.id] = builder.placeholder(source)
    resolved, home_unit_named = [], {}
    names: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        if source.home.name:
            names[fold_spaces(source.home.name)].add(home[source.id])
    for row in rows:
        key, parts = row_mention[(row.source, row.key)]
        institution = builder.mention_entity[key]
        builder.label(institution, parts.institution)
        unit_name = ", ".join(u for u in (parts.unit, row.partner_unit) if u)
        unit = builder.department(unit_name, institution, builder.country.get(institution)) if unit_name else None
        if row.partner_unit:  # the unit was written apart from the name: each is its entity's name
            builder.label(institution, row.partner)
            builder.label(unit, row.partner_unit)
        else:
            builder.label(unit or institution, row.partner)
        names[row.partner].add(institution)
        names[fold_spaces(parts.institution)].add(institution)
        home_unit = None
        if row.home_unit:
            home_unit = home_unit_named[(row.source, row.home_unit)] = \
                builder.department(row.home_unit, home[row.source], None)
        resolved.append(ResolvedRow(row, institution, unit, home[row.source], home_unit))
    entities = builder.entities()
    return Resolution(entities, tuple(resolved), home, home_unit_named, country_zones(rows, entities),
                      dict(builder.mention_entity), builder.merges, builder.near_misses, builder.ror_evidence,
                      {name: tuple(sorted(ids)) for name, ids in names.items()})


def _cluster(names: list[_Named], ror: RorIndex, overrides: Overrides, links: list
             ) -> tuple[Clustering, dict[str, frozenset[str]]]:
    """A country's groups, and the countries each of its names names (what the entities keep of the
    names' signatures)."""
    mentions = [m.mention() for m in names]
    return cluster(mentions, ror, overrides, links), {m.key: m.signature.countries for m in mentions}


def country_zones(rows: list[AgreementRow], entities: dict[str, Entity]) -> dict[str, str]:
    """Each country's zone: the one its sources state most often, else the standard one."""
    stated: dict[str, Counter] = defaultdict(Counter)
    # a zone written with a country label that slid slid with it: its run states no zone
    slid_runs = {(r.source, r.label_line) for r in rows if r.label_line and r.country_evidence.endswith("slid)")}
    for row in rows:
        if row.country and row.zone and not row.country_evidence and (row.source, row.label_line) not in slid_runs:
            stated[row.country][row.zone] += 1
    used = {row.country for row in rows if row.country}
    used |= {e.country for e in entities.values() if e.country}
    used |= {c for e in entities.values() for c in e.countries_named}
    result = {}
    for code in sorted(used):
        if stated[code]:
            result[code] = min(stated[code].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        elif zone := zones.standard_zone(code):
            result[code] = zone
    return result


def block_country(name: str, country: str | None) -> str | None:
    """The country a name is resolved in: a territory the stated country is often written for
    ("City University of Hong Kong" under "Chine") when the name places it there, so that one
    institution is not two; the agreement keeps the country its document gave.

    >>> block_country("City University of Hong Kong", "CN"), block_country("Université de Macao", "CN")
    ('HK', 'MO')
    >>> block_country("Université de Pékin", "CN"), block_country("City University of Hong Kong", "HK")
    ('CN', 'HK')
    """
    for territory in countries.TERRITORIES.get(country or "", ()):
        folded = fold(name).split()
        runs = {" ".join(folded[i:i + n]) for n in (1, 2, 3) for i in range(len(folded) - n + 1)}
        if any(places.city(run.split(), territory) or countries.lookup(run) == territory for run in runs):
            return territory
    return country


class _Builder:
    def __init__(self, lock: Lock, ror: RorIndex) -> None:
        self.lock, self.ror = lock, ror
        self.labels: dict[str, list[str]] = {}
        self.kind: dict[str, str] = {}
        self.country: dict[str, str | None] = {}
        self.parent: dict[str, str] = {}
        self.ror_of: dict[str, str] = {}
        self.ror_evidence: dict[str, str] = {}
        self.same_as: dict[str, set[str]] = defaultdict(set)
        self.mention_entity: dict[tuple[str, str], str] = {}
        self.merges: list[Merge] = []
        self.near_misses: list[tuple[str, NearMiss]] = []
        self.used: set[str] = set()
        self.countries_named: dict[str, set[str]] = defaultdict(set)
        self.codes: dict[str, set[str]] = defaultdict(set)

    def add_clustering(self, country: str, clustering: Clustering, mentions: dict[str, _Named],
                       named_countries: dict[str, frozenset[str]]) -> None:
        self.merges += clustering.merges
        self.near_misses += [(country, miss) for miss in clustering.near_misses]
        code = None if country == "-" else country
        for group in clustering.groups:
            names = [mentions[k].name for k in group]
            record = clustering.ror.get(group[0])
            entity_id = self._institution_id(code, group, names, record)
            for key in group:
                self.mention_entity[(country, key)] = entity_id
                self.countries_named[entity_id] |= named_countries[key]
                self.codes[entity_id] |= mentions[key].codes
            self._note(entity_id, "institution", None, code)
            if record:
                self.ror_of[entity_id] = record
                self.ror_evidence[entity_id] = "; ".join(sorted(
                    {clustering.ror_evidence[k] for k in group if k in clustering.ror_evidence}))

    def _institution_id(self, country: str | None, group: list[str], names: list[str], record: str | None) -> str:
        """The group's id: one the lock already holds for any of its keys, else a new one."""
        keys = [f"institution|{country or '-'}|{k}" for k in group]
        if record:
            keys.insert(0, f"ror|{record}")
        known = [self.lock.merged.get(self.lock.entries[k], self.lock.entries[k])
                 for k in keys if k in self.lock.entries]
        free = [i for i in known if i not in self.used]
        if free:
            counts = Counter(free)
            survivor = min(counts, key=lambda i: (-counts[i], i))
            for other in set(free) - {survivor}:
                self.lock.merged[other] = survivor  # the old id stays resolvable: owl:sameAs
                self.same_as[survivor].add(other)
        else:
            label = self.ror.records[record].display if record in self.ror.records else names[0]
            # a key whose id went to another group in this build (a split) gets an id of its own
            key = keys[0] if not known else keys[0] + "|split"
            survivor = self.lock.mint(key, label + (f" {country.lower()}" if country else ""), "institution")
        for key in keys:
            self.lock.alias(key, survivor)
        self.used.add(survivor)
        return survivor

    def placeholder(self, source: Source) -> str:
        """The home institution a document does not name, called after the document's title."""
        label = f"Home institution of “{source.title}”" if source.title else f"Home institution of {source.file}"
        entity_id = self.lock.mint(f"home|{source.id}", label, "institution")
        self._note(entity_id, "institution", label, source.home.country or None)
        return entity_id

    def department(self, name: str, institution: str, country: str | None) -> str:
        key = f"department|{institution}|{name_key(name)}"
        entity_id = self.lock.mint(key, f"{institution.split('/', 1)[1]} {name}", "department")
        self._note(entity_id, "department", name, country)
        self.parent[entity_id] = institution
        return entity_id

    def label(self, entity_id: str, name: str) -> None:
        self.labels[entity_id].append(fold_spaces(name))

    def _note(self, entity_id: str, kind: str, name: str | None, country: str | None) -> None:
        self.kind[entity_id] = kind
        self.labels.setdefault(entity_id, [])
        if name:
            self.labels[entity_id].append(fold_spaces(name))
        if country and not self.country.get(entity_id):
            self.country[entity_id] = country

    def entities(self) -> dict[str, Entity]:
        # every id the lock says was merged into an entity stays resolvable, in every build, not only
        # in the build that merged it: the same lock gives the same dump
        merged_into: dict[str, set[str]] = defaultdict(set)
        for old, survivor in self.lock.merged.items():
            if survivor in self.labels:
                merged_into[survivor].add(old)
        result = {}
        for entity_id, names in self.labels.items():
            counts = Counter(names)
            record = self.ror_of.get(entity_id)
            language = ""
            if record in self.ror.records:
                pref, language = self.ror.records[record].display, self.ror.records[record].display_language
            else:  # the most used name; among equals, the first seen
                pref = max(dict.fromkeys(names), key=lambda n: counts[n]) if names else entity_id
            result[entity_id] = Entity(
                id=entity_id, kind=self.kind[entity_id], pref_label=pref,
                labels=tuple(dict.fromkeys(names)), country=self.country.get(entity_id),
                parent=self.parent.get(entity_id), ror=record,
                same_as=tuple(sorted(self.same_as.get(entity_id, set()) | merged_into.get(entity_id, set()))),
                successors=self.ror.records[record].successors if record in self.ror.records else (),
                countries_named=tuple(sorted(self.countries_named.get(entity_id, ()))),
                erasmus_codes=tuple(sorted(self.codes.get(entity_id, ()))), pref_language=language,
            )
        return result
