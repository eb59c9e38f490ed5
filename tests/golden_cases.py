"""Golden cases: a folder per case under tests/golden/ with a document, its manifest and the
expected graph (expected.nq); test_golden.py builds each and compares the graphs. And the golden
seed build (tests/golden/seed-build/): the bundled seeds' two N-Quads dumps (gzipped, so that
`zcat` shows a change) and the SHA-256 of every file of the build that partnerkg writes itself
(the dumps, the JSON-LD, the build report); test_seeds.py compares a build of the seeds with it.

When a change of behaviour is meant, regenerate the expectations and read the diff before
committing it:

    python -m tests.golden_cases
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import ORG

from partnerkg import vocab
from partnerkg.pipeline import build

GOLDEN = Path(__file__).parent / "golden"
SEED_BUILD = GOLDEN / "seed-build"
SEED_DUMPS = ("partnerkg.nq", "partnerkg-inferred.nq")
# files of a build that partnerkg's own code writes, byte for byte: the Turtle and TriG dumps and
# void.ttl are left out (their layout is pyoxigraph's and rdflib's, and may change with a release
# of either), as are the store, the analyses and the report page (checked in another process)
SEED_FILES = (*SEED_DUMPS, "partnerkg.jsonld", "partnerkg-inferred.jsonld", "context.jsonld",
              "report/summary.json", "report/resolution.json", "report/rejections.csv", "report/skipped.csv",
              "report/warnings.csv", "report/unit-counts.csv", "report/review.csv", "report/validation.txt")
# what the resolution graph says of a case's entities that belongs to reading it
RESOLUTION_FACTS = (vocab.PKG.erasmusCode, vocab.PKG.country, ORG.unitOf)


def cases() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if (p / "manifest.toml").exists())


def built_graph(case: Path, workdir: Path) -> Graph:
    """Build a case in ``workdir`` (never in the checkout): its source's graph, and the resolution
    graph's Erasmus codes, countries and units of the entities it names."""
    copy = workdir / case.name
    shutil.copytree(case, copy, ignore=shutil.ignore_patterns("expected.nq"))
    result = build(copy / "manifest.toml", workdir / "out", report=False)
    dataset = Dataset()
    dataset.parse(result.output / "partnerkg.nq", format="nquads")
    graph = Graph()
    for source in result.manifest.sources:
        graph += dataset.graph(vocab.source_graph(source.id))
    named = set(graph.subjects()) | set(graph.objects())
    for s, p, o in dataset.graph(vocab.RESOLUTION_GRAPH):
        if p in RESOLUTION_FACTS and s in named:
            graph.add((s, p, o))
    return graph


def regenerate() -> None:
    for case in cases():
        with tempfile.TemporaryDirectory() as tmp:
            graph = built_graph(case, Path(tmp))
        lines = sorted(graph.serialize(format="nt").strip().split("\n"))
        (case / "expected.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{case.name}: {len(lines)} triples", file=sys.stderr)


def seed_sums(output: Path) -> str:
    """The SHA-256 list (``sha256sum`` format) of a build's SEED_FILES."""
    return "".join(f"{hashlib.sha256((output / name).read_bytes()).hexdigest()}  {name}\n" for name in SEED_FILES)


def regenerate_seed_build() -> None:
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(root / "sources", Path(tmp) / "sources")
        output = Path(tmp) / "output"
        build(Path(tmp) / "sources" / "manifest.toml", output, report=False)
        SEED_BUILD.mkdir(exist_ok=True)
        for name in SEED_DUMPS:
            data = gzip.compress((output / name).read_bytes(), compresslevel=9, mtime=0)
            (SEED_BUILD / f"{name}.gz").write_bytes(data)
        (SEED_BUILD / "SHA256SUMS").write_text(seed_sums(output), encoding="utf-8")
    print(f"seed build: {len(SEED_FILES)} files", file=sys.stderr)


if __name__ == "__main__":
    regenerate()
    regenerate_seed_build()
