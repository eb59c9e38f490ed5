"""The corpus of bad inputs (tests/bad/): a folder per case with its manifest, its documents and
``expected.toml`` (the command's arguments if not a build, its exit code, a text its output or its
report's CSV files must hold, per source the counts).

Every case runs the real command. None may end in a traceback, and every document's rows must be
accounted for: rows read = agreements + skipped + rejected.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from partnerkg.cli import cli

BAD = Path(__file__).parent / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.toml").exists())


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case, tmp_path):
    work = tmp_path / case
    shutil.copytree(BAD / case, work)  # a copy: a build writes its lock file beside the manifest
    expected = tomllib.loads((work / "expected.toml").read_text(encoding="utf-8"))
    args = expected.get("args", ["build", "--no-report"])
    if (work / "manifest.toml").exists():
        args += ["--manifest", str(work / "manifest.toml")]
    result = CliRunner().invoke(cli, [*args, "--output", str(work / "out")])
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    assert result.exit_code == expected["exit"], output
    reports = "".join(p.read_text(encoding="utf-8") for p in sorted((work / "out").glob("report/*.csv")))
    assert expected.get("message", "") in output + reports, output
    summary_file = work / "out" / "report" / "summary.json"
    if not summary_file.exists():
        assert not expected.get("sources"), output
        return
    summary = {s["source"]: s for s in json.loads(summary_file.read_text(encoding="utf-8"))["sources"]}
    for source in summary.values():
        assert source["rows_read"] == source["agreements"] + source["skipped"] + source["rejected"]
    for source, counts in expected.get("sources", {}).items():
        assert {k: summary[source][k] for k in counts} == counts, output
