"""Fixtures for the sandbox tests: a seeded database per test, an in-process client, sign-in.

Helpers that are not fixtures live in ``tests/sandbox/helpers.py``.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from mktui.sandbox.app import create_app
from tests.sandbox.helpers import T0, sign_in


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
