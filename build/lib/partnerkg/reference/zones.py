"""World zones: the project's SKOS scheme (ontology/zones.ttl) and M49 regions (data/m49.toml)."""

from __future__ import annotations

import tomllib
from functools import cache

from rdflib.namespace import SKOS

from ..paths import DATA
from ..text import fold
from .skos import labels, scheme

ZONE_BASE = "https://w3id.org/partnerkg/id/zone/"
M49_BASE = "https://w3id.org/partnerkg/id/m49/"


@cache
def _labels() -> dict[str, str]:
    return dict(labels("zones.ttl", ZONE_BASE))


def lookup(name: str) -> str | None:
    """The zone id a zone name (any label of the scheme) stands for.

    >>> lookup("Amérique Centrale et du Sud"), lookup("Moyen et Proche-Orient"), lookup("Mars")
    ('amerique-centrale-et-du-sud', 'moyen-et-proche-orient', None)
    """
    return _labels().get(fold(name))


@cache
def m49() -> tuple[dict[str, str], dict[str, str]]:
    """(region -> parent region, country -> sub-region) from the M49 table."""
    data = tomllib.loads((DATA / "m49.toml").read_text(encoding="utf-8"))
    parents = {code: entry["parent"] for code, entry in data["regions"].items()}
    region_of = {country: region for region, members in data["members"].items() for country in members}
    return parents, region_of


def m49_regions(country: str) -> list[str]:
    """The M49 regions holding a country, nearest first.

    >>> m49_regions("IR")
    ['034', '142', '001']
    """
    parents, region_of = m49()
    chain = []
    region = region_of.get(country, "")
    while region:
        chain.append(region)
        region = parents.get(region, "")
    return chain


@cache
def _zone_of_region() -> dict[str, str]:
    graph = scheme("zones.ttl")
    return {
        str(m49_iri)[len(M49_BASE):]: str(zone)[len(ZONE_BASE):]
        for zone, m49_iri in graph.subject_objects(SKOS.closeMatch)
        if str(m49_iri).startswith(M49_BASE)
    }


def standard_zone(country: str) -> str | None:
    """The zone of a country by the standard (M49) regional assignment.

    >>> standard_zone("TR"), standard_zone("IR"), standard_zone("MX"), standard_zone("CA")
    ('moyen-et-proche-orient', 'asie', 'amerique-centrale-et-du-sud', 'amerique-du-nord')
    """
    zone_of = _zone_of_region()
    for region in m49_regions(country):
        if region in zone_of:
            return zone_of[region]
    return None
