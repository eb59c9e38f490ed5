"""Store: the graph in an embedded Oxigraph store on disk, and SPARQL over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from .errors import PartnerkgError


def load_store(path: Path, nquads: bytes) -> int:
    """Replace the store at ``path`` with the given N-Quads; returns the number of quads.

    The new store is built beside the old one and swapped in, so a failed build leaves the last
    good store in place.
    """
    staging = path.with_name(path.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    store = ox.Store(str(staging))
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    count = len(store)
    del store
    shutil.rmtree(path, ignore_errors=True)
    staging.rename(path)
    return count


def open_store(path: Path) -> ox.Store:
    if not path.exists():
        raise PartnerkgError(f"{path}: no store here; run 'partnerkg build' first")
    return ox.Store.read_only(str(path))
