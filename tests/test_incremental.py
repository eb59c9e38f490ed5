"""Incremental builds: a rebuild after one document changed reads, clusters and maps again only
what that document touches, and writes the same bytes as a build from scratch."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from partnerkg import build_cache
from partnerkg.cli import cli
from partnerkg.pipeline import build
from partnerkg.publish import dump
from partnerkg.use.query import query

from .conftest import table_source, write_manifest

LYON = "| Pays | Institution |\n|---|---|\n| Suède | KTH |\n| Allemagne | Technische Universität München |\n"
NANTES = "| Pays | Institution |\n|---|---|\n| Italie | Politecnico di Milano |\n| Espagne | Universidad de Sevilla |\n"


def _two_documents(folder: Path) -> Path:
    (folder / "lyon.md").write_text(LYON, encoding="utf-8")
    (folder / "nantes.md").write_text(NANTES, encoding="utf-8")
    return write_manifest(folder, table_source("lyon.md", home="Université de Lyon")
                          + table_source("nantes.md", home="Université de Nantes"))


def _differing(a: Path, b: Path) -> list[str]:
    """The output files that differ between two output folders, and "store" when their stores
    differ in a quad (the store's own files differ with the order of its writes)."""
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and "store" not in p.relative_to(a).parts)
    assert files
    differing = [str(f) for f in files if not (b / f).exists() or not filecmp.cmp(a / f, b / f, shallow=False)]
    return differing + (["store"] if _stored(a) != _stored(b) else [])


def _stored(output: Path) -> list[bytes]:
    store = ox.Store.read_only(str(output / "store"))
    return sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())


def test_a_changed_document_is_read_clustered_and_mapped_again_alone(tmp_path):
    manifest = _two_documents(tmp_path)
    output = tmp_path / "out"
    first = build(manifest, output, report=False)
    assert first.cached["read"] == {"made": 2}
    again = build(manifest, output, report=False)
    assert again.cached == {"build": {"reused": 1}}  # nothing changed: nothing to do
    assert again.summaries == first.summaries and again.files == first.files

    # Nantes adds a partner in a country no document named before: one new country to cluster (the
    # four partners' and the homes' France are taken from the cache)
    (tmp_path / "nantes.md").write_text(NANTES + "| Japon | Université de Kyoto |\n", encoding="utf-8")
    changed = build(manifest, output, report=False)
    validated, stored = changed.cached.pop("validate"), changed.cached.pop("store")
    # reasoning reads again Nantes' graph, the resolution graph and the reference graph (Japan is new
    # in both), and takes what Lyon's graph states and entails from the cache
    assert changed.cached == {"read": {"made": 1, "reused": 1}, "cluster": {"made": 1, "reused": 5},
                              "map": {"made": 1, "reused": 1}, "reason": {"made": 3, "reused": 1},
                              "publish": {"made": 5, "reused": 1}}  # TriG and JSON-LD: Lyon's graph kept
    assert set(validated) == {"focus nodes checked again"}  # (the test below counts them)
    # the store: the last one, with the quads a graph gained or lost (Nantes' agreement, Kyoto, Japan,
    # their tallies...), a few of all
    assert 0 < stored["quads changed"] < first.quads / 4
    scratch = build(manifest, tmp_path / "scratch", report=False, cache=False)
    assert _differing(output, tmp_path / "scratch") == []
    rows = query("SELECT ?name WHERE { ?a pkg:partner/skos:prefLabel ?name }", output / "store").rows
    assert ["Université de Kyoto"] in rows and len(rows) == 5
    assert scratch.cached == {"read": {"made": 2}, "cluster": {"made": 6}, "map": {"made": 2},
                              "reason": {"made": 4}, "publish": {"made": 6}}  # nothing kept


def test_the_seeds_rebuilt_from_the_cache_are_the_same_bytes(seed_project, tmp_path):
    project = tmp_path / "sources"
    shutil.copytree(seed_project.parent, project)
    output = tmp_path / "out"
    build(project / "manifest.toml", output)
    (output / "report.html").unlink()  # no longer as the last build left it: built again, from the cache
    again = build(project / "manifest.toml", output)
    assert {stage: set(counts) for stage, counts in again.cached.items()} == \
        {"read": {"reused"}, "cluster": {"reused"}, "map": {"reused"}, "reason": {"reused"}, "publish": {"reused"},
         "validate": {"focus nodes checked again"}, "store": {"quads changed"}}
    assert again.cached["validate"]["focus nodes checked again"] == 0  # the same graphs: nothing to check
    assert again.cached["store"]["quads changed"] == 0  # the last build's store, as it was
    build(project / "manifest.toml", tmp_path / "scratch", cache=False)
    assert _differing(output, tmp_path / "scratch") == []


def test_a_rebuild_validates_again_only_the_nodes_the_changed_document_touches(tmp_path):
    """Nantes loses a partner and gains two: the rebuild checks again the nodes whose
    statements changed, and reports what a build without the cache reports: the new agreement's
    warning (no kind), and those the first build found about Lyon's agreements, kept."""
    manifest = _two_documents(tmp_path)
    output = tmp_path / "out"
    first = build(manifest, output, report=False)
    assert first.cached["validate"] == {"validated whole": 1}
    lines = NANTES.splitlines()
    (tmp_path / "nantes.md").write_text("\n".join(lines[:-1] + ["| Japon | Université de Kyoto |", "| Suède | KTH |"]) + "\n",
                                        encoding="utf-8")
    changed = build(manifest, output, report=False)
    scratch = build(manifest, tmp_path / "scratch", report=False, cache=False)
    assert changed.validation == scratch.validation and changed.validation != first.validation
    new = {f.focus for f in scratch.validation.warnings} - {f.focus for f in first.validation.warnings}
    assert len(new) == 1 and "nantes" in new.pop()
    assert any("lyon" in f.focus for f in changed.validation.warnings)  # found by the first build, kept
    subjects = query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }", output / "store").rows[0][0]
    assert 0 < changed.cached["validate"]["focus nodes checked again"] < int(subjects) / 2
    assert _differing(output, tmp_path / "scratch") == []


def test_the_parts_a_second_process_writes_are_kept_and_taken_as_the_builds(tmp_path, monkeypatch):
    """Past PARALLEL_ABOVE bytes, TriG and JSON-LD are written by a second process: what it takes
    from the cache and makes counts as the build's, and the cache keeps only those entries."""
    monkeypatch.setattr(dump, "PARALLEL_ABOVE", 0)
    manifest = _two_documents(tmp_path)
    output = tmp_path / "out"
    assert build(manifest, output, report=False).cached["publish"] == {"made": 6}
    (tmp_path / "nantes.md").write_text(NANTES + "| Japon | Université de Kyoto |\n", encoding="utf-8")
    assert build(manifest, output, report=False).cached["publish"] == {"made": 5, "reused": 1}
    assert len(list((tmp_path / ".out-cache" / "publish").iterdir())) == 6  # the first build's Nantes parts gone
    build(manifest, tmp_path / "scratch", report=False, cache=False)
    assert _differing(output, tmp_path / "scratch") == []


def test_builds_in_processes_of_their_own_take_each_others_entries(tmp_path):
    """As `partnerkg build` runs: each build a new process, with its own string hashing (the order
    rdflib gives a graph's triples in changes with it), so no key may depend on such an order."""
    manifest = _two_documents(tmp_path)
    run = ("import json, sys; from partnerkg.pipeline import build; "
           "print(json.dumps(build(sys.argv[1], sys.argv[2], report=False).cached))")

    def cached() -> dict:
        done = subprocess.run([sys.executable, "-c", run, str(manifest), str(tmp_path / "out")],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout.splitlines()[-1])

    cached()
    (tmp_path / "nantes.md").write_text(NANTES + "| Japon | Université de Kyoto |\n", encoding="utf-8")
    again = cached()
    assert again["read"]["reused"] == again["map"]["reused"] == again["reason"]["reused"] == 1  # Lyon's
    assert "focus nodes checked again" in again["validate"]


def test_entries_a_killed_build_damaged_are_made_again(tmp_path):
    manifest = _two_documents(tmp_path)
    build(manifest, tmp_path / "out", report=False)
    entries = sorted((tmp_path / ".out-cache").rglob("*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:10])  # cut short
    rebuilt = build(manifest, tmp_path / "out", report=False)
    assert rebuilt.cached == {"read": {"made": 2}, "cluster": {"made": 5}, "map": {"made": 2},
                              "reason": {"made": 4}, "publish": {"made": 6}, "validate": {"validated whole": 1},
                              "store": {"loaded whole": 1}}
    build(manifest, tmp_path / "scratch", report=False, cache=False)
    assert _differing(tmp_path / "out", tmp_path / "scratch") == []


def test_another_version_of_partnerkg_takes_nothing_from_the_cache(tmp_path, monkeypatch):
    manifest = _two_documents(tmp_path)
    build(manifest, tmp_path / "out", report=False)
    monkeypatch.setattr(build_cache, "code_digest", lambda: "an edited partnerkg")
    rebuilt = build(manifest, tmp_path / "out", report=False)
    assert rebuilt.cached == {"read": {"made": 2}, "cluster": {"made": 5}, "map": {"made": 2},
                              "reason": {"made": 4}, "publish": {"made": 6}, "validate": {"validated whole": 1},
                              "store": {"loaded whole": 1}}


def test_the_cache_keeps_only_what_the_last_build_used(tmp_path):
    manifest = _two_documents(tmp_path)
    build(manifest, tmp_path / "out", report=False)
    (tmp_path / "lyon.md").write_text(LYON.replace("KTH", "Chalmers"), encoding="utf-8")
    build(manifest, tmp_path / "out", report=False)
    cache = tmp_path / ".out-cache"
    kept = {stage.name: len(list(stage.glob("*.pickle"))) for stage in cache.iterdir() if stage.is_dir()}
    assert kept == {"read": 2, "cluster": 5, "map": 2, "reason": 4, "publish": 6, "graphs": 1}
    assert len(list((cache / "graphs").glob("lines-*"))) == 1  # the last build's graphs, for the next validation


def test_the_cli_builds_without_the_cache_when_asked(tmp_path):
    manifest = _two_documents(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "-m", str(manifest), "-o", str(tmp_path / "out"), "--no-report",
                                 "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".out-cache").exists()
    result = runner.invoke(cli, ["build", "-m", str(manifest), "-o", str(tmp_path / "out"), "--no-report"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / ".out-cache").iterdir()) == ["build.pickle", "cluster", "graphs", "map",
                                                                              "publish", "read", "reason"]
    rows = query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a pkg:Agreement }", tmp_path / "out" / "store").rows
    assert rows == [["4"]]


def test_a_build_with_nothing_changed_does_nothing_and_says_what_the_last_said(tmp_path):
    manifest = _two_documents(tmp_path)
    (tmp_path / "nantes.md").write_text(NANTES + "| Atlantide | Université Engloutie |\n", encoding="utf-8")
    runner = CliRunner()
    command = ["build", "-m", str(manifest), "-o", str(tmp_path / "out"), "--no-report"]
    first = runner.invoke(cli, command)
    assert first.exit_code == 3, first.output  # a row was rejected: no country anyone knows
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*") if p.is_file()}
    again = runner.invoke(cli, command)
    assert again.exit_code == 3 and again.stdout == first.stdout
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*") if p.is_file()} == written


def test_a_build_is_redone_when_an_input_or_an_output_file_changed(tmp_path):
    manifest = _two_documents(tmp_path)
    output = tmp_path / "out"
    build(manifest, output, report=False)
    assert build(manifest, output, report=False).cached == {"build": {"reused": 1}}
    (output / "partnerkg.ttl").write_text("edited by hand\n", encoding="utf-8")
    redone = build(manifest, output, report=False)
    assert redone.cached["read"] == {"reused": 2}
    assert "edited by hand" not in (output / "partnerkg.ttl").read_text(encoding="utf-8")
    (tmp_path / "overrides.toml").write_text('[[different]]\nnames = ["KTH", "Chalmers"]\n', encoding="utf-8")
    assert build(manifest, output, report=False).cached == {"build": {"reused": 1}}  # not named: not an input
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("[[source]]", '[project]\noverrides = '
                                                                     '"overrides.toml"\n\n[[source]]', 1))
    assert "build" not in build(manifest, output, report=False).cached
    (tmp_path / "overrides.toml").write_text('[[different]]\nnames = ["KTH", "Uppsala"]\n', encoding="utf-8")
    assert "build" not in build(manifest, output, report=False).cached
    assert build(manifest, output).cached["read"] == {"reused": 2}  # with the report: another output


def test_the_manifest_named_from_another_folder_is_the_same_build(tmp_path, monkeypatch):
    """A manifest's path, relative or absolute (a build run from another folder), keys the same
    cache entries: nothing is read or mapped again for how a path is spelled."""
    project = tmp_path / "project"
    project.mkdir()
    manifest, output = _two_documents(project), tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    build(Path("project") / manifest.name, output, report=False)
    monkeypatch.chdir(project)
    assert build(manifest.name, output, report=False).cached == {"build": {"reused": 1}}
    (project / "nantes.md").write_text(NANTES + "| Suède | KTH |\n", encoding="utf-8")
    changed = build(manifest, output, report=False)
    assert changed.cached["read"] == {"made": 1, "reused": 1} and changed.cached["map"] == {"made": 1, "reused": 1}


def test_a_cache_that_cannot_be_written_is_passed_over(tmp_path):
    manifest = _two_documents(tmp_path)
    (tmp_path / ".out-cache").write_text("a file where the cache folder would go", encoding="utf-8")
    first = build(manifest, tmp_path / "out", report=False)
    again = build(manifest, tmp_path / "out", report=False)
    assert first.cached == again.cached == {"read": {"made": 2}, "cluster": {"made": 5}, "map": {"made": 2},
                                            "reason": {"made": 4}, "publish": {"made": 6}, "validate": {"validated whole": 1},
                                            "store": {"loaded whole": 1}}  # nothing kept to start from
    build(manifest, tmp_path / "scratch", report=False, cache=False)
    assert _differing(tmp_path / "out", tmp_path / "scratch") == []


NO_NOTES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pkg: <https://w3id.org/partnerkg/ontology#> .
<urn:example:NoNotes> a sh:NodeShape ; sh:targetClass pkg:Agreement ;
  sh:property [ sh:path pkg:note ; sh:maxCount 0 ; sh:message "An agreement here has no notes." ] .
"""

def test_a_rebuild_changes_the_last_store_only_when_it_is_as_the_last_build_left_it(tmp_path):
    """The rebuild's store is the last build's with the quads each graph gained or lost, when that
    store is as the build wrote it and the build kept its graphs' lines; a store edited since, or
    one written by a build that withheld a source, is loaded again from the dumps. Each time,
    the store holds what a build without the cache stores."""
    lyon = "| Pays | Institution | Notes |\n|---|---|---|\n| Suède | KTH | |\n"
    (tmp_path / "lyon.md").write_text(lyon, encoding="utf-8")
    (tmp_path / "nantes.md").write_text(NANTES, encoding="utf-8")
    (tmp_path / "shapes.ttl").write_text(NO_NOTES, encoding="utf-8")
    manifest = write_manifest(tmp_path, '[project]\nshapes = ["shapes.ttl"]\n\n[[source]]\npath = "lyon.md"\n'
                              'home = { name = "Université de Lyon", country = "FR" }\nform = "markdown-table"\n'
                              'columns = { country = "Pays", partner = "Institution", notes = "Notes" }\n'
                              + table_source("nantes.md", home="Université de Nantes"))
    output = tmp_path / "out"

    def rebuilt(edit: str, text: str, how: str) -> tuple:
        (tmp_path / edit).write_text(text, encoding="utf-8")
        built = build(manifest, output, report=False)
        assert set(built.cached["store"]) == {how} and built.cached["store"][how] > 0, edit
        shutil.rmtree(tmp_path / "scratch", ignore_errors=True)
        build(manifest, tmp_path / "scratch", report=False, cache=False)
        assert _differing(output, tmp_path / "scratch") == [], edit
        return built.withheld

    assert build(manifest, output, report=False).cached["store"] == {"loaded whole": 1}
    by_hand = ox.Store(str(output / "store"))
    by_hand.add(ox.Quad(ox.NamedNode("urn:example:x"), ox.NamedNode("urn:example:p"), ox.Literal("by hand"),
                        ox.NamedNode("urn:example:g")))
    by_hand.flush()
    del by_hand
    assert rebuilt("nantes.md", NANTES + "| Japon | Université de Kyoto |\n", "loaded whole") == ()  # edited since
    assert rebuilt("lyon.md", lyon + "| Norvège | NTNU | sans frais |\n", "loaded whole") == ("lyon",)
    assert rebuilt("lyon.md", lyon, "loaded whole") == ()  # the last build withheld a source: no lines kept
    assert rebuilt("nantes.md", NANTES, "quads changed") == ()
