"""partnerkg push: the built graph into two real triple stores on localhost through the SPARQL 1.1
Graph Store Protocol, the Oxigraph server (PyPI) and Virtuoso (Debian, Digest authentication); the
query catalogue then answers on each as it does on the embedded store."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from rdflib import Graph
from SPARQLWrapper import JSON, SPARQLWrapper

from partnerkg import vocab
from partnerkg.cli import cli
from partnerkg.pipeline import build
from partnerkg.publish.push import VOID_GRAPH
from partnerkg.publish.void import DATASET
from partnerkg.use.catalogue import catalogue
from partnerkg.use.query import query, standalone
from partnerkg.vocab import VOID

from . import servers
from .conftest import table_source, write_manifest


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


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """Another build: one document, none of the seeds' sources."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "partners.md").write_text("| Pays | Institution |\n|---|---|\n| Suède | KTH |\n", encoding="utf-8")
    return build(write_manifest(folder, table_source("partners.md")), folder / "output")


def graphs_in(server) -> set[str]:
    _, rows = remote(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row[0] for row in rows if row[0].startswith(str(vocab.ID))}


def assert_a_new_build_replaces_the_last(server, seed_build, small_build, *credentials: str) -> None:
    """Pushing another build deletes the graphs of the last push it does not have, and nothing else."""
    seeds = {str(s) for s in Graph().parse(seed_build.output / "void.ttl").objects(DATASET, VOID.subset)}
    assert seeds <= graphs_in(server)
    result = push(small_build.output, server, *credentials)
    assert result.exit_code == 0, result.output
    kept = {str(s) for s in Graph().parse(small_build.output / "void.ttl").objects(DATASET, VOID.subset)}
    assert graphs_in(server) == kept | {VOID_GRAPH}
    assert_graphs_hold_what_void_states(server, small_build.output)
    assert "deleted (the last push put it there" in result.output


def test_push_to_the_oxigraph_server(seed_build, oxigraph, small_build):
    result = push(seed_build.output, oxigraph)
    assert result.exit_code == 0, result.output
    assert_graphs_hold_what_void_states(oxigraph, seed_build.output)
    assert_catalogue_answers_alike(oxigraph, seed_build.output / "store")
    again = push(seed_build.output, oxigraph)  # a graph is replaced, not added to
    assert again.exit_code == 0, again.output
    assert_graphs_hold_what_void_states(oxigraph, seed_build.output)
    assert_a_new_build_replaces_the_last(oxigraph, seed_build, small_build)


def test_push_to_virtuoso_with_digest_authentication(seed_build, virtuoso, small_build):
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
    assert_a_new_build_replaces_the_last(virtuoso, seed_build, small_build, "--user", virtuoso.user, "--password",
                                         virtuoso.password)
