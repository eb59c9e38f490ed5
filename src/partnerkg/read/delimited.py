"""Delimited text: CSV, TSV or any separator, with or without a header, titles above, notes below."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..model import ReadResult
from .base import Origin, read_text, table_records

SEPARATORS = ("\t", ";", ",", "|")


def parse_delimited(text: str, part, origin: Origin) -> ReadResult:
    """Records from delimited rows. Settings: ``separator`` (guessed if absent), ``quote``."""
    separator = part.settings.get("separator") or _guess_separator(text)
    quote = part.settings.get("quote", '"')
    reader = csv.reader(io.StringIO(text), delimiter=separator, quotechar=quote or None,
                        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
    lines = text.split("\n")
    rows = []
    last = 0
    for cells in reader:
        first = last + 1  # the row began on the line after the previous row ended
        last = reader.line_num
        rows.append((origin.first_line + first - 1, cells, "\n".join(lines[first - 1:last])))
    return table_records(rows, part, origin, lines_read=len(lines))


def _guess_separator(text: str) -> str:
    """The separator found most often on the document's busiest lines."""
    sample = [line for line in text.split("\n")[:200] if line.strip()]
    return max(SEPARATORS, key=lambda s: sum(line.count(s) for line in sample))


def read_delimited(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_delimited(text, part, origin)
