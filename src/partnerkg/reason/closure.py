"""Reason: what OWL 2 RL reasoning adds about the data.

The ontology is small and the data large, so the closure is computed in two steps: owlrl closes
the ontology alone once (every superclass, super-property, inverse, domain and range it entails),
and those consequences are applied to the data in the store: a few SPARQL CONSTRUCTs whose rules
are VALUES tables (types from subclass axioms and from domains and ranges, statements from
super-properties and inverses), their results streamed into the inferred graph. ``reason_owlrl`` is
the plain path (owlrl over ontology and data together, in rdflib); the tests check both give the
same triples (tests/test_reason.py, tests/test_fast_paths.py). The one rule applied differently:
two values of a functional property are declared the same (``owl:sameAs``) but their statements
are not copied onto each other, as owlrl would; the shapes report such a case as a violation anyway.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import BNode, Graph, Literal, URIRef
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


def reason(store: ox.Store, ontology: Graph) -> int:
    """Add to ``store``'s inferred graph (emptied first) the triples OWL 2 RL reasoning adds about
    the data's entities; every other graph is read. Returns the number of inferred triples.

    Each consequence is one SPARQL CONSTRUCT over the store, its rules a VALUES table taken from the
    ontology's closure: statements of super-properties and inverses, types from domains and ranges
    and superclasses; then ``owl:sameAs`` for two values of a functional property. Only what no
    graph states and what is about the data's own entities is kept; it streams into the store.
    """
    rules = schema(ontology.serialize(format="nt", encoding="utf-8"))
    inferred = ox.NamedNode(str(vocab.INFERRED_GRAPH))
    store.remove_graph(inferred)
    stated = f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {inferred} && ?p != owl:sameAs && ?p != rdf:type)"
    forward = [(p, q) for p, edges in rules.entailed.items() for same, q in edges if same and q != p]
    inverse = [(p, q) for p, edges in rules.entailed.items() for same, q in edges if not same]
    statements = [
        (("?s", "?q", "?o"), f"{_values('?p ?q', forward)} {stated} FILTER(!isLiteral(?s))"),
        (("?o", "?q", "?s"), f"{_values('?p ?q', inverse)} {stated} FILTER(!isLiteral(?o))"),
    ]
    for variable, table, strict in _type_tables(rules):  # the classes a statement gives its subject or object
        condition = "FILTER(!isLiteral(?o))" if strict else ""
        statements.append(((variable, "rdf:type", "?c"), f"{_values('?p ?c', table)} {stated} {condition}"))
    superclasses = [(c, s) for c, supers in rules.superclasses.items() for s in supers if s != OWL.Thing]
    statements.append((("?s", "rdf:type", "?c"),
                       f"{_values('?t ?c', superclasses)} GRAPH ?g {{ ?s a ?t }} FILTER(?g != {inferred})"))
    _add_new(store, statements, inferred)
    same = []  # read after the statements above are in: a functional property's values may be inferred
    for one, other in ((("?s", "?a"), ("?s", "?b")), (("?a", "?s"), ("?b", "?s"))):
        properties = rules.functional if one[0] == "?s" else rules.inverse_functional
        same.append((("?a", "owl:sameAs", "?b"),
                     f"{_values('?q', [(q,) for q in properties])} GRAPH ?g1 {{ {one[0]} ?q {one[1]} }} "
                     f"GRAPH ?g2 {{ {other[0]} ?q {other[1]} }} FILTER(!sameTerm(?a, ?b) && !isLiteral(?a))"))
    _add_new(store, same, inferred)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, inferred))


def _add_new(store: ox.Store, statements: list[tuple[tuple[str, str, str], str]], inferred: ox.NamedNode) -> None:
    """Add what each (template, pattern) constructs to the inferred graph, when it is about one of
    the data's entities (an IRI of the id namespace, an object that is no blank node) and no graph
    other than the inferred one states it."""
    def constructed():
        for (s, p, o), where in statements:
            # distinct before the check of what is stated: many statements give an entity the same
            # type (ten properties whose domain is pkg:Agreement), and the check is a lookup each
            variables = " ".join(term for term in (s, p, o) if term.startswith("?"))
            query = (f"CONSTRUCT {{ {s} {p} {o} }} WHERE {{ {{ SELECT DISTINCT {variables} WHERE {{ {where} "
                     f'FILTER(STRSTARTS(STR({s}), "{vocab.ID}") && !isBlank({o})) }} }} '
                     f"FILTER NOT EXISTS {{ GRAPH ?stated {{ {s} {p} {o} }} FILTER(?stated != {inferred}) }} }}")
            for triple in store.query(query, prefixes=vocab.PREFIXES):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, inferred)

    store.bulk_extend(constructed())


def _values(variables: str, rows) -> str:
    """A VALUES table of IRIs (an empty table matches nothing)."""
    body = " ".join("(" + " ".join(f"<{term}>" for term in row) + ")" for row in sorted(rows))
    return f"VALUES ({variables}) {{ {body} }}"


def _type_tables(rules: Schema) -> list[tuple[str, list, bool]]:
    """For each stated property, the classes its statements give their subject (``?s``) and object
    (``?o``), from the domains and ranges of every property they entail; ``strict``: only when the
    object is not a literal (a statement turned around needs it as its subject)."""
    tables = {("?s", False): set(), ("?o", True): set(), ("?s", True): set()}
    for p, edges in rules.entailed.items():
        for same, q in edges:
            domains, ranges = rules.domains.get(q, ()), rules.ranges.get(q, ())
            subject_classes, object_classes = (domains, ranges) if same else (ranges, domains)
            tables[("?s", not same)].update((p, c) for c in rules.types_of(set(subject_classes)))
            tables[("?o", True)].update((p, c) for c in rules.types_of(set(object_classes)))
    return [(variable, [row for row in rows if row[1] != OWL.Thing], strict)
            for (variable, strict), rows in tables.items()]


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


def _about_the_data(triples: set[tuple], data: Graph) -> Graph:
    """What is new about the data's own entities, without what is true of everything."""
    namespace = str(vocab.ID)
    inferred = Graph()
    for triple in triples:
        s, p, o = triple
        if isinstance(s, (BNode, Literal)) or isinstance(o, BNode) or not str(s).startswith(namespace):
            continue
        if (p == OWL.sameAs and s == o) or (p == RDF.type and o == OWL.Thing) or triple in data:
            continue  # true of everything, or stated: no reader gains from it
        inferred.add(triple)
    return inferred


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
