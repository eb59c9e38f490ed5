"""Publish a release: a versioned folder a publisher can put online as it is.

``release/partnerkg-<version>/`` holds both dumps in every format and gzipped, the JSON-LD context,
the ontology, its HTML documentation (pyLODE), the SHACL shapes, a VoID/DCAT description of all of
it (sizes, checksums, the endpoint) and ``SHA256SUMS`` (``sha256sum -c`` reads it). A release is
never overwritten: the folder is written beside its place and renamed into it, once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

from rdflib import Graph

from ..atomic import atomic_file, write_atomic
from ..config import check_version
from ..errors import PartnerkgError
from ..paths import ONTOLOGY, OUTPUT, SHAPES
from .dump import ASSERTED, CONTEXT, EXTENSIONS, INFERRED
from .void import describe, read_about

RELEASES = Path("release")
SUMS = "SHA256SUMS"
DOCS = "ontology.html"
COPY_BLOCK = 1 << 20  # bytes read at a time when a dump is copied and compressed


def publish(output: str | Path = OUTPUT, release: str | Path = RELEASES, version: str = "", endpoint: str = "",
            base_url: str = "") -> Path:
    """Write the release of a built ``output`` folder under ``release``; returns its folder.

    ``version``: the release's name (default: the manifest's ``[project] version``, else the newest
    source date); ``endpoint``: a SPARQL endpoint serving the data, stated in the VoID;
    ``base_url``: where the release folders will be online (gives each file its download URL).

    >>> import partnerkg, tempfile
    >>> work = Path(tempfile.mkdtemp())
    >>> _ = (work / "partners.md").write_text("| Pays | Institution |\\n|---|---|\\n| Suède | KTH |\\n")
    >>> _ = (work / "manifest.toml").write_text('''[[source]]
    ... path = "partners.md"
    ... home = { name = "Université Test", country = "FR" }
    ... form = "markdown-table"
    ... columns = { country = "Pays", partner = "Institution" }''')
    >>> _ = partnerkg.build(work / "manifest.toml", work / "output", report=False)
    >>> folder = publish(work / "output", work / "release", version="1.0")
    >>> folder.name, (folder / "partnerkg.nq.gz").exists(), (folder / "ontology.html").exists()
    ('partnerkg-1.0', True, True)
    """
    output, release = Path(output), Path(release)
    void = output / "void.ttl"
    if not void.exists():
        raise PartnerkgError(f"{void}: no dataset description here; run 'partnerkg build' first")
    about, graph_triples, triples = read_about(Graph().parse(void))
    version = check_version(version or about.version or about.modified, "--version")
    if not version:
        raise PartnerkgError("the release needs a version: give --version, or [project] version in the manifest")
    target = release / f"partnerkg-{version}"
    if target.exists():
        raise PartnerkgError(f"{target}: this release exists; a release is never overwritten, give another --version")
    release.mkdir(parents=True, exist_ok=True)
    staging = release / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        described = _copy_dumps(output, staging)
        described.append(_ontology_docs(staging / DOCS))
        _copy_folder(ONTOLOGY, staging / "ontology")
        _copy_folder(SHAPES, staging / "shapes")
        download_base = f"{base_url.rstrip('/')}/{target.name}" if base_url else ""
        description = describe(replace(about, version=version), graph_triples, triples, described, endpoint,
                               download_base)
        write_atomic(staging / "void.ttl", description.serialize(format="turtle", encoding="utf-8"))
        write_atomic(staging / SUMS, _sums(staging))
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _copy_dumps(output: Path, staging: Path) -> list[Path]:
    """Each dump file and a gzipped copy (without a time stamp: same dump, same bytes)."""
    copied = []
    for name in (f"{dump}.{extension}" for dump in (ASSERTED, INFERRED) for extension in EXTENSIONS):
        source = output / name
        if not source.exists():
            raise PartnerkgError(f"{source}: missing from the build; run 'partnerkg build' again")
        # streamed, never read whole: a dump is gigabytes at scale
        with source.open("rb") as read, atomic_file(staging / name) as copy:
            shutil.copyfileobj(read, copy, COPY_BLOCK)
        with source.open("rb") as read, atomic_file(staging / f"{name}.gz") as packed, \
                gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=packed, mtime=0) as gz:
            shutil.copyfileobj(read, gz, COPY_BLOCK)
        copied += [staging / name, staging / f"{name}.gz"]
    write_atomic(staging / CONTEXT, (output / CONTEXT).read_bytes())
    return copied


def _ontology_docs(path: Path) -> Path:
    """The ontology's HTML documentation, made by pyLODE."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from pylode import OntPub  # importing it sets the root logger to DEBUG: put it back

    root.handlers[:], root.level = handlers, level
    html = OntPub(ontology=str(ONTOLOGY / "partnerkg.ttl"), sort_subjects=True).make_html()
    write_atomic(path, _sorted_schema_org(html).encode("utf-8"))
    return path


_SCHEMA_ORG = re.compile(r'(<script id="schema.org" type="application/ld\+json">)(.*?)(</script>)', re.S)


def _sorted_schema_org(html: str) -> str:
    """pyLODE's embedded schema.org JSON-LD lists its nodes in hash order: sorted, the page is the
    same bytes in every run."""
    def stable(match: re.Match) -> str:
        nodes = json.loads(match[2])
        if isinstance(nodes, list):
            nodes.sort(key=lambda node: json.dumps(node, sort_keys=True))
        return f"{match[1]}\n{json.dumps(nodes, indent=2, ensure_ascii=False)}\n\t{match[3]}"

    return _SCHEMA_ORG.sub(stable, html)


def _copy_folder(source: Path, target: Path) -> None:
    target.mkdir()
    for path in sorted(source.glob("*.ttl")):
        write_atomic(target / path.name, path.read_bytes())


def _sums(folder: Path) -> bytes:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        with path.open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}\n")
    return "".join(lines).encode("utf-8")
