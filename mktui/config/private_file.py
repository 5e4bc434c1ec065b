"""Files only their owner can read, replaced atomically (the config and the sign-in files)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path


def write_private_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the file is 0600 from its creation.

    The bytes go to a temporary file in the same directory (``mkstemp`` creates
    it 0600), are fsynced, then ``os.replace`` swaps it in: a crash leaves
    either the old file or the new one, never a half-written one. The
    directory is created 0700 when missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp already creates 0600; fchmod makes it exact whatever the umask
        # (Windows has no fchmod before 3.13 and no POSIX modes to fix).
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        if fd != -1:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


class FileLock:
    """A lock for one file's read-modify-write, across threads and across mktui processes.

    Two consoles (or a console and ``mktui login``) may both rewrite the
    credentials file when their tokens rotate, or the profiles file; without
    the lock one could write back a copy read before the other's change and
    lose it. Reads need no lock: every
    write replaces the file atomically. ``flock`` on a sidecar ``.lock`` file
    where the platform has it (POSIX); the thread lock everywhere.
    """

    def __init__(self, path: Path) -> None:
        self._path = path.with_name(path.name + ".lock")
        self._thread_lock = threading.RLock()

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        """Hold the lock for a read-modify-write of the file."""
        with self._thread_lock:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - Windows: this process only
                yield
                return
            self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # closing releases the flock
