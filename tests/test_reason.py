"""Reasoning: the fast path (the ontology closed once by owlrl, its consequences applied to the data
as SPARQL updates on the store) adds exactly what owlrl's closure of ontology and data together adds."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from partnerkg import vocab
from partnerkg.rdfutil import add_triples, graph_of, load_nquads, union
from partnerkg.reason.closure import ontology, reason, reason_owlrl
from partnerkg.vocab import ORG, PKG


def _fast(store: ox.Store) -> Graph:
    reason(store, ontology())
    return graph_of(store, vocab.INFERRED_GRAPH)


def test_the_fast_closure_is_owlrls_on_the_seeds(seed_build):
    store = load_nquads([seed_build.output / "partnerkg.nq"])
    plain = reason_owlrl(union(store), ontology())
    fast = _fast(store)
    assert len(fast) > 10_000
    assert isomorphic(fast, plain)
    assert len(fast) == reason(store, ontology())  # again: the inferred graph is made anew, not added to


def test_what_each_kind_of_axiom_adds():
    a, home, unit = vocab.ID["agreement/s/L1"], vocab.ID["institution/home"], vocab.ID["department/unit"]
    data = Graph()
    data.add((a, RDF.type, PKG.Agreement))
    data.add((a, PKG.homeInstitution, home))
    data.add((unit, ORG.unitOf, home))
    data.add((a, PKG.placesMin, Literal(2)))
    store = ox.Store()
    add_triples(store, data, vocab.source_graph("s"))
    inferred = _fast(store)
    assert (a, PKG.party, home) in inferred  # super-property
    assert (home, PKG.partyTo, a) in inferred  # its inverse
    assert (home, ORG.hasUnit, unit) in inferred  # an inverse, then
    assert (home, ORG.hasSubOrganization, unit) in inferred  # its super-property
    assert (home, RDF.type, PKG.Institution) in inferred  # a range
    assert (a, RDF.type, URIRef("https://schema.org/CreativeWork")) in inferred  # a superclass
    assert (a, RDF.type, OWL.Thing) not in inferred  # true of everything: left out
    assert (a, RDF.type, PKG.Agreement) not in inferred  # stated
    assert isomorphic(inferred, reason_owlrl(data, ontology()))


def test_two_values_of_a_functional_property_are_declared_the_same():
    a, one, other = vocab.ID["agreement/s/L1"], vocab.ID["institution/one"], vocab.ID["institution/other"]
    store = ox.Store()
    add_triples(store, [(a, PKG.homeInstitution, one)], vocab.source_graph("s"))
    add_triples(store, [(a, PKG.homeInstitution, other)], vocab.source_graph("t"))
    inferred = _fast(store)
    assert (one, OWL.sameAs, other) in inferred and (other, OWL.sameAs, one) in inferred
    assert (one, OWL.sameAs, one) not in inferred
