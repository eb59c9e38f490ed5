"""Output as a set: a source that fails SHACL is withheld, a failed build keeps the last good output,
a second build is kept out by a lock, and a killed or disk-starved build never leaves a mixed folder."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from partnerkg.cli import EXIT_INVALID, EXIT_UNPUBLISHED, cli
from partnerkg.use.query import query

from .conftest import write_manifest

SOURCE = """
[[source]]
path = "{name}"
language = "fr"
home = {{ name = "Université Test", country = "FR" }}
form = "markdown-table"
[source.columns]
country = "Pays"
partner = "Institution"
places = "Places"
"""

A = "| Pays | Institution | Places |\n|---|---|---|\n| Allemagne | Technische Universität Dresden | |\n"
B = "| Pays | Institution | Places |\n|---|---|---|\n| Suède | Kungliga Tekniska Högskolan | 2 |\n"

# An office's own rule: every agreement states its places (A's row does not).
PLACES_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pkg: <https://w3id.org/partnerkg/ontology#> .
<urn:example:NeedsPlaces> a sh:NodeShape ; sh:targetClass pkg:Agreement ;
  sh:property [ sh:path pkg:placesMin ; sh:minCount 1 ; sh:message "Every agreement states its places." ] .
"""
# A rule no one source accounts for: institutions live in the shared resolution graph.
INSTITUTION_SHAPE = PLACES_SHAPE.replace("pkg:Agreement", "pkg:Institution").replace("placesMin", "erasmusCode") \
    .replace("Every agreement states its places.", "Every institution has its Erasmus code.")


def project(folder: Path, shapes: str = "") -> Path:
    (folder / "a.md").write_text(A, encoding="utf-8")
    (folder / "b.md").write_text(B, encoding="utf-8")
    head = ""
    if shapes:
        (folder / "shapes.ttl").write_text(shapes, encoding="utf-8")
        head = '[project]\nshapes = ["shapes.ttl"]\n'
    return write_manifest(folder, head + SOURCE.format(name="a.md") + SOURCE.format(name="b.md"))


def agreement_labels(output: Path) -> list[str]:
    rows = query("SELECT ?l WHERE { ?a a pkg:Agreement ; pkg:partner ?p . ?p skos:prefLabel ?l } ORDER BY ?l",
                 output / "store").rows
    return [label for (label,) in rows]


def assert_one_complete_build(output: Path) -> None:
    """The dump, the store and the report of ``output`` come from the same build."""
    summary = json.loads((output / "report" / "summary.json").read_text(encoding="utf-8"))
    dump_quads = sum(1 for name in ("partnerkg.nq", "partnerkg-inferred.nq")
                     for line in (output / name).read_text(encoding="utf-8").splitlines() if line)
    store = ox.Store.read_only(str(output / "store"))
    assert dump_quads == len(store) == summary["quads"] > 0
    agreements = int(query("SELECT (COUNT(?a) AS ?n) WHERE { ?a a pkg:Agreement }", output / "store").rows[0][0])
    assert agreements == sum(s["agreements"] for s in summary["sources"] if not s["withheld"])


def build_cli(manifest: Path, output: Path, *extra: str):
    return CliRunner().invoke(cli, ["build", "--manifest", str(manifest), "--output", str(output), "--no-report",
                                    *extra])


def test_a_source_failing_shacl_is_withheld_and_the_others_published(tmp_path):
    result = build_cli(project(tmp_path, PLACES_SHAPE), tmp_path / "out")
    assert result.exit_code == EXIT_INVALID, result.output
    assert "withheld source a" in result.output
    assert agreement_labels(tmp_path / "out") == ["Kungliga Tekniska Högskolan"]
    summary = json.loads((tmp_path / "out" / "report" / "summary.json").read_text(encoding="utf-8"))
    assert summary["withheld"] == ["a"]
    assert "Every agreement states its places." in (tmp_path / "out" / "report" / "validation.txt").read_text()
    assert_one_complete_build(tmp_path / "out")


def test_a_failed_build_keeps_the_last_good_output_and_reports_beside_it(tmp_path):
    output = tmp_path / "out"
    assert build_cli(project(tmp_path), output).exit_code == 0
    before = (output / "partnerkg.nq").read_bytes()
    (tmp_path / "b.md").write_text(B.replace("Suède", "Norvège"), encoding="utf-8")
    result = build_cli(project(tmp_path, INSTITUTION_SHAPE), output)
    assert result.exit_code == EXIT_UNPUBLISHED, result.output
    assert (output / "partnerkg.nq").read_bytes() == before
    assert_one_complete_build(output)
    failed = tmp_path / "out.failed" / "report"
    assert "Every institution has its Erasmus code." in (failed / "validation.txt").read_text(encoding="utf-8")
    assert json.loads((failed / "summary.json").read_text(encoding="utf-8"))["quads"] == 0
    assert build_cli(project(tmp_path), output).exit_code == 0  # a good build supersedes the failed one
    assert not (tmp_path / "out.failed").exists()


def test_a_folder_a_build_did_not_write_is_not_replaced(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "thesis.tex").write_text("precious", encoding="utf-8")
    result = build_cli(project(tmp_path), tmp_path / "out")
    assert result.exit_code == 1
    assert "holds files a build did not write" in result.output
    assert (tmp_path / "out" / "thesis.tex").read_text(encoding="utf-8") == "precious"


def test_hidden_files_a_user_keeps_in_the_output_folder_stay(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".gitkeep").write_text("", encoding="utf-8")
    assert build_cli(project(tmp_path), tmp_path / "out").exit_code == 0
    assert (tmp_path / "out" / ".gitkeep").exists()
    assert_one_complete_build(tmp_path / "out")


def _build_process(manifest: Path, output: Path, *extra: str, limit: int | None = None) -> subprocess.Popen:
    def limited():
        if limit:  # a file-size limit: writes past it fail (EFBIG) as they would on a full disk (ENOSPC)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    command = [sys.executable, "-m", "partnerkg", "build", "--manifest", str(manifest), "--output",
               str(output), "--no-report", *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=limited)


def test_a_second_build_of_the_same_folder_stops_with_a_message_or_waits(tmp_path):
    manifest = project(tmp_path)
    # a first build long enough (a few seconds) for the others to start while it holds the lock
    many = "".join(f"| Norvège | Universitet nummer {n} i Norge | 3 |\n" for n in range(300))
    (tmp_path / "b.md").write_text(B + many, encoding="utf-8")
    first = _build_process(manifest, tmp_path / "out")
    lock = tmp_path / ".out.lock"
    deadline = time.monotonic() + 60
    while not _locked(lock) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    second = _build_process(manifest, tmp_path / "out")
    waiting = _build_process(manifest, tmp_path / "out", "--wait", "120")
    _, err = second.communicate(timeout=120)
    assert second.returncode == 1
    assert "another build is writing this folder" in err and "--wait" in err
    assert first.wait(timeout=120) == 0
    assert waiting.wait(timeout=120) == 0, waiting.stderr.read()
    assert_one_complete_build(tmp_path / "out")


def _locked(lock: Path) -> bool:
    from filelock import FileLock, Timeout
    try:
        with FileLock(str(lock), timeout=0):
            return False
    except Timeout:
        return True


def test_a_build_killed_at_any_moment_leaves_one_complete_build(tmp_path):
    """SIGKILL at 20 random moments of builds that alternate between two versions of a document."""
    manifest = project(tmp_path)
    output = tmp_path / "out"
    assert build_cli(manifest, output).exit_code == 0
    timer = time.monotonic()
    assert _build_process(manifest, output).wait(timeout=120) == 0
    duration = time.monotonic() - timer
    moments = random.Random(20261123)
    for attempt in range(20):
        extra = "| Norvège | Norges teknisk-naturvitenskapelige universitet | 3 |\n" * (attempt % 2)
        (tmp_path / "b.md").write_text(B + extra, encoding="utf-8")
        process = _build_process(manifest, output)
        time.sleep(moments.uniform(0.3, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert_one_complete_build(output)
    assert build_cli(manifest, output).exit_code == 0  # the lock and staging left by the kills are no obstacle
    assert_one_complete_build(output)
    assert not list(tmp_path.glob(".out.staging-*"))


def test_a_full_disk_fails_cleanly_and_keeps_the_last_good_output(tmp_path):
    manifest = project(tmp_path)
    output = tmp_path / "out"
    assert build_cli(manifest, output).exit_code == 0
    before = (output / "partnerkg.nq").read_bytes()
    many = "".join(f"| Norvège | Universitet nummer {n} i Norge | 3 |\n" for n in range(300))
    (tmp_path / "b.md").write_text(B + many, encoding="utf-8")
    process = _build_process(manifest, output, limit=len(before) + 20_000)
    _, err = process.communicate(timeout=180)
    assert process.returncode == 1, err
    assert "Traceback" not in err and "File too large" in err
    assert (output / "partnerkg.nq").read_bytes() == before
    assert_one_complete_build(output)
    assert not list(tmp_path.glob(".out.staging-*"))


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
@pytest.mark.parametrize("mount,error", [("size=2m", "No space left on device"), ("ro", "Read-only file system")])
def test_a_real_full_or_read_only_disk_fails_cleanly(tmp_path, mount, error):
    """Where the machine allows a private mount (user namespaces; root alone cannot be kept out of a
    read-only folder by its permissions), a truly full or read-only file system."""
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {tmp_path}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no private mount here: {probe.stderr.decode().strip()}")
    manifest = project(tmp_path)
    many = "".join(f"| Norvège | Universitet nummer {n} i Norge | 3 |\n" for n in range(300))
    (tmp_path / "b.md").write_text(B + many, encoding="utf-8")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f"mount -t tmpfs -o {mount} tmpfs {disk} && {sys.executable} -m partnerkg build "
              f"--manifest {manifest} --output {disk}/out --no-report; echo \"exit=$?\"; ls -a {disk}")
    run = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=180,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert "exit=1" in run.stdout, run.stdout + run.stderr
    assert error in run.stderr and "Traceback" not in run.stderr
    assert ".out.staging" not in run.stdout and "\nout\n" not in run.stdout
