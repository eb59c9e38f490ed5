"""partnerkg generate: a corpus of any size that builds, every row accounted for (the bad rows it
writes are the rows rejected), with identity labels a build can be scored against."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.errors import PartnerkgError
from partnerkg.generate import generate
from partnerkg.pipeline import build
from partnerkg.use.explain import eval_resolution


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated") / "corpus"
    result = CliRunner().invoke(cli, ["generate", "--agreements", "1000", "--per-document", "200", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def files(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_arguments_give_the_same_bytes(corpus, tmp_path):
    again = generate(1000, tmp_path / "again", per_document=200)
    assert files(again.folder) == files(corpus)
    other = generate(1000, tmp_path / "other", seed=2, per_document=200)
    assert files(other.folder)["sources/doc-00001.csv"] != files(corpus)["sources/doc-00001.csv"]
    with pytest.raises(PartnerkgError, match="not empty"):
        generate(10, corpus)


def test_every_form_builds_and_the_bad_rows_are_the_rejected_ones(corpus, tmp_path):
    forms = {path.suffix for path in (corpus / "sources").iterdir()}
    assert forms == {".md", ".csv", ".tsv", ".json", ".jsonl"}
    result = build(corpus / "manifest.toml", tmp_path / "out", report=False)
    rows = sum(s.rows_read for s in result.summaries)
    assert rows == 1000 and sum(s.skipped for s in result.summaries) == 0
    assert sum(s.agreements + s.rejected for s in result.summaries) == 1000
    garbled = [r for r in result.rejections if "Atlantide" in r.text]
    assert garbled and all("unknown country 'Atlantide'" in r.reason for r in garbled)
    assert not result.validation.violations
    evaluation = eval_resolution(corpus / "labels.json", tmp_path / "out")
    assert evaluation.groups > 20 and evaluation.pairs > 10
    assert evaluation.groups_merged / evaluation.groups >= 0.9  # group recall
    assert evaluation.correct_pairs / evaluation.predicted_pairs >= 0.98  # pairwise precision
    assert evaluation.pairs_apart == evaluation.pairs_found  # look-alikes kept apart
