"""Compact JSON-LD: quads grouped by graph and subject, IRIs shortened by the published @context.

Written here rather than by a JSON-LD processor: the dump's shape is simple (no blank nodes, no
lists), and sorting every level makes the same quads give the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def context(prefixes: dict[str, str]) -> dict:
    """The @context the dump is compacted with (published as ``context.jsonld``).

    >>> context({"pkg": "https://w3id.org/partnerkg/ontology#"})
    {'@context': {'pkg': 'https://w3id.org/partnerkg/ontology#'}}
    """
    return {"@context": dict(sorted(prefixes.items()))}


def compact_jsonld(quads: Iterable[ox.Quad], prefixes: dict[str, str]) -> Iterator[bytes]:
    """The quads as one compact JSON-LD document with ``prefixes`` as its inline @context, in pieces:
    ``jsonld_head``, each graph's ``graph_jsonld`` (separated by ``", "``), ``JSONLD_TAIL``.

    ``quads`` come grouped by graph, and by subject within a graph (as sorted N-Quads lines are):
    one node is held at a time, so any number of quads can be written.

    >>> skos = "http://www.w3.org/2004/02/skos/core#"
    >>> q = ox.Quad(ox.NamedNode("https://w3id.org/partnerkg/id/x"), ox.NamedNode(skos + "prefLabel"),
    ...             ox.Literal("Gand", language="fr"), ox.NamedNode("https://w3id.org/partnerkg/id/graph/g"))
    >>> print(b"".join(compact_jsonld([q], {"id": "https://w3id.org/partnerkg/id/", "skos": skos})).decode())
    ... # doctest: +NORMALIZE_WHITESPACE
    {"@context": {"id": "https://w3id.org/partnerkg/id/", "skos": "http://www.w3.org/2004/02/skos/core#"},
     "@graph": [{"@id": "id:graph/g", "@graph": [{"@id": "id:x",
     "skos:prefLabel": {"@value": "Gand", "@language": "fr"}}]}]}
    """
    shorten = shortener(prefixes)
    yield jsonld_head(prefixes)
    for number, (graph_name, in_graph) in enumerate(groupby(quads, key=lambda quad: quad.graph_name)):
        if number:
            yield GRAPH_SEPARATOR
        yield from graph_jsonld(graph_name, in_graph, shorten)
    yield JSONLD_TAIL


GRAPH_SEPARATOR, JSONLD_TAIL = b", ", b"]}"


def jsonld_head(prefixes: dict[str, str]) -> bytes:
    """What the document starts with: its @context, and the start of its top @graph."""
    return json.dumps(context(prefixes), ensure_ascii=False)[:-1].encode("utf-8") + b', "@graph": ['


def graph_jsonld(graph_name, quads: Iterable[ox.Quad], shorten) -> Iterator[bytes]:
    """One graph's part of the document, in pieces: ``{"@id": graph, "@graph": [nodes]}`` (the
    default graph: its nodes alone), its ``quads`` grouped by subject; ``shorten``: ``shortener``'s."""
    default = isinstance(graph_name, ox.DefaultGraph)
    if not default:
        yield graph_opening(graph_name, shorten)
    for number, (subject, about) in enumerate(groupby(quads, key=lambda quad: quad.subject)):
        properties: dict[str, list] = defaultdict(list)
        for quad in about:
            properties[quad.predicate.value].append(quad.object)
        node = json.dumps(_node(subject.value, properties, shorten), ensure_ascii=False).encode("utf-8")
        yield (b", " if number else b"") + node
    if not default:
        yield JSONLD_CLOSING


JSONLD_CLOSING = b"]}"  # of a named graph's part


def graph_opening(graph_name: ox.NamedNode, shorten) -> bytes:
    """What a named graph's part starts with: ``{"@id": graph, "@graph": [``."""
    return b'{"@id": ' + json.dumps(shorten(graph_name.value), ensure_ascii=False).encode("utf-8") + b', "@graph": ['


def _node(subject: str, properties: dict[str, list], shorten) -> dict:
    node: dict = {"@id": shorten(subject)}
    types = sorted(shorten(o.value) for o in properties.get(RDF_TYPE, []) if isinstance(o, ox.NamedNode))
    if types:
        node["@type"] = types[0] if len(types) == 1 else types
    for predicate in sorted(properties, key=shorten):
        values = [o for o in properties[predicate] if not (predicate == RDF_TYPE and isinstance(o, ox.NamedNode))]
        if values:
            if len(values) == 1:
                node[shorten(predicate)] = _value(values[0], shorten)
                continue
            objects = sorted((_value(o, shorten) for o in values), key=lambda v: json.dumps(v, ensure_ascii=False))
            node[shorten(predicate)] = objects
    return node


def _value(term, shorten):
    if isinstance(term, ox.NamedNode):
        return {"@id": shorten(term.value)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": shorten(term.datatype.value)}


def shortener(prefixes: dict[str, str]):
    """IRI -> compact IRI ('pkg:Agreement') with the longest namespace that leaves a usable suffix."""
    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    @lru_cache(maxsize=1 << 16)  # properties, types and many objects recur from node to node
    def shorten(iri: str) -> str:
        for prefix, namespace in by_length:
            suffix = iri[len(namespace):]
            # a suffix starting with '//' would read as an absolute IRI
            if iri.startswith(namespace) and suffix and not suffix.startswith("//"):
                return f"{prefix}:{suffix}"
        return iri

    return shorten
