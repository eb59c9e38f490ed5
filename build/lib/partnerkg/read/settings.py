"""Reader settings: one typed, frozen record, one meaning per name across the readers. Each form
accepts a subset (``Reader.settings``); values are checked when the record is made, so a bad value
is an error naming the key before anything is read."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..errors import ManifestError
from ..model import ROLES


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        return "" if value in allowed else f"one of {', '.join(repr(a) for a in allowed)}"
    return check


def _one_character(value: Any) -> str:
    return "" if isinstance(value, str) and len(value) == 1 else 'one character (e.g. ";" or "\\t")'


def _header(value: Any) -> str:
    names = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
    return "" if isinstance(value, bool) or names else "true, false, or a list of the header's cell texts"


def _sheet(value: Any) -> str:
    ok = (isinstance(value, str) and value) or (type(value) is int and value >= 1)
    return "" if ok else "a sheet's name, or its position from 1"


def _gap(value: Any) -> str:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1000
    return "" if ok else "a number of points above 0"


def _text(value: Any) -> str:
    return "" if isinstance(value, str) else "a text"


def _skip(value: Any) -> str:
    """Regexes of rows to pass over, or tables { role, pattern, reason }."""
    if not isinstance(value, list):
        return "a list of regular expressions or { role, pattern, reason } tables"
    for n, entry in enumerate(value, 1):
        spec = entry if isinstance(entry, dict) else {"pattern": entry}
        unknown = sorted(set(spec) - {"role", "pattern", "reason"})
        if unknown:
            return f"entry #{n} has unknown key(s) {unknown}; allowed: role, pattern, reason"
        if spec.get("role", "") not in ("", *ROLES):
            return f"entry #{n}: role {spec['role']!r} is not a role; allowed: {', '.join(ROLES)}"
        if not isinstance(spec.get("pattern"), str) or not spec["pattern"]:
            return f"entry #{n}: a non-empty regular expression as its pattern"
        try:
            re.compile(spec["pattern"])
        except re.error as exc:
            return f"entry #{n}: a regular expression ({spec['pattern']!r}: {exc})"
    return ""


CHECKS: dict[str, Callable[[Any], str]] = {
    "skip": _skip,
    "separator": _one_character,
    "quote": _one_character,
    "header": _header,
    "records": _text,
    "syntax": _choice("auto", "json", "json5"),
    "tables": _choice("auto", "ruled", "text"),
    "rows": _choice("table", "by-content"),
    "gap": _gap,
    "sheet": _sheet,
}


def check_setting(name: str, value: Any) -> str:
    """What ``value`` should have been, or '' when it is fine.

    >>> print(check_setting("separator", ";;"))
    one character (e.g. ";" or "\\t")
    >>> print(check_setting("skip", ["(unclosed"]))
    entry #1: a regular expression ('(unclosed': missing ), unterminated subpattern at position 0)
    >>> print(check_setting("sheet", 0)), check_setting("sheet", "Partners")
    a sheet's name, or its position from 1
    (None, '')
    """
    return CHECKS[name](value)


@dataclass(frozen=True)
class Settings:
    """A part's reader settings (the manifest's ``settings = { ... }``), every one with its default."""

    skip: tuple = ()  # rows to pass over: regexes (any case), or { role, pattern, reason } tables
    header: bool | tuple[str, ...] | None = None  # None: found by the column names; a list: the header's cells
    separator: str = ""  # delimited: one character; "" guesses it
    quote: str = '"'  # delimited
    records: str = ""  # json, yaml: the path of the records ("results", "data.items", "years.*.courses")
    syntax: str = "auto"  # json: "json", "json5" or "auto"
    tables: str = "auto"  # pdf: "ruled", "text" or "auto"
    rows: str = "table"  # pdf: "table", or "by-content" when labels may have slid
    gap: float = 2.0  # pdf text: the gap (points) that ends a cell
    sheet: str | int = 1  # xlsx: a sheet's name, or its position from 1

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value != item.default and (expected := check_setting(item.name, _as_toml(value))):
                raise ManifestError(f"setting '{item.name}' = {_as_toml(value)!r}: expected {expected}")


def settings_from(table: Mapping[str, Any], allowed: frozenset[str], where: str = "") -> Settings:
    """The Settings of a manifest table; keys outside ``allowed`` (the form's) are errors.

    >>> settings_from({"separator": ";"}, frozenset({"separator", "skip"})).separator
    ';'
    >>> settings_from({"seperator": ";"}, frozenset({"separator", "skip"}))
    Traceback (most recent call last):
    ...
    partnerkg.errors.ManifestError: unknown setting(s) ['seperator']; allowed: separator, skip
    """
    prefix = f"{where}: " if where else ""
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ManifestError(f"{prefix}unknown setting(s) {unknown}; allowed: {', '.join(sorted(allowed)) or 'none'}")
    values = {}
    for name, value in table.items():
        if expected := check_setting(name, value):
            raise ManifestError(f"{prefix}setting '{name}' = {value!r}: expected {expected}")
        values[name] = tuple(value) if isinstance(value, list) else value
    return Settings(**values)


def _as_toml(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
