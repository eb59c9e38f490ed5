"""A named graph's N-Quads lines kept beside the store, sorted and each once: what the dump writes.

The stages that make a graph in bulk (map: each source's graph and the resolution graph; reason:
the inferred graph; tally: the tallies graph) write its lines to a file of a build's folder as they
add its quads to the store (``add_quads``), then sort the file (``sort_file``). The dump copies
those files rather than reading each graph back from the store and sorting it: on a store on disk
Oxigraph reads each term's string from disk (10^5 agreements: 21 s for the source graphs, against
6 s from a store in memory). A graph without a file is dumped from the store and sorted there
(``sorted_lines``), as it was before: the bytes are the same either way (tests/test_fast_paths.py).
"""

from __future__ import annotations

import hashlib
import heapq
import shutil
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

SORT_IN_MEMORY = 128 << 20  # bytes of lines sorted in memory at once; more are sorted in runs on disk


def sorted_graph_file(folder: Path, graph: object) -> Path:
    """Where, in ``folder``, a named graph's sorted lines are: a file named by the graph IRI's digest.

    >>> sorted_graph_file(Path("graphs"), "https://example.org/g").as_posix()
    'graphs/1d538cf25febe90013dcc7bec10422b797b7a16c.nq'
    """
    iri = graph.value if isinstance(graph, ox.NamedNode) else str(graph)
    return folder / f"{hashlib.sha1(iri.encode()).hexdigest()}.nq"


def add_quads(store: ox.Store, quads: Iterable[ox.Quad], lines: Path | None = None) -> None:
    """Add ``quads`` to ``store``; with ``lines``, their N-Quads lines are also added to that file
    (in no order until ``sort_file``). The quads are serialised by Oxigraph once and the store loads
    the lines (bulk, no transaction), rather than taking the Python objects."""
    if lines is None:
        store.bulk_extend(quads)
        return
    chunk = lines.with_suffix(".chunk")
    with chunk.open("wb") as handle:
        ox.serialize(quads, handle, format=ox.RdfFormat.N_QUADS)
    store.bulk_load(path=str(chunk), format=ox.RdfFormat.N_QUADS, lenient=True)  # Oxigraph's own lines
    with lines.open("ab") as kept, chunk.open("rb") as handle:
        shutil.copyfileobj(handle, kept)
    chunk.unlink()


def add_sorted(store: ox.Store, quads: Iterable[ox.Quad], lines: Path | None = None) -> None:
    """Add a whole graph's ``quads`` to ``store`` and, with ``lines``, its lines sorted to that file."""
    add_quads(store, quads, lines)
    if lines:
        sort_file(lines)


def sort_file(path: Path) -> int:
    """Sort a file's lines in byte order, each once (the store keeps a quad once); returns how many."""
    unsorted = path.with_suffix(".unsorted")
    path.replace(unsorted)
    count = 0
    with path.open("wb") as handle:
        for line in sorted_lines(unsorted, path.parent):
            handle.write(line)
            count += 1
    unsorted.unlink()
    return count


def sort_bytes(lines: bytes) -> bytes:
    """Lines sorted in byte order, each once (a graph small enough to sort in memory).

    >>> sort_bytes(b"<b> <p> <o> .\\n<a> <p> <o> .\\n<b> <p> <o> .\\n")
    b'<a> <p> <o> .\\n<b> <p> <o> .\\n'
    """
    return b"".join(sorted(set(lines.splitlines(keepends=True))))


def sorted_lines(path: Path, folder: Path) -> Iterator[bytes]:
    """The lines of a file in byte order, each once. Sorted in memory up to ``SORT_IN_MEMORY``
    bytes; a bigger file (the inferred graph: 2 GB at 10^6 agreements) is sorted in runs of that
    size written to ``folder``, then merged, so that no graph is held whole in memory."""
    with ExitStack() as stack:
        handle = stack.enter_context(path.open("rb"))
        runs: list[Path] = []
        while lines := handle.readlines(SORT_IN_MEMORY):
            lines.sort()
            if not runs and not handle.peek(1):  # the whole file in one go: no run file
                yield from (line for line, _ in groupby(lines))
                return
            run = folder / f"{path.name}.run-{len(runs)}"
            with run.open("wb") as written:
                written.writelines(line for line, _ in groupby(lines))
            runs.append(run)
        merged = heapq.merge(*(stack.enter_context(run.open("rb")) for run in runs))
        yield from (line for line, _ in groupby(merged))
    for run in runs:
        run.unlink()
