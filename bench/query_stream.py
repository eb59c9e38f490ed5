"""Benchmark: a large query result, streamed against the plain path (all rows in memory first).

    python bench/query_stream.py [--store output/store] [--rows 100000 1000000 3000000]

Runs ``SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT n`` over a built store (``partnerkg build``
first) as ``partnerkg query --format csv`` does (``stream_query``: a child process writing rows as
they come) and as the plain path (``query``: every row in a Table, then the CSV text), each in a
fresh process writing to /dev/null, and prints wall time and peak memory (RSS) of each.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = """
import resource, sys, time
sys.path.insert(0, {src!r})
from partnerkg.use.query import query, stream_query
sparql = "SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} LIMIT {rows}"
start = time.monotonic()
with open('/dev/null', 'w') as out:
    if {streamed}:
        stream_query(sparql, out, 'csv', {store!r}, timeout=3600)
    else:
        out.write(query(sparql, {store!r}).csv())
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(time.monotonic() - start, peak / 1024)
"""


def measure(store: Path, rows: int, streamed: bool) -> tuple[float, float]:
    code = RUN.format(src=str(ROOT / "src"), store=str(store), rows=rows, streamed=streamed)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, megabytes = run.stdout.split()
    return float(seconds), float(megabytes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "output" / "store")
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000, 3_000_000])
    args = parser.parse_args()
    if not args.store.exists():
        sys.exit(f"{args.store}: no store; run 'partnerkg build' first")
    print("| rows | streamed s | streamed peak MB | plain s | plain peak MB | memory ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    for rows in args.rows:
        streamed, plain = measure(args.store, rows, True), measure(args.store, rows, False)
        print(f"| {rows:,} | {streamed[0]:.1f} | {streamed[1]:.0f} | {plain[0]:.1f} | {plain[1]:.0f} | "
              f"{plain[1] / streamed[1]:.1f}x |")


if __name__ == "__main__":
    main()
