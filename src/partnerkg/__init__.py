"""partnerkg: a knowledge-graph builder for university partnership agreements.

The flow, one module (or package) per stage:

    config     sources/manifest.toml -> Manifest
    read       documents -> Records (verbatim cells + file:line)         read/
    normalise  Records -> AgreementRows (ISO countries, zones, kinds)    normalise/
    resolve    names -> Institutions / Departments with stable IRIs      resolve.py, lock.py
    map        rows + entities -> RDF quads, one named graph per source  map.py
    reason     OWL 2 RL closure (owlrl)                                   reason.py
    validate   SHACL (pyshacl)                                            validate.py
    store      embedded Oxigraph store                                    store.py
    publish    N-Quads, TriG, Turtle, JSON-LD, VoID/DCAT                  publish.py
    use        SPARQL                                                     query.py

``build.build`` runs them in order; ``cli`` is a thin wrapper over the library.
"""

__version__ = "0.1.0"
