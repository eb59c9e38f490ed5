"""Publish: the linked-data dump and its VoID/DCAT description (void.py).

Two dumps, each as N-Quads, TriG, Turtle and compact JSON-LD: ``partnerkg.*`` holds what the
sources state and the reference data (every graph but the inferred one), ``partnerkg-inferred.*``
what OWL 2 RL reasoning adds. ``context.jsonld`` is the @context the JSON-LD files use. Same inputs,
same bytes: quads are sorted before every serialisation and there are no blank nodes.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from functools import cache as cache_once
from itertools import chain, groupby, islice
from pathlib import Path

import pyoxigraph as ox

from .. import vocab
from ..atomic import atomic_file, write_atomic
from ..build_cache import NO_CACHE, BuildCache
from ..errors import PartnerkgError
from ..store.lines import sorted_graph_file, sorted_lines
from .jsonld import (
    GRAPH_SEPARATOR,
    JSONLD_CLOSING,
    JSONLD_TAIL,
    context,
    graph_jsonld,
    graph_opening,
    jsonld_head,
    shortener,
)
from .void import About, describe

ASSERTED, INFERRED = "partnerkg", "partnerkg-inferred"
EXTENSIONS = ("nq", "trig", "ttl", "jsonld")
CONTEXT = "context.jsonld"
READ_BLOCK = 1 << 16  # bytes read at a time from each graph's lines when they are merged
PARALLEL_ABOVE = 64 << 20  # bytes of N-Quads above which a second process writes Turtle, TriG and JSON-LD
# bytes of a graph's N-Quads up to which its TriG and JSON-LD are kept in the build cache whole; a
# bigger graph (the tallies and the inferred graph: 200 MB each at 10^5 agreements, changed by any
# change) is never held whole: its parts are kept chunk by chunk (``_chunks``)
CACHED_AT_MOST = 32 << 20
# a chunk of a big graph ends before a subject whose CRC-32 has these bits clear (one in 1,024:
# chunks of about 1 MB), or at the first subject past CHUNK_AT_MOST bytes. Cut by what the lines
# say, not where they are, a chunk keeps its bounds when lines elsewhere come or go.
CHUNK_MASK = 1023
CHUNK_AT_MOST = 8 << 20


@dataclass(frozen=True)
class Dump:
    files: dict[str, Path]
    graph_triples: dict[str, int]  # named graph -> its triples


def write_dumps(store: ox.Store, output: Path, about: About,
                on_nquads: Callable[[list[Path]], object] | None = None, presorted: Path | None = None,
                cache: BuildCache = NO_CACHE) -> Dump:
    """Write both dumps of the store's graphs, the JSON-LD context and void.ttl under ``output``.

    N-Quads are written one graph at a time, its lines sorted: copied from ``presorted``, where the
    map stage wrote the graph's lines sorted (``rdfutil.sorted_graph_file``), else read from the
    store and sorted here. Every other format is made from the
    N-Quads files, streamed, so that no format holds the whole graph in memory: Turtle from the
    graphs' sorted lines merged (a triple several graphs state is written once), TriG and JSON-LD
    from the files parsed as they are read, graph by graph, each graph's part of them kept in
    ``cache`` by its lines (``_write_trig_and_jsonld``). ``on_nquads`` is called with the N-Quads
    files as soon as they are written, before the other formats (the build starts loading its
    store from them)."""
    with start_dumps(store, output, about, on_nquads, presorted, cache) as dumps:
        return dumps.finish()


def start_dumps(store: ox.Store, output: Path, about: About,
                on_nquads: Callable[[list[Path]], object] | None = None, presorted: Path | None = None,
                cache: BuildCache = NO_CACHE) -> PendingDumps:
    """``write_dumps`` started: the N-Quads written, and the other formats written too, or, past
    ``PARALLEL_ABOVE`` bytes, being written by a second process while this one goes on (the build
    analyses the network meanwhile: at 10^5 agreements, 17 to 32 s each); ``finish()`` waits for
    them and writes void.ttl."""
    inferred = str(vocab.INFERRED_GRAPH)
    names = sorted(graph.value for graph in store.named_graphs())
    parts = {ASSERTED: [n for n in names if n != inferred], INFERRED: [n for n in names if n == inferred]}
    files: dict[str, Path] = {}
    graph_triples: dict[str, int] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    with tempfile.TemporaryDirectory(dir=output) as folder:
        for name, graphs in parts.items():
            files[f"{name}.nq"] = output / f"{name}.nq"
            spans[name] = []
            write_atomic(files[f"{name}.nq"], _sorted_nquads(store, graphs, graph_triples, spans[name], Path(folder),
                                                                      presorted))
    nquads = [files[f"{name}.nq"] for name in parts]
    if on_nquads:
        on_nquads(nquads)
    for name in parts:
        files |= {f"{name}.{extension}": output / f"{name}.{extension}" for extension in ("ttl", "trig", "jsonld")}
    pending = PendingDumps(files, graph_triples, about, output, cache)
    job = {"dumps": {name: [str(files[f"{name}.nq"]), spans[name]] for name in parts},
           "cache": str(cache.folder) if cache.folder else None}
    if sum(path.stat().st_size for path in nquads) > PARALLEL_ABOVE:  # enough for a process's start to pay
        pending.process = subprocess.Popen([sys.executable, "-m", __name__, json.dumps(job)], stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE)
    else:
        pending.triples = _write_the_other_formats(job, cache)
    return pending


class PendingDumps:
    """Dumps whose N-Quads are written, and whose other formats are written (``triples`` set) or
    being written by a second process (``process``). Used as a context manager: a process left
    running when the build stops is stopped."""

    def __init__(self, files: dict[str, Path], graph_triples: dict[str, int], about: About, output: Path,
                 cache: BuildCache):
        self.files, self.graph_triples, self.about, self.output, self.cache = files, graph_triples, about, output, cache
        self.process: subprocess.Popen | None = None
        self.triples: int | None = None  # the distinct triples of all the dumps (Turtle counts them)

    def finish(self) -> Dump:
        """Wait for the other formats, then write the JSON-LD context and void.ttl."""
        if self.process:
            taken, errors = self.process.communicate()
            if self.process.returncode:
                raise PartnerkgError(f"writing Turtle, TriG and JSON-LD failed: "
                                     f"{errors.decode('utf-8', 'replace')[-2000:]}")
            written = json.loads(taken)
            self.cache.take("publish", written["publish"])
            self.triples, self.process = written["triples"], None
        files = dict(self.files)
        files[CONTEXT] = self.output / CONTEXT
        write_atomic(files[CONTEXT], json.dumps(context(vocab.PREFIXES), indent=2).encode("utf-8") + b"\n")
        dumps = [files[f"{name}.{extension}"] for name in (ASSERTED, INFERRED) for extension in EXTENSIONS]
        files["void"] = self.output / "void.ttl"
        description = describe(self.about, self.graph_triples, self.triples, dumps)
        write_atomic(files["void"], description.serialize(format="turtle", encoding="utf-8"))
        return Dump(files=files, graph_triples=self.graph_triples)

    def __enter__(self) -> PendingDumps:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _write_the_other_formats(job: dict, cache: BuildCache, forked: bool = False) -> int:
    """Turtle, TriG and JSON-LD beside each N-Quads dump of ``job`` (``{"dumps": {part: [path,
    spans]}}``); returns the distinct triples of all of them. ``forked``: Turtle written by a forked
    process of its own, beside TriG and JSON-LD (at 10^5 agreements, 20 s and 24 s: each a core
    once the build is done analysing)."""
    dumps = {name: (Path(path), [(start, end) for start, end in spans]) for name, (path, spans) in job["dumps"].items()}
    turtles = {name: path.with_suffix(".ttl") for name, (path, _) in dumps.items()}
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) if forked else nullcontext() as pool:
        triples = pool.submit(_write_turtle, dumps, turtles) if pool else None
        for path, spans in dumps.values():
            _write_trig_and_jsonld(path, spans, cache)
        return triples.result() if triples else _write_turtle(dumps, turtles)


def _write_trig_and_jsonld(nquads: Path, spans: list[tuple[int, int]], cache: BuildCache = NO_CACHE) -> None:
    """The TriG and JSON-LD beside an N-Quads dump (``partnerkg.nq`` -> ``partnerkg.trig``, ...),
    graph by graph (``spans``: each graph's bytes in the file, in order). Both formats give each
    graph a part of its own, after a head (TriG's prefixes; JSON-LD's context), so a graph's parts
    are kept in ``cache`` by the digest of its lines, and a rebuild writes again only the graphs
    that changed; a graph of more than ``CACHED_AT_MOST`` bytes is kept chunk by chunk (``_chunks``)."""
    shorten = shortener(vocab.PREFIXES)
    spans = [(start, end) for start, end in spans if end > start]  # a graph without quads has no part
    with atomic_file(nquads.with_suffix(".trig")) as trig, atomic_file(nquads.with_suffix(".jsonld")) as jsonld, \
            nquads.open("rb") as source:
        trig.write(_trig_head() if spans else b"")  # (no quads, no prefixes: as Oxigraph writes none)
        jsonld.write(jsonld_head(vocab.PREFIXES))
        for number, (start, end) in enumerate(spans):
            jsonld.write(GRAPH_SEPARATOR if number else b"")
            chunks = _chunks(source.fileno(), start, end) if end - start > CACHED_AT_MOST else [(start, end)]
            _write_chunks(source.fileno(), chunks, trig, jsonld, shorten, cache)
        jsonld.write(JSONLD_TAIL)


def _write_chunks(source: int, chunks: Iterable[tuple[int, int]], trig, jsonld, shorten, cache: BuildCache) -> None:
    """One graph's part of the TriG and of the JSON-LD, from its lines' ``chunks`` (offsets in the
    file ``source``; one at least), each chunk's parts kept in ``cache`` by the digest of its lines.
    A chunk's parts are those of a graph of its lines alone, written less their closing (``}`` and
    ``]}``, written once at the end) and, past the first chunk, less their opening (TriG's ``g {``
    line, JSON-LD's ``{"@id": g, "@graph": [``): the whole graph's bytes (tests/test_fast_paths.py)."""
    openings = None  # the lengths of the graph's openings, the same in every chunk's parts
    for number, (start, end) in enumerate(chunks):
        lines = os.pread(source, end - start, start)
        parts = cache.get_or_make("publish", ("TriG and JSON-LD", hashlib.sha256(lines).hexdigest()),
                                  lambda lines=lines: _graph_parts(lines, shorten))
        if number:
            openings = openings or (parts[0].index(b"\n") + 1, len(graph_opening(_first_graph(lines), shorten)))
            parts = (parts[0][openings[0]:], b", " + parts[1][openings[1]:])
        trig.write(parts[0][:-len(TRIG_CLOSING)])
        jsonld.write(parts[1][:-len(JSONLD_CLOSING)])
    trig.write(TRIG_CLOSING)
    jsonld.write(JSONLD_CLOSING)


TRIG_CLOSING = b"}\n"  # how Oxigraph ends a graph's TriG


def _first_graph(lines: bytes) -> ox.NamedNode:
    return next(ox.parse(lines[:lines.index(b"\n") + 1], format=ox.RdfFormat.N_QUADS)).graph_name


def _chunks(file: int, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The (start, end) offsets of the chunks of a graph's sorted lines (a subject's lines are never
    cut apart): each ends before a subject whose CRC-32 has ``CHUNK_MASK``'s bits clear, or before
    the first new subject past ``CHUNK_AT_MOST`` bytes."""
    chunk, position, rest, last = start, start, b"", None
    while position < end:
        block = os.pread(file, min(READ_BLOCK << 4, end - position), position)
        at = position - len(rest)  # the offset of the first line below
        position += len(block)
        *lines, rest = (rest + block).split(b"\n")
        for line in lines:
            subject = line[:line.find(b" ")]
            if subject != last:
                if last is not None and (not zlib.crc32(subject) & CHUNK_MASK or at - chunk > CHUNK_AT_MOST):
                    yield chunk, at
                    chunk = at
                last = subject
            at += len(line) + 1
    if chunk < end:
        yield chunk, end


def _graph_parts(lines: bytes, shorten) -> tuple[bytes, bytes]:
    """One graph's part of the TriG and of the JSON-LD, from its N-Quads lines."""
    trig, jsonld = io.BytesIO(), io.BytesIO()
    _write_graph(lambda: ox.parse(lines, format=ox.RdfFormat.N_QUADS), trig, jsonld, shorten)
    return trig.getvalue(), jsonld.getvalue()


def _write_graph(quads: Callable[[], Iterator[ox.Quad]], trig, jsonld, shorten) -> None:
    """One graph's part of each format, from ``quads()`` (called once for each): its TriG as
    Oxigraph writes it, less the head; its JSON-LD, ``graph_jsonld``."""
    ox.serialize(quads(), _Past(trig, len(_trig_head())), format=ox.RdfFormat.TRIG, prefixes=vocab.PREFIXES)
    in_graph = quads()
    first = next(in_graph)
    for piece in graph_jsonld(first.graph_name, chain([first], in_graph), shorten):
        jsonld.write(piece)


@cache_once
def _trig_head() -> bytes:
    """What Oxigraph's TriG starts with, whatever the quads: a line for each prefix (every prefix,
    used or not)."""
    graph = "urn:partnerkg:head"
    quad = ox.Quad(ox.NamedNode(graph), ox.NamedNode(graph), ox.NamedNode(graph), ox.NamedNode(graph))
    written = ox.serialize([quad], format=ox.RdfFormat.TRIG, prefixes=vocab.PREFIXES)
    return written[:written.index(f"<{graph}> {{".encode())]


class _Past:
    """A writer that passes over the first ``skip`` bytes written to it (the TriG head of a
    graph's part: the dump has one) and writes the rest to ``handle``."""

    def __init__(self, handle, skip: int):
        self.handle, self.skip = handle, skip

    def write(self, data: bytes) -> int:
        cut = min(self.skip, len(data))
        self.skip -= cut
        if cut < len(data):
            self.handle.write(data[cut:])
        return len(data)

    def flush(self) -> None:
        pass


def _sorted_nquads(store: ox.Store, graphs: list[str], counts: dict[str, int], spans: list[tuple[int, int]],
                   folder: Path, presorted: Path | None = None) -> Iterator[bytes]:
    """The N-Quads of ``graphs``, graph after graph, each graph's lines sorted; ``spans`` gets
    each graph's (start, end) in the bytes written. ``folder``: where a graph too big to sort in
    memory is sorted (see ``_sorted_lines``); ``presorted``: where graphs are already sorted."""
    position = 0
    for name in graphs:
        start, counts[name] = position, 0
        kept = sorted_graph_file(presorted, name) if presorted else None
        for chunk in _copied(kept) if kept and kept.exists() else _graph_nquads(store, name, folder):
            counts[name] += chunk.count(b"\n")
            position += len(chunk)
            yield chunk
        spans.append((start, position))


def _copied(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            yield block


def _graph_nquads(store: ox.Store, name: str, folder: Path) -> Iterator[bytes]:
    """One graph's N-Quads lines, sorted, in chunks: its N-Triples from the store, sorted, each line
    given the graph ("s p o .\n" -> "s p o <g> .\n")."""
    suffix = f" {ox.NamedNode(name)} .\n".encode()
    for lines in _batches(_sorted_lines(store, ox.NamedNode(name), folder)):
        yield b"".join(line[:-3] + suffix for line in lines)


def _sorted_lines(store: ox.Store, graph: ox.NamedNode, folder: Path) -> Iterator[bytes]:
    """One graph's N-Triples lines from the store, in byte order (sorted in ``folder`` when too
    big for memory: ``store.lines.sorted_lines``)."""
    unsorted = folder / "graph.nt"
    store.dump(str(unsorted), format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    yield from sorted_lines(unsorted, folder)
    unsorted.unlink()


def _batches(lines: Iterator[bytes], size: int = 1 << 16) -> Iterator[list[bytes]]:
    while batch := list(islice(lines, size)):
        yield batch


def _write_turtle(parts: dict[str, tuple[Path, list[tuple[int, int]]]], outputs: dict[str, Path]) -> int:
    """Each part's triples, every graph merged, as Turtle; returns the distinct triples of all parts.

    Every graph's lines are sorted in its file (``spans``), so a merge of them gives every triple in
    order, the same triple from several graphs one after the other: it is written once, to each
    part it is in, through an N-Triples file pyoxigraph then turns into Turtle."""
    with ExitStack() as stack:
        streams = []
        for name, (path, spans) in parts.items():
            file = stack.enter_context(path.open("rb")).fileno()
            streams += [_triple_lines(file, start, end, name) for start, end in spans]
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=next(iter(outputs.values())).parent)))
        ntriples = {name: stack.enter_context((folder / f"{name}.nt").open("wb")) for name in parts}
        distinct = 0
        for line, group in groupby(heapq.merge(*streams), key=lambda item: item[0]):
            distinct += 1
            for name in sorted({part for _, part in group}):
                ntriples[name].write(line + b" .\n")
        for name, handle in ntriples.items():
            handle.close()
            with atomic_file(outputs[name]) as turtle:
                ox.serialize(ox.parse(path=str(folder / f"{name}.nt"), format=ox.RdfFormat.N_TRIPLES), turtle,
                             format=ox.RdfFormat.TURTLE, prefixes=vocab.PREFIXES)
    return distinct


def _triple_lines(file: int, start: int, end: int, part: str) -> Iterator[tuple[bytes, str]]:
    """The triples of one graph's N-Quads lines, in order: a line less its graph IRI, which has no
    space (lines sorted whole are sorted by their triples: the graph is the same on every line).

    Read a block at a time from the open ``file``: thousands of graphs are merged at once, each
    holding one block, and nothing is mapped into memory (a mapped dump counts in the build's
    memory as it is read: 7.5 GB at 10^6 agreements)."""
    position, rest = start, b""
    while position < end:
        block = os.pread(file, min(READ_BLOCK, end - position), position)
        if not block:
            raise OSError(f"{file}: the dump ended at byte {position}, before its graph's end ({end})")
        position += len(block)
        *lines, rest = (rest + block).split(b"\n")
        for line in lines:
            yield line.rsplit(b" ", 2)[0], part


if __name__ == "__main__":  # the second process of start_dumps: python -m partnerkg.publish.dump JOB
    job = json.loads(sys.argv[1])
    kept = BuildCache(Path(job["cache"]) if job["cache"] else None)
    triples = _write_the_other_formats(job, kept, forked=True)
    print(json.dumps({"triples": triples, "publish": kept.given("publish")}))
