"""Push: the built graph into a triple store a publisher already runs, through the SPARQL 1.1 Graph
Store HTTP Protocol: each named graph of the dump (the inferred one included) is replaced by one
``PUT <endpoint>?graph=<iri>``. With a user and password, the server's challenge decides between
HTTP Basic and Digest authentication (Virtuoso asks for Digest, Fuseki and GraphDB for Basic).

The build's VoID description goes with it, into the graph ``.../graph/void``: the next push reads
it back to know which graphs the last push put there, and deletes those this build no longer has (a
source withheld or taken out of the manifest). No other graph of the store is touched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
from rdflib import Graph

from .. import vocab
from ..errors import PartnerkgError
from ..paths import OUTPUT
from ..vocab import VOID
from .dump import ASSERTED, INFERRED
from .void import DATASET

OK = (200, 201, 204)


class PushError(PartnerkgError):
    """The store refused a graph, or could not be reached."""


@dataclass(frozen=True)
class Pushed:
    graph: str  # the named graph's IRI
    triples: int  # -1: the graph was deleted (the last push put it there; this build has it no more)
    status: int  # the store's HTTP answer


VOID_GRAPH = str(vocab.ID["graph/void"])


def push(endpoint: str, output: str | Path = OUTPUT, user: str = "", password: str = "",
         timeout: float = 300) -> list[Pushed]:
    """Replace each named graph of the built ``output`` in the Graph Store at ``endpoint``.

    ``endpoint``: the store's Graph Store Protocol address (Oxigraph server: ``.../store``;
    Virtuoso: ``.../sparql-graph-crud-auth``; Fuseki: ``.../DATASET/data``). Graphs are sent as
    N-Triples, one request each, in IRI order; then the graphs of the last push this build no
    longer has are deleted, and the VoID description is put in ``.../graph/void``. The first refusal
    stops the push with the store's answer.
    """
    graphs = _graphs(Path(output))
    auth = ChallengedAuth(user, password) if user else None
    pushed = []
    with httpx.Client(auth=auth, timeout=timeout) as client:
        before = _pushed_before(client, endpoint)
        for graph, triples in graphs.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            answer = _send(client, "PUT", endpoint, graph, user, body)
            pushed.append(Pushed(graph, len(triples), answer.status_code))
        for graph in sorted(before - graphs.keys()):
            answer = _send(client, "DELETE", endpoint, graph, user)
            pushed.append(Pushed(graph, -1, answer.status_code))
        void = (Path(output) / "void.ttl").read_bytes()
        answer = _send(client, "PUT", endpoint, VOID_GRAPH, user, void, "text/turtle")
        pushed.append(Pushed(VOID_GRAPH, len(Graph().parse(data=void, format="turtle")), answer.status_code))
    return pushed


def _send(client: httpx.Client, method: str, endpoint: str, graph: str, user: str, body: bytes = b"",
          media_type: str = "application/n-triples") -> httpx.Response:
    """One Graph Store request; a refusal is a PushError with the store's answer (a graph
    already gone is no refusal of a DELETE)."""
    try:
        answer = client.request(method, endpoint, params={"graph": graph}, content=body or None,
                                headers={"Content-Type": media_type} if body else {})
    except httpx.HTTPError as exc:
        raise PushError(f"{endpoint}: cannot reach the store ({exc})") from None
    if answer.status_code not in OK and not (method == "DELETE" and answer.status_code == 404):
        raise PushError(f"{endpoint}: the store refused {method} of graph <{graph}>: HTTP {answer.status_code} "
                        f"{_hint(answer.status_code, user)}{answer.text.strip()[:300]}")
    return answer


def _pushed_before(client: httpx.Client, endpoint: str) -> set[str]:
    """The graphs the last push put in the store, from the VoID description it left there."""
    try:
        answer = client.get(endpoint, params={"graph": VOID_GRAPH}, headers={"Accept": "text/turtle"})
    except httpx.HTTPError as exc:
        raise PushError(f"{endpoint}: cannot reach the store ({exc})") from None
    if answer.status_code != 200 or not answer.content.strip():
        return set()  # none yet (404), or not readable: nothing is deleted
    try:
        void = Graph().parse(data=answer.content, format="turtle")
    except Exception:  # noqa: BLE001 - a store's odd answer must not stop the push; nothing is deleted then
        return set()
    return {str(subset) for subset in void.objects(DATASET, VOID.subset) if str(subset).startswith(str(vocab.ID))}


def _graphs(output: Path) -> dict[str, list[ox.Triple]]:
    """The named graphs of both dumps, each with its triples, in IRI order."""
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for name in (ASSERTED, INFERRED):
        path = output / f"{name}.nq"
        if not path.exists():
            raise PartnerkgError(f"{path}: no dump here; run 'partnerkg build' first")
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            graphs[quad.graph_name.value].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return dict(sorted(graphs.items()))


def _hint(status: int, user: str) -> str:
    if status == 401:
        return "(the store wants credentials: give --user and --password) " if not user else \
            "(the store did not accept these credentials) "
    if status == 403:
        return "(this user may not write to the store) "
    return ""


class ChallengedAuth(httpx.Auth):
    """Basic or Digest, whichever the server's challenge asks for."""

    requires_request_body = True  # a challenged request is sent again, body included

    def __init__(self, user: str, password: str) -> None:
        self.basic = httpx.BasicAuth(user, password)
        self.digest = httpx.DigestAuth(user, password)
        self.chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request):
        if self.chosen is not None:
            yield from self.chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        self.chosen = self.digest if scheme == "digest" else self.basic
        yield from self.chosen.auth_flow(request)
