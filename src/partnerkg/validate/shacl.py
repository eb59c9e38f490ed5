"""Validate: SHACL shapes (shapes/*.ttl) over the graph, with a readable report."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from ..errors import PartnerkgError
from ..paths import SHAPES
from .findings import Finding, ValidationReport, path_text


def load_shapes(extra: tuple[Path, ...] = ()) -> Graph:
    """The bundled shapes (shapes/*.ttl) and a manifest's own (``[project] shapes``)."""
    shapes = Graph()
    for path in [*sorted(SHAPES.glob("*.ttl")), *extra]:
        try:
            shapes.parse(path, format="turtle")
        except FileNotFoundError:
            raise PartnerkgError(f"{path}: shapes file not found") from None
        except Exception as exc:  # rdflib raises several kinds for bad Turtle
            raise PartnerkgError(f"{path}: not valid Turtle: {exc}") from None
    return shapes


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate an rdflib graph (ontology, data and inferred triples together) with pyshacl: the plain
    path, and the one for shapes ``sparql.compile_shapes`` does not compile."""
    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none", abort_on_first=False, allow_warnings=True,
    )
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = results.value(result, SH.resultPath)
        findings.append(Finding(
            severity=severity,
            focus=str(results.value(result, SH.focusNode)),
            path=path_text(path) if path is not None else "",
            message=str(results.value(result, SH.resultMessage) or ""),
        ))
    findings.sort(key=lambda f: (f.severity != "Violation", f.focus, f.path, f.message))
    return ValidationReport(conforms=bool(conforms), findings=tuple(findings))
