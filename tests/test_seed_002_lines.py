"""Seed 002 checked line by line against the document: page footers, cells running two
establishments together, country labels that slid in the PDF extraction, and the unit counts."""

from __future__ import annotations

import gzip
import json
import shutil

from partnerkg.pipeline import build
from partnerkg.use.query import query

from .conftest import ROOT

SOURCE = "002_8e5df970f06e8e2b"


def country_of(seed_query, key: str) -> str:
    rows = seed_query(f"""SELECT ?code WHERE {{ <https://w3id.org/partnerkg/id/agreement/{SOURCE}/{key}>
        pkg:country/skos:notation ?code }}""")
    return rows[0][0] if rows else ""


def agreements_on_line(seed_query, line: int) -> list[str]:
    rows = seed_query(f"""SELECT ?a WHERE {{ GRAPH <https://w3id.org/partnerkg/id/graph/{SOURCE}> {{
        ?a a pkg:Agreement ; prov:wasDerivedFrom/pkg:lineNumber {line} }} }} ORDER BY ?a""")
    return [r[0] for r in rows]


def test_page_footers_are_skipped_not_agreements(seed_build, seed_query):
    skipped = {s.line: s.reason for s in seed_build.skipped if s.source == SOURCE}
    assert "skip pattern" in skipped[272] and "skip pattern" in skipped[427]  # "(Juin 2008)", "(Juin 2007)"
    assert agreements_on_line(seed_query, 272) == [] and agreements_on_line(seed_query, 427) == []


def test_a_cell_running_two_establishments_together_is_two_agreements(seed_query):
    # "... Université de Jinan Collège d'Océanographie ..., Université de Xiamen ...": seven in all
    assert len(agreements_on_line(seed_query, 241)) == 7
    # "Collège de Pharmacie, Université Nationale de Chungbuk Collège de Pharmacie, Université Sung Kyun Kwan"
    assert len(agreements_on_line(seed_query, 269)) == 2
    labels = {r[0] for r in seed_query(f"""SELECT ?l WHERE {{ GRAPH <https://w3id.org/partnerkg/id/graph/{SOURCE}>
        {{ ?e skos:altLabel ?l }} }}""")}
    assert "Collège d'Océanographie et de Science de l'Environnement, Université de Xiamen" in labels
    assert "Collège de Pharmacie, Université Sung Kyun Kwan" in labels


def test_slid_country_labels_are_put_back_with_a_warning_naming_the_line(seed_build, seed_query):
    expected = {
        "L455": "PL", "L456": "RU",  # the names name Poland and Russia, the labels above
        "L457": "GB", "L458": "GB",  # Queen Mary and Westfield, University of London: as in other rows
        "L459": "US",  # Université de Chicago: the ROR record "University of Chicago"
        "L488": "KR",  # Université de Corée, as on the row above
        "L492": "RU", "L493": "RU", "L494": "RU",  # a Cuba label slid over three Russian institutions
    }
    assert {key: country_of(seed_query, key) for key in expected} == expected
    slid = {w.line for w in seed_build.warnings if w.source == SOURCE and "slid" in w.reason}
    assert {455, 456, 457, 458, 459, 488, 492, 493, 494} <= slid
    message = next(w.reason for w in seed_build.warnings if w.source == SOURCE and w.line == 459 and "slid" in w.reason)
    assert "line 459" in message and "University of Chicago" in message


def test_labels_that_did_not_slide_stay(seed_query):
    # Soochow University (Taipei) under Taiwan, King's College under the United Kingdom
    assert country_of(seed_query, "L236") == "TW"
    assert country_of(seed_query, "L266") == "GB"


def test_a_zone_that_slid_with_its_label_does_not_move_a_country(seed_query):
    # line 488 wrote "Europe  Mongolie" beside a Korean university: Mongolia stays in Asia
    zone = seed_query("SELECT ?z WHERE { <https://w3id.org/partnerkg/id/country/MN> pkg:zone ?z }")
    assert zone == [["https://w3id.org/partnerkg/id/zone/asie"]]


def test_each_differing_unit_count_says_whose_count_is_at_fault(seed_build):
    differing = [c for c in seed_build.unit_checks if c.differs]
    assert differing
    for check in differing:
        assert check.fault.startswith(("the build, maybe:", "the document:")), check
    science = next(c for c in differing if c.unit == "École doctorale de Science / Faculté de Science")
    assert (science.stated, science.found) == (28, 24)
    assert science.fault.startswith("the document: its rows name 24 establishment(s)")


KOOKMIN = {  # ROR's record of Kookmin University (Seoul), in the v2 shape: the bundled extract lacks it
    "id": "https://ror.org/0049erg63", "status": "active", "types": ["education"],
    "names": [{"value": "Kookmin University", "types": ["ror_display", "label"], "lang": "en"},
              {"value": "국민대학교", "types": ["label"], "lang": "ko"}],
    "locations": [{"geonames_id": 1835848, "geonames_details": {"country_code": "KR", "name": "Seoul"}}],
    "relationships": [], "domains": ["kookmin.ac.kr"], "external_ids": [],
}


def _seeds_with_ror(folder, extra: list[dict]):
    """The bundled sources, with the bundled ROR extract and ``extra`` records as their ROR dump."""
    shutil.copytree(ROOT / "sources", folder / "sources")
    bundled = folder / "sources" / "ror" / "ror-v2-education.json.gz"
    records = json.loads(gzip.decompress(bundled.read_bytes()))
    (folder / "sources" / "ror" / "with-extra.json").write_text(json.dumps(records + extra), encoding="utf-8")
    manifest = folder / "sources" / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    assert 'ror = "ror/ror-v2-education.json.gz"' in text
    manifest.write_text(text.replace('ror = "ror/ror-v2-education.json.gz"', 'ror = "ror/with-extra.json"'),
                        encoding="utf-8")
    return manifest


def _countries(store) -> dict[str, str]:
    rows = query(f"""SELECT ?a ?code WHERE {{ GRAPH <https://w3id.org/partnerkg/id/graph/{SOURCE}> {{
        ?a a pkg:Agreement ; pkg:country ?c }} ?c skos:notation ?code }}""", store).rows
    return {a.rsplit("/", 1)[1]: code for a, code in rows}


def test_a_lost_label_is_put_back_from_the_ror_record_the_name_means_abroad(tmp_path, seed_build):
    # line 230 writes "Chine" beside two establishments; the second names China, the first is Kookmin
    # University (Seoul), whose label the PDF lost. With ROR's record of it, the row goes to Korea
    # with a warning naming the line, and no other agreement of 002 changes country.
    before = _countries(seed_build.output / "store")
    assert (before["L230"], before["L230-1"]) == ("CN", "CN")  # the bundled extract has no Kookmin record
    result = build(_seeds_with_ror(tmp_path, [KOOKMIN]), tmp_path / "output", report=False)
    after = _countries(result.output / "store")
    assert {key for key in before if before[key] != after[key]} == {"L230"}
    assert after["L230"] == "KR"
    message = next(w.reason for w in result.warnings if w.source == SOURCE and w.line == 230)
    assert "line 230" in message and "Kookmin University" in message and "'kookmin'" in message


def test_a_name_whose_own_words_recur_in_two_countries_is_not_moved_abroad(tmp_path):
    # a Kookmin record in Korea and another in Japan: "kookmin" no longer tells where the partner is
    namesake = {**KOOKMIN, "id": "https://ror.org/00test000",
                "locations": [{"geonames_details": {"country_code": "JP", "name": "Tokyo"}}]}
    result = build(_seeds_with_ror(tmp_path, [KOOKMIN, namesake]), tmp_path / "output", report=False)
    assert _countries(result.output / "store")["L230"] == "CN"
    assert not [w for w in result.warnings if w.source == SOURCE and w.line == 230]
