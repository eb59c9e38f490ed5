"""partnerkg: a knowledge-graph builder for university partnership agreements.

The library, as the command line uses it:

>>> import partnerkg
>>> sorted(name for name in partnerkg.__all__)
['analyze', 'build', 'catalogue', 'explain', 'load_manifest', 'publish', 'query']

``build(manifest, output)`` runs the flow (``build(manifest, write=False)`` in memory, writing
nothing); ``query(sparql, store)`` answers SPARQL over a built store (``.to_pandas()`` with the
``pandas`` extra); ``catalogue()`` lists the named questions of ``queries/``; ``explain(name,
output)`` says why a name resolved as it did; ``analyze(output)`` writes the network analyses;
``load_manifest(path)`` reads and checks a manifest; ``publish(output, release)`` writes a versioned
release folder (dumps, gzipped copies, VoID, ontology docs, SHA-256 sums).

The flow, one package per stage (``pipeline.py`` runs them in order; ``cli.py`` is a thin command
over each library function):

    config     the manifest -> Manifest, checked before anything runs   config.py
    read       documents -> Records (verbatim cells + where)            read/
    normalise  Records -> AgreementRows (countries, zones, kinds)       normalise/
    resolve    names -> Institutions / Departments with stable IRIs     resolve/, lock.py
    map        resolved rows -> RDF, one named graph per source         map/
    reason     OWL 2 RL closure (owlrl)                                 reason/
    validate   SHACL (pyshacl); a source with violations is withheld    validate/
    store      embedded Oxigraph store                                  store/
    publish    N-Quads, TriG, Turtle, JSON-LD (asserted and inferred    publish/
               apart), VoID/DCAT, the report; releases
    use        SPARQL, the query catalogue, analyses, the report page   use/

Every stage may use ``reference/`` (countries, zones, kinds, Erasmus codes, geography, word lists).
"""

from importlib import import_module

__version__ = "0.1.0"

# Imported when first used, so that `import partnerkg` (and every command) stays quick.
_API = {
    "build": "partnerkg.pipeline",
    "load_manifest": "partnerkg.config",
    "query": "partnerkg.use.query",
    "catalogue": "partnerkg.use.catalogue",
    "explain": "partnerkg.use.explain",
    "analyze": "partnerkg.use.analyse",
    "publish": "partnerkg.publish.release",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'partnerkg' has no attribute {name!r}")
    value = getattr(import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
