"""The review loop: near-misses ranked by how likely they are one institution, and decisions on
them written to the manifest's override file.

A near-miss is a pair of names resolution kept apart although they look alike. Most were kept
apart on evidence that decides (two places, two numbers, a distinguishing meaning only one name
has, two ROR records or Erasmus codes): those are not worth a person's time. The rest are ranked
by the kind of doubt and how alike the names are, and cut at ``WORTH_A_LOOK``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import ManifestError, PartnerkgError
from .explain import load_resolution

# How likely a near-miss is one institution, by the evidence that kept the two names apart (the
# first words of its evidence). Evidence not listed decides the pair: it is not reviewed.
DOUBT = {
    "the only partial match": 1.0,
    "one name has more words": 1.0,
    "ambiguous": 0.95,
    "only one name names a place": 0.9,
    "only a place in common": 0.8,
    "different words": 0.75,
    "nothing identifying in common": 0.6,
}
WORTH_A_LOOK = 0.6  # likelihood (doubt x similarity) below which a near-miss is not listed


@dataclass(frozen=True)
class Candidate:
    number: int
    country: str
    name: str
    other: str
    evidence: str
    score: float
    likelihood: float


def candidates(output: Path) -> list[Candidate]:
    """The near-misses of a build worth a look, most likely first, numbered from 1.

    Only pairs of names from the documents are listed (a name against a ROR record is a question
    of linking, not of merging).
    """
    resolution = load_resolution(output)
    ranked = []
    for miss in resolution["near_misses"]:
        if miss["candidate"].startswith("ROR ") or "; but " in miss["evidence"]:
            continue  # a registry link, or a merge that a ROR record, an Erasmus code or an override blocks
        doubt = next((w for prefix, w in DOUBT.items() if miss["evidence"].startswith(prefix)), 0.0)
        likelihood = round(doubt * float(miss["score"]), 3)
        if likelihood >= WORTH_A_LOOK:
            ranked.append((likelihood, miss))
    ranked.sort(key=lambda pair: (-pair[0], pair[1]["name"], pair[1]["candidate"]))
    return [Candidate(n, m["country"], m["name"], m["candidate"], m["evidence"], float(m["score"]), likelihood)
            for n, (likelihood, m) in enumerate(ranked, 1)]


def decide(overrides: Path, candidate: Candidate, same: bool) -> str:
    """Write a decision on a near-miss to the override file: [[same]] or [[different]]."""
    text = overrides.read_text(encoding="utf-8") if overrides.exists() else ""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{overrides}: not valid TOML: {exc}") from None
    table = "same" if same else "different"
    entry = (f"\n[[{table}]]  # reviewed: {candidate.evidence} ({candidate.score})\n"
             f"names = [{_quote(candidate.name)}, {_quote(candidate.other)}]\n")
    write_atomic(overrides, text.rstrip("\n") + "\n" + entry if text else entry.lstrip("\n"))
    return table


def find(output: Path, number: int) -> Candidate:
    listed = candidates(output)
    if not 1 <= number <= len(listed):
        raise PartnerkgError(f"no near-miss number {number}: the review lists 1 to {len(listed)}")
    return listed[number - 1]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
