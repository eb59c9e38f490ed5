"""Network analyses on the seeds, checked against counts read off the documents."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.use import analyse
from partnerkg.use.analyse import (
    EDGES,
    Agreement,
    agreements_from_store,
    agreements_in,
    betweenness,
    bipartite_network,
    home_overlap,
    home_projection,
    partner_projection,
    shared_partners,
)

SHARED = Path(__file__).parent / "data" / "shared_grenoble_tohoku.txt"
GRENOBLE = "https://w3id.org/partnerkg/id/institution/institut-polytechnique-de-grenoble-fr"
TOHOKU = "https://w3id.org/partnerkg/id/institution/tohoku-university-jp"


def expected_shared() -> list[tuple[str, str]]:
    lines = [line for line in SHARED.read_text(encoding="utf-8").split("\n") if line and not line.startswith("#")]
    return [tuple(part.strip() for part in line.split(" | ")) for line in lines]


def test_analyze_writes_tables_and_networks(seed_build):
    result = CliRunner().invoke(cli, ["analyze", "-o", str(seed_build.output)])
    assert result.exit_code == 0, result.output
    folder = seed_build.output / "analysis"
    network = nx.read_graphml(folder / "partner-network.graphml")
    assert network.nodes[GRENOBLE]["kind"] == "home"
    assert nx.read_gexf(folder / "zone-network.gexf").number_of_nodes() > 3
    with open(folder / "home-overlap.csv", encoding="utf-8") as handle:
        overlap = {(r["home_a"], r["home_b"]): r for r in csv.DictReader(handle)}
    pair = overlap[("Institut polytechnique de Grenoble", "Tohoku University")]
    # the partners both documents list (each pair checked against 001 and 002 by hand)
    assert int(pair["shared"]) == len(expected_shared()) == 42
    assert 0 < float(pair["jaccard"]) < 1
    found = json.loads((folder / "communities.json").read_text(encoding="utf-8"))
    assert sorted(label for community in found for label in community) == \
        sorted(network.nodes[n]["label"] for n in network)  # every node in exactly one community
    with open(folder / "centrality.csv", encoding="utf-8") as handle:
        top = next(csv.DictReader(handle))
    assert top["kind"] == "home"


def test_shared_partners_are_the_ones_both_documents_name(seed_build, seed_query):
    network = bipartite_network(agreements_from_store(seed_build.output / "store"))
    shared = shared_partners(network, GRENOBLE, TOHOKU)
    for name_001, name_002 in expected_shared():
        rows = seed_query(f"""SELECT DISTINCT ?p WHERE {{
            {{ ?p skos:altLabel {json.dumps(name_001)} }} UNION {{ ?u skos:altLabel {json.dumps(name_001)} ; org:unitOf ?p }}
            {{ ?q skos:altLabel {json.dumps(name_002)}@fr }} UNION {{ ?v skos:altLabel {json.dumps(name_002)}@fr ; org:unitOf ?q }}
            FILTER(?p = ?q) }}""")
        assert len(rows) == 1 and rows[0][0] in shared, (name_001, name_002)


def test_gephi_files_carry_the_attributes_and_projections_hold_what_they_say(seed_build):
    CliRunner().invoke(cli, ["analyze", "-o", str(seed_build.output)])
    folder = seed_build.output / "analysis"
    homes = nx.read_gexf(folder / "home-projection.gexf")
    # the three homes only (000's home lists no other home, Grenoble and Tohoku share 42 partners),
    # every one labelled
    assert sorted(d["label"] for _, d in homes.nodes(data=True)) == \
        ["Home institution of “Partner list of an unnamed French institution”", "Institut polytechnique de Grenoble",
         "Tohoku University"]
    assert homes[GRENOBLE][TOHOKU]["weight"] == 42
    network = nx.read_gexf(folder / "partner-network.gexf")
    for _, data in network.nodes(data=True):
        assert {"label", "kind", "country", "zone", "degree", "betweenness", "community"} <= set(data)
    grenoble = network.nodes[GRENOBLE]
    assert (grenoble["kind"], grenoble["country"], grenoble["zone"]) == ("home", "FR", "Europe")
    assert grenoble["degree"] == len(list(network.neighbors(GRENOBLE)))
    partners = nx.read_graphml(folder / "partner-projection.graphml")
    assert partners.graph["rule"].startswith("partners joined when at least 2 home institutions")
    assert partners.number_of_edges() > 0
    assert all(d["weight"] >= 2 for *_, d in partners.edges(data=True))
    assert set(partners) <= {n for n in network if network.nodes[n]["kind"] == "partner"}


def test_agreements_read_property_by_property_are_those_of_the_one_sparql_join(seed_build, seed_query):
    """The analyses read the store one property at a time and join in memory (the fast path); the
    plain path is the one SPARQL join, EDGES. Both give the same agreements, in the same order,
    unknown countries and zones included."""
    fast = agreements_from_store(seed_build.output / "store")
    plain = [Agreement(*row[1:]) for row in seed_query(EDGES)]
    assert len(fast) == 835 and fast == plain


def test_the_agreements_of_the_store_in_memory_are_those_of_the_output_store(seed_build):
    """The build analyses its store in memory while Oxigraph writes the output's store on disk; the
    two give their quads in orders of their own, the agreements read from them are the same."""
    in_memory = ox.Store()
    for dump in ("partnerkg.nq", "partnerkg-inferred.nq"):
        in_memory.bulk_load(path=str(seed_build.output / dump), format=ox.RdfFormat.N_QUADS)
    assert agreements_in(in_memory) == agreements_from_store(seed_build.output / "store")


def _odd_network() -> nx.Graph:
    """Homes that list each other, one that lists itself, partners shared by few and by many."""
    listed = [("h1", "h2"), ("h2", "h1"), ("h3", "h3"), ("h3", "h1")]
    listed += [(h, f"p{i}") for h in ("h1", "h2", "h3", "h4") for i in range(6) if (int(h[1]) + i) % 3]
    return bipartite_network([Agreement(h, h.upper(), p, p.upper()) for h, p in listed])


def test_the_projections_counted_with_sparse_products_are_those_counted_with_sets():
    """home_overlap, home_projection and partner_projection count pairs with sparse matrix products
    (the pairs of 2,000 homes at 10^6 agreements); here each against its definition with sets,
    on a network where homes list each other and themselves (the pairs counted apart)."""
    network = _odd_network()
    homes = sorted(n for n, d in network.nodes(data=True) if d["kind"] == "home")
    expected = []
    for i, a in enumerate(homes):
        for b in homes[i + 1:]:
            pa, pb = set(network[a]) - {b}, set(network[b]) - {a}
            expected.append((a.upper(), b.upper(), len(pa), len(pb), len(pa & pb),
                             round(len(pa & pb) / len(pa | pb), 4)))
    assert [tuple(r.values()) for r in home_overlap(network)] == expected
    projected = home_projection(network)
    assert {frozenset((a, b)): d["weight"] for a, b, d in projected.edges(data=True)} == \
        {frozenset((a, b)): len(shared_partners(network, a, b)) for i, a in enumerate(homes) for b in homes[i + 1:]
         if shared_partners(network, a, b)}
    assert projected["h1"]["h3"]["jaccard"] == round(len(shared_partners(network, "h1", "h3")) / len(
        (set(network["h1"]) | set(network["h3"])) - {"h1", "h3"}), 4)
    pairs = {}
    for home in homes:
        for a in network[home]:
            for b in network[home]:
                if str(a) < str(b):
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
    assert {frozenset((a, b)): d["weight"] for a, b, d in partner_projection(network).edges(data=True)} == \
        {frozenset(pair): n for pair, n in pairs.items() if n >= 2}


def test_projections_keep_the_pairs_that_share_most_when_there_are_too_many():
    network = _odd_network()
    weights = sorted((d["weight"] for *_, d in home_projection(network).edges(data=True)), reverse=True)
    capped = home_projection(network, max_edges=2)
    least = min(d["weight"] for *_, d in capped.edges(data=True))
    assert capped.number_of_edges() <= 2 and least > weights[-1]
    assert capped.graph["rule"] == (f"home institutions joined when they share at least {least} partners "
                                    "(raised from 1 to keep at most 2 edges)")
    assert partner_projection(network, max_edges=3).number_of_edges() <= 3


def test_betweenness_counted_by_igraph_is_networkx_s_exact_and_sampled(monkeypatch):
    """igraph counts the shortest paths; the sample of sources and the scaling are networkx's:
    the same numbers, exactly (the odd network; a random one with isolated nodes and several
    components) and from a sample (a budget small enough to sample 50 of the random one's nodes)."""
    random_network = nx.relabel_nodes(nx.gnm_random_graph(120, 200, seed=3), lambda n: f"n{n}")
    random_network.add_nodes_from(["alone", "also alone"])
    for network in (_odd_network(), random_network):
        values, method = betweenness(network)
        exact = nx.betweenness_centrality(network, normalized=True)
        assert method == "exact" and values.keys() == exact.keys()
        assert all(abs(values[n] - exact[n]) < 1e-12 for n in network)
    monkeypatch.setattr(analyse, "BETWEENNESS_BUDGET", 5 * random_network.number_of_edges())
    values, method = betweenness(random_network)
    assert method == "estimated from 50 of 122 source nodes (networkx k, seed 1)"
    sampled = nx.betweenness_centrality(random_network, k=50, normalized=True, seed=1)
    assert all(abs(values[n] - sampled[n]) < 1e-12 for n in random_network)
    assert values != nx.betweenness_centrality(random_network, normalized=True)
