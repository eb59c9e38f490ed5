"""The three seed documents, end to end: counts, provenance, identity, validation, determinism."""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import SKOS

from .golden_cases import SEED_BUILD, SEED_DUMPS, seed_sums

SOURCES = {"000": "000_f072853316d7ee52", "001": "001_d0bbbd03eef5ae86", "002": "002_8e5df970f06e8e2b"}


def count_agreements(seed_query, source_id: str, kind: str | None = None) -> int:
    kind_filter = f"?a pkg:kind <https://w3id.org/partnerkg/id/kind/{kind}> ." if kind else ""
    rows = seed_query(f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
        GRAPH <https://w3id.org/partnerkg/id/graph/{source_id}> {{ ?a a pkg:Agreement . {kind_filter} }} }}""")
    return int(rows[0][0])


def test_per_source_counts_in_the_dump(seed_query):
    assert count_agreements(seed_query, SOURCES["000"]) == 45
    assert count_agreements(seed_query, SOURCES["001"]) == 380
    assert count_agreements(seed_query, SOURCES["002"], "inter-university") == 127
    # the department conventions: every establishment found, none rejected ("Institut National
    # Polytechnique de Grenoble" is one establishment, not "Institut National" and another)
    assert count_agreements(seed_query, SOURCES["002"], "inter-department") == 283


def test_nothing_is_lost(seed_build):
    by_source = {s.source: s for s in seed_build.summaries}
    for summary in by_source.values():
        assert summary.rows_read == summary.agreements + summary.rejected + summary.skipped
    assert seed_build.rejections == []
    assert (seed_build.output / "report" / "rejections.csv").exists()


def test_stated_unit_counts_are_reported_beside_found_ones(seed_build):
    checks = {c.unit: c for c in seed_build.unit_checks}
    assert len(checks) == 23
    assert sum(c.stated for c in checks.values()) == 289
    engineering = checks["École doctorale d'Ingénierie / École d'Ingénierie"]
    assert (engineering.stated, engineering.found) == (58, 56)
    assert checks["Centre de Cyclotron et de Radioisotope"].differs is False
    with open(seed_build.output / "report" / "unit-counts.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(row["differs"] == "True" for row in rows) == sum(c.differs for c in checks.values()) > 0


def test_every_agreement_points_at_its_document_and_line(seed_query):
    rows = seed_query("""SELECT ?line ?text WHERE {
        <https://w3id.org/partnerkg/id/agreement/000_f072853316d7ee52/L7> prov:wasDerivedFrom ?l .
        ?l pkg:lineNumber ?line ; pkg:verbatim ?text ; dcterms:isPartOf/dcterms:identifier "000_f072853316d7ee52" }""")
    # the referent, a person, is withheld (the manifest does not opt in to personal data)
    assert rows == [["7", "| Allemagne | Technische Universität Dresden | Echange | [withheld] | 01062 Dresden, "
                                "Germany | 2 |"]]
    missing = seed_query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a pkg:Agreement FILTER NOT EXISTS "
                         "{ ?a prov:wasDerivedFrom/pkg:lineNumber ?n } }")
    assert missing == [["0"]]


def test_repeated_partner_is_one_institution_with_several_agreements(seed_query):
    rows = seed_query("""SELECT ?p (COUNT(?a) AS ?n) WHERE {
        GRAPH <https://w3id.org/partnerkg/id/graph/001_d0bbbd03eef5ae86> {
          ?a pkg:partner ?p . ?p skos:altLabel "Kungliga Tekniska Högskolan (KTH)" } } GROUP BY ?p""")
    assert len(rows) == 1 and rows[0][1] == "3"


def test_faculty_is_a_department_of_its_institution(seed_query):
    rows = seed_query("""SELECT ?dept ?inst WHERE {
        ?d a pkg:Department ; skos:altLabel "Faculté d'Ingénierie, Université de Waterloo"@fr ;  # 002 writes names in French
           skos:prefLabel ?dept ; org:unitOf/skos:prefLabel ?inst }""")
    assert rows == [["Faculté d'Ingénierie", "University of Waterloo"]]


def test_normalised_values(seed_query):
    places = seed_query("""SELECT ?min ?max WHERE { <https://w3id.org/partnerkg/id/agreement/000_f072853316d7ee52/L52>
        pkg:placesMin ?min ; pkg:placesMax ?max }""")
    assert places == [["6", "8"]]  # Dumlupınar University, "6/8"
    korea = seed_query("""SELECT DISTINCT ?code WHERE { GRAPH <https://w3id.org/partnerkg/id/graph/001_d0bbbd03eef5ae86>
        { ?a pkg:country ?c . ?a prov:wasDerivedFrom/pkg:verbatim ?t FILTER(STRSTARTS(?t, "Corée, Rép.")) }
        ?c skos:notation ?code }""")
    assert korea == [["KR"]]
    iran_zone = seed_query("SELECT ?z WHERE { <https://w3id.org/partnerkg/id/country/IR> pkg:zone ?z }")
    assert iran_zone == [["https://w3id.org/partnerkg/id/zone/moyen-et-proche-orient"]]  # as 002 states
    waiver = seed_query("""SELECT (COUNT(?a) AS ?n) WHERE { GRAPH <https://w3id.org/partnerkg/id/graph/002_8e5df970f06e8e2b>
        { ?a pkg:feeWaiver true } }""")
    assert int(waiver[0][0]) > 100


def test_verbatim_names_are_alt_labels(seed_build):
    dataset = Dataset()
    dataset.parse(seed_build.output / "partnerkg.nq", format="nquads")
    labels = {str(o) for _, _, o, _ in dataset.quads((None, SKOS.altLabel, None, None))}
    # line breaks folded, OCR marks stripped
    assert "Collège Impérial de Londres" in labels
    assert "Université de Technologie de Darmstadt" in labels
    assert "École d'Économie et de Science Politique de Londres, Université de Londres" in labels
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert {f"https://w3id.org/partnerkg/id/graph/{s}" for s in SOURCES.values()} <= graphs
    assert URIRef("https://w3id.org/partnerkg/id/graph/reference") in {g.identifier for g in dataset.graphs()}


def test_seed_graph_conforms_to_the_shapes(seed_build):
    assert seed_build.validation.violations == []


def test_the_seed_build_is_the_committed_golden_build(seed_build):
    """The golden build was made by another process, with another hash seed (set and dict orders
    change): same inputs, same bytes. After a change meant to alter the graph, regenerate it with
    `python -m tests.golden_cases` and read the diff (`zcat tests/golden/seed-build/*.gz`)."""
    for name in SEED_DUMPS:
        golden = gzip.decompress((SEED_BUILD / f"{name}.gz").read_bytes()).decode("utf-8").splitlines()
        built = (seed_build.output / name).read_text(encoding="utf-8").splitlines()
        assert built == golden, f"{name}: {len(set(built) - set(golden))} quads more, " \
            f"{len(set(golden) - set(built))} fewer than the golden build"
    assert seed_sums(seed_build.output) == (SEED_BUILD / "SHA256SUMS").read_text(encoding="utf-8")


def test_analyses_and_report_page_are_the_same_bytes_in_another_process(seed_build, tmp_path):
    """Made again from the same build by another process with another hash seed: the analyses,
    the networks (GraphML, GEXF) and the report page are byte-identical."""
    again = tmp_path / "again"
    shutil.copytree(seed_build.output, again, ignore=shutil.ignore_patterns("analysis", "report.html"))
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    for command in ("analyze", "report"):
        run = subprocess.run([sys.executable, "-m", "partnerkg", command, "--output", str(again)],
                             capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr
    files = sorted(p.relative_to(seed_build.output) for p in (seed_build.output / "analysis").iterdir())
    assert {"analysis/home-projection.gexf", "analysis/centrality.csv"} <= {str(f) for f in files}
    for name in [*files, Path("report.html")]:
        assert (seed_build.output / name).read_bytes() == (again / name).read_bytes(), name


def test_the_committed_lock_file_already_holds_every_id(seed_build):
    """Building the seeds mints no new id (the bundled lock file is up to date)."""
    root = Path(__file__).resolve().parents[1]
    assert seed_build.manifest.lock.read_text(encoding="utf-8") == \
        (root / "sources" / "partnerkg.lock.json").read_text(encoding="utf-8")
