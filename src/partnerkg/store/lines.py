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

import filecmp
import hashlib
import heapq
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import groupby, repeat
from pathlib import Path
from typing import BinaryIO

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


def line_changes(before: Path | None, after: Path | None) -> Iterator[tuple[bytes, bool]]:
    """The lines in one of two sorted files (each line once in each) and not in the other, each
    with whether it is in ``after`` (gained) or in ``before`` (lost); a file None has no lines. The
    whole lines both files begin and end with are passed over: a document's statements lie
    together in a graph's sorted lines (its IRIs share a prefix), so most of a changed graph (the
    inferred one: 200 MB at 10^5 agreements) is the same on both sides."""
    with ExitStack() as stack:
        files = {gained: stack.enter_context(path.open("rb")) for gained, path in ((False, before), (True, after))
                 if path}
        spans = _middles(*files.values()) if len(files) == 2 else [(0, f.seek(0, os.SEEK_END)) for f in files.values()]
        sides = [zip(_lines_in(file, *span), repeat(gained))
                 for (gained, file), span in zip(files.items(), spans, strict=True)]
        for _, same in groupby(heapq.merge(*sides), key=lambda item: item[0]):
            if len(group := list(same)) == 1:  # in both files: the same line twice
                yield group[0]


def folder_changes(before: Path, after: Path) -> Iterator[tuple[bytes, bool]]:
    """What ``line_changes`` gives for every graph's file of two folders of sorted graphs, graph
    by graph (a graph in one folder only: all its lines); files of the same bytes are not read."""
    names = sorted({path.name for folder in (before, after) for path in folder.glob("*.nq")})
    for name in names:
        old, new = (folder / name if (folder / name).exists() else None for folder in (before, after))
        if old and new and filecmp.cmp(old, new, shallow=False):
            continue
        yield from line_changes(old, new)


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
