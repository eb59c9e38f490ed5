"""Tables pulled out of a PDF whose columns cannot be trusted (002's department conventions).

Cells are recognised by what they say, not where they sit: a unit header with its stated count
("École d'Ingénierie (58)"), a zone, a country, a repeated header, a page footer, or an
establishment. Zone and country carry down to rows that lack them; a cell running several
establishments together is split; a name wrapped onto the next row is joined back; a country
label shifted by one row against its establishments is put back where the names say it belongs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..errors import Warning_
from ..lexicon import starts_with_head
from ..model import ReadResult, Record, UnitCount
from ..normalise import countries, zones
from ..text import fold, fold_spaces
from .base import Origin, read_text
from .split import split_establishments

_UNIT = re.compile(r"^(?P<unit>.+?)\s*\((?P<count>\d+)\)$")


def parse_pdf_table(text: str, part, origin: Origin) -> ReadResult:
    """Records (unit, zone, country, establishment) from PDF-extracted table text.

    Settings: ``header`` (the header's cell texts), ``skip`` (regexes of footers and titles).
    """
    header = {fold(h) for h in part.settings.get("header", [])}
    skip = [re.compile(p) for p in part.settings.get("skip", [])]
    result = ReadResult(lines_read=text.count("\n") + 1)
    unit, zone, country = "", "", ""
    seen_units: set[str] = set()
    labels: list[tuple[str, str]] = []  # per record: (country before its row, the row's own label)
    previous_line = 0
    for number, line in enumerate(text.split("\n"), origin.first_line):
        cells = [fold_spaces(c) for c in line.split("\t")]
        cells = [c for c in cells if c]
        if not cells or (header and all(fold(c) in header for c in cells)):
            continue
        if any(p.search(fold_spaces(line)) for p in skip):
            continue
        before, row_label, fresh = country, "", False
        for cell in cells:
            if match := _UNIT.match(cell):
                fresh = True
                if match["unit"] != unit:
                    unit, zone, country = match["unit"], "", ""
                if unit not in seen_units:
                    seen_units.add(unit)
                    result.unit_counts.append(UnitCount(unit, int(match["count"]), number))
            elif zones.lookup(cell):
                zone, country, fresh = cell, "", True
            elif countries.lookup(cell):
                country = row_label = cell
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
                                                 index if len(names) > 1 else 0))
                    labels.append(("" if fresh else before, row_label))
                previous_line = number
        if row_label and not any(r.line == number for r in result.records):
            result.warnings.append(Warning_(origin.source, origin.file, number, line,
                                            f"country {row_label!r} names no establishment on its row"))
    _unshift_countries(result, labels)
    return result


def _wrapped(cell: str) -> bool:
    """Whether a cell is the tail of a name wrapped from the row above ("Appliquée, Université de Twente")."""
    first = cell.split()[0]
    return cell[0].islower() or (first.endswith(",") and not fold(first[:-1]).isupper()
                                  and not countries.lookup(first[:-1]) and first[0].isupper()
                                  and len(first) > 2 and not starts_with_head(first[:-1]))


def _unshift_countries(result: ReadResult, labels: list[tuple[str, str]]) -> None:
    """Put back country labels that sit one row below the establishments they belong to.

    A row whose name names a country other than its label, where the label before the row names
    that country, has its label shifted: it takes the label above, and so does every following
    labelled row of the same run.
    """
    shifting = False
    for n, (record, (before, own)) in enumerate(zip(result.records, labels, strict=False)):
        named = _countries_named(record.fields["partner"])
        stated = countries.lookup(record.fields["country"]) if record.fields["country"] else None
        if own and stated and named and stated not in named and countries.lookup(before or "-") in named:
            shifting = True
        elif not own or not before:
            shifting = False
        if shifting and own and before and before != own:
            result.records[n] = replace(record, fields={**record.fields, "country": before})
            result.warnings.append(Warning_(
                record.source, record.file, record.line, record.text,
                f"country label {own!r} looks shifted one row down; {before!r} from the row above used"))
        elif stated and named and stated not in named:
            result.warnings.append(Warning_(
                record.source, record.file, record.line, record.text,
                f"the name mentions {', '.join(sorted(named))} but the row says {own or record.fields['country']!r}"))


def _countries_named(name: str) -> set[str]:
    folded = f" {fold(name)} "
    return {code for label, code in countries.names_in_text().items() if f" {label} " in folded}


def read_pdf_table(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_pdf_table(text, part, origin)
