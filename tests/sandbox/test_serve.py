"""``python -m mktui sandbox serve`` as a real process on loopback: sign in, subscribe, pay."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_over_http(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mktui",
            "sandbox",
            "serve",
            "--port",
            str(port),
            "--db",
            str(tmp_path / "db"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # readiness poll (not a timing assertion)
            if proc.poll() is not None:
                raise AssertionError(f"serve exited: {proc.stderr.read()}")
            try:
                if httpx.get(f"{base}/sandbox/clock", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=30) as client:
            tokens = client.post(
                "/v1/auth/token", json={"email": "new@mkcontroller.test", "password": "sandbox"}
            )
            assert tokens.status_code == 200
            h = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
            card = client.post(
                "/v1/payment-methods",
                headers=h,
                json={
                    "holder_name": "New",
                    "number": "4242424242424242",
                    "exp_month": 1,
                    "exp_year": 2099,
                    "cvc": "123",
                },
            ).json()
            quote = client.post(
                "/v1/subscription/preview",
                headers=h,
                json={"currency": "USD", "plan": "monthly", "devices": 2},
            ).json()
            r = client.post(
                "/v1/subscription",
                headers={**h, "Idempotency-Key": uuid.uuid4().hex},
                json={
                    "currency": "USD",
                    "plan": "monthly",
                    "devices": 2,
                    "payment_method_id": card["id"],
                    "expected_total": quote["total"],
                },
            )
            assert r.status_code == 200 and r.json()["invoice"]["status"] == "paid"
            assert client.get("/v1/account", headers=h).json()["status"] == "active"

            demo = client.post(
                "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "sandbox"}
            )
            h = {"Authorization": f"Bearer {demo.json()['access_token']}"}
            late = client.get("/v1/invoices?status=past_due", headers=h).json()["data"][0]
            paid = client.post(
                f"/v1/invoices/{late['id']}/pay", headers={**h, "Idempotency-Key": "k"}
            )
            assert paid.status_code == 200 and paid.json()["status"] == "paid"
            assert client.get("/v1/account", headers=h).json()["status"] == "active"
            receipt = client.get(f"/v1/invoices/{late['id']}/receipt", headers=h)
            assert receipt.content.startswith(b"%PDF")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert f"listening on http://127.0.0.1:{port}" in out
    assert "Traceback" not in err


def test_serve_reports_a_taken_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "mktui",
                "sandbox",
                "serve",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "db"),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 1
    assert "cannot listen" in out.stderr and "listening on" not in out.stdout


async def test_served_connections_turn_nagle_off():
    """Without TCP_NODELAY each keep-alive response waited ~40 ms for a delayed ACK."""
    import asyncio

    from mktui.sandbox.commands import tcp_socket

    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport):
            sock = transport.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    sock = tcp_socket("127.0.0.1")
    sock.bind(("127.0.0.1", 0))
    server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
    async with server:
        _, writer = await asyncio.open_connection(*sock.getsockname())
        assert await asyncio.wait_for(accepted, 10) != 0
        writer.close()


def test_ctrl_c_stops_serve_with_one_line(tmp_path):
    import signal
    import time

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mktui.cli.main",
            "sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "s.sqlite"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        assert "listening on" in first
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert out.strip() == "mktui sandbox stopped."
