"""Identity across the seeds and the corpus together (examples/all), scored against the labels of
tests/data/er_corpus.json: the figures the README gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from partnerkg.pipeline import build
from partnerkg.use.explain import eval_resolution

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    work = tmp_path_factory.mktemp("all")
    for folder in ("sources", "examples"):  # a copy: the build writes its lock file beside the manifest
        shutil.copytree(ROOT / folder, work / folder)
    result = build(work / "examples" / "all" / "manifest.toml", work / "out", report=False, paths_outside=True)
    return eval_resolution(ROOT / "tests" / "data" / "er_corpus.json", result.output, explain_failures=True), \
        result.output


def test_labels_are_many_enough(evaluation):
    evaluation, _ = evaluation
    assert evaluation.groups >= 50 and evaluation.pairs >= 20


def test_no_false_merge_and_every_look_alike_apart(evaluation):
    evaluation, _ = evaluation
    assert evaluation.correct_pairs == evaluation.predicted_pairs, evaluation.text()
    assert evaluation.pairs_apart == evaluation.pairs, evaluation.text()


def test_group_recall_and_ror_links(evaluation):
    evaluation, _ = evaluation
    assert evaluation.groups_merged / evaluation.groups >= 0.95, evaluation.text()
    assert evaluation.ror_correct == evaluation.ror_linked, evaluation.text()
    assert evaluation.ror_linked / evaluation.ror_labelled >= 0.90, evaluation.text()


def test_each_failure_comes_with_the_explanation_of_its_names(evaluation, tmp_path):
    _, output = evaluation
    labels = tmp_path / "wrong.json"
    labels.write_text('{"same": {"two Milans": ["Politecnico di Milano", "Università degli Studi di Milano"]}}',
                      encoding="utf-8")
    wrong = eval_resolution(labels, output, explain_failures=True)
    assert not wrong.passed and wrong.failures[0].startswith("same two Milans:")
    explained = "\n".join(wrong.explanations)
    assert "'Politecnico di Milano' ->" in explained and "'Università degli Studi di Milano' ->" in explained
