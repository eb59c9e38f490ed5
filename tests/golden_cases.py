"""Golden cases: a folder per case under tests/golden/ with a document, its manifest and the
expected graph (expected.nq); test_golden.py builds each and compares the graphs.

When a change of behaviour is meant, regenerate the expectations and read the diff before
committing it:

    python -m tests.golden_cases
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import ORG

from partnerkg import vocab
from partnerkg.pipeline import build

GOLDEN = Path(__file__).parent / "golden"
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


if __name__ == "__main__":
    regenerate()
