"""The manifest: which documents to read, how, and whose agreements they hold.

One loader for the CLI and the library. It returns frozen dataclasses, and its errors name the
key, the bad value and what is allowed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ManifestError
from .model import ROLES
from .text import fold, slug

BUNDLED_MANIFEST = Path(__file__).resolve().parents[2] / "sources" / "manifest.toml"


@dataclass(frozen=True)
class Home:
    """The institution whose agreements a document lists (its name may be unknown)."""

    name: str = ""
    country: str = ""
    city: str = ""
    ror: str = ""  # the institution's ROR id, when known


@dataclass(frozen=True)
class KindConcept:
    """An agreement kind a manifest adds to the scheme (a programme the scheme lacks: SICUE)."""

    id: str
    label: str
    broader: str = ""


@dataclass(frozen=True)
class Part:
    """A stretch of a document read by one reader. Most documents are one part.

    ``columns`` maps a role to a header name, a 1-based position (JSON/YAML: a dotted field
    path), or a list of them whose values are put together (see model.JOINERS).
    """

    form: str
    columns: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # values for roles the document leaves implicit
    start: str = ""  # the part begins at the first line equal to this (after folding spaces)
    end: str = ""  # ... and stops before the first line equal to this
    kind_labels: tuple[tuple[str, str], ...] = ()  # the manifest's own kind labels: (folded label, id)


@dataclass(frozen=True)
class Source:
    id: str
    path: Path
    language: str
    home: Home
    parts: tuple[Part, ...]
    date: str = ""
    encoding: str = ""
    title: str = ""

    @property
    def file(self) -> str:
        """The file name used in messages and reports."""
        return self.path.name


@dataclass(frozen=True)
class Manifest:
    path: Path
    sources: tuple[Source, ...]
    lock: Path
    overrides: Path | None
    title: str = "partnerkg"
    ror: Path | None = None  # a ROR v2 dump (JSON, or gzipped JSON)
    kinds: dict[str, str] = field(default_factory=dict)  # folded label -> kind id ([kinds])
    new_kinds: tuple[KindConcept, ...] = ()  # concepts the manifest adds to the scheme
    personal_data: bool = False  # publish referents and e-mail addresses ([project] personal_data)
    shapes: tuple[Path, ...] = ()  # SHACL shapes of the user's own, checked beside the bundled ones


def load_manifest(path: str | Path | None = None) -> Manifest:
    """Read and check a manifest; with no path, the bundled one."""
    path = Path(path) if path else BUNDLED_MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: manifest not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None
    project = _table(data, "project", path, required=False)
    root = path.parent
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: key 'source' must be a list of [[source]] tables, got {entries!r}")
    kinds, new_kinds = _kinds(_table(data, "kinds", path, required=False), path)
    kind_labels = tuple(sorted(kinds.items()))
    sources = tuple(_source(entry, n, root, path, kind_labels) for n, entry in enumerate(entries, 1))
    ids = [s.id for s in sources]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ManifestError(f"{path}: source ids must be unique, repeated: {', '.join(duplicates)}")
    overrides = project.get("overrides", "")
    ror = project.get("ror", "")
    return Manifest(
        path=path,
        sources=sources,
        lock=root / project.get("lock", "partnerkg.lock.json"),
        overrides=root / overrides if overrides else None,
        title=project.get("title", "partnerkg"),
        ror=root / ror if ror else None,
        kinds=kinds,
        new_kinds=new_kinds,
        personal_data=_bool(project, "personal_data", path),
        shapes=tuple(root / p for p in _strings(project, "shapes", path)),
    )


def _strings(table: dict, key: str, where: Path | str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ManifestError(f"{where}: key '{key}' must be a list of file paths, got {value!r}")
    return value


def _bool(table: dict, key: str, where: Path | str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise ManifestError(f"{where}: key '{key}' must be true or false, got {value!r}")
    return value


def _kinds(table: dict, where: Path) -> tuple[dict[str, str], tuple[KindConcept, ...]]:
    """The manifest's [kinds]: a label -> a concept id of the scheme, or a table adding a concept.

    ``"ER" = "erasmus-bilateral"`` maps a document's own label; ``"SICUE" = { label = "SICUE
    (Spanish national exchange)", broader = "exchange" }`` adds a concept whose id is the key's slug.
    """
    from .normalise.kinds import concept_ids  # the scheme lives with normalisation

    known = set(concept_ids())
    new: list[KindConcept] = []
    targets: dict[str, Any] = {}
    for label, value in table.items():
        if isinstance(value, dict):
            unknown = set(value) - {"id", "label", "broader"}
            if unknown:
                raise ManifestError(f"{where}: [kinds] '{label}': unknown key(s) {sorted(unknown)}; "
                                    "allowed: id, label, broader")
            concept = KindConcept(str(value.get("id", slug(label))), str(value.get("label", label)),
                                  str(value.get("broader", "")))
            new.append(concept)
            targets[label] = concept.id
        else:
            targets[label] = value
    known |= {c.id for c in new}
    labels: dict[str, str] = {}
    for label, target in targets.items():
        if not isinstance(target, str) or target not in known:
            raise ManifestError(f"{where}: [kinds] '{label}' = {target!r}: not a concept of the scheme; allowed: "
                                f"{', '.join(sorted(known))}, or a table {{ label = ..., broader = ... }}")
        labels[fold(label)] = target
    for concept in new:
        if concept.broader and concept.broader not in known:
            raise ManifestError(f"{where}: [kinds] concept '{concept.id}': broader = {concept.broader!r} is not a "
                                f"concept; allowed: {', '.join(sorted(known))}")
        labels.setdefault(fold(concept.label), concept.id)
    return labels, tuple(new)

def _table(data: dict, key: str, where: Path | str, required: bool = True) -> dict:
    value = data.get(key, None if required else {})
    if not isinstance(value, dict):
        raise ManifestError(f"{where}: key '{key}' must be a table, got {value!r}")
    return value


def _source(entry: Any, n: int, root: Path, manifest: Path, kind_labels: tuple = ()) -> Source:
    where = f"{manifest}: [[source]] #{n}"
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: must be a table, got {entry!r}")
    if "path" not in entry:
        raise ManifestError(f"{where}: key 'path' is required (the document, relative to the manifest)")
    path = root / entry["path"]
    source_id = entry.get("id", path.stem)
    where = f"{manifest}: source '{source_id}'"
    if not isinstance(source_id, str) or not source_id.replace("_", "").replace("-", "").isalnum():
        raise ManifestError(f"{where}: key 'id' must be letters, digits, '-' or '_', got {source_id!r}")
    home = _table(entry, "home", where, required=False)
    unknown_home = set(home) - {"name", "country", "city", "ror"}
    if unknown_home:
        raise ManifestError(f"{where}: unknown key(s) in [home]: {sorted(unknown_home)}; "
                            "allowed: name, country, city, ror")
    if "part" in entry:
        if not isinstance(entry["part"], list):
            raise ManifestError(f"{where}: key 'part' must be a list of [[source.part]] tables")
        parts = tuple(_part(p, f"{where} part #{i}", kind_labels) for i, p in enumerate(entry["part"], 1))
    else:
        parts = (_part(entry, where, kind_labels),)
    return Source(
        id=source_id,
        path=path,
        language=str(entry.get("language", "")),
        home=Home(**{k: str(v) for k, v in home.items()}),
        parts=parts,
        date=str(entry.get("date", "")),
        encoding=str(entry.get("encoding", "")),
        title=str(entry.get("title", "")),
    )


def _part(entry: dict, where: str, kind_labels: tuple = ()) -> Part:
    from .read import READERS  # the registry of forms lives with the readers

    form = entry.get("form")
    if form not in READERS:
        raise ManifestError(f"{where}: key 'form' is {form!r}; allowed: {', '.join(sorted(READERS))}")
    columns = _table(entry, "columns", where, required=False)
    bad_roles = sorted(set(columns) - set(ROLES))
    if bad_roles:
        raise ManifestError(f"{where}: unknown column role(s) {bad_roles}; allowed: {', '.join(ROLES)}")
    for role, spec in columns.items():
        _check_column(role, spec, where)
    settings = _table(entry, "settings", where, required=False)
    allowed = READERS[form].settings
    unknown = sorted(set(settings) - allowed)
    if unknown:
        raise ManifestError(f"{where}: unknown setting(s) {unknown} for form '{form}'; allowed: "
                            f"{', '.join(sorted(allowed)) or 'none'}")
    defaults = _table(entry, "defaults", where, required=False)
    bad_roles = sorted(set(defaults) - set(ROLES))
    if bad_roles:
        raise ManifestError(f"{where}: unknown role(s) in defaults {bad_roles}; allowed: {', '.join(ROLES)}")
    return Part(
        form=form,
        columns=dict(columns),
        settings=dict(settings),
        defaults={k: str(v) for k, v in defaults.items()},
        start=str(entry.get("start", "")),
        end=str(entry.get("end", "")),
        kind_labels=kind_labels,
    )


def _check_column(role: str, spec: Any, where: str) -> None:
    """A column is a header name, a 1-based position, or a non-empty list of them."""
    items = spec if isinstance(spec, list) and spec else [spec]
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)) or (isinstance(item, int) and item < 1) \
                or (isinstance(item, str) and not item.strip()):
            raise ManifestError(f"{where}: column '{role}' = {spec!r}: expected a header name, a position "
                                "from 1, or a list of them")
