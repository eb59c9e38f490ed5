"""The HTML report, opened in a real headless browser (Debian's chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

import pytest
from click.testing import CliRunner

from partnerkg.cli import cli

FIGURES = ("network", "zones", "kinds", "world")


def chromium(*args: str) -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        # on a developer's machine without a browser, say so; under CI (.ci/run installs Debian's
        # chromium) a missing browser is a failure, never a quiet skip
        assert not os.environ.get("CI"), "chromium is needed under CI: .ci/run installs Debian's chromium"
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def report(seed_build):
    result = CliRunner().invoke(cli, ["report", "-o", str(seed_build.output)])
    assert result.exit_code == 0, result.output
    return seed_build.output / "report.html"


def test_report_opens_with_every_figure_rendered(report):
    dom = chromium("--virtual-time-budget=10000", "--dump-dom", report.as_uri())
    rendered = dict(re.findall(r'id="figure-(\w+)"[^>]*data-rendered="(\w+)"', dom))
    assert rendered == {name: "yes" for name in FIGURES}
    assert 'data-figures-rendered="4"' in dom


def test_report_holds_the_numbers_and_answers(report):
    page = report.read_text(encoding="utf-8")
    assert "<td>001_d0bbbd03eef5ae86</td><td>utf-8</td><td>380</td><td>380</td><td>0</td>" in page
    assert "SHACL: conforms" in page
    assert "Technische Universität Dresden" in page  # shared by every source
    assert "<script src" not in page and "<link" not in page  # self-contained


def test_screenshot_of_the_report_is_saved(report, tmp_path):
    screenshot = tmp_path / "report-screenshot.png"  # tests write into temporary folders only
    chromium("--window-size=1200,3000", "--virtual-time-budget=10000", f"--screenshot={screenshot}", report.as_uri())
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 50_000
