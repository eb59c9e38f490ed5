"""Analyse: the partner network, as plain functions over networkx graphs built from the store.

The bipartite network joins home institutions to their partners (edge weight: agreements);
projections give home-home overlap (shared partners, Jaccard) and partner co-partnership;
centralities and communities describe the network; country and zone networks aggregate it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from networkx.algorithms import bipartite

from .atomic import write_atomic
from .query import query

EDGES = """
SELECT ?agreement ?home ?homeLabel ?partner ?partnerLabel ?country ?zone WHERE {
  ?agreement a pkg:Agreement ; pkg:homeInstitution ?home ; pkg:partner ?partner .
  ?home skos:prefLabel ?homeLabel .
  ?partner skos:prefLabel ?partnerLabel .
  OPTIONAL { ?agreement pkg:country ?c . ?c skos:notation ?country .
             OPTIONAL { ?c pkg:zone/skos:prefLabel ?zone FILTER(LANG(?zone) = "en") } }
}
ORDER BY ?agreement
"""


@dataclass(frozen=True)
class Agreement:
    """One agreement as the analyses see it."""

    home: str
    home_label: str
    partner: str
    partner_label: str
    country: str = ""
    zone: str = ""


def agreements_from_store(store: Path) -> list[Agreement]:
    """Every agreement of a built store, with its home, partner, country and zone."""
    table = query(EDGES, store)
    return [Agreement(*row[1:]) for row in table.rows]


def bipartite_network(agreements: list[Agreement]) -> nx.Graph:
    """Home institutions (bipartite=0) joined to partners (bipartite=1), weighted by agreements.

    Parameters
    ----------
    agreements : the agreements to draw the network from

    Returns
    -------
    An undirected graph; nodes carry ``label``, ``kind`` ("home" or "partner") and ``country``.

    Examples
    --------
    >>> twice = [Agreement("h1", "Home 1", "p1", "P 1", "DE")] * 2
    >>> B = bipartite_network(twice + [Agreement("h2", "Home 2", "p1", "P 1", "DE")])
    >>> B["h1"]["p1"]["weight"], B.nodes["p1"]["kind"]
    (2, 'partner')
    """
    graph = nx.Graph()
    weights = Counter((a.home, a.partner) for a in agreements)
    for a in agreements:
        graph.add_node(a.home, label=a.home_label, kind="home", bipartite=0, country="")
    for a in agreements:
        if not graph.has_node(a.partner) or graph.nodes[a.partner]["kind"] != "home":
            graph.add_node(a.partner, label=a.partner_label, kind="partner", bipartite=1, country=a.country,
                           zone=a.zone)
    for (home, partner), weight in sorted(weights.items()):
        graph.add_edge(home, partner, weight=weight)
    return graph


def homes(graph: nx.Graph) -> list[str]:
    return sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "home")


def shared_partners(graph: nx.Graph, a: str, b: str) -> set[str]:
    """The partners two home institutions share.

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p1", "P1"),
    ...                        Agreement("h2", "H2", "p2", "P2")])
    >>> sorted(shared_partners(B, "h1", "h2"))
    ['p1']
    """
    return (set(graph[a]) & set(graph[b])) - {a, b}


def home_overlap(graph: nx.Graph) -> list[dict]:
    """For each pair of home institutions: partners of each, shared partners, Jaccard overlap.

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p1", "P1"),
    ...                        Agreement("h2", "H2", "p2", "P2")])
    >>> home_overlap(B)[0]["shared"], home_overlap(B)[0]["jaccard"]
    (1, 0.5)
    """
    rows = []
    hs = homes(graph)
    for i, a in enumerate(hs):
        for b in hs[i + 1:]:
            pa, pb = set(graph[a]) - {b}, set(graph[b]) - {a}
            shared = pa & pb
            rows.append({"home_a": graph.nodes[a]["label"], "home_b": graph.nodes[b]["label"],
                         "partners_a": len(pa), "partners_b": len(pb), "shared": len(shared),
                         "jaccard": round(len(shared) / len(pa | pb), 4) if pa | pb else 0.0})
    return rows


def home_projection(graph: nx.Graph) -> nx.Graph:
    """Home institutions joined by the partners they share (weight: shared partners)."""
    projected = bipartite.weighted_projected_graph(graph, homes(graph))
    for a, b, data in projected.edges(data=True):
        data["jaccard"] = round(data["weight"] / len((set(graph[a]) | set(graph[b])) - {a, b}), 4)
    return projected


def partner_projection(graph: nx.Graph) -> nx.Graph:
    """Partners joined when one home institution has agreements with both (weight: such homes).

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h1", "H1", "p2", "P2")])
    >>> partner_projection(B)["p1"]["p2"]["weight"]
    1
    """
    partners = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "partner")
    return bipartite.weighted_projected_graph(graph, partners)


def centrality(graph: nx.Graph) -> list[dict]:
    """Degree, weighted degree and betweenness of every node, most central first.

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p1", "P1")])
    >>> centrality(B)[0]["node"], centrality(B)[0]["betweenness"]
    ('p1', 1.0)
    """
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    rows = [{"node": n, "label": d["label"], "kind": d["kind"], "degree": graph.degree(n),
             "agreements": graph.degree(n, weight="weight"), "betweenness": round(betweenness[n], 6)}
            for n, d in graph.nodes(data=True)]
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["node"]))


def communities(graph: nx.Graph, seed: int = 1) -> list[list[str]]:
    """Communities (Louvain, fixed seed so that the same graph gives the same answer), largest first.

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p2", "P2")])
    >>> communities(B)
    [['h1', 'p1'], ['h2', 'p2']]
    """
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c))


def aggregate_network(agreements: list[Agreement], by: str) -> nx.Graph:
    """Home institutions joined to countries (``by="country"``) or zones (``by="zone"``).

    >>> G = aggregate_network([Agreement("h1", "H1", "p1", "P1", "DE", "Europe"),
    ...                        Agreement("h1", "H1", "p2", "P2", "FR", "Europe")], by="zone")
    >>> G["h1"]["zone:Europe"]["weight"], G["h1"]["zone:Europe"]["partners"]
    (2, 2)
    """
    graph = nx.Graph()
    agreements_by = Counter()
    partners_by: dict[tuple[str, str], set[str]] = {}
    for a in agreements:
        place = getattr(a, by) or "unknown"
        key = (a.home, f"{by}:{place}")
        graph.add_node(a.home, label=a.home_label, kind="home")
        graph.add_node(key[1], label=place, kind=by)
        agreements_by[key] += 1
        partners_by.setdefault(key, set()).add(a.partner)
    for (home, place), weight in sorted(agreements_by.items()):
        graph.add_edge(home, place, weight=weight, partners=len(partners_by[(home, place)]))
    return graph


def analyze(output: Path) -> dict[str, Path]:
    """Run every analysis on the store under ``output``; write tables and networks to output/analysis/."""
    agreements = agreements_from_store(output / "store")
    network = bipartite_network(agreements)
    folder = output / "analysis"
    files: dict[str, str | bytes] = {
        "home-overlap.csv": _csv(home_overlap(network)),
        "centrality.csv": _csv(centrality(network)),
        "communities.json": json.dumps([[network.nodes[n]["label"] for n in c] for c in communities(network)],
                                       ensure_ascii=False, indent=1) + "\n",
        "countries.csv": _csv(_edge_rows(aggregate_network(agreements, "country"))),
        "zones.csv": _csv(_edge_rows(aggregate_network(agreements, "zone"))),
    }
    graphs = {"partner-network": network, "home-projection": home_projection(network),
              "partner-projection": partner_projection(network),
              "country-network": aggregate_network(agreements, "country"),
              "zone-network": aggregate_network(agreements, "zone")}
    for name, graph in graphs.items():
        graph = _canonical(graph)
        files[f"{name}.graphml"] = "\n".join(nx.generate_graphml(graph)) + "\n"
        # GEXF's meta date is the day of writing: left out, so that the same build gives the same bytes
        files[f"{name}.gexf"] = re.sub(r'<meta lastmodifieddate="[^"]*">', "<meta>",
                                       "\n".join(nx.generate_gexf(graph)) + "\n", count=1)
    paths = {}
    for name, data in files.items():
        write_atomic(folder / name, data)
        paths[name] = folder / name
    return paths


def _canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph with its nodes and edges in sorted order (a projection's order follows set
    iteration, which changes from run to run)."""
    canonical = graph.__class__()
    canonical.graph.update(graph.graph)
    canonical.add_nodes_from(sorted(graph.nodes(data=True), key=lambda n: str(n[0])))
    edges = [(min(a, b, key=str), max(a, b, key=str), d) for a, b, d in graph.edges(data=True)]
    canonical.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    return canonical


def _edge_rows(graph: nx.Graph) -> list[dict]:
    return [{"home": graph.nodes[a]["label"], "place": graph.nodes[b]["label"], "agreements": d["weight"],
             "partners": d["partners"]} for a, b, d in sorted(graph.edges(data=True))]


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()
