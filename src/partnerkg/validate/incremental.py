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
import heapq
import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import groupby, islice
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ..build_cache import digest
from ..store.lines import sorted_graph_file
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
        changed = list(islice(_changed_lines(before, after), CHANGED_AT_MOST + 1))
        if len(changed) > CHANGED_AT_MOST:
            return None
        subjects.update(quad.subject for quad in ox.parse(b"".join(changed), format=ox.RdfFormat.N_QUADS))
    return subjects


def _changed_lines(before: Path | None, after: Path | None) -> Iterator[bytes]:
    """The lines in one of two sorted files (each line once in each) and not in the other. The
    whole lines both files begin and end with are passed over: a document's statements lie
    together in a graph's sorted lines (its IRIs share a prefix), so most of a changed graph (the
    inferred one: 200 MB at 10^5 agreements) is the same on both sides."""
    with ExitStack() as stack:
        files = [stack.enter_context(path.open("rb")) for path in (before, after) if path]
        spans = _middles(*files) if len(files) == 2 else [(0, files[0].seek(0, os.SEEK_END))]
        for line, same in groupby(heapq.merge(*(_lines_in(f, *span) for f, span in zip(files, spans, strict=True)))):
            if sum(1 for _ in same) == 1:
                yield line


def _middles(a: BinaryIO, b: BinaryIO, block: int = 1 << 20) -> list[tuple[int, int]]:
    """The (start, end) in each of two files of lines of what is left once the whole lines they
    begin with alike, and end with alike, are taken off.

    >>> import io
    >>> _middles(io.BytesIO(b"a\\nb\\nc\\nd\\n"), io.BytesIO(b"a\\nx\\nc\\nd\\n"), block=3)
    [(2, 4), (2, 4)]
    >>> _middles(io.BytesIO(b"a\\nb\\n"), io.BytesIO(b"a\\nb\\nc\\n"))
    [(4, 4), (4, 6)]
    """
    sizes = [f.seek(0, os.SEEK_END) for f in (a, b)]
    start = 0  # bytes alike from the start
    while start < min(sizes):
        alike = _alike(_read_at(a, start, block), _read_at(b, start, block))
        start += alike
        if alike < block:
            break
    window = _read_at(a, max(0, start - block), min(start, block))  # alike in both up to start
    head = start - len(window) + window.rfind(b"\n") + 1 if b"\n" in window else 0
    end = 0  # bytes alike back from the end, short of head
    while end < min(sizes) - head:
        size = min(block, min(sizes) - head - end)
        x, y = (_read_at(f, n - end - size, size) for f, n in zip((a, b), sizes, strict=True))
        alike = _alike(x[::-1], y[::-1])
        end += alike
        if alike < size:
            break
    suffix = _read_at(a, sizes[0] - end, min(end, block))  # its whole lines start after its first newline
    cut = end - suffix.index(b"\n") - 1 if b"\n" in suffix else 0
    return [(head, n - cut) for n in sizes]


def _read_at(file: BinaryIO, offset: int, size: int) -> bytes:
    file.seek(offset)
    return file.read(size)


def _alike(x: bytes, y: bytes) -> int:
    """How many bytes two strings begin with alike."""
    low, high = 0, min(len(x), len(y))
    if x[:high] == y[:high]:
        return high
    while low < high:  # x[:low] == y[:low], x[:high + 1] != y[:high + 1]
        middle = (low + high + 1) // 2
        if x[:middle] == y[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _lines_in(file: BinaryIO, start: int, end: int) -> Iterator[bytes]:
    file.seek(start)
    while start < end and (line := file.readline()):
        start += len(line)
        yield line


def _pointing_at(store: ox.Store, nodes: set, predicates: set[str]) -> set:
    """The subjects of a statement on one of ``predicates`` whose object is one of ``nodes``."""
    properties = [ox.NamedNode(p) for p in sorted(predicates) if p]
    return {quad.subject for node in nodes for p in properties for quad in store.quads_for_pattern(None, p, node)}
