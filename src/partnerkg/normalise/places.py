"""Places offered by an agreement: "2", "1/2", "6/8", "" -> (minimum, maximum)."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^\s*(\d+)\s*(?:[/\-–à]|to)\s*(\d+)\s*$")
_ONE = re.compile(r"^\s*(\d+)\s*$")


def parse(text: str) -> tuple[int | None, int | None]:
    """Minimum and maximum places.

    >>> parse("2"), parse("1/2"), parse("6/8"), parse("")
    ((2, 2), (1, 2), (6, 8), (None, None))
    >>> parse("lots")
    Traceback (most recent call last):
    ...
    ValueError: places 'lots' is not a number or a range such as '1/2'
    """
    if not text.strip():
        return None, None
    if match := _ONE.match(text):
        return int(match[1]), int(match[1])
    if match := _RANGE.match(text):
        low, high = sorted((int(match[1]), int(match[2])))
        return low, high
    raise ValueError(f"places {text!r} is not a number or a range such as '1/2'")
