"""Map: normalised, resolved rows to RDF, one named graph per source (quads.py)."""
