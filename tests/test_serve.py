"""partnerkg serve: a real SPARQL 1.1 Protocol endpoint over HTTP on localhost, queried with
SPARQLWrapper; it answers the catalogue as the embedded store does, and refuses what it must."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from partnerkg.use.catalogue import catalogue
from partnerkg.use.query import query

from .servers import free_port


@pytest.fixture(scope="module")
def endpoint(seed_build):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "partnerkg", "serve", "--output", str(seed_build.output),
                               "--port", str(port), "--timeout", "3", "--max-rows", "5000"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert server.poll() is None, server.stderr.read()
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/sparql"
    server.terminate()
    server.wait(timeout=30)


def ask(endpoint: str, sparql: str, fmt=JSON):
    client = SPARQLWrapper(endpoint)
    client.setQuery(sparql)
    client.setReturnFormat(fmt)
    return client.query().convert()


def test_the_catalogue_answers_as_the_embedded_store_does(endpoint, seed_build):
    for item in catalogue():
        local = query(item.sparql(), seed_build.output / "store")
        remote = ask(endpoint, item.sparql())
        assert remote["head"]["vars"] == local.columns, item.name
        rows = [[b.get(c, {}).get("value", "") for c in local.columns] for b in remote["results"]["bindings"]]
        assert rows == local.rows, item.name


def test_results_by_content_negotiation(endpoint):
    sparql = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a pkg:Agreement }"
    assert ask(endpoint, sparql, CSV).decode() == "n\r\n835\r\n"
    request = urllib.request.Request(f"{endpoint}?{urllib.parse.urlencode({'query': sparql})}",
                                     headers={"Accept": "application/sparql-results+xml"})
    with urllib.request.urlopen(request) as answer:
        assert answer.headers["Content-Type"].startswith("application/sparql-results+xml")
        assert b'<literal datatype="http://www.w3.org/2001/XMLSchema#integer">835</literal>' in answer.read()
    construct = "CONSTRUCT { ?h skos:prefLabel ?l } WHERE { ?a pkg:homeInstitution ?h . ?h skos:prefLabel ?l }"
    request = urllib.request.Request(f"{endpoint}?{urllib.parse.urlencode({'query': construct})}",
                                     headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request) as answer:
        lines = sorted(answer.read().decode().splitlines())
    assert len(lines) == 3 and '<https://w3id.org/partnerkg/id/institution/tohoku-university-jp> ' \
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Tohoku University"@en .' in lines  # ROR's display name is English


def refusal(endpoint: str, data: dict | None = None, query_text: str | None = None) -> tuple[int, str]:
    url = endpoint + (f"?{urllib.parse.urlencode({'query': query_text})}" if query_text else "")
    body = urllib.parse.urlencode(data).encode() if data else None
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=body))
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    raise AssertionError("not refused")


def test_updates_service_runaway_and_oversized_queries_are_refused(endpoint):
    assert refusal(endpoint, data={"update": "DROP ALL"}) == (403, "this endpoint is read-only: updates are refused\n")
    code, message = refusal(endpoint, query_text="SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }")
    assert code == 400 and "refused unless allowed" in message
    code, message = refusal(endpoint, query_text="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a")
    assert code == 503 and "stopped after 3 s" in message
    code, message = refusal(endpoint, query_text="SELECT * WHERE { ?s ?p ?o }")
    assert code == 400 and "more than 5000 rows: add a LIMIT" in message
    assert ask(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")["results"]["bindings"]  # the endpoint still serves


def test_entity_pages_render_in_a_browser_and_lead_to_the_source_line(endpoint):
    from .test_report import chromium

    base = endpoint.removesuffix("/sparql")
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", f"{base}/id/institution/tohoku-university-jp")
    assert "<h1>Tohoku University</h1>" in dom
    agreements = set(re.findall(r'href="/id/(agreement/002_8e5df970f06e8e2b/L\d+(?:-\d+)?)"', dom))
    assert len(agreements) == 410  # every agreement of Tohoku's document names it as their home
    agreement = sorted(agreements)[0]
    with urllib.request.urlopen(f"{base}/id/{agreement}") as page:
        line = re.search(r'href="/id/(source/002_8e5df970f06e8e2b/line/\d+)"', page.read().decode()).group(1)
    with urllib.request.urlopen(f"{base}/id/{line}") as page:
        assert "pkg:verbatim" in page.read().decode()  # the line of the document the agreement was read from
    turtle = urllib.request.urlopen(urllib.request.Request(f"{base}/id/institution/tohoku-university-jp",
                                                           headers={"Accept": "text/turtle"}))
    assert turtle.headers["Content-Type"].startswith("text/turtle") and b"Tohoku University" in turtle.read()
    assert refusal(endpoint.removesuffix("sparql") + "id/institution/nowhere")[0] == 404


def test_the_void_description_states_the_endpoint(endpoint, seed_build):
    """VoID's well-known address gives the build's description with this endpoint in it."""
    from rdflib import Graph, URIRef

    from partnerkg.publish.void import DATASET
    from partnerkg.vocab import VOID

    with urllib.request.urlopen(endpoint.replace("/sparql", "/.well-known/void"), timeout=30) as response:
        assert response.headers["content-type"].startswith("text/turtle")
        served = Graph().parse(data=response.read(), format="turtle")
    assert served.value(DATASET, VOID.sparqlEndpoint) == URIRef(endpoint)
    built = Graph().parse(seed_build.output / "void.ttl")
    assert set(built) < set(served)
