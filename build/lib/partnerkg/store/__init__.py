"""Store: the graph in an embedded Oxigraph store on disk (oxigraph.py)."""
