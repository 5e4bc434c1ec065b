"""RSS idle of the console against a server, next to ``--sandbox``, in the same run.

``scale.py`` measures ``mktui --sandbox`` (the issue's target), which holds the
sandbox in process. An admin's console points a profile at a server instead:
it holds no sandbox, but it reads its sign-in from a credential store, which
probes the system keyring (keyring loads every installed backend) and speaks
real HTTP. This starts ``mktui sandbox serve`` on a loopback port, signs a
profile in with a plain-file store (the only one that works unattended on a
machine with no keyring), then reads the RSS of the console idle on the hub for
that profile and for ``--sandbox`` on the same database, and prints both with
the modules the served console loads that ``--sandbox`` does not (counted per
top-level package). Run from the repo root: ``python benchmarks/served_rss.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402 - the pty and the cached databases of the scale benchmark

DUMP = (
    "import os, signal, sys\n"
    "signal.signal(signal.SIGUSR1, lambda *_: open(os.environ['MKTUI_MODULES'], 'w')"
    ".write('\\n'.join(sorted(sys.modules))))\n"
)
"""A sitecustomize that writes the loaded modules' names when sent SIGUSR1."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def idle(argv: list[str], env: dict[str, str], modules: Path) -> float:
    """RSS of the console idle on the hub, MiB; its modules written to ``modules``."""
    term = scale.Term([scale.PYTHON, "-m", "mktui", *argv], dict(env, MKTUI_MODULES=str(modules)))
    try:
        term.wait_for("An invoice is overdue")
        term.settle(2.0)
        rss = term.rss_mib()
        os.kill(term.proc.pid, signal.SIGUSR1)
        time.sleep(0.5)
        return rss
    finally:
        term.close()


def main() -> int:
    db = scale.database(100)
    work = Path(tempfile.mkdtemp(prefix="mktui-served-"))
    (work / "sitecustomize.py").write_text(DUMP)
    env = dict(scale.env_for(db), PYTHONPATH=str(work))
    port = free_port()
    server = subprocess.Popen(
        [scale.PYTHON, "-m", "mktui", "sandbox", "serve", "--port", str(port), "--db", str(db)],
        env=scale.env_for(db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        login = subprocess.run(
            [scale.PYTHON, "-m", "mktui", "login", "--profile", "served",
             "--api-url", f"http://127.0.0.1:{port}", "--email", "demo@mkcontroller.test",
             "--password-stdin", "--storage", "plain-file", "--insecure-storage",
             "--locale", "en_US"],
            input="sandbox\n", env=scale.env_for(db), capture_output=True, text=True,
        )  # fmt: skip
        if login.returncode:
            print(login.stderr, file=sys.stderr)
            shutil.rmtree(work, ignore_errors=True)
            return 1
        served = idle(["--profile", "served", "--insecure-storage"], env, work / "served.txt")
        embedded = idle(["--sandbox"], env, work / "sandbox.txt")
    finally:
        server.terminate()
        server.wait()
    try:
        report(served, embedded, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(served: float, embedded: float, work: Path) -> None:
    """Print both figures and the packages each console loads that the other does not."""
    print(f"RSS idle on the hub, against a served sandbox (a profile): {served:.1f} MiB")
    print(f"RSS idle on the hub, --sandbox (in process):              {embedded:.1f} MiB")
    mine = set((work / "served.txt").read_text().split())
    theirs = set((work / "sandbox.txt").read_text().split())
    only = Counter(name.split(".")[0] for name in mine - theirs)
    print("loaded only against the server (modules per package):")
    print("  " + ", ".join(f"{pkg} {n}" for pkg, n in only.most_common()))
    gone = Counter(name.split(".")[0] for name in theirs - mine)
    print("loaded only with --sandbox:")
    print("  " + ", ".join(f"{pkg} {n}" for pkg, n in gone.most_common(12)))


if __name__ == "__main__":
    sys.exit(main())
