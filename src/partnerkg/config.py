"""The manifest: which documents to read, how, and whose agreements they hold.

One loader for the CLI and the library. It returns frozen dataclasses, and its errors name the
key, the bad value and what is allowed.
"""

from __future__ import annotations

import codecs
import datetime
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .errors import ManifestError
from .model import ROLES
from .paths import EXAMPLE
from .read.settings import Settings, settings_from
from .text import fold, slug

BUNDLED_MANIFEST = EXAMPLE / "manifest.toml"


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
    settings: Settings = field(default_factory=lambda: Settings())
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
    names_language: str = ""  # BCP 47: the language the document writes partner names in, when one

    @property
    def file(self) -> str:
        """The file name used in messages and reports."""
        return self.path.name


CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


@dataclass(frozen=True)
class Publisher:
    name: str = ""
    url: str = ""  # its web address, which is also its IRI in the description


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
    publisher: Publisher = field(default_factory=lambda: Publisher())  # who publishes the dataset (VoID, DCAT)
    licence: str = CC0  # the dataset's licence, an IRI
    version: str = ""  # the release's version ('partnerkg publish'); empty: the newest source date



TOP_KEYS = frozenset({"project", "source", "kinds"})
PROJECT_KEYS = frozenset({"title", "lock", "overrides", "ror", "personal_data", "shapes", "publisher", "licence",
                          "version"})
PUBLISHER_KEYS = frozenset({"name", "url"})
SOURCE_KEYS = frozenset({"path", "id", "language", "names_language", "home", "date", "encoding", "title", "part"})
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PART_KEYS = frozenset({"form", "columns", "settings", "defaults", "start", "end"})
HOME_KEYS = frozenset({"name", "country", "city", "ror"})
_ROR_ID = re.compile(r"^https://ror\.org/0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$")
# BCP 47 (RFC 5646) well-formed tags: language, script, region, variants (extensions not needed here)
_LANGUAGE_TAG = re.compile(r"^(?P<language>[a-zA-Z]{2,3})(-[a-zA-Z]{4})?(-(?:[a-zA-Z]{2}|[0-9]{3}))?"
                           r"(-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$")


def load_manifest(path: str | Path | None = None, paths_outside: bool = False) -> Manifest:
    """Read and check a manifest; with no path, the bundled one.

    Everything is checked before anything runs: unknown keys, reader settings, regexes, positions,
    language tags, dates, ROR ids, and the lock and override files. Files the manifest names must lie
    in its folder unless ``paths_outside`` (``--paths-outside`` on the command line).
    """
    path = Path(path) if path else BUNDLED_MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: manifest not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: not valid TOML: {exc}") from None
    _no_unknown_keys(data, TOP_KEYS, f"{path}", "the manifest's top level")
    project = _table(data, "project", path, required=False)
    _no_unknown_keys(project, PROJECT_KEYS, f"{path}", "[project]")
    root = path.parent
    inside = partial(_inside, root=root, manifest=path, allowed=paths_outside)
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: key 'source' must be a list of [[source]] tables, got {entries!r}")
    kinds, new_kinds = _kinds(_table(data, "kinds", path, required=False), path)
    kind_labels = tuple(sorted(kinds.items()))
    sources = tuple(_source(entry, n, root, path, kind_labels, inside) for n, entry in enumerate(entries, 1))
    ids = [s.id for s in sources]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        clashes = "; ".join(f"{i!r} for " + ", ".join(s.path.name for s in sources if s.id == i) for i in duplicates)
        raise ManifestError(f"{path}: source ids must be unique, repeated: {clashes} (a source's id is its file "
                            "name without the extension unless it has an 'id'): give each of them an id = \"...\"; "
                            "an id names the source's IRIs, so keep it once chosen")
    overrides = _text(project, "overrides", path)
    ror = _text(project, "ror", path)
    manifest = Manifest(
        path=path,
        sources=sources,
        lock=inside(_text(project, "lock", path) or "partnerkg.lock.json", "lock"),
        overrides=inside(overrides, "overrides") if overrides else None,
        title=_text(project, "title", path) or "partnerkg",
        ror=inside(ror, "ror") if ror else None,
        kinds=kinds,
        new_kinds=new_kinds,
        personal_data=_bool(project, "personal_data", path),
        shapes=tuple(inside(p, "shapes") for p in _strings(project, "shapes", path)),
        publisher=_publisher(project, path),
        licence=_iri(project, "licence", path) or CC0,
        version=check_version(_text(project, "version", path), path),
    )
    _check_files(manifest)
    return manifest


def _check_files(manifest: Manifest) -> None:
    """The lock and override files parse (their loaders raise ManifestError naming the file), and
    what a reader can check of its document before reading it (the sheet a workbook must have)."""
    from .lock import load_lock
    from .read import READERS
    from .resolve.overrides import load_overrides

    load_lock(manifest.lock)
    load_overrides(manifest.overrides)
    for source in manifest.sources:
        for part in source.parts:
            check = READERS[part.form].check
            if check and source.path.exists() and (problem := check(source.path, part)):
                raise ManifestError(f"{manifest.path}: source '{source.id}': {problem}")


def _inside(relative: str, key: str, root: Path, manifest: Path, allowed: bool) -> Path:
    """``relative`` (a path the manifest names) under the manifest's folder; refused when it leads
    outside it (``..``, an absolute path) unless the user allowed that."""
    path = root / relative
    if not allowed and (Path(relative).is_absolute() or ".." in Path(os.path.normpath(relative)).parts):
        raise ManifestError(f"{manifest}: key '{key}' = {relative!r} leads outside the manifest's folder; keep "
                            "the files beside the manifest, or allow this with --paths-outside")
    return path


def _no_unknown_keys(table: dict, allowed: frozenset[str], where: str, what: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ManifestError(f"{where}: unknown key(s) {unknown} in {what}; allowed: {', '.join(sorted(allowed))}")


def _publisher(project: dict, where: Path) -> Publisher:
    """``publisher = { name = "...", url = "https://..." }`` (or just a name)."""
    value = project.get("publisher", {})
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        raise ManifestError(f"{where}: key 'publisher' must be a name or a table {{ name = ..., url = ... }}, "
                            f"got {value!r}")
    _no_unknown_keys(value, PUBLISHER_KEYS, f"{where}", "[project] publisher")
    return Publisher(name=_text(value, "name", where), url=_iri(value, "url", where))


def _iri(table: dict, key: str, where: Path | str) -> str:
    value = _text(table, key, where)
    if value and not _IRI.match(value):
        raise ManifestError(f"{where}: key '{key}' = {value!r} is not an http(s) IRI; expected e.g. "
                            f"'{CC0}'")
    return value


def check_version(value: str, where: Path | str) -> str:
    """A release version: it names a folder, so letters, digits, '.', '_' and '-' only."""
    if value and not _VERSION.match(value):
        raise ManifestError(f"{where}: version {value!r} is not a version; expected letters, digits, "
                            "'.', '_' or '-' (it names the release folder), e.g. '2026.11' or '1.0.0'")
    return value


def _text(table: dict, key: str, where: Path | str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ManifestError(f"{where}: key '{key}' must be a text, got {value!r}")
    return value


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
    from .reference.kinds import concept_ids  # the scheme lives with normalisation

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


def _source(entry: Any, n: int, root: Path, manifest: Path, kind_labels: tuple, inside) -> Source:
    where = f"{manifest}: [[source]] #{n}"
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: must be a table, got {entry!r}")
    if not isinstance(entry.get("path"), str) or not entry["path"].strip():
        raise ManifestError(f"{where}: key 'path' is required (the document, relative to the manifest)")
    path = inside(entry["path"], "path")
    source_id = entry.get("id", path.stem)
    where = f"{manifest}: source '{source_id}'"
    if not isinstance(source_id, str) or not source_id.replace("_", "").replace("-", "").isalnum():
        raise ManifestError(f"{where}: key 'id' must be letters, digits, '-' or '_', got {source_id!r}")
    home = _table(entry, "home", where, required=False)
    _no_unknown_keys(home, HOME_KEYS, where, "[home]")
    if home.get("ror") and not _ROR_ID.match(str(home["ror"])):
        raise ManifestError(f"{where}: [home] ror = {home['ror']!r} is not a ROR id; expected "
                            "https://ror.org/ and nine characters, e.g. https://ror.org/05sbt2524")
    if "part" in entry:
        _no_unknown_keys(entry, SOURCE_KEYS, where, "[[source]] (with parts: form, columns and settings go "
                         "in each [[source.part]])")
        if not isinstance(entry["part"], list) or not entry["part"]:
            raise ManifestError(f"{where}: key 'part' must be a list of [[source.part]] tables")
        for i, part in enumerate(entry["part"], 1):
            if not isinstance(part, dict):
                raise ManifestError(f"{where} part #{i}: must be a table, got {part!r}")
            _no_unknown_keys(part, PART_KEYS, f"{where} part #{i}", "[[source.part]]")
        parts = tuple(_part(p, f"{where} part #{i}", kind_labels) for i, p in enumerate(entry["part"], 1))
    else:
        _no_unknown_keys(entry, SOURCE_KEYS | PART_KEYS - {"part"}, where, "[[source]]")
        parts = (_part(entry, where, kind_labels),)
    return Source(
        id=source_id,
        path=path,
        language=_language(_text(entry, "language", where), where),
        names_language=_language(_text(entry, "names_language", where), where, "names_language"),
        home=Home(**{k: str(v) for k, v in home.items()}),
        parts=parts,
        date=_date(entry.get("date", ""), where),
        encoding=_encoding(_text(entry, "encoding", where), where),
        title=_text(entry, "title", where),
    )


def _language(tag: str, where: str, key: str = "language") -> str:
    """A BCP 47 tag whose language is an ISO 639 language ('fr', 'pt-BR', 'zh-Hant')."""
    import pycountry

    match = _LANGUAGE_TAG.match(tag)
    code = match["language"].lower() if match else ""
    known = code and (pycountry.languages.get(alpha_2=code) if len(code) == 2 else
                      pycountry.languages.get(alpha_3=code))
    if tag and not known:
        raise ManifestError(f"{where}: key '{key}' = {tag!r} is not a BCP 47 language tag; expected an ISO 639 "
                            "code, optionally with script and region: 'fr', 'de', 'pt-BR', 'zh-Hant'")
    return tag


def _date(value: Any, where: str) -> str:
    """An ISO 8601 date, month or year ('2024-03-01', '2024-03', '2024'); a TOML date is taken too."""
    text = value.isoformat() if isinstance(value, datetime.date) else value
    formats = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
    try:
        if text:
            datetime.datetime.strptime(text, formats[len(text)])
    except (TypeError, KeyError, ValueError):
        raise ManifestError(f"{where}: key 'date' = {value!r} is not a date; expected YYYY-MM-DD, YYYY-MM "
                            "or YYYY") from None
    return text


def _encoding(name: str, where: str) -> str:
    if name:
        try:
            codecs.lookup(name)
        except LookupError:
            raise ManifestError(f"{where}: key 'encoding' = {name!r} is not an encoding Python knows; e.g. "
                                "'utf-8', 'cp1252', 'utf-16'") from None
    return name


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
    settings = settings_from(_table(entry, "settings", where, required=False), READERS[form].settings,
                             f"{where} (form '{form}')")
    defaults = _table(entry, "defaults", where, required=False)
    bad_roles = sorted(set(defaults) - set(ROLES))
    if bad_roles:
        raise ManifestError(f"{where}: unknown role(s) in defaults {bad_roles}; allowed: {', '.join(ROLES)}")
    return Part(
        form=form,
        columns=dict(columns),
        settings=settings,
        defaults={k: str(v) for k, v in defaults.items()},
        start=_text(entry, "start", where),
        end=_text(entry, "end", where),
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
