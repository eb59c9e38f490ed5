"""Bad input: a clear message naming file and line, the rest of the build goes on, the exit code says so."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from partnerkg.cli import EXIT_REJECTED, cli
from partnerkg.config import load_manifest
from partnerkg.errors import ManifestError
from partnerkg.pipeline import build
from partnerkg.use.query import query

from .conftest import table_source as source
from .conftest import write_manifest

GOOD = "| Pays | Institution |\n|---|---|\n| Allemagne | Technische Universität Dresden |\n"




def rejections(output):
    with open(output / "report" / "rejections.csv", encoding="utf-8") as handle:
        return [(row["file"], int(row["line"]), row["reason"]) for row in csv.DictReader(handle)]


def agreements(output) -> int:
    return int(query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a pkg:Agreement }", output / "store").rows[0][0])


def test_missing_file_unknown_country_and_short_row_are_reported_and_the_rest_built(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.md").write_text(
        "| Pays | Institution |\n|---|---|\n| Atlantide | Université d'Atlantis |\n| Suède |\n| Suède | KTH |\n",
        encoding="utf-8")
    manifest = write_manifest(tmp_path, source("good.md") + source("bad.md") + source("missing.md"))
    result = CliRunner().invoke(cli, ["build", "--manifest", str(manifest), "--output", str(tmp_path / "out")])
    assert result.exit_code == EXIT_REJECTED, result.output
    reported = rejections(tmp_path / "out")
    assert ("bad.md", 3, "unknown country 'Atlantide' (expected a country name in any language or an ISO code), "
            "and nothing else tells where \"Université d'Atlantis\" is") in reported
    assert ("bad.md", 4, "expected 2 columns, found 1") in reported
    assert any(file == "missing.md" and "file not found" in reason for file, _, reason in reported)
    assert agreements(tmp_path / "out") == 2  # TU Dresden and KTH


def test_an_unknown_country_is_found_from_a_state_the_name_names_and_only_there(tmp_path):
    # "Texas" is a state of one country; "Ontario" names a Canadian province and a Californian city
    (tmp_path / "doc.md").write_text(
        "| Pays | Institution |\n|---|---|\n| Nations Unies | Consortium for Global Health, Texas |\n"
        "| Nations Unies | Ontario Health Institute |\n", encoding="utf-8")
    result = build(write_manifest(tmp_path, source("doc.md")), tmp_path / "out")
    placed = [w for w in result.warnings if w.line == 3]
    assert [w.reason for w in placed] == ["country 'Nations Unies' unknown; US taken from the name, which names texas"]
    assert [(r.line, r.reason.split(",")[0]) for r in result.rejections] == [(4, "unknown country 'Nations Unies' "
                                                                            "(expected a country name in any language or an ISO code)")]


@pytest.mark.parametrize("encoding,prefix,newline", [("cp1252", b"", "\r\n"), ("utf-8", b"\xef\xbb\xbf", "\r\n"),
                                                     ("latin-1", b"", "\n")])
def test_other_encodings_and_line_ends(tmp_path, encoding, prefix, newline):
    text = GOOD.replace("\n", newline).replace("Technische Universität Dresden", "Université de Liège")
    (tmp_path / "doc.md").write_bytes(prefix + text.encode(encoding))
    manifest = write_manifest(tmp_path, source("doc.md"))
    result = build(manifest, tmp_path / "out")
    assert result.rejections == []
    labels = query("SELECT ?l WHERE { ?i a pkg:Institution ; skos:altLabel ?l }", tmp_path / "out" / "store").rows
    assert labels == [["Université de Liège"]]


def test_unknown_reader_names_the_key_and_what_is_allowed(tmp_path):
    manifest = write_manifest(tmp_path, source("doc.md", form="pdf-magic"))
    with pytest.raises(ManifestError, match=r"key 'form' is 'pdf-magic'; allowed: delimited, json"):
        load_manifest(manifest)
    result = CliRunner().invoke(cli, ["build", "--manifest", str(manifest), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "error:" in result.output and "pdf-magic" in result.output


@pytest.mark.parametrize("body,message", [
    ("[[source]]\nform = 'delimited'\n", "key 'path' is required"),
    ("[[source]]\npath = 'a.csv'\nform = 'delimited'\ncolumns = { partnr = 1 }\n", "unknown column role(s) ['partnr']"),
    ("source = [", "not valid TOML"),
    ("[project]\n", "key 'source' must be a list"),
])
def test_manifest_errors(tmp_path, body, message):
    with pytest.raises(ManifestError) as error:
        load_manifest(write_manifest(tmp_path, body))
    assert message in str(error.value)


@pytest.mark.parametrize("payload,encoding", [
    ("| Pays | Institution |\n|---|---|\n| Belgique | Université de Liège |\n".encode("utf-16"), "utf-16"),
    ("| Pays | Institution |\n|---|---|\n| Belgique | Université de Liège |\n".encode("utf-16-le"), "utf-16-le"),
    ("| Pays | Institution |\n|---|---|\n| Belgique | Université de Liège |\n".encode() + b"| Suisse | \xff |\n",
     "utf-8 (1 byte(s) not UTF-8, replaced)"),
])
def test_utf16_and_a_stray_byte_do_not_lose_the_document(tmp_path, payload, encoding):
    (tmp_path / "doc.md").write_bytes(payload)
    result = build(write_manifest(tmp_path, source("doc.md")), tmp_path / "out", report=False)
    assert [s.encoding for s in result.summaries] == [encoding]
    labels = query("SELECT ?l WHERE { ?i a pkg:Institution ; skos:altLabel ?l }", tmp_path / "out" / "store").rows
    assert ["Université de Liège"] in labels


def test_an_empty_document_is_reported(tmp_path):
    (tmp_path / "empty.md").write_text("\n  \n", encoding="utf-8")
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    manifest = write_manifest(tmp_path, source("empty.md") + source("good.md"))
    result = build(manifest, tmp_path / "out", report=False)
    assert [(r.file, "the document is empty" in r.reason) for r in result.rejections] == [("empty.md", True)]
    assert agreements(tmp_path / "out") == 1


def test_a_record_the_build_loses_is_reported_not_dropped(tmp_path, monkeypatch):
    """The build checks its books per source: a record that became neither agreements nor a
    rejection (a bug of partnerkg, simulated here by a normaliser that drops the first row) is
    reported with its file and line."""
    from partnerkg import pipeline

    normalise = pipeline.normalise_records
    monkeypatch.setattr(pipeline, "normalise_records", lambda records, kinds: (
        lambda rows, rejected, warned: (rows[1:], rejected, warned))(*normalise(records, kinds)))
    (tmp_path / "partners.md").write_text(GOOD + "| Suède | KTH |\n", encoding="utf-8")
    result = build(write_manifest(tmp_path, source("partners.md")), write=False)
    assert [s.agreements for s in result.summaries] == [1]
    [lost] = result.rejections
    assert (lost.file, lost.line) == ("partners.md", 3) and "a bug of partnerkg" in lost.reason
