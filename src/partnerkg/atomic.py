"""Write outputs so that a reader never sees a half-written file, nor a folder mixing two builds.

``write_atomic`` replaces one file. ``OutputSet`` stages a whole build (dump, store, report,
analyses) in a hidden folder beside the output folder and swaps it in with one rename, under a lock
that keeps a second build out. A failed build's files go to ``<output>.failed`` instead, and the last
good output stays as it was.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from filelock import FileLock, Timeout

from .errors import PartnerkgError

MARKER = ".partnerkg-output"  # in every output folder a build wrote: only such a folder is replaced


def write_atomic(path: Path, data: str | bytes | Iterable[bytes]) -> None:
    """Write ``data`` (or its pieces, one after the other) to ``path`` through a temporary file,
    fsynced, then renamed over it."""
    pieces = [data.encode("utf-8") if isinstance(data, str) else data] if isinstance(data, str | bytes) else data
    with atomic_file(path) as handle:
        for piece in pieces:
            handle.write(piece)


@contextmanager
def atomic_file(path: Path, durable: bool = True) -> Iterator[IO[bytes]]:
    """A file open for writing that becomes ``path`` (fsynced, renamed over it) when the block ends
    without an error; with one, ``path`` is left as it was. ``durable=False``: not fsynced (a file
    that may be lost, not half-read, after a power cut: a cache entry)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class OutputSet:
    """A build's output folder, written as a set.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()) / "out"
    >>> with OutputSet(folder) as staging:
    ...     write_atomic(staging / "a.txt", "first")
    ...     staged = staging
    >>> (folder / "a.txt").read_text(), staged.exists()
    ('first', False)
    """

    def __init__(self, output: Path, wait: float = 0):
        self.output = Path(output).absolute()
        self.wait = wait  # seconds to wait for another build's lock; 0: stop at once
        self.lock = FileLock(str(self.output.with_name(f".{self.output.name}.lock")))
        self.staging = self.output.with_name(f".{self.output.name}.staging-{os.getpid()}")
        self.failed = self.output.with_name(f"{self.output.name}.failed")
        self._failed = False

    def __enter__(self) -> Path:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.lock.acquire(timeout=self.wait)
        except Timeout:
            raise PartnerkgError(f"{self.output}: another build is writing this folder (lock "
                                 f"{self.lock.lock_file}); wait for it to finish, or use --wait SECONDS") from None
        try:
            self._check_replaceable()
            self._clear_leftovers()
            self.staging.mkdir()
            (self.staging / MARKER).write_text("written by partnerkg build; replaced as a whole by the next\n")
        except BaseException:
            self.lock.release()
            raise
        return self.staging

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None and not self._failed:
                self._swap_in()
            elif kind is None:
                shutil.rmtree(self.failed, ignore_errors=True)
                _fsync_tree(self.staging)
                self.staging.rename(self.failed)
            else:
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self.lock.release()

    def fail(self) -> Path:
        """Mark the build failed: on leaving, its files go to ``<output>.failed`` and the last good
        output stays as it was. Returns that folder."""
        self._failed = True
        return self.failed

    def _check_replaceable(self) -> None:
        if not self.output.exists():
            return
        if not self.output.is_dir():
            raise PartnerkgError(f"{self.output}: not a folder; choose a folder for the build's output")
        visible = [p for p in self.output.iterdir() if not p.name.startswith(".")]
        # a build of an earlier version left no marker, but its dump and report say what it is
        earlier = (self.output / "partnerkg.nq").exists() and (self.output / "report" / "summary.json").exists()
        if visible and not (self.output / MARKER).exists() and not earlier:
            raise PartnerkgError(f"{self.output}: this folder holds files a build did not write; a build replaces "
                                 "its output folder as a whole, so choose an empty or new folder")

    def _clear_leftovers(self) -> None:
        """Staging folders of builds that were killed (the lock says none is running)."""
        for stale in self.output.parent.glob(f".{self.output.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)

    def _swap_in(self) -> None:
        if self.output.exists():
            for hidden in self.output.iterdir():  # files a user keeps there (.gitkeep) stay
                if hidden.name.startswith(".") and hidden.name != MARKER and hidden.is_file():
                    shutil.copy2(hidden, self.staging / hidden.name)
        _fsync_tree(self.staging)
        if self.output.exists():
            _exchange(self.staging, self.output)  # staging now holds the previous output
            shutil.rmtree(self.staging, ignore_errors=True)
        else:
            self.staging.rename(self.output)
        shutil.rmtree(self.failed, ignore_errors=True)  # a good build supersedes the last failed one
        _fsync_dir(self.output.parent)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(None, use_errno=True)
    rename_exchange, at_cwd = 2, -100
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return
    error = ctypes.get_errno() if renameat2 is not None else errno.ENOSYS
    if error not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        raise OSError(error, os.strerror(error), str(b))
    # No exchange on this system: two renames; a kill between them leaves no output folder, never a
    # mixed one (the previous output is still at ``a``'s sibling and the next build starts clean).
    old = b.with_name(b.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    b.rename(old)
    a.rename(b)
    old.rename(a)


def _fsync_tree(folder: Path) -> None:
    for root, _, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
