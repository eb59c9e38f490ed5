"""Forms, roles and manifest options on small documents written for the case, and end to end where
the whole build is the point (200 JSON records under a key, one failing source among good ones)."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from partnerkg.config import Part, load_manifest
from partnerkg.errors import ManifestError, SourceError
from partnerkg.pipeline import build
from partnerkg.read.base import Origin
from partnerkg.read.jsonrecords import parse_json, parse_yaml
from partnerkg.read.pdf import parse_pdf
from partnerkg.read.sectioned import parse_sectioned
from partnerkg.read.settings import Settings
from partnerkg.read.xlsx import parse_xlsx
from partnerkg.use.query import query

from .conftest import write_manifest
from .pdfdoc import table_page, write_pdf

ORIGIN = Origin(source="doc", file="doc.txt")


def count(store, sparql: str) -> int:
    return int(query(sparql, store).rows[0][0])


def test_two_hundred_json_records_under_a_key_are_two_hundred_agreements(tmp_path):
    records = [{"id": n, "institution": {"name": f"Universidad de Prueba {n}"}, "country": "ES"} for n in range(200)]
    (tmp_path / "api.json").write_text(json.dumps({"count": 200, "results": records}), encoding="utf-8")  # one line
    (tmp_path / "good.md").write_text("| Pays | Institution |\n|---|---|\n| Suède | KTH |\n", encoding="utf-8")
    manifest = write_manifest(tmp_path, """
[[source]]
id = "api"
path = "api.json"
home = { name = "Home University", country = "FR" }
form = "json"
settings = { records = "results" }
columns = { partner = "institution.name", country = "country" }

[[source]]
id = "good"
path = "good.md"
home = { name = "Home University", country = "FR" }
form = "markdown-table"
columns = { country = "Pays", partner = "Institution" }
""")
    result = build(manifest, tmp_path / "out", report=False)
    assert result.rejections == [] and not result.validation.violations
    store = tmp_path / "out" / "store"
    assert count(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH <https://w3id.org/partnerkg/id/graph/api>"
                        " { ?a a pkg:Agreement } }") == 200
    pointers = query("SELECT ?p WHERE { ?a a pkg:Agreement ; prov:wasDerivedFrom/pkg:jsonPointer ?p }", store).rows
    assert len({p[0] for p in pointers}) == 200 and ["/results/17"] in pointers
    assert count(store, "SELECT (COUNT(?a) AS ?n) WHERE { GRAPH <https://w3id.org/partnerkg/id/graph/good>"
                        " { ?a a pkg:Agreement } }") == 1


def test_a_source_that_fails_does_not_stop_the_others(tmp_path):
    (tmp_path / "good.md").write_text("| Pays | Institution |\n|---|---|\n| Suède | KTH |\n", encoding="utf-8")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook at all")
    manifest = write_manifest(tmp_path, """
[[source]]
path = "good.md"
home = { name = "Home University", country = "FR" }
form = "markdown-table"
columns = { country = "Pays", partner = "Institution" }

[[source]]
path = "broken.xlsx"
home = { name = "Home University", country = "FR" }
form = "xlsx"
columns = { partner = 1 }
""")
    result = build(manifest, tmp_path / "out", report=False)
    assert [(r.file, "not an XLSX workbook" in r.reason) for r in result.rejections] == [("broken.xlsx", True)]
    assert count(tmp_path / "out" / "store", "SELECT (COUNT(?a) AS ?n) WHERE { ?a a pkg:Agreement }") == 1


def test_json5_javascript_module_with_keys_of_the_enclosing_object():
    text = 'export default {\n  Asia: [ { name: "Kyoto University", "Country": "Japan", }, ],\n' \
           '  Europe: [ { name: "KTH", Country: "Sweden" }, ],\n};\n'
    part = Part("json", columns={"partner": "name", "country": "Country", "zone": "../@key"}, settings=Settings(records="*"))
    result = parse_json(text, part, ORIGIN)
    assert [(r.locator, r.line, r.fields["partner"], r.fields["zone"]) for r in result.records] == [
        ("/Asia/0", 2, "Kyoto University", "Asia"), ("/Europe/0", 3, "KTH", "Europe")]


def test_json_list_fields_are_listed_and_an_object_as_a_name_is_rejected():
    text = json.dumps([{"name": "KTH", "programmes": ["Bachelor", "Master"]}, {"name": {"en": "DTU"}}])
    part = Part("json", columns={"partner": "name", "programme": "programmes"})
    result = parse_json(text, part, ORIGIN)
    assert [r.fields["programme"] for r in result.records] == ["Bachelor; Master"]
    assert [(r.where, r.reason) for r in result.rejections] == [
        ("#/1", "field 'name' (partner) holds an object, expected text")]


def test_yaml_document_records_at_a_path():
    text = "partners:\n  - name: KTH\n    country: Sweden\n  - name: Aalto University\n    country: Finland\n"
    result = parse_yaml(text, Part("yaml", columns={"partner": "name", "country": "country"},
                                   settings=Settings(records="partners")), ORIGIN)
    assert [(r.locator, r.line, r.fields["partner"]) for r in result.records] == [
        ("/partners/0", 2, "KTH"), ("/partners/1", 4, "Aalto University")]


def test_pdf_text_laid_out_in_columns_with_a_wrapped_cell(tmp_path):
    rows = [["Country", "Partner", "Places"],
            ["Germany", "Technische Universität Dresden", "2"],
            ["", "(Faculty of Computer Science)", ""],
            ["Sweden", "KTH Royal Institute of Technology", "1"]]
    pdf = write_pdf(tmp_path / "list.pdf", [table_page(rows, [120, 260, 60], ruled=False)])
    part = Part("pdf", columns={"country": "Country", "partner": "Partner", "places": "Places"},
                settings=Settings(tables="text"))
    result = parse_pdf(pdf.read_bytes(), part, ORIGIN)
    assert [(r.locator, r.fields["country"], r.fields["partner"], r.fields["places"]) for r in result.records] == [
        ("page:1/2", "Germany", "Technische Universität Dresden (Faculty of Computer Science)", "2"),
        ("page:1/3", "Sweden", "KTH Royal Institute of Technology", "1")]


def test_xlsx_merged_cells_are_carried_down_and_a_missing_sheet_is_named():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Partners"
    for row in (["Partner list 2026"], ["Country", "University"], ["Germany", "TU Dresden"], [None, "TU München"],
                ["Sweden", "KTH"]):
        sheet.append(row)
    sheet.merge_cells("A3:A4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    part = Part("xlsx", columns={"country": "Country", "partner": "University"}, settings=Settings(sheet="Partners"))
    result = parse_xlsx(buffer.getvalue(), part, ORIGIN)
    assert [(r.locator, r.fields["country"], r.fields["partner"]) for r in result.records] == [
        ("sheet:Partners/3", "Germany", "TU Dresden"), ("sheet:Partners/4", "Germany", "TU München"),
        ("sheet:Partners/5", "Sweden", "KTH")]
    with pytest.raises(SourceError, match=r"setting 'sheet' = 'Hoja1' names no sheet; the workbook has 'Partners'"):
        parse_xlsx(buffer.getvalue(), Part("xlsx", columns={"partner": 2}, settings=Settings(sheet="Hoja1")), ORIGIN)


def test_web_page_text_kind_lines_and_faculty_rows():
    text = "Japan\n\nTohoku University \nHochschulvereinbarung\nFakultät\tPlätze\nInformatik\t2 Plätze / 5 Monate\n" \
           "Maschinenbau\tAuf Anfrage\nOsaka University \nChile / Chili\n\nUniversidad de Chile\nErasmus\n"
    part = Part("sectioned", columns={"home_unit": "Fakultät", "places": "Plätze"},
                kind_labels=(("hochschulvereinbarung", "bilateral"),))
    result = parse_sectioned(text, part, ORIGIN)
    assert [(r.line, r.fields["country"], r.fields["partner"], r.fields.get("kind", ""), r.fields.get("home_unit", ""),
             r.fields.get("places", "")) for r in result.records] == [
        (6, "Japan", "Tohoku University", "Hochschulvereinbarung", "Informatik", "2 Plätze / 5 Monate"),
        (7, "Japan", "Tohoku University", "Hochschulvereinbarung", "Maschinenbau", "Auf Anfrage"),
        (8, "Japan", "Osaka University", "", "", ""),
        (11, "Chile / Chili", "Universidad de Chile", "Erasmus", "", "")]


@pytest.mark.parametrize("body,message", [
    ("[[source]]\npath = 'a.csv'\nform = 'delimited'\nsettings = { seperator = ';' }\n",
     "(form 'delimited'): unknown setting(s) ['seperator']; allowed: header, quote, separator, skip"),
    ("[[source]]\npath = 'a.csv'\nform = 'delimited'\ncolumns = { partner = 0 }\n",
     "column 'partner' = 0: expected a header name, a position from 1, or a list of them"),
    ("[kinds]\nER = 'erasmus'\n[[source]]\npath = 'a.csv'\nform = 'delimited'\n",
     "[kinds] 'ER' = 'erasmus': not a concept of the scheme; allowed: amendment, bilateral"),
    ("[kinds]\nX = { label = 'X', broader = 'nothing' }\n[[source]]\npath = 'a.csv'\nform = 'delimited'\n",
     "broader = 'nothing' is not a concept"),
    ("[project]\npersonal_data = 'yes'\n[[source]]\npath = 'a.csv'\nform = 'delimited'\n",
     "key 'personal_data' must be true or false, got 'yes'"),
])
def test_manifest_errors_name_the_key_the_value_and_what_is_allowed(tmp_path, body, message):
    with pytest.raises(ManifestError) as error:
        load_manifest(write_manifest(tmp_path, body))
    assert message in str(error.value)


MANIFEST_WITH_PEOPLE = """
[project]
personal_data = {opt_in}

[kinds]
"SICUE" = {{ label = "SICUE (Spanish national exchange)", broader = "exchange" }}

[[source]]
id = "people"
path = "people.csv"
home = {{ name = "Home University", country = "FR" }}
form = "delimited"
columns = {{ partner = "University", country = "Country", kind = "Programme", referent = "Contact", email = "E-mail" }}
"""


@pytest.mark.parametrize("opt_in", [False, True])
def test_personal_data_is_published_only_when_the_manifest_opts_in(tmp_path, opt_in):
    (tmp_path / "people.csv").write_text("University,Country,Programme,Contact,E-mail\n"
                                         "Universidad de Alicante,España,SICUE,Ana Pérez,ana@example.org\n",
                                         encoding="utf-8")
    manifest = write_manifest(tmp_path, MANIFEST_WITH_PEOPLE.format(opt_in=str(opt_in).lower()))
    result = build(manifest, tmp_path / "out", report=False)
    assert result.warnings == []  # the manifest's own kind is known
    store = tmp_path / "out" / "store"
    people = query("SELECT ?v WHERE { ?a pkg:referent|schema:email ?v }", store).rows
    assert sorted(people) == ([["Ana Pérez"], ["ana@example.org"]] if opt_in else [])
    kind = query("SELECT ?l WHERE { ?a pkg:kind ?k . ?k skos:prefLabel ?l ; skos:broader ?b }", store).rows
    assert kind == [["SICUE (Spanish national exchange)"]]


def test_erasmus_codes_merge_names_and_keep_look_alikes_apart(tmp_path):
    (tmp_path / "a.csv").write_text(
        "Code;Country;University\n"
        "D  MUNCHEN02;Germany;Technische Universität München\n"
        "D_MUNCHEN02;Germany;TECHNISCHE UNIVERSTAT MUNCHEN\n"
        "F  LILLE01;France;Université de Lille\n"
        "F  LILLE103;France;University of Lille\n"
        "N  TRONDHE01;Norwagia;NTNU\n", encoding="utf-8")
    manifest = write_manifest(tmp_path, """
[[source]]
path = "a.csv"
home = { name = "Home University", country = "PL" }
form = "delimited"
columns = { erasmus_code = "Code", country = "Country", partner = "University" }
""")
    result = build(manifest, tmp_path / "out", report=False)
    store = tmp_path / "out" / "store"
    groups = query("""SELECT ?code (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i pkg:erasmusCode ?code } GROUP BY ?code
                      ORDER BY ?code""", store).rows
    assert groups == [["D  MUNCHEN02", "1"], ["F  LILLE01", "1"], ["F  LILLE103", "1"], ["N  TRONDHE01", "1"]]
    munich = query("SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?i pkg:erasmusCode 'D  MUNCHEN02' ; skos:altLabel ?l }",
                   store).rows
    assert munich == [["2"]]  # one institution, both spellings
    lille = query("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i pkg:erasmusCode ?c FILTER(STRSTARTS(?c, 'F')) }",
                  store).rows
    assert lille == [["2"]]  # the same meaning, but two codes: two institutions
    norway = [w for w in result.warnings if "Norwagia" in w.reason]
    assert norway and "NO taken from its Erasmus code 'N  TRONDHE01'" in norway[0].reason


def test_pdf_rows_read_by_content_share_the_logic_of_pdf_text(tmp_path):
    rows = [["Départements", "Zones", "Pays et régions", "Établissements"],
            ["École de Droit (2)", "Asie", "Chine", "Faculté de Droit, Université de Pékin"],
            ["", "Europe", "Allemagne", "Faculté de Droit, Université de Göttingen"],
            ["(Juin 2008)"]]
    pdf = write_pdf(tmp_path / "conventions.pdf", [table_page(rows, [160, 90, 110, 300], ruled=False)])
    part = Part("pdf", settings=Settings(tables="text", rows="by-content",
                                         header=("Départements", "Zones", "Pays et régions", "Établissements"),
                                         skip=(r"^\((janvier|juin) \d{4}\)$",)))
    result = parse_pdf(pdf.read_bytes(), part, ORIGIN)
    assert [(r.fields["home_unit"], r.fields["zone"], r.fields["country"], r.fields["partner"], r.labels_may_slide)
            for r in result.records] == [
        ("École de Droit", "Asie", "Chine", "Faculté de Droit, Université de Pékin", True),
        ("École de Droit", "Europe", "Allemagne", "Faculté de Droit, Université de Göttingen", True)]
    assert [(u.unit, u.stated) for u in result.unit_counts] == [("École de Droit", 2)]
    assert [s.where for s in result.skipped] == ["page 1 row 4"]


def test_a_dutch_export_with_a_title_row_and_kinds_in_dutch(tmp_path):
    """A semicolon export written in Dutch: its header below a title row, countries and kinds in
    Dutch (two kinds in one cell), Erasmus codes, a totals row; every kind a concept of the scheme."""
    (tmp_path / "partners.csv").write_text(
        "Partnerinstellingen Faculteit Bètawetenschappen 2026-2027;;;;\n;;;;\n"
        "Land;Instelling;Erasmuscode;Soort overeenkomst;Plaatsen\n"
        "Duitsland;Technische Universität München;D  MUNCHEN02;Erasmus+;2\n"
        "Frankrijk;Université de Strasbourg;F  STRASBO48;Erasmus+ / dubbel diploma;4\n"
        "Zuid-Korea;Seoul National University;;Uitwisseling;1\n"
        "Verenigde Staten;University of California, Berkeley;;Samenwerkingsovereenkomst;2\n"
        "Totaal;;;;9\n", encoding="utf-8")
    manifest = write_manifest(tmp_path, """
[[source]]
path = "partners.csv"
home = { name = "Universiteit Utrecht", country = "NL" }
form = "delimited"
settings = { separator = ";" }
columns = { country = "Land", partner = "Instelling", erasmus_code = "Erasmuscode", kind = "Soort overeenkomst", places = "Plaatsen" }
""")
    result = build(manifest, tmp_path / "out", report=False)
    assert result.rejections == [] and result.warnings == []
    assert [(s.line, s.reason) for s in result.skipped] == [(8, "a totals, notes or sources line")]
    rows = query("""SELECT ?line ?country ?kind ?code WHERE {
        ?a a pkg:Agreement ; pkg:country/skos:notation ?country ; pkg:kind ?k ;
           prov:wasDerivedFrom/pkg:lineNumber ?line ; pkg:partner ?p .
        BIND(STRAFTER(STR(?k), "/kind/") AS ?kind) OPTIONAL { ?p pkg:erasmusCode ?code } } ORDER BY ?line ?kind""",
                 tmp_path / "out" / "store").rows
    assert rows == [["4", "DE", "erasmus-bilateral", "D  MUNCHEN02"], ["5", "FR", "double-degree", "F  STRASBO48"],
                    ["5", "FR", "erasmus-bilateral", "F  STRASBO48"], ["6", "KR", "exchange", ""],
                    ["7", "US", "cooperation", ""]]
