"""Namespaces and the IRIs of the data: one place, so that every stage mints them alike."""

from functools import lru_cache

from rdflib import Namespace, URIRef

PKG = Namespace("https://w3id.org/partnerkg/ontology#")
ID = Namespace("https://w3id.org/partnerkg/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES = {
    "pkg": str(PKG), "id": str(ID), "org": str(ORG), "schema": str(SCHEMA), "dcat": str(DCAT),
    "void": str(VOID), "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#", "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}

REFERENCE_GRAPH = ID["graph/reference"]  # ontology, schemes, countries, zones, M49 regions
RESOLUTION_GRAPH = ID["graph/resolution"]  # entities: preferred labels, countries, units, merges
INFERRED_GRAPH = ID["graph/inferred"]  # what OWL 2 RL reasoning added


def source_graph(source_id: str) -> URIRef:
    return ID[f"graph/{source_id}"]


@lru_cache(maxsize=1 << 18)  # rows name the same institutions again and again: an rdflib IRI is checked when made
def entity(entity_id: str) -> URIRef:
    return ID[entity_id]


def agreement(source_id: str, key: str) -> URIRef:
    return ID[f"agreement/{source_id}/{key}"]


def source_document(source_id: str) -> URIRef:
    return ID[f"source/{source_id}"]


def source_line(source_id: str, line: int) -> URIRef:
    return ID[f"source/{source_id}/line/{line}"]


def source_location(source_id: str, line: int, locator: str = "") -> URIRef:
    """A line of a text document, or a JSON record, a sheet's row, a PDF page's row."""
    if not locator:
        return source_line(source_id, line)
    from .model import location_key

    return ID[f"source/{source_id}/{location_key(line, locator)}"]


def country(code: str) -> URIRef:
    return ID[f"country/{code}"]


def zone(zone_id: str) -> URIRef:
    return ID[f"zone/{zone_id}"]


def kind(kind_id: str) -> URIRef:
    return ID[f"kind/{kind_id}"]


def m49(code: str) -> URIRef:
    return ID[f"m49/{code}"]


TALLY_GRAPH = ID["graph/tallies"]  # agreements counted by home, country, kind, partner... (map/tallies.py)


def tally_set(name: str) -> URIRef:
    return ID[f"tally/{name}"]
