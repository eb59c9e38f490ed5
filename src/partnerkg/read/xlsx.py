"""Spreadsheets (XLSX): one sheet read as a table; a record's line is its row number."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from ..errors import Rejection
from ..model import ReadResult
from .base import Origin, table_records


def parse_xlsx(data: bytes, part, origin: Origin) -> ReadResult:
    """Records from a workbook. Setting ``sheet``: its name or 1-based position (default the first)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        return ReadResult(rejections=[Rejection(origin.source, origin.file, 1, "", f"not an XLSX workbook: {exc}")])
    sheet_setting = part.settings.get("sheet", 1)
    if isinstance(sheet_setting, int):
        sheet = workbook.worksheets[sheet_setting - 1]
    else:
        sheet = workbook[sheet_setting]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = ["" if v is None else str(v) for v in values]
        rows.append((number, cells, "\t".join(cells).rstrip("\t")))
    workbook.close()
    return table_records(rows, part, origin, lines_read=len(rows))


def read_xlsx(path: str | Path, part) -> ReadResult:
    path = Path(path)
    return parse_xlsx(path.read_bytes(), part, Origin(source=path.stem, file=path.name))
