"""The report: one self-contained HTML page a person can read and look at (output/report.html).

An introduction (what was built, from which documents, by which version), then per-document
counts with links to the report's CSV files, the SHACL and resolution summaries, figures drawn with
matplotlib as inline SVG (the shared partners of the home institutions, agreements by zone and by
kind, partners by country), and the main questions of the query catalogue. Every term is explained
where it appears. A small script marks each figure once the browser has rendered it, and counts
labels drawn over each other (a test reads both).
"""

from __future__ import annotations

import html
import io
import json
from collections import Counter, defaultdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import matplotlib
import pyoxigraph as ox

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

from ..atomic import write_atomic  # noqa: E402
from ..errors import PartnerkgError  # noqa: E402
from .analyse import Agreement, agreements_from_store, bipartite_network, home_overlap  # noqa: E402
from .catalogue import find_query  # noqa: E402
from .query import Table, query  # noqa: E402

plt.rcParams.update({"svg.hashsalt": "partnerkg", "svg.fonttype": "none", "font.size": 9,
                     "font.family": "DejaVu Sans"})
HOME_COLOURS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#c05746", "#4f6d7a"]
ZONE_COLOURS = plt.get_cmap("tab10").colors
TABLES = [  # (catalogue query, parameters, rows shown)
    ("partners-shared-by-every-source", {}, 20),
    ("partners-of-several-homes", {}, 25),
    ("reciprocal-pairs", {}, 10),
    ("agreements-by-kind", {}, 40),
    ("country-disagreements", {}, 20),
]
TOP_CATEGORIES = 15  # bars per chart; the rest is one "other" bar
TOP_HOMES = len(HOME_COLOURS)  # home institutions a chart shows apart (a colour each); the rest is one segment
OVERLAP_ROWS = 100  # pairs of home institutions listed (most overlap first); all are in the CSV
TOP_COUNTRIES = 30
NETWORK_LABELS = 40  # partners labelled in the network at most (the most connected first)


def report_tables(output: str | Path | ox.Store) -> dict[str, Table]:
    """The catalogue's answers the report page shows (``TABLES``), asked of the store of a build's
    output folder (or of the store itself): a build asks them while it analyses the network
    (Oxigraph answers without Python's lock), and gives them to ``make_report``."""
    store = output if isinstance(output, ox.Store) else Path(output) / "store"
    return {name: query(find_query(name).sparql(params), store) for name, params, _ in TABLES}


def make_report(output: str | Path, agreements: list[Agreement] | None = None,
                tables: dict[str, Table] | None = None) -> Path:
    """Write output/report.html from a built store and report; return its path. ``agreements``: the
    store's, when already read (``agreements_from_store``); ``tables``: ``report_tables(output)``,
    when already asked."""
    output = Path(output)
    if not (output / "report" / "summary.json").exists():
        raise PartnerkgError(f"{output}: no build here (no report/summary.json); run 'partnerkg build' first")
    summary = json.loads((output / "report" / "summary.json").read_text(encoding="utf-8"))
    resolution = json.loads((output / "report" / "resolution.json").read_text(encoding="utf-8"))
    validation = (output / "report" / "validation.txt").read_text(encoding="utf-8").split("\n")[0]
    agreements = agreements if agreements is not None else agreements_from_store(output / "store")
    tables = tables if tables is not None else report_tables(output)
    network = bipartite_network(agreements)
    links = _ror_links(resolution)
    sections = [
        ("sources", "Documents", _sources(summary)),
        ("units", "Stated against found counts", _units(summary)) if summary["unit_counts"] else None,
        ("validation", "Validation", _validation(validation)),
        ("resolution", "Entity resolution", _resolution(resolution)),
        ("network", "Shared partners", _figure("network", _network_caption(network), _network_svg(network))),
        ("zones", "Agreements by zone", _figure("zones", "Agreements of each home institution by world zone of "
                                                "the partner (zones as the documents or the country give them).",
                                                _stacked_svg(_counts(agreements, "zone"), "agreements"))),
        ("kinds", "Agreements by kind", _figure("kinds", "Agreements of each home institution by kind (the "
                                                "scheme's concepts; an agreement may have several kinds).",
                                                _stacked_svg(_kind_counts(tables["agreements-by-kind"]),
                                                             "agreements"))),
        ("countries", "Partners by country", _figure("countries", _countries_caption(agreements),
                                                     _countries_svg(agreements))),
        ("overlap", "Overlap between home institutions", _overlap(network)),
        *((name, find_query(name).title, _query_table(name, tables[name], limit, links)) for name, _, limit in TABLES),
    ]
    sections = [s for s in sections if s]
    title = summary.get("title") or "partnerkg report"
    body = _introduction(summary, agreements, resolution) + _contents(sections) + "\n".join(
        f'<section id="{key}"><h2>{html.escape(heading)}</h2>\n{content}\n</section>'
        for key, heading, content in sections)
    page = PAGE.format(title=html.escape(title), body=body)
    path = output / "report.html"
    write_atomic(path, page)
    return path


def _introduction(summary: dict, agreements: list[Agreement], resolution: dict) -> str:
    """What the page describes, from which documents, built by which version; dates from the
    documents (not the clock), so that the same documents give the same page."""
    sources = summary["sources"]
    dates = sorted(s.get("date", "") for s in sources if s.get("date"))
    homes = {a.home for a in agreements}
    partners = {a.partner for a in agreements}
    countries = {a.country for a in agreements if a.country}
    span = f"{dates[0]} to {dates[-1]}" if dates and dates[0] != dates[-1] else dates[0] if dates else ""
    when = f" ({len(dates)} dated: {span})" if dates else ""
    try:
        built_by = f"partnerkg {version('partnerkg')}"
    except PackageNotFoundError:
        built_by = "partnerkg"
    return (f"<p class=intro>A knowledge graph of university partnership agreements, built by {built_by} from "
            f"{len(sources)} document(s){when}: <b>{len(agreements)}</b> agreements of <b>{len(homes)}</b> home "
            f"institution(s) with <b>{len(partners)}</b> partner institutions in <b>{len(countries)}</b> "
            "countries. Each document's rows were read, their institutions recognised across documents and "
            "languages (entity resolution), and the graph checked against its SHACL shapes; the dump "
            "(<a href=partnerkg.nq>N-Quads</a>, <a href=partnerkg.ttl>Turtle</a>, "
            "<a href=partnerkg.jsonld>JSON-LD</a>) and the <a href=report/>report files</a> are beside this "
            f"page. {len(resolution['merges'])} merges joined names of one institution.</p>")


def _contents(sections: list[tuple[str, str, str]]) -> str:
    items = "".join(f'<li><a href="#{key}">{html.escape(heading)}</a></li>' for key, heading, _ in sections)
    return f"<nav><h2>Contents</h2><ol>{items}</ol></nav>"


def _explain(text: str) -> str:
    return f"<p class=explain>{text}</p>"


def _table(rows: list[dict], limit: int | None = None, raw: tuple[str, ...] = ()) -> str:
    """Rows as an HTML table; columns named in ``raw`` hold HTML already (links), the rest is escaped."""
    if not rows:
        return "<p>(none)</p>"
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{v if k in raw else html.escape(str(v))}</td>" for k, v in row.items())
                   + "</tr>" for row in rows[:limit])
    more = f"<p>{len(rows) - limit} more rows not shown.</p>" if limit and len(rows) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _sources(summary: dict) -> str:
    rows = [{"document": f"{html.escape(s.get('title') or s['file'])}<br><small>{html.escape(s['file'])}</small>",
             "home institution": s.get("home") or "(not named)", "encoding": s["encoding"],
             "rows read": s["rows_read"], "agreements": s["agreements"], "skipped": s["skipped"],
             "rejected": s["rejected"], "warnings": s["warnings"],
             "published": "withheld (fails SHACL)" if s.get("withheld") else "yes"} for s in summary["sources"]]
    return _explain(
        "Rows read = agreements + skipped + rejected. <b>Skipped</b>: rows that are not agreements, passed over "
        "on purpose with the reason (a legend, a total, a page footer; <a href=report/skipped.csv>skipped.csv</a>). "
        "<b>Rejected</b>: rows that could not become an agreement, with the reason "
        "(<a href=report/rejections.csv>rejections.csv</a>). <b>Warnings</b>: rows kept with something worth a "
        "look (<a href=report/warnings.csv>warnings.csv</a>). The encoding is how the document's bytes were "
        "read.") + _table(rows, raw=("document",))


def _units(summary: dict) -> str:
    rows = [{"home unit": c["unit"], "the document says": c["stated"], "agreements found": c["found"],
             "": "differs: " + c["fault"] if c["differs"] else "same"} for c in summary["unit_counts"]]
    return _explain("Where a document states how many agreements a unit of the home institution has, that "
                    "count beside the agreements read for the unit; where they differ, whether the reading "
                    "or the document is likely at fault (<a href=report/unit-counts.csv>unit-counts.csv</a>).") \
        + _table(rows)


def _validation(first_line: str) -> str:
    return _explain("The graph is checked against the SHACL shapes (<code>shapes/</code>): a <b>violation</b> "
                    "is a statement the shapes forbid (a source holding one is withheld), a <b>warning</b> "
                    "something worth a look (an agreement of no known kind). All findings: "
                    "<a href=report/validation.txt>validation.txt</a>.") + f"<p>{html.escape(first_line)}</p>"


def _resolution(resolution: dict) -> str:
    entities = resolution["entities"].values()
    institutions = [e for e in entities if e["kind"] == "institution"]
    facts = [("institutions", len(institutions)), ("linked to ROR", sum(1 for e in institutions if e["ror"])),
             ("departments", sum(1 for e in entities if e["kind"] == "department")),
             ("merges", len(resolution["merges"])), ("near-misses to review", len(resolution["near_misses"]))]
    items = "".join(f"<li>{html.escape(k)}: <b>{v}</b></li>" for k, v in facts)
    misses = [{"name": m["name"], "kept apart from": m["candidate"], "similarity": m["score"],
               "why apart": m["evidence"]} for m in resolution["near_misses"][:10]]
    return _explain(
        "Names of one institution, in several documents and languages, are merged into one entity; an entity "
        "is <b>linked to ROR</b> (the Research Organization Registry) when a registry record names it. A "
        "<b>near-miss</b> is a pair of names alike enough to look like one institution but kept apart; "
        "<code>partnerkg review</code> lists them for a person to decide (<a href=report/review.csv>review.csv</a>, "
        "every decision with its evidence in <a href=report/resolution.json>resolution.json</a>). "
        "<b>Similarity</b>: from 0 (nothing alike) to 1 (the same name).") \
        + f"<ul>{items}</ul><p>The closest near-misses:</p>{_table(misses)}"


def _overlap(network: nx.Graph) -> str:
    pairs = sorted(home_overlap(network), key=lambda r: (-r["jaccard"], -r["shared"], r["home_a"], r["home_b"]))
    rows = [{"home A": r["home_a"], "home B": r["home_b"], "partners of A": r["partners_a"],
             "partners of B": r["partners_b"], "shared partners": r["shared"], "overlap": r["jaccard"]}
            for r in pairs]
    listed = "" if len(rows) <= OVERLAP_ROWS else (
        f" The {OVERLAP_ROWS} pairs that overlap most are listed; all {len(rows)} are in "
        "<a href=analysis/home-overlap.csv>home-overlap.csv</a>.")
    return _explain("For each pair of home institutions: the partners each has, the partners both have, and "
                    "their <b>overlap</b> (Jaccard): shared partners divided by the partners of either, from 0 "
                    "(none shared) to 1 (the same partners)." + listed) + _table(rows, OVERLAP_ROWS)


def _ror_links(resolution: dict) -> dict[str, str]:
    """Institution labels to their ROR id, for linking names in the tables."""
    links = {}
    for entity in resolution["entities"].values():
        if entity["kind"] == "institution" and entity["ror"]:
            for label in entity["labels"]:
                links.setdefault(label, entity["ror"])
    return links


def _query_table(name: str, table: Table, limit: int, links: dict[str, str]) -> str:
    columns = [c for c in table.columns if c not in {"partner", "institution", "a", "b"}]
    rows = []
    for row in table.rows:
        cells = {}
        for column, value in zip(table.columns, row, strict=True):
            if column in columns:
                link = links.get(value)
                cells[column] = (f'<a href="{html.escape(link)}">{html.escape(value)}</a>' if link
                                 else html.escape(value))
        rows.append(cells)
    linked = " Names link to their ROR record where the institution has one." if links else ""
    return (f"<p class=query>{html.escape(find_query(name).answers)}{linked} "
            f"(<code>partnerkg query {html.escape(name)}</code>)</p>" + _table(rows, limit, raw=tuple(columns)))


def _figure(name: str, caption: str, svg: str) -> str:
    return (f'<figure class="figure" id="figure-{name}" data-rendered="no" data-overlaps="?">{svg}'
            f"<figcaption>{caption}</figcaption></figure>")


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


NETWORK_PARTNERS = 80  # partners drawn at most: those shared by the most home institutions
NETWORK_HOMES = 40  # home institutions drawn at most: those with the most partners


def _backbone(network: nx.Graph) -> tuple[nx.Graph, int]:
    """The NETWORK_HOMES homes with the most partners and the partners at least ``k`` of them share,
    ``k`` the smallest from 2 that keeps the figure to NETWORK_PARTNERS partners (so that it stays
    readable as the documents grow: 2,000 homes drawn took a minute and could not be read)."""
    homes = set(_numbered_homes(network))
    reach = {n: sum(1 for h in network[n] if h in homes) for n, d in network.nodes(data=True) if d["kind"] == "partner"}
    least = 2
    while sum(1 for r in reach.values() if r >= least) > NETWORK_PARTNERS:
        least += 1
    keep = [n for n in network if n in homes or reach.get(n, 0) >= least]
    return network.subgraph(keep).copy(), least


def _numbered_homes(network: nx.Graph) -> list[str]:
    """The home institutions drawn, most partners first: their numbers in the network figure."""
    homes = [n for n, d in network.nodes(data=True) if d["kind"] == "home"]
    return sorted(homes, key=lambda n: (-network.degree(n), network.nodes[n]["label"]))[:NETWORK_HOMES]


def _network_caption(network: nx.Graph) -> str:
    backbone, least = _backbone(network)
    drawn = sum(1 for n, d in backbone.nodes(data=True) if d["kind"] == "partner")
    every = sum(1 for _, d in network.nodes(data=True) if d["kind"] == "home")
    numbered = _numbered_homes(network)
    homes = "Home institutions" if len(numbered) == every else \
        f"The {len(numbered)} home institutions with the most partners (of {every})"
    key = " · ".join(f"<b>{i}</b> {html.escape(network.nodes[h]['label'])}" for i, h in enumerate(numbered, 1))
    return (f"{homes} (blue, numbered) and the {drawn} partners at least {least} of them share (red, "
            f"sized by how many), the most shared named where their names fit; the other partners are left "
            "out here (all are in <a href=analysis/partner-network.gexf>partner-network.gexf</a>, for Gephi). "
            f"Home institutions: {key}.")


def _network_svg(network: nx.Graph) -> str:
    backbone, _ = _backbone(network)
    fig, ax = plt.subplots(figsize=(11, 8))
    if not backbone.number_of_nodes():
        ax.text(0.5, 0.5, "no agreements to show", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _svg(fig)
    ordered = nx.Graph()  # a layout that depends on the graph alone, not on set order
    ordered.add_nodes_from(sorted(backbone.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in backbone.edges))
    layout = nx.spring_layout(ordered, seed=7, k=1.5 / max(1, len(ordered)) ** 0.5, iterations=200)
    numbers = {h: i for i, h in enumerate(_numbered_homes(network), 1)}
    homes = [n for n in ordered if backbone.nodes[n]["kind"] == "home"]
    shared = [n for n in ordered if backbone.nodes[n]["kind"] == "partner"]
    nx.draw_networkx_edges(ordered, layout, ax=ax, alpha=0.2, width=0.6, edge_color="#7b8794")
    nx.draw_networkx_nodes(ordered, layout, nodelist=shared, ax=ax, node_color="#d1495b", alpha=0.85,
                           node_size=[14 * backbone.degree(n) ** 1.6 for n in shared])
    nx.draw_networkx_nodes(ordered, layout, nodelist=homes, node_size=460, node_color="#1b6ca8", ax=ax)
    nx.draw_networkx_labels(ordered, layout, {h: str(numbers[h]) for h in homes}, font_size=9,
                            font_color="white", font_weight="bold", ax=ax)
    ax.set_axis_off()
    ax.margins(0.08)
    labels = [(n, backbone.nodes[n]["label"], 7, "#7a1f2b", "normal")
              for n in sorted(shared, key=lambda n: (-backbone.degree(n), n))[:NETWORK_LABELS]]
    _place_labels(fig, ax, layout, labels, avoid=[layout[h] for h in homes])
    return _svg(fig)


def _place_labels(fig, ax, layout: dict, labels: list[tuple], avoid: list = ()) -> None:
    """Draw labels in order, each only where it overlaps no label drawn before, nor the numbered
    home institutions at ``avoid``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # measures text as the page's font draws it
    from matplotlib.transforms import Bbox

    renderer = FigureCanvasAgg(fig).get_renderer()
    placed = []
    for x, y in avoid:  # a home's numbered disc, about 24 points across
        cx, cy = ax.transData.transform((x, y))
        placed.append(Bbox.from_extents(cx - 16, cy - 16, cx + 16, cy + 16))
    for node, text, size, colour, weight in labels:
        x, y = layout[node]
        label = ax.text(x, y, _short(text), fontsize=size, color=colour, fontweight=weight, ha="center",
                        va="bottom", zorder=5)
        box = label.get_window_extent(renderer).expanded(1.12, 1.6)  # room for the browser's metrics
        if any(box.overlaps(other) for other in placed):
            label.remove()
        else:
            placed.append(box)


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _counts(agreements: list[Agreement], by: str) -> dict[str, Counter]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for a in agreements:
        counts[a.home_label][getattr(a, by) or "unknown"] += 1
    return counts


def _kind_counts(by_kind: Table) -> dict[str, Counter]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for home, kind, n in by_kind.rows:
        counts[home][kind] += int(n)
    return counts


def _stacked_svg(counts: dict[str, Counter], xlabel: str) -> str:
    """One horizontal bar per category, the largest first, in segments per home institution; the
    figure's height follows the number of bars."""
    counts = _top_homes(counts)
    homes = sorted(counts, key=lambda h: (h.startswith("other home institutions ("), h))
    totals = Counter()
    for counter in counts.values():
        totals.update(counter)
    categories = [c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(categories) > TOP_CATEGORIES:
        rest = set(categories[TOP_CATEGORIES - 1:])
        categories = categories[:TOP_CATEGORIES - 1] + [f"other ({len(rest)})"]
        for counter in counts.values():
            counter[categories[-1]] = sum(counter[c] for c in rest)
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(categories) + 1.2))
    left = [0] * len(categories)
    for i, home in enumerate(homes):
        values = [counts[home][c] for c in categories]
        ax.barh(range(len(categories)), values, left=left, height=0.7, label=_short(home, 50),
                color=HOME_COLOURS[i % len(HOME_COLOURS)])
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(categories)), [_short(c, 45) for c in categories])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if homes:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.6 / (0.32 * len(categories) + 1.2) - 0.08),
                  ncol=min(3, len(homes)), fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "no agreements to show", ha="center", va="center", transform=ax.transAxes)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _top_homes(counts: dict[str, Counter]) -> dict[str, Counter]:
    """The TOP_HOMES - 1 home institutions with the most agreements apart, the others summed into
    one segment (a legend of hundreds of colours reads as none).

    >>> sorted(_top_homes({f"h{i}": Counter(a=i) for i in range(20)}))[-1]
    'other home institutions (13)'
    """
    if len(counts) <= TOP_HOMES:
        return counts
    ranked = sorted(counts, key=lambda h: (-sum(counts[h].values()), h))
    kept = {h: counts[h] for h in ranked[:TOP_HOMES - 1]}
    rest = Counter()
    for home in ranked[TOP_HOMES - 1:]:
        rest.update(counts[home])
    kept[f"other home institutions ({len(ranked) - TOP_HOMES + 1})"] = rest
    return kept


def _countries_caption(agreements: list[Agreement]) -> str:
    countries = {a.country for a in agreements if a.country}
    shown = min(TOP_COUNTRIES, len(countries))
    return (f"Partner institutions by country, the {shown} countries with the most of {len(countries)}, "
            "coloured by world zone. (A bar chart rather than a map: no package this project can rely on "
            "ships the countries' shapes for drawing offline.)")


def _countries_svg(agreements: list[Agreement]) -> str:
    partners: dict[str, set[str]] = defaultdict(set)
    zone_of: dict[str, str] = {}
    for a in agreements:
        if a.country:
            partners[a.country].add(a.partner)
            zone_of[a.country] = a.zone or "unknown"
    ranked = sorted(partners, key=lambda c: (-len(partners[c]), c))[:TOP_COUNTRIES]
    zones = sorted({zone_of[c] for c in ranked})
    colours = dict(zip(zones, ZONE_COLOURS, strict=False))
    fig, ax = plt.subplots(figsize=(9, 0.26 * len(ranked) + 1.2))
    ax.barh(range(len(ranked)), [len(partners[c]) for c in ranked], height=0.7,
            color=[colours[zone_of[c]] for c in ranked])
    ax.set_yticks(range(len(ranked)), [_country_name(c) for c in ranked])
    ax.invert_yaxis()
    ax.set_xlabel("partner institutions")
    for zone in zones:
        ax.barh([], [], color=colours[zone], label=zone)
    if zones:
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _country_name(code: str) -> str:
    from ..reference import countries

    return f"{countries.labels(code).get('en') or code} ({code})"


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; color: #1f2933; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 1px solid #cbd2d9; padding-bottom: .2em; margin-top: 2em; }}
table {{ border-collapse: collapse; font-size: .85em; margin: .5em 0; }}
th, td {{ border: 1px solid #e4e7eb; padding: .25em .5em; text-align: left; vertical-align: top; }}
th {{ background: #f5f7fa; }} nav ol {{ columns: 2; }}
figure {{ margin: 1.5em 0; }} figure svg {{ max-width: 100%; height: auto; }}
figcaption, p.explain {{ font-size: .9em; color: #52606d; }} p.query {{ color: #52606d; font-style: italic; }}
</style></head>
<body><h1>{title}</h1>
{body}
<script>
// Mark each figure once the browser has laid it out, and count its labels drawn over each other,
// so that a test (or a person) can tell.
function overlaps(a, b) {{
  return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
}}
window.addEventListener("load", () => {{
  let rendered = 0;
  for (const figure of document.querySelectorAll("figure.figure")) {{
    const svg = figure.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : null;
    const drawn = svg && box.width > 50 && box.height > 50 && svg.querySelectorAll("path, use, text").length > 0;
    figure.dataset.rendered = drawn ? "yes" : "no";
    if (drawn) rendered += 1;
    const boxes = svg ? [...svg.querySelectorAll("text")].map(t => t.getBoundingClientRect())
                                                         .filter(b => b.width > 0) : [];
    let count = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        if (overlaps(boxes[i], boxes[j])) count += 1;
    figure.dataset.overlaps = String(count);
  }}
  document.body.dataset.figuresRendered = String(rendered);
}});
</script>
</body></html>
"""
