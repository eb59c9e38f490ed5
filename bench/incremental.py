"""Benchmark: a rebuild after one document changed, against the whole build, stage by stage.

    python bench/incremental.py [--agreements 100000] [--work DIR]

A generated corpus (`partnerkg generate`) is built three times into one output folder, each build
in a process of its own, as `partnerkg build` runs: with no build cache (the baseline); again with
nothing changed; and after one document lost its last row (the edit is the same whatever the
document's form: its last non-empty line goes). Then the changed corpus is built once more without
the cache, and the outputs of the two builds of it are compared byte for byte, and their stores
quad for quad. Printed: a Markdown table of seconds per stage for each build, and what the cache reused.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

STAGES = ["read and normalise", "resolve", "map", "reason (OWL 2 RL)", "validate (SHACL)", "tally", "publish and store",
          "analyse the network", "report with figures"]
BUILDS = {"whole": "whole build, no cache", "same": "nothing changed", "changed": "one document changed",
          "changed-whole": "one document changed, no cache"}


def run_one(manifest: str, output: str, cache: bool) -> dict:
    """One build as `partnerkg build` runs it (in this process), timed stage by stage."""
    from partnerkg.pipeline import build

    stages: dict[str, float] = {}

    @contextmanager
    def step(name: str):
        started = time.perf_counter()
        yield
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - started

    started = time.perf_counter()
    result = build(manifest, output, paths_outside=True, cache=cache, step=step)
    return {"stages": stages, "total": time.perf_counter() - started, "cached": result.cached}


def drop_last_row(corpus: Path) -> Path:
    """The first document (in manifest order) of a line-per-row form, without its last row."""
    import tomllib

    manifest = tomllib.loads((corpus / "manifest.toml").read_text(encoding="utf-8"))
    for source in manifest["source"]:
        path = corpus / source["path"]
        if path.suffix in {".csv", ".tsv", ".jsonl"}:
            lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
            path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
            return path
    raise SystemExit(f"{corpus}: no CSV, TSV or JSON Lines document to change")


def measure(manifest: Path, output: Path, cache: bool) -> dict:
    command = [sys.executable, __file__, "--run-one", str(manifest), str(output)] + ([] if cache else ["--no-cache"])
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"build of {manifest} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def same_outputs(a: Path, b: Path) -> list[str]:
    """The files that differ between two output folders (the store's own files aside)."""
    differ = []
    for path in sorted(p for p in a.rglob("*") if p.is_file() and "store" not in p.relative_to(a).parts):
        other = b / path.relative_to(a)
        if not other.exists() or not filecmp.cmp(path, other, shallow=False):
            differ.append(str(path.relative_to(a)))
    return differ


def stored(output: Path) -> str:
    """A digest of the quads of an output's store, sorted (its files differ with the order of writes)."""
    import hashlib

    import pyoxigraph as ox

    store = ox.Store.read_only(str(output / "store"))
    return hashlib.sha256(b"\n".join(sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines()))).hexdigest()


def table(results: dict[str, dict]) -> str:
    head = "| stage | " + " | ".join(BUILDS[k] for k in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for stage in STAGES:
        lines.append(f"| {stage} | " + " | ".join(f"{r['stages'].get(stage, 0):.1f}" for r in results.values()) + " |")
    lines.append("| **total (wall)** | " + " | ".join(f"**{r['total']:.1f}**" for r in results.values()) + " |")
    reused = []
    for r in results.values():
        reused.append(", ".join(_reused(stage, c) for stage, c in sorted(r["cached"].items())) or "-")
    lines.append("| reused from the cache | " + " | ".join(reused) + " |")
    return "\n".join(lines)


def _reused(stage: str, counts: dict) -> str:
    """'map 199 of 200' (entries reused of those used), or what else a stage counts ('validate:
    812 focus nodes checked again')."""
    if set(counts) <= {"made", "reused"}:
        return f"{stage} {counts.get('reused', 0)} of {counts.get('reused', 0) + counts.get('made', 0)}"
    return f"{stage}: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agreements", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/partnerkg-bench"))
    parser.add_argument("--run-one", nargs=2, metavar=("MANIFEST", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        print(json.dumps(run_one(*args.run_one, cache=not args.no_cache)))
        return
    generated = args.work / f"corpus-{args.agreements}"
    if not (generated / "manifest.toml").exists():
        subprocess.run([sys.executable, "-m", "partnerkg", "generate", "--agreements", str(args.agreements),
                        str(generated)], check=True, stdout=subprocess.DEVNULL)
    corpus = args.work / f"incremental-{args.agreements}"  # a copy: one of its documents is changed
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(generated, corpus)
    manifest, output = corpus / "manifest.toml", corpus / "output"
    results = {"whole": measure(manifest, output, cache=False)}
    results["whole"]["cached"] = {}
    measure(manifest, output, cache=True)  # fills the cache (not timed: a build that keeps what it made)
    results["same"] = measure(manifest, output, cache=True)
    changed = drop_last_row(corpus)
    results["changed"] = measure(manifest, output, cache=True)
    shutil.copytree(output, corpus / "output-cached", ignore=shutil.ignore_patterns("store"))
    store_cached = stored(output)
    results["changed-whole"] = measure(manifest, output, cache=False)
    differ = same_outputs(corpus / "output-cached", output) + (["store"] if stored(output) != store_cached else [])
    print(f"{args.agreements} agreements, {date.today()}; changed: {changed.name} (its last row dropped)")
    print(table(results))
    print("outputs of the changed corpus, with and without the cache: "
          + ("the same bytes" if not differ else f"DIFFER: {', '.join(differ[:10])}"))


if __name__ == "__main__":
    main()
