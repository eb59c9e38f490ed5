"""Small RDF helpers shared by stages."""

from __future__ import annotations

from rdflib import Dataset, Graph


def union(dataset: Dataset) -> Graph:
    """Every triple of every graph of a dataset, in one in-memory graph."""
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
