"""Store: the graph in an embedded Oxigraph store on disk, and SPARQL over it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import PartnerkgError


def open_store(path: Path) -> ox.Store:
    if not path.exists():
        raise PartnerkgError(f"{path}: no store here; run 'partnerkg build' first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise PartnerkgError(f"{path}: not a readable store ({exc}); run 'partnerkg build' to make it again") \
            from None
