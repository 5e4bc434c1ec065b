"""Running the installed ``mktui`` as a subprocess against ``mktui sandbox serve`` on loopback.

Used by the CLI tests (tests/cli/conftest.py) and by the generator of the
examples in docs/cli.md (tests/cli/examples.py), so the documented output
comes from the same real runs the tests make.

:func:`run_here` runs the same command in this interpreter (``mktui.cli.main.main``
with the same environment, standard streams that are not a terminal, and the exit
code of ``SystemExit``): about 0.03 s of CPU instead of 0.7 s for a new interpreter,
for tests that check what a command prints rather than the process around it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD = "sandbox"  # noqa: S105 - the sandbox's published demo password
PINNED = "2026-11-26T12:00:00-03:00"


def mktui_command() -> list[str]:
    """The installed console script (the venv's ``mktui``), else the module."""
    exe = shutil.which("mktui", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "mktui"]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run(
    *args: str, input: str | None = None, env: dict | None = None, timeout: float = 60
) -> Result:
    """``mktui ARGS`` with stdin not a terminal (a pipe), plain output."""
    done = subprocess.run(
        [*mktui_command(), *args],
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        env=_environment(env),
        timeout=timeout,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def _environment(env: dict | None) -> dict[str, str]:
    # English, whatever the machine's LANG: the assertions read the English text
    # (tests/test_i18n.py checks the other languages).
    environ = {
        **os.environ,
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "LANG": "en_US.UTF-8",
        **(env or {}),
    }
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        environ.pop(name, None)
    return environ


def _stream(text: str = "") -> io.TextIOWrapper:
    """A text stream over bytes, like a pipe's (``.buffer`` for binary output), not a terminal."""
    return io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8", newline="")


def run_here(
    *args: str, input: str | None = None, env: dict | None = None, timeout: float = 60
) -> Result:
    """:func:`run`, in this interpreter: ``main(args)`` with the same environment and pipes.

    The environment, the standard streams and the language are put back after.
    keyring's chosen backend is forgotten before and after, as a new process
    would not know it: the command picks its own from this environment, and its
    choice does not follow a later test into its keyring probe.
    ``timeout`` is accepted for the same signature and not enforced.
    """
    import gc

    import keyring.core

    from mktui.cli.main import main
    from mktui.core import i18n

    saved_environ = dict(os.environ)
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    stdin, stdout, stderr = _stream(input or ""), _stream(), _stream()
    # Built before the clear: built after, it would lose HOME, the XDG dirs and the
    # keyring backend of tests/conftest.py, and the command would use the real home.
    environ = _environment(env)
    os.environ.clear()
    os.environ.update(environ)
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    keyring.core.init_backend()  # chosen again from the environment the command sees
    try:
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: --help, usage errors
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_environ)
        i18n.use("en")
        keyring.core.init_backend()  # and again from the test's own, whatever the command set
        # The command's clients and event loop are garbage now: freed here, at
        # the end of the command, as a process exit would, not in a later test.
        gc.collect()
    out, err = (_read(stream) for stream in (stdout, stderr))
    return Result(code, out, err)


def _read(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")


@dataclass
class Served:
    """A sandbox over HTTP and a profile per demo account signed in to it."""

    url: str
    db: Path
    signed_in: set[str] = field(default_factory=set)
    runner: Callable[..., Result] = run
    """How each command runs: :func:`run` (a new ``mktui`` process) or :func:`run_here`."""

    def sign_in(self, account: str) -> None:
        """``mktui login`` as a demo account, keeping the session in the plain file."""
        login = self.runner(
            "login", "--profile", account, "--api-url", self.url,
            "--email", f"{account}@mkcontroller.test", "--password-stdin",
            "--storage", "plain-file", "--insecure-storage",
            input=PASSWORD + "\n",
        )  # fmt: skip
        assert login.code == 0, login.err
        self.signed_in.add(account)

    def as_(self, account: str, *args: str, **kw) -> Result:
        """Run a command on the profile signed in as ``account`` (signing in the first time)."""
        if account not in self.signed_in:
            self.sign_in(account)
        return self.runner(*args, "--profile", account, "--insecure-storage", **kw)


@contextlib.contextmanager
def serve_sandbox(folder: Path, runner: Callable[..., Result] = run) -> Iterator[Served]:
    """A fresh sandbox (clock pinned at 26 Nov 2026) served on a free loopback port.

    ``runner`` runs the reset and the commands of the :class:`Served` (the server
    is always its own process): in this interpreter (:func:`run_here`) the reset
    costs ~0.07 s instead of ~0.6 s for a new one.
    """
    db = folder / "sandbox.db"
    reset = runner("sandbox", "reset", "--db", str(db), "--at", PINNED)
    assert reset.code == 0, reset.err
    proc = subprocess.Popen(
        [*mktui_command(), "sandbox", "serve", "--db", str(db), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "listening on" in line, proc.stderr.read()
        url = line.split("listening on ", 1)[1].split()[0]
        _wait_until_accepting(url)
        yield Served(url, db, runner=runner)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_until_accepting(url: str) -> None:
    """The port is bound before uvicorn listens on it: wait until a connection is accepted."""
    import socket
    import time
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    for _ in range(200):
        try:
            socket.create_connection((parts.hostname, parts.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"the sandbox at {url} never accepted a connection")


def add_card(served: Served, account: str, number: str, *, default: bool = True) -> str:
    """Attach a card from standard input; returns its id."""
    args = ["methods", "add", "--holder", "Ana Souza", "--exp", "12/30", "--card-stdin", "--json"]
    if default:
        args.append("--default")
    result = served.as_(account, *args, input=f"{number}\n123\n")
    assert result.code == 0, result.err
    return result.json()["id"]
