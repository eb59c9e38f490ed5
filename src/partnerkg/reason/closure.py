"""Reason: what OWL 2 RL reasoning adds about the data.

The ontology is small and the data large, so the closure is computed in two steps: owlrl closes
the ontology alone once (every superclass, super-property, inverse, domain and range it entails),
and those consequences are applied to the data in the store as lookup tables, one pass over the
statements of each property they name (types from subclass axioms and from domains and ranges,
statements from super-properties and inverses, ``owl:sameAs`` for two values of a functional
property), the consequences streamed into the inferred graph. ``reason_owlrl`` is the plain path
(owlrl over ontology and data together, in rdflib); the tests check both give the same triples
(tests/test_reason.py, tests/test_fast_paths.py). The one rule applied differently: two values of
a functional property are declared the same (``owl:sameAs``) but their statements are not copied
onto each other, as owlrl would; the shapes report such a case as a violation anyway.
"""

from __future__ import annotations

import hashlib
import heapq
import shutil
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from itertools import groupby, permutations
from pathlib import Path

import pyoxigraph as ox
from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .. import vocab
from ..build_cache import NO_CACHE, BuildCache, file_digest
from ..paths import ONTOLOGY
from ..store.lines import add_quads, sort_bytes, sort_file, sorted_graph_file
from ..store.loading import load

ID = str(vocab.ID)

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


def reason(store: ox.Store, ontology: Graph, lines: Path | None = None, cache: BuildCache = NO_CACHE) -> int:
    """Add to ``store``'s inferred graph (emptied first) the triples OWL 2 RL reasoning adds about
    the data's entities; every other graph is read. Returns the number of inferred triples. With
    ``lines`` (a folder), the inferred graph's N-Quads lines are also written there, sorted, for
    the dump (``store.lines``).

    The rules that take one statement (super-properties, inverses, types from domains, ranges and
    superclasses) are lookup tables taken from the ontology's closure, applied to the statements
    of each property they name as they stream out of the store; then ``owl:sameAs`` for two values
    of a functional property (the statements of each such property grouped by subject). Only what
    no graph states (held in memory: the statements of the properties rules entail) and what is
    about the data's own entities is kept; the store drops what is found twice.

    Streamed rather than asked of the store as one SPARQL CONSTRUCT per rule (as it was): on a
    store on disk every consequence a CONSTRUCT checks against what is stated is a lookup on disk
    (10^5 agreements: 73 s, against 26 s streamed; 10^6: 18 minutes). Where ``lines`` holds the
    sorted lines of every graph in the store (as a build writes them), each graph's file is read
    once, on its own, for what it entails and states (``GraphFacts``, kept in ``cache`` by the
    file's bytes: a rebuild reads again only the graphs that changed), and those are merged
    (``_reason_from_files``): on disk, the store reads each term's string from disk.
    """
    ontology_lines = ontology.serialize(format="nt", encoding="utf-8")
    rules = schema(ontology_lines)
    inferred = ox.NamedNode(str(vocab.INFERRED_GRAPH))
    if inferred in set(store.named_graphs()):  # (asked first: a store still loading names its graphs at once)
        store.remove_graph(inferred)
    kept = sorted_graph_file(lines, inferred) if lines else None
    if kept:
        kept.unlink(missing_ok=True)  # (reasoning again, once a source is withheld)
    files = _graph_files(store, inferred, lines)
    if files is not None:
        count = _reason_from_files(files, rules, kept, cache, ontology_lines)
        # (on a ``LoadingStore``: while the build goes on)
        load(store, path=kept, graphs=(inferred,) if count else ())
        return count
    statements = Statements(store, inferred)
    _add_consequences(store, statements, rules, inferred, kept)
    # read once the statements above are in: a functional property's values may be inferred
    same = _stated(statements, {SAME_AS})
    add_quads(store, (ox.Quad(a, SAME_AS, b, inferred) for a, b in _same_values(statements, rules)
                      if (a, SAME_AS, b) not in same), kept)
    if kept:
        return sort_file(kept)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, inferred))


RDF_TYPE, SAME_AS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.sameAs))


def _graph_files(store: ox.Store, inferred: ox.NamedNode, lines: Path | None) -> list[Path] | None:
    """The sorted lines' file of every named graph of ``store`` but ``inferred``, in ``lines``;
    None when a graph has none there."""
    graphs = sorted(graph.value for graph in store.named_graphs() if graph != inferred)
    files = [sorted_graph_file(lines, graph) for graph in graphs] if lines else []
    return files if files and all(path.exists() for path in files) else None


class Statements:
    """The statements reasoning reads from the store, of some properties: from every named graph
    but ``inferred`` (with ``also_inferred``, from it too)."""

    def __init__(self, store: ox.Store, inferred: ox.NamedNode):
        self.store, self.inferred = store, inferred

    def of(self, properties: set[ox.NamedNode], also_inferred: bool = False) -> Iterator[tuple]:
        for p in sorted(properties, key=str):
            for quad in self.store.quads_for_pattern(None, p, None):
                graph = quad.graph_name
                if isinstance(graph, ox.NamedNode) and (also_inferred or graph != self.inferred):
                    yield quad.subject, quad.predicate, quad.object


@dataclass(frozen=True)
class GraphFacts:
    """What reasoning takes from one graph, as N-Triples lines: ``consequences`` (what its
    statements entail by the single-statement rules, about the data's entities) and ``stated``
    (its statements of the properties those rules give, about the data: what must not be added
    again), both sorted and each once; ``functional`` (its statements of a functional or inverse
    functional property, and its consequences of one) and ``same`` (its ``owl:sameAs`` about the
    data)."""

    consequences: bytes
    stated: bytes
    functional: bytes
    same: bytes


def _facts_of(path: Path, rules: Schema) -> GraphFacts:
    """One graph's ``GraphFacts``, from its sorted lines, read once."""
    by_property, superclasses = _statement_rules(rules)
    stated_properties = {rule.property for fired in by_property.values() for rule in fired} | {RDF_TYPE}
    functional_properties = {ox.NamedNode(str(p)) for p in rules.functional | rules.inverse_functional}
    consequences, stated, functional, same = set(), set(), [], []
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        triple = (quad.subject, quad.predicate, quad.object)
        if quad.predicate in functional_properties:
            functional.append(triple)
        if quad.predicate in stated_properties and _is_about_the_data(triple):
            stated.add(triple)
        if quad.predicate == SAME_AS and _is_about_the_data(triple):
            same.append(triple)
        consequences.update(_entailed_by(triple, by_property, superclasses))
    functional += [triple for triple in consequences if triple[1] in functional_properties]
    return GraphFacts(*(_ntriples(triples) for triples in (consequences, stated, functional, same)))


def _ntriples(triples) -> bytes:
    """Triples as N-Triples lines, sorted, each once."""
    return sort_bytes(ox.serialize((ox.Triple(*t) for t in triples), format=ox.RdfFormat.N_TRIPLES) or b"")


def _reason_from_files(files: list[Path], rules: Schema, kept: Path, cache: BuildCache, ontology_lines: bytes) -> int:
    """The inferred graph's lines, sorted, into ``kept``, from the graphs' sorted lines ``files``:
    every graph's consequences merged, less every graph's statements merged (both sorted: one pass
    over each, in order, from a file per graph, so that nothing holds them all), and the
    ``owl:sameAs`` of two values of a functional property that no graph states. Returns how many."""
    work = kept.with_suffix(".facts")
    work.mkdir(exist_ok=True)
    rules_digest = hashlib.sha256(sort_bytes(ontology_lines)).hexdigest()  # (rdflib's order changes by process)
    functional = {ox.NamedNode(str(p)) for p in rules.functional}
    inverse_functional = {ox.NamedNode(str(p)) for p in rules.inverse_functional}
    values: dict = defaultdict(set)  # (property, turned, subject or object) -> the values
    same: set[bytes] = set()
    each = cache.get_or_make_each("reason", [((file_digest(path), rules_digest), (path, rules)) for path in files],
                                  _facts_of)  # (made in worker processes: graph by graph, on its own)
    for number, facts in enumerate(each):
        (work / f"{number}.consequences").write_bytes(facts.consequences)
        (work / f"{number}.stated").write_bytes(facts.stated)
        same.update(facts.same.splitlines(keepends=True))
        for quad in ox.parse(facts.functional, format=ox.RdfFormat.N_TRIPLES):
            s, p, o = quad.subject, quad.predicate, quad.object
            if p in functional:
                values[(p, False, s)].add(o)
            if p in inverse_functional:
                values[(p, True, o)].add(s)
    new_same = [line for line in _ntriples((a, SAME_AS, b) for a, b in _pairs(values)).splitlines(keepends=True)
                if line not in same]
    suffix = f" {ox.NamedNode(str(vocab.INFERRED_GRAPH))} .\n".encode()
    count = 0
    with ExitStack() as stack, kept.open("wb") as written:
        consequences = heapq.merge(*(stack.enter_context((work / f"{n}.consequences").open("rb"))
                                     for n in range(len(files))))
        stated = heapq.merge(*(stack.enter_context((work / f"{n}.stated").open("rb")) for n in range(len(files))))
        for line, _ in groupby(heapq.merge(_minus(consequences, stated), new_same)):
            written.write(line[:-3] + suffix)  # "s p o .\n" -> "s p o <inferred> .\n": the order is kept
            count += 1
    shutil.rmtree(work)
    return count


def _minus(lines: Iterator[bytes], taken: Iterator[bytes]) -> Iterator[bytes]:
    """The sorted ``lines`` that are not in the sorted ``taken``.

    >>> list(_minus(iter([b"a", b"b", b"b", b"d"]), iter([b"b", b"c"])))
    [b'a', b'd']
    """
    other = next(taken, None)
    for line in lines:
        while other is not None and other < line:
            other = next(taken, None)
        if line != other:
            yield line


def _add_consequences(store: ox.Store, statements: Statements, rules: Schema, inferred: ox.NamedNode,
                      lines: Path | None) -> None:
    """Add what the single-statement rules entail and no graph states (what is stated of the
    properties they entail is held in memory meanwhile: 2 GB at 10^6 agreements, let go after)."""
    by_property, superclasses = _statement_rules(rules)
    stated = _stated(statements, {rule.property for fired in by_property.values() for rule in fired} | {RDF_TYPE})
    add_quads(store, (ox.Quad(s, p, o, inferred) for s, p, o in _consequences(statements, by_property, superclasses)
                      if (s, p, o) not in stated), lines)


@dataclass(frozen=True)
class Rule:
    """What one statement ``s p o`` entails: ``s property o`` (a super-property), ``o property s``
    (an inverse: ``turned``), or a type (``cls``) of ``s`` or, ``turned``, of ``o``."""

    property: ox.NamedNode
    turned: bool = False
    cls: ox.NamedNode | None = None
    iri_object: bool = False  # only when ``o`` is no literal (it is the subject of what is entailed)


def _statement_rules(rules: Schema) -> tuple[dict[ox.NamedNode, list[Rule]], dict[ox.NamedNode, list[ox.NamedNode]]]:
    """The ontology's closure as lookups: property -> the rules one statement of it fires (every
    property but ``rdf:type`` and ``owl:sameAs``), and class -> its superclasses (for stated types)."""
    node = lambda term: ox.NamedNode(str(term))  # noqa: E731
    by_property: dict[ox.NamedNode, set[Rule]] = defaultdict(set)
    for p, edges in rules.entailed.items():
        for same, q in edges:
            if not same or q != p:
                by_property[node(p)].add(Rule(node(q), turned=not same, iri_object=not same))
    for variable, rows, strict in _type_tables(rules):
        for p, c in rows:
            by_property[node(p)].add(Rule(RDF_TYPE, turned=variable == "?o", cls=node(c), iri_object=strict))
    superclasses = {node(c): sorted(node(s) for s in supers if s != OWL.Thing)
                    for c, supers in rules.superclasses.items()}
    return ({p: sorted(fired, key=str) for p, fired in by_property.items() if p not in (RDF_TYPE, SAME_AS)},
            {c: supers for c, supers in superclasses.items() if supers})


def _consequences(statements: Statements, by_property: dict, superclasses: dict) -> Iterator[tuple]:
    """What the statements of every graph but the inferred one entail by the rules, about the data's
    entities (an IRI of the id namespace, an object that is no blank node); repeated as often as
    it is entailed."""
    for triple in statements.of(set(by_property) | {RDF_TYPE}):
        yield from _entailed_by(triple, by_property, superclasses)


def _entailed_by(statement: tuple, by_property: dict, superclasses: dict) -> Iterator[tuple]:
    """What one statement entails by the rules, about the data's entities."""
    s, p, o = statement
    if p == RDF_TYPE:
        for superclass in superclasses.get(o, ()):
            if _is_about_the_data((s, RDF_TYPE, superclass)):
                yield s, RDF_TYPE, superclass
        return
    literal = isinstance(o, ox.Literal)
    for rule in by_property.get(p, ()):
        if rule.iri_object and literal:
            continue
        if rule.cls is not None:
            triple = (o if rule.turned else s, RDF_TYPE, rule.cls)
        else:
            triple = (o, rule.property, s) if rule.turned else (s, rule.property, o)
        if _is_about_the_data(triple):
            yield triple


def _same_values(statements: Statements, rules: Schema) -> Iterator[tuple[ox.NamedNode, ox.NamedNode]]:
    """(a, b): two values of a functional property for one subject (or two subjects of an inverse
    functional one for one value), in any named graph, the inferred one included; the pairs that
    are about the data's entities."""
    functional = {ox.NamedNode(str(p)) for p in rules.functional}
    inverse_functional = {ox.NamedNode(str(p)) for p in rules.inverse_functional}
    values: dict = defaultdict(set)  # (property, turned, subject or object) -> the values
    for s, p, o in statements.of(functional | inverse_functional, also_inferred=True):
        if p in functional:
            values[(p, False, s)].add(o)
        if p in inverse_functional:
            values[(p, True, o)].add(s)
    yield from _pairs(values)


def _pairs(values: dict) -> Iterator[tuple[ox.NamedNode, ox.NamedNode]]:
    """(a, b): two values found under one key, the pairs about the data's entities."""
    for found in values.values():
        for a, b in permutations(found, 2):
            if not isinstance(a, ox.Literal) and _is_about_the_data((a, SAME_AS, b)):
                yield a, b


def _is_about_the_data(triple: tuple) -> bool:
    subject, _, obj = triple
    return isinstance(subject, ox.NamedNode) and subject.value.startswith(ID) and not isinstance(obj, ox.BlankNode)


def _stated(statements: Statements, properties: set[ox.NamedNode]) -> set[tuple]:
    """The statements of ``properties`` about the data's entities that a graph other than the
    inferred one holds: what reasoning must not add again."""
    return {triple for triple in statements.of(properties) if _is_about_the_data(triple)}


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
