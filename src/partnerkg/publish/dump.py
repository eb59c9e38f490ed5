"""Publish: the linked-data dump and its VoID/DCAT description (void.py).

Two dumps, each as N-Quads, TriG, Turtle and compact JSON-LD: ``partnerkg.*`` holds what the
sources state and the reference data (every graph but the inferred one), ``partnerkg-inferred.*``
what OWL 2 RL reasoning adds. ``context.jsonld`` is the @context the JSON-LD files use. Same inputs,
same bytes: quads are sorted before every serialisation and there are no blank nodes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import vocab
from ..atomic import write_atomic
from .jsonld import compact_jsonld, context
from .void import About, describe

ASSERTED, INFERRED = "partnerkg", "partnerkg-inferred"
EXTENSIONS = ("nq", "trig", "ttl", "jsonld")
CONTEXT = "context.jsonld"


@dataclass(frozen=True)
class Dump:
    files: dict[str, Path]
    graph_triples: dict[str, int]  # named graph -> its triples


def write_dumps(store: ox.Store, output: Path, about: About) -> Dump:
    """Write both dumps of the store's graphs, the JSON-LD context and void.ttl under ``output``.

    N-Quads are written one graph at a time, its lines sorted; the other formats are made from the
    N-Quads file, so that no format holds the whole graph as Python objects."""
    inferred = str(vocab.INFERRED_GRAPH)
    names = sorted(graph.value for graph in store.named_graphs())
    parts = {ASSERTED: [n for n in names if n != inferred], INFERRED: [n for n in names if n == inferred]}
    files: dict[str, Path] = {}
    graph_triples: dict[str, int] = {}
    for name, graphs in parts.items():
        nquads = files[f"{name}.nq"] = output / f"{name}.nq"
        write_atomic(nquads, _sorted_nquads(store, graphs, graph_triples))
        for extension in EXTENSIONS[1:]:
            path = files[f"{name}.{extension}"] = output / f"{name}.{extension}"
            write_atomic(path, serialise(nquads, extension))
    files[CONTEXT] = output / CONTEXT
    write_atomic(files[CONTEXT], json.dumps(context(vocab.PREFIXES), indent=2).encode("utf-8") + b"\n")
    dumps = [files[f"{name}.{extension}"] for name in parts for extension in EXTENSIONS]
    files["void"] = output / "void.ttl"
    description = describe(about, graph_triples, _distinct_triples(store), dumps)
    write_atomic(files["void"], description.serialize(format="turtle", encoding="utf-8"))
    return Dump(files=files, graph_triples=graph_triples)


def _sorted_nquads(store: ox.Store, graphs: list[str], counts: dict[str, int]) -> Iterator[bytes]:
    """The N-Quads of ``graphs``, graph after graph, each graph's lines sorted."""
    for name in graphs:
        graph = ox.NamedNode(name)
        lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines()
        lines.sort()
        counts[name] = len(lines)
        suffix = f" {graph} .\n".encode()
        yield b"".join(line[:-2] + suffix for line in lines)  # "s p o ." -> "s p o <g> ."


def _distinct_triples(store: ox.Store) -> int:
    """Triples of every graph, each counted once however many graphs state it."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    return int(next(iter(store.query(query)))["n"].value)


def serialise(nquads: Path, extension: str) -> bytes | Iterator[bytes]:
    """A sorted N-Quads file in another of the dump's formats (Turtle: the triples of every graph,
    merged)."""
    if extension == "jsonld":
        return compact_jsonld(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS), vocab.PREFIXES)
    if extension == "ttl":
        with nquads.open("rb") as lines:  # a line's last term is its graph's IRI, which has no space
            triples = sorted({line.rsplit(b" ", 2)[0] + b" .\n" for line in lines})
        return ox.serialize(ox.parse(b"".join(triples), format=ox.RdfFormat.N_TRIPLES),
                            format=ox.RdfFormat.TURTLE, prefixes=vocab.PREFIXES)
    return ox.serialize(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG,
                        prefixes=vocab.PREFIXES)
