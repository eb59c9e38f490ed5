"""Reason: the OWL 2 RL closure (owlrl) of the ontology and the data, run once.

Only what is new about the data is kept (types from subclass axioms, inverse and super
properties): the ontology's own entailments and owlrl's axiomatic triples are left out.
"""

from __future__ import annotations

from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL

from . import vocab


def reason(data: Graph) -> Graph:
    """The triples OWL 2 RL reasoning adds about the data's entities (``data`` is not changed)."""
    graph = Graph()
    # owl:sameAs here only keeps the ids of merged entities resolvable: reasoning over it would copy
    # every statement onto the retired id
    for triple in data:
        if triple[1] != OWL.sameAs:
            graph.add(triple)
    before = set(graph)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    inferred = Graph()
    data = str(vocab.ID)
    for triple in set(graph) - before:
        s, p, o = triple
        if isinstance(s, (BNode, Literal)) or isinstance(o, BNode) or not str(s).startswith(data):
            continue
        if p == OWL.sameAs and s == o:
            continue
        inferred.add(triple)
    return inferred
