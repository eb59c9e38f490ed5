"""What every reader shares: where a text came from, and the tabular core."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Rejection, SourceError, Warning_
from ..model import ReadResult, Record
from ..text import decode, fold, fold_spaces

# Rows under a table that are not agreements: totals, notes, sources.
DEFAULT_SKIP = (r"^(total|totaux|totals|sum|somme|note|notes|nb|source|sources)\b",)


@dataclass(frozen=True)
class Origin:
    source: str
    file: str
    first_line: int = 1  # the line number of the text's first line in the file


def read_text(path: str | Path) -> tuple[str, Origin]:
    """A document's text and an Origin naming it, for the read_<form> helpers."""
    path = Path(path)
    try:
        text, _ = decode(path.read_bytes(), path.name)
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    return text, Origin(source=path.stem, file=path.name)


def table_records(rows: Iterable[tuple[int, list[str], str]], part, origin: Origin,
                  lines_read: int = 0) -> ReadResult:
    """Records from table rows (line number, cells, verbatim text), given a part's columns.

    Columns map roles to a header name or a 1-based position. With names, rows before the first
    header row are titles, and a header repeated after a page break is skipped. Rows matching a
    skip pattern (totals, notes) are passed over; a row too short for its columns, or with no
    partner, is rejected.
    """
    columns: dict = part.columns
    by_name = any(isinstance(v, str) for v in columns.values())
    header_setting = part.settings.get("header", "auto")
    need_header = by_name or header_setting is True
    skip = [re.compile(p) for p in part.settings.get("skip", DEFAULT_SKIP)]
    positions: dict[str, int] | None = None if need_header else {r: int(i) - 1 for r, i in columns.items()}
    header_key: tuple[str, ...] | None = None
    result = ReadResult(lines_read=lines_read)
    rows_seen = 0
    for line, cells, text in rows:
        cells = [fold_spaces(c) for c in cells]
        if not any(cells):
            continue
        rows_seen += 1
        key = tuple(fold(c) for c in cells)
        if positions is None:
            found = _header_positions(cells, columns)
            if found is not None:
                positions, header_key = found, key
            continue  # a title line above the header
        if key == header_key:
            continue  # the header again, after a page break
        if any(p.search(fold(" ".join(cells))) for p in skip):
            continue
        width = max(positions.values()) + 1
        if len(cells) < width:
            result.rejections.append(Rejection(
                origin.source, origin.file, line, text,
                f"expected {width} columns, found {len(cells)}"))
            continue
        fields = {role: cells[i] for role, i in positions.items()}
        if not fields.get("partner"):
            result.rejections.append(Rejection(origin.source, origin.file, line, text, "no partner institution named"))
            continue
        result.records.append(Record(origin.source, origin.file, line, text, fields))
    if positions is None and rows_seen:
        names = ", ".join(repr(v) for v in columns.values() if isinstance(v, str))
        result.warnings.append(Warning_(origin.source, origin.file, origin.first_line, "",
                                        f"no header row with the columns {names} found; nothing read"))
    return result


def _header_positions(cells: list[str], columns: dict) -> dict[str, int] | None:
    """Positions of the roles if this row is the header, else None."""
    folded = [fold(c) for c in cells]
    width = max((c for c in columns.values() if isinstance(c, int)), default=0)
    if len([c for c in cells if c]) < min(width, 2):
        return None  # a title line: a header spans the columns
    positions = {}
    for role, column in columns.items():
        if isinstance(column, int):
            positions[role] = column - 1
        elif fold(column) in folded:
            positions[role] = folded.index(fold(column))
        else:
            return None
    return positions
