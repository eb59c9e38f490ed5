"""Queries from users run safely: SERVICE refused, a timeout, Ctrl-C, rows streamed, FROM honoured."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.pipeline import build
from partnerkg.use.query import query

from .conftest import table_source, write_manifest

RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # every triple cubed: runs for hours


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("query-safety")
    (folder / "a.md").write_text("| Pays | Institution |\n|---|---|\n| Allemagne | Technische Universität Dresden |\n"
                                 "| Suède | Kungliga Tekniska Högskolan |\n", encoding="utf-8")
    manifest = write_manifest(folder, table_source("a.md", home="Université Test"))
    return build(manifest, folder / "out", report=False).output


def run(built, *args):
    return CliRunner().invoke(cli, ["query", *args, "--output", str(built)])


def test_service_is_refused_unless_allowed(built):
    result = run(built, "-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 1
    assert "refused unless allowed (--allow-service)" in result.output
    lower = run(built, "-e", "select * where { service <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }")
    assert lower.exit_code == 1 and "SERVICE" in lower.output
    # the word inside a string or an IRI is no call
    assert run(built, "-e", 'SELECT * WHERE { ?s ?p "SERVICE" }', "--format", "csv").exit_code == 0


def test_a_runaway_query_stops_at_its_timeout_after_streaming_rows(built, tmp_path):
    started = time.monotonic()
    process = subprocess.run([sys.executable, "-m", "partnerkg", "query", "-e", RUNAWAY, "--format", "csv",
                              "--timeout", "3", "--output", str(built)], capture_output=True, text=True, timeout=120)
    assert process.returncode == 1
    assert "the query was stopped after 3 s" in process.stderr
    assert time.monotonic() - started < 60
    assert process.stdout.startswith("a,b,c,d,e,f,g,h,i\n")
    assert process.stdout.count("\n") > 10_000  # rows were written as they came, before the stop


def test_ctrl_c_stops_a_query(built):
    process = subprocess.Popen([sys.executable, "-m", "partnerkg", "query", "-e", RUNAWAY, "--format", "csv",
                                "--timeout", "600", "--output", str(built)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "a,b,c,d,e,f,g,h,i\n"  # the query is running: its rows are coming
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "interrupted (Ctrl-C)" in err and "Traceback" not in err


def test_from_and_from_named_are_honoured(built):
    graph = "https://w3id.org/partnerkg/id/graph/a"
    everything = int(query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", built / "store").rows[0][0])
    in_graph = int(query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                         built / "store").rows[0][0])
    from_graph = int(query(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}", built / "store").rows[0][0])
    assert 0 < from_graph == in_graph < everything
    named = query(f"SELECT DISTINCT ?g FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", built / "store").rows
    assert named == [[graph]]
