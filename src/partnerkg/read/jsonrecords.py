"""JSON and JSON Lines records; the manifest gives the path to the records and to each field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import Rejection
from ..model import ReadResult, Record
from .base import Origin, read_text


def parse_json(text: str, part, origin: Origin) -> ReadResult:
    """Records from a JSON document. Setting ``records``: dotted path to the list ("" = the root)."""
    result = ReadResult(lines_read=text.count("\n") + 1)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        result.rejections.append(Rejection(origin.source, origin.file, origin.first_line + exc.lineno - 1,
                                           "", f"not valid JSON: {exc.msg}"))
        return result
    items = _get(document, part.settings.get("records", ""))
    if not isinstance(items, list):
        result.rejections.append(Rejection(origin.source, origin.file, origin.first_line, "",
                                           f"setting 'records' = {part.settings.get('records', '')!r} is not a list"))
        return result
    lines = _item_lines(text, items, origin.first_line) if part.settings.get("records", "") == "" else None
    for n, item in enumerate(items):
        line = lines[n] if lines else origin.first_line
        _add(result, item, part, origin, line, json.dumps(item, ensure_ascii=False))
    return result


def parse_jsonl(text: str, part, origin: Origin) -> ReadResult:
    """Records from JSON Lines: one JSON object a line."""
    result = ReadResult(lines_read=text.count("\n") + 1)
    for number, line in enumerate(text.split("\n"), origin.first_line):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            result.rejections.append(Rejection(origin.source, origin.file, number, line, f"not valid JSON: {exc.msg}"))
            continue
        _add(result, item, part, origin, number, line)
    return result


def _add(result: ReadResult, item: Any, part, origin: Origin, line: int, text: str) -> None:
    if not isinstance(item, dict):
        result.rejections.append(Rejection(origin.source, origin.file, line, text, "expected a JSON object"))
        return
    fields = {}
    for role, path in part.columns.items():
        value = _get(item, str(path))
        fields[role] = "" if value is None else str(value)
    if not fields.get("partner", "").strip():
        result.rejections.append(Rejection(origin.source, origin.file, line, text, "no partner institution named"))
        return
    result.records.append(Record(origin.source, origin.file, line, text, fields))


def _get(value: Any, path: str) -> Any:
    for key in [k for k in path.split(".") if k]:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def _item_lines(text: str, items: list, first_line: int) -> list[int]:
    """The line on which each element of a root array starts."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    lines = []
    for _ in items:
        while text[position] in " \t\r\n,":
            position += 1
        lines.append(first_line + text.count("\n", 0, position))
        _, position = decoder.raw_decode(text, position)
    return lines


def read_json(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_json(text, part, origin)


def read_jsonl(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_jsonl(text, part, origin)
