"""Agreement kinds as written -> concepts of the scheme in ontology/agreement-kinds.ttl."""

from __future__ import annotations

import re
from functools import cache

from ..text import fold
from .skos import labels

KIND_BASE = "https://w3id.org/partnerkg/id/kind/"


@cache
def _labels() -> list[tuple[str, str]]:
    """(folded label, kind id), longest label first so that the most specific wins."""
    return sorted(labels("agreement-kinds.ttl", KIND_BASE), key=lambda p: (-len(p[0]), p))


def lookup(text: str) -> list[str]:
    """The kinds a source's kind text names, in order of appearance.

    >>> lookup("LLP-Erasmus Bilateral Agreement"), lookup("Echange + Double diplôme")
    (['erasmus-bilateral'], ['exchange', 'double-degree'])
    >>> lookup("Renouvellement Accord bilatéral"), lookup("Modélisation en Science des Matériaux")
    (['renewal', 'bilateral'], [])
    """
    remaining = f" {fold(text)} "
    found: list[tuple[int, str]] = []
    for label, kind_id in _labels():
        match = re.search(rf" {re.escape(label)} ", remaining)
        if match:
            found.append((match.start(), kind_id))
            # blank the match out so that a shorter label inside it does not match again
            remaining = remaining[: match.start()] + " " + "#" * (len(label)) + " " + remaining[match.end():]
    ordered = []
    for _, kind_id in sorted(found):
        if kind_id not in ordered:
            ordered.append(kind_id)
    return ordered
