"""The development corpus (examples/corpus): nine real documents, each built with its manifest
entry only; the README's per-document tables are what 'partnerkg sources' prints for the build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from partnerkg.pipeline import build
from partnerkg.publish.report import sources_markdown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    """The corpus built from a copy, so that its lock file is written in a temporary folder."""
    work = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "examples" / "corpus", work / "examples" / "corpus")
    shutil.copytree(ROOT / "sources" / "ror", work / "sources" / "ror")
    return build(work / "examples" / "corpus" / "manifest.toml", work / "out", report=False, paths_outside=True)


def test_every_corpus_document_builds_and_accounts_for_every_row(corpus_build):
    assert not corpus_build.validation.violations
    counts = {s.source: (s.agreements, s.skipped, s.rejected) for s in corpus_build.summaries}
    assert counts == {
        "htw-dresden": (272, 0, 0),  # 271 faculty rows, and ICMS, listed with no agreement block
        "upm-etsit": (191, 16, 0),  # IDs 1-191; four legend rows, and 12 empty rows among them
        "pwr": (461, 0, 0),
        "sogang": (136, 0, 0),
        "ucp-iep": (23, 0, 0),  # 22 entries, one naming two institutions
        "poliba": (410, 37, 0),  # rows 1-410; the page title and header repeated on 38 pages
        "ist-nfist": (19, 1, 0),  # 20 institutions, Cambridge listed under "Sem Acordo"
        "iit-indore": (64, 0, 0),  # 64 entries; "United Nations" as a country, placed by "Texas" in its name
        "smu": (244, 94, 0),  # S/N 1-244 of sheet "Original"; 12 of the skipped rows empty
    }
    for summary in corpus_build.summaries:
        assert summary.rows_read == summary.agreements + summary.skipped + summary.rejected


def test_the_readme_tables_are_the_sources_command_output(corpus_build):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- sources:begin -->\n(.*)<!-- sources:end -->", readme, re.S)
    assert block, "the README has no sources block"
    assert block[1] == sources_markdown(corpus_build.output / "report")


def test_no_personal_data_from_the_corpus_is_published(corpus_build):
    dump = (corpus_build.output / "partnerkg.nq").read_text(encoding="utf-8")
    assert "@upm.es" not in dump and "erasmus.incoming@tugraz.at" not in dump
    assert "Grischek" not in dump  # a professor named in HTW Dresden's contact column


def test_the_committed_lock_file_already_holds_every_id(corpus_build):
    """Building the corpus mints no new id: the lock file in the repository is up to date, so that
    the README's command leaves the checkout as it was."""
    assert corpus_build.manifest.lock.read_text(encoding="utf-8") == \
        (ROOT / "examples" / "corpus" / "partnerkg.lock.json").read_text(encoding="utf-8")
