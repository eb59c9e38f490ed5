"""Every query of the catalogue, on the seeds, against facts read off the documents."""

from __future__ import annotations

import json

from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.paths import QUERIES
from partnerkg.use.catalogue import catalogue, find_query
from partnerkg.use.query import query


def run(seed_build, name, **params):
    return query(find_query(name).sparql(params), seed_build.output / "store")


def test_every_query_has_a_header_and_a_test():
    names = sorted(p.stem for p in QUERIES.glob("*.rq"))
    tested = {name[len("test_"):].replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(names) <= tested
    assert [q.name for q in catalogue()] == names  # every file parses, with its header


def test_queries_command_lists_the_catalogue():
    result = CliRunner().invoke(cli, ["queries"])
    assert result.exit_code == 0, result.output
    for item in catalogue():
        assert item.name in result.output


def test_agreements_per_source(seed_build):
    assert [r[2] for r in run(seed_build, "agreements-per-source").rows] == ["45", "380", "410"]


def test_partners_in_several_sources(seed_build):
    rows = {r[1]: r for r in run(seed_build, "partners-in-several-sources").rows}
    # 000 and 001 list "Technische Universität Dresden" (001 twice), 002 "Université de Technologie de Dresde"
    assert rows["Technische Universität Dresden"][2:] == ["3", "4"]
    # 000 and 001 "Chalmers University of Technology", 002 "Université de Technologie de Chalmers" (twice)
    assert rows["Chalmers University of Technology"][2] == "3"


def test_reciprocal_pairs(seed_build):
    # 001 (Grenoble INP) lists "Tohoku University"; 002 (Tohoku) lists "Institut National Polytechnique de Grenoble"
    rows = run(seed_build, "reciprocal-pairs").rows
    assert [(r[1], r[3]) for r in rows] == [("Institut polytechnique de Grenoble", "Tohoku University")]


def test_partners_with_several_agreements(seed_build):
    rows = {(r[0], r[2]): r for r in run(seed_build, "partners-with-several-agreements").rows}
    kth = rows[("Institut polytechnique de Grenoble", "KTH Royal Institute of Technology")]
    assert kth[3] == "3"


def test_agreements_by_zone(seed_build):
    rows = {(r[0], r[1]): int(r[2]) for r in run(seed_build, "agreements-by-zone").rows}
    # 002: Université Mohammed V (Maroc, part 1) and Université d'Assiut (Égypte, zone "Afrique")
    assert rows[("Tohoku University", "Africa")] == 2
    assert sum(v for (home, _), v in rows.items() if home == "Institut polytechnique de Grenoble") == 380


def test_agreements_by_kind(seed_build):
    rows = {(r[0], r[1]): int(r[2]) for r in run(seed_build, "agreements-by-kind").rows}
    assert rows[("Tohoku University", "Inter-university convention")] == 127
    # 001: 129 "LLP-Erasmus Bilateral Agreement" + 47 "accord interinstitutionnel Erasmus +"
    assert rows[("Institut polytechnique de Grenoble", "Erasmus+ inter-institutional agreement")] == 176


def test_unit_counts(seed_build):
    rows = {r[0]: (r[1], r[2]) for r in run(seed_build, "unit-counts").rows}
    assert rows["Centre de Cyclotron et de Radioisotope"] == ("1", "1")
    assert len(rows) == 23


def test_fee_waiver_partners(seed_build):
    rows = run(seed_build, "fee-waiver-partners").rows
    names = {r[1] for r in rows}
    assert "Imperial College London" in names  # 002's "ICollège Impérial de Londres": the star read as an I
    rome = query("""SELECT ?waiver WHERE { BIND(<https://w3id.org/partnerkg/id/agreement/002_8e5df970f06e8e2b/L42> AS ?a)
                    ?a pkg:partner ?p . OPTIONAL { ?a pkg:feeWaiver ?waiver } }""",
                 seed_build.output / "store").rows
    assert rome and all(row == [""] for row in rome)  # 002 line 42, "Université de Rome "La Sapienza"": no star
    assert {r[0] for r in rows} == {"Tohoku University"}


def test_partners_of_several_homes(seed_build):
    rows = {r[1]: r for r in run(seed_build, "partners-of-several-homes").rows}
    assert rows["Technische Universität Dresden"][2] == "3"  # 000's home, Grenoble INP (001), Tohoku (002)


def test_agreements_by_country(seed_build):
    rows = {(r[0], r[1]): int(r[3]) for r in run(seed_build, "agreements-by-country", home="grenoble").rows}
    assert rows[("Institut polytechnique de Grenoble", "DE")] == 27  # 001 rows whose country is "Allemagne"
    assert {home for home, _ in rows} == {"Institut polytechnique de Grenoble"}


def test_double_degree_partners(seed_build):
    rows = {(r[0], r[1]) for r in run(seed_build, "double-degree-partners").rows}
    # 001: "Technische Universität Darmstadt ... Double Diplôme"
    assert ("Institut polytechnique de Grenoble", "Technische Universität Darmstadt") in rows


def test_home_departments_by_zone(seed_build):
    rows = run(seed_build, "home-departments-by-zone", home="Tohoku").rows
    cyclotron = [r for r in rows if r[1] == "Centre de Cyclotron et de Radioisotope"]
    # 002 line 495: "Centre de Cyclotron et de Radioisotope (1)  Amérique Centrale et du Sud  Cuba  Institut Finlay"
    assert cyclotron == [["Tohoku University", "Centre de Cyclotron et de Radioisotope", "Central and South America",
                          "1", "Institut Finlay"]]
    assert run(seed_build, "home-departments-by-zone", home="Grenoble").rows == []  # 001 names no units


def test_partners_shared_by_every_source(seed_build):
    names = {r[1] for r in run(seed_build, "partners-shared-by-every-source").rows}
    assert {"Technische Universität Dresden", "Chalmers University of Technology"} <= names


def test_reciprocal_pairs_are_found_both_ways_once(seed_build):
    assert len(run(seed_build, "reciprocal-pairs").rows) == 1


def test_country_disagreements(seed_build):
    rows = {(r[1], r[2], r[3]) for r in run(seed_build, "country-disagreements").rows}
    # "Université de Colombie" (Columbia, in New York) names Colombia: worth a look
    assert ("Université de Colombie", "US", "CO") in rows
    # 002 line 494 put "... Branche Sibérienne de l'Académie des Sciences de Russie" under Cuba, a label that
    # slid; the build put it back in Russia, so it is no disagreement any more
    assert not any(name.startswith("Branche Sibérienne") for name, _, _ in rows)


def test_parameters_on_the_command_line(seed_build):
    out = str(seed_build.output)
    result = CliRunner().invoke(cli, ["query", "agreements-by-zone", "-p", "home=Tohoku", "--format", "csv", "-o", out])
    assert result.exit_code == 0, result.output
    assert {line.split(",")[0] for line in result.output.strip().split("\n")[1:]} == {"Tohoku University"}
    bad = CliRunner().invoke(cli, ["query", "agreements-by-zone", "-p", "campus=x", "-o", out])
    assert bad.exit_code == 1 and "unknown parameter(s) ['campus']; allowed: home" in bad.output


def test_parameters_are_read_from_the_header_with_their_notes():
    by_name = {q.name: q for q in catalogue()}
    assert by_name["agreements-by-zone"].parameters == {"home": "part of a home institution's name; optional"}
    assert by_name["agreements-per-source"].parameters == {}
    result = CliRunner().invoke(cli, ["query", "agreements-by-zone", "--param", "optional=x"])
    assert result.exit_code == 1 and "unknown parameter(s) ['optional']; allowed: home" in result.output


def test_json_results_are_typed(seed_build):
    result = CliRunner().invoke(cli, ["query", "agreements-per-source", "--format", "json",
                                      "--output", str(seed_build.output)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["source"], r["agreements"]) for r in rows][1] == ("001_d0bbbd03eef5ae86", 380)
    assert all(isinstance(r["agreements"], int) for r in rows)


def test_a_parameter_matching_nothing_gives_a_hint(seed_build):
    result = CliRunner().invoke(cli, ["query", "agreements-by-zone", "--param", "home=Sorbonne", "--format", "csv",
                                      "--output", str(seed_build.output)])
    assert result.exit_code == 0
    assert result.stdout == "home,zone,agreements\n"
    assert "home='Sorbonne' matches nothing; it may be part of any of:" in result.stderr
    assert "Tohoku University" in result.stderr
    matched = CliRunner().invoke(cli, ["query", "agreements-by-zone", "--param", "home=tohoku", "--format", "csv",
                                       "--output", str(seed_build.output)])
    assert "Tohoku University,Asia," in matched.stdout and "hint" not in matched.stderr
