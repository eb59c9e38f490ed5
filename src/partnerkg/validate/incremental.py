"""Validate again only where the graph changed since the last build, keeping its other findings.

A compiled check (``validate.sparql``) reads three things of a focus node ``x``: its types (is it a
target?), its values on the check's property (``x p v``, and for ``sh:lessThanOrEquals`` on a
second one), and for ``sh:class`` the types of those values. So what a check finds about ``x`` can
change only when a statement whose subject is ``x`` changed, or one whose subject is a value of
``x`` on a checked property. The last build kept its graphs' sorted lines (``store.lines``) and
what it found (``Validated``); merging each graph's old and new lines (both sorted) gives the lines
it gained or lost, their subjects are the nodes that changed, and those nodes and the nodes that
point at them on a checked property are checked again, on a store of what the checks read of
them (their statements, their values' types). Every other finding is the last build's.

The same findings as validating everything: ``tests/test_validate.py`` edits a graph that breaks
every compiled constraint in each way a constraint reads, and ``tests/test_incremental.py`` checks a
rebuild's report against a build's without the cache.
"""

from __future__ import annotations

import filecmp
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from ..build_cache import digest
from ..store.lines import line_changes, sorted_graph_file
from .findings import ValidationReport
from .sparql import Check, report_of, validate_store

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RECHECK_AT_MOST = 100_000  # focus nodes checked again; more, and everything is validated (one query each)
CHANGED_AT_MOST = 1_000_000  # lines one graph gained or lost: more, and they are not held to find their subjects


@dataclass(frozen=True)
class Validated:
    """What a validation found and what it validated: the digest of its checks (the shapes, the
    store's subclasses, partnerkg's code), the named graphs of the store then, and the folder
    where their sorted lines are kept."""

    checks: str
    graphs: tuple[str, ...]
    report: ValidationReport
    folder: Path | None = None  # set when the lines are kept (``BuildCache.kept_graphs``)


@dataclass(frozen=True)
class Rechecked:
    """A validation made from the last one: its report, and the focus nodes checked again."""

    report: ValidationReport
    focus: int


def validated(store: ox.Store, checks: list[Check], report: ValidationReport) -> Validated:
    """What to keep of a validation of ``store`` for the next build's ``recheck``."""
    return Validated(digest(checks), _graphs(store), report)


def recheck(store: ox.Store, checks: list[Check], since: Validated, lines: Path) -> Rechecked | None:
    """``store`` validated from the last validation ``since``: the focus nodes whose statements
    (or whose values' statements) changed are checked again, the other findings kept. ``lines``:
    the folder of the store's graphs' sorted lines. None when it cannot be done so: other checks,
    a graph without its lines, a changed blank node, or too many changes to pay."""
    if since.folder is None or since.checks != digest(checks):
        return None
    changed = _changed_subjects(since, _graphs(store), lines)
    if changed is None:
        return None
    focus = changed | _pointing_at(store, changed, {check.predicate for check in checks})
    if len(focus) > RECHECK_AT_MOST or not all(isinstance(node, ox.NamedNode) for node in focus):
        return None
    names = {node.value for node in focus}
    found = [finding for finding in validate_store(_around(store, focus), checks).findings if finding.focus in names]
    kept = [finding for finding in since.report.findings if finding.focus not in names]
    return Rechecked(report_of([*kept, *found]), len(focus))


def _around(store: ox.Store, focus: set) -> ox.Store:
    """A store of what the checks read of ``focus``: every statement about a focus node, and the
    types of its values. The checks run on it as on the whole store, each in an instant (asked of
    the whole store for a list of focus nodes, Oxigraph took longer than validating everything)."""
    around = ox.Store()
    about = [quad for node in focus for quad in store.quads_for_pattern(node, None, None)]
    values = {quad.object for quad in about if not isinstance(quad.object, ox.Literal)} - focus
    around.extend(about + [quad for value in values for quad in store.quads_for_pattern(value, RDF_TYPE, None)])
    return around


def _graphs(store: ox.Store) -> tuple[str, ...]:
    return tuple(sorted(graph.value for graph in store.named_graphs()))


def _changed_subjects(since: Validated, graphs: tuple[str, ...], lines: Path) -> set | None:
    """The subjects of every line a graph gained or lost since ``since`` (a graph added or gone:
    all its lines); None when a graph's lines are missing on either side, or too many changed."""
    subjects: set = set()
    for graph in sorted(set(since.graphs) | set(graphs)):
        before = sorted_graph_file(since.folder, graph) if graph in since.graphs else None
        after = sorted_graph_file(lines, graph) if graph in graphs else None
        if (before and not before.exists()) or (after and not after.exists()):
            return None
        if before and after and filecmp.cmp(before, after, shallow=False):
            continue
        changed = [line for line, _ in islice(line_changes(before, after), CHANGED_AT_MOST + 1)]
        if len(changed) > CHANGED_AT_MOST:
            return None
        subjects.update(quad.subject for quad in ox.parse(b"".join(changed), format=ox.RdfFormat.N_QUADS))
    return subjects


def _pointing_at(store: ox.Store, nodes: set, predicates: set[str]) -> set:
    """The subjects of a statement on one of ``predicates`` whose object is one of ``nodes``."""
    properties = [ox.NamedNode(p) for p in sorted(predicates) if p]
    return {quad.subject for node in nodes for p in properties for quad in store.quads_for_pattern(None, p, node)}
