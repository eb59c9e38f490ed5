"""Reason: what OWL 2 RL adds about the data, kept in its own graph (closure.py)."""
