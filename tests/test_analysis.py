"""Network analyses on the seeds, checked against counts read off the documents."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.use.analyse import EDGES, Agreement, agreements_from_store, bipartite_network, shared_partners

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
