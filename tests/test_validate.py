"""SHACL validation: the seed graph conforms (test_seeds); a deliberately broken graph does not."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from partnerkg.cli import EXIT_INVALID, cli
from partnerkg.vocab import ID, PKG


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
