"""The build cache: what a stage made from the same inputs, kept between builds.

A rebuild after one document changed reads only that document again, clusters again only the
names of the countries whose names changed, maps again only the named graphs whose rows or
entities changed, reasons again only from the graphs whose lines changed, validates again only the
nodes those lines touch (``validate.incremental``), makes its store from the last build's with the
quads that changed, and writes again the TriG and JSON-LD of the graphs that changed; everything
else is taken from the cache. (Tallies, Turtle, the analyses and the report page still run on the
whole graph.) An entry's key is a digest of everything its result
depends on: its inputs (file bytes, the manifest entry, the names to cluster), and partnerkg's own
code and data (a new version, or an edited file, misses every entry). A hit is therefore the
result the stage would make; a build with the cache gives the same bytes as one without
(``tests/test_incremental.py``).

Entries are pickles, one file each, written atomically under ``<folder>/<stage>/``. The cache of
an output folder lives beside it (``.output-cache`` beside ``output``); it keeps the entries the
last build used and drops the others (``prune``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from .atomic import atomic_file
from .parallel import made_in_order

T = TypeVar("T")


def cache_folder(output: Path) -> Path:
    """Where the cache of the builds into ``output`` goes: a hidden folder beside it.

    >>> cache_folder(Path("/data/output")).as_posix()
    '/data/.output-cache'
    """
    return output.with_name(f".{output.name}-cache")


class BuildCache:
    """Entries by stage and key. ``folder=None``: nothing is kept (every ``get_or_make`` makes).

    >>> import tempfile
    >>> built = BuildCache(Path(tempfile.mkdtemp()))
    >>> built.get_or_make("square", (3,), lambda: 3 * 3)
    9
    >>> built.get_or_make("square", (3,), lambda: "not called: the entry is kept")
    9
    >>> built.counts["square"]
    Counter({'made': 1, 'reused': 1})
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.used: dict[str, set[str]] = {}
        self.counts: dict[str, Counter] = {}
        self.graphs_token: str | None = None  # the name of the lines this build kept (``keep_graphs``)

    def get_or_make(self, stage: str, inputs: object, make: Callable[[], T]) -> T:
        """The entry of ``stage`` for ``inputs`` (anything ``digest`` takes), made by ``make`` and
        kept when there is none."""
        counts = self.counts.setdefault(stage, Counter())
        if self.folder is None:
            counts["made"] += 1
            return make()
        key = digest(inputs)
        self.used.setdefault(stage, set()).add(key)
        made = False

        def make_counted() -> T:
            nonlocal made
            made = True
            return make()

        value = pickled(self.folder / stage / f"{key}.pickle", make_counted)
        counts["made" if made else "reused"] += 1
        return value

    def get_or_make_each(self, stage: str, items: Sequence[tuple[object, tuple]], make: Callable[..., T],
                         sizes: Sequence[int] = (), ahead: int = 0) -> Iterator[T]:
        """``get_or_make(stage, inputs, lambda: make(*arguments))`` for each ``(inputs, arguments)``
        of ``items``, in order; the entries missing are made ahead in worker processes
        (``parallel.made_in_order``, with ``sizes`` and ``ahead``: ``make`` must be a module's function).

        >>> list(NO_CACHE.get_or_make_each("power", [((2, 3), (2, 3)), ((3, 2), (3, 2))], pow))
        [8, 9]
        """
        counts = self.counts.setdefault(stage, Counter())
        paths = [self.folder / stage / f"{digest(inputs)}.pickle" if self.folder else None for inputs, _ in items]
        if self.folder is not None:
            self.used.setdefault(stage, set()).update(path.stem for path in paths)
        missing = {n for n, path in enumerate(paths) if path is None or not path.exists()}
        made = made_in_order(make, [arguments for n, (_, arguments) in enumerate(items) if n in missing],
                             sizes=[size for n, size in enumerate(sizes) if n in missing], ahead=ahead)
        for n, (path, (_, arguments)) in enumerate(zip(paths, items, strict=True)):
            value = _UNREAD if n in missing else _unpickled(path)
            if value is _UNREAD:  # (an entry there but unreadable is made here)
                value = next(made) if n in missing else make(*arguments)
                counts["made"] += 1
                if path is not None:
                    _keep(path, value)
            else:
                counts["reused"] += 1
            yield value

    def given(self, stage: str) -> dict:
        """What ``stage`` took from this cache and made for it, for another process's cache of the
        same folder to ``take`` (a build's second process writes Turtle, TriG and JSON-LD)."""
        return {"used": sorted(self.used.get(stage, ())), "counts": dict(self.counts.get(stage, {}))}

    def take(self, stage: str, given: dict) -> None:
        """Count as this build's what another process's cache ``given`` of ``stage``."""
        if self.folder is not None:  # (without a folder nothing is kept, so nothing is used)
            self.used.setdefault(stage, set()).update(given["used"])
        self.counts.setdefault(stage, Counter()).update(given["counts"])

    def prune(self) -> None:
        """Drop the entries of every stage this build used that it did not use: the cache holds
        the last build's entries, not every build's."""
        for stage, keys in self.used.items():
            for path in (self.folder / stage).glob("*.pickle"):
                if path.stem not in keys:
                    path.unlink(missing_ok=True)

    def last_build(self, inputs: object) -> object | None:
        """The result of the last build, when its inputs were ``inputs`` and the files it wrote are
        still as it wrote them (same sizes and times): then a build has nothing to do."""
        if self.folder is None:
            return None
        kept = pickled(self.folder / "build.pickle", lambda: None)
        if kept is None or kept[0] != digest(inputs) or kept[2] != _fingerprint(kept[3]):
            return None
        self.counts["build"] = Counter(reused=1)
        return kept[1]

    def keep_build(self, inputs: object, result: object, files: list[Path]) -> None:
        """Remember a build's result, what it was made from, and the files it wrote."""
        if self.folder is not None:
            files = sorted(files)
            try:
                with atomic_file(self.folder / "build.pickle", durable=False) as handle:
                    pickle.dump((digest(inputs), result, _fingerprint(files), files, self.graphs_token, code_digest()),
                                handle)
            except OSError:
                pass  # a cache that cannot be written is passed over (see ``pickled``)

    def kept_graphs(self) -> object | None:
        """What the last build kept with its graphs' sorted lines (``keep_graphs``), with ``folder``
        set to where the lines are; None when there is nothing kept (or it cannot be read)."""
        if self.folder is None:
            return None
        kept = _unpickled(self.folder / "graphs" / "kept.pickle")
        if not (isinstance(kept, tuple) and len(kept) == 2):
            return None
        token, value = kept
        folder = self.folder / "graphs" / f"lines-{token}"
        return dataclasses.replace(value, folder=folder) if folder.is_dir() else None

    def keep_graphs(self, value: object, lines: Path) -> None:
        """Keep the folder of a build's graphs' sorted lines (moved here) and ``value``, a dataclass
        with a ``folder`` field, for the next build. The lines go under a new name and the record
        naming them is written after: a build killed halfway leaves the last record whole."""
        if self.folder is None:
            return
        token = hashlib.sha256(f"{lines}{time.time_ns()}".encode()).hexdigest()[:16]
        kept = self.folder / "graphs"
        try:
            kept.mkdir(parents=True, exist_ok=True)
            shutil.move(lines, kept / f"lines-{token}")
            with atomic_file(kept / "kept.pickle", durable=False) as handle:
                pickle.dump((token, dataclasses.replace(value, folder=None)), handle)
        except OSError:
            return  # a cache that cannot be written is passed over (see ``pickled``)
        self.graphs_token = token
        for old in kept.glob("lines-*"):
            if old.name != f"lines-{token}":
                shutil.rmtree(old, ignore_errors=True)

    def kept_store(self, store: Path) -> Path | None:
        """The folder of the kept lines (``keep_graphs``) of every graph of ``store``, the store
        the last build wrote: when that build kept its graphs' lines, was made by this partnerkg and
        these libraries, and the store's files are as it wrote them (sizes and times). None
        otherwise."""
        graphs = self.kept_graphs()
        if graphs is None:
            return None
        last = _unpickled(self.folder / "build.pickle")
        if not (isinstance(last, tuple) and len(last) == 6 and graphs.folder.name == f"lines-{last[4]}"
                and last[5] == code_digest()):  # another Oxigraph may not read the store as this one
            return None
        written = [entry for entry in last[2] if Path(entry[0]).is_relative_to(store)]
        return graphs.folder if written and written == _fingerprint([store]) else None

    def summary(self) -> str:
        """What was reused, stage by stage, for the build's log: 'read: 1 made, 199 reused'."""
        return "; ".join(f"{stage}: " + ", ".join(f"{n} {what}" for what, n in sorted(c.items()))
                         for stage, c in sorted(self.counts.items()))


NO_CACHE = BuildCache(None)


def pickled(path: Path, make: Callable[[], T]) -> T:
    """The value pickled in ``path``, or ``make()``'s, pickled there for the next time. A file that
    cannot be read (none, or one a killed process left unreadable) is made again; one that cannot
    be written is passed over: a cache never stops the work it saves."""
    if (value := _unpickled(path)) is not _UNREAD:
        return value
    value = make()
    _keep(path, value)
    return value


def _keep(path: Path, value: object) -> None:
    try:
        with atomic_file(path, durable=False) as handle:  # never a half-written entry
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:  # (passed over: a cache never stops the work it saves)
        pass


_UNREAD = object()  # what ``_unpickled`` gives for a file it cannot read


def _unpickled(path: Path) -> object:
    """The value pickled in ``path``; ``_UNREAD`` when there is none that can be read (no file, or
    one a killed process left unreadable, or one pickled by another version of a class)."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return _UNREAD


def digest(value: object) -> str:
    """A digest of ``value`` and of partnerkg's code, the same in every process: sets and dicts are
    taken in sorted order (their iteration order changes with each process's string hashing),
    dataclasses field by field, paths as their absolute text; ``bytes`` as they are.

    >>> digest({"b": {2, 1}, "a": Path("x")}) == digest({"a": Path("x"), "b": {1, 2}})
    True
    >>> digest(("a", 1)) == digest(("a", "1"))
    False
    """
    hasher = hashlib.sha256(code_digest().encode())
    hasher.update(repr(_canonical(value)).encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()[:32]


_PLAIN = frozenset({str, int, float, bool, bytes, type(None)})


def _canonical(value: object) -> object:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return (kind.__name__,) + tuple(v if type(v) in _PLAIN else _canonical(v) for v in value)
    if names := _field_names(kind):
        return (kind.__name__,) + tuple(v if type(v) in _PLAIN else _canonical(v)
                                        for v in map(value.__getattribute__, names))
    if isinstance(value, Path):  # however it is spelled: a build run from another folder is the same build
        return (kind.__name__, str(value.absolute()))
    if isinstance(value, Enum):
        return (kind.__name__, str(value))
    if isinstance(value, dict):
        return ("dict",) + tuple(sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr))
    if isinstance(value, set | frozenset):
        return ("set",) + tuple(sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, list | tuple):
        return (kind.__name__,) + tuple(_canonical(v) for v in value)
    raise TypeError(f"the build cache cannot key on a {kind.__name__}")


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names (none for any other type): what its digest is made of."""
    return tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()


def _fingerprint(files: list[Path]) -> list[tuple]:
    """Each file's size and modification time (a folder: each of its files'); none for a file gone."""
    prints = []
    for path in files:
        for item in sorted(path.rglob("*")) if path.is_dir() else [path]:
            try:
                stat = item.stat()
                prints.append((str(item), stat.st_size, stat.st_mtime_ns))
            except OSError:
                prints.append((str(item), None, None))
    return prints


def file_digest(path: Path) -> str:
    """The digest of a file's bytes ('missing' when there is no such file: reading it fails anew).
    Hashed once while its size and time stay the same: a build asks for each of its files twice
    (is the output up to date? may a document's rows be reused?)."""
    try:
        stat = path.stat()
        return _hashed(path, stat.st_size, stat.st_mtime_ns)
    except OSError:
        return "missing"


@lru_cache(maxsize=4096)
def _hashed(path: Path, size: int, mtime_ns: int) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@cache
def code_digest() -> str:
    """A digest of every file of the partnerkg package (code and bundled data) and of the versions
    of the libraries it needs (Babel's country names, Oxigraph's parser...), so that an entry made
    by another version of either is never taken for this one's."""
    package = Path(__file__).parent
    hasher = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(package).as_posix().encode())
            hasher.update(path.read_bytes())
    hasher.update(repr(_library_versions()).encode())
    return hasher.hexdigest()


def _library_versions() -> list[str]:
    try:
        required = metadata.requires("partnerkg") or []
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return []
    names = sorted({re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0] for line in required if "extra ==" not in line})
    versions = []
    for name in names:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return versions
