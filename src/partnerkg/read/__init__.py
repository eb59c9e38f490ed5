"""Read: one reader per document form, chosen from the manifest by the READERS registry.

Every reader module has a pure ``parse_<form>(text or bytes, part, origin)`` returning a
ReadResult, and a thin ``read_<form>(path, part)`` for use on its own. ``read_source`` runs the
parts of a manifest source through their readers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import Skip, SourceError
from ..model import ReadResult
from ..text import decode, fold_spaces
from . import delimited, jsonrecords, markdown_list, markdown_table, pdf, pdf_table, sectioned, xlsx
from .base import Origin, skip_rules


@dataclass(frozen=True)
class Reader:
    parse: Callable[..., ReadResult]
    settings: frozenset[str]  # the settings the reader understands: the manifest is checked against them
    binary: bool = False  # parse takes bytes, not text


READERS: dict[str, Reader] = {
    "markdown-table": Reader(markdown_table.parse_markdown_table, markdown_table.SETTINGS),
    "markdown-list": Reader(markdown_list.parse_markdown_list, markdown_list.SETTINGS),
    "delimited": Reader(delimited.parse_delimited, delimited.SETTINGS),
    "json": Reader(jsonrecords.parse_json, jsonrecords.SETTINGS),
    "jsonl": Reader(jsonrecords.parse_jsonl, frozenset({"skip"})),
    "yaml": Reader(jsonrecords.parse_yaml, jsonrecords.SETTINGS),
    "xlsx": Reader(xlsx.parse_xlsx, xlsx.SETTINGS, binary=True),
    "pdf": Reader(pdf.parse_pdf, pdf.SETTINGS, binary=True),
    "sectioned": Reader(sectioned.parse_sectioned, sectioned.SETTINGS),
    "pdf-table": Reader(pdf_table.parse_pdf_table, pdf_table.SETTINGS),
}


def read_source(source) -> ReadResult:
    """Read every part of a manifest source; raises SourceError if the file cannot be read."""
    try:
        data = source.path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{source.path}: file not found (source '{source.id}')") from None
    except OSError as exc:
        raise SourceError(f"{source.path}: cannot read: {exc}") from None
    results = []
    text, encoding = (None, "binary")
    for part in source.parts:
        reader = READERS[part.form]
        origin = Origin(source=source.id, file=source.file)
        if reader.binary:
            result = reader.parse(data, part, origin)
        else:
            if text is None:
                text, encoding = decode(data, source.file, source.encoding or None)
                if not text.strip():
                    raise SourceError(f"{source.file}: the document is empty (source '{source.id}')")
            chunk, first_line = _slice(text, part, source.file)
            result = reader.parse(chunk, part, replace(origin, first_line=first_line))
        results.append(_finish(result, part))
    return ReadResult(
        records=[r for res in results for r in res.records],
        rejections=[r for res in results for r in res.rejections],
        skipped=[s for res in results for s in res.skipped],
        warnings=[w for res in results for w in res.warnings],
        unit_counts=[u for res in results for u in res.unit_counts],
        lines_read=len(text.split("\n")) if text is not None else sum(r.lines_read for r in results),
        encoding=encoding,
    )


def _finish(result: ReadResult, part) -> ReadResult:
    """What every form shares after reading: the part's defaults for roles the document leaves
    implicit, and skip rules on a role's value ({ role = ..., pattern = ... })."""
    rules = [r for r in skip_rules(part) if r.role]
    kept = []
    for record in result.records:
        fields = {**part.defaults, **{k: v for k, v in record.fields.items() if v}}
        rule = next((r for r in rules if r.matches_record(fields)), None)
        if rule:
            result.skipped.append(Skip(record.source, record.file, record.line, record.text, rule.reason,
                                       record.where))
        else:
            kept.append(replace(record, fields=fields))
    result.records[:] = kept
    return result


def _slice(text: str, part, file: str) -> tuple[str, int]:
    """The lines of a part (from its start marker up to its end marker) and its first line number."""
    lines = text.split("\n")
    begin, end = 0, len(lines)
    if part.start:
        begin = _find(lines, part.start, 0, file)
    if part.end:
        end = _find(lines, part.end, begin + 1, file)
    return "\n".join(lines[begin:end]), begin + 1


def _find(lines: list[str], marker: str, after: int, file: str) -> int:
    for number, line in enumerate(lines[after:], after):
        if fold_spaces(line) == fold_spaces(marker):
            return number
    raise SourceError(f"{file}: marker line {marker!r} (a part's start or end in the manifest) not found")
