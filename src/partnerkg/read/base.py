"""What every reader shares: where a text came from, skip rules, and the tabular core."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ManifestError, Rejection, Skip, SourceError, Warning_
from ..model import JOINERS, ReadResult, Record, describe
from ..paths import DATA
from ..text import decode, fold, fold_spaces


def _default_skip() -> tuple[tuple[re.Pattern, str], ...]:
    """Rows that are not agreements, in any table (data/row_words.toml): totals, notes, sources, page
    footers. Matched against the row's folded text (lower case, no accents, punctuation as spaces)."""
    words = tomllib.loads((DATA / "row_words.toml").read_text(encoding="utf-8"))

    def alternatives(key: str, part: str = "words") -> str:
        return "|".join(re.escape(fold(word)) for word in words[key][part])

    footer = rf"^({alternatives('footer')}) \d+( ({alternatives('footer', 'of')}) \d+)?$"
    return ((re.compile(rf"^({alternatives('totals')})\b"), words["totals"]["reason"]),
            (re.compile(footer), words["footer"]["reason"]))


DEFAULT_SKIP = _default_skip()


@dataclass(frozen=True)
class Origin:
    source: str
    file: str
    first_line: int = 1  # the line number of the text's first line in the file


@dataclass(frozen=True)
class Row:
    """A table row as a reader found it: its cells, verbatim text and place in the document."""

    line: int
    cells: list[str]
    text: str
    locator: str = ""


@dataclass(frozen=True)
class SkipRule:
    """A row that is not an agreement: its text matches ``pattern`` (any case), or, with ``role``,
    the value read for that role does."""

    pattern: re.Pattern
    reason: str
    role: str = ""

    def matches_text(self, text: str) -> bool:
        return not self.role and bool(self.pattern.search(fold_spaces(text)))

    def matches_record(self, fields: dict[str, str]) -> bool:
        return bool(self.role) and bool(self.pattern.search(fold_spaces(fields.get(self.role, ""))))


def skip_rules(part) -> list[SkipRule]:
    """The part's ``skip`` setting: regexes (any case) of rows to pass over, or tables
    ``{ role = "programme", pattern = "^Sem Acordo$", reason = "no agreement" }``."""
    rules = []
    for n, entry in enumerate(part.settings.skip, 1):
        spec = entry if isinstance(entry, dict) else {"pattern": entry}
        try:
            pattern = re.compile(str(spec.get("pattern", "")), re.IGNORECASE)
        except re.error as exc:
            raise ManifestError(f"setting 'skip' #{n}: {spec.get('pattern')!r} is not a regular expression: {exc}") \
                from None
        reason = str(spec.get("reason") or f"matches the manifest's skip pattern {pattern.pattern!r}")
        rules.append(SkipRule(pattern, reason, str(spec.get("role", ""))))
    return rules


def default_skip(text: str) -> str:
    """Why a row's text is a totals line or a page footer, or ''."""
    folded = fold(text)
    return next((reason for pattern, reason in DEFAULT_SKIP if pattern.search(folded)), "")


def read_text(path: str | Path) -> tuple[str, Origin]:
    """A document's text and an Origin naming it, for the read_<form> helpers."""
    path = Path(path)
    try:
        text, _ = decode(path.read_bytes(), path.name)
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    return text, Origin(source=path.stem, file=path.name)


def combine(role: str, values: list[str]) -> str:
    """The value of a role read from several cells (see model.JOINERS).

    >>> combine("places", ["2", "", "3"]), combine("home_unit", ["W9", "Mechaniczny"])
    ('5', 'W9 Mechaniczny')
    """
    values = [fold_spaces(v) for v in values if v and v.strip()]
    joiner = JOINERS.get(role, " ")
    if joiner == "sum" and len(values) > 1 and all(v.isdigit() for v in values):
        return str(sum(int(v) for v in values))
    return (" " if joiner == "sum" else joiner).join(values)


class _Table:
    """The state of a table being read: its header, what stood above it, and the result."""

    def __init__(self, part, origin: Origin, lines_read: int) -> None:
        self.part, self.origin = part, origin
        self.columns: dict = part.columns
        specs = [s for v in self.columns.values() for s in (v if isinstance(v, list) else [v])]
        header = part.settings.header
        self.by_name = any(isinstance(s, str) for s in specs) or header is True
        self.positions: dict[str, list[int]] | None = (
            None if self.by_name else {r: [i - 1 for i in _items(v)] for r, v in self.columns.items()})
        self.header_key: tuple[str, ...] | None = None
        self.header_width = 0  # cells of the header row (0: columns by position, no header)
        self.first_rows: list[list[str]] = []  # rows before the header: what to say if none is found
        self.preamble: set[tuple[str, ...]] = set()  # rows above the header: titles a page repeats
        self.rules = skip_rules(part)
        self.result = ReadResult(lines_read=lines_read)
        self.rows_seen = 0

    def skip(self, row: Row, reason: str) -> None:
        self.result.skipped.append(Skip(self.origin.source, self.origin.file, row.line, row.text, reason,
                                        describe(row.line, row.locator)))

    def reject(self, row: Row, reason: str) -> None:
        self.result.rejections.append(Rejection(self.origin.source, self.origin.file, row.line, row.text, reason,
                                                describe(row.line, row.locator)))

    def add(self, row: Row) -> None:
        cells = [fold_spaces(c) for c in row.cells]
        if not any(cells):
            if len(cells) > 1 and self.positions is not None:  # separators alone, in the table: said
                self.skip(row, f"an empty row: {len(cells)} cells, none filled")
            return
        self.rows_seen += 1
        key = tuple(fold(c) for c in cells if c)
        if self.positions is None:
            found = _header_positions(cells, self.columns)
            if found is not None:
                self.positions, self.header_key, self.header_width = found, key, len(cells)
            else:
                self.preamble.add(key)  # a title line above the header
                if len(self.first_rows) < 20:
                    self.first_rows.append(cells)
            return
        filled = [c for c in cells if c]
        if key == self.header_key:
            return self.skip(row, "the header row again (after a page break)")
        if key in self.preamble:
            return self.skip(row, "a title or note repeated from above the header (page furniture)")
        rule = next((r for r in self.rules if r.matches_text(" ".join(filled))), None)
        if rule:
            return self.skip(row, rule.reason)
        if reason := default_skip(" ".join(filled)):
            return self.skip(row, reason)
        width = max(i for ps in self.positions.values() for i in ps) + 1
        if len(filled) == 1 and len(self.positions) >= 3 and len(cells) > 1:
            return self.skip(row, f"a note or legend line: one cell filled of {width}")
        if len(cells) < width:
            return self.reject(row, f"expected {width} columns, found {len(cells)}")
        fields = {role: combine(role, [cells[i] for i in ps]) for role, ps in self.positions.items()}
        if not fields.get("partner"):
            return self.reject(row, "no partner institution named")
        beyond = [c for c in cells[self.header_width:] if c] if self.header_width else []
        if beyond:
            self.result.warnings.append(Warning_(
                self.origin.source, self.origin.file, row.line, row.text,
                f"{len(beyond)} cell(s) beyond the header's {self.header_width} columns not read: "
                + ", ".join(repr(c) for c in beyond), describe(row.line, row.locator)))
        self.result.records.append(Record(self.origin.source, self.origin.file, row.line, row.text, fields,
                                          locator=row.locator))

    def finish(self) -> ReadResult:
        if self.positions is None and self.rows_seen:
            names = [s for v in self.columns.values() for s in _items(v) if isinstance(s, str)]
            listed = ", ".join(repr(n) for n in names)
            self.result.rejections.append(Rejection(
                self.origin.source, self.origin.file, self.origin.first_line, "",
                f"no header row with the columns {listed} found: nothing could be read; {self._why(names)}"))
        return self.result

    def _why(self, names: list[str]) -> str:
        """The likely cause of a header not found, from the rows above where it should be."""
        wanted = [fold(n) for n in names]
        for cells in self.first_rows:
            folded = [fold(c) for c in cells]
            if any(sum(w in c for w in wanted) >= 2 for c in folded):
                return (f"one cell holds several of the column names ({cells[0]!r}...): the separator is likely "
                        "wrong (setting 'separator')")
            found = [n for n, w in zip(names, wanted, strict=True) if w in folded]
            if found:
                missing = [n for n in names if n not in found]
                return f"a row has {', '.join(map(repr, found))} but not {', '.join(map(repr, missing))}: " \
                       f"is the header written otherwise? ({' | '.join(cells)})"
        return ("no row names these columns: the document may have no header row (give the columns by position, "
                "country = 1, partner = 2, ...), or the encoding may be wrong")


def table_records(rows: Iterable[Row], part, origin: Origin, lines_read: int = 0) -> ReadResult:
    """Records from table rows, given a part's columns.

    Columns map roles to a header name or a 1-based position (or a list of them). With names,
    rows before the first header row are titles; a header, title or note repeated after a page
    break is skipped, and so are empty rows (separators alone), totals, page footers, rows matching
    a skip rule, and notes that fill one cell of a wide table, each with its reason. A row too
    short for its columns, or with no partner, is rejected.
    """
    table = _Table(part, origin, lines_read)
    for row in rows:
        table.add(row)
    return table.finish()


def _items(spec) -> list:
    return spec if isinstance(spec, list) else [spec]


def _header_positions(cells: list[str], columns: dict) -> dict[str, list[int]] | None:
    """Positions of the roles if this row is the header, else None."""
    folded = [fold(c) for c in cells]
    width = max((c for v in columns.values() for c in _items(v) if isinstance(c, int)), default=0)
    if len([c for c in cells if c]) < min(max(width, 2), 2):
        return None  # a title line: a header spans the columns
    positions = {}
    for role, spec in columns.items():
        found = []
        for column in _items(spec):
            if isinstance(column, int):
                found.append(column - 1)
            elif fold(column) in folded:
                found.append(folded.index(fold(column)))
            else:
                return None
        positions[role] = found
    return positions
