"""Small RDF helpers shared by stages: the graph lives in a pyoxigraph store; rdflib graphs are made
from it where a library needs one (pyshacl, owlrl: the plain paths, and small graphs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

_named: dict[str, ox.NamedNode] = {}


class CachedTerms:
    """A namespace whose terms are made once (``PKG.partner`` on an rdflib namespace makes and
    checks a new IRI at every use: a quarter of the time of mapping)."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]


def to_ox(term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as a pyoxigraph term (IRIs are cached: the same few thousand recur); a
    pyoxigraph term as it is."""
    if isinstance(term, URIRef):
        node = _named.get(term)
        if node is None:
            node = _named[term] = ox.NamedNode(str(term))
            if len(_named) > 200_000:  # entity IRIs do not recur much: keep the cache small
                _named.clear()
        return node
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=to_ox(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term) -> URIRef | Literal | BNode:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an RDF term: {term!r}")


def quads_of(store: ox.Store, graph_name=None) -> Iterator[ox.Quad]:
    """Every quad of a store, or of one of its graphs."""
    return store.quads_for_pattern(None, None, None, graph_name)


def add_triples(store: ox.Store, triples: Iterable[tuple], graph: URIRef, batch: int = 100_000) -> None:
    """Add rdflib triples to a named graph of the store, in batches."""
    name = to_ox(graph)
    pending = []
    for s, p, o in triples:
        pending.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), name))
        if len(pending) >= batch:
            store.extend(pending)
            pending = []
    store.extend(pending)


def union(store: ox.Store, without: tuple[URIRef, ...] = ()) -> Graph:
    """Every triple of every graph of a store (but ``without``), in one rdflib graph."""
    skipped = {to_ox(g) for g in without}
    graph = Graph()
    for quad in quads_of(store):
        if quad.graph_name not in skipped:
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def graph_of(store: ox.Store, name: URIRef) -> Graph:
    """One named graph of a store, as an rdflib graph."""
    graph = Graph(identifier=name)
    for quad in quads_of(store, to_ox(name)):
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def to_dataset(store: ox.Store) -> Dataset:
    """A (small) store as an rdflib Dataset."""
    dataset = Dataset()
    for quad in quads_of(store):
        dataset.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object),
                     from_ox(quad.graph_name)))
    return dataset


def load_nquads(paths: Iterable) -> ox.Store:
    """An in-memory store of N-Quads files."""
    store = ox.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store
