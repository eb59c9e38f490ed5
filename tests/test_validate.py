"""SHACL validation: the seed graph conforms (test_seeds); a deliberately broken graph does not."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD, Namespace

from partnerkg.cli import EXIT_INVALID, cli
from partnerkg.rdfutil import add_triples, load_nquads
from partnerkg.store.lines import sort_file, sorted_graph_file
from partnerkg.validate import load_shapes, sparql, validate, validate_since
from partnerkg.validate.sparql import compile_shapes
from partnerkg.vocab import ID, PKG, PREFIXES

EX = Namespace("https://example.org/classes#")


def test_broken_graph_is_caught(seed_build, tmp_path):
    dataset = Dataset()
    dataset.parse(seed_build.output / "partnerkg.nq", format="nquads")
    graph = dataset.graph(URIRef(ID["graph/broken"]))
    broken = ID["agreement/broken/L1"]
    graph.add((broken, RDF.type, PKG.Agreement))  # no home, no partner, no provenance
    graph.add((broken, PKG.placesMin, Literal(5, datatype=XSD.integer)))
    graph.add((broken, PKG.placesMax, Literal(2, datatype=XSD.integer)))
    graph.add((ID["institution/nameless"], RDF.type, PKG.Institution))  # no label
    graph.add((ID["country/XX"], RDF.type, PKG.Country))
    graph.add((ID["country/XX"], SKOS.notation, Literal("xx1")))
    (tmp_path / "partnerkg.nq").write_bytes(dataset.serialize(format="nquads", encoding="utf-8"))
    shutil.copy(seed_build.output / "partnerkg-inferred.nq", tmp_path)  # validation is of the closure

    result = CliRunner().invoke(cli, ["validate", "--output", str(tmp_path)])
    assert result.exit_code == EXIT_INVALID
    assert "does NOT conform" in result.output
    assert "An agreement has exactly one home institution." in result.output
    assert "Every agreement says which one place of its source it was read from" in result.output
    assert "no larger than the maximum" in result.output
    assert "An institution has exactly one preferred label (a text, with or without a language tag)." in result.output
    assert "ISO 3166-1 alpha-2" in result.output


def test_seed_dump_validates_through_the_cli(seed_build):
    result = CliRunner().invoke(cli, ["validate", "--output", str(seed_build.output)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("SHACL: conforms: 0 violation(s)")


def _broken_store(seed_build) -> ox.Store:
    """The seed graph with its inferences, and a graph that breaks one constraint of each kind."""
    store = load_nquads([seed_build.output / "partnerkg.nq", seed_build.output / "partnerkg-inferred.nq"])
    broken, other, nameless = ID["agreement/broken/L1"], ID["agreement/broken/L2"], ID["institution/nameless"]
    add_triples(store, [
        (broken, RDF.type, PKG.Agreement),  # no home, no partner, no provenance (minCount)
        (broken, PKG.partner, ID["country/FR"]),  # not an institution (class)
        (broken, PKG.placesMin, Literal(5, datatype=XSD.integer)),
        (broken, PKG.placesMax, Literal(2, datatype=XSD.integer)),  # lessThanOrEquals
        # ill-typed (datatype), and two (maxCount); apart from L1, since SHACL says an incomparable pair
        # breaks lessThanOrEquals and pyshacl does not report it (the compiled shapes do)
        (other, RDF.type, PKG.Agreement),
        (other, PKG.placesMax, Literal("many", datatype=XSD.integer)),
        (other, PKG.placesMax, Literal(3, datatype=XSD.integer)),
        # two homes (maxCount, checked in one query with minCount), and a partner that is a text (class)
        (other, PKG.homeInstitution, ID["institution/nameless"]),
        (other, PKG.homeInstitution, ID["institution/two-names"]),
        (other, PKG.partner, Literal("Campus")),
        (broken, PKG.mobilityMonths, Literal(-3, datatype=XSD.integer)),  # below its minimum
        (broken, PKG.feeWaiver, Literal("yes")),  # not a boolean
        (nameless, RDF.type, PKG.Institution),  # no label
        (ID["institution/two-names"], RDF.type, PKG.Institution),
        (ID["institution/two-names"], SKOS.prefLabel, URIRef("https://example.org/a")),  # not a text (or)
        (ID["institution/two-names"], PKG.erasmusCode, Literal("munchen02")),  # pattern
        (ID["country/XX"], RDF.type, PKG.Country),
        (ID["country/XX"], SKOS.notation, Literal("xx1")),
        (ID["country/XX"], SKOS.prefLabel, Literal("Iksland", lang="de")),
        (ID["country/XX"], SKOS.prefLabel, Literal("Xland", lang="de")),  # uniqueLang
        (ID["zone/none"], RDF.type, PKG.Zone),
        # targets and sh:class through subclasses (in a graph of their own, below), two levels down:
        # L3 is an agreement with no home, whose partner is an institution by its class alone
        (ID["agreement/broken/L3"], RDF.type, EX.Exchange),
        (ID["agreement/broken/L3"], PKG.partner, ID["institution/campus"]),
        (ID["institution/campus"], RDF.type, EX.Campus),
        (ID["institution/campus"], SKOS.prefLabel, Literal("Campus", lang="en")),
    ], ID["graph/broken"])
    add_triples(store, [(EX.Exchange, RDFS.subClassOf, EX.Agreement), (EX.Agreement, RDFS.subClassOf, PKG.Agreement),
                        (EX.Campus, RDFS.subClassOf, PKG.Institution)], ID["graph/broken-classes"])
    return store


@pytest.mark.parametrize("sparse_below", [0, 0.5, float("inf")], ids=["from-focus", "chosen", "from-statements"])
def test_shapes_on_the_store_find_what_pyshacl_finds(seed_build, monkeypatch, sparse_below):
    """The compiled shapes (SPARQL on the store) and pyshacl give the same findings, one by one: on
    the seed graph, and on a graph breaking every kind of constraint the shapes use; whether the
    checks start from the focus nodes, from the statements on their paths, or choose by counting."""
    monkeypatch.setattr(sparql, "SPARSE_BELOW", sparse_below)
    shapes = load_shapes()
    assert compile_shapes(shapes) is not None
    seeds = load_nquads([seed_build.output / "partnerkg.nq", seed_build.output / "partnerkg-inferred.nq"])
    assert validate(seeds, shapes) == validate(seeds, shapes, plain=True)
    store = _broken_store(seed_build)
    fast, plain = validate(store, shapes), validate(store, shapes, plain=True)
    assert fast == plain
    broken = {(f.focus.rsplit("/", 2)[-2:][-1], f.path) for f in fast.violations}
    assert {("L1", "pkg:homeInstitution"), ("L1", "pkg:partner"), ("L1", "pkg:placesMin"), ("L2", "pkg:placesMax"),
            ("L2", "pkg:homeInstitution"), ("L2", "pkg:partner"), ("L1", "pkg:mobilityMonths"), ("L1", "pkg:feeWaiver"), ("nameless", "skos:prefLabel"),
            ("two-names", "skos:prefLabel"), ("two-names", "pkg:erasmusCode"), ("XX", "skos:notation"),
            ("XX", "skos:prefLabel"), ("none", "skos:inScheme"), ("L3", "pkg:homeInstitution")} <= broken
    assert ("L3", "pkg:partner") not in broken


def test_shapes_the_compiler_does_not_know_are_left_to_pyshacl(seed_build, tmp_path):
    (tmp_path / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pkg: <https://w3id.org/partnerkg/ontology#> .\n"
        "<https://example.org/s> a sh:NodeShape ; sh:targetClass pkg:Agreement ;\n"
        "  sh:property [ sh:path pkg:kind ; sh:in ( ) ; sh:message \"never\" ] .\n", encoding="utf-8")
    shapes = load_shapes((tmp_path / "extra.ttl",))
    assert compile_shapes(shapes) is None
    report = validate(load_nquads([seed_build.output / "partnerkg.nq"]), shapes)
    assert any(f.message == "never" for f in report.violations)  # pyshacl ran them


def _lines_of(store: ox.Store, folder: Path) -> Path:
    """Each named graph's sorted lines in ``folder``, as a build keeps them (``store.lines``)."""
    folder.mkdir()
    for graph in store.named_graphs():
        path = sorted_graph_file(folder, graph)
        ox.serialize(store.quads_for_pattern(None, None, None, graph), str(path), format=ox.RdfFormat.N_QUADS)
        sort_file(path)
    return folder


def _take_out(store: ox.Store, subject, predicate, obj) -> None:
    for quad in list(store.quads_for_pattern(subject, predicate, obj)):
        store.remove(quad)


def _edits(store: ox.Store) -> dict:
    """Edits of the broken store, one per way a compiled check reads the graph."""
    node = lambda term: ox.NamedNode(str(term))  # noqa: E731
    row = next(iter(store.query("SELECT ?a ?i WHERE { ?a pkg:partner ?i . ?i a pkg:Institution } ORDER BY ?a ?i LIMIT 1",
                                prefixes=PREFIXES, use_default_graph_as_union=True)))
    agreement, partner = row["a"], row["i"]
    broken = node(ID["graph/broken"])
    return {
        # the focus node's own statements: L1 gains the home it lacked
        "a focus node's statement": lambda s: s.add(ox.Quad(node(ID["agreement/broken/L1"]), node(PKG.homeInstitution),
                                                            node(ID["institution/nameless"]), broken)),
        # a value's types: a seed agreement's partner is no institution any more (in every graph)
        "a value's type": lambda s: _take_out(s, partner, node(RDF.type), None),
        # a target through a subclass: a new exchange, with nothing it needs
        "a new target": lambda s: s.add(ox.Quad(node(ID["agreement/broken/L4"]), node(RDF.type), node(EX.Exchange),
                                                broken)),
        "a graph gone": lambda s: s.remove_graph(broken),
        "a new graph": lambda s: s.add(ox.Quad(agreement, node(PKG.placesMax), ox.Literal("lots"),
                                               node(ID["graph/another"]))),
        # a new subclass is in every check's list of classes: every check differs, all validated again
        "a new subclass": lambda s: s.extend([
            ox.Quad(node(EX.Visit), node(RDFS.subClassOf), node(PKG.Agreement), broken),
            ox.Quad(node(ID["agreement/broken/L5"]), node(RDF.type), node(EX.Visit), broken)]),
    }


def test_a_validation_from_the_last_finds_what_validating_everything_finds(seed_build, tmp_path):
    """Each edit of a graph breaking every compiled constraint, validated again from the last
    validation (only the focus nodes whose statements, or whose values' statements, changed),
    gives the report validating everything gives."""
    shapes = load_shapes()
    before = _broken_store(seed_build)
    report, last, rechecked = validate_since(before, shapes)
    assert rechecked is None and report == validate(before, shapes) and report.violations
    last = replace(last, folder=_lines_of(before, tmp_path / "before"))
    subjects = len({quad.subject for quad in before})
    for number, (edit, change) in enumerate(_edits(before).items()):
        after = _broken_store(seed_build)
        change(after)
        again, _, rechecked = validate_since(after, shapes, last, _lines_of(after, tmp_path / f"after-{number}"))
        whole = validate(after, shapes)
        assert again == whole, edit
        assert whole != report, f"{edit}: the edit changed nothing validation finds"
        if edit == "a new subclass":
            assert rechecked is None
        else:  # a few nodes checked again, not every focus node
            assert rechecked is not None and 0 < rechecked < subjects / 10, (edit, rechecked)
