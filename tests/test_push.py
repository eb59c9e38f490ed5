"""partnerkg push: the built graph into two real triple stores on localhost through the SPARQL 1.1
Graph Store Protocol, the Oxigraph server (PyPI) and Virtuoso (Debian, Digest authentication); the
query catalogue then answers on each as it does on the embedded store."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from rdflib import Graph
from SPARQLWrapper import JSON, SPARQLWrapper

from partnerkg.cli import cli
from partnerkg.publish.void import DATASET
from partnerkg.use.catalogue import catalogue
from partnerkg.use.query import query, standalone
from partnerkg.vocab import VOID

from . import servers


def started(server, name: str):
    if server is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed: .ci/run installs it, and CI must run the push tests")
        pytest.skip(f"{name} is not installed here (CI installs it)")
    return server


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    server = started(servers.start_oxigraph(tmp_path_factory.mktemp("oxigraph")), "the Oxigraph server")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = started(servers.start_virtuoso(tmp_path_factory.mktemp("virtuoso")), "Virtuoso (virtuoso-t)")
    yield server
    server.stop()


def push(output, server, *credentials: str):
    return CliRunner().invoke(cli, ["push", "--output", str(output), "--endpoint", server.store, *credentials])


def remote(server, sparql: str) -> tuple[list[str], list[list[str]]]:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(standalone(sparql))
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    columns = answer["head"]["vars"]
    return columns, [[b.get(c, {}).get("value", "") for c in columns] for b in answer["results"]["bindings"]]


def unordered_lists(rows: list[list[str]]) -> list[list[str]]:
    """GROUP_CONCAT's order is left to each store by SPARQL: its parts compared as a set."""
    return [[" | ".join(sorted(cell.split(" | "))) for cell in row] for row in rows]


def assert_catalogue_answers_alike(server, store) -> None:
    for item in catalogue():
        local = query(item.sparql(), store)
        columns, rows = remote(server, item.sparql())
        assert columns == local.columns, item.name
        assert unordered_lists(rows) == unordered_lists(local.rows), item.name


def assert_graphs_hold_what_void_states(server, output) -> None:
    void = Graph().parse(output / "void.ttl")
    for subset in void.objects(DATASET, VOID.subset):
        _, rows = remote(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{subset}> {{ ?s ?p ?o }} }}")
        assert int(rows[0][0]) == int(void.value(subset, VOID.triples)), subset


def test_push_to_the_oxigraph_server(seed_build, oxigraph):
    result = push(seed_build.output, oxigraph)
    assert result.exit_code == 0, result.output
    assert_graphs_hold_what_void_states(oxigraph, seed_build.output)
    assert_catalogue_answers_alike(oxigraph, seed_build.output / "store")
    again = push(seed_build.output, oxigraph)  # a graph is replaced, not added to
    assert again.exit_code == 0, again.output
    assert_graphs_hold_what_void_states(oxigraph, seed_build.output)


def test_push_to_virtuoso_with_digest_authentication(seed_build, virtuoso):
    anonymous = push(seed_build.output, virtuoso)
    assert anonymous.exit_code == 1
    assert "HTTP 401 (the store wants credentials: give --user and --password)" in anonymous.output
    wrong = push(seed_build.output, virtuoso, "--user", virtuoso.user, "--password", "not-the-password")
    assert wrong.exit_code == 1 and "did not accept these credentials" in wrong.output
    result = CliRunner().invoke(cli, ["push", "--output", str(seed_build.output), "--endpoint", virtuoso.store,
                                      "--user", virtuoso.user], env={"PARTNERKG_PASSWORD": virtuoso.password})
    assert result.exit_code == 0, result.output
    assert_graphs_hold_what_void_states(virtuoso, seed_build.output)
    assert_catalogue_answers_alike(virtuoso, seed_build.output / "store")
