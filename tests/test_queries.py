"""Every query of the catalogue, on the seeds, against facts read off the documents."""

from __future__ import annotations

from partnerkg.paths import QUERIES
from partnerkg.query import query, query_file


def run(seed_build, name):
    return query(query_file(name), seed_build.output / "store")


def test_every_query_has_a_header_and_a_test():
    names = sorted(p.stem for p in QUERIES.glob("*.rq"))
    tested = {name.replace("test_", "").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(names) <= tested
    for path in QUERIES.glob("*.rq"):
        header = path.read_text(encoding="utf-8").split("\n")[:3]
        assert [line.split(":")[0] for line in header] == ["# title", "# answers", "# parameters"]


def test_agreements_per_source(seed_build):
    assert [r[2] for r in run(seed_build, "agreements-per-source").rows] == ["45", "380", "415"]


def test_partners_in_several_sources(seed_build):
    rows = {r[1]: r for r in run(seed_build, "partners-in-several-sources").rows}
    # 000 and 001 both list "Technische Universität Dresden" (001 twice)
    assert rows["Technische Universität Dresden"][2:] == ["2", "3"]


def test_partners_with_several_agreements(seed_build):
    rows = {(r[0], r[2]): r for r in run(seed_build, "partners-with-several-agreements").rows}
    kth = rows[("Grenoble INP", "Kungliga Tekniska Högskolan (KTH)")]
    assert kth[3] == "3"


def test_agreements_by_zone(seed_build):
    rows = {(r[0], r[1]): int(r[2]) for r in run(seed_build, "agreements-by-zone").rows}
    # 002: Université Mohammed V (Maroc, part 1) and Université d'Assiut (Égypte, zone "Afrique")
    assert rows[("Tohoku University", "Africa")] == 2
    assert sum(v for (home, _), v in rows.items() if home == "Grenoble INP") == 380


def test_agreements_by_kind(seed_build):
    rows = {(r[0], r[1]): int(r[2]) for r in run(seed_build, "agreements-by-kind").rows}
    assert rows[("Tohoku University", "Inter-university convention")] == 127
    # 001: 129 "LLP-Erasmus Bilateral Agreement" + 47 "accord interinstitutionnel Erasmus +"
    assert rows[("Grenoble INP", "Erasmus+ inter-institutional agreement")] == 176


def test_unit_counts(seed_build):
    rows = {r[0]: (r[1], r[2]) for r in run(seed_build, "unit-counts").rows}
    assert rows["Centre de Cyclotron et de Radioisotope"] == ("1", "1")
    assert len(rows) == 23


def test_fee_waiver_partners(seed_build):
    rows = run(seed_build, "fee-waiver-partners").rows
    names = {r[1] for r in rows}
    assert "Collège Impérial de Londres" in names  # "ICollège": the star read as an I
    assert "Université de Rome \"La Sapienza\"" not in names  # no star in 002
    assert {r[0] for r in rows} == {"Tohoku University"}
