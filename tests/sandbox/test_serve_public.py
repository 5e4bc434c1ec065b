"""``mktui sandbox serve`` beyond loopback, X-Forwarded-For, and "listening on" when it is."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from mktui.sandbox.app import create_app
from mktui.sandbox.serving import ReadyServer, server_config

ROOT = Path(__file__).resolve().parents[2]


def _serve(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mktui",
            "sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "db"),
            *args,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_non_loopback_host_needs_public(tmp_path):
    proc = _serve(tmp_path, "--host", "0.0.0.0")  # noqa: S104 - the refusal is the point
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "--public" in err
    assert "listening" not in out


def test_public_prints_a_token_that_guards_the_clock_and_listens_when_it_says_so(tmp_path):
    proc = _serve(tmp_path, "--host", "0.0.0.0", "--public")  # noqa: S104
    try:
        listening = proc.stdout.readline()
        assert "listening on http://0.0.0.0:" in listening, proc.stderr.read()
        port = int(listening.split("http://0.0.0.0:")[1].split(" ")[0])
        token_line = proc.stdout.readline()
        token = token_line.rsplit(" ", 1)[1].strip()
        assert "X-Sandbox-Token" in token_line and len(token) >= 24
        # Said only once the socket accepts: the very first request, without a retry, works.
        base = f"http://127.0.0.1:{port}"
        r = httpx.post(f"{base}/sandbox/clock", json={"now": "2040-01-01T00:00:00+00:00"})
        assert r.status_code == 401
        assert r.json()["error"]["field"] == "X-Sandbox-Token"
        r = httpx.get(f"{base}/sandbox/clock", headers={"X-Sandbox-Token": token})
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_listening_is_printed_only_after_the_socket_accepts(tmp_path):
    proc = _serve(tmp_path)
    try:
        line = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, proc.stderr.read()
        port = int(line.split("127.0.0.1:")[1].split(" ")[0])
        # No readiness poll: the line itself is the promise.
        assert httpx.get(f"http://127.0.0.1:{port}/sandbox/clock", timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def served(db_path):
    """Serve an app with a 2-requests-a-minute limit; yields (start(proxy) -> base URL)."""
    servers = []

    def start(proxy: str | None) -> str:
        app = create_app(db_path, rate_limit=2)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        ready = threading.Event()
        server = ReadyServer(server_config(app, proxy=proxy), ready.set)
        threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
        assert ready.wait(30)
        servers.append((server, sock))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for server, sock in servers:
        server.should_exit = True
        time.sleep(0.2)
        sock.close()


def _clock_statuses(base: str) -> list[int]:
    return [
        httpx.get(
            f"{base}/sandbox/clock", headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(4)
    ]


def test_x_forwarded_for_is_ignored_without_proxy(served):
    # Four different claimed addresses from one real one: still one budget of 2.
    assert _clock_statuses(served(None)) == [200, 200, 429, 429]


def test_x_forwarded_for_is_believed_from_the_named_proxy(served):
    assert _clock_statuses(served("127.0.0.1")) == [200, 200, 200, 200]
