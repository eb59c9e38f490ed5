"""What validation found, whichever way it ran (pyshacl, or shapes compiled to SPARQL)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef

from .. import vocab


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


def path_text(path: URIRef) -> str:
    """A shape's path as the report writes it, with the project's prefixes ("pkg:country").

    >>> path_text(URIRef("https://w3id.org/partnerkg/ontology#country"))
    'pkg:country'
    """
    return _prefixes().namespace_manager.normalizeUri(path)


@cache
def _prefixes() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in vocab.PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph
