"""The dump as linked data and the release (`partnerkg publish`): compact JSON-LD with its context,
asserted and inferred triples apart, language-tagged names, countries linked to GeoNames, an
ontology documented term by term, and a release that parses back (pyoxigraph and rdflib) to the
counts its VoID states, with sizes and checksums that match its files."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS

from partnerkg import vocab
from partnerkg.cli import cli
from partnerkg.errors import PartnerkgError
from partnerkg.paths import ONTOLOGY
from partnerkg.pipeline import build
from partnerkg.publish.release import publish
from partnerkg.publish.void import DATASET
from partnerkg.rdfutil import to_dataset
from partnerkg.vocab import PKG, VOID

from .conftest import table_source, write_manifest

SPDX = "http://spdx.org/rdf/terms#"
INFERRED = vocab.INFERRED_GRAPH


@pytest.fixture(scope="module")
def release(seed_build, tmp_path_factory) -> Path:
    return publish(seed_build.output, tmp_path_factory.mktemp("release"), version="2026.11",
                   endpoint="https://data.example.org/sparql", base_url="https://data.example.org/releases/")


def oxigraph_counts(path: Path, fmt: ox.RdfFormat) -> Counter:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return Counter(q.graph_name.value for q in ox.parse(data, format=fmt))


def rdflib_counts(path: Path, fmt: str) -> Counter:
    dataset = Dataset()
    dataset.parse(data=gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes(), format=fmt)
    return Counter(str(g) for *_, g in dataset.quads((None, None, None, None)))


def test_release_parses_back_to_the_counts_its_void_states(release):
    void = Graph().parse(release / "void.ttl")
    stated = {str(s): int(void.value(s, VOID.triples)) for s in void.objects(DATASET, VOID.subset)}
    assert set(stated) >= {str(vocab.REFERENCE_GRAPH), str(vocab.RESOLUTION_GRAPH), str(INFERRED)}
    asserted = {g: n for g, n in stated.items() if g != str(INFERRED)}
    for name, expected in (("partnerkg", asserted), ("partnerkg-inferred", {str(INFERRED): stated[str(INFERRED)]})):
        assert oxigraph_counts(release / f"{name}.nq.gz", ox.RdfFormat.N_QUADS) == expected
        for extension, oxigraph_format, rdflib_format in (("nq", ox.RdfFormat.N_QUADS, "nquads"),
                                                          ("trig", ox.RdfFormat.TRIG, "trig"),
                                                          ("jsonld", ox.RdfFormat.JSON_LD, "json-ld")):
            path = release / f"{name}.{extension}"
            assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == path.read_bytes()
            assert oxigraph_counts(path, oxigraph_format) == expected, path.name
            assert rdflib_counts(path, rdflib_format) == expected, path.name
    # the dataset's count: distinct triples of every graph, as the two Turtle files hold them merged
    triples = Graph().parse(release / "partnerkg.ttl") + Graph().parse(release / "partnerkg-inferred.ttl")
    assert len(triples) == int(void.value(DATASET, VOID.triples))


def test_release_files_match_their_sizes_checksums_and_media_types(release):
    void = Graph().parse(release / "void.ttl")
    distributions = list(void.objects(DATASET, DCAT.distribution))
    named = {str(void.value(d, DCTERMS.title)): d for d in distributions}
    assert {"partnerkg.nq.gz", "partnerkg-inferred.jsonld", "ontology.html"} <= set(named)
    for name, node in named.items():
        data = (release / name).read_bytes()
        assert int(void.value(node, DCAT.byteSize)) == len(data), name
        checksum = void.value(node, URIRef(SPDX + "checksum"))
        assert str(void.value(checksum, URIRef(SPDX + "checksumValue"))) == hashlib.sha256(data).hexdigest()
        assert str(void.value(node, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert (void.value(node, DCAT.compressFormat) is not None) == name.endswith(".gz")
        assert str(void.value(node, DCAT.downloadURL)) == f"https://data.example.org/releases/partnerkg-2026.11/{name}"
    assert str(void.value(named["partnerkg.ttl.gz"], DCAT.mediaType)).endswith("/text/turtle")
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://data.example.org/sparql")
    assert str(void.value(DATASET, DCAT.version)) == "2026.11"
    assert void.value(DATASET, DCTERMS.modified) == Literal("2008-06", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#gYearMonth"))  # the newest source's date, not the clock's
    sums = dict(reversed(line.split("  ")) for line in (release / "SHA256SUMS").read_text().splitlines())
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(sums) == files
    for name, digest in sums.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def test_a_release_is_the_same_bytes_in_every_run_and_never_overwritten(release, seed_build, tmp_path):
    """Published again in another process with another hash seed: the same files, byte for byte."""
    run = subprocess.run([sys.executable, "-m", "partnerkg", "publish", "--output", str(seed_build.output),
                          "--release", str(tmp_path), "--version", "2026.11", "--endpoint",
                          "https://data.example.org/sparql", "--base-url", "https://data.example.org/releases/"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "777"})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "partnerkg-2026.11" / "SHA256SUMS").read_bytes() == (release / "SHA256SUMS").read_bytes()
    with pytest.raises(PartnerkgError, match="never overwritten"):
        publish(seed_build.output, release.parent, version="2026.11")
    with pytest.raises(PartnerkgError, match="is not a version"):
        publish(seed_build.output, tmp_path, version="../2026")


def test_json_ld_is_compact_with_the_published_context(seed_build):
    output = seed_build.output
    context = json.loads((output / "context.jsonld").read_text())
    document = json.loads((output / "partnerkg.jsonld").read_text())
    assert document["@context"] == context["@context"]
    assert context["@context"]["pkg"] == str(PKG)
    graphs = {node["@id"]: node["@graph"] for node in document["@graph"]}
    agreement = next(n for n in graphs["id:graph/002_8e5df970f06e8e2b"] if n.get("@type") == "pkg:Agreement")
    assert agreement["pkg:homeInstitution"] == {"@id": "id:institution/tohoku-university-jp"}
    assert agreement["@id"].startswith("id:agreement/002_8e5df970f06e8e2b/")
    # the same quads as the N-Quads dump
    as_json = set(ox.parse(path=output / "partnerkg.jsonld", format=ox.RdfFormat.JSON_LD))
    assert as_json == set(ox.parse(path=output / "partnerkg.nq", format=ox.RdfFormat.N_QUADS))


def test_asserted_and_inferred_triples_are_apart_and_nothing_is_an_owl_thing(seed_build):
    output = seed_build.output
    asserted = list(ox.parse(path=output / "partnerkg.nq", format=ox.RdfFormat.N_QUADS))
    inferred = list(ox.parse(path=output / "partnerkg-inferred.nq", format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in inferred} == {str(INFERRED)}
    assert str(INFERRED) not in {q.graph_name.value for q in asserted}
    assert not [q for q in asserted + inferred if q.object.value == str(OWL.Thing)]
    # what reasoning adds is there: every agreement's parties, from the home/partner sub-properties
    assert sum(q.predicate.value == str(PKG.party) for q in inferred) == 2 * 835
    # and the store answers over both
    from partnerkg.use.query import query
    parties = query("SELECT (COUNT(*) AS ?n) WHERE { ?a pkg:party ?p }", output / "store").rows
    assert parties == [["1670"]]


def test_names_carry_the_language_the_manifest_gives(tmp_path):
    (tmp_path / "partners.md").write_text("| Pays | Institution |\n|---|---|\n| Belgique | Université de Gand |\n"
                                          "| Suède | Institut royal de technologie |\n", encoding="utf-8")
    tagged = write_manifest(tmp_path, table_source("partners.md", extra='names_language = "fr"'))
    labels = _alt_labels(to_dataset(build(tagged, write=False).store))
    assert Literal("Université de Gand", lang="fr") in labels
    assert not [label for label in labels if not label.language]
    untagged = write_manifest(tmp_path, table_source("partners.md"))  # said nothing: no tag
    assert Literal("Université de Gand") in _alt_labels(to_dataset(build(untagged, write=False).store))


def _alt_labels(dataset: Dataset) -> set[Literal]:
    return {o for _, _, o, _ in dataset.quads((None, SKOS.altLabel, None, None))}


def test_preferred_labels_from_ror_carry_its_language_and_countries_link_to_geonames(seed_build):
    dataset = Dataset()
    dataset.parse(seed_build.output / "partnerkg.nq", format="nquads")

    def objects(subject, predicate) -> set:
        return {o for _, _, o, _ in dataset.quads((subject, predicate, None, None))}

    tohoku = vocab.entity("institution/tohoku-university-jp")
    assert objects(tohoku, SKOS.prefLabel) == {Literal("Tohoku University", lang="en")}
    assert URIRef("https://sws.geonames.org/2921044/") in objects(vocab.country("DE"), SKOS.exactMatch)
    assert URIRef("https://sws.geonames.org/1861060/") in objects(vocab.country("JP"), SKOS.exactMatch)


def test_publisher_licence_and_version_come_from_the_manifest(tmp_path):
    (tmp_path / "partners.md").write_text("| Pays | Institution |\n|---|---|\n| Suède | KTH |\n", encoding="utf-8")
    manifest = write_manifest(tmp_path, """[project]
title = "Partners of a test university"
publisher = { name = "Test University, International Office", url = "https://int.example.edu/" }
licence = "https://creativecommons.org/licenses/by/4.0/"
version = "1.2"
""" + table_source("partners.md", extra='date = "2025-09-01"'))
    result = CliRunner().invoke(cli, ["build", "-m", str(manifest), "-o", str(tmp_path / "out"), "--no-report"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["publish", "-o", str(tmp_path / "out"), "-r", str(tmp_path / "release")])
    assert result.exit_code == 0, result.output
    void = Graph().parse(tmp_path / "release" / "partnerkg-1.2" / "void.ttl")
    publisher = void.value(DATASET, DCTERMS.publisher)
    assert publisher == URIRef("https://int.example.edu/")
    assert str(void.value(publisher, FOAF.name)) == "Test University, International Office"
    assert void.value(DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(void.value(DATASET, DCTERMS.modified)) == "2025-09-01"
    subset = vocab.source_graph("partners")
    assert str(void.value(subset, DCTERMS.modified)) == "2025-09-01"
    assert void.value(subset, DCTERMS.source) == vocab.source_document("partners")


def test_every_ontology_term_is_documented_and_the_docs_show_it(release):
    ontology = Graph().parse(ONTOLOGY / "partnerkg.ttl")
    head = URIRef("https://w3id.org/partnerkg/ontology")
    for key in (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.creator, DCTERMS.title):
        assert ontology.value(head, key) is not None, key
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PKG))}
    assert len(terms) >= 40
    docs = (release / "ontology.html").read_text(encoding="utf-8")
    for term in terms:
        assert ontology.value(term, RDFS.comment) is not None, term
        assert ontology.value(term, RDFS.isDefinedBy) == head, term
        assert str(ontology.value(term, RDFS.comment)) in docs, term
    assert (ontology.value(PKG.Agreement, RDF.type)) == OWL.Class


def test_every_country_has_a_zone():
    """A country with no zone fails its shape, and that violation belongs to no one source: the
    whole build goes unpublished. A generated corpus of 10^6 agreements found Antarctica (a ROR
    record of a research station) so; XK before it. Every ISO 3166-1 country, and XK, has one."""
    import pycountry

    from partnerkg.reference.zones import standard_zone

    codes = [c.alpha_2 for c in pycountry.countries] + ["XK"]
    assert [code for code in codes if not standard_zone(code)] == []
    assert standard_zone("AQ") == "antarctique"


def test_a_partner_in_kosovo_is_published_with_its_country_described(tmp_path):
    """XK is not in ISO 3166-1, but ROR and GeoNames use it: a Kosovo partner once made the whole
    build unpublishable (its country had no zone, no label), found by a generated corpus of 10^5."""
    (tmp_path / "partners.md").write_text("| Pays | Institution |\n|---|---|\n| Kosovo | Universiteti i Prishtinës |\n",
                                          encoding="utf-8")
    result = build(write_manifest(tmp_path, table_source("partners.md")), write=False)
    assert result.published and not result.rejections and not result.validation.violations
    kosovo = vocab.country("XK")
    facts = {(p, o) for _, p, o, _ in to_dataset(result.store).quads((kosovo, None, None, None))}
    assert (PKG.zone, vocab.zone("europe")) in facts
    assert (SKOS.prefLabel, Literal("Kosovo", lang="en")) in facts
    assert (SKOS.exactMatch, URIRef("https://sws.geonames.org/831053/")) in facts
