"""Use: what people do with a built graph. SPARQL queries (query.py) and the catalogue of named
questions (catalogue.py), network analyses (analyse.py), the HTML report (report_html.py), why a
name resolved as it did (explain.py), near-misses to review (review.py)."""
