"""Tables pulled out of a PDF whose columns cannot be trusted (002's department conventions).

Cells are recognised by what they say, not where they sit: a unit header with its stated count
("École d'Ingénierie (58)"), a zone, a country, a repeated header, a page footer, or an
establishment. Zone and country carry down to rows that lack them; a cell running several
establishments together is split; a name wrapped onto the next row is joined back. Each record
keeps the line of its country label and the labels next to it: where a label slid by a row,
resolve.locate puts the country back on the evidence of the names.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import Skip, Warning_
from ..model import ReadResult, Record, UnitCount, describe
from ..reference import countries, zones
from ..reference.lexicon import starts_with_head
from ..text import fold, fold_spaces
from .base import Origin, Row, default_skip, read_text, skip_rules
from .split import split_establishments

_UNIT = re.compile(r"^(?P<unit>.+?)\s*\((?P<count>\d+)\)$")
SETTINGS = frozenset({"header", "skip"})


def parse_pdf_table(text: str, part, origin: Origin) -> ReadResult:
    """Records (unit, zone, country, establishment) from PDF-extracted table text: one row a line,
    cells separated by tabs, recognised by what they say (see content_records).

    Settings: ``header`` (the header's cell texts), ``skip`` (regexes of footers and titles).
    """
    rows = [Row(number, line.split("\t"), line) for number, line in enumerate(text.split("\n"), origin.first_line)]
    return content_records(rows, part, origin, lines_read=text.count("\n") + 1)


def content_records(rows: list[Row], part, origin: Origin, lines_read: int = 0) -> ReadResult:
    """Records from table rows whose columns cannot be trusted: each cell is read for what it says."""
    header = {fold(h) for h in part.settings.header} if isinstance(part.settings.header, tuple) else set()
    rules = skip_rules(part)
    result = ReadResult(lines_read=lines_read)
    unit, zone, country = "", "", ""
    seen_units: set[str] = set()
    label_lines: list[int] = []  # per record: the line its country label was written on
    written: list[tuple[int, str]] = []  # every country label, with its line
    label_line = 0
    previous_line = 0
    for row in rows:
        number, line = row.line, row.text
        cells = [fold_spaces(c) for c in row.cells]
        cells = [c for c in cells if c]
        if not cells or (header and all(fold(c) in header for c in cells)):
            continue
        reason = next((r.reason for r in rules if r.matches_text(" ".join(cells))), "") or default_skip(" ".join(cells))
        if reason:
            result.skipped.append(Skip(origin.source, origin.file, number, line, reason, describe(number, row.locator)))
            continue
        row_label = ""
        for cell in cells:
            if match := _UNIT.match(cell):
                if match["unit"] != unit:
                    unit, zone, country, label_line = match["unit"], "", "", 0
                if unit not in seen_units:
                    seen_units.add(unit)
                    result.unit_counts.append(UnitCount(unit, int(match["count"]), number))
            elif zones.lookup(cell):
                zone, country, label_line = cell, "", 0
            elif countries.lookup(cell):
                country = row_label = cell
                label_line = number
                written.append((number, cell))
            elif _wrapped(cell) and result.records and previous_line == number - 1:
                last = result.records[-1]
                joined = fold_spaces(f"{last.fields['partner']} {cell}")
                result.records[-1] = replace(last, text=f"{last.text}\n{line}",
                                             fields={**last.fields, "partner": joined})
            else:
                names = split_establishments(cell)
                for index, name in enumerate(names):
                    fields = {"home_unit": unit, "zone": zone, "country": country, "partner": name}
                    result.records.append(Record(origin.source, origin.file, number, line, fields,
                                                 index if len(names) > 1 else 0, row.locator, True))
                    label_lines.append(label_line)
                previous_line = number
        if row_label and not any(r.line == number for r in result.records):
            result.warnings.append(Warning_(origin.source, origin.file, number, line,
                                            f"country {row_label!r} names no establishment on its row"))
    _label_context(result, label_lines, written)
    return result


def _wrapped(cell: str) -> bool:
    """Whether a cell is the tail of a name wrapped from the row above ("Appliquée, Université de Twente")."""
    first = cell.split()[0]
    return cell[0].islower() or (first.endswith(",") and not fold(first[:-1]).isupper()
                                  and not countries.lookup(first[:-1]) and first[0].isupper()
                                  and len(first) > 2 and not starts_with_head(first[:-1]))


def _label_context(result: ReadResult, label_lines: list[int], labels: list[tuple[int, str]]) -> None:
    """Give each record the line its country label was written on, and the labels written just
    before and after that one: where labels slide against names, a row's country is one of them
    (resolve.locate decides, on the evidence of the names)."""
    order = {line: n for n, (line, _) in enumerate(labels)}
    for k, (record, line) in enumerate(zip(result.records, label_lines, strict=True)):
        n = order.get(line)
        around = [labels[i][1] for i in (n - 1, n + 1) if n is not None and 0 <= i < len(labels)]
        result.records[k] = replace(record, label_line=line, label_alternatives=tuple(around))


def read_pdf_table(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_pdf_table(text, part, origin)
