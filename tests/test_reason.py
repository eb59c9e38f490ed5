"""Reasoning: the fast path (the ontology closed once by owlrl, its consequences applied to the data
in one pass) adds exactly what owlrl's closure of ontology and data together adds."""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from partnerkg import vocab
from partnerkg.reason.closure import ontology, reason, reason_owlrl
from partnerkg.vocab import ORG, PKG


def test_the_fast_closure_is_owlrls_on_the_seeds(seed_build):
    dataset = Dataset()
    dataset.parse(seed_build.output / "partnerkg.nq", format="nquads")
    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):  # every graph, merged
        data.add((s, p, o))
    fast = reason(data, ontology())
    assert len(fast) > 10_000
    assert isomorphic(fast, reason_owlrl(data, ontology()))


def test_what_each_kind_of_axiom_adds():
    a, home, unit = vocab.ID["agreement/s/L1"], vocab.ID["institution/home"], vocab.ID["department/unit"]
    data = Graph()
    data.add((a, RDF.type, PKG.Agreement))
    data.add((a, PKG.homeInstitution, home))
    data.add((unit, ORG.unitOf, home))
    data.add((a, PKG.placesMin, Literal(2)))
    inferred = reason(data, ontology())
    assert (a, PKG.party, home) in inferred  # super-property
    assert (home, PKG.partyTo, a) in inferred  # its inverse
    assert (home, ORG.hasUnit, unit) in inferred  # an inverse, then
    assert (home, ORG.hasSubOrganization, unit) in inferred  # its super-property
    assert (home, RDF.type, PKG.Institution) in inferred  # a range
    assert (a, RDF.type, URIRef("https://schema.org/CreativeWork")) in inferred  # a superclass
    assert (a, RDF.type, OWL.Thing) not in inferred  # true of everything: left out
    assert isomorphic(inferred, reason_owlrl(data, ontology()))
