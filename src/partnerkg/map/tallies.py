"""Tallies: how many agreements share a home and a country, a home and a partner, a partner...

The catalogue's questions count agreements by home, country, kind, zone, partner. Asked of the
agreements themselves, each question reads every agreement: seconds at 10^5 agreements, minutes at
10^6. The build counts them once instead, into the tallies graph, and the catalogue queries read the
tallies (a few per home, one per home and partner). ``queries/plain/`` keeps each question asked
of the agreements, and a test checks that both give the same answer.

A tally is a ``pkg:Tally`` of one set (``pkg:tallyOf``): the set names the facets it groups by (its
dimensions, one value each, or the whole combination for ``kinds``), the facets whose values it
lists, and those whose distinct values it counts. Every tally has ``pkg:agreementCount``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

import pyoxigraph as ox

from .. import vocab
from ..resolve import Resolution, ResolvedRow

PKG = vocab.PKG


@dataclass(frozen=True)
class TallySet:
    """What one set of tallies groups by (``dimensions``; a name ending in ``?`` may be missing,
    as an OPTIONAL in SPARQL), lists and counts; a facet is a key of ``facets``."""

    name: str
    description: str
    dimensions: tuple[str, ...]
    listed: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()


SETS = (
    TallySet("home-country", "Agreements of a home institution with partners of a country",
             ("home", "country"), counted=("partner",)),
    TallySet("home-kind", "Agreements of a home institution of a kind", ("home", "kind")),
    TallySet("home-zone", "Agreements of a home institution with partners of a zone", ("home", "zone")),
    TallySet("source-home", "Agreements a source document lists for a home institution", ("source", "home")),
    TallySet("home-unit-zone", "Agreements of a home unit with partners of a zone (or of no known zone)",
             ("home", "unit", "zone?"), listed=("partner",)),
    TallySet("home-partner", "Agreements between a home institution and a partner",
             ("home", "partner"), listed=("kindLabel",), counted=("feeWaiver",)),
    TallySet("home-partner-kinds", "Agreements between a home institution and a partner of the same kinds",
             ("home", "partner", "kinds")),
    TallySet("partner", "Agreements with a partner", ("partner",), listed=("home",),
             counted=("home", "source")),
    # between two institutions that each publish a list: reciprocal pairs are found among these
    TallySet("home-home", "Agreements of a home institution with a partner that is a home institution too",
             ("home", "partnerHome")),
)

# the property each facet is written with; its count's property
_FACET = {"home": "tallyHome", "partner": "tallyPartner", "partnerHome": "tallyPartner", "source": "tallySource",
          "country": "tallyCountry",
          "zone": "tallyZone", "unit": "tallyUnit", "kind": "tallyKind", "kinds": "tallyKind",
          "kindLabel": "tallyKindLabel"}
_COUNT = {"partner": "partnerCount", "home": "homeCount", "source": "sourceCount",
          "feeWaiver": "feeWaiverCount"}


def facets(resolved: ResolvedRow, country_zone: dict[str, str], homes: frozenset[str] = frozenset()
           ) -> dict[str, tuple]:
    """What the tallies see of one agreement: each facet's values (IRIs, or texts for ``kindLabel``;
    none when the row has none). ``homes``: the ids of the home institutions (a partner among them
    is a ``partnerHome``). Values are plain strings until written: hashing them is cheap."""
    row = resolved.row
    zone = country_zone.get(row.country or "")
    kinds = tuple(_iri("kind", k) for k in sorted(set(row.kinds)))
    partner = _iri("entity", resolved.partner)
    return {
        "home": (_iri("entity", resolved.home),),
        "partner": (partner,),
        "partnerHome": (partner,) if resolved.partner in homes else (),
        "source": (_iri("source_document", row.source),),
        "country": (_iri("country", row.country),) if row.country else (),
        "zone": (_iri("zone", zone),) if zone else (),
        "unit": (_iri("entity", resolved.home_unit),) if resolved.home_unit else (),
        "kind": kinds,
        "kinds": (kinds,) if kinds else (),  # the combination, as one value
        "kindLabel": tuple(dict.fromkeys(row.kinds_verbatim)),
        # counted as distinct values, the agreements themselves: how many have a fee waiver
        "feeWaiver": (str(vocab.agreement(row.source, row.key)),) if row.fee_waiver else (),
    }


_TEXT_FACETS = {"kindLabel"}  # written as literals; every other facet's values are IRIs


@lru_cache(maxsize=1 << 20)
def _iri(minter: str, local_id: str) -> str:
    """The IRI ``vocab.<minter>`` gives an id, made once: a million rows name a few thousand nodes."""
    return str(getattr(vocab, minter)(local_id))


@dataclass
class _Counts:
    agreements: int = 0
    listed: dict[str, dict] = field(default_factory=dict)  # facet -> its values, in order met
    counted: dict[str, set] = field(default_factory=dict)  # facet -> its distinct values


def tally(rows: Iterable[ResolvedRow], country_zone: dict[str, str], homes: frozenset[str] = frozenset(),
          sets: tuple[TallySet, ...] = SETS) -> dict[str, dict[tuple, _Counts]]:
    """The counts of every set: set name -> dimension values -> counts. An agreement (a source and
    a key) read twice is counted once, as SPARQL's COUNT(DISTINCT) would."""
    counts: dict[str, dict[tuple, _Counts]] = {s.name: {} for s in sets}
    seen = set()
    for resolved in rows:
        agreement = (resolved.row.source, resolved.row.key)
        if agreement in seen:
            continue
        seen.add(agreement)
        values = facets(resolved, country_zone, homes)
        for tally_set in sets:
            by_key = counts[tally_set.name]
            for key in _keys(tally_set.dimensions, values):
                entry = by_key.get(key)
                if entry is None:
                    entry = by_key[key] = _Counts()
                entry.agreements += 1
                for facet in tally_set.listed:
                    entry.listed.setdefault(facet, {}).update(dict.fromkeys(values[facet]))
                for facet in tally_set.counted:
                    entry.counted.setdefault(facet, set()).update(values[facet])
    return counts


def _keys(dimensions: tuple[str, ...], values: dict) -> Iterator[tuple]:
    """Each combination of the dimensions' values (a missing optional one as None)."""
    keys: list[tuple] = [()]
    for dimension in dimensions:
        optional = dimension.endswith("?")
        options = values[dimension.rstrip("?")] or ((None,) if optional else ())
        keys = [key + (option,) for key in keys for option in options]
    yield from keys


def tally_lines(resolution: Resolution, kept: set[str], sets: tuple[TallySet, ...] = SETS) -> Iterator[bytes]:
    """The tallies graph of the agreements of the ``kept`` sources, as its N-Quads lines in byte
    order, each once: what ``store.lines.sort_file`` makes of a graph's lines. Each set says how many
    sources it counts from (``pkg:sourceCount``): a partner in every source is one whose count is that.

    The lines are made as text, each term as Oxigraph writes it (made once per term), one node
    after another in the order of their IRIs, so that only each node's few lines are sorted: at
    10^5 agreements the 1.2 million quads, made as Oxigraph objects, serialised and then sorted,
    took about 4 s more."""
    rows = (r for r in resolution.rows if r.row.source in kept)
    homes = frozenset(home for source, home in resolution.home.items() if source in kept)
    counts = tally(rows, resolution.country_zone, homes, sets)
    nodes = []  # (the node's IRI, its set, its key and counts: None for the set's own node)
    for tally_set in sets:
        set_node = _set_node(tally_set.name)
        nodes.append((set_node, tally_set, None, None))
        nodes.extend((f"{set_node}/{_digest(key)}", tally_set, key, entry)
                     for key, entry in counts[tally_set.name].items())
    # a node's lines all begin "<its IRI> ", and ">" is in no IRI: nodes in the order of "<IRI>"
    # (code points, the order of their UTF-8 bytes; "<a/b>" before "<a>") give every line in order
    nodes.sort(key=lambda node: node[0] + ">")
    graph = f" {_named(str(vocab.TALLY_GRAPH))} .\n"
    for iri, tally_set, key, entry in nodes:
        subject = _named(iri) + " "
        terms = _set_terms(tally_set, len(kept)) if entry is None else _tally_terms(tally_set, key, entry)
        yield "".join(sorted({subject + term + graph for term in terms})).encode()


def _set_terms(tally_set: TallySet, sources: int) -> Iterator[str]:
    """Predicate and object of each statement about a set's own node."""
    yield f"{_RDF_TYPE} {_term('TallySet')}"
    yield f"{_DESCRIPTION} {ox.Literal(tally_set.description, language='en')}"
    yield f"{_term('sourceCount')} {_integer(sources)}"


def _tally_terms(tally_set: TallySet, key: tuple, entry: _Counts) -> Iterator[str]:
    """Predicate and object of each statement about one tally."""
    yield f"{_RDF_TYPE} {_term('Tally')}"
    yield f"{_term('tallyOf')} {_named(_set_node(tally_set.name))}"
    for dimension, value in zip(tally_set.dimensions, key, strict=True):
        facet = dimension.rstrip("?")
        for one in value if isinstance(value, tuple) else (value,):  # kinds: the combination
            if one is not None:
                yield f"{_term(_FACET[facet])} {_value(facet, one)}"
    yield f"{_term('agreementCount')} {_integer(entry.agreements)}"
    for facet, values in entry.listed.items():
        for value in values:
            yield f"{_term(_FACET[facet])} {_value(facet, value)}"
    for facet, values in entry.counted.items():
        if values:  # a count of none is not written: a query finds the tallies that have one
            yield f"{_term(_COUNT[facet])} {_integer(len(values))}"


# each term as N-Quads text, as Oxigraph writes it (and checked by it: an IRI it would not take fails here)
_RDF_TYPE = str(ox.NamedNode(vocab.PREFIXES["rdf"] + "type"))
_DESCRIPTION = str(ox.NamedNode(vocab.PREFIXES["dcterms"] + "description"))
_XSD_INTEGER = ox.NamedNode(vocab.PREFIXES["xsd"] + "integer")


@cache
def _term(name: str) -> str:
    return str(ox.NamedNode(PKG[name]))


@cache
def _set_node(name: str) -> str:
    return str(vocab.tally_set(name))


@lru_cache(maxsize=1 << 20)
def _named(iri: str) -> str:
    return str(ox.NamedNode(iri))


@lru_cache(maxsize=1 << 16)
def _value(facet: str, value: str) -> str:
    return str(ox.Literal(value)) if facet in _TEXT_FACETS else _named(value)


@lru_cache(maxsize=1 << 16)
def _integer(number: int) -> str:
    return str(ox.Literal(str(number), datatype=_XSD_INTEGER))


def _digest(key: tuple) -> str:
    """A tally's name: the same dimension values, the same IRI in every build."""
    parts = []
    for value in key:
        for one in value if isinstance(value, tuple) else (value,):
            parts.append("" if one is None else one)
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:20]


__all__ = ["SETS", "TallySet", "facets", "tally", "tally_lines"]
