"""Delimited text: CSV, TSV or any separator, with or without a header, titles above, notes below.

Quoted cells may hold the separator and line breaks; a record's line is the line it starts on.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..model import ReadResult
from .base import Origin, Row, read_text, table_records

SEPARATORS = ("\t", ";", ",", "|")
SETTINGS = frozenset({"separator", "quote", "header", "skip"})


def parse_delimited(text: str, part, origin: Origin) -> ReadResult:
    """Records from delimited rows. Settings: ``separator`` (guessed if absent), ``quote``,
    ``header``, ``skip`` (checked when the settings are made)."""
    separator = part.settings.separator or _guess_separator(text)
    quote = part.settings.quote
    reader = csv.reader(io.StringIO(text), delimiter=separator, quotechar=quote or None,
                        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
    lines = text.split("\n")
    rows = []
    last = 0
    for cells in reader:
        first = last + 1  # the row began on the line after the previous row ended
        last = reader.line_num
        rows.append(Row(origin.first_line + first - 1, cells, "\n".join(lines[first - 1:last])))
    return table_records(rows, part, origin, lines_read=len(lines))


def _guess_separator(text: str) -> str:
    """The separator found most often on the document's busiest lines.

    >>> _guess_separator("a;b;c\\n1;2;3\\n"), _guess_separator("a,b\\n1,2\\n")
    (';', ',')
    """
    sample = [line for line in text.split("\n")[:200] if line.strip()]
    return max(SEPARATORS, key=lambda s: sum(line.count(s) for line in sample))


def read_delimited(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_delimited(text, part, origin)
