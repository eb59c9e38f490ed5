"""A store whose bulk loads run beside the build: Oxigraph's loader runs without Python's lock.

A build loads every graph it makes into its store: at 10^5 agreements the source graphs take
about 4 s of Oxigraph's loader, the inferred graph 3.5 s and the tallies 3 s, each while the build's
one Python thread waits, and the machine's other core does nothing. ``LoadingStore`` takes those
loads (``load_later``) and runs them one after another in a thread of its own while the build goes
on making the next graph; anything else asked of the store (a query, a pattern, its graphs, its
length) first waits for the loads queued before it, so that every reader sees every graph it was
given. A failed load raises when the store is next used.

A stage that loads a graph calls ``load(store, ...)``: later on a ``LoadingStore``, at once on any
other store. A file given to load later must stay as it is until the store is next used.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

QUEUED_AT_MOST = 128 << 20  # bytes of N-Quads held for loading later; past that, wait for the oldest


def load(store: ox.Store | LoadingStore, data: bytes | None = None, path: Path | None = None,
         graphs: tuple[ox.NamedNode, ...] = ()) -> None:
    """Bulk-load N-Quads (``data``, or the file at ``path``) that Oxigraph wrote, leniently: later
    on a ``LoadingStore``, at once on any other store. ``graphs``: the named graphs of the lines,
    each with one line at least, when the caller knows them (a ``LoadingStore`` then names its
    graphs without waiting for the load)."""
    if isinstance(store, LoadingStore):
        store.load_later(data, path, graphs)
    else:
        _bulk_load(store, data, path)


def _bulk_load(store: ox.Store, data: bytes | None, path: Path | None) -> None:
    # lenient: the lines are Oxigraph's own serialisation, so their IRIs are not checked again
    if path is not None:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
    else:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)


class LoadingStore:
    """An Oxigraph store (``store``) whose bulk loads are queued (``load_later``) and run in a
    thread; every other attribute is the store's, taken once the queued loads are done.

    >>> store = LoadingStore(ox.Store())
    >>> store.load_later(b'<urn:a> <urn:p> <urn:b> <urn:g> .\\n')
    >>> len(store), [g.value for g in store.named_graphs()]
    (1, ['urn:g'])
    >>> store.close()
    """

    def __init__(self, store: ox.Store):
        self.store = store
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="store-loads")
        # each queued load, with the bytes it holds and its graphs (None: not known)
        self._queued: deque[tuple[Future, int, frozenset | None]] = deque()

    def load_later(self, data: bytes | None = None, path: Path | None = None, graphs: tuple = ()) -> None:
        """Queue a load of N-Quads that Oxigraph wrote (``data``, or the file at ``path``);
        ``graphs``, as ``load`` takes them."""
        held = len(data) if path is None and data is not None else 0
        future = self._thread.submit(_bulk_load, self.store, data, path)
        self._queued.append((future, held, frozenset(graphs) or None))
        while sum(size for _, size, _ in self._queued) > QUEUED_AT_MOST and len(self._queued) > 1:
            self._queued.popleft()[0].result()  # bounded memory: the oldest done before more are held

    def named_graphs(self) -> list[ox.NamedNode]:
        """The store's named graphs, those it is loading included: without waiting when every
        queued load said its graphs (a graph half loaded is named; reading it waits)."""
        if any(graphs is None for _, _, graphs in self._queued):
            self.wait()
        loading = frozenset().union(*(graphs for _, _, graphs in self._queued))
        return list(set(self.store.named_graphs()) | loading)

    def wait(self) -> ox.Store:
        """The store, once every queued load is done (a failed one raises here)."""
        while self._queued:
            self._queued.popleft()[0].result()
        return self.store

    def close(self) -> None:
        """Wait for the queued loads and let the thread go."""
        try:
            self.wait()
        finally:
            self._thread.shutdown(wait=True, cancel_futures=True)

    def __getattr__(self, name: str):
        return getattr(self.wait(), name)

    def __len__(self) -> int:
        return len(self.wait())

    def __iter__(self):
        return iter(self.wait())

    def __contains__(self, quad: object) -> bool:
        return quad in self.wait()


def settled(store: ox.Store | LoadingStore | None) -> ox.Store | None:
    """The Oxigraph store itself, its loads done, and the thread loading it let go."""
    if isinstance(store, LoadingStore):
        store.close()
        return store.store
    return store


__all__ = ["LoadingStore", "load", "settled"]
