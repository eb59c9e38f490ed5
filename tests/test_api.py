"""The library API: `import partnerkg` gives the functions the commands wrap."""

from __future__ import annotations

import gc
from contextlib import contextmanager

from rdflib.namespace import RDF

import partnerkg
from partnerkg.rdfutil import to_dataset
from partnerkg.vocab import PKG

from .conftest import table_source, write_manifest

DOC = "| Pays | Institution |\n|---|---|\n| Allemagne | Technische Universität Dresden |\n| Suède | KTH |\n"
MANIFEST = table_source("partners.md", home="Université Test")


def test_a_build_in_memory_writes_nothing(tmp_path):
    (tmp_path / "partners.md").write_text(DOC, encoding="utf-8")
    manifest = write_manifest(tmp_path, MANIFEST)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = partnerkg.build(manifest, write=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, no lock file
    assert result.output is None and result.files == {}
    assert [s.agreements for s in result.summaries] == [2]
    agreements = {s for s, *_ in to_dataset(result.store).quads((None, RDF.type, PKG.Agreement, None))}
    assert len(agreements) == 2


def test_a_session_with_the_library(tmp_path):
    (tmp_path / "partners.md").write_text(DOC, encoding="utf-8")
    manifest = partnerkg.load_manifest(write_manifest(tmp_path, MANIFEST))
    assert [s.id for s in manifest.sources] == ["partners"]
    result = partnerkg.build(manifest.path, tmp_path / "out")
    frame = partnerkg.query("SELECT ?home (COUNT(?a) AS ?n) WHERE { ?a pkg:homeInstitution/skos:prefLabel ?home } "
                            "GROUP BY ?home", result.output / "store").to_pandas()
    assert frame.to_dict("records") == [{"home": "Université Test", "n": 2}]  # a count, typed
    assert "agreements-by-zone" in [q.name for q in partnerkg.catalogue()]
    assert "report.html" in result.files and (tmp_path / "out" / "analysis" / "home-overlap.csv").exists()
    assert sorted(partnerkg.analyze(str(result.output))) == \
        sorted(p.name for p in (result.output / "analysis").iterdir())  # a folder as text, as in the README
    explanation = partnerkg.explain("KTH", str(result.output))
    assert explanation and "KTH" in explanation[0].text()


def test_a_build_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    # a build freezes what it holds and collects rarely while it runs (pipeline._frozen_stages);
    # a program that builds, then goes on, gets CPython's collector back as it was, nothing frozen
    (tmp_path / "partners.md").write_text(DOC, encoding="utf-8")
    manifest = write_manifest(tmp_path, MANIFEST)
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen = {}

    @contextmanager
    def step(name):
        seen[name] = gc.get_threshold(), gc.get_freeze_count()  # as the stage starts
        yield

    result = partnerkg.build(manifest, tmp_path / "out", step=step)
    assert [s.agreements for s in result.summaries] == [2]
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == frozen
    assert {"read and normalise", "reason (OWL 2 RL)", "publish and store"} <= set(seen)
    for stage, (during, frozen_during) in seen.items():
        assert during[0] > thresholds[0] and frozen_during > frozen, stage  # rarer, the build's objects frozen
