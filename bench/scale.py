"""Benchmark: a whole build at growing sizes, stage by stage, against the plain path.

    python bench/scale.py [--sizes 1000 10000 100000 1000000] [--plain-limit 600] [--work DIR]
                          [--disk-above N]   # the store on disk above N agreements (a build: 250,000)
    python bench/scale.py --queries output/store    # the query catalogue's times on a built store

For each size, `partnerkg generate` writes a corpus (500 agreements a document), and the build runs
end to end in a process of its own (read, normalise, resolve, map, reason, validate, dump and
store, analyses, report page), then the query catalogue on its store, then identity resolution
is scored against the generated labels. The same build runs again on the plain path (owlrl's
closure of ontology and data together, and pyshacl, over rdflib graphs: as builds reasoned and
validated before the store-based path) where it finishes within --plain-limit seconds.
Printed: a Markdown table of seconds and peak memory (the build process's peak RSS by the end of
the stage, or with its child processes' own memory where that was more) per stage and size, the
plain path's time as a ratio beside each, and resolution accuracy.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

STAGES = ["read and normalise", "resolve", "map", "reason (OWL 2 RL)", "validate (SHACL)", "tally", "publish and store",
          "analyse the network", "report with figures", "catalogue queries"]


def run_one(manifest: str, output: str, path: str, disk_above: int | None = None) -> dict:
    """One build (in this process), timed stage by stage; ``disk_above``: the store on disk above
    that many agreements, rather than above ``pipeline.DISK_ABOVE`` (to time at 10^5 the layout
    a build takes at 10^6)."""
    from partnerkg import pipeline
    from partnerkg.config import load_manifest
    from partnerkg.pipeline import build_graph, write_outputs

    if disk_above is not None:
        pipeline.DISK_ABOVE = disk_above

    stages: dict[str, list[float]] = {}
    resident = _Resident()

    @contextmanager
    def step(name: str):
        started = time.perf_counter()
        resident.reset()
        yield
        seconds, peak = stages.get(name, [0.0, 0.0])
        stages[name] = [seconds + time.perf_counter() - started, _peak_gb(resident)]
        # as each stage ends, so that a build stopped at the time limit still says how far it went
        print(f"{name}: {stages[name][0]:.1f} s, peak {stages[name][1]:.2f} GB ({resident})", file=sys.stderr,
              flush=True)

    folder = Path(output)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    built = build_graph(load_manifest(manifest, paths_outside=True), step, plain=path == "plain",
                        disk=folder / "store",  # as a build does: on disk above DISK_ABOVE agreements
                        sorted_graphs=folder / ".graphs")  # and the graphs' lines sorted for the dump
    write_outputs(built, folder, step, report=True)
    shutil.rmtree(folder / ".graphs")  # only for the dump here (a build keeps them for the next validation)
    built = replace(built, store=None)  # as in a build: let go (and closed) once written
    problems = {"violations": len(built.validation.violations), "withheld": len(built.withheld),
                "published": built.published}
    if not built.published:  # nothing stored to query: the table says so
        return {"stages": stages, "agreements": 0, "queries": {}, **problems}
    with step("catalogue queries"):
        queries = time_catalogue(folder / "store")
    agreements = sum(s.agreements for s in built.summaries)
    return {"stages": stages, "agreements": agreements, "queries": queries, **problems}


def time_catalogue(store: Path) -> dict[str, dict]:
    """Each catalogue query's seconds (answer included, as ``partnerkg query`` gives it) and rows: for
    the whole table, and for one home institution where the query takes a ``home``."""
    from partnerkg.paths import QUERIES
    from partnerkg.use.catalogue import catalogue
    from partnerkg.use.query import query

    homes = query((QUERIES / "parameters" / "home.rq").read_text(encoding="utf-8"), store).rows
    home = homes[len(homes) // 2][0] if homes else ""
    timed = {}
    for item in catalogue():
        asked = {"whole": {}} | ({"one home": {"home": home}} if "home" in item.parameters and home else {})
        for how, values in asked.items():
            started = time.perf_counter()
            rows = len(query(item.sparql(values), store).rows)
            timed.setdefault(item.name, {})[how] = [time.perf_counter() - started, rows]
    return timed


class _Resident:
    """The largest anonymous (heap) and file-backed resident memory of this process during a stage,
    and of this process with its descendants (the worker processes that read, cluster, map and
    reason, and those that write Turtle, TriG and JSON-LD; a page shared among them counted once,
    as the sum of their proportional shares, Pss), sampled every second from /proc: where a
    stage's peak comes from."""

    def __init__(self) -> None:
        self.anon = self.file = self.children = 0.0
        self.together = 0.0  # the build's whole peak: this process and its children, over every stage
        threading.Thread(target=self._sample, daemon=True).start()

    def reset(self) -> None:
        self.anon = self.file = self.children = 0.0

    def _sample(self) -> None:
        while True:
            try:
                fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
                own, children = _own_pss_gb(), _children_gb()
                self.anon = max(self.anon, int(fields["RssAnon"].split()[0]) / 1024 / 1024)
                self.file = max(self.file, int(fields["RssFile"].split()[0]) / 1024 / 1024)
                self.children = max(self.children, children)
                self.together = max(self.together, own + children)
            except (OSError, KeyError, ValueError):  # not Linux: nothing to say
                return
            time.sleep(1)

    def __str__(self) -> str:
        return (f"heap up to {self.anon:.2f} GB, files mapped up to {self.file:.2f} GB, "
                f"child processes up to {self.children:.2f} GB")


def _children_gb() -> float:
    """The memory this process's descendants hold (its children, and theirs: the dumps' process
    forks one for Turtle), each page shared among processes counted as its share (Pss), so that a
    forked worker's pages still shared with this process, or with a sibling, are counted once."""
    total, pids = 0, _children("self")
    while pids:
        pid = pids.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # (ended meanwhile)
            continue
        total += sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
        pids += _children(pid)
    return total / 1024 / 1024


def _own_pss_gb() -> float:
    rollup = Path("/proc/self/smaps_rollup").read_text()
    return sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")) / 1024 / 1024


def _children(pid: str) -> list[str]:
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += children.read_text().split()
        except OSError:  # (ended meanwhile)
            pass
    return found


def _peak_gb(resident: _Resident) -> float:
    """The build's peak memory so far: this process's peak RSS, or this process with its
    descendants where that was more (sampled, each page counted once). A child's own peak RSS
    would not do: one started by fork and exec reports its parent's resident memory as its own
    (Linux keeps the high-water mark across exec), and a forked worker counts the pages it shares
    with its parent."""
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, resident.together)  # kB on Linux


def measure(size: int, work: Path, path: str, limit: float | None, disk_above: int | None = None) -> dict | None:
    corpus = work / f"corpus-{size}"
    if not (corpus / "manifest.toml").exists():
        subprocess.run([sys.executable, "-m", "partnerkg", "generate", "--agreements", str(size), str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
    output = work / f"output-{size}-{path}"
    command = [sys.executable, __file__, "--run-one", str(corpus / "manifest.toml"), str(output), path]
    command += ["--disk-above", str(disk_above)] if disk_above is not None else []
    started = time.perf_counter()
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired as stopped:  # the stages it finished, as it printed them
        return {"stages": _stages_reached(stopped.stderr or b""), "timed_out": True}
    if run.returncode != 0:
        raise SystemExit(f"build of {size} ({path}) failed:\n{run.stderr[-3000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    result["total"] = time.perf_counter() - started
    if path == "fast":
        result["accuracy"] = _accuracy(corpus / "labels.json", output) if result["published"] else {}
    return result


def _stages_reached(stderr: bytes) -> dict[str, list[float]]:
    reached = {}
    for line in stderr.decode("utf-8", "replace").splitlines():
        if match := re.fullmatch(r"(.+?): ([0-9.]+) s, peak ([0-9.]+) GB.*", line):
            reached[match[1]] = [float(match[2]), float(match[3])]
    return reached


def _accuracy(labels: Path, output: Path) -> dict:
    from partnerkg.use.explain import eval_resolution

    evaluation = eval_resolution(labels, output)
    return {"group recall": evaluation.groups_merged / max(evaluation.groups, 1),
            "pairwise precision": evaluation.correct_pairs / max(evaluation.predicted_pairs, 1),
            "look-alikes apart": evaluation.pairs_apart / max(evaluation.pairs_found, 1)}


def _total(result: dict, limit: float) -> str:
    return f"> {limit:.0f} s" if result.get("timed_out") else f"{result['total']:.0f} s"


def table(results: dict[int, tuple[dict, dict]], limit: float, fast_limit: float) -> str:
    """The Markdown table: each stage's seconds and peak memory per size, and the plain path's ratio
    (``limit``: the plain path's time limit, ``fast_limit``: the fast path's)."""
    sizes = sorted(results)
    head = "| stage | " + " | ".join(f"10^{len(str(s)) - 1} s (peak GB) | plain ratio" for s in sizes) + " |"
    lines = [head, "|---|" + "---|---|" * len(sizes)]
    for stage in STAGES:
        cells = []
        for size in sizes:
            fast, plain = results[size]
            if fast and stage in fast["stages"]:
                seconds, peak = fast["stages"][stage]
                cells.append(f"{seconds:.1f} ({peak:.2f})")
            else:
                cells.append("not reached" if fast and fast.get("timed_out") else "did not finish")
            cells.append(_ratio(plain, fast, stage, limit))
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    totals = []
    for size in sizes:
        fast, plain = results[size]
        finished = fast and not fast.get("timed_out")
        totals.append(f"**{fast['total']:.0f}** ({max(v[1] for v in fast['stages'].values()):.2f})" if finished
                      else f"> {fast_limit:.0f} s")
        totals.append(f"{plain['total'] / fast['total']:.1f}x" if finished and plain and not plain.get("timed_out")
                      else f"> {limit:.0f} s")
    lines.append("| **total (wall, process included)** | " + " | ".join(totals) + " |")
    checks = []
    for size in sizes:
        fast = results[size][0]
        checks += [(f"{fast['violations']} violations, {fast['withheld']} withheld"
                    + ("" if fast["published"] else ", nothing published")) if fast and "published" in fast else "",
                   ""]
    notes = ["| SHACL | " + " | ".join(checks) + " |"]
    return "\n".join(lines + notes)


def query_table(timed: dict[int, dict]) -> str:
    """Each catalogue query's seconds and rows per size: the whole table, and for one home."""
    sizes = sorted(s for s in timed if timed[s])
    lines = ["| catalogue query | " + " | ".join(f"10^{len(str(s)) - 1} whole: s (rows) | one home: s (rows)"
                                                for s in sizes) + " |",
             "|---|" + "---|---|" * len(sizes)]
    names = sorted({name for size in sizes for name in timed[size]})
    for name in names:
        cells = []
        for size in sizes:
            for how in ("whole", "one home"):
                seconds, rows = timed[size].get(name, {}).get(how, [None, None])
                cells.append("" if seconds is None else f"{seconds:.2f} ({rows})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ratio(plain: dict | None, fast: dict | None, stage: str, limit: float) -> str:
    if not fast or stage not in fast["stages"]:
        return ""
    if not plain or stage not in plain["stages"]:
        return f"plain > {limit:.0f} s"
    mine, theirs = fast["stages"].get(stage, [0, 0])[0], plain["stages"].get(stage, [0, 0])[0]
    return f"{theirs / mine:.1f}x" if mine > 0.05 else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    parser.add_argument("--plain-limit", type=float, default=600, help="seconds the plain path may take")
    parser.add_argument("--limit", type=float, default=3600, help="seconds a build may take")
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (default: a temporary one)")
    parser.add_argument("--queries", type=Path, metavar="STORE",
                        help="only time the query catalogue on a built store (its table)")
    parser.add_argument("--disk-above", type=int, metavar="N",
                        help="keep the build's store on disk above N agreements (a build: above 250,000)")
    parser.add_argument("--run-one", nargs=3, metavar=("MANIFEST", "OUTPUT", "REASONER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        print(json.dumps(run_one(*args.run_one, args.disk_above)))
        return
    if args.queries:
        print(query_table({0: time_catalogue(args.queries)}).replace("10^0 ", ""))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="partnerkg-bench-"))
    results, accuracy = {}, {}
    for size in args.sizes:
        fast = measure(size, work, "fast", args.limit, args.disk_above)
        plain = measure(size, work, "plain", args.plain_limit, args.disk_above)
        results[size] = (fast, plain)
        if fast and "accuracy" in fast:
            accuracy[size] = fast["accuracy"]
        print(f"{size}: fast {_total(fast, args.limit)}, plain {_total(plain, args.plain_limit)}",
              file=sys.stderr, flush=True)
    print(f"Measured {date.today().isoformat()}, `python bench/scale.py --sizes {' '.join(map(str, args.sizes))}"
          f"{'' if args.disk_above is None else f' --disk-above {args.disk_above}'}`; "
          "stage seconds, and in brackets the build process's peak RSS by the end of the stage (GB); the plain "
          "path (owlrl and pyshacl over rdflib graphs) as a ratio of its time "
          "to the fast path's.\n")
    print(table(results, args.plain_limit, args.limit))
    print("\n" + query_table({size: fast.get("queries", {}) for size, (fast, _) in results.items() if fast}))
    print("\n| size | " + " | ".join(next(iter(accuracy.values()), {})) + " |")
    print("|---|" + "---|" * len(next(iter(accuracy.values()), {})))
    for size, scores in accuracy.items():
        print(f"| {size} | " + " | ".join(f"{v:.3f}" for v in scores.values()) + " |")


if __name__ == "__main__":
    main()
