"""The build's store loads its graphs in a thread: readers see every graph given before them."""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest

from partnerkg import pipeline
from partnerkg.config import load_manifest
from partnerkg.store import loading
from partnerkg.store.loading import LoadingStore, load, settled


def _lines(graph: str, count: int) -> bytes:
    return b"".join(f"<urn:s{i}> <urn:p> \"{i}\" <urn:{graph}> .\n".encode() for i in range(count))


def test_a_load_runs_beside_the_caller_and_a_reader_waits_for_it(monkeypatch):
    started, release, threads = threading.Event(), threading.Event(), []
    bulk_load = loading._bulk_load

    def held(store, data, path):  # the load starts, then waits until the test lets it go
        threads.append(threading.current_thread().name)
        started.set()
        release.wait(10)
        bulk_load(store, data, path)

    monkeypatch.setattr(loading, "_bulk_load", held)
    store = LoadingStore(ox.Store())
    store.load_later(_lines("g", 3), graphs=(ox.NamedNode("urn:g"),))
    assert started.wait(10)  # the load has begun and is held, yet the caller goes on
    # its graphs are named while it loads (said by the caller), yet nothing is in the store
    assert [graph.value for graph in store.named_graphs()] == ["urn:g"] and len(store.store) == 0
    release.set()
    assert len(store) == 3  # asked of the LoadingStore: after the load
    assert threads == ["store-loads_0"]
    store.close()


def test_graphs_are_named_after_the_loads_that_do_not_say_theirs(tmp_path):
    store = LoadingStore(ox.Store())
    load(store, _lines("said", 1), graphs=(ox.NamedNode("urn:said"),))
    load(store, _lines("unsaid", 1))
    assert sorted(graph.value for graph in store.named_graphs()) == ["urn:said", "urn:unsaid"]
    store.close()


def test_every_queued_load_lands_in_order_when_few_bytes_may_wait(monkeypatch, tmp_path):
    monkeypatch.setattr(loading, "QUEUED_AT_MOST", 1)  # each load waits for the one before
    store = LoadingStore(ox.Store())
    (tmp_path / "g9.nq").write_bytes(_lines("g9", 4))
    for number in range(9):
        load(store, _lines(f"g{number}", number + 1))
    load(store, path=tmp_path / "g9.nq")
    assert sorted(graph.value for graph in store.named_graphs()) == [f"urn:g{n}" for n in range(10)]
    assert len(store) == sum(range(1, 10)) + 4
    assert isinstance(settled(store), ox.Store)


def test_a_failed_load_is_raised_when_the_store_is_next_used():
    store = LoadingStore(ox.Store())
    store.load_later(b"<urn:s> <urn:p> no object here .\n")
    with pytest.raises(SyntaxError):
        store.named_graphs()
    store.close()


def test_load_on_a_plain_store_is_at_once():
    store = ox.Store()
    load(store, _lines("g", 2))
    assert len(store) == 2 and settled(store) is store


def test_a_built_store_is_settled_and_holds_the_tallies(seed_project):
    """The result's store is Oxigraph's own, its loads done: the last of them, the tallies, in it."""
    built = pipeline.build_graph(load_manifest(seed_project))
    assert isinstance(built.store, LoadingStore)
    store = settled(built.store)
    tallies = ox.NamedNode(str(pipeline.vocab.TALLY_GRAPH))
    assert type(store) is ox.Store and tallies in set(store.named_graphs())
    assert len(list(store.quads_for_pattern(None, None, None, tallies))) > 1_000
