"""Fixtures for the sandbox tests: a seeded database per test, an in-process client, sign-in."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from mktui.sandbox.app import create_app

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
"""The pinned test clock of every seeded test database (09:00 in São Paulo, a Thursday)."""

PASSWORD = "sandbox"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """One seeded database per session (scrypt and a year of history), copied per test."""
    path = tmp_path_factory.mktemp("template") / "db"
    create_app(path, now=T0)
    # Fold the WAL into the main file so copying that one file copies everything.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def db_path(tmp_path, seeded_template) -> Path:
    """A fresh copy of the seeded database for this test."""
    path = tmp_path / "db"
    shutil.copyfile(seeded_template, path)
    return path


@pytest.fixture
def app(db_path):
    """The sandbox app on this test's database."""
    return create_app(db_path)


@pytest.fixture
def store(app):
    """The app's store (row counts, direct reads)."""
    return app.state.store


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the app in-process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as c:
        yield c


async def sign_in(client: httpx.AsyncClient, who: str) -> dict[str, str]:
    """Authorization headers for ``who@mkcontroller.test``."""
    r = await client.post(
        "/v1/auth/token", json={"email": f"{who}@mkcontroller.test", "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
async def demo(client) -> dict[str, str]:
    """Headers of the past-due demo account."""
    return await sign_in(client, "demo")


@pytest.fixture
async def new(client) -> dict[str, str]:
    """Headers of the inactive account."""
    return await sign_in(client, "new")


@pytest.fixture
async def annual(client) -> dict[str, str]:
    """Headers of the annual-plan account."""
    return await sign_in(client, "annual")


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": uuid.uuid4().hex}


def assert_error(
    response: httpx.Response, status: int, code: str, field: str | None = None
) -> None:
    """The response is the contract's error shape with this status, code and field."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code, body
    assert body["error"]["field"] == field, body
    assert body["error"]["message"]


VISA = "4242 4242 4242 4242"
DECLINED = "4000000000000002"
NO_FUNDS = "4000000000009995"
EXPIRED = "4000000000000069"


async def add_card(
    client: httpx.AsyncClient, headers: dict[str, str], number: str = VISA, *, default: bool = True
) -> dict:
    """Attach a test card; the stored method."""
    r = await client.post(
        "/v1/payment-methods",
        headers=headers,
        json={
            "holder_name": "Test Holder",
            "number": number,
            "exp_month": 12,
            "exp_year": 2030,
            "cvc": "123",
            "make_default": default,
        },
    )
    assert r.status_code == 200, r.text
    return r.json()


async def subscribe(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    plan: str = "monthly",
    devices: int = 10,
    currency: str = "BRL",
    tax_id: str | None = "529.982.247-25",
    number: str = VISA,
) -> httpx.Response:
    """Preview then subscribe the (inactive) account with a new card; the subscribe response."""
    card = await add_card(client, headers, number)
    quote = await client.post(
        "/v1/subscription/preview",
        headers=headers,
        json={"currency": currency, "plan": plan, "devices": devices, "tax_id": tax_id},
    )
    assert quote.status_code == 200, quote.text
    return await client.post(
        "/v1/subscription",
        headers={**headers, **key()},
        json={
            "currency": currency,
            "plan": plan,
            "devices": devices,
            "tax_id": tax_id,
            "payment_method_id": card["id"],
            "expected_total": quote.json()["total"],
        },
    )


async def ledger_rows(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict]:
    """Every ledger row, oldest first."""
    r = await client.get("/v1/ledger?limit=200", headers=headers)
    assert r.status_code == 200
    return list(reversed(r.json()["data"]))


@pytest.fixture
def live_server(app):
    """The app served by a real uvicorn on a loopback port, in a thread; yields the base URL."""
    import socket
    import threading
    import time

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):  # wait for startup (a readiness poll, not a timing assertion)
        if server.started:
            break
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
