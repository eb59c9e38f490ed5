"""Shared fixtures: one build of the bundled seeds per test session, and small manifests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from partnerkg.pipeline import build
from partnerkg.use.query import query

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory) -> Path:
    """A copy of the bundled sources (a build writes its lock file beside the manifest: never into
    the checkout)."""
    project = tmp_path_factory.mktemp("seed-project")
    shutil.copytree(ROOT / "sources", project / "sources")
    return project / "sources" / "manifest.toml"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, seed_project):
    """The bundled manifest built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("seed-output")
    return build(seed_project, output)


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


def table_source(name: str, form: str = "markdown-table", extra: str = "", home: str = "Home University") -> str:
    """A manifest entry for a small French partner table (columns "Pays" and "Institution"): the
    document most tests write for their case."""
    return f"""
[[source]]
path = "{name}"
language = "fr"
home = {{ name = "{home}", country = "FR" }}
form = "{form}"
{extra}
[source.columns]
country = "Pays"
partner = "Institution"
"""
