"""The concept schemes shipped in ontology/ (agreement kinds, zones), read once."""

from __future__ import annotations

from functools import cache

from rdflib import Graph
from rdflib.namespace import SKOS

from ..paths import ONTOLOGY
from ..text import fold


@cache
def scheme(file: str) -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY / file)
    return graph


@cache
def labels(file: str, base: str) -> tuple[tuple[str, str], ...]:
    """(folded label, concept id) for every preferred and alternative label of the scheme's
    concepts under ``base`` (the id is the IRI after ``base``), the scheme itself left out."""
    pairs = set()
    for prop in (SKOS.prefLabel, SKOS.altLabel):
        for concept, label in scheme(file).subject_objects(prop):
            concept_id = str(concept)[len(base):]
            if str(concept).startswith(base) and concept_id != "scheme":
                pairs.add((fold(label), concept_id))
    return tuple(sorted(pairs))
