"""The word lists of data/lexicon.toml, and the questions the other stages ask of them."""

from __future__ import annotations

import re
import tomllib
from functools import cache

from .paths import DATA
from .text import fold, words


@cache
def _lists() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Each list as (whole words, prefixes)."""
    data = tomllib.loads((DATA / "lexicon.toml").read_text(encoding="utf-8"))
    lists = {}
    for name, entries in data.items():
        whole = frozenset(fold(e) for e in entries if not e.endswith("*"))
        prefixes = tuple(fold(e[:-1]) for e in entries if e.endswith("*"))
        lists[name] = (whole, prefixes)
    return lists


def is_word(word: str, list_name: str) -> bool:
    """Whether a folded word is in a list (a whole word, or one starting with a listed prefix)."""
    whole, prefixes = _lists()[list_name]
    return word in whole or word.startswith(prefixes)


_GERMAN_ADJECTIVE_UNIT = re.compile(r"^\w+ische[n]?\s+(Fakultät|Institut|Abteilung)", re.IGNORECASE)


def starts_with_head(name: str) -> bool:
    """Whether a name begins with a word naming a body ("Faculté ...", "Université ...").

    >>> starts_with_head("Faculté de Droit"), starts_with_head("Juristischen Fakultät der X")
    (True, True)
    >>> starts_with_head("Politique de Londres")
    False
    """
    first = words(name)[:1]
    if not first:
        return False
    return (
        is_word(first[0], "head")
        or is_word(first[0], "institution")
        or bool(_GERMAN_ADJECTIVE_UNIT.match(name))
    )


def has_institution_word(name: str) -> bool:
    """Whether a name holds a word that makes it an institution in its own right."""
    return any(is_word(w, "institution") for w in words(name))


def has_head_word(name: str) -> bool:
    return any(is_word(w, "head") or is_word(w, "institution") for w in words(name))


def has_discipline_word(name: str) -> bool:
    return any(is_word(w, "discipline") for w in words(name))


def is_glue(word: str) -> bool:
    return is_word(fold(word), "glue")


def has_unit_word(name: str) -> bool:
    return any(is_word(w, "unit") for w in words(name))


def starts_with_unit_word(name: str) -> bool:
    first = words(name)[:1]
    return bool(first) and is_word(first[0], "unit")
