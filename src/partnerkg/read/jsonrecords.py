"""Records in JSON, JSON Lines, JavaScript data modules and YAML (front matter included).

The manifest says where the records are (``records``: a dotted path, ``*`` for every element or
value, e.g. ``results``, ``data.items``, ``years.*.semesters.*.courses``) and where each role's
value is in a record (a dotted path; ``../name`` is a field of the object the nearest ``*``
matched, ``../@key`` that object's key). Each record's provenance is its JSON pointer
(``#/results/17``), and the line it starts on where it can be found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Rejection, Skip
from ..model import ReadResult, Record
from .base import Origin, combine, read_text, skip_rules

SETTINGS = frozenset({"records", "skip", "syntax"})
_JS_PREFIX = re.compile(r"^\s*(?:export\s+default\s+|export\s+(?:const|let|var)\s+[\w$]+\s*=\s*|"
                        r"(?:const|let|var)\s+[\w$]+\s*=\s*|module\.exports\s*=\s*)")


def parse_json(text: str, part, origin: Origin) -> ReadResult:
    """Records from a JSON document, or a JavaScript module exporting one (read with json5)."""
    try:
        document = _load_json(text, part.settings.syntax)
    except ValueError as exc:
        return _unreadable(text, origin, f"not valid JSON: {exc}")
    return records_from(document, text, part, origin)


def parse_yaml(text: str, part, origin: Origin) -> ReadResult:
    """Records from a YAML document; of a Markdown page, its front matter."""
    import yaml

    try:
        documents = [d for d in yaml.safe_load_all(_front_matter(text)) if d is not None]
    except yaml.YAMLError as exc:
        return _unreadable(text, origin, f"not valid YAML: {exc}".replace("\n", " "))
    return records_from(documents[0] if documents else None, text, part, origin)


def parse_jsonl(text: str, part, origin: Origin) -> ReadResult:
    """Records from JSON Lines: one JSON object a line."""
    result = ReadResult(lines_read=text.count("\n") + 1)
    for number, line in enumerate(text.split("\n"), origin.first_line):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            result.rejections.append(Rejection(origin.source, origin.file, number, line, f"not valid JSON: {exc.msg}",
                                               f"line {number}"))  # (named as the lines it reads are)
            continue
        _add(result, item, (), part, origin, number, "", line)
    return result


def records_from(document: Any, text: str, part, origin: Origin) -> ReadResult:
    """The records of a parsed document, with their pointers and (where found) lines."""
    result = ReadResult(lines_read=text.count("\n") + 1)
    path = part.settings.records
    found = list(_select(document, [k for k in path.split(".") if k], "", ()))
    if not found:
        return _unreadable(text, origin, f"setting 'records' = {path!r} finds no records in the document")
    position = 0
    for pointer, item, ancestors in found:
        position, line = _locate(text, item, position, origin.first_line)
        verbatim = json.dumps(item, ensure_ascii=False)
        _add(result, item, ancestors, part, origin, line, pointer, verbatim)
    return result


def _add(result: ReadResult, item: Any, ancestors: tuple, part, origin: Origin, line: int, pointer: str,
         text: str) -> None:
    where = f"#{pointer}" if pointer else f"line {line}"
    if not isinstance(item, dict):
        result.rejections.append(Rejection(origin.source, origin.file, line, text,
                                           f"expected an object, found {type(item).__name__}", where))
        return
    fields: dict[str, str] = {}
    for role, spec in part.columns.items():
        values = [_field(item, ancestors, str(p)) for p in (spec if isinstance(spec, list) else [spec])]
        bad = next((v for v in values if isinstance(v, dict)), None)
        if bad is not None:
            result.rejections.append(Rejection(origin.source, origin.file, line, text,
                                               f"field {spec!r} ({role}) holds an object, expected text", where))
            return
        fields[role] = combine(role, [_text(v) for v in values])
    rule = next((r for r in skip_rules(part) if r.matches_record(fields) or r.matches_text(text)), None)
    if rule:
        result.skipped.append(Skip(origin.source, origin.file, line, text, rule.reason, where))
    elif not fields.get("partner", "").strip():
        result.rejections.append(Rejection(origin.source, origin.file, line, text, "no partner institution named",
                                           where))
    else:
        result.records.append(Record(origin.source, origin.file, line, text, fields, locator=pointer))


def _select(node: Any, steps: list[str], pointer: str, ancestors: tuple) -> Iterator[tuple[str, Any, tuple]]:
    """(pointer, record, wildcard ancestors) for every record under ``steps``."""
    if not steps:
        if isinstance(node, list):
            for n, item in enumerate(node):
                yield f"{pointer}/{n}", item, ancestors
        elif node is not None:
            yield pointer, node, ancestors
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            yield from _select(child, rest, f"{pointer}/{_escape(key)}", (*ancestors, (key, child)))
    elif isinstance(node, dict) and step in node:
        yield from _select(node[step], rest, f"{pointer}/{_escape(step)}", ancestors)
    elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
        yield from _select(node[int(step)], rest, f"{pointer}/{step}", ancestors)


def _field(item: dict, ancestors: tuple, path: str) -> Any:
    """A field of a record: a dotted path, ``../`` steps up to the objects ``*`` matched, ``@key``."""
    key: Any = None
    value: Any = item
    while path.startswith("../"):
        path = path[3:]
        if not ancestors:
            return None
        key, value = ancestors[-1]
        ancestors = ancestors[:-1]
    if path == "@key":
        return key
    for step in [s for s in path.split(".") if s]:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def _text(value: Any) -> str:
    """A field's value as text: a list of values is listed, nothing is empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if v not in (None, ""))
    return str(value)


def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _locate(text: str, item: Any, position: int, first_line: int) -> tuple[int, int]:
    """Where a record starts, found by its first text value after the previous record."""
    probe = next((v for v in (item.values() if isinstance(item, dict) else [item])
                  if isinstance(v, str) and len(v.strip()) > 2), None)
    if probe is not None:
        for needle in (probe.split("\n")[0], json.dumps(probe, ensure_ascii=False)[1:-1].split("\\n")[0]):
            found = text.find(needle, position)
            if found >= 0:
                position = found
                break
    return position, first_line + text.count("\n", 0, position)


def _load_json(text: str, syntax: str) -> Any:
    if syntax != "json5":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if syntax == "json":
                raise ValueError(f"{exc.msg} (line {exc.lineno})") from None
    import json5

    body = _JS_PREFIX.sub("", text, count=1).strip().rstrip(";").strip()
    try:
        return json5.loads(body)
    except ValueError as exc:
        raise ValueError(f"neither JSON nor a JavaScript data literal (json5): {exc}") from None


def _front_matter(text: str) -> str:
    """The YAML of a document: its front matter if it opens with one ('---' ... '---')."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((n for n, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), len(lines))
        return "\n".join(lines[1:end])
    return text


def _unreadable(text: str, origin: Origin, reason: str) -> ReadResult:
    return ReadResult(rejections=[Rejection(origin.source, origin.file, origin.first_line, "", reason)],
                      lines_read=text.count("\n") + 1)


def read_json(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_json(text, part, origin)


def read_jsonl(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_jsonl(text, part, origin)


def read_yaml(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_yaml(text, part, origin)
