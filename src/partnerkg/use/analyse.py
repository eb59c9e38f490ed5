"""Analyse: the partner network, as plain functions over networkx graphs built from the store.

The bipartite network joins home institutions to their partners (edge weight: agreements);
projections give home-home overlap (shared partners, Jaccard) and partner co-partnership;
centralities and communities describe the network; country and zone networks aggregate it.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from itertools import product
from pathlib import Path

import igraph
import networkx as nx
import numpy as np
import pyoxigraph as ox
from scipy import sparse

from .. import vocab
from ..atomic import write_atomic
from ..store.oxigraph import open_store
from . import network_files

EDGES = """
SELECT ?agreement ?home ?homeLabel ?partner ?partnerLabel ?country ?zone ?homeCountry ?homeZone WHERE {
  ?agreement a pkg:Agreement ; pkg:homeInstitution ?home ; pkg:partner ?partner .
  ?home skos:prefLabel ?homeLabel .
  ?partner skos:prefLabel ?partnerLabel .
  OPTIONAL { ?agreement pkg:country ?c . ?c skos:notation ?country .
             OPTIONAL { ?c pkg:zone/skos:prefLabel ?zone FILTER(LANG(?zone) = "en") } }
  OPTIONAL { ?home pkg:country ?hc . ?hc skos:notation ?homeCountry .
             OPTIONAL { ?hc pkg:zone/skos:prefLabel ?homeZone FILTER(LANG(?homeZone) = "en") } }
}
ORDER BY ?agreement
"""
PARTNER_PROJECTION_MIN_HOMES = 2  # the rule of the partner projection: see partner_projection
PROJECTION_MAX_EDGES = 50_000  # ... raised until a projection has at most this many edges
# Betweenness costs a shortest-path search from every node (nodes x edges steps): above this many
# steps it is estimated from as many source nodes as the budget allows (networkx's k, a fixed
# seed, 50 at least), and the files say so.
BETWEENNESS_BUDGET = 5_000_000


@dataclass(frozen=True)
class Agreement:
    """One agreement as the analyses see it."""

    home: str
    home_label: str
    partner: str
    partner_label: str
    country: str = ""
    zone: str = ""
    home_country: str = ""
    home_zone: str = ""


def agreements_from_store(store: Path) -> list[Agreement]:
    """Every agreement of the store of a build's output folder (``agreements_in``)."""
    return agreements_in(open_store(store))


def agreements_in(database: ox.Store) -> list[Agreement]:
    """Every agreement of a built store, with its home, partner, country and zone (as ``EDGES``
    gives them, in the order of the agreements' IRIs).

    Read one property at a time and joined here: the one SPARQL join (``EDGES``, the plain path,
    tested equal) took 14 s for 10^5 agreements on the store on disk, these scans about 2 s.
    """
    values = partial(_values, database)
    agreements = {quad.subject for quad in database.quads_for_pattern(None, RDF_TYPE, PKG_AGREEMENT)}
    homes, partners, countries = values("pkg:homeInstitution"), values("pkg:partner"), values("pkg:country")
    labels, notations, zones = values("skos:prefLabel"), values("skos:notation"), values("pkg:zone")
    english = {node: [label for label in names if label.language == "en"] for node, names in labels.items()}
    label = lambda node: [term.value for term in labels.get(node, ())]  # noqa: E731

    def place(node) -> list[tuple[str, str]]:  # (country code, zone label) of a country node; ("", "") if none
        found = [(code.value, zone_label.value) for country in countries.get(node, ())
                 for code in notations.get(country, ())
                 for zone_label in ([z for zone in zones.get(country, ()) for z in english.get(zone, ())] or [_NONE])]
        return found or [("", "")]

    rows = []
    for agreement in sorted(agreements, key=lambda node: node.value):
        for home, partner in product(homes.get(agreement, ()), partners.get(agreement, ())):
            for home_label, partner_label in product(label(home), label(partner)):
                for (country, zone), (home_country, home_zone) in product(place(agreement), place(home)):
                    rows.append(Agreement(home.value, home_label, partner.value, partner_label, country, zone,
                                          home_country, home_zone))
    return rows


_NONE = ox.Literal("")
PKG_AGREEMENT = ox.NamedNode(vocab.PKG["Agreement"])
RDF_TYPE = ox.NamedNode(vocab.PREFIXES["rdf"] + "type")


def _values(database: ox.Store, predicate: str) -> dict:
    """subject -> its distinct objects of ``predicate`` ("prefix:name") in any graph, in the order
    of their N-Triples forms (a store in memory and one on disk give them in orders of their own)."""
    prefix, name = predicate.split(":")
    found: dict = defaultdict(set)
    for quad in database.quads_for_pattern(None, ox.NamedNode(vocab.PREFIXES[prefix] + name), None):
        found[quad.subject].add(quad.object)
    return {subject: sorted(objects, key=str) for subject, objects in found.items()}


def bipartite_network(agreements: list[Agreement]) -> nx.Graph:
    """Home institutions (bipartite=0) joined to partners (bipartite=1), weighted by agreements.

    Parameters
    ----------
    agreements : the agreements to draw the network from

    Returns
    -------
    An undirected graph; nodes carry ``label``, ``kind`` ("home" or "partner"), ``country`` and
    ``zone``. A home another home lists as a partner stays one node, of kind "home".

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
        graph.add_node(a.home, label=a.home_label, kind="home", bipartite=0, country=a.home_country,
                       zone=a.home_zone)
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


def home_overlap(graph: nx.Graph, pairs: dict[str, np.ndarray] | None = None) -> list[dict]:
    """For each pair of home institutions: partners of each, shared partners, Jaccard overlap.

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p1", "P1"),
    ...                        Agreement("h2", "H2", "p2", "P2")])
    >>> home_overlap(B)[0]["shared"], home_overlap(B)[0]["jaccard"]
    (1, 0.5)
    """
    hs = homes(graph)
    labels = [graph.nodes[h]["label"] for h in hs]
    pairs = pairs if pairs is not None else home_pairs(graph)
    rows = []
    for a, b, shared, partners_a, partners_b in zip(*(pairs[k].tolist() for k in ("a", "b", "shared", "a_partners",
                                                                                   "b_partners")), strict=True):
        union = partners_a + partners_b - shared
        rows.append({"home_a": labels[a], "home_b": labels[b], "partners_a": partners_a, "partners_b": partners_b,
                     "shared": shared, "jaccard": round(shared / union, 4) if union else 0.0})
    return rows


def home_projection(graph: nx.Graph, max_edges: int = PROJECTION_MAX_EDGES,
                    pairs: dict[str, np.ndarray] | None = None) -> nx.Graph:
    """Home institutions joined by the partners they share (weight: shared partners; ``jaccard``:
    shared over all their partners). Where more than ``max_edges`` pairs share a partner (a few
    thousand homes), only the pairs sharing the most are kept, as in ``partner_projection``; the
    graph's ``rule`` attribute says how many a pair had to share. ``pairs``: ``home_pairs(graph)``,
    when already counted.

    Homes only: a home that another lists as a partner is that home's partner, never a path to
    its own partners.

    Examples
    --------
    >>> B = bipartite_network([Agreement("h1", "H1", "h2", "H2"), Agreement("h2", "H2", "h1", "H1"),
    ...                        Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p1", "P1"),
    ...                        Agreement("h2", "H2", "p2", "P2")])
    >>> P = home_projection(B)
    >>> sorted(P.nodes), P["h1"]["h2"]["weight"], P["h1"]["h2"]["jaccard"], P.nodes["h1"]["label"]
    (['h1', 'h2'], 1, 0.5, 'H1')
    >>> home_projection(B, max_edges=0).graph["rule"]
    'home institutions joined when they share at least 2 partners (raised from 1 to keep at most 0 edges)'
    """
    names = homes(graph)
    pairs = pairs if pairs is not None else home_pairs(graph)
    least, raised = _least_weight(_tally(pairs["shared"][pairs["shared"] > 0]), 1, max_edges)
    projected = nx.Graph(rule=f"home institutions joined when they share at least {least} partner"
                              f"{'s' if least > 1 else ''}{raised}")
    projected.add_nodes_from((h, graph.nodes[h]) for h in names)
    kept = pairs["shared"] >= max(least, 1)
    for a, b, shared, every in zip(*(pairs[k][kept].tolist() for k in ("a", "b", "shared", "every")), strict=True):
        projected.add_edge(names[a], names[b], weight=shared, jaccard=round(shared / every, 4))
    return projected


def home_pairs(graph: nx.Graph) -> dict[str, np.ndarray]:
    """Every pair (a, b) of home institutions (their indexes in ``homes(graph)``, a < b, in order)
    with: the partners they share, the partners of a (b aside), of b (a aside), and of either (both
    aside); what ``home_overlap`` and ``home_projection`` are made of.

    The shared partners of every pair come from one sparse product of the homes' neighbour rows
    (a few thousand homes: millions of pairs); a pair where one home is the other's partner, or a
    home its own, is counted with sets, the sets saying what "aside" means.

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p1", "P1")])
    >>> {k: v.tolist() for k, v in home_pairs(B).items()}["shared"]
    [1]
    """
    names = homes(graph)
    index = {node: i for i, node in enumerate(graph)}
    rows = _incidence([[index[n] for n in graph[h]] for h in names], len(index))
    degree = np.asarray(rows.sum(axis=1)).ravel().astype(np.int64)
    a, b = np.triu_indices(len(names), k=1)
    pairs = {"a": a, "b": b, "shared": (rows @ rows.T).toarray()[a, b].astype(np.int64)}
    pairs |= {"a_partners": degree[a], "b_partners": degree[b]}
    pairs["every"] = pairs["a_partners"] + pairs["b_partners"] - pairs["shared"]
    position = {h: i for i, h in enumerate(names)}
    adjacent = {(position[h], position[n]) for h in names for n in graph[h] if n in position}
    own_partner = {i for i, j in adjacent if i == j}
    special = {(min(i, j), max(i, j)) for i, j in adjacent if i != j}
    special |= {(min(i, j), max(i, j)) for i in own_partner for j in range(len(names)) if j != i}
    for i, j in sorted(special):
        k = i * (2 * len(names) - i - 1) // 2 + (j - i - 1)  # the pair's place in the upper triangle
        pa, pb = set(graph[names[i]]) - {names[j]}, set(graph[names[j]]) - {names[i]}
        pairs["shared"][k], pairs["a_partners"][k], pairs["b_partners"][k] = len(pa & pb), len(pa), len(pb)
        pairs["every"][k] = len((pa | pb) - {names[i], names[j]})
    return pairs


def _incidence(rows: list[list[int]], columns: int) -> sparse.csr_matrix:
    """A 0/1 sparse matrix of ``len(rows)`` rows whose row i has ones at the columns ``rows[i]``."""
    counts = [len(r) for r in rows]
    data = np.ones(sum(counts), dtype=np.int32)
    indptr = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
    indices = np.fromiter((c for r in rows for c in r), dtype=np.int32, count=int(indptr[-1]))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), columns))


def _tally(weights: np.ndarray) -> Counter:
    """How many pairs have each weight."""
    return Counter(dict(zip(*(values.tolist() for values in np.unique(weights, return_counts=True)), strict=True)))


def _least_weight(weights: Counter, least: int, max_edges: int) -> tuple[int, str]:
    """The least weight (from ``least`` up) that keeps at most ``max_edges`` of the pairs whose
    weights ``weights`` counts, and the words that say it was raised."""
    start, kept = least, sum(n for weight, n in weights.items() if weight >= least)
    while kept > max_edges:
        kept -= weights[least]
        least += 1
    return least, (f" (raised from {start} to keep at most {max_edges} edges)" if least > start else "")


def partner_projection(graph: nx.Graph, min_homes: int = PARTNER_PROJECTION_MIN_HOMES,
                       max_edges: int = PROJECTION_MAX_EDGES) -> nx.Graph:
    """Partners joined when home institutions have agreements with both (weight: such homes),
    keeping the pairs that at least ``min_homes`` homes share. The rule keeps what a person can
    use: with one home alone, every pair of its partners would be joined, a clique that says
    nothing (the seeds' unpruned projection held 87,070 edges). Where that still leaves more than
    ``max_edges`` pairs (hundreds of homes), the threshold rises until it does not; the graph's
    ``rule`` attribute says which threshold was used.

    Examples
    --------
    >>> B = bipartite_network([Agreement(h, h.upper(), p, p.upper()) for h in ("h1", "h2") for p in ("p1", "p2")]
    ...                       + [Agreement("h1", "H1", "p3", "P3")])
    >>> P = partner_projection(B)
    >>> sorted(P.nodes), P["p1"]["p2"]["weight"]
    (['p1', 'p2'], 2)
    >>> partner_projection(B, min_homes=1).number_of_edges()
    3
    >>> partner_projection(B, min_homes=1, max_edges=1).graph["rule"].split(" with both ")[1]
    '(raised from 1 to keep at most 1 edges); weight: such homes'
    """
    home_set = set(homes(graph))
    # only partners of enough homes can be in a pair that enough homes share
    eligible = sorted(n for n in graph if sum(h in home_set for h in graph[n]) >= min_homes)
    index = {node: i for i, node in enumerate(eligible)}
    by_home = _incidence([[index[p] for p in graph[h] if p in index] for h in sorted(home_set)], len(eligible))
    weights = Counter()
    for _, _, weight in _partner_pairs(by_home, min_homes):
        weights.update(_tally(weight))
    least, raised = _least_weight(weights, min_homes, max_edges)
    projected = nx.Graph(rule=f"partners joined when at least {least} home institutions have agreements "
                              f"with both{raised}; weight: such homes")
    for first, second, weight in _partner_pairs(by_home, least):  # in the order of the partners' ids
        for i, j, w in zip(first.tolist(), second.tolist(), weight.tolist(), strict=True):
            a, b = eligible[i], eligible[j]
            projected.add_node(a, **graph.nodes[a])
            projected.add_node(b, **graph.nodes[b])
            projected.add_edge(a, b, weight=w)
    return projected


def _partner_pairs(by_home: sparse.csr_matrix, least: int, block: int = 1024):
    """(i, j, homes) arrays of the partner pairs i < j that at least ``least`` homes share, from the
    homes' 0/1 rows (``by_home``), sorted by i then j. The product is taken ``block`` partners at a
    time, so that its size stays bounded however many pairs one home joins (500 partners: 125,000)."""
    by_partner = by_home.T.tocsr()
    for start in range(0, by_partner.shape[0], block):
        counts = (by_partner[start:start + block] @ by_home).tocoo()
        first = counts.row.astype(np.int64) + start
        keep = (counts.col > first) & (counts.data >= least)
        first, second, weight = first[keep], counts.col[keep], counts.data[keep]
        order = np.lexsort((second, first))
        yield first[order], second[order], weight[order]


def betweenness(graph: nx.Graph) -> tuple[dict, str]:
    """Normalised betweenness of every node, and how it was computed: exactly while nodes x edges
    is within BETWEENNESS_BUDGET, else estimated from a sample of source nodes that fits it.

    The numbers are networkx 3.6's ``betweenness_centrality(graph, k, normalized=True, seed=1)``: the
    same sample of sources, the same scaling (see ``_scaled``); the shortest paths are counted by
    igraph, in C (at 10^5 agreements networkx took 11 s for the five networks' samples).

    >>> values, method = betweenness(bipartite_network([Agreement("h1", "H1", "p1", "P1"),
    ...                                                 Agreement("h2", "H2", "p1", "P1")]))
    >>> values["p1"], method
    (1.0, 'exact')
    """
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    sources = max(50, BETWEENNESS_BUDGET // max(edges, 1))
    if sources >= nodes:
        return _scaled(graph, None), "exact"
    sample = random.Random(1).sample(list(graph.nodes()), sources)  # networkx's sample for k and seed 1
    return _scaled(graph, sample), f"estimated from {sources} of {nodes} source nodes (networkx k, seed 1)"


def _scaled(graph: nx.Graph, sample: list | None) -> dict:
    """Betweenness from the shortest paths out of ``sample`` (every node: None), scaled as networkx
    scales it without endpoints: over the (s, t) pairs that could pass through a node, counting a
    sampled source's own pairs one fewer. igraph counts each undirected pair once, networkx twice."""
    nodes = list(graph.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    counted = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()]).betweenness(
        directed=False, sources=None if sample is None else [index[s] for s in sample])
    pairs = len(nodes) - 2  # targets other than the source and the node itself
    if pairs < 1:
        return dict.fromkeys(nodes, 0.0)
    sources = len(nodes) - 1 if sample is None else len(sample)
    sampled = set(sample or ())
    return {node: 2 * value / (pairs * (sources - (node in sampled))) if value else 0.0
            for node, value in zip(nodes, counted, strict=True)}


def for_gephi(graph: nx.Graph, between: tuple[dict, str] | None = None,
              groups: list[list[str]] | None = None) -> nx.Graph:
    """A copy of ``graph`` in sorted order whose nodes carry what Gephi shows and filters on:
    ``label``, ``kind``, ``country``, ``zone``, ``degree``, ``betweenness`` and ``community``
    (Louvain, numbered from 0 by size). ``between`` and ``groups``: the graph's betweenness and
    communities, when already computed.

    >>> G = for_gephi(bipartite_network([Agreement("h1", "H1", "p1", "P1", "DE", "Europe")]))
    >>> {k: G.nodes["p1"][k] for k in ("label", "country", "degree", "community")}
    {'label': 'P1', 'country': 'DE', 'degree': 1, 'community': 0}
    """
    values, method = between or betweenness(graph)
    if groups is None:
        groups = communities(graph) if graph.number_of_edges() else []
    community = {n: i for i, c in enumerate(groups) for n in c}
    gephi = nx.Graph(**graph.graph, betweenness=method)
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        gephi.add_node(node, label=data.get("label", str(node)), kind=data.get("kind", ""),
                       country=data.get("country", ""), zone=data.get("zone", ""), degree=graph.degree(node),
                       betweenness=round(values.get(node, 0.0), 6), community=community.get(node, -1))
    edges = [(min(a, b, key=str), max(a, b, key=str), d) for a, b, d in graph.edges(data=True)]
    gephi.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    return gephi


def centrality(graph: nx.Graph, between: tuple[dict, str] | None = None) -> list[dict]:
    """Degree, weighted degree and betweenness of every node, most central first (``between``: the
    graph's betweenness, when already computed).

    >>> B = bipartite_network([Agreement("h1", "H1", "p1", "P1"), Agreement("h2", "H2", "p1", "P1")])
    >>> centrality(B)[0]["node"], centrality(B)[0]["betweenness"]
    ('p1', 1.0)
    """
    values, method = between or betweenness(graph)
    rows = [{"node": n, "label": d["label"], "kind": d["kind"], "degree": graph.degree(n),
             "agreements": graph.degree(n, weight="weight"), "betweenness": round(values.get(n, 0.0), 6),
             "betweenness_method": method} for n, d in graph.nodes(data=True)]
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


def analyze(output: str | Path, agreements: list[Agreement] | None = None) -> dict[str, Path]:
    """Run every analysis on the store under ``output``; write tables and networks to output/analysis/.
    ``agreements``: the store's, when already read (``agreements_from_store``)."""
    output = Path(output)
    agreements = agreements if agreements is not None else agreements_from_store(output / "store")
    network = bipartite_network(agreements)
    between, groups = betweenness(network), communities(network) if network.number_of_edges() else []
    pairs = home_pairs(network)  # counted once for the overlap table and the home projection
    folder = output / "analysis"
    by_country, by_zone = aggregate_network(agreements, "country"), aggregate_network(agreements, "zone")
    files: dict[str, str | bytes] = {
        "home-overlap.csv": _csv(home_overlap(network, pairs)),
        "centrality.csv": _csv(centrality(network, between)),
        "communities.json": json.dumps([[network.nodes[n]["label"] for n in c] for c in groups],
                                       ensure_ascii=False, indent=1) + "\n",
        "countries.csv": _csv(_edge_rows(by_country)),
        "zones.csv": _csv(_edge_rows(by_zone)),
    }
    graphs = {"partner-network": network, "home-projection": home_projection(network, pairs=pairs),
              "partner-projection": partner_projection(network),
              "country-network": by_country, "zone-network": by_zone}
    for name, graph in graphs.items():
        graph = for_gephi(graph, between, groups) if graph is network else for_gephi(graph)
        files[f"{name}.graphml"], files[f"{name}.gexf"] = network_files.graphml(graph), network_files.gexf(graph)
    paths = {}
    for name, data in files.items():
        write_atomic(folder / name, data)
        paths[name] = folder / name
    return paths


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
