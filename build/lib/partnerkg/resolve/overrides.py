"""The user's override file: force or forbid merges that resolution got wrong.

    [[same]]
    names = ["Name A", "Name B"]      # these resolve to one institution

    [[different]]
    names = ["Name C", "Name D"]      # these never do
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ManifestError
from .names import name_key


@dataclass(frozen=True)
class Overrides:
    same: tuple[frozenset[str], ...] = ()
    different: tuple[frozenset[str], ...] = field(default_factory=tuple)

    def forbids(self, a: str, b: str) -> bool:
        """Whether the override file keeps two names (their name keys) apart."""
        return any(a in group and b in group for group in self.different)


def load_overrides(path: Path | None) -> Overrides:
    if path is None or not path.exists():
        return Overrides()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"same", "different"})
    if unknown:
        raise ManifestError(f"{path}: unknown key(s) {unknown}; allowed: [[same]], [[different]]")
    groups = {}
    for kind in ("same", "different"):
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise ManifestError(f"{path}: '{kind}' must be a list of [[{kind}]] tables, got {entries!r}")
        for n, entry in enumerate(entries, 1):
            names = entry.get("names") if isinstance(entry, dict) else None
            if not isinstance(names, list) or len(names) < 2 or not all(isinstance(x, str) for x in names):
                raise ManifestError(f"{path}: [[{kind}]] #{n}: key 'names' must list two names or more, got {names!r}")
        groups[kind] = tuple(frozenset(name_key(n) for n in e["names"]) for e in entries)
    return Overrides(same=groups["same"], different=groups["different"])
