"""The lock file: an append-only map from entity keys to minted IRI keys, kept beside the manifest.

A hash of today's best name cannot keep an IRI stable when a new document adds another name; this
map can. Every key ever seen keeps its IRI; new keys get new IRIs; merging two entities records
the absorbed IRI under ``merged`` so that it stays resolvable (``owl:sameAs`` the survivor).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ManifestError
from .text import slug


@dataclass
class Lock:
    entries: dict[str, str] = field(default_factory=dict)  # entity key -> minted id
    merged: dict[str, str] = field(default_factory=dict)  # absorbed id -> surviving id
    added: int = 0
    _taken: set[str] | None = field(default=None, repr=False, compare=False)  # the ids in entries, once asked

    def mint(self, key: str, name: str, prefix: str) -> str:
        """The id of a key, minting a readable, unused one the first time the key is seen."""
        if key in self.entries:
            return self.merged.get(self.entries[key], self.entries[key])
        base = f"{prefix}/{slug(name)}"
        if self._taken is None:  # kept from then on: a set made at every mint made minting quadratic
            self._taken = set(self.entries.values())
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self.entries[key] = candidate
        self._taken.add(candidate)
        self.added += 1
        return candidate

    def alias(self, key: str, entity_id: str) -> None:
        """Record another key for an existing entity."""
        if key not in self.entries:
            self.entries[key] = entity_id
            if self._taken is not None:
                self._taken.add(entity_id)
            self.added += 1


def load_lock(path: Path) -> Lock:
    """The lock file at ``path`` (an empty lock when there is none yet)."""
    if not path.exists():
        return Lock()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: the lock file is not valid JSON ({exc}); restore it from version control "
                            "(it keeps the IRIs stable), or delete it to mint new ones") from None
    tables = [data.get(key, {}) if isinstance(data, dict) else None for key in ("entries", "merged")]
    if not all(isinstance(t, dict) and all(isinstance(v, str) for v in t.values()) for t in tables):
        raise ManifestError(f"{path}: the lock file must be an object with 'entries' and 'merged' mapping keys to "
                            "ids; restore it from version control, or delete it to mint new ones")
    return Lock(entries=dict(tables[0]), merged=dict(tables[1]))


def dump_lock(lock: Lock) -> str:
    data = {"version": 1, "entries": dict(sorted(lock.entries.items())), "merged": dict(sorted(lock.merged.items()))}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
