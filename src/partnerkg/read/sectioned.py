"""Sectioned lists: entries under headings that name countries.

Two shapes: text pulled out of a PDF (a country alone on its line, then entries, a name wrapped
over several lines, a leading ``*`` as a mark), and a Markdown page (``#`` headings naming
countries, bullets naming partners, nested bullets naming a partner's faculties).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..lexicon import is_glue, starts_with_head
from ..model import ReadResult, Record
from ..normalise import countries
from ..text import fold_spaces
from .base import Origin, read_text

_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-+*]\s+(.*)$")
_OCR_STRAY = re.compile(r"^[A-Z](?=[A-ZÉÈ][a-zà-ÿ])")


def parse_sectioned(text: str, part, origin: Origin) -> ReadResult:
    """Records (country heading + partner name) from a sectioned list.

    Settings: ``skip`` (regexes of lines that are neither headings nor entries, such as footnotes).
    """
    skip = [re.compile(p) for p in part.settings.get("skip", [])]
    result = ReadResult(lines_read=text.count("\n") + 1)
    heading = ""
    entry: list[tuple[int, str]] = []  # the lines of the entry being read
    parent: tuple[int, str] | None = None  # a Markdown bullet that has nested bullets

    def flush() -> None:
        if entry:
            name = fold_spaces(" ".join(t for _, t in entry))
            verbatim = "\n".join(t for _, t in entry)
            result.records.append(Record(origin.source, origin.file, entry[0][0], verbatim,
                                         {"country": heading, "partner": name}))
            entry.clear()

    for number, line in enumerate(text.split("\n"), origin.first_line):
        stripped = line.strip()
        if not stripped or any(p.search(stripped) for p in skip):
            continue
        md_heading = _MD_HEADING.match(line)
        if md_heading or (countries.lookup(stripped) and not stripped.startswith("*")):
            flush()
            heading, parent = (md_heading[1] if md_heading else stripped), None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            indent, name = len(bullet[1].expandtabs(4)), bullet[2].strip()
            if indent == 0 or parent is None:
                flush()
                parent = (number, name)
                entry.append((number, name))
            else:
                # a faculty under its institution: the record names both, unit first; the
                # institution itself is read through its units, not as an entry of its own
                if entry and entry[0][0] == parent[0]:
                    entry.clear()
                flush()
                result.records.append(Record(origin.source, origin.file, number, line,
                                             {"country": heading, "partner": f"{name}, {parent[1]}"}))
            continue
        if entry and _continues(entry[-1][1], stripped):
            entry.append((number, stripped))
        else:
            flush()
            entry.append((number, stripped))
    flush()
    return result


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
