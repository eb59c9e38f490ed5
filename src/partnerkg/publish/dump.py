"""Publish: the linked-data dump and its VoID/DCAT description (void.py).

Two dumps, each as N-Quads, TriG, Turtle and compact JSON-LD: ``partnerkg.*`` holds what the
sources state and the reference data (every graph but the inferred one), ``partnerkg-inferred.*``
what OWL 2 RL reasoning adds. ``context.jsonld`` is the @context the JSON-LD files use. Same inputs,
same bytes: quads are sorted before every serialisation and there are no blank nodes.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .. import vocab
from ..atomic import write_atomic
from .jsonld import compact_jsonld, context
from .void import About, describe

ASSERTED, INFERRED = "partnerkg", "partnerkg-inferred"
EXTENSIONS = ("nq", "trig", "ttl", "jsonld")
CONTEXT = "context.jsonld"


@dataclass(frozen=True)
class Dump:
    nquads: bytes  # every quad, the inferred ones included: what the store is loaded with
    files: dict[str, Path]


def sorted_nquads(dataset: Dataset) -> bytes:
    """The dataset as N-Quads, one quad a line, sorted, without duplicates."""
    text = dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_dumps(dataset: Dataset, output: Path, about: About) -> Dump:
    """Write both dumps, the JSON-LD context and void.ttl under ``output``."""
    nquads = sorted_nquads(dataset)
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    inferred = ox.NamedNode(str(vocab.INFERRED_GRAPH))
    parts = {ASSERTED: [q for q in quads if q.graph_name != inferred],
             INFERRED: [q for q in quads if q.graph_name == inferred]}
    files = {}
    for name, part in parts.items():
        for extension in EXTENSIONS:
            path = output / f"{name}.{extension}"
            write_atomic(path, serialise(part, extension))
            files[f"{name}.{extension}"] = path
    files[CONTEXT] = output / CONTEXT
    write_atomic(files[CONTEXT], json.dumps(context(vocab.PREFIXES), indent=2).encode("utf-8") + b"\n")
    graph_triples = dict(Counter(q.graph_name.value for q in quads))
    triples = len({ox.Triple(q.subject, q.predicate, q.object) for q in quads})
    dumps = [files[f"{name}.{extension}"] for name in parts for extension in EXTENSIONS]
    files["void"] = output / "void.ttl"
    write_atomic(files["void"], describe(about, graph_triples, triples, dumps).serialize(format="turtle",
                                                                                        encoding="utf-8"))
    return Dump(nquads=nquads, files=files)


def serialise(quads: list[ox.Quad], extension: str) -> bytes:
    """Sorted quads in one of the dump's formats (Turtle: the triples of every graph, merged)."""
    if extension == "nq":
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    if extension == "jsonld":
        return compact_jsonld(quads, vocab.PREFIXES)
    if extension == "ttl":
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=vocab.PREFIXES)
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=vocab.PREFIXES)
