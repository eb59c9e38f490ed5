"""A cache on disk for reference indexes that are slow to compute and the same in every run of the
same code and data: the country-name index, built from every CLDR locale, takes 1.5 s a process.

Kept in ``$PARTNERKG_CACHE`` (default: ``$XDG_CACHE_HOME/partnerkg`` or ``~/.cache/partnerkg``),
one pickle per index, named by a hash of everything it is computed from (the code of the modules
that compute it, the data files, the library versions): a change to any of them computes it again.
A cache that cannot be read or written is passed over.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..build_cache import pickled

T = TypeVar("T")


def cache_folder() -> Path:
    configured = os.environ.get("PARTNERKG_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partnerkg"


def cached(name: str, inputs: list[bytes | str], compute: Callable[[], T]) -> T:
    """``compute()``, or its value from the cache when computed before from the same ``inputs``."""
    digest = hashlib.sha256()
    for item in inputs:
        digest.update(item if isinstance(item, bytes) else item.encode("utf-8"))
        digest.update(b"\0")
    return pickled(cache_folder() / f"{name}-{digest.hexdigest()[:20]}.pickle", compute)
