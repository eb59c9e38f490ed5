"""Partner names as the sources wrote them: folded spaces, OCR marks stripped."""

from __future__ import annotations

import re

from ..reference.lexicon import starts_with_head
from ..text import fold_spaces

# A leading "*" marks a fee waiver in 002; PDF extraction sometimes read the star as a capital
# "I" or left a stray capital before the name ("ICollège", "*DUniversité"): a capital followed by
# a capitalised word is such a mark when dropping it leaves a name starting with a known head word.
_STAR = re.compile(r"^\s*\*\s*")
_STRAY = re.compile(r"^([A-Z])(?=[A-ZÉÈ][a-zà-ÿ])")
# A PDF-to-spreadsheet conversion splits a word after its capital ("W uhan University"); a lone
# consonant is no word in the languages of these lists.
_SPLIT_CAPITAL = re.compile(r"(?<!\S)([B-DF-HJ-NP-TV-XZ]) ([a-z]{2,})")


def clean(text: str) -> tuple[str, bool]:
    """The name to keep verbatim, and whether it carried a fee-waiver mark.

    >>> clean("*Université de Technologie\\n de Dresde")
    ('Université de Technologie de Dresde', True)
    >>> clean("ICollège Impérial de Londres")
    ('Collège Impérial de Londres', True)
    >>> clean("*DUniversité de Technologie de Darmstadt")
    ('Université de Technologie de Darmstadt', True)
    >>> clean("IHP – Innovations pour la Microélectronique")
    ('IHP – Innovations pour la Microélectronique', False)
    >>> clean("W uhan University"), clean("\tFH JOANNEUM - University of Applied Sciences")[0]
    (('Wuhan University', False), 'FH JOANNEUM - University of Applied Sciences')
    """
    name = _SPLIT_CAPITAL.sub(r"\1\2", fold_spaces(text))
    marked = bool(_STAR.match(name))
    name = _STAR.sub("", name)
    stray = _STRAY.match(name)
    if stray and starts_with_head(name[1:]):
        name = name[1:]
        marked = marked or stray[1] == "I"
    return name.strip(), marked
