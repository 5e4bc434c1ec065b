"""Every module imports alone, in a fresh interpreter: no import order hides a cycle.

An import cycle between two modules works when a third happened to load one of
them first, and breaks the day that third module changes. Importing each module
first thing in its own interpreter finds such a cycle now.

Starting ~165 interpreters cost about a minute of CPU, so one interpreter is
started per test worker, imports nothing of mktui, and forks a child per
module: each child begins as that interpreter just after start-up (what
``python -c "import module"`` would have) and imports only its module.
"""

from __future__ import annotations

import select
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# __main__ runs the console when imported.
SKIP = {"mktui.__main__"}

# The forking interpreter. It reads a module name a line, forks, and the child
# imports that module (a traceback on failure, killed by SIGALRM after 120 s);
# the parent answers "<exit code> <length>\n" then what the child wrote. The
# child's stdin is /dev/null and its stdout goes with its stderr: a module that
# prints when imported cannot garble the answers. A child that finds anything of
# mktui already loaded exits with 3 (the test would prove nothing).
# Nothing is imported here that ``python -c`` would not have imported already.
_SERVER = r"""
import os, sys
read, write = sys.stdin.buffer, sys.stdout.buffer
for line in read:
    name = line.decode().strip()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(w, 1)
        os.dup2(w, 2)
        os.close(null)
        os.close(w)
        loaded = [m for m in sys.modules if m == "mktui" or m.startswith("mktui.")]
        if loaded:
            os.write(2, ("already loaded: %s" % loaded).encode())
            os._exit(3)
        import signal
        signal.alarm(120)
        try:
            __import__(name)
        except BaseException:
            import traceback
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        sys.stderr.flush()
        os._exit(0)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    err = b"".join(chunks)
    code = os.waitstatus_to_exitcode(status)
    write.write(b"%d %d\n" % (code, len(err)) + err)
    write.flush()
"""


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "mktui").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name not in SKIP:
            names.append(name)
    return names


MODULES = _modules()


@pytest.fixture(scope="module")
def fresh_interpreter():
    """``import(name) -> (exit code, stderr)`` in a child forked from a clean interpreter."""
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )

    def import_alone(name: str) -> tuple[int, str]:
        server.stdin.write(name.encode() + b"\n")
        server.stdin.flush()
        # The child is killed after 120 s; a forking interpreter gone quiet is a failure.
        ready, _, _ = select.select([server.stdout], [], [], 180)
        assert ready, f"no answer for {name} in 180 s"
        header = server.stdout.readline()
        assert header, "the forking interpreter has exited"
        status, length = map(int, header.split())
        return status, server.stdout.read(length).decode(errors="replace")

    yield import_alone
    server.stdin.close()
    server.wait(timeout=30)


def test_the_package_tree_is_found():
    assert "mktui.core.money" in MODULES
    assert "mktui.tui.app" in MODULES
    assert len(MODULES) > 100


def test_the_forking_interpreter_has_nothing_of_mktui_loaded(fresh_interpreter):
    # Each child checks that nothing of mktui is loaded before its import (exit code 3).
    status, err = fresh_interpreter("mktui.core.money")
    assert status == 0, err
    status, err = fresh_interpreter("sys")  # the previous child's import stayed in the child
    assert status == 0, err
    # A module that fails is reported, and the parent stays usable after it.
    status, err = fresh_interpreter("mktui.core.no_such_module")
    assert status == 1 and "ModuleNotFoundError" in err
    status, err = fresh_interpreter("sys")
    assert status == 0, err


@pytest.mark.parametrize("module", MODULES)
def test_imports_alone(module, fresh_interpreter):
    status, err = fresh_interpreter(module)
    assert status == 0, f"import {module} failed alone (exit code {status}):\n{err[-2000:]}"
