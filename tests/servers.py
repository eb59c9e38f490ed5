"""Real triple stores on localhost for the push tests: the Oxigraph server (the `oxigraph` package
on PyPI) and Virtuoso Open Source (Debian's `virtuoso-opensource`, installed by .ci/run), each with
its own database in a temporary folder and its own loopback ports.

    python -m tests.servers FOLDER    # start both, print their addresses, stop on Ctrl-C
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO_VAD = Path("/usr/share/virtuoso-opensource-7/vad")
VIRTUOSO_ROOT = Path("/var/lib/virtuoso-opensource-7/vsp")


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    store: str  # Graph Store Protocol address
    sparql: str  # SPARQL Protocol (query) address
    user: str = ""
    password: str = ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_oxigraph(folder: Path) -> Server | None:
    """`oxigraph serve`, its default graph the union of all graphs (as the embedded store queries)."""
    binary = shutil.which("oxigraph") or _beside_python("oxigraph")
    if not binary:
        return None
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(folder / "oxigraph"), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _wait_for(f"{base}/query?query=ASK%7B%7D", process, "oxigraph")
    return Server("oxigraph", process, f"{base}/store", f"{base}/query")


def start_virtuoso(folder: Path) -> Server | None:
    """`virtuoso-t +foreground` with a database of its own (user dba, password dba, as a new
    database has); Graph Store writes at /sparql-graph-crud-auth need Digest authentication."""
    binary = shutil.which("virtuoso-t")
    if not binary:
        return None
    database = folder / "virtuoso"
    database.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    config = database / "virtuoso.ini"
    config.write_text(_virtuoso_ini(database, sql_port, http_port), encoding="utf-8")
    process = subprocess.Popen([binary, "+configfile", str(config), "+foreground"], cwd=database,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    _wait_for(f"{base}/sparql?query=ASK%7B%7D", process, "virtuoso", timeout=180)
    return Server("virtuoso", process, f"{base}/sparql-graph-crud-auth", f"{base}/sparql", "dba", "dba")


def _virtuoso_ini(database: Path, sql_port: int, http_port: int) -> str:
    return f"""[Database]
DatabaseFile = {database}/virtuoso.db
ErrorLogFile = {database}/virtuoso.log
LockFile = {database}/virtuoso.lck
TransactionFile = {database}/virtuoso.trx
xa_persistent_file = {database}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {database}/virtuoso-temp.db
TransactionFile = {database}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {database}, {VIRTUOSO_VAD}
VADInstallDir = {VIRTUOSO_VAD}/
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VIRTUOSO_ROOT}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else None


def _wait_for(url: str, process: subprocess.Popen, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped at start (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{name} did not answer at {url} within {timeout:g} s")


if __name__ == "__main__":
    root = Path(sys.argv[1])
    running = [s for s in (start_oxigraph(root), start_virtuoso(root)) if s]
    for server in running:
        print(f"{server.name}: store {server.store}  sparql {server.sparql}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        for server in running:
            server.stop()
