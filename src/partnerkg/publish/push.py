"""Push: the built graph into a triple store a publisher already runs, through the SPARQL 1.1 Graph
Store HTTP Protocol: each named graph of the dump (the inferred one included) is replaced by one
``PUT <endpoint>?graph=<iri>``. With a user and password, the server's challenge decides between
HTTP Basic and Digest authentication (Virtuoso asks for Digest, Fuseki and GraphDB for Basic).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

from ..errors import PartnerkgError
from ..paths import OUTPUT
from .dump import ASSERTED, INFERRED

OK = (200, 201, 204)


class PushError(PartnerkgError):
    """The store refused a graph, or could not be reached."""


@dataclass(frozen=True)
class Pushed:
    graph: str  # the named graph's IRI
    triples: int
    status: int  # the store's HTTP answer


def push(endpoint: str, output: str | Path = OUTPUT, user: str = "", password: str = "",
         timeout: float = 300) -> list[Pushed]:
    """Replace each named graph of the built ``output`` in the Graph Store at ``endpoint``.

    ``endpoint``: the store's Graph Store Protocol address (Oxigraph server: ``.../store``;
    Virtuoso: ``.../sparql-graph-crud-auth``; Fuseki: ``.../DATASET/data``). Graphs are sent as
    N-Triples, one request each, in IRI order; the first refusal stops the push with the store's
    answer.
    """
    graphs = _graphs(Path(output))
    auth = ChallengedAuth(user, password) if user else None
    pushed = []
    with httpx.Client(auth=auth, timeout=timeout) as client:
        for graph, triples in graphs.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            try:
                answer = client.put(endpoint, params={"graph": graph}, content=body,
                                    headers={"Content-Type": "application/n-triples"})
            except httpx.HTTPError as exc:
                raise PushError(f"{endpoint}: cannot reach the store ({exc})") from None
            if answer.status_code not in OK:
                raise PushError(f"{endpoint}: the store refused graph <{graph}>: HTTP {answer.status_code} "
                                f"{_hint(answer.status_code, user)}{answer.text.strip()[:300]}")
            pushed.append(Pushed(graph, len(triples), answer.status_code))
    return pushed


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
