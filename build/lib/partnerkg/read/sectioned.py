"""Sectioned text: entries under lines that name countries, as pulled out of a PDF or pasted from
a web page.

A country alone on its line is a heading; an entry is a partner's name, which may wrap over
several lines (a leading ``*`` is a mark). Under an entry a web page may add a line naming the
kind of agreement and a small tab-separated table (``Fakultät / Ansprechperson / Plätze``): each
row of it is an agreement of the entry's partner, with the columns the manifest maps by the
table's header names. An entry with no table is one agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Skip
from ..model import ReadResult, Record
from ..reference import countries, kinds
from ..reference.lexicon import is_glue, starts_with_head
from ..text import fold_spaces
from .base import Origin, _header_positions, combine, read_text, skip_rules

SETTINGS = frozenset({"skip"})
_OCR_STRAY = re.compile(r"^[A-Z](?=[A-ZÉÈ][a-zà-ÿ])")


@dataclass
class _Entry:
    lines: list[tuple[int, str]] = field(default_factory=list)
    kind: str = ""
    rows: int = 0  # table rows read under it


def parse_sectioned(text: str, part, origin: Origin) -> ReadResult:
    """Records (country heading + partner name, and the entry's table rows) from a sectioned list.

    Settings: ``skip`` (regexes of lines that are neither headings nor entries, such as footnotes).
    """
    rules = skip_rules(part)
    result = ReadResult(lines_read=text.count("\n") + 1)
    heading = ""
    entry = _Entry()
    positions: dict[str, list[int]] | None = None

    def flush() -> None:
        nonlocal entry
        if entry.lines and not entry.rows:
            fields = {"country": heading, "partner": _name(entry)}
            if entry.kind:
                fields["kind"] = entry.kind
            result.records.append(Record(origin.source, origin.file, entry.lines[0][0],
                                         "\n".join(t for _, t in entry.lines), fields))
        entry = _Entry()

    for number, line in enumerate(text.split("\n"), origin.first_line):
        stripped = line.strip()
        if not stripped:
            continue
        if rule := next((r for r in rules if r.matches_text(stripped)), None):
            if "\t" in stripped:
                result.skipped.append(Skip(origin.source, origin.file, number, line, rule.reason))
            continue
        if "\t" in stripped and entry.lines:
            cells = [fold_spaces(c) for c in stripped.split("\t")]
            header = _header_positions(cells, part.columns) if part.columns else None
            if header is not None and not any(c.isdigit() for c in cells):
                positions = header  # the entry's table header (repeated under every entry)
                continue
            fields = {"country": heading, "partner": _name(entry)}
            if entry.kind:
                fields["kind"] = entry.kind
            for role, ps in (positions or {}).items():
                fields[role] = combine(role, [cells[i] for i in ps if i < len(cells)])
            entry.rows += 1
            result.records.append(Record(origin.source, origin.file, number, f"{_verbatim(entry)}\n{line}",
                                         fields))
            continue
        if (countries.lookup(stripped) or len(countries.several(stripped)) == 1) and not stripped.startswith("*"):
            flush()
            heading = stripped
            continue
        if entry.lines and kinds.exact(stripped, part.kind_labels):
            # a second kind after rows starts a block of its own; before any row, both kinds hold
            entry.kind = stripped if entry.rows or not entry.kind else f"{entry.kind} + {stripped}"
            continue
        if entry.lines and not entry.rows and not entry.kind and _continues(entry.lines[-1][1], stripped):
            entry.lines.append((number, stripped))
        else:
            flush()
            entry.lines.append((number, stripped))
    flush()
    return result


def _name(entry: _Entry) -> str:
    return fold_spaces(" ".join(t for _, t in entry.lines))


def _verbatim(entry: _Entry) -> str:
    return "\n".join(t for _, t in entry.lines) + (f"\n{entry.kind}" if entry.kind else "")


def _continues(previous: str, line: str) -> bool:
    """Whether a line carries on the name begun on the previous line."""
    last_word = re.split(r"[\s']", previous.rstrip())[-1]
    if previous.endswith((",", "-", "/")) or is_glue(last_word):
        return True
    if previous.count("(") > previous.count(")") or previous.count('"') % 2:
        return True
    if line.startswith("*"):
        return False
    if line[0].islower() or line[0] in "\"'«(":
        return True
    candidate = _OCR_STRAY.sub("", line)
    return not (starts_with_head(line) or starts_with_head(candidate))


def read_sectioned(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_sectioned(text, part, origin)
