"""Agreement kinds as written -> concepts of the scheme in ontology/agreement-kinds.ttl.

A manifest may add its own labels (``[kinds]``): they are passed in as ``extra`` pairs of
(folded label, kind id) and matched like the scheme's own.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ..text import fold
from .skos import labels

KIND_BASE = "https://w3id.org/partnerkg/id/kind/"

Labels = tuple[tuple[str, str], ...]


@cache
def _labels(extra: Labels = ()) -> list[tuple[str, str]]:
    """(folded label, kind id), longest label first so that the most specific wins."""
    return sorted(set(labels("agreement-kinds.ttl", KIND_BASE)) | set(extra), key=lambda p: (-len(p[0]), p))


@cache
def concept_ids() -> tuple[str, ...]:
    """The ids of the scheme's concepts.

    >>> "erasmus-bilateral" in concept_ids()
    True
    """
    return tuple(sorted({kind_id for _, kind_id in labels("agreement-kinds.ttl", KIND_BASE)}))


def lookup(text: str, extra: Labels = ()) -> list[str]:
    """The kinds a source's kind text names, in order of appearance.

    >>> lookup("LLP-Erasmus Bilateral Agreement"), lookup("Echange + Double diplôme")
    (['erasmus-bilateral'], ['exchange', 'double-degree'])
    >>> lookup("Renouvellement Accord bilatéral"), lookup("Modélisation en Science des Matériaux")
    (['renewal', 'bilateral'], [])
    >>> lookup("AB/ER", (("ab", "bilateral"), ("er", "erasmus-bilateral")))
    ['bilateral', 'erasmus-bilateral']
    """
    return [kind_id for _, kind_id in _matches(text, extra)]


def exact(text: str, extra: Labels = ()) -> list[str]:
    """The kinds of a text that says nothing but kinds (a kind heading of a web page), else [].

    >>> exact("Erasmus"), exact("Doppelabschluss Master"), exact("University of Erasmus")
    (['erasmus-bilateral'], ['double-degree'], [])
    """
    matches = _matches(text, extra)
    covered = " ".join(label for label, _ in matches)
    rest = set(fold(text).split()) - set(covered.split()) - {"and", "et", "und", "y", "e"}
    return [kind_id for _, kind_id in matches] if matches and not rest else []


@lru_cache(maxsize=8192)  # a document writes a few kind texts on thousands of rows
def _matches(text: str, extra: Labels) -> tuple[tuple[str, str], ...]:
    remaining = f" {fold(text)} "
    found: list[tuple[int, str, str]] = []
    for label, kind_id in _labels(tuple(sorted(extra))):
        match = re.search(rf" {re.escape(label)} ", remaining)
        if match:
            found.append((match.start(), label, kind_id))
            # blank the match out so that a shorter label inside it does not match again
            remaining = remaining[: match.start()] + " " + "#" * (len(label)) + " " + remaining[match.end():]
    ordered: list[tuple[str, str]] = []
    for _, label, kind_id in sorted(found):
        if kind_id not in [k for _, k in ordered]:
            ordered.append((label, kind_id))
    return tuple(ordered)
