"""The dataset's VoID and DCAT description: its graphs as subsets with their triple counts, its files
as distributions (IANA media types, byte sizes, SHA-256 checksums), publisher, licence, dates.

Dates come from the sources (the newest source date is the dataset's), never from the clock, so a
rebuild of the same sources describes itself in the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, XSD

from .. import vocab
from ..config import Publisher
from ..vocab import DCAT, VOID

SPDX = "http://spdx.org/rdf/terms#"
IANA = "https://www.iana.org/assignments/media-types/"
MEDIA_TYPES = {".nq": "application/n-quads", ".trig": "application/trig", ".ttl": "text/turtle",
               ".jsonld": "application/ld+json", ".html": "text/html"}
GZIP = "application/gzip"
DATASET = vocab.ID["dataset"]


@dataclass(frozen=True)
class SourceFacts:
    graph: str  # the IRI of the source's named graph
    document: str  # the IRI of the source document
    title: str
    date: str  # ISO 8601 date, month or year; '' unknown


@dataclass(frozen=True)
class About:
    """What the description says that the manifest decides."""

    title: str
    publisher: Publisher
    licence: str
    version: str
    sources: tuple[SourceFacts, ...]

    @property
    def modified(self) -> str:
        """The newest source date (a date, a month or a year), '' when no source is dated."""
        return max((s.date for s in self.sources if s.date), default="")


def describe(about: About, graph_triples: dict[str, int], triples: int, files: list[Path],
             endpoint: str = "", download_base: str = "") -> Graph:
    """A VoID dataset and DCAT catalogue entry.

    ``graph_triples``: each named graph (a subset) and its number of triples; ``triples``: the
    distinct triples of all graphs together; ``files``: the distributions (sized and checksummed as
    they are on disk; ``name.gz`` is a gzipped ``name``); ``endpoint``: a SPARQL endpoint serving
    the dataset; ``download_base``: the address the files are published under.
    """
    graph = Graph()
    for prefix, namespace in vocab.PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("spdx", SPDX)
    graph.bind("foaf", FOAF)
    add = graph.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, DCTERMS.title, Literal(about.title)))
    add((DATASET, DCTERMS.license, URIRef(about.licence)))
    if about.version:
        add((DATASET, DCAT.version, Literal(about.version)))
        add((DATASET, OWL.versionInfo, Literal(about.version)))
    if about.modified:
        add((DATASET, DCTERMS.modified, _date(about.modified)))
    _publisher(graph, about.publisher)
    add((DATASET, VOID.triples, Literal(triples, datatype=XSD.integer)))
    add((DATASET, VOID.uriSpace, Literal(str(vocab.ID))))
    add((DATASET, VOID.vocabulary, URIRef(str(vocab.PKG))))
    if endpoint:
        add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    _subsets(graph, about, graph_triples)
    for path in files:
        _distribution(graph, path, download_base)
    return graph


def _publisher(graph: Graph, publisher: Publisher) -> None:
    if not (publisher.name or publisher.url):
        return
    node = URIRef(publisher.url) if publisher.url else vocab.ID["dataset/publisher"]
    graph.add((DATASET, DCTERMS.publisher, node))
    graph.add((node, RDF.type, FOAF.Agent))
    if publisher.name:
        graph.add((node, FOAF.name, Literal(publisher.name)))
    if publisher.url:
        graph.add((node, FOAF.homepage, URIRef(publisher.url)))


def _subsets(graph: Graph, about: About, graph_triples: dict[str, int]) -> None:
    by_graph = {s.graph: s for s in about.sources}
    titles = {str(vocab.REFERENCE_GRAPH): "Reference data: the ontology, the kind and zone schemes, countries",
              str(vocab.RESOLUTION_GRAPH): "Institutions and departments as resolved across the sources",
              str(vocab.INFERRED_GRAPH): "What OWL 2 RL reasoning adds (in the -inferred files)"}
    for name, count in sorted(graph_triples.items()):
        node = URIRef(name)
        graph.add((DATASET, VOID.subset, node))
        graph.add((node, RDF.type, VOID.Dataset))
        graph.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))
        source = by_graph.get(name)
        graph.add((node, DCTERMS.title, Literal(source.title if source and source.title else titles.get(name, name))))
        if source:
            graph.add((node, DCTERMS.source, URIRef(source.document)))
            if source.date:
                graph.add((node, DCTERMS.modified, _date(source.date)))


def _distribution(graph: Graph, path: Path, download_base: str) -> None:
    name = path.name
    node = vocab.ID[f"dataset/file/{name}"]
    inner = name.removesuffix(".gz")
    add = graph.add
    add((DATASET, DCAT.distribution, node))
    add((node, RDF.type, DCAT.Distribution))
    add((node, DCTERMS.title, Literal(name)))
    add((node, DCAT.mediaType, URIRef(IANA + MEDIA_TYPES[Path(inner).suffix])))
    if name != inner:
        add((node, DCAT.compressFormat, URIRef(IANA + GZIP)))
    add((node, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
    with path.open("rb") as file:  # hashed as it is read: a dump is gigabytes at scale (5.6 GB at 10^6)
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    checksum = vocab.ID[f"dataset/file/{name}/sha256"]
    add((node, URIRef(SPDX + "checksum"), checksum))
    add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
    add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
    add((checksum, URIRef(SPDX + "checksumValue"), Literal(digest, datatype=XSD.hexBinary)))
    if download_base:
        url = URIRef(download_base.rstrip("/") + "/" + name)
        add((node, DCAT.downloadURL, url))
        if Path(inner).suffix != ".html":
            add((DATASET, VOID.dataDump, url))


def _date(text: str) -> Literal:
    """'2024-03-01', '2024-03' or '2024' with its XSD type."""
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(text)]
    return Literal(text, datatype=kind)


def read_about(void: Graph) -> tuple[About, dict[str, int], int]:
    """What a description says of the dataset (the inverse of ``describe``, less the files)."""
    def one(subject, predicate) -> str:
        value = void.value(subject, predicate)
        return str(value) if value is not None else ""

    publisher_node = void.value(DATASET, DCTERMS.publisher)
    publisher = Publisher(name=one(publisher_node, FOAF.name), url=one(publisher_node, FOAF.homepage)) \
        if publisher_node is not None else Publisher()
    sources, graph_triples = [], {}
    for subset in sorted(void.objects(DATASET, VOID.subset)):
        graph_triples[str(subset)] = int(void.value(subset, VOID.triples))
        document = void.value(subset, DCTERMS.source)
        if document is not None:
            sources.append(SourceFacts(str(subset), str(document), one(subset, DCTERMS.title),
                                       one(subset, DCTERMS.modified)))
    about = About(title=one(DATASET, DCTERMS.title), publisher=publisher, licence=one(DATASET, DCTERMS.license),
                  version=one(DATASET, DCAT.version), sources=tuple(sources))
    return about, graph_triples, int(void.value(DATASET, VOID.triples))
