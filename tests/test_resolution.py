"""Entity resolution across documents and languages: measured, explained, correctable, stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.pipeline import build
from partnerkg.resolve.match import compare
from partnerkg.resolve.signature import signature
from partnerkg.use.explain import eval_resolution
from partnerkg.use.query import query

from .conftest import write_manifest

LABELS = Path(__file__).parent / "data" / "er_dev.json"


def test_eval_resolution_passes_fully_on_the_labelled_sample(seed_build):
    result = CliRunner().invoke(cli, ["eval-resolution", str(LABELS), "-o", str(seed_build.output)])
    assert result.exit_code == 0, result.output
    evaluation = eval_resolution(LABELS, seed_build.output)
    assert (evaluation.groups_merged, evaluation.groups) == (10, 10)
    assert (evaluation.pairs_apart, evaluation.pairs) == (3, 3)


@pytest.mark.parametrize("a,b,country", [
    ("Wuhan University", "Université de Technologie de Wuhan", "CN"),
    ("University of Helsinki", "Université de Technologie d'Helsinki", "FI"),
    ("Wuhan University of Technology", "Wuhan Institute of Technology", "CN"),  # kind of body
    ("Université Rennes 1", "Université Rennes 2", "FR"),  # number
    ("Université de Technologie de Dresde", "Technische Universität Darmstadt", "DE"),  # place
    ("Université Médicale de Chine", "Université Médicale de Harbin", "CN"),  # country vs city
    ("Université de Technologie", "University of Technology", "FR"),  # nothing identifying
    ("Université de Karlsruhe", "Hochschule Karlsruhe", "DE"),  # a Hochschule is not a Universität
    ("Pontifícia Universidade Católica de Minas Gerais (PUC Minas)",
     "Pontifícia Universidade Católica do Rio de Janeiro (PUC-Rio)", "BR"),  # one acronym, two names
    ("Université Nationale de Taipei", "National Taiwan University", "TW"),  # a city is not the country
    ("Université de Pennsylvanie", "West Chester University of Pennsylvania", "US"),  # a place more
    ("VU University Amsterdam", "Universiteit van Amsterdam", "NL"),  # a city alone, an acronym in one
    ("RMIT University Melbourne", "University of Melbourne", "AU"),
    ("INSA de Lyon", "INSA Centre Val de Loire", "FR"),  # a shared acronym, not spelled out by the rest
    ("Institut de Technologie du Vide, Varsovie", "Politechnika Warszawska", "PL"),  # an institute, a university
    ("INSTITUT NATIONAL DES SCIENCES APPLIQUEES DE RENNES", "INSTITUT NATIONAL DES TELECOMMUNICATIONS", "FR"),
    ("University of Pennsylvania", "Pennsylvania State University", "US"),  # the state's university
    ("Universidad de Navarra", "Universidad Pública de Navarra", "ES"),
])
def test_look_alikes_stay_apart(a, b, country):
    assert not compare(signature(a, country), signature(b, country)).same


@pytest.mark.parametrize("a,b,country", [
    ("Technische Universität Dresden", "Université de Technologie de Dresde", "DE"),  # exonym
    ("Rheinisch-Westfälische Technische Hochschule Aachen", "RWTH", "DE"),  # acronym = initials
    ("Grenoble INP", "Institut National Polytechnique de Grenoble", "FR"),
    ("Imperial College London", "Collège Impérial de Londres", "GB"),
    ("National University of Singapore", "Université Nationale de Singapour", "SG"),
    ("Universitatea Politehnica din Bucuresti", "Université Polytechnique de Bucarest", "RO"),
    ("Instituto Superior Technico", "Instituto Superior Técnico", "PT"),  # a typo in a generic word
    ("Dumlupınar University", "Dumlupinar Üniversitesi", "TR"),  # a dotless i
    ("Université de Ljubljana", "Univerza v Ljubljani", "SI"),  # a city in the locative
    ("Université de Varsovie", "Uniwersytet Warszawski", "PL"),  # a city as an adjective
    ("Université Mc Gill", "McGill University", "CA"),  # one word written in two
    ("Korea University", "Université de Corée", "KR"),  # a country's name in French
    ("Institut Supérieur des Sciences et Technologies de Corée (KAIST)",
     "Korea Advanced Institute of Science and Technology", "KR"),  # a declared acronym spells the other
    ("UNIVERSITAT POLIT?CNICA DE VALENCIA", "Universitat Politècnica de València", "ES"),  # a lost character
    ("Tehnicheski Universitet Sofia", "Technical University of Sofia", "BG"),  # transliterated
    ("Université de Pennsylvanie", "University of Pennsylvania", "US"),  # a region's exonym (ISO 3166-2)
    ("Université Masaryk", "Masarykova Univerzita", "CZ"),  # a possessive form
    ("Université de Nouvelle-Galles du Sud", "University of New South Wales", "AU"),
])
def test_same_meaning_across_languages(a, b, country):
    assert compare(signature(a, country), signature(b, country)).same


def test_links_to_ror_and_home_institutions(seed_query):
    rows = seed_query("""SELECT ?ror WHERE { ?i skos:altLabel "Université de Technologie de Dresde"@fr ;
                         skos:exactMatch ?ror }""")
    assert rows == [["https://ror.org/042aqky30"]]
    # Tohoku, home of 002, is the "Tohoku University" that 001 lists as a partner
    rows = seed_query("""SELECT DISTINCT ?home WHERE {
        GRAPH <https://w3id.org/partnerkg/id/graph/001_d0bbbd03eef5ae86> { ?a pkg:partner ?home }
        GRAPH <https://w3id.org/partnerkg/id/graph/002_8e5df970f06e8e2b> { ?b pkg:homeInstitution ?home } }""")
    assert rows == [["https://w3id.org/partnerkg/id/institution/tohoku-university-jp"]]


def test_explain_shows_names_evidence_and_near_misses(seed_build):
    result = CliRunner().invoke(cli, ["explain", "Institut royal de Technologie de Suède", "-o", str(seed_build.output)])
    assert result.exit_code == 0, result.output
    assert "-> institution/kth-royal-institute-of-technology-se" in result.output
    assert "Kungliga Tekniska Högskolan (KTH)" in result.output
    assert "same ROR record https://ror.org/026vcq606" in result.output
    assert "closest rejected candidates:" in result.output
    missing = CliRunner().invoke(cli, ["explain", "Université d'Atlantis", "-o", str(seed_build.output)])
    assert missing.exit_code == 1 and "no such name" in missing.output


def test_review_report_lists_near_misses(seed_build):
    review = (seed_build.output / "report" / "review.csv").read_text(encoding="utf-8")
    assert review.startswith("country,name,candidate,score,evidence\n")
    assert "Université de Technologie de Wuhan" in review and "Wuhan University" in review


DOC = "| Pays | Institution |\n|---|---|\n| Allemagne | {a} |\n| Allemagne | {b} |\n"
MANIFEST = """
[project]
lock = "lock.json"
overrides = "overrides.toml"

[[source]]
path = "doc.md"
language = "fr"
home = {{ name = "Home University", country = "FR" }}
form = "markdown-table"
[source.columns]
country = "Pays"
partner = "Institution"
"""


def build_case(folder: Path, a: str, b: str, overrides: str = "") -> dict[str, str]:
    """Build a two-row document; return each name's institution IRI."""
    folder.mkdir(exist_ok=True)
    (folder / "doc.md").write_text(DOC.format(a=a, b=b), encoding="utf-8")
    (folder / "overrides.toml").write_text(overrides, encoding="utf-8")
    manifest = write_manifest(folder, MANIFEST.format())
    result = CliRunner().invoke(cli, ["build", "-m", str(manifest), "-o", str(folder / "out")])
    assert result.exit_code == 0, result.output
    rows = query("SELECT ?l ?i WHERE { ?i a pkg:Institution ; skos:altLabel ?l }", folder / "out" / "store").rows
    return dict(rows)


def test_overrides_force_and_forbid_merges(tmp_path):
    a, b = "Technische Universität Dresden", "Université de Technologie de Dresde"
    assert len(set(build_case(tmp_path / "plain", a, b).values())) == 1
    forbid = '[[different]]\nnames = ["Technische Universität Dresden", "Université de Technologie de Dresde"]\n'
    assert len(set(build_case(tmp_path / "forbid", a, b, forbid).values())) == 2
    c, d = "Universität Leipzig", "Hochschule Mittweida"
    force = '[[same]]\nnames = ["Universität Leipzig", "Hochschule Mittweida"]\n'
    assert len(set(build_case(tmp_path / "force", c, d, force).values())) == 1


def test_merging_existing_entities_keeps_old_iris_resolvable(tmp_path):
    c, d = "Universität Leipzig", "Hochschule Mittweida"
    before = build_case(tmp_path, c, d)
    assert len(set(before.values())) == 2
    after = build_case(tmp_path, c, d, '[[same]]\nnames = ["Universität Leipzig", "Hochschule Mittweida"]\n')
    survivor = after[c]
    assert after[d] == survivor and survivor in before.values()
    retired = (set(before.values()) - {survivor}).pop()
    same = query(f"SELECT ?s WHERE {{ <{retired}> owl:sameAs ?s }}", tmp_path / "out" / "store").rows
    assert same == [[survivor]]


def test_iris_stay_when_another_name_is_added(tmp_path):
    first = build_case(tmp_path, "Technische Universität Dresden", "Universität Leipzig")
    second = build_case(tmp_path, "Université de Technologie de Dresde", "Technische Universität Dresden")
    assert second["Université de Technologie de Dresde"] == first["Technische Universität Dresden"]
    assert second["Technische Universität Dresden"] == first["Technische Universität Dresden"]


def test_historical_institution_is_linked_to_its_successor_not_merged(seed_query):
    # 002 lists "Université Joseph Fourier", merged since into Université Grenoble Alpes (ROR)
    rows = seed_query("""SELECT ?i ?next WHERE { ?i skos:altLabel "Université Joseph Fourier"@fr ;
                         skos:exactMatch <https://ror.org/02aj0kh94> ; dcterms:isReplacedBy ?next }""")
    assert [r[1] for r in rows] == ["https://ror.org/02rx3b187"]
    assert "grenoble-alpes" not in rows[0][0]


@pytest.mark.parametrize("a,b", [
    ("Université Sun Kyun Kwan", "Université Sung Kyun Kwan"),  # one romanisation, two spellings
    ("Juristischen Fakultät der Georg-August Universität Göttingen", "Université de Göttingen"),  # genitive unit
    ("Université Nationale de la Pêche de Pusan (Université Nationale de Pukyong)",
     "Université Nationale de Pukyong"),  # another name in brackets
    ("Université de Rennes 1", "Université Rennes 1"),  # a successor keeps the old name as a ROR alias
])
def test_names_of_one_institution_in_the_seeds_resolve_together(seed_build, a, b):
    from partnerkg.use.explain import load_resolution, locate

    resolution = load_resolution(seed_build.output)
    assert locate(a, resolution) == locate(b, resolution) != set()


def test_registry_guesses_are_reviewed_not_linked(seed_build):
    from partnerkg.use.explain import load_resolution, locate

    resolution = load_resolution(seed_build.output)
    (fh_koln,) = locate("Fachhochschule Köln", resolution)  # ROR has "Rheinische Hochschule Köln" only
    assert resolution["entities"][fh_koln]["ror"] is None
    (bauman,) = locate("Bauman Moscow State Technical University", resolution)
    assert resolution["entities"][bauman]["ror"] is None  # not "Moscow State Technological University"


def _ror_record(ror_id, status, names, successor=None):
    return {"id": ror_id, "status": status, "names": [{"value": v, "types": t, "lang": None} for v, t in names],
            "locations": [{"geonames_details": {"country_code": "ES", "name": "Madrid"}}],
            "relationships": [{"type": "successor", "id": successor, "label": ""}] if successor else []}


def test_ror_choice_prefers_the_active_record_then_the_exact_label(tmp_path):
    records = [
        _ror_record("https://ror.org/0active01", "active", [("Universidad Complutense de Madrid", ["ror_display", "label"])]),
        _ror_record("https://ror.org/0withdrn1", "withdrawn", [("Universidad Complutense de Madrid", ["ror_display"])]),
        _ror_record("https://ror.org/0old00001", "inactive", [("Universidad Politécnica de Madrid", ["ror_display"])],
                    successor="https://ror.org/0new00001"),
        _ror_record("https://ror.org/0new00001", "active", [("Universidad Politécnica de Madrid", ["ror_display", "label"])]),
    ]
    (tmp_path / "ror.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "doc.md").write_text("| Pays | Institution |\n|---|---|\n| Espagne | Universidad Complutense de Madrid |\n"
                                     "| Espagne | Universidad Politécnica de Madrid |\n", encoding="utf-8")
    manifest = write_manifest(tmp_path, """
[project]
ror = "ror.json"
[[source]]
path = "doc.md"
home = { name = "Home University", country = "FR" }
form = "markdown-table"
columns = { country = "Pays", partner = "Institution" }
""")
    build(manifest, tmp_path / "out", report=False)
    links = dict(query("SELECT ?l ?r WHERE { ?i skos:exactMatch ?r ; skos:altLabel ?l }", tmp_path / "out" / "store").rows)
    # the active record over a withdrawn one of the same name; today's institution over its predecessor
    # when the name is the successor's own label
    assert links == {"Universidad Complutense de Madrid": "https://ror.org/0active01",
                     "Universidad Politécnica de Madrid": "https://ror.org/0new00001"}
