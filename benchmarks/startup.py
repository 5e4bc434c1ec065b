"""Start-up time of the console, against a one-line Textual app, in a real pseudo-terminal.

Measures launch → the Financial screen with the account's data visible (the
hub's last line, written after every figure is filled in, appears on the
terminal), median of N runs, for:

- ``mktui --sandbox`` (the in-process sandbox, SQLite under a temp data dir,
  warmed once so the demo data is seeded before timing), and
- ``mktui --profile bench`` with ``MKTUI_TOKEN`` against ``mktui sandbox serve``
  on loopback (a real HTTP server in another process),

each divided by the median of a one-line Textual app that shows a marker. For
scale, it also times ``benchmarks/floor_app.py`` against the same server: the
one-line app plus httpx, pydantic and one GET, the least any console on this
stack does before it can show served data.
Run from the repo root: ``python benchmarks/startup.py [--runs 7]``.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
BASELINE = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class One(App):\n"
    "    def compose(self):\n"
    "        yield Static('BASELINE READY')\n"
    "One().run()\n"
)
FIRST_FRAME = "Payment methods"
"""In the sidebar: on the terminal with the first frame, before any data."""
DEMO_READY = "An invoice is overdue"
"""Written by the Financial hub after every figure is filled in (the demo account is past due)."""


def time_to_marker(
    argv: list[str], marker: str, env: dict[str, str], timeout: float = 60.0
) -> float:
    """Seconds from spawning ``argv`` in an 80×24 pty until ``marker`` is on the screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    seen = b""
    try:
        while True:
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{marker!r} did not appear within {timeout}s: {seen[-400:]!r}")
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                raise RuntimeError(
                    f"the process ended before {marker!r}: {seen[-400:]!r}"
                ) from None
            seen += chunk
            # Textual moves the cursor between runs of text: compare with escapes removed.
            if marker.encode() in ANSI.sub(b"", seen[-20000:]):
                return time.perf_counter() - start
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30.0) -> None:
    """Poll ``url`` until the server answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback only
            return
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error status: the server is up
                return
            time.sleep(0.1)
    raise TimeoutError(f"the sandbox server did not answer at {url}")


def access_token(base: str) -> str:
    """Sign the demo account in over HTTP and return its access token."""
    body = json.dumps({"email": "demo@mkcontroller.test", "password": "sandbox"}).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{base}/v1/auth/token", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return json.load(answer)["access_token"]


def median_of(runs: int, argv: list[str], marker: str, env: dict[str, str]) -> float:
    """The median launch time over ``runs`` runs."""
    return statistics.median(time_to_marker(argv, marker, env) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-served", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mktui-bench-"))
    env = dict(os.environ)
    env.update(
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        HOME=str(work),
        XDG_DATA_HOME=str(work / "data"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_CACHE_HOME=str(work / "cache"),
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    env.pop("MKTUI_TOKEN", None)
    env.pop("TEXTUAL", None)

    baseline_argv = [PYTHON, "-c", BASELINE]
    sandbox_argv = [PYTHON, "-m", "mktui", "--sandbox"]
    time_to_marker(sandbox_argv, DEMO_READY, env)  # first run seeds the sandbox database

    baseline = median_of(args.runs, baseline_argv, "BASELINE READY", env)
    frame = median_of(args.runs, sandbox_argv, FIRST_FRAME, env)
    sandbox = median_of(args.runs, sandbox_argv, DEMO_READY, env)
    print(f"one-line Textual app   median {baseline * 1000:7.0f} ms  ({args.runs} runs)")
    print(
        f"mktui first frame      median {frame * 1000:7.0f} ms  ratio {frame / baseline:.2f}x  (sidebar painted, no data yet)"
    )
    print(
        f"mktui --sandbox        median {sandbox * 1000:7.0f} ms  ratio {sandbox / baseline:.2f}x  (target <= 3.5x)"
    )

    if args.skip_served:
        return 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "mktui",
            "sandbox",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(work / "served.sqlite"),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(f"{base}/v1/prices")
        config_dir = work / "config" / "mktui"
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "config.toml").write_text(
            f'default_profile = "bench"\n\n[profiles.bench]\napi_url = "{base}"\n', encoding="utf-8"
        )
        served_env = dict(env, MKTUI_TOKEN=access_token(base), MKTUI_FLOOR_URL=base)
        served_argv = [PYTHON, "-m", "mktui", "--profile", "bench"]
        served = median_of(args.runs, served_argv, DEMO_READY, served_env)
        print(
            f"mktui against serve    median {served * 1000:7.0f} ms  ratio {served / baseline:.2f}x  (target <= 2.0x)"
        )
        floor_argv = [PYTHON, str(ROOT / "benchmarks" / "floor_app.py")]
        floor = median_of(args.runs, floor_argv, "FLOOR READY", served_env)
        print(
            f"stack floor            median {floor * 1000:7.0f} ms  ratio {floor / baseline:.2f}x  "
            "(Textual + httpx + pydantic + one GET, no mktui: benchmarks/floor_app.py)"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
