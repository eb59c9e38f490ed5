"""Serve: the built store as a SPARQL 1.1 Protocol endpoint (``partnerkg serve``), read-only, and
every IRI under https://w3id.org/partnerkg/id/ dereferenceable at /id/...: an HTML page for a
browser, Turtle or JSON-LD for a client that asks.

``GET /sparql?query=...`` and ``POST /sparql`` (a form's ``query``, or an
``application/sparql-query`` body); results as SPARQL JSON, XML, CSV or TSV for SELECT and ASK, and
Turtle, N-Triples or JSON-LD for CONSTRUCT and DESCRIBE, by the request's Accept header. Each query
runs in its own process (started from a clean fork server), stopped after a timeout; an answer of
more rows than the cap is refused with a hint to add a LIMIT; updates and ``SERVICE`` are refused.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .. import vocab
from ..errors import PartnerkgError
from .query import check_query

SOLUTION_TYPES = {  # media type -> writer of SELECT solutions
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/ld+json": ox.RdfFormat.JSON_LD}
MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
         "tsv": "text/tab-separated-values"}


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds a query may run
    max_rows: int = 100_000  # rows (or triples) an answer may hold


def app(output: str | Path, limits: Limits = Limits()) -> Starlette:
    """The ASGI app serving ``output``/store."""
    store = Path(output) / "store"
    if not store.exists():
        raise PartnerkgError(f"{store}: no store here; run 'partnerkg build' first")
    context = multiprocessing.get_context("forkserver")  # a clean process to fork queries from
    context.set_forkserver_preload(["partnerkg.use.serve"])

    async def sparql(request: Request) -> Response:
        try:
            text = await _query_text(request)
            check_query(text)
            accept = request.headers.get("accept", "")
            kind, payload = _run(context, text, store, limits)
            return _respond(kind, payload, accept)
        except _Refused as refused:
            return PlainTextResponse(str(refused) + "\n", status_code=refused.status)
        except PartnerkgError as exc:
            return PlainTextResponse(f"{exc}\n", status_code=400)

    database = ox.Store.read_only(str(store))

    async def entity(request: Request) -> Response:
        fmt = {"ttl": "text/turtle", "jsonld": "application/ld+json"}.get(request.query_params.get("format", ""))
        return _entity_response(database, str(vocab.ID) + request.path_params["path"],
                                fmt or request.headers.get("accept", ""))

    async def void(request: Request) -> Response:
        return Response(_void(Path(output), str(request.url_for("sparql"))), media_type="text/turtle")

    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"]),
                             Route("/id/{path:path}", entity, methods=["GET"]),
                             Route("/.well-known/void", void, methods=["GET"]),
                             Route("/void", void, methods=["GET"])])


def _void(output: Path, endpoint: str) -> bytes:
    """The build's VoID description, stating this endpoint (VoID 7.2: served at /.well-known/void)."""
    from rdflib import Graph, URIRef

    from ..publish.void import DATASET

    path = output / "void.ttl"
    if not path.exists():
        raise PartnerkgError(f"{path}: no dataset description; run 'partnerkg build' again")
    graph = Graph().parse(path)
    graph.add((DATASET, vocab.VOID.sparqlEndpoint, URIRef(endpoint)))
    return graph.serialize(format="turtle", encoding="utf-8")


def serve(output: str | Path, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits()) -> None:
    """Serve ``output``/store at http://HOST:PORT/sparql until stopped (Ctrl-C)."""
    import uvicorn

    uvicorn.run(app(output, limits), host=host, port=port, log_level="warning")


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


async def _query_text(request: Request) -> str:
    """The query of a SPARQL Protocol request; an update is refused (the endpoint is read-only)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if request.method == "GET":
        params = request.query_params
    elif content_type == "application/sparql-query":
        return (await request.body()).decode("utf-8")
    elif content_type == "application/sparql-update":
        raise _Refused("this endpoint is read-only: updates are refused", 403)
    else:  # an HTML form's body (application/x-www-form-urlencoded)
        params = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8")).items()}
    if "update" in params:
        raise _Refused("this endpoint is read-only: updates are refused", 403)
    if not params.get("query"):
        raise _Refused("no query: give one as ?query=... (GET) or in a POST body", 400)
    return str(params["query"])


def _run(context, text: str, store: Path, limits: Limits) -> tuple[str, object]:
    """Run the query in a child process, killed after the timeout."""
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(sender, text, str(store), limits.max_rows), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.timeout):
            raise _Refused(f"the query was stopped after {limits.timeout:g} s", 503)
        kind, payload = receiver.recv()
    except EOFError:
        raise _Refused("the query process ended without an answer", 500) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "error":
        raise _Refused(payload, 400)
    return kind, payload


def _answer(sender, text: str, store: str, max_rows: int) -> None:
    """In the child: the answer as plain data ("select", (variables, rows)), ("ask", bool) or
    ("graph", triples); a solution's terms as (kind, value, datatype, language)."""
    from .. import vocab

    try:
        own_dataset = check_query(text)
        results = ox.Store.read_only(store).query(text, prefixes=vocab.PREFIXES,
                                                  use_default_graph_as_union=not own_dataset)
        if isinstance(results, ox.QueryBoolean):
            sender.send(("ask", bool(results)))
        elif isinstance(results, ox.QuerySolutions):
            variables = [v.value for v in results.variables]
            rows = _capped(([_term(s[v]) for v in variables] for s in results), max_rows)
            sender.send(("select", (variables, rows)))
        else:
            sender.send(("graph", _capped(iter(results), max_rows)))
    except SyntaxError as exc:
        sender.send(("error", f"SPARQL syntax error: {exc}"))
    except (PartnerkgError, OSError, ValueError) as exc:
        sender.send(("error", str(exc)))
    finally:
        sender.close()


def _capped(items, max_rows: int) -> list:
    taken = []
    for item in items:
        if len(taken) == max_rows:
            raise PartnerkgError(f"the answer holds more than {max_rows} rows: add a LIMIT")
        taken.append(item)
    return taken


def _term(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, None, None)
    return ("literal", term.value, term.datatype.value, term.language)


def _respond(kind: str, payload, accept: str) -> Response:
    wanted = [part.split(";")[0].strip() for part in accept.split(",") if part.strip()]
    if kind == "graph":
        media = next((m for m in wanted if m in GRAPH_TYPES), "text/turtle")
        return Response(ox.serialize(payload, format=GRAPH_TYPES[media]), media_type=media)
    writer = next((SOLUTION_TYPES[m] for m in wanted if m in SOLUTION_TYPES), "json")
    if kind == "ask":
        body = _ask(payload, writer)
    else:
        body = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[writer](*payload)
    return Response(body, media_type=MEDIA[writer])


def _ask(value: bool, writer: str) -> str:
    if writer == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>\n")
    if writer in ("csv", "tsv"):
        return f"{str(value).lower()}\n"
    return json.dumps({"head": {}, "boolean": value})


def _json(variables: list[str], rows: list) -> str:
    def binding(term) -> dict:
        kind, value, datatype, language = term
        out = {"type": kind, "value": value}
        if language:
            out["xml:lang"] = language
        elif datatype and kind == "literal" and not datatype.endswith("#string"):
            out["datatype"] = datatype
        return out

    bindings = [{v: binding(t) for v, t in zip(variables, row, strict=True) if t} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def _xml(variables: list[str], rows: list) -> str:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    results = []
    for row in rows:
        cells = []
        for name, term in zip(variables, row, strict=True):
            if not term:
                continue
            kind, value, datatype, language = term
            if kind == "literal":
                attrs = f" xml:lang={quoteattr(language)}" if language else (
                    f" datatype={quoteattr(datatype)}" if datatype and not datatype.endswith("#string") else "")
                inner = f"<literal{attrs}>{escape(value)}</literal>"
            else:
                inner = f"<{kind}>{escape(value)}</{kind}>"
            cells.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        results.append(f"<result>{''.join(cells)}</result>")
    return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{''.join(results)}</results></sparql>\n")


def _csv(variables: list[str], rows: list) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([t[1] if t else "" for t in row] for row in rows)
    return buffer.getvalue()


def _tsv(variables: list[str], rows: list) -> str:
    def cell(term) -> str:
        if not term:
            return ""
        kind, value, datatype, language = term
        if kind == "uri":
            return f"<{value}>"
        if kind == "bnode":
            return f"_:{value}"
        text = json.dumps(value, ensure_ascii=False)
        return text + (f"@{language}" if language else f"^^<{datatype}>" if datatype and
                       not datatype.endswith("#string") else "")

    lines = ["\t".join(f"?{v}" for v in variables)] + ["\t".join(cell(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


# --- entity pages -------------------------------------------------------------------------------

LABELS = (ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
          ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
          ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"))


def _entity_response(database: ox.Store, iri: str, accept: str) -> Response:
    """An entity's statements (those about it, and those naming it) as HTML, Turtle or JSON-LD."""
    node = ox.NamedNode(iri)
    about = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in database.quads_for_pattern(node, None, None)},
                   key=str)
    naming = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in database.quads_for_pattern(None, None, node)},
                    key=str)
    if not about and not naming:
        return PlainTextResponse(f"{iri}: nothing is known of this IRI here\n", status_code=404)
    wanted = [part.split(";")[0].strip() for part in accept.split(",") if part.strip()]
    media = next((m for m in wanted if m in ("text/html", *GRAPH_TYPES)), "text/html")
    if media != "text/html":
        return Response(ox.serialize(about + naming, format=GRAPH_TYPES[media], prefixes=vocab.PREFIXES),
                        media_type=media)
    return Response(_page(database, node, about, naming), media_type="text/html")


def _label(database: ox.Store, node) -> str:
    if not isinstance(node, ox.NamedNode):
        return node.value
    for predicate in LABELS:
        for quad in database.quads_for_pattern(node, predicate, None):
            return quad.object.value
    if node.value.startswith(str(vocab.ID)):  # an agreement or a source line: where it is, as its name
        return node.value[len(str(vocab.ID)):]
    return node.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _link(database: ox.Store, node) -> str:
    """A term as HTML: a local link for our IRIs (with the entity's label), a link for others."""
    if isinstance(node, ox.Literal):
        return f"<span class=literal>{escape(node.value)}</span>"
    if node.value.startswith(str(vocab.ID)):
        local = "/id/" + node.value[len(str(vocab.ID)):]
        return f'<a href="{escape(local)}">{escape(_label(database, node))}</a>'
    return f'<a href="{escape(node.value)}">{escape(_short(node.value))}</a>'


def _short(iri: str) -> str:
    for prefix, namespace in vocab.PREFIXES.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def _page(database: ox.Store, node, about: list, naming: list) -> str:
    title = escape(_label(database, node))
    rows = "".join(f"<tr><th>{escape(_short(t.predicate.value))}</th><td>{_link(database, t.object)}</td></tr>"
                   for t in about)
    back = "".join(f"<tr><td>{_link(database, t.subject)}</td><th>{escape(_short(t.predicate.value))}</th></tr>"
                   for t in naming[:500])
    more = f"<p>{len(naming) - 500} more not shown.</p>" if len(naming) > 500 else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 960px; color: #1f2933; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #e4e7eb; padding: .25em .5em; text-align: left;
vertical-align: top; }} th {{ background: #f5f7fa; font-weight: normal; }} code {{ color: #52606d; }}</style>
</head><body><h1>{title}</h1><p><code>{escape(node.value)}</code> (also as
<a href="?format=ttl">Turtle</a>, <a href="?format=jsonld">JSON-LD</a>)</p>
<h2>What is said of it</h2><table id=about>{rows}</table>
<h2>What names it</h2><table id=naming>{back}</table>{more}
</body></html>
"""
