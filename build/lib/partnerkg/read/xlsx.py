"""Spreadsheets (XLSX): one sheet read as a table; a record's place is its sheet and row.

The header row is found below title and legend rows; a merged cell's value is carried into every
cell it covers (a country merged down over its partners).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from ..errors import SourceError
from ..model import ReadResult
from .base import Origin, Row, table_records

SETTINGS = frozenset({"sheet", "header", "skip"})


def parse_xlsx(data: bytes, part, origin: Origin) -> ReadResult:
    """Records from a workbook. Setting ``sheet``: its name or 1-based position (default the first)."""
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(f"{origin.file}: not an XLSX workbook: {exc}") from None
    sheet = _sheet(workbook, part.settings.sheet, origin.file)
    values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:  # carry a merged cell's value into the cells it covers
        top = values[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(values))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(values[r]))):
                values[r][c] = top
    rows = [Row(n, cells, "\t".join(cells).rstrip("\t"), f"sheet:{sheet.title}/{n}")
            for n, cells in enumerate(values, 1)]
    workbook.close()
    return table_records(rows, part, origin, lines_read=len(rows))


def check_xlsx(path: Path, part) -> str:
    """Before a build: the sheet the manifest names is in the workbook ('' when it is, or when the
    workbook cannot be opened: reading it will say why)."""
    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - a missing or broken file is the reader's to report
        return ""
    try:
        _sheet(workbook, part.settings.sheet, path.name)
    except SourceError as exc:
        return str(exc)
    finally:
        workbook.close()
    return ""


def _sheet(workbook, setting, file: str):
    names = workbook.sheetnames
    if isinstance(setting, int) and 1 <= setting <= len(names):
        return workbook.worksheets[setting - 1]
    if isinstance(setting, str) and setting in names:
        return workbook[setting]
    raise SourceError(f"{file}: setting 'sheet' = {setting!r} names no sheet; the workbook has "
                      f"{', '.join(repr(n) for n in names)} (or a position from 1 to {len(names)})")


def read_xlsx(path: str | Path, part) -> ReadResult:
    path = Path(path)
    return parse_xlsx(path.read_bytes(), part, Origin(source=path.stem, file=path.name))
