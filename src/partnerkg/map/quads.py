"""Map: normalised rows and resolved entities -> RDF quads.

One named graph per source document (its agreements, the lines they came from, the names it
used), a resolution graph (entities, their preferred labels, countries and units), and a
reference graph (the ontology, the agreement-kind and zone schemes, countries and M49 regions).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from babel import Locale
from rdflib import Graph, Literal, URIRef, namespace

from .. import vocab
from ..build_cache import NO_CACHE, BuildCache
from ..config import KindConcept, Source
from ..model import AgreementRow, UnitCount
from ..paths import ONTOLOGY
from ..rdfutil import CachedTerms, to_ox
from ..reference import countries, zones
from ..resolve import Resolution, ResolvedRow
from ..store.lines import add_sorted, sort_bytes, sorted_graph_file
from ..store.loading import load

# every term a namespace gives is made once: rdflib checks an IRI each time one is asked for
DCTERMS, OWL, PROV, RDF, SKOS, XSD = (CachedTerms(n) for n in (namespace.DCTERMS, namespace.OWL, namespace.PROV,
                                                              namespace.RDF, namespace.SKOS, namespace.XSD))
ORG, PKG, SCHEMA = (CachedTerms(n) for n in (vocab.ORG, vocab.PKG, vocab.SCHEMA))
ROWS_AHEAD = 50_000  # rows workers may map ahead of the store's loads (about 150 MB of N-Quads)


def map_store(
    resolution: Resolution,
    sources: tuple[Source, ...],
    unit_counts: dict[str, list[UnitCount]],
    new_kinds: tuple[KindConcept, ...] = (),
    personal_data: bool = False,
    store: ox.Store | None = None,
    cache: BuildCache = NO_CACHE,
    sorted_into: Path | None = None,
) -> ox.Store:
    """The quads of the resolved rows, into ``store`` (a new in-memory one by default): one named
    graph per source, the resolution's entities, the reference data (countries in their zones, the
    kind scheme).

    Referents and e-mail addresses (personal data) are published only with ``personal_data``.
    Each source's graph is made as its N-Quads lines, sorted and each once, and loaded by
    Oxigraph's parser; a graph whose rows, entities and counts are those of the last build is
    taken from ``cache``. With ``sorted_into``, those lines are also written there, a file per
    graph (``store.lines.sorted_graph_file``), as are the resolution and reference graphs': the
    dump copies them, and reasoning reads them, instead of reading each graph back from the store
    (on a store on disk Oxigraph reads each term's string from disk: at 10^5 agreements, 21 s
    against 6 s in memory for the dump).
    """
    store = ox.Store() if store is None else store
    reference = Graph()
    _reference(reference, resolution.country_zone, new_kinds)
    graph = to_ox(vocab.REFERENCE_GRAPH)
    add_sorted(store, (ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in reference),
                sorted_graph_file(sorted_into, graph) if sorted_into else None)
    by_source = defaultdict(list)
    for resolved in resolution.rows:
        by_source[resolved.row.source].append(resolved)
    units: dict[str, dict[str, str]] = defaultdict(dict)  # source -> its home units by name
    for (source_id, name), unit in resolution.home_unit_named.items():
        units[source_id][name] = unit
    entities = Quads(None)
    _resolution(entities.graph(vocab.RESOLUTION_GRAPH), resolution)
    add_sorted(store, entities.pending,
                sorted_graph_file(sorted_into, vocab.RESOLUTION_GRAPH) if sorted_into else None)
    made = [(source, by_source[source.id], resolution.home[source.id], units[source.id],
             unit_counts.get(source.id, []), personal_data) for source in sources]
    # each source's lines made in worker processes, loaded here as they come; the workers go on
    # while the store loads, up to ``ROWS_AHEAD`` rows ahead
    each = cache.get_or_make_each("map", [(m, m) for m in made], _source_nquads,
                                  sizes=[len(by_source[source.id]) for source in sources], ahead=ROWS_AHEAD)
    with Quads(store) as quads:
        for source, nquads in zip(sources, each, strict=True):
            quads.load(nquads, to_ox(vocab.source_graph(source.id)))
            if sorted_into is not None:
                sorted_graph_file(sorted_into, vocab.source_graph(source.id)).write_bytes(nquads)
    return store


def _source_nquads(source: Source, *made) -> bytes:
    """A source's named graph as N-Quads lines in byte order, each once: as the dump writes a
    graph (what the build cache keeps of it)."""
    quads = Quads(None)
    _source(quads.graph(vocab.source_graph(source.id)), source, *made)
    return sort_bytes(ox.serialize(quads.pending, format=ox.RdfFormat.N_QUADS))


class Quads:
    """Quads on their way into the store, in batches of ``BATCH`` added without a transaction
    (``bulk_extend``): no rdflib graph is built (at scale it would hold gigabytes), and a store on
    disk takes them as whole files."""

    BATCH = 500_000
    BATCH_BYTES = 64 << 20  # of N-Quads, loaded at once

    def __init__(self, store: ox.Store | None):  # None: the quads are kept in ``pending``
        self.store, self.pending = store, []
        self.pending_nquads: list[bytes] = []
        self.pending_graphs: list[ox.NamedNode] = []  # the graphs of those lines
        self.pending_bytes = 0

    def graph(self, name: URIRef) -> NamedGraph:
        return NamedGraph(self, to_ox(name))

    def flush(self) -> None:
        if self.pending and self.store is not None:
            self.store.bulk_extend(self.pending)
            self.pending = []
        if self.pending_nquads:
            # bulk-loaded (no transaction; a store on disk takes each batch as whole files; a
            # ``LoadingStore`` while the next batch is made), and lenient: every line was written
            # by Oxigraph's own serialiser
            load(self.store, b"".join(self.pending_nquads), graphs=tuple(self.pending_graphs))
            self.pending_nquads, self.pending_bytes, self.pending_graphs = [], 0, []

    def load(self, nquads: bytes, graph: ox.NamedNode) -> None:
        """A graph's quads written as N-Quads, parsed by Oxigraph (in batches of ``BATCH_BYTES``)."""
        if not nquads:
            return
        self.pending_nquads.append(nquads)
        self.pending_graphs.append(graph)
        self.pending_bytes += len(nquads)
        if self.pending_bytes >= self.BATCH_BYTES:
            self.flush()

    def __enter__(self) -> Quads:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.flush()


class NamedGraph:
    """One named graph being written: ``add`` takes a triple of rdflib or Oxigraph terms. The rows'
    literals are made as Oxigraph terms: an rdflib literal made and converted costs about 2 us (an
    integer 7 us), an Oxigraph one 0.1 us, and a million rows make about 8 million literals."""

    def __init__(self, quads: Quads, name: ox.NamedNode):
        self.quads, self.name = quads, name

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        pending = self.quads.pending
        pending.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), self.name))
        if len(pending) >= Quads.BATCH:
            self.quads.flush()  # (kept whole when there is no store)


def _reference(graph: Graph, country_zone: dict[str, str], new_kinds: tuple[KindConcept, ...] = ()) -> None:
    for name in ("partnerkg.ttl", "agreement-kinds.ttl", "zones.ttl"):
        graph.parse(ONTOLOGY / name)
    for concept in new_kinds:  # kinds a manifest adds to the scheme
        node = vocab.kind(concept.id)
        graph.add((node, RDF.type, PKG.AgreementKind))
        graph.add((node, SKOS.inScheme, vocab.kind("scheme")))
        graph.add((node, SKOS.prefLabel, Literal(concept.label)))
        if concept.broader:
            graph.add((node, SKOS.broader, vocab.kind(concept.broader)))
    regions = set()
    for code, zone_id in country_zone.items():
        node = vocab.country(code)
        graph.add((node, RDF.type, PKG.Country))
        graph.add((node, SKOS.notation, Literal(code)))
        geonames_id = countries.geonames_id(code)
        if geonames_id:
            graph.add((node, SKOS.exactMatch, URIRef(f"https://sws.geonames.org/{geonames_id}/")))
        for language, label in countries.labels(code).items():
            graph.add((node, SKOS.prefLabel, Literal(label, lang=language)))
        graph.add((node, PKG.zone, vocab.zone(zone_id)))
        m49_chain = zones.m49_regions(code)
        if m49_chain:
            graph.add((node, SKOS.broadMatch, vocab.m49(m49_chain[0])))
        regions.update(m49_chain)
    regions.update(str(o).rsplit("/", 1)[1] for o in graph.objects(None, SKOS.closeMatch)
                   if str(o).startswith(str(vocab.ID["m49/"])))
    parents, _ = zones.m49()
    for region in sorted(regions):
        node = vocab.m49(region)
        graph.add((node, RDF.type, SKOS.Concept))
        graph.add((node, SKOS.notation, Literal(region)))
        for language in ("en", "fr"):
            label = Locale.parse(language).territories.get(region)
            if label:
                graph.add((node, SKOS.prefLabel, Literal(label, lang=language)))
        if parents.get(region):
            graph.add((node, SKOS.broader, vocab.m49(parents[region])))


def _resolution(graph: NamedGraph, resolution: Resolution) -> None:
    for entity in resolution.entities.values():
        node = vocab.entity(entity.id)
        graph.add((node, RDF.type, PKG.Institution if entity.kind == "institution" else PKG.Department))
        graph.add((node, SKOS.prefLabel, Literal(entity.pref_label, lang=entity.pref_language or None)))
        if entity.country and entity.kind == "institution":
            graph.add((node, PKG.country, vocab.country(entity.country)))
        if entity.parent:
            graph.add((node, ORG.unitOf, vocab.entity(entity.parent)))
        if entity.ror:
            graph.add((node, SKOS.exactMatch, URIRef(entity.ror)))
        for named in entity.countries_named:
            graph.add((node, PKG.countryInName, vocab.country(named)))
        for successor in entity.successors:  # a historical institution is linked, not merged
            graph.add((node, DCTERMS.isReplacedBy, URIRef(successor)))
        for old in entity.same_as:  # an id merged into this entity stays resolvable
            graph.add((vocab.entity(old), OWL.sameAs, node))
        for code in entity.erasmus_codes:
            graph.add((node, PKG.erasmusCode, Literal(code)))


def _source(graph: NamedGraph, source: Source, rows: list[ResolvedRow], home_id: str, home_units: dict[str, str],
            unit_counts: list[UnitCount], personal_data: bool = False) -> None:
    """A source's named graph: the document, its agreements and where each was read. ``home_units``:
    the source's home units by name."""
    document = vocab.source_document(source.id)
    graph.add((document, RDF.type, PKG.SourceDocument))
    graph.add((document, DCTERMS.identifier, Literal(source.id)))
    graph.add((document, DCTERMS.source, Literal(source.file)))
    if source.title:
        graph.add((document, DCTERMS.title, Literal(source.title, lang=source.language or None)))
    if source.language:
        graph.add((document, DCTERMS.language, Literal(source.language)))
    if source.date:
        graph.add((document, DCTERMS.date, Literal(source.date)))
    home = vocab.entity(home_id)
    graph.add((document, PROV.wasAttributedTo, home))
    for resolved in rows:
        _agreement(graph, resolved, home, document, personal_data, source.names_language)
    for count in unit_counts:
        unit = home_units.get(count.unit)
        if unit:
            graph.add((vocab.entity(unit), PKG.statedAgreementCount,
                       Literal(count.stated, datatype=XSD.integer)))


def _agreement(graph: NamedGraph, resolved: ResolvedRow, home: URIRef, document: URIRef,
               personal_data: bool = False, names_language: str = "") -> None:
    """An agreement and the names its row gives (tagged with ``names_language`` when the manifest
    says which language the document writes names in)."""
    row, institution, unit = resolved.row, resolved.partner, resolved.partner_unit
    node = vocab.agreement(row.source, row.key)
    add = graph.add

    add((node, RDF.type, PKG.Agreement))
    add((node, PKG.homeInstitution, home))
    add((node, PKG.partner, vocab.entity(institution)))
    if unit and row.partner_unit:  # the unit was written apart from the name: each is its entity's name
        add((vocab.entity(institution), SKOS.altLabel, _name(row.partner, names_language)))
        add((vocab.entity(unit), SKOS.altLabel, _name(row.partner_unit, names_language)))
    else:
        add((vocab.entity(unit or institution), SKOS.altLabel, _name(row.partner, names_language)))
    if unit:
        add((node, PKG.partnerUnit, vocab.entity(unit)))
    home_unit = resolved.home_unit
    if home_unit:
        add((node, PKG.homeUnit, vocab.entity(home_unit)))
        add((vocab.entity(home_unit), SKOS.altLabel, _name(row.home_unit, names_language)))
    _facts(add, node, row, personal_data)
    if _is_web_address(row.url):
        add((vocab.entity(institution), SCHEMA.url, URIRef(row.url)))
    add((node, PROV.wasDerivedFrom, _location(graph, row, document, personal_data)))


def _name(text: str, language: str) -> ox.Literal:
    """A name as the document writes it, tagged with the document's language of names if known."""
    return ox.Literal(text, language=language) if language else ox.Literal(text)


def _integer(number: int) -> ox.Literal:
    return ox.Literal(str(number), datatype=_XSD_INTEGER)


_XSD_INTEGER = ox.NamedNode(str(namespace.XSD.integer))


def _facts(add, node: URIRef, row: AgreementRow, personal_data: bool) -> None:
    """What a row says of its agreement: kinds, country, places, fee waiver, texts, months, dates."""
    for kind_id in row.kinds:
        add((node, PKG.kind, vocab.kind(kind_id)))
    for text in row.kinds_verbatim:
        add((node, PKG.kindLabel, ox.Literal(text)))
    if row.country:
        add((node, PKG.country, vocab.country(row.country)))
    if row.places_min is not None:
        add((node, PKG.placesMin, _integer(row.places_min)))
        add((node, PKG.placesMax, _integer(row.places_max)))
    if row.fee_waiver is not None:
        add((node, PKG.feeWaiver, Literal(row.fee_waiver)))
    notes = row.notes if personal_data else withhold(row.notes, ())
    texts = [(PKG.city, row.city), (PKG.address, row.address), (PKG.programme, row.programme),
             (PKG.subjectArea, row.subject), (PKG.note, notes), (PKG.placesNote, row.places_note),
             ]
    if personal_data:
        texts += [(PKG.referent, row.referent), (SCHEMA.email, row.email)]
    for prop, value in texts:
        if value:
            add((node, prop, ox.Literal(value)))
    if row.months is not None:
        add((node, PKG.mobilityMonths, _integer(row.months)))
    if row.date:  # typed like valid-until: xsd:date or xsd:gYear when it is one, else as written
        add((node, DCTERMS.date, _date(row.date)))
    if row.valid_until:
        add((node, PKG.validUntil, _date(row.valid_until)))


def _location(graph: NamedGraph, row: AgreementRow, document: URIRef, personal_data: bool = False) -> URIRef:
    """The place in the document an agreement was read from: a line, a JSON record, a sheet's row,
    a PDF page's row."""
    node = vocab.source_location(row.source, row.line, row.locator)
    kind, _, rest = row.locator.partition(":")
    graph.add((node, RDF.type, PKG.SourceLocation))
    if not row.locator or row.locator.startswith("/"):
        graph.add((node, RDF.type, PKG.SourceLine))
    if row.locator.startswith("/"):
        graph.add((node, PKG.jsonPointer, ox.Literal(row.locator)))
    elif kind in ("sheet", "page"):
        place, _, number = rest.rpartition("/")
        if kind == "sheet":
            graph.add((node, PKG.sheetName, ox.Literal(place)))
        else:
            graph.add((node, PKG.pageNumber, _integer(int(place))))
        graph.add((node, PKG.rowNumber, _integer(int(number))))
    if not row.locator or row.locator.startswith("/") or kind == "sheet":
        graph.add((node, PKG.lineNumber, _integer(max(row.line, 1))))
    text = row.text if personal_data else withhold(row.text, (row.referent, row.email))
    graph.add((node, PKG.verbatim, ox.Literal(text)))
    graph.add((node, DCTERMS.isPartOf, document))
    return node


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WITHHELD = "[withheld]"


def withhold(text: str, values: tuple[str, ...]) -> str:
    """A text with personal data taken out: the values of the personal roles, and every e-mail address.

    >>> withhold('Informatik | Prof. Dr.  Klimova | 2 Plätze', ("Prof. Dr. Klimova",))
    'Informatik | [withheld] | 2 Plätze'
    >>> withhold('{"contact": "DOIA\\r\\nDr. A. Person", "note": "to a.person@example.org"}', ("DOIA Dr. A. Person",))
    '{"contact": "[withheld]", "note": "to [withheld]"}'
    """
    for value in sorted((v for v in values if v), key=len, reverse=True):
        # the value is stored with its spaces folded: in the text, any run of spaces or escaped breaks
        pattern = r"(?:\s|\\[rnt])+".join(re.escape(token) for token in value.split())
        text = re.sub(pattern, WITHHELD, text)
    return _EMAIL.sub(WITHHELD, text)


_DATE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


def _date(text: str) -> Literal:
    """A date as xsd:date (or xsd:gYear) when it is one, else as written.

    >>> _date("30.09.2021"), _date("2027"), _date("Till consent")
    (rdflib.term.Literal('2021-09-30', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#date')), \
rdflib.term.Literal('2027', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear')), \
rdflib.term.Literal('Till consent'))
    """
    if match := _DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    return Literal(text)


def _is_web_address(text: str) -> bool:
    return bool(re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text))


__all__ = ["map_store"]
