"""Markdown (pipe) tables, such as a PDF or web page turned into Markdown, header repeated after page breaks."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import ReadResult
from .base import Origin, Row, read_text, table_records

_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-*:?\s*)*\|?$")
SETTINGS = frozenset({"header", "skip"})


def parse_markdown_table(text: str, part, origin: Origin) -> ReadResult:
    """Records from the pipe-table rows of a Markdown text; other lines are passed over.

    Rows may go without their outer pipes (``Pays | Institution``), as GitHub's tables allow,
    when the document has such a table's rule line (``---|---``).
    """
    lines = text.split("\n")
    bare = any(_RULE.match(s) and not s.startswith("|") and "|" in s for s in map(str.strip, lines))
    rows = []
    for number, line in enumerate(lines, origin.first_line):
        stripped = line.strip()
        if not (stripped.startswith("|") or (bare and "|" in stripped)) or _RULE.match(stripped):
            continue
        cells = stripped.removeprefix("|").removesuffix("|").split("|")
        rows.append(Row(number, cells, line))
    return table_records(rows, part, origin, lines_read=text.count("\n") + 1)


def read_markdown_table(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_markdown_table(text, part, origin)
