"""Read: one reader per document form, chosen from the manifest by the READERS registry.

Every reader module has a pure ``parse_<form>(text or bytes, part, origin)`` returning a
ReadResult, and a thin ``read_<form>(path, part)`` for use on its own. ``read_source`` runs the
parts of a manifest source through their readers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import Skip, SourceError, Warning_
from ..model import ReadResult
from ..text import decode, fold_spaces
from . import delimited, jsonrecords, markdown_list, markdown_table, pdf, pdf_table, sectioned, xlsx
from .base import Origin, skip_rules


@dataclass(frozen=True)
class Reader:
    parse: Callable[..., ReadResult]
    settings: frozenset[str]  # the settings the reader understands: the manifest is checked against them
    binary: bool = False  # parse takes bytes, not text
    check: Callable[..., str] | None = None  # check(path, part) before a build: what is wrong, or ''


READERS: dict[str, Reader] = {
    "markdown-table": Reader(markdown_table.parse_markdown_table, markdown_table.SETTINGS),
    "markdown-list": Reader(markdown_list.parse_markdown_list, markdown_list.SETTINGS),
    "delimited": Reader(delimited.parse_delimited, delimited.SETTINGS),
    "json": Reader(jsonrecords.parse_json, jsonrecords.SETTINGS),
    "jsonl": Reader(jsonrecords.parse_jsonl, frozenset({"skip"})),
    "yaml": Reader(jsonrecords.parse_yaml, jsonrecords.SETTINGS),
    "xlsx": Reader(xlsx.parse_xlsx, xlsx.SETTINGS, binary=True, check=xlsx.check_xlsx),
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
    return parse_source(data, source)


def parse_source(data: bytes, source) -> ReadResult:
    """Read a source's bytes through the readers of its parts. Any input gives a ReadResult or a
    SourceError naming the file, never another exception."""
    if not data.strip():
        raise SourceError(f"{source.file}: the document is empty (source '{source.id}')")
    results = []
    text, encoding = (None, "binary")
    replaced: list[Warning_] = []
    for part in source.parts:
        reader = READERS[part.form]
        origin = Origin(source=source.id, file=source.file)
        if reader.binary:
            result = _parse(reader, data, part, origin)
        else:
            if text is None:
                text, encoding = decode(data, source.file, source.encoding or None, source.language)
                if not text.strip():
                    raise SourceError(f"{source.file}: the document is empty (source '{source.id}')")
                replaced = _replaced_bytes(text, source)
            chunk, first_line = _slice(text, part, source.file)
            result = _parse(reader, chunk, part, replace(origin, first_line=first_line))
        results.append(_finish(result, part))
    return ReadResult(
        records=[r for res in results for r in res.records],
        rejections=[r for res in results for r in res.rejections],
        skipped=[s for res in results for s in res.skipped],
        warnings=[*replaced, *(w for res in results for w in res.warnings)],
        unit_counts=[u for res in results for u in res.unit_counts],
        lines_read=len(text.split("\n")) if text is not None else sum(r.lines_read for r in results),
        encoding=encoding,
    )


def _parse(reader: Reader, data, part, origin: Origin) -> ReadResult:
    """A reader's result; whatever a document makes it fail on becomes a SourceError naming the file."""
    try:
        return reader.parse(data, part, origin)
    except SourceError:
        raise
    except RecursionError:
        raise SourceError(f"{origin.file}: nested too deep to read (thousands of levels)") from None
    except Exception as exc:  # noqa: BLE001 - no input may end the build in a traceback
        raise SourceError(f"{origin.file}: the {part.form} reader could not read this document "
                          f"({type(exc).__name__}: {exc})") from None


def _replaced_bytes(text: str, source) -> list[Warning_]:
    """A warning for each line holding bytes that were not of the document's encoding (now U+FFFD)."""
    return [Warning_(source.id, source.file, number, line.strip(),
                     f"{line.count(chr(0xFFFD))} byte(s) not of the document's encoding replaced by U+FFFD")
            for number, line in enumerate(text.split("\n"), 1) if "\ufffd" in line]


def _finish(result: ReadResult, part) -> ReadResult:
    """What every form shares after reading: the part's defaults for roles the document leaves
    implicit, and skip rules on a role's value ({ role = ..., pattern = ... })."""
    rules = [r for r in skip_rules(part) if r.role]
    kept = []
    for record in result.records:
        fields = {**part.defaults, **{k: _text(v) for k, v in record.fields.items() if v}}
        rule = next((r for r in rules if r.matches_record(fields)), None)
        if rule:
            result.skipped.append(Skip(record.source, record.file, record.line, record.text, rule.reason,
                                       record.where))
        else:
            kept.append(replace(record, fields=fields, text=_text(record.text)))
    result.records[:] = kept
    return result


def _text(value: str) -> str:
    """A value with lone surrogates (a JSON escape like \\ud800 alone) made U+FFFD: they cannot be written."""
    if any("\ud800" <= c <= "\udfff" for c in value):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


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
