"""Split a table cell in which PDF extraction ran several establishments together.

"Collège des Sciences Sociales, Université Kookmin Institut de Droit, Académie des Sciences
Sociales de Chine" is two establishments: a new one begins at a word naming a body ("Institut")
that follows a capitalised word ending the previous name ("Kookmin"), not a comma, a function word
or an open bracket. Only head words that come first in their language start a new name.
"""

from __future__ import annotations

from ..reference.lexicon import has_head_word, is_generic, is_glue, is_word, starts_with_head
from ..text import fold, words


def split_establishments(cell: str) -> list[str]:
    """The establishments named in a cell, in order.

    >>> split_establishments("Faculté de Médecine, Université de Toronto Faculté de Médecine, Université d'Ottawa")
    ['Faculté de Médecine, Université de Toronto', "Faculté de Médecine, Université d'Ottawa"]
    >>> split_establishments("Institut de Technologie du Nord-est (Université du Nord-est)")
    ['Institut de Technologie du Nord-est (Université du Nord-est)']
    >>> split_establishments("Université Médicale de Hubei Deuxième Université Médicale de Shanghai")
    ['Université Médicale de Hubei', 'Deuxième Université Médicale de Shanghai']
    >>> split_establishments("Max-Planck Institute für Metallforschung")
    ['Max-Planck Institute für Metallforschung']
    >>> split_establishments("Institut National Polytechnique de Lorraine")
    ['Institut National Polytechnique de Lorraine']
    >>> split_establishments("Institut de Physique Nucléaire, Université Polytechnique de Tomsk")
    ['Institut de Physique Nucléaire, Université Polytechnique de Tomsk']
    >>> split_establishments("Collège de Pharmacie, Université de Chungbuk Collège de Pharmacie, Université Ajou")
    ['Collège de Pharmacie, Université de Chungbuk', 'Collège de Pharmacie, Université Ajou']
    >>> split_establishments("Institut Dentaire de Londres, King's College")
    ["Institut Dentaire de Londres, King's College"]
    """
    tokens = cell.split()
    names: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        current = names[-1]
        if current and _starts_new(current, tokens[i:]):
            if len(current) > 1 and is_word(fold(current[-1]), "ordinal"):
                names.append([current.pop()])  # the ordinal belongs to the next name
            else:
                names.append([])
        names[-1].append(token)
    return [" ".join(n) for n in names if n]


def _starts_new(current: list[str], rest: list[str]) -> bool:
    token, previous = rest[0], current[-1]
    text = " ".join(current)
    if not token[:1].isupper() or (is_word(fold(token), "trailing") and not _leads(rest)):
        return False
    if not starts_with_head(" ".join(rest)):
        return False
    if previous.endswith((",", "-", "/", "–", "'")) or is_glue(previous.strip("()\"")):
        return False
    if text.count("(") > text.count(")") or text.count('"') % 2:
        return False
    # a name is complete only once it holds a word of its own ("Institut National" is not)
    last_part = text.rsplit(",", 1)[-1]
    return previous[:1].isupper() and has_head_word(text) and any(not _generic(w) for w in words(last_part))


def _leads(rest: list[str]) -> bool:
    """Whether a head word that usually follows its name leads one here: "Collège de Pharmacie"."""
    following = rest[1] if len(rest) > 1 else ""
    return is_glue(following) or following[:2].lower() in ("d'", "l'", "d’", "l’")


def _generic(word: str) -> bool:
    return is_generic(word) or is_word(word, "head") or is_word(word, "institution")
