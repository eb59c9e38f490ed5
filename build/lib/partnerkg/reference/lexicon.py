"""The one word list of institution names (data/words.toml), and the questions the other stages ask of it:
words by the part they play in a name ([roles]) and generic words by meaning ([type], [distinguishing], [stop])."""

from __future__ import annotations

import re
import tomllib
from functools import cache

from rapidfuzz import fuzz, process

from ..paths import DATA
from ..text import fold, words


@cache
def _words() -> dict:
    return tomllib.loads((DATA / "words.toml").read_text(encoding="utf-8"))


@cache
def _lists() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """Each list of [roles] as (whole words, prefixes)."""
    lists = {}
    for name, entries in _words()["roles"].items():
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


# --- generic words by meaning ([type], [distinguishing], [stop]), for reading what a name means ---


@cache
def generic_lexicon() -> tuple[dict[str, set[str]], tuple[tuple[str, tuple[str, ...]], ...], frozenset[str]]:
    """The generic words: (whole word -> meanings, (meaning, its prefixes) pairs, stop words)."""
    data = _words()
    whole: dict[str, set[str]] = {}
    prefixes: dict[str, list[str]] = {}
    for section in ("type", "distinguishing"):
        for meaning, entries in data[section].items():
            label = f"{section}:{meaning}"
            for entry in entries:
                if entry.endswith("*"):
                    prefixes.setdefault(label, []).append(fold(entry[:-1]))
                else:
                    whole.setdefault(fold(entry), set()).add(label)
    grouped = tuple((label, tuple(starts)) for label, starts in prefixes.items())
    return whole, grouped, frozenset(fold(w) for w in data["stop"]["words"])


@cache
def meanings(word: str) -> frozenset[str]:
    """The generic meanings of a folded word ("type:university", "distinguishing:technology").

    A long word one letter off a generic word means the same ("technico", "universitet").

    >>> sorted(meanings("technico")), sorted(meanings("universiteit"))
    (['distinguishing:technology'], ['type:university'])
    """
    whole, prefixes, _ = generic_lexicon()
    found = set(whole.get(word, ()))
    found.update(label for label, starts in prefixes if word.startswith(starts))
    if not found and len(word) >= 7:
        close = process.extractOne(word, list(whole), scorer=fuzz.ratio, score_cutoff=86)
        if close:  # the near word's meanings, whole and by prefix ("politcnica" is "politecnica")
            found.update(whole[close[0]])
            found.update(label for label, starts in prefixes if close[0].startswith(starts))
    return frozenset(found)


def is_generic(word: str) -> bool:
    return bool(meanings(word)) or word in generic_lexicon()[2]
