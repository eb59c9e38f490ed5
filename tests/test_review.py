"""The review loop: near-misses ranked and cut, decisions written to the override file and applied
by the next build."""

from __future__ import annotations

from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.pipeline import build
from partnerkg.resolve.overrides import load_overrides
from partnerkg.use.query import query
from partnerkg.use.review import WORTH_A_LOOK, candidates

from .conftest import write_manifest

DOC = "| Pays | Institution |\n|---|---|\n| États-Unis | Université d'Alaska |\n" \
      "| États-Unis | Université d'Alaska Fairbanks |\n| États-Unis | Université de Chicago |\n"


MANIFEST = """
[project]
overrides = "overrides.toml"
[[source]]
path = "doc.md"
home = { name = "Home University", country = "FR" }
form = "markdown-table"
columns = { country = "Pays", partner = "Institution" }
"""


def institutions(output) -> int:
    return int(query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?a pkg:partner ?p }", output / "store").rows[0][0])


def test_the_seeds_near_misses_are_cut_to_a_list_a_person_can_read(seed_build):
    listed = candidates(seed_build.output)
    assert 0 < len(listed) <= 50  # of some 2,400 near-misses, most decided by a place, number or meaning
    assert [c.number for c in listed] == list(range(1, len(listed) + 1))
    assert all(c.likelihood >= WORTH_A_LOOK for c in listed)
    assert [c.likelihood for c in listed] == sorted((c.likelihood for c in listed), reverse=True)
    assert ("Université Tsinghua", "Université Tsinghua, Pékin") in {(c.name, c.other) for c in listed}


def test_accept_writes_same_and_the_next_build_merges(tmp_path):
    (tmp_path / "doc.md").write_text(DOC, encoding="utf-8")
    manifest = write_manifest(tmp_path, MANIFEST)
    out = tmp_path / "out"
    build(manifest, out, report=False)
    assert institutions(out) == 3
    runner = CliRunner()
    listed = runner.invoke(cli, ["review", "-o", str(out)])
    assert listed.exit_code == 0 and "Université d'Alaska Fairbanks" in listed.output
    number = next(c.number for c in candidates(out) if {c.name, c.other} == {"Université d'Alaska",
                                                                               "Université d'Alaska Fairbanks"})
    accepted = runner.invoke(cli, ["review", "-o", str(out), "-m", str(manifest), "--accept", str(number)])
    assert accepted.exit_code == 0, accepted.output
    assert len(load_overrides(tmp_path / "overrides.toml").same) == 1
    build(manifest, out, report=False)
    assert institutions(out) == 2  # the two Alaska names are one institution now


def test_reject_writes_different_and_a_bad_number_is_a_clean_error(tmp_path):
    (tmp_path / "doc.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "overrides.toml").write_text("# decisions\n", encoding="utf-8")
    manifest = write_manifest(tmp_path, MANIFEST)
    out = tmp_path / "out"
    build(manifest, out, report=False)
    runner = CliRunner()
    rejected = runner.invoke(cli, ["review", "-o", str(out), "-m", str(manifest), "--reject", "1"])
    assert rejected.exit_code == 0, rejected.output
    overrides = (tmp_path / "overrides.toml").read_text(encoding="utf-8")
    assert overrides.startswith("# decisions\n") and "[[different]]" in overrides
    assert len(load_overrides(tmp_path / "overrides.toml").different) == 1
    bad = runner.invoke(cli, ["review", "-o", str(out), "-m", str(manifest), "--accept", "99"])
    assert bad.exit_code == 1 and "no near-miss number 99" in bad.output
