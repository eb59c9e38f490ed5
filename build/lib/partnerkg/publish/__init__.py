"""Publish: the linked-data dump and its VoID/DCAT description (dump.py), the build report (report.py)."""
