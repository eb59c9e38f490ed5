"""Shared fixtures: one build of the bundled seeds per test session, and small manifests."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerkg.build import build
from partnerkg.query import query


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The bundled manifest built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("seed-output")
    return build(None, output)


@pytest.fixture(scope="session")
def seed_query(seed_build):
    def run(sparql: str) -> list[list[str]]:
        return query(sparql, seed_build.output / "store").rows
    return run


def write_manifest(folder: Path, body: str) -> Path:
    """A manifest in ``folder`` (documents beside it)."""
    path = folder / "manifest.toml"
    path.write_text(body, encoding="utf-8")
    return path
