"""Validate: the SHACL shapes over the graph, with a readable report (shacl.py)."""
