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
