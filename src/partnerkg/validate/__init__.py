"""Validate: the SHACL shapes over the graph, with a readable report.

Shapes are compiled to SPARQL and run on the store (sparql.py); pyshacl (shacl.py) is the plain
path, and the one for shapes that use more of SHACL than the compiler knows. A rebuild checks
again only what changed since the last build's validation (incremental.py)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import PartnerkgError
from ..rdfutil import load_nquads, union
from .findings import Finding, ValidationReport
from .incremental import Validated, recheck, validated
from .shacl import load_shapes, validate_graph
from .sparql import compile_shapes, validate_store


def validate(store: ox.Store, shapes: Graph, plain: bool = False) -> ValidationReport:
    """Validate every graph of ``store`` together; ``plain``: with pyshacl, whatever the shapes."""
    checks = None if plain else compile_shapes(shapes, store)
    if checks is None:
        return validate_graph(union(store), shapes)
    return validate_store(store, checks)


def validate_since(store: ox.Store, shapes: Graph, since: Validated | None = None,
                   lines: Path | None = None) -> tuple[ValidationReport, Validated | None, int | None]:
    """Validate ``store`` as ``validate`` does, starting from the last build's validation ``since``
    where it can (``lines``: the folder of the store's graphs' sorted lines; see incremental.py).

    Returns the report; what to keep of this validation for the next build (None when pyshacl
    validated: it is not rechecked in part); and how many focus nodes were checked again (None:
    everything was validated)."""
    checks = compile_shapes(shapes, store)
    if checks is None:
        return validate_graph(union(store), shapes), None, None
    again = recheck(store, checks, since, lines) if since is not None and lines is not None else None
    report = again.report if again else validate_store(store, checks)
    return report, validated(store, checks, report), again.focus if again else None


def validate_dump(output: Path, shapes: Graph | None = None) -> ValidationReport:
    """Validate a build's dump: what the sources state (``partnerkg.nq``) and what reasoning added
    (``partnerkg-inferred.nq``), together."""
    dumps = [output / name for name in ("partnerkg.nq", "partnerkg-inferred.nq")]
    for dump in dumps:
        if not dump.exists():
            raise PartnerkgError(f"{dump}: no dump here; run 'partnerkg build' first")
    return validate(load_nquads(dumps), shapes if shapes is not None else load_shapes())


__all__ = ["Finding", "Validated", "ValidationReport", "load_shapes", "validate", "validate_dump", "validate_graph",
           "validate_since"]
