"""Query: SPARQL over the built store, results as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import vocab
from .errors import PartnerkgError
from .paths import OUTPUT
from .store import open_store


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buffer.getvalue()

    def json(self) -> str:
        records = [dict(zip(self.columns, row, strict=True)) for row in self.rows]
        return json.dumps(records, ensure_ascii=False, indent=1)


def query(sparql: str, store: str | Path | None = None) -> Table:
    """Run a SELECT query over the union of every graph of the built store.

    Prefixes of the project (pkg:, skos:, org:, prov:, ...) need no declaring.
    """
    database = open_store(Path(store) if store else OUTPUT / "store")
    try:
        results = database.query(sparql, prefixes=vocab.PREFIXES,
                                 use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise PartnerkgError(f"SPARQL syntax error: {exc}") from None
    if not isinstance(results, ox.QuerySolutions):
        raise PartnerkgError("only SELECT queries are supported here")
    columns = [v.value for v in results.variables]
    rows = [[_text(solution[c]) for c in columns] for solution in results]
    return Table(columns, rows)


def _text(term) -> str:
    if term is None:
        return ""
    return term.value
