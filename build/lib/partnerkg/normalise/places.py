"""Places offered by an agreement, and how long a stay lasts, as lists write them.

"2", "1/2", "6/8" -> a minimum and a maximum; "2 Plätze / 5 Monate" -> 2 places of 5 months;
"(2,6)" (places, months) -> 2 places. Text that holds no number ("Auf Anfrage", on request) is
kept as written: it is not a reason to lose the agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RANGE = re.compile(r"^\s*(\d+)\s*(?:[/\-–à]|to)\s*(\d+)\s*$")
_ONE = re.compile(r"^\s*(\d+)\s*$")
_PAIR = re.compile(r"^\s*\(\s*(\d+)\s*[,;]\s*(\d+)\s*\)\s*$")
_MONTH_WORDS = r"(?:months?|monate?n?|mois|meses|mes|mesi|miesi\w*|maanden|m[aå]nader|kk|m)\b"
_MONTHS = re.compile(rf"(\d+)\s*{_MONTH_WORDS}", re.IGNORECASE)
_COUNT = re.compile(r"^\s*(\d+)\s*[^\d\s/,;-]*\s*$")


@dataclass(frozen=True)
class Places:
    low: int | None = None
    high: int | None = None
    note: str = ""  # the text, when it is not a plain number or range


def parse(text: str) -> Places:
    """Minimum and maximum places.

    >>> parse("2"), parse("1/2"), parse("")
    (Places(low=2, high=2, note=''), Places(low=1, high=2, note=''), Places(low=None, high=None, note=''))
    >>> parse("2 Plätze  / 5 Monate"), parse("(2,6)").low, parse("Auf Anfrage")
    (Places(low=2, high=2, note=''), 2, Places(low=None, high=None, note='Auf Anfrage'))
    """
    text = text.strip()
    if not text:
        return Places()
    if match := _ONE.match(text):
        return Places(int(match[1]), int(match[1]))
    if match := _RANGE.match(text):
        low, high = sorted((int(match[1]), int(match[2])))
        return Places(low, high)
    if match := _PAIR.match(text):
        return Places(int(match[1]), int(match[1]))
    without_months = _MONTHS.sub("", text).strip(" /,;")
    if match := (_ONE.match(without_months) or _COUNT.match(without_months)):
        return Places(int(match[1]), int(match[1]))
    return Places(note=text)


def months(text: str) -> int | None:
    """How many months a stay lasts: a number alone, a number of months, or the second of "(places, months)".

    >>> months("10"), months("2 Plätze / 5 Monate"), months("(2,6)"), months("12 o 18"), months("")
    (10, 5, 6, 12, None)
    """
    if match := _ONE.match(text):
        return int(match[1])
    if match := _PAIR.match(text):
        return int(match[2])
    if match := _MONTHS.search(text):
        return int(match[1])
    if match := re.match(r"^\s*(\d+)\b", text):
        return int(match[1])
    return None
