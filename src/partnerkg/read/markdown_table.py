"""Markdown (pipe) tables, such as a PDF or web page turned into Markdown, header repeated after page breaks."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import ReadResult
from .base import Origin, Row, read_text, table_records

_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-*:?\s*)*\|?$")
SETTINGS = frozenset({"header", "skip"})


def parse_markdown_table(text: str, part, origin: Origin) -> ReadResult:
    """Records from the pipe-table rows of a Markdown text; other lines are passed over."""
    rows = []
    for number, line in enumerate(text.split("\n"), origin.first_line):
        stripped = line.strip()
        if not stripped.startswith("|") or _RULE.match(stripped):
            continue
        cells = stripped.strip("|").split("|")
        rows.append(Row(number, cells, line))
    return table_records(rows, part, origin, lines_read=text.count("\n") + 1)


def read_markdown_table(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_markdown_table(text, part, origin)
