"""Erasmus institution codes ("D  MUNCHEN02"): every written form -> the canonical code.

A code is the country letters (one to three: the pre-2014 prefixes "D", "SF", "IRL" or an ISO
code), a city of up to eight letters (hyphens allowed), and a number. Lists write them with one
or two spaces, an underscore, a space before the number, or several in one cell. The canonical
form pads the country letters to three characters, as the Erasmus charter does.
"""

from __future__ import annotations

import re

from .countries import ERASMUS_LETTERS, lookup

_CODE = re.compile(r"(?<![A-Z])([A-Z]{1,3})[\s_]*([A-Z][A-Z\-]{1,9}?)\s?(\d{2,3})(?!\d)")


def parse(text: str) -> list[str]:
    """The canonical Erasmus codes written in a text, in order.

    >>> parse("D  MUNCHEN02"), parse("D_FREIBUR01"), parse("HR ZAGREB 01 "), parse("E  ALCAL-H01")
    (['D  MUNCHEN02'], ['D  FREIBUR01'], ['HR ZAGREB01'], ['E  ALCAL-H01'])
    >>> parse("F LILLE01/ F LILLE103"), parse("SF HELSINK01"), parse("IRL DUBLIN01"), parse("n/a")
    (['F  LILLE01', 'F  LILLE103'], ['SF HELSINK01'], ['IRL DUBLIN01'], [])
    """
    codes = []
    for match in _CODE.finditer(text.upper()):
        letters, city, number = match.groups()
        if country(letters) is None:
            continue
        code = f"{letters:<3}{city}{number}" if len(letters) < 3 else f"{letters} {city}{number}"
        if code not in codes:
            codes.append(code)
    return codes


def country(letters: str) -> str | None:
    """The ISO code of an Erasmus code's country letters.

    >>> country("D"), country("SF"), country("TR"), country("XY")
    ('DE', 'FI', 'TR', None)
    """
    letters = letters.strip().upper()
    return ERASMUS_LETTERS.get(letters) or (lookup(letters) if len(letters) == 2 else None)
