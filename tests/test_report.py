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

FIGURES = ("network", "zones", "kinds", "countries")


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
    # no two labels of a figure drawn over each other, as the browser lays them out
    overlaps = dict(re.findall(r'id="figure-(\w+)"[^>]*data-overlaps="(\w+)"', dom))
    assert overlaps == {name: "0" for name in FIGURES}


def test_report_holds_the_numbers_and_answers(report):
    page = report.read_text(encoding="utf-8")
    assert "<h1>Partnership agreements of three universities (seed documents)</h1>" in page  # the manifest's
    assert re.search(r"built by partnerkg [\d.]+ from 3 document\(s\) \(1 dated: 2008-06\): <b>835</b> "
                     r"agreements of <b>3</b> home institution", page)
    assert '<li><a href="#overlap">Overlap between home institutions</a></li>' in page  # contents
    # documents by their titles, with the home the manifest names, and the counts
    assert ("<td>Liste des accords bilatéraux, Grenoble INP<br><small>001_d0bbbd03eef5ae86.txt</small></td>"
            "<td>Grenoble INP</td><td>utf-8</td><td>380</td><td>380</td><td>0</td><td>0</td>") in page
    assert "<td>Home institution of “Partner list of an unnamed French institution”</td>" in page
    assert "000_f072853316d7ee52<" not in page.replace("000_f072853316d7ee52.txt<", "")  # no hash id as a name
    # terms explained where they appear, files and registry ids linked
    assert "their <b>overlap</b> (Jaccard): shared partners divided by the partners of either" in page
    assert "A <b>near-miss</b> is a pair of names" in page
    assert "<a href=report/rejections.csv>rejections.csv</a>" in page
    assert '<a href="https://ror.org/' in page
    assert "SHACL: conforms" in page
    assert "Technische Universität Dresden" in page  # shared by every source
    assert "<script src" not in page and "<link" not in page  # self-contained


def test_screenshot_of_the_report_is_saved(report, tmp_path):
    screenshot = tmp_path / "report-screenshot.png"  # tests write into temporary folders only
    chromium("--window-size=1200,3000", "--virtual-time-budget=10000", f"--screenshot={screenshot}", report.as_uri())
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 50_000


def test_the_network_figure_stays_readable_at_ten_times_the_seeds(seed_build):
    """Ten copies of the seeds' agreements under thirty homes: the figure still draws every home and at
    most NETWORK_PARTNERS partners, those the most homes share."""
    from partnerkg.use.analyse import Agreement, agreements_from_store, bipartite_network
    from partnerkg.use.report_html import NETWORK_PARTNERS, _backbone

    seeds = agreements_from_store(seed_build.output / "store")
    tenfold = [Agreement(f"{a.home}/{n}", f"{a.home_label} {n}", a.partner, a.partner_label, a.country, a.zone)
               for n in range(10) for a in seeds]
    network = bipartite_network(tenfold)
    backbone, least = _backbone(network)
    drawn = [n for n, d in backbone.nodes(data=True) if d["kind"] == "partner"]
    assert sum(1 for _, d in backbone.nodes(data=True) if d["kind"] == "home") == 30
    assert 0 < len(drawn) <= NETWORK_PARTNERS
    assert min(network.degree(n) for n in drawn) >= least > 2


def test_the_network_figure_draws_the_homes_with_most_partners_when_there_are_many(seed_build):
    """Twenty copies of the seeds under sixty homes, some with fewer partners: the figure draws the
    NETWORK_HOMES with the most, numbered in that order, and the caption says how many there are."""
    from partnerkg.use.analyse import Agreement, agreements_from_store, bipartite_network
    from partnerkg.use.report_html import NETWORK_HOMES, _backbone, _network_caption, _numbered_homes

    seeds = agreements_from_store(seed_build.output / "store")
    copies = [Agreement(f"{a.home}/{n}", f"{a.home_label} {n}", a.partner, a.partner_label, a.country, a.zone)
              for n in range(20) for i, a in enumerate(seeds) if n < 10 or i % 2]  # copies 10..19: half the rows
    network = bipartite_network(copies)
    backbone, _ = _backbone(network)
    drawn = [n for n, d in backbone.nodes(data=True) if d["kind"] == "home"]
    numbered = _numbered_homes(network)
    assert len(drawn) == len(numbered) == NETWORK_HOMES < 60
    assert sorted(drawn) == sorted(numbered)
    assert min(network.degree(h) for h in drawn) >= max(network.degree(h) for h, d in network.nodes(data=True)
                                                        if d["kind"] == "home" and h not in drawn)
    assert f"The {NETWORK_HOMES} home institutions with the most partners (of 60)" in _network_caption(network)
