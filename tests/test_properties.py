"""Property-based tests (hypothesis): no input makes a reader or the manifest loader raise anything
but the project's own errors, and every row a table or a record list holds is accounted for
(rows in = agreements read + skipped + rejected)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerkg.config import load_manifest
from partnerkg.errors import ManifestError, SourceError
from partnerkg.read import READERS, parse_source

FORM_SETTINGS = {"json": 'settings = { records = "items" }', "yaml": 'settings = { records = "items" }'}
COLUMNS = {"json": ("pays", "nom"), "jsonl": ("pays", "nom"), "yaml": ("pays", "nom"),
           "sectioned": None, "markdown-list": None}
# database=None: nothing is written into the checkout
PROPERTIES = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def source_of(form: str, name: str = "doc"):
    """A manifest source of ``form`` (loaded through the real loader), for parse_source."""
    folder = Path(tempfile.mkdtemp())
    columns = COLUMNS.get(form, ("Pays", "Institution"))
    lines = ["[[source]]", f'path = "{name}"', 'language = "fr"', 'home = { name = "Université Test", country = "FR" }',
             f'form = "{form}"', FORM_SETTINGS.get(form, "")]
    if columns:
        lines += ["[source.columns]", f'country = "{columns[0]}"', f'partner = "{columns[1]}"']
    (folder / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_manifest(folder / "manifest.toml").sources[0]


SOURCES = {form: source_of(form) for form in READERS}


def outcomes(result) -> int:
    """Rows accounted for, one per row of the document (a cell split into several agreements is one row)."""
    read = {(r.line, r.locator) for r in result.records}
    return len(read) + len(result.skipped) + len(result.rejections)


@pytest.mark.parametrize("form", sorted(READERS))
@PROPERTIES
@given(data=st.binary(max_size=3000))
def test_random_bytes_give_a_result_or_a_source_error(form, data):
    try:
        parse_source(data, SOURCES[form])
    except SourceError:
        pass


@pytest.mark.parametrize("form", sorted(READERS))
@PROPERTIES
@given(text=st.text(max_size=600), encoding=st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1"]))
def test_random_text_in_random_encodings_gives_a_result_or_a_source_error(form, text, encoding):
    try:
        parse_source(text.encode(encoding, errors="replace"), SOURCES[form])
    except SourceError:
        pass


# Cells: any printable text but the table's own syntax (a separator, a line break), not blank.
CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="|;\t\r\n\x0b\x0c"),
               min_size=1, max_size=40).filter(lambda t: t.strip() and t.strip() not in ("-", ":"))
ROWS = st.lists(st.tuples(CELL, CELL), min_size=1, max_size=30)


@PROPERTIES
@given(rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_every_markdown_table_row_is_accounted_for(rows, encoding):
    lines = ["| Pays | Institution |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)]
    result = parse_source(("\n".join(lines) + "\n").encode(encoding), SOURCES["markdown-table"])
    assert outcomes(result) == len(rows)


@PROPERTIES
@given(rows=ROWS, separator=st.sampled_from([";", "\t"]))
def test_every_delimited_row_is_accounted_for(rows, separator):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(["Pays", "Institution"])
    writer.writerows(rows)
    result = parse_source(buffer.getvalue().encode("utf-8"), SOURCES["delimited"])
    assert outcomes(result) == len(rows)


JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=8)
RECORDS = st.lists(st.fixed_dictionaries({"pays": JSON_VALUE, "nom": JSON_VALUE}), min_size=1, max_size=20)


@PROPERTIES
@given(records=RECORDS, minified=st.booleans())
def test_every_json_record_is_accounted_for(records, minified):
    text = json.dumps({"count": len(records), "items": records}, indent=None if minified else 1)
    result = parse_source(text.encode("utf-8"), SOURCES["json"])
    assert outcomes(result) == len(records)
    assert len({r.locator for r in result.records}) == len(result.records)  # no two records share a place


@PROPERTIES
@given(records=RECORDS)
def test_every_json_line_is_accounted_for(records):
    text = "\n".join(json.dumps(r) for r in records) + "\n"
    assert outcomes(parse_source(text.encode("utf-8"), SOURCES["jsonl"])) == len(records)


@settings(PROPERTIES, max_examples=12)  # each example reads up to 300,000 characters three times
@given(depth=st.one_of(st.integers(min_value=1, max_value=50), st.integers(min_value=50_000, max_value=100_000)),
       opener=st.sampled_from(["[", '{"a":']))
def test_deep_nesting_gives_a_result_or_a_source_error(depth, opener):
    closer = "]" if opener == "[" else "}"
    text = opener * depth + "1" + closer * depth
    for form in ("json", "yaml", "jsonl"):
        try:
            parse_source(text.encode(), SOURCES[form])
        except SourceError:
            pass


TOML_KEY = st.sampled_from(["project", "source", "kinds", "path", "form", "columns", "settings", "home", "language",
                            "date", "id", "skip", "separator", "sheet", "header", "country", "partner", "name",
                            "ror", "lock", "overrides", "shapes", "personal_data", "part", "records", "x"])
TOML_VALUE = st.recursive(
    st.booleans() | st.integers(min_value=-3, max_value=3) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12) | st.sampled_from(["doc.md", "markdown-table", "delimited", "../x", "(", "fr", "FR"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TOML_KEY, inner, max_size=4), max_leaves=12)


def toml(value) -> str:
    """A value as TOML (inline tables and arrays; JSON strings are TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"


@PROPERTIES
@given(manifest=st.dictionaries(TOML_KEY, TOML_VALUE, max_size=4) | st.text(max_size=200).map(lambda t: {"": t}))
def test_any_manifest_loads_or_fails_with_a_manifest_error(manifest, tmp_path_factory):
    folder = tmp_path_factory.mktemp("manifest")
    text = manifest[""] if list(manifest) == [""] else "\n".join(f"{k} = {toml(v)}" for k, v in manifest.items())
    (folder / "manifest.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_manifest(folder / "manifest.toml")
    except ManifestError:
        pass
