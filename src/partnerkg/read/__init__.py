"""Read: one reader per document form, chosen from the manifest by the READERS registry.

Every reader module has a pure ``parse_<form>(text, part, origin)`` returning a ReadResult, and a
thin ``read_<form>(path, part)`` for use on its own. ``read_source`` runs the parts of a manifest
source through their readers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import SourceError
from ..model import ReadResult
from ..text import decode, fold_spaces
from .base import Origin
from .delimited import parse_delimited
from .jsonrecords import parse_json, parse_jsonl
from .markdown_table import parse_markdown_table
from .pdf_table import parse_pdf_table
from .sectioned import parse_sectioned
from .xlsx import parse_xlsx


@dataclass(frozen=True)
class Reader:
    parse: Callable[..., ReadResult]
    binary: bool = False  # parse takes bytes, not text


READERS: dict[str, Reader] = {
    "markdown-table": Reader(parse_markdown_table),
    "delimited": Reader(parse_delimited),
    "json": Reader(parse_json),
    "jsonl": Reader(parse_jsonl),
    "xlsx": Reader(parse_xlsx, binary=True),
    "sectioned": Reader(parse_sectioned),
    "pdf-table": Reader(parse_pdf_table),
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
            chunk, first_line = _slice(text, part, source.file)
            result = reader.parse(chunk, part, replace(origin, first_line=first_line))
        if part.defaults:
            result.records[:] = [replace(r, fields={**part.defaults, **{k: v for k, v in r.fields.items() if v}})
                                 for r in result.records]
        results.append(result)
    return ReadResult(
        records=[r for res in results for r in res.records],
        rejections=[r for res in results for r in res.rejections],
        warnings=[w for res in results for w in res.warnings],
        unit_counts=[u for res in results for u in res.unit_counts],
        lines_read=len(text.split("\n")) if text is not None else sum(r.lines_read for r in results),
        encoding=encoding,
    )


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
