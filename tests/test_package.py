"""A user's own project started by `partnerkg init`, built by the real command."""

from __future__ import annotations

from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.use.query import query


def test_init_starts_a_project_that_builds_as_it_is(tmp_path):
    runner = CliRunner()
    started = runner.invoke(cli, ["init", str(tmp_path / "agreements")])
    assert started.exit_code == 0, started.output
    manifest = tmp_path / "agreements" / "manifest.toml"
    assert "# form = \"xlsx\"" in manifest.read_text(encoding="utf-8")  # the other forms, commented
    built = runner.invoke(cli, ["build", "-m", str(manifest), "-o", str(tmp_path / "agreements" / "output")])
    assert built.exit_code == 0, built.output
    partners = query("SELECT ?l WHERE { ?a pkg:partner/skos:prefLabel ?l } ORDER BY ?l",
                     tmp_path / "agreements" / "output" / "store").rows
    assert partners == [["KTH Royal Institute of Technology"], ["Technische Universität Dresden"],
                        ["Tohoku University"]]
    again = runner.invoke(cli, ["init", str(tmp_path / "agreements")])
    assert again.exit_code == 1 and "a manifest is already here" in again.output
