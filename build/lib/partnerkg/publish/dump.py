"""Publish: the linked-data dump (N-Quads, TriG, Turtle, JSON-LD) and its VoID/DCAT description.

Same inputs, same bytes: quads are sorted before every serialisation and there are no blank nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from .. import vocab
from ..atomic import write_atomic
from ..vocab import DCAT, VOID

DUMP_NAME = "partnerkg"
FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "ttl": ox.RdfFormat.TURTLE,
           "jsonld": ox.RdfFormat.JSON_LD}


@dataclass(frozen=True)
class Dump:
    nquads: bytes
    files: dict[str, Path]


def sorted_nquads(dataset: Dataset) -> bytes:
    """The dataset as N-Quads, one quad a line, sorted, without duplicates."""
    text = dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def publish(dataset: Dataset, output: Path, title: str, source_ids: list[str]) -> Dump:
    """Write the dump files under ``output`` and return the sorted N-Quads."""
    nquads = sorted_nquads(dataset)
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    files = {}
    for extension, rdf_format in FORMATS.items():
        path = output / f"{DUMP_NAME}.{extension}"
        if extension == "nq":
            data = nquads
        elif extension == "ttl":
            data = ox.serialize(triples, format=rdf_format, prefixes=vocab.PREFIXES)
        elif extension == "jsonld":
            data = ox.serialize(quads, format=rdf_format)
        else:
            data = ox.serialize(quads, format=rdf_format, prefixes=vocab.PREFIXES)
        write_atomic(path, data)
        files[extension] = path
    description = describe(title, source_ids, len(triples))
    void_path = output / "void.ttl"
    write_atomic(void_path, description.serialize(format="turtle"))
    files["void"] = void_path
    return Dump(nquads=nquads, files=files)


def describe(title: str, source_ids: list[str], triples: int) -> Graph:
    """A VoID dataset and DCAT catalogue entry for the dump."""
    graph = Graph()
    for prefix, namespace in vocab.PREFIXES.items():
        graph.bind(prefix, namespace)
    dataset = vocab.ID["dataset"]
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(title)))
    graph.add((dataset, DCTERMS.license, URIRef("http://creativecommons.org/publicdomain/zero/1.0/")))
    graph.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    graph.add((dataset, VOID.uriSpace, Literal(str(vocab.ID))))
    graph.add((dataset, VOID.vocabulary, URIRef(str(vocab.PKG))))
    for source_id in source_ids:
        graph.add((dataset, VOID.subset, vocab.source_graph(source_id)))
        graph.add((vocab.source_graph(source_id), DCTERMS.source, vocab.source_document(source_id)))
    for extension, media_type in (("nq", "application/n-quads"), ("trig", "application/trig"),
                                  ("ttl", "text/turtle"), ("jsonld", "application/ld+json")):
        distribution = vocab.ID[f"dataset/{extension}"]
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((dataset, VOID.dataDump, vocab.ID[f"dump/{DUMP_NAME}.{extension}"]))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.mediaType, Literal(media_type)))
        graph.add((distribution, DCAT.downloadURL, vocab.ID[f"dump/{DUMP_NAME}.{extension}"]))
    return graph
