"""Reason: what OWL 2 RL reasoning adds about the data.

The ontology is small and the data large, so the closure is computed in two steps: owlrl closes
the ontology alone once (every superclass, super-property, inverse, domain and range it entails),
and those consequences are applied to the data in one pass: types from subclass axioms and from
domains and ranges, statements from super-properties and inverses. ``reason_owlrl`` is the plain
path (owlrl over ontology and data together); the test suite checks both give the same triples on
the seeds. The one rule applied differently: two values of a functional property are declared the
same (``owl:sameAs``) but their statements are not copied onto each other, as owlrl would; the
shapes report such a case as a violation anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import permutations

from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .. import vocab
from ..paths import ONTOLOGY

Edge = tuple[bool, URIRef]  # (same direction as the stated triple?, property)


@dataclass(frozen=True)
class Schema:
    """The ontology's closure, as lookups for the data pass."""

    superclasses: dict[URIRef, frozenset[URIRef]]  # class -> its superclasses (itself excluded)
    entailed: dict[URIRef, frozenset[Edge]]  # property -> the statements one statement of it entails
    domains: dict[URIRef, frozenset[URIRef]]
    ranges: dict[URIRef, frozenset[URIRef]]
    functional: frozenset[URIRef]
    inverse_functional: frozenset[URIRef]

    def types_of(self, classes: set[URIRef]) -> set[URIRef]:
        return classes.union(*(self.superclasses.get(c, ()) for c in classes))


def reason(data: Graph | Dataset, ontology: Graph) -> Graph:
    """The triples OWL 2 RL reasoning adds about the data's entities (``data`` is not changed; of
    a Dataset, every graph but the inferred one is read, without copying them into one)."""
    rules = schema(ontology.serialize(format="nt", encoding="utf-8"))
    inferred: set[tuple] = set()
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    values: dict[tuple[URIRef, URIRef], set] = defaultdict(set)  # (subject, functional property) -> values
    for s, p, o in _stated(data):
        if p == OWL.sameAs:  # kept only so that merged ids stay resolvable: nothing to reason over
            continue
        if p == RDF.type:
            if isinstance(o, URIRef):
                types[s].add(o)
            continue
        for same, q in rules.entailed.get(p, ()):
            subject, value = (s, o) if same else (o, s)
            if isinstance(subject, Literal):
                continue
            inferred.add((subject, q, value))
            types[subject] |= rules.domains.get(q, set())
            if not isinstance(value, Literal):
                types[value] |= rules.ranges.get(q, set())
            if q in rules.functional:
                values[(subject, q)].add(value)
            if q in rules.inverse_functional:
                values[(value, q)].add(subject)
    for thing, classes in types.items():
        inferred.update((thing, RDF.type, c) for c in rules.types_of(classes))
    for same_things in values.values():
        inferred.update((a, OWL.sameAs, b) for a, b in permutations(same_things, 2) if not isinstance(a, Literal))
    return _about_the_data(inferred, data)


def reason_owlrl(data: Graph, ontology: Graph) -> Graph:
    """The plain path: owlrl's closure of the ontology and the data together (minutes at scale).

    Only statements an OWL RL rule can act on go in: the ontology, ``rdf:type`` statements, and
    statements whose property the ontology mentions.
    """
    mentioned = {term for triple in ontology for term in triple if isinstance(term, URIRef)}
    graph = Graph()
    graph += ontology
    for triple in data:
        if triple[1] != OWL.sameAs and (triple[1] == RDF.type or triple[1] in mentioned):
            graph.add(triple)
    before = set(graph)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    return _about_the_data(set(graph) - before, data)


def _about_the_data(triples: set[tuple], data: Graph | Dataset) -> Graph:
    """What is new about the data's own entities, without what is true of everything."""
    namespace = str(vocab.ID)
    kept = set()
    for triple in triples:
        s, p, o = triple
        if isinstance(s, (BNode, Literal)) or isinstance(o, BNode) or not str(s).startswith(namespace):
            continue
        if (p == OWL.sameAs and s == o) or (p == RDF.type and o == OWL.Thing):
            continue  # true of everything: no reader can use it
        kept.add(triple)
    for triple in _stated(data):  # one pass over the data, rather than a look-up per triple
        kept.discard(triple)
    inferred = Graph()
    for triple in kept:
        inferred.add(triple)
    return inferred


def _stated(data: Graph | Dataset) -> Iterator[tuple]:
    """The data's triples; of a Dataset, those of every graph but the inferred one."""
    if not isinstance(data, Dataset):
        yield from data
        return
    for s, p, o, graph in data.quads((None, None, None, None)):
        if getattr(graph, "identifier", graph) != vocab.INFERRED_GRAPH:
            yield s, p, o


@cache
def schema(ontology_ntriples: bytes) -> Schema:
    """The closure of an ontology (given as N-Triples, so that it can be cached), as lookups."""
    closed = Graph().parse(data=ontology_ntriples, format="nt")
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)

    def related(predicate: URIRef) -> dict[URIRef, set[URIRef]]:
        table: dict[URIRef, set[URIRef]] = defaultdict(set)
        for a, b in closed.subject_objects(predicate):
            if isinstance(a, URIRef) and isinstance(b, URIRef) and a != b:
                table[a].add(b)
        return table

    super_properties, inverses = related(RDFS.subPropertyOf), related(OWL.inverseOf)
    for a, b in list(closed.subject_objects(OWL.inverseOf)):
        inverses[b].add(a)
    properties = set(super_properties) | set(inverses) | set(closed.subjects(RDFS.domain)) | \
        set(closed.subjects(RDFS.range)) | set(closed.subjects(RDF.type, OWL.FunctionalProperty))
    return Schema(
        superclasses={c: frozenset(s) for c, s in related(RDFS.subClassOf).items()},
        entailed={p: frozenset(_entailed(p, super_properties, inverses)) for p in properties
                  if isinstance(p, URIRef)},
        domains={p: frozenset(c) for p, c in related(RDFS.domain).items()},
        ranges={p: frozenset(c) for p, c in related(RDFS.range).items()},
        functional=frozenset(closed.subjects(RDF.type, OWL.FunctionalProperty)),
        inverse_functional=frozenset(closed.subjects(RDF.type, OWL.InverseFunctionalProperty)),
    )


def _entailed(prop: URIRef, supers: dict, inverses: dict) -> set[Edge]:
    """Every (direction, property) one statement of ``prop`` entails, itself included: its
    super-properties, their inverses, the inverses' super-properties, to a fixpoint."""
    edges, todo = {(True, prop)}, [(True, prop)]
    while todo:
        same, current = todo.pop()
        for following in [(same, s) for s in supers.get(current, ())] + \
                [(not same, i) for i in inverses.get(current, ())]:
            if following not in edges:
                edges.add(following)
                todo.append(following)
    return edges


def ontology() -> Graph:
    """The ontology (ontology/partnerkg.ttl): the axioms reasoning applies."""
    graph = Graph()
    graph.parse(ONTOLOGY / "partnerkg.ttl")
    return graph
