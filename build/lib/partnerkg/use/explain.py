"""Explain and measure a build's entity resolution, from output/report/resolution.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PartnerkgError
from ..text import fold, fold_spaces


def load_resolution(output: str | Path) -> dict:
    path = Path(output) / "report" / "resolution.json"
    if not path.exists():
        raise PartnerkgError(f"{path}: no resolution report here; run 'partnerkg build' first")
    return json.loads(path.read_text(encoding="utf-8"))


def locate(name: str, resolution: dict) -> set[str]:
    """The institutions a name resolved to: as written, after folding, or inside a longer name
    ("Université de Liège" in "CERM, Université de Liège")."""
    names: dict[str, list[str]] = resolution["names"]
    name = fold_spaces(name)
    if name in names:
        return set(names[name])
    key = fold(name)
    folded = {n: ids for n, ids in names.items() if fold(n) == key}
    if folded:
        return {i for ids in folded.values() for i in ids}
    return {i for n, ids in names.items() if f" {key} " in f" {fold(n)} " for i in ids}


@dataclass(frozen=True)
class Explanation:
    name: str
    entity: str
    pref_label: str
    ror: str | None
    ror_evidence: str
    names: list[str]
    merges: list[dict]
    near_misses: list[dict]
    same_as: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"{self.name!r} -> {self.entity}", f"  preferred label: {self.pref_label}"]
        if self.ror:
            lines.append(f"  ROR: {self.ror} ({self.ror_evidence})")
        if self.same_as:
            lines.append(f"  also known as (owl:sameAs): {', '.join(self.same_as)}")
        lines.append("  names merged into it:")
        lines += [f"    - {n}" for n in self.names]
        lines.append("  merges (evidence, score):")
        lines += [f"    - {m['a']!r} + {m['b']!r}: {m['evidence']} ({m['score']})"
                  for m in self.merges] or ["    (none)"]
        lines.append("  closest rejected candidates:")
        lines += [f"    - {m['candidate']!r}: {m['evidence']} ({m['score']})"
                  for m in self.near_misses] or ["    (none)"]
        return "\n".join(lines)


def explain(name: str, output: str | Path, limit: int = 5) -> list[Explanation]:
    """Why a name resolved as it did: its entity, the names merged with it and the evidence of each
    merge, and the closest candidates that were kept apart."""
    resolution = load_resolution(output)
    entities = locate(name, resolution)
    if not entities:
        raise PartnerkgError(f"{name!r}: no such name in the build (try a part of it)")
    result = []
    for entity_id in sorted(entities):
        entity = resolution["entities"][entity_id]
        names = sorted({n for n, ids in resolution["names"].items() if entity_id in ids} | set(entity["labels"]))
        own = set(names)
        merges = [m for m in resolution["merges"] if m["a"] in own or m["b"] in own]
        misses = [m for m in resolution["near_misses"] if m["name"] in own or m["candidate"] in own]
        misses = [m if m["name"] in own else {**m, "candidate": m["name"]} for m in misses]
        closest: dict[str, dict] = {}  # each candidate once, at its best score
        for miss in sorted(misses, key=lambda m: (-m["score"], m["candidate"])):
            closest.setdefault(miss["candidate"], miss)
        result.append(Explanation(name, entity_id, entity["pref_label"], entity["ror"], entity["ror_evidence"],
                                  names, merges, list(closest.values())[:limit], entity["same_as"]))
    return result


@dataclass(frozen=True)
class Evaluation:
    """How a build's resolution scores against labelled names.

    ``same`` groups must each be one institution, ``different`` pairs two, and ``ror`` gives a
    group's ROR id. Names of two groups are two institutions, which is what pairwise precision counts.
    """

    groups: int
    groups_found: int
    groups_merged: int
    pairs: int
    pairs_found: int
    pairs_apart: int
    failures: list[str]
    predicted_pairs: int = 0  # pairs of labelled names resolved to one institution
    correct_pairs: int = 0  # ... of which the labels say they are one
    ror_labelled: int = 0  # groups with a ROR id in the labels
    ror_linked: int = 0  # ... whose institution the build linked to ROR
    ror_correct: int = 0  # ... to the labelled record
    explanations: list[str] = field(default_factory=list)
    institutions: int = 0  # every institution of the build
    institutions_linked: int = 0  # ... linked to a ROR record

    @property
    def passed(self) -> bool:
        return not self.failures

    def text(self) -> str:
        def rate(n: int, d: int) -> str:
            return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "0/0"
        lines = [f"same groups found:      {rate(self.groups_found, self.groups)}",
                 f"same groups merged:     {rate(self.groups_merged, self.groups)}  (group recall)",
                 f"pairwise precision:     {rate(self.correct_pairs, self.predicted_pairs)}",
                 f"different pairs found:  {rate(self.pairs_found, self.pairs)}",
                 f"different pairs apart:  {rate(self.pairs_apart, self.pairs)}  (look-alikes kept apart)"]
        if self.ror_labelled:
            lines += [f"ROR links correct:      {rate(self.ror_correct, self.ror_linked)}  (ROR link accuracy)",
                      f"ROR coverage:           {rate(self.ror_linked, self.ror_labelled)}  (of institutions with a "
                      "record in the registry)"]
        lines.append(f"linked to ROR:          {rate(self.institutions_linked, self.institutions)}  (every institution "
                     "of the build, records in the registry or not)")
        return "\n".join(lines + [f"FAIL {f}" for f in self.failures] + self.explanations)


def eval_resolution(labels: Path, output: Path, explain_failures: bool = False) -> Evaluation:
    """Score a build against labelled groups (``same``: one institution; ``different``: two; ``ror``:
    a group's ROR id); with ``explain_failures``, each failing name's explanation follows."""
    try:
        data = json.loads(Path(labels).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PartnerkgError(f"{labels}: cannot read labels: {exc}") from None
    resolution = load_resolution(output)
    failures: list[str] = []
    failing_names: list[str] = []
    found, merged, entity_of = _score_groups(data.get("same", {}), resolution, failures, failing_names)
    predicted, correct = _score_pairs(entity_of, failures)
    pairs_found, apart = _score_different(data.get("different", []), resolution, failures, failing_names)
    ror_labelled, ror_linked, ror_correct = _score_ror(data, entity_of, resolution, failures)
    explanations = []
    if explain_failures:
        for name in dict.fromkeys(failing_names):
            if locate(name, resolution):
                explanations += [e.text() for e in explain(name, output, limit=3)]
    institutions = [e for e in resolution["entities"].values() if e["kind"] == "institution"]
    return Evaluation(len(data.get("same", {})), found, merged, len(data.get("different", [])),
                      pairs_found, apart, failures, predicted, correct, ror_labelled, ror_linked, ror_correct,
                      explanations, len(institutions), sum(1 for e in institutions if e["ror"]))


def _score_groups(same: dict, resolution: dict, failures: list[str], failing_names: list[str]):
    """Groups whose names are all found, and all in one entity; each labelled name's (group, entity)."""
    found = merged = 0
    entity_of: dict[str, tuple[str, str]] = {}  # a labelled name -> (its group, its one entity)
    for group, group_names in same.items():
        located = {n: locate(n, resolution) for n in group_names}
        for name, ids in located.items():
            if len(ids) == 1:
                entity_of[name] = (group, next(iter(ids)))
        if all(len(ids) == 1 for ids in located.values()):
            found += 1
            if len({next(iter(ids)) for ids in located.values()}) == 1:
                merged += 1
                continue
        failures.append(f"same {group}: " + "; ".join(f"{n!r} -> {sorted(ids) or 'not found'}"
                                                      for n, ids in located.items()))
        failing_names += list(dict.fromkeys(sorted(group_names, key=lambda n: sorted(located[n]))))
    return found, merged, entity_of


def _score_pairs(entity_of: dict[str, tuple[str, str]], failures: list[str]) -> tuple[int, int]:
    """Pairwise precision: pairs of labelled names the build put in one entity, and how many of
    them the labels put in one group."""
    predicted = correct = 0
    labelled = sorted(entity_of.items())
    for i, (name_a, (group_a, entity_a)) in enumerate(labelled):
        for name_b, (group_b, entity_b) in labelled[i + 1:]:
            if entity_a == entity_b:
                predicted += 1
                correct += group_a == group_b
                if group_a != group_b:
                    failures.append(f"merged across groups {group_a!r} / {group_b!r}: {name_a!r} + {name_b!r}")
    return predicted, correct


def _score_different(different: list, resolution: dict, failures: list[str], failing_names: list[str]):
    """Look-alike pairs found, and kept apart."""
    pairs_found = apart = 0
    for a, b in different:
        ids_a, ids_b = locate(a, resolution), locate(b, resolution)
        if ids_a and ids_b:
            pairs_found += 1
            if not ids_a & ids_b:
                apart += 1
                continue
        failures.append(f"different {a!r} / {b!r}: {sorted(ids_a)} vs {sorted(ids_b)}")
        failing_names += [a, b]
    return pairs_found, apart


def _score_ror(data: dict, entity_of: dict, resolution: dict, failures: list[str]) -> tuple[int, int, int]:
    """Groups with a labelled ROR id: how many the build linked, and linked right."""
    labelled = linked = correct = 0
    for group, record in data.get("ror", {}).items():
        entities = {entity_of[n][1] for n in data["same"].get(group, []) if n in entity_of}
        labelled += 1
        links = {resolution["entities"][e]["ror"] for e in entities} - {None}
        if links:
            linked += 1
            if links == {record}:
                correct += 1
            else:
                failures.append(f"ror {group}: linked to {sorted(links)}, labelled {record}")
    return labelled, linked, correct
