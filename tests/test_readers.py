"""Each reader form on a small document written for the case."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook

from partnerkg.config import Part
from partnerkg.read.base import Origin
from partnerkg.read.delimited import parse_delimited
from partnerkg.read.jsonrecords import parse_json, parse_jsonl
from partnerkg.read.markdown_list import parse_markdown_list
from partnerkg.read.markdown_table import parse_markdown_table
from partnerkg.read.pdf_table import parse_pdf_table
from partnerkg.read.sectioned import parse_sectioned
from partnerkg.read.settings import Settings
from partnerkg.read.xlsx import parse_xlsx

ORIGIN = Origin(source="doc", file="doc.txt")


def partners(result):
    return [(r.line, r.fields["partner"]) for r in result.records]


def test_markdown_table_with_header_repeated_after_page_break():
    text = """Partner list

| Pays | Institution | Places |
|------|-------------|--------|
| Allemagne | TU Berlin | 2 |

| Pays | Institution | Places |
|---|---|---|
| Suède | KTH | 1/2 |
| Suède | only two cells |
"""
    part = Part("markdown-table", columns={"country": "Pays", "partner": "Institution", "places": "Places"})
    result = parse_markdown_table(text, part, ORIGIN)
    assert partners(result) == [(5, "TU Berlin"), (9, "KTH")]
    assert result.records[1].fields["places"] == "1/2"
    assert [(r.line, r.reason) for r in result.rejections] == [(10, "expected 3 columns, found 2")]


def test_delimited_with_title_semicolons_and_totals():
    text = "Partner agreements 2024\n\nCountry;University;Kind\nDE;TU Berlin;Erasmus\nFR;\"Université de Lyon; Lyon 1\";Cadre\nTotal;2;\n"
    part = Part("delimited", columns={"country": "Country", "partner": "University", "kind": "Kind"})
    result = parse_delimited(text, part, ORIGIN)
    assert partners(result) == [(4, "TU Berlin"), (5, "Université de Lyon; Lyon 1")]
    assert result.rejections == []


def test_totals_and_footers_in_many_languages_are_counted_skips_not_rejections():
    """The words of data/row_words.toml, first in a row: a Finnish totals row, a Korean one, a Swedish
    and an English page footer; a partner whose name merely starts like such a word stays a partner."""
    text = ("Maa;Korkeakoulu\nSaksa;TU Berlin\nKreikka;Summation College\nYhteensä;;9\n"
            "합계;2\nSida 1 av 2\nPage 1 of 2\n")
    part = Part("delimited", columns={"country": "Maa", "partner": "Korkeakoulu"})
    result = parse_delimited(text, part, ORIGIN)
    assert partners(result) == [(2, "TU Berlin"), (3, "Summation College")]
    assert [(s.line, s.reason) for s in result.skipped] == [
        (4, "a totals, notes or sources line"), (5, "a totals, notes or sources line"), (6, "a page footer"),
        (7, "a page footer")]
    assert result.rejections == []


def test_an_empty_row_in_a_table_is_a_counted_skip():
    """A row of separators alone (a spreadsheet's blank row, exported) is said, with its line; a
    blank line, and an empty row above the header, are no rows of the table."""
    text = "Title;;\n;;\nCountry;University;Kind\nDE;TU Berlin;Erasmus\n;;\n\nFR;Lyon 1;Cadre\n"
    part = Part("delimited", columns={"country": "Country", "partner": "University", "kind": "Kind"})
    result = parse_delimited(text, part, ORIGIN)
    assert partners(result) == [(4, "TU Berlin"), (7, "Lyon 1")]
    assert [(s.line, s.reason) for s in result.skipped] == [(5, "an empty row: 3 cells, none filled")]
    assert result.rejections == []


def test_delimited_without_header_by_position():
    text = "Germany\tTU Berlin\nSweden\n"
    part = Part("delimited", columns={"country": 1, "partner": 2}, settings=Settings(separator="\t"))
    result = parse_delimited(text, part, ORIGIN)
    assert partners(result) == [(1, "TU Berlin")]
    assert [r.line for r in result.rejections] == [2]


def test_json_records_at_a_path_and_root():
    nested = json.dumps({"data": {"partners": [{"org": {"name": "KTH"}, "country": "SE"},
                                               {"org": {"name": "DTU"}, "country": "DK"}]}})
    part = Part("json", columns={"partner": "org.name", "country": "country"}, settings=Settings(records="data.partners"))
    result = parse_json(nested, part, ORIGIN)
    # minified: both records on line 1, each with its own pointer
    assert [(r.line, r.locator, r.fields["partner"]) for r in result.records] == [
        (1, "/data/partners/0", "KTH"), (1, "/data/partners/1", "DTU")]
    root = '[\n {"name": "KTH"},\n {"name": "DTU"},\n 7\n]'
    result = parse_json(root, Part("json", columns={"partner": "name"}), ORIGIN)
    assert partners(result) == [(2, "KTH"), (3, "DTU")]
    assert [(r.where, r.reason) for r in result.rejections] == [("#/2", "expected an object, found int")]


def test_json_lines():
    text = '{"name": "KTH"}\nnot json\n{"name": ""}\n'
    result = parse_jsonl(text, Part("jsonl", columns={"partner": "name"}), ORIGIN)
    assert partners(result) == [(1, "KTH")]
    assert [r.line for r in result.rejections] == [2, 3]
    # each named as its line, whether it is no JSON or holds no partner
    assert [str(r).split(": ")[0] for r in result.rejections] == ["doc.txt:line 2", "doc.txt:line 3"]


def test_xlsx_sheet_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Partner list"])
    sheet.append(["Country", "Institution", "Places"])
    sheet.append(["Germany", "TU Dresden", 2])
    sheet.append(["Sweden", "Chalmers", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    part = Part("xlsx", columns={"country": "Country", "partner": "Institution", "places": "Places"})
    result = parse_xlsx(buffer.getvalue(), part, ORIGIN)
    assert partners(result) == [(3, "TU Dresden"), (4, "Chalmers")]
    assert result.records[0].fields["places"] == "2"


def test_sectioned_pdf_text_joins_wrapped_names():
    text = "Royaume-Uni\n\nICollège Impérial de Londres\n École d'Économie et de Science\n Politique de Londres\n\nFrance\n\n*Institut National des Sciences\n Appliquées de Lyon\n(*) footnote\n"
    result = parse_sectioned(text, Part("sectioned", settings=Settings(skip=("^\\(\\*\\)",))), ORIGIN)
    assert [(r.line, r.fields["country"], r.fields["partner"]) for r in result.records] == [
        (3, "Royaume-Uni", "ICollège Impérial de Londres"),
        (4, "Royaume-Uni", "École d'Économie et de Science Politique de Londres"),
        (9, "France", "*Institut National des Sciences Appliquées de Lyon"),
    ]


def test_markdown_page_with_faculties():
    text = "# Allemagne\n\n- TU Dresden\n- Universität Stuttgart\n  - Fakultät Informatik\n  - Fakultät Chemie\n\n# Suède\n- KTH\n"
    result = parse_markdown_list(text, Part("markdown-list"), ORIGIN)
    assert [(r.fields["country"], r.fields["partner"], r.fields.get("partner_unit", "")) for r in result.records] == [
        ("Allemagne", "TU Dresden", ""),
        ("Allemagne", "Universität Stuttgart", "Fakultät Informatik"),
        ("Allemagne", "Universität Stuttgart", "Fakultät Chemie"),
        ("Suède", "KTH", ""),
    ]


def test_pdf_table_recognises_cells_by_what_they_say():
    text = "\n".join([
        "Départements\tZones\tPays et régions\tÉtablissements",
        "École de Droit (3)\tAsie\tChine\tCollège des Sciences Sociales, Université Kookmin Institut de Droit, Académie des Sciences Sociales de Chine",
        "\t\tEurope\tAllemagne\tFaculté de Chimie, Université de Göttingen",
        "(Juin 2008)",
        "Pays-Bas\t\tInstitut de Science des Matériaux, Faculté de Physique",
        "\tAppliquée, Université de Twente",
    ])
    part = Part("pdf-table", settings=Settings(header=("Départements", "Zones", "Pays et régions", "Établissements"),
                                               skip=("^\\(Juin \\d{4}\\)$",)))
    result = parse_pdf_table(text, part, ORIGIN)
    got = [(r.line, r.index, r.fields["zone"], r.fields["country"], r.fields["partner"]) for r in result.records]
    assert got == [
        (2, 0, "Asie", "Chine", "Collège des Sciences Sociales, Université Kookmin"),
        (2, 1, "Asie", "Chine", "Institut de Droit, Académie des Sciences Sociales de Chine"),
        (3, 0, "Europe", "Allemagne", "Faculté de Chimie, Université de Göttingen"),
        (5, 0, "Europe", "Pays-Bas", "Institut de Science des Matériaux, Faculté de Physique Appliquée, Université de Twente"),
    ]
    assert [(u.unit, u.stated) for u in result.unit_counts] == [("École de Droit", 3)]
