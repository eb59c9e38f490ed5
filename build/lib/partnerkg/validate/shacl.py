"""Validate: SHACL shapes (shapes/*.ttl) over the graph, with a readable report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from ..errors import PartnerkgError
from ..paths import SHAPES


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"[{self.severity}] <{self.focus}>{where}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    findings: tuple[Finding, ...]

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    def text(self) -> str:
        head = (f"SHACL: {'conforms' if not self.violations else 'does NOT conform'}: "
                f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)")
        return "\n".join([head, *(str(f) for f in self.findings)])


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
    """Validate an in-memory graph (ontology, data and inferred triples together)."""
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
            path=data.namespace_manager.normalizeUri(path) if path is not None else "",
            message=str(results.value(result, SH.resultMessage) or ""),
        ))
    findings.sort(key=lambda f: (f.severity != "Violation", f.focus, f.path, f.message))
    return ValidationReport(conforms=bool(conforms), findings=tuple(findings))
