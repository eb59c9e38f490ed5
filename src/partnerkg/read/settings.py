"""What each reader setting may hold. One meaning per name across the readers, checked when the
manifest is loaded, so a bad value is an error naming the key before anything is read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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
