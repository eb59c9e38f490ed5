"""Validate on the store: SHACL shapes compiled to SPARQL queries, one per constraint.

pyshacl needs the whole graph as an rdflib graph, gigabytes at scale. The shapes partnerkg ships use
a handful of SHACL Core constraints on simple paths; each becomes one SELECT over the store (every
graph as one; a path's minCount and maxCount one together), giving a finding per failing focus
node, value or language as pyshacl does, with the shape's message. Shapes using anything else (a
manifest's own) are left to pyshacl: ``compile_shapes`` returns None for them.
``tests/test_validate.py`` checks both give the same findings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .. import vocab
from .findings import Finding, ValidationReport, path_text

THREADS = min(4, os.cpu_count() or 1)  # checks run at once
# A check whose findings are about values reads them from the focus nodes, or, when fewer statements
# use its path than this share of the focus nodes, the focus nodes from the statements: on a path few
# nodes use (or none: a form's own property, in a build without that form) the check takes an
# instant rather than a look at every focus node (at 10^5 agreements, about 1 s per check).
SPARSE_BELOW = 0.5

# what a property shape may say and still be compiled (sh:name and the like do not validate)
_COMPONENTS = {SH.path, SH.message, SH.severity, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.pattern,
               SH.flags, SH.uniqueLang, SH.minInclusive, SH.lessThanOrEquals, SH["or"], SH.name, SH.description,
               SH.order, RDF.type}
_NODE_KEYS = {RDF.type, SH.targetClass, SH.property, RDFS.comment, RDFS.label}
_NOT_CHECKED = {SH.path, SH.message, SH.severity, SH.flags, SH.name, SH.description, SH.order, RDF.type}

# well-formedness a datatype adds to "the value is a literal of this datatype"
_WELL_FORMED = {
    XSD.integer: "isNumeric(?v)",
    XSD.nonNegativeInteger: "isNumeric(?v) && ?v >= 0",
    XSD.positiveInteger: "isNumeric(?v) && ?v > 0",
    XSD.boolean: 'STR(?v) IN ("true", "false", "1", "0")',
    XSD.date: r'REGEX(STR(?v), "^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$")',
}


@dataclass(frozen=True)
class Check:
    """One constraint of one property shape, as a query whose rows are findings."""

    query: str  # selects ?x (the focus node), and ?v or ?lang when the finding is about one value
    severity: str
    path: str
    message: str
    predicate: str = ""  # the path's IRI: what the check reads of a focus node, beside its types
    focus: str = ""  # the pattern of a focus node ?x
    sparse: str = ""  # the same query starting from the statements on the path (see SPARSE_BELOW)


def validate_store(store: ox.Store, checks: list[Check], threads: int = THREADS) -> ValidationReport:
    """Run compiled shapes over every graph of the store, ``threads`` checks at a time (Oxigraph
    evaluates a query without holding Python's lock, so the checks run on every core)."""
    counted: dict[str, int] = {}

    def count(pattern: str) -> int:
        if pattern not in counted:  # two threads may both count one pattern: the same number
            rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}", prefixes=vocab.PREFIXES,
                               use_default_graph_as_union=True)
            counted[pattern] = int(next(iter(rows))["n"].value)
        return counted[pattern]

    def findings_of(check: Check) -> list[Finding]:
        sparse = check.sparse and count(f"?x <{check.predicate}> ?v") < SPARSE_BELOW * count(check.focus)
        return [Finding(check.severity, row["x"].value, check.path, check.message)
                for row in store.query(check.sparse if sparse else check.query, prefixes=vocab.PREFIXES,
                                       use_default_graph_as_union=True)]

    with ThreadPoolExecutor(threads) as pool:
        return report_of([finding for found in pool.map(findings_of, checks) for finding in found])


def report_of(findings: Iterable[Finding]) -> ValidationReport:
    """The report of some findings, in the report's order."""
    ordered = tuple(sorted(findings, key=lambda f: (f.severity != "Violation", f.focus, f.path, f.message)))
    return ValidationReport(conforms=not any(f.severity == "Violation" for f in ordered), findings=ordered)


def compile_shapes(shapes: Graph, store: ox.Store | None = None) -> list[Check] | None:
    """The shapes' constraints as queries, or None when a shape uses what is not compiled here.

    A target class and an ``sh:class`` are an instance's type or any subclass of it: with
    ``store``, the subclasses the store states are looked up once and listed in each query (an
    instance's types matched against a list, rather than a path followed from every one of them,
    which cost a third of validation at scale); without, every query follows the path."""
    subclasses = _subclasses(store) if store is not None else None
    checks: list[Check] = []
    for node_shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if set(shapes.predicates(node_shape)) - _NODE_KEYS:
            return None
        targets = sorted(shapes.objects(node_shape, SH.targetClass), key=str)
        for property_shape in sorted(shapes.objects(node_shape, SH.property), key=str):
            for target in targets:
                compiled = _property_checks(shapes, property_shape, target, subclasses)
                if compiled is None:
                    return None
                checks += compiled
    return checks


def _property_checks(shapes: Graph, shape, target: URIRef, subclasses: dict | None) -> list[Check] | None:
    if set(shapes.predicates(shape)) - _COMPONENTS or not isinstance(shapes.value(shape, SH.path), URIRef):
        return None
    path = shapes.value(shape, SH.path)
    message = shapes.value(shape, SH.message)
    if message is None:  # pyshacl's own wording is its own: leave such shapes to it
        return None
    severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
    focus = f"?x {_instance_of(target, subclasses, '?focusClass')} ."
    step = f"?x <{path}> ?v ."  # a focus node's value
    components = sorted((c, a) for c, a in shapes.predicate_objects(shape) if c not in _NOT_CHECKED)
    counts = dict(c for c in components if c[0] in (SH.minCount, SH.maxCount))
    check = partial(Check, severity=severity, path=path_text(path), message=str(message), predicate=str(path),
                    focus=focus)
    checks = []
    if len(counts) == 2 and int(counts[SH.minCount]) <= int(counts[SH.maxCount]):
        # one query for both bounds: a focus node fails at most one of them, and one scan costs
        # half of two (0.8 s against 1.4 s at 10^5 agreements)
        checks.append(check(_counted(focus, step, int(counts[SH.minCount]), int(counts[SH.maxCount]))))
        components = [c for c in components if c[0] not in counts]
    for component, argument in components:
        # the values of the focus nodes, or the focus nodes of the path's statements
        query, sparse = (_query(shapes, component, argument, focus, value, step, shape, subclasses)
                         for value in (f"{focus} {step}", f"{step} FILTER EXISTS {{ {focus} }}"))
        if query is None:
            return None
        checks.append(check(query, sparse=sparse if sparse != query else ""))
    return checks


def _counted(focus: str, step: str, least: int, most: int | None = None) -> str:
    """The focus nodes with fewer than ``least`` or (given ``most``) more than ``most`` distinct values."""
    beyond = f" || COUNT(DISTINCT ?v) > {most}" if most is not None else ""
    return (f"SELECT ?x WHERE {{ {focus} OPTIONAL {{ {step} }} }} GROUP BY ?x "
            f"HAVING (COUNT(DISTINCT ?v) < {least}{beyond})")


def _query(shapes: Graph, component, argument, focus: str, value: str, step: str, shape,
           subclasses: dict | None) -> str | None:
    """The SELECT whose every row is one finding of ``component`` (``focus``: the pattern of a focus
    node ``?x``; ``value``: of a focus node ``?x`` and its value ``?v`` on the shape's path;
    ``step``: of ``?x``'s value alone)."""
    if component == SH.minCount:
        if int(argument) == 1:  # ?x is a focus node already: only its value is looked for
            return f"SELECT DISTINCT ?x WHERE {{ {focus} FILTER NOT EXISTS {{ {step} }} }}"
        return _counted(focus, step, int(argument))
    if component == SH.maxCount:
        return f"SELECT ?x WHERE {{ {value} }} GROUP BY ?x HAVING (COUNT(DISTINCT ?v) > {int(argument)})"
    if component == SH.uniqueLang:
        if not argument.toPython():
            return "SELECT ?x WHERE { FILTER(false) }"
        return (f"SELECT ?x ?lang WHERE {{ {value} BIND(LANG(?v) AS ?lang) FILTER(?lang != \"\") }} "
                "GROUP BY ?x ?lang HAVING (COUNT(DISTINCT ?v) > 1)")
    if component == SH.lessThanOrEquals:
        other = f"?x <{argument}> ?w ."
        return f"SELECT DISTINCT ?x ?v ?w WHERE {{ {value} {other} FILTER(!COALESCE(?v <= ?w, false)) }}"
    if component == SH["class"]:
        # MINUS, not FILTER NOT EXISTS: Oxigraph joins it once rather than asking it per value
        # (at 10^5 agreements, in memory: 0.3 s against 9.3 s for pkg:partner)
        instance = _instance_of(argument, subclasses, "?valueClass")
        return f"SELECT DISTINCT ?x ?v WHERE {{ {value} MINUS {{ ?v {instance} }} }}"
    condition = _value_condition(shapes, component, argument, shape, subclasses)
    if condition is None:
        return None
    return f"SELECT DISTINCT ?x ?v WHERE {{ {value} FILTER(!COALESCE({condition}, false)) }}"


def _value_condition(shapes: Graph, component, argument, shape, subclasses: dict | None) -> str | None:
    """What each value must satisfy, as a SPARQL expression over ``?v``."""
    if component == SH.datatype:
        return _datatype(argument)
    if component == SH.pattern:
        flags = shapes.value(shape, SH.flags)
        return f"!isBlank(?v) && REGEX(STR(?v), {_string(argument)}, {_string(flags or '')})"
    if component == SH.minInclusive and isinstance(argument, Literal):
        return f"?v >= {_literal(argument)}"
    if component == SH["or"]:
        alternatives = []
        for member in Collection(shapes, argument):
            pairs = list(shapes.predicate_objects(member))
            if not isinstance(member, BNode) or len(pairs) != 1 or pairs[0][0] != SH.datatype:
                return None
            alternatives.append(_datatype(pairs[0][1]))
        return " || ".join(f"({a})" for a in alternatives)
    return None


def _instance_of(cls: URIRef, subclasses: dict | None, variable: str) -> str:
    """The pattern (after its subject) of an instance of ``cls``: of it or a subclass."""
    if subclasses is None:
        return f"rdf:type/rdfs:subClassOf* <{cls}>"
    classes = " ".join(f"<{c}>" for c in sorted({str(cls)} | subclasses.get(str(cls), set())))
    return f"rdf:type {variable} VALUES {variable} {{ {classes} }}"


def _subclasses(store: ox.Store) -> dict[str, set[str]] | None:
    """class -> every class the store says is a subclass of it (rdfs:subClassOf, transitively);
    None when a class in such a statement is no IRI (it could not be listed in a query)."""
    direct: dict[str, set[str]] = {}
    for row in store.query("SELECT DISTINCT ?sub ?super WHERE { ?sub rdfs:subClassOf ?super }",
                           prefixes=vocab.PREFIXES, use_default_graph_as_union=True):
        if not (isinstance(row["sub"], ox.NamedNode) and isinstance(row["super"], ox.NamedNode)):
            return None
        direct.setdefault(row["super"].value, set()).add(row["sub"].value)
    closed: dict[str, set[str]] = {}
    for cls in direct:
        found, todo = set(), [cls]
        while todo:
            for sub in direct.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        closed[cls] = found
    return closed


def _datatype(datatype: URIRef) -> str:
    if datatype == RDF.langString:
        return 'isLiteral(?v) && LANG(?v) != ""'
    check = f"isLiteral(?v) && DATATYPE(?v) = <{datatype}>"
    if datatype == XSD.string:
        check += ' && LANG(?v) = ""'
    if datatype in _WELL_FORMED:
        check += f" && {_WELL_FORMED[datatype]}"
    return check


def _literal(term: Literal) -> str:
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string))).__str__()


def _string(text) -> str:
    return str(ox.Literal(str(text)))


__all__ = ["Check", "compile_shapes", "report_of", "validate_store"]
