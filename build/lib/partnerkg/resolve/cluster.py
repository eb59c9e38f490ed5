"""Group the mentions of one country into institutions.

Evidence, strongest first: the same ROR record or Erasmus code; an override; a match of meaning
(match.compare) between two mentions, or between a mention and a ROR name. Mentions linked to two
different ROR records, written with different Erasmus codes, or kept apart by an override, are
never merged. Candidates are found through shared
keys (a proper word, a place, an acronym, initials), so cost grows with the names, not their square.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .match import PARTIAL, Match, compare
from .names import name_key
from .overrides import Overrides
from .ror import RorIndex
from .signature import Signature

BUCKET_CAP = 200  # a key shared by more names than this is too common to find candidates by
NEAR_MISS = 0.75  # a rejected pair at least this alike (token-set similarity) is worth a review


@dataclass(frozen=True)
class Mention:
    key: str  # name key: the name folded, a trailing "(ACRONYM)" dropped
    name: str  # as first written
    country: str | None
    signature: Signature
    ror: str | None = None  # given by the manifest (a home institution)
    codes: frozenset[str] = frozenset()  # the Erasmus codes written beside the name


@dataclass(frozen=True)
class Merge:
    a: str
    b: str
    evidence: str
    score: float


@dataclass(frozen=True)
class NearMiss:
    name: str
    candidate: str  # a mention's name, or "ROR <id> <name>"
    evidence: str
    score: float


@dataclass(frozen=True)
class Clustering:
    groups: list[list[str]]  # mention keys, each group one institution
    ror: dict[str, str]  # mention key -> ROR id
    ror_evidence: dict[str, str]
    merges: list[Merge]
    near_misses: list[NearMiss]
    compared: int = 0  # pairs of mentions compared (all pairs would be n(n-1)/2)


def cluster(mentions: list[Mention], ror: RorIndex, overrides: Overrides,
            links: list[tuple[str, str, str]] = ()) -> Clustering:
    """Cluster mentions of one country (every mention has the same country).

    ``links`` are pairs of mention keys the documents themselves say are one institution (a name
    written with another in brackets), with the evidence. The steps, strongest evidence first:
    ROR records, shared Erasmus codes, the documents' own links and the overrides, then pairs of
    names compared (best first), then partial matches that point to one group only.
    """
    state = _State(mentions, overrides)
    index, ror_names = _indexed(mentions, ror)
    for mention in mentions:
        if link := _link(mention, ror, ror_names, index, state):
            state.link_ror(mention.key, *link)
    _join_given(mentions, links, overrides, state)
    partial = _join_compared(mentions, index, state)
    _join_partial(partial, state)
    return state.result()


def _indexed(mentions: list[Mention], ror: RorIndex) -> tuple[_KeyIndex, list]:
    """The mentions and the country's ROR names, indexed by the keys they share."""
    index = _KeyIndex()
    for mention in mentions:
        index.add(("m", mention.key), mention.signature)
    country = mentions[0].country if mentions else None
    ror_names = ror.signatures(country, [m.signature for m in mentions])
    for n, (sig, _) in enumerate(ror_names):
        index.add(("r", n), sig)
    return index, ror_names


def _join_given(mentions: list[Mention], links, overrides: Overrides, state: _State) -> None:
    """What is given rather than inferred: one Erasmus code, the documents' links, the overrides."""
    holders: dict[str, str] = {}
    for mention in mentions:
        for code in sorted(mention.codes):
            holder = holders.setdefault(code, mention.key)
            if holder != mention.key:
                state.union(holder, mention.key, Match("same", 1.0, f"same Erasmus code {code.strip()!r}"))
    for a, b, evidence in links:
        state.union(a, b, Match("same", 1.0, evidence))
    for group in overrides.same:
        members = [m.key for m in mentions if m.key in group]
        for other in members[1:]:
            state.union(members[0], other, Match("same", 1.0, "override: same"), force=True)


def _join_compared(mentions: list[Mention], index: _KeyIndex, state: _State) -> dict[str, list[tuple[str, Match]]]:
    """Compare the pairs that share a key, best first: the same institution joins, a close one is a
    near-miss; partial matches are returned for the last step."""
    pairs = []
    for mention in mentions:
        for kind, other in index.candidates(mention.signature):
            if kind == "m" and other > mention.key:
                pairs.append((mention.key, other, compare(mention.signature, state.mentions[other].signature)))
    state.compared = len(pairs)
    partial: dict[str, list[tuple[str, Match]]] = defaultdict(list)
    for a, b, match in sorted(pairs, key=lambda p: (-p[2].score, p[0], p[1])):
        if match.same:
            state.union(a, b, match)
        elif match.verdict == PARTIAL:
            partial[a].append((b, match))
            partial[b].append((a, match))
        elif match.score >= NEAR_MISS:
            state.near_miss(a, state.mentions[b].name, match)
    return partial


def _join_partial(partial: dict[str, list[tuple[str, Match]]], state: _State) -> None:
    """A partial match joins when it points to one group only; otherwise it is a near-miss."""
    for key in sorted(partial):
        roots = {state.find(other) for other, _ in partial[key]} - {state.find(key)}
        for other, match in partial[key]:
            if len(roots) == 1 and state.find(other) in roots:
                state.union(key, other, Match("same", match.score, f"the only partial match: {match.evidence}"))
            elif state.find(other) != state.find(key):
                state.near_miss(key, state.mentions[other].name, match)


def _link(mention: Mention, ror: RorIndex, ror_names, index: _KeyIndex, state: _State):
    """The ROR record a mention names, with the evidence, or None."""
    if mention.ror:
        return mention.ror, "given in the manifest"
    exact = ror.by_name.get((mention.country or "", mention.key), frozenset())
    same = defaultdict(list)
    for kind, n in index.candidates(mention.signature):
        if kind != "r":
            continue
        sig, record_id = ror_names[n]
        match = compare(mention.signature, sig)
        if match.same:
            same[record_id].append(match)
        elif match.score >= NEAR_MISS:  # a partial match to the registry is a guess: reviewed, not linked
            state.near_miss(mention.key, f"ROR {record_id} {sig.name}", match)
    if len(exact) > 1:
        # several records carry the name: the predecessor whose successor kept the name as an alias,
        # else today's institution, if only one is active
        def own_label(record_id: str) -> bool:
            return mention.key in {name_key(n) for n in ror.records[record_id].labels}

        older = {r for r in exact if (later := set(ror.records[r].successors) & exact)
                 and not any(own_label(x) for x in later)}
        active = {r for r in exact if ror.records[r].status == "active"}
        exact = older if len(older) == 1 else active if len(active) == 1 else exact
    if len(exact) == 1:
        record_id = next(iter(exact))
        # a successor often keeps its predecessor's name as an alias; the name is the predecessor's
        older = [r for r in same if record_id in ror.records[r].successors]
        # ... unless the name is the successor's own label, not one it kept
        if len(older) == 1 and mention.key not in {name_key(n) for n in ror.records[record_id].labels}:
            return older[0], f"historical ROR record: its successor {record_id} keeps the name as an alias"
        return record_id, "ROR name, identical after folding"
    if len(same) > 1:  # several records mean the name: the active ones, then the one naming it exactly
        active = {r: m for r, m in same.items() if ror.records[r].status == "active"}
        labelled = {r: m for r, m in (active or same).items()
                    if mention.key in {name_key(n) for n in ror.records[r].labels}}
        same = labelled if len(labelled) == 1 else active if len(active) == 1 else same
    if len(same) == 1:
        record_id, matches = next(iter(same.items()))
        return record_id, f"ROR name: {max(matches, key=lambda m: (m.score, m.evidence)).evidence}"
    for record_id in sorted(same):  # several records match: none is linked
        state.near_miss(mention.key, f"ROR {record_id} {ror.records[record_id].display}",
                        Match(PARTIAL, 0.7, "ambiguous: several ROR records match"))
    return None


class _KeyIndex:
    """Names by the keys they share, for finding candidate pairs without comparing all pairs."""

    def __init__(self) -> None:
        self.buckets: dict[str, list] = defaultdict(list)

    @staticmethod
    def keys(sig: Signature) -> list[str]:
        keys = [f"p:{w}" for w in sig.proper] + [f"c:{c}" for c in sig.cities | sig.regions]
        keys += [f"a:{a}" for a in sig.acronyms] + [f"a:{a}" for a in sig.proper if len(a) <= 6]
        tokens = [w for w in sig.folded.split() if w in sig.proper]
        keys += [f"p:{a}{b}" for a, b in zip(tokens, tokens[1:], strict=False)]  # "Mc Gill" finds "McGill"
        if len(sig.initials) >= 3:
            keys.append(f"a:{sig.initials.lower()}")
        if sig.tags and not sig.proper:
            keys.append("t:" + ",".join(sorted(sig.tags)))
        if sig.countries and not sig.proper:  # a name of its country alone: "Korea University"
            keys.append("n:" + ",".join(sorted(sig.countries)))
        return keys

    def add(self, item, sig: Signature) -> None:
        for key in self.keys(sig):
            self.buckets[key].append(item)

    def candidates(self, sig: Signature) -> set:
        keys = self.keys(sig)
        sizes = sorted((len(self.buckets.get(k, ())), k) for k in keys)
        found = set()
        for n, (size, key) in enumerate(sizes):
            if size > BUCKET_CAP and n > 0:
                break  # common keys add nothing the rarest did not
            found.update(self.buckets.get(key, ()))
        return found


class _State:
    def __init__(self, mentions: list[Mention], overrides: Overrides) -> None:
        self.mentions = {m.key: m for m in mentions}
        self.parent = {m.key: m.key for m in mentions}
        self.members = {m.key: [m.key] for m in mentions}
        self.ror_of_root: dict[str, str] = {}
        self.codes_of_root: dict[str, set[str]] = {m.key: set(m.codes) for m in mentions}
        self.holder: dict[str, str] = {}  # ROR id -> the first mention linked to it
        self.ror: dict[str, str] = {}
        self.ror_evidence: dict[str, str] = {}
        self.overrides = overrides
        self.merges: list[Merge] = []
        self.misses: dict[tuple[str, str], NearMiss] = {}
        self.compared = 0

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def link_ror(self, key: str, record_id: str, evidence: str) -> None:
        self.ror[key], self.ror_evidence[key] = record_id, evidence
        holder = self.holder.setdefault(record_id, key)
        self.ror_of_root.setdefault(self.find(key), record_id)
        if holder != key:
            self.union(holder, key, Match("same", 1.0, f"same ROR record {record_id}"))

    def union(self, a: str, b: str, match: Match, force: bool = False) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        blocker = self._blocker(ra, rb)
        if blocker and not force:
            blocked = Match(match.verdict, match.score, f"{match.evidence}; but {blocker}")
            self.near_miss(a, self.mentions[b].name, blocked)
            return
        keep, gone = sorted((ra, rb))
        self.parent[gone] = keep
        self.members[keep] += self.members.pop(gone)
        if gone in self.ror_of_root:
            self.ror_of_root.setdefault(keep, self.ror_of_root.pop(gone))
        self.codes_of_root[keep] |= self.codes_of_root.pop(gone)
        self.merges.append(Merge(self.mentions[a].name, self.mentions[b].name, match.evidence, match.score))

    def _blocker(self, ra: str, rb: str) -> str:
        ror_a, ror_b = self.ror_of_root.get(ra), self.ror_of_root.get(rb)
        if ror_a and ror_b and ror_a != ror_b:
            return f"linked to different ROR records {ror_a} and {ror_b}"
        codes_a, codes_b = self.codes_of_root[ra], self.codes_of_root[rb]
        if codes_a and codes_b and not codes_a & codes_b:
            return f"different Erasmus codes {', '.join(sorted(codes_a))} and {', '.join(sorted(codes_b))}"
        for x in self.members[ra]:
            for y in self.members[rb]:
                if self.overrides.forbids(x, y):
                    return "the override file keeps them apart"
        return ""

    def near_miss(self, key: str, candidate: str, match: Match) -> None:
        name = self.mentions[key].name
        pair = (name, candidate) if name < candidate else (candidate, name)
        if pair not in self.misses or self.misses[pair].score < match.score:
            self.misses[pair] = NearMiss(name, candidate, match.evidence, round(match.score, 3))

    def result(self) -> Clustering:
        groups = [sorted(members) for members in self.members.values()]
        ror = {}
        for members in groups:
            record = self.ror_of_root.get(self.find(members[0]))
            for key in members:
                if record:
                    ror[key] = record
        by_name = {m.name: k for k, m in self.mentions.items()}

        def merged_anyway(miss: NearMiss) -> bool:
            a, b = by_name.get(miss.name), by_name.get(miss.candidate)
            return a is not None and b is not None and self.find(a) == self.find(b)

        misses = [m for m in self.misses.values() if not merged_anyway(m)]
        return Clustering(sorted(groups), ror, self.ror_evidence, self.merges,
                          sorted(misses, key=lambda m: (-m.score, m.name, m.candidate)), self.compared)
