"""Query: SPARQL over the built store, results as a table, CSV or JSON.

Queries come from users, so they are run safely: ``SERVICE`` (which would make this machine send
HTTP requests wherever a query says) is refused unless allowed; ``FROM`` and ``FROM NAMED`` are
honoured (without them, the default graph is the union of every graph); ``stream_query`` runs the
query in a child process that streams its rows out as they come, stopped after a timeout or by
Ctrl-C.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from .. import vocab
from ..errors import PartnerkgError
from ..paths import OUTPUT
from ..store.oxigraph import open_store

DEFAULT_TIMEOUT = 60.0  # seconds
# strings, IRIs and comments: a keyword inside them is no keyword
_NOISE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                    r"|<[^<>\s]*>|#[^\n]*")


def _keyword(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w?$:]){word}\b", re.IGNORECASE)


_SERVICE, _FROM = _keyword("SERVICE"), _keyword("FROM")


@dataclass(frozen=True)
class Table:
    """A query's answer: its columns, its rows as text, and the same rows typed (numbers as numbers,
    booleans as booleans, unbound as None)."""

    columns: list[str]
    rows: list[list[str]]
    values: list[list] = field(default_factory=list)

    def to_pandas(self):
        """The answer as a pandas DataFrame, typed (with the ``pandas`` extra: pip install "partnerkg[pandas]").

        >>> Table(["home", "n"], [["Tohoku", "3"]], [["Tohoku", 3]]).to_pandas().n.sum()
        np.int64(3)
        """
        try:
            import pandas
        except ImportError:
            raise PartnerkgError('to_pandas needs pandas: pip install "partnerkg[pandas]"') from None
        return pandas.DataFrame(self.values or self.rows, columns=self.columns)

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buffer.getvalue()


def check_query(sparql: str, allow_service: bool = False) -> bool:
    """Refuse what a query may not do; return whether it names its own dataset (FROM).

    >>> check_query('SELECT * WHERE { ?s ?p "SERVICE" }')
    False
    >>> check_query('SELECT * FROM <urn:g> WHERE { ?s ?p ?o }')
    True
    >>> check_query('SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    partnerkg.errors.PartnerkgError: the query calls another endpoint (SERVICE); refused unless ...
    """
    code = _NOISE.sub(" ", sparql)
    if _SERVICE.search(code) and not allow_service:
        raise PartnerkgError("the query calls another endpoint (SERVICE); refused unless allowed (--allow-service)")
    return bool(_FROM.search(code))


def query(sparql: str, store: str | Path | ox.Store | None = None, allow_service: bool = False) -> Table:
    """Run a SELECT query over the built store (its folder, or an open Oxigraph store); its rows as a Table.

    Without FROM, the default graph is the union of every graph. Prefixes of the project (pkg:,
    skos:, org:, prov:, ...) need no declaring.
    """
    columns, rows = _solutions(sparql, store, allow_service)
    terms = list(rows)
    return Table(columns, [[_text(t) for t in row] for row in terms], [[_typed(t) for t in row] for row in terms])


def standalone(sparql: str) -> str:
    """The query with the project's prefixes declared, for an endpoint that does not know them
    (another triple store the graph was pushed to).

    >>> print(standalone("SELECT ?a WHERE { ?a a pkg:Agreement }").splitlines()[-1])
    SELECT ?a WHERE { ?a a pkg:Agreement }
    >>> "PREFIX pkg: <https://w3id.org/partnerkg/ontology#>" in standalone("ASK {}")
    True
    """
    declared = {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", sparql)}
    lines = [f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in vocab.PREFIXES.items()
             if prefix not in declared]
    return "\n".join([*lines, sparql])


def _solutions(sparql: str, store: str | Path | ox.Store | None, allow_service: bool
               ) -> tuple[list[str], Iterator[list]]:
    """The query's variables and its rows of terms (None where unbound), read lazily."""
    own_dataset = check_query(sparql, allow_service)
    database = store if isinstance(store, ox.Store) else open_store(Path(store) if store else OUTPUT / "store")
    try:
        results = database.query(sparql, prefixes=vocab.PREFIXES, use_default_graph_as_union=not own_dataset)
    except SyntaxError as exc:
        raise PartnerkgError(f"SPARQL syntax error: {exc}") from None
    if not isinstance(results, ox.QuerySolutions):
        raise PartnerkgError("only SELECT queries are supported here")
    columns = [v.value for v in results.variables]
    return columns, ([solution[c] for c in columns] for solution in results)


def _text(term) -> str:
    if term is None:
        return ""
    return term.value


_NUMBERS = {"integer": int, "int": int, "long": int, "short": int, "nonNegativeInteger": int,
            "positiveInteger": int, "decimal": float, "double": float, "float": float}


def _typed(term) -> str | int | float | bool | None:
    """A term as JSON: numbers as numbers, booleans as booleans, unbound as null, the rest as text.

    >>> _typed(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    3
    >>> _typed(ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))), _typed(None)
    (True, None)
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if kind in _NUMBERS:
                return _NUMBERS[kind](term.value)
        except ValueError:
            return term.value
        if kind == "boolean":
            return term.value in ("true", "1")
    return term.value


def stream_query(sparql: str, out: TextIO, fmt: str = "csv", store: str | Path | None = None,
                 timeout: float = DEFAULT_TIMEOUT, allow_service: bool = False) -> int:
    """Run a SELECT query in a child process and write its rows to ``out`` as they come, as CSV
    or JSON; returns the number of rows. A query still running after ``timeout`` seconds, or
    interrupted by Ctrl-C, is stopped (the child process is killed).
    """
    check_query(sparql, allow_service)
    context = multiprocessing.get_context("fork")  # the child shares the loaded modules: no start-up cost
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_serve_rows, args=(sender, sparql, store, fmt, allow_service), daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiver.poll(remaining):
                raise PartnerkgError(f"the query was stopped after {timeout:g} s (--timeout SECONDS to allow longer)")
            kind, payload = receiver.recv()
            if kind == "text":
                out.write(payload)
            elif kind == "error":
                raise PartnerkgError(payload)
            else:
                out.flush()
                return payload
    except EOFError:
        raise PartnerkgError("the query process ended without an answer (out of memory?)") from None
    except KeyboardInterrupt:
        raise PartnerkgError("the query was interrupted (Ctrl-C)") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _serve_rows(sender, sparql: str, store, fmt: str, allow_service: bool) -> None:
    """In the child: run the query and send its rows as text, a few hundred at a time."""
    try:
        columns, rows = _solutions(sparql, store, allow_service)
        count = [0]

        def counted():
            for row in rows:
                count[0] += 1
                yield row

        for chunk in _formatted(columns, counted(), fmt):
            sender.send(("text", chunk))
        sender.send(("done", count[0]))
    except (PartnerkgError, OSError) as exc:
        sender.send(("error", str(exc)))
    finally:
        sender.close()


def _formatted(columns: list[str], rows: Iterator[list[str]], fmt: str, batch: int = 500) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if fmt == "csv":
        writer.writerow(columns)
    else:
        buffer.write("[")
    for n, row in enumerate(rows):
        if fmt == "csv":
            writer.writerow([_text(term) for term in row])
        else:
            record = json.dumps({c: _typed(t) for c, t in zip(columns, row, strict=True)}, ensure_ascii=False)
            buffer.write(("," if n else "") + "\n " + record)
        if n % batch == batch - 1:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if fmt != "csv":
        buffer.write("\n]\n")
    yield buffer.getvalue()
