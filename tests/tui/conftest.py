"""Fixtures for the console tests: the real app on the real sandbox, in process, at a fixed time.

The sandbox (``create_app``) runs under ``httpx.ASGITransport`` with its test
clock pinned, so previews, due dates and snapshots never depend on today.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from rich.console import Console

from mktui.api.client import SANDBOX_URL, BillingClient
from mktui.core import i18n
from mktui.tui.app import MkApp
from mktui.tui.services.session import ConsoleOptions

FROZEN_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
"""Thursday 26 November 2026, 09:00 in São Paulo: 5 of 30 days left in the month."""


@pytest.fixture
def sandbox_app(tmp_path):
    """The sandbox server (a FastAPI app) with its own SQLite file and a pinned clock."""
    from mktui.sandbox.app import create_app

    return create_app(tmp_path / "sandbox.sqlite", now=FROZEN_NOW)


class Gate(httpx.AsyncBaseTransport):
    """Holds ``POST /v1/subscription`` until opened, and counts how often it was sent."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.open = asyncio.Event()
        self.open.set()
        self.subscribe_keys: list[str] = []
        self.lose_answers = False
        """When set, the server gets every subscribe request but its answer is lost on the way."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/v1/subscription":
            self.subscribe_keys.append(request.headers.get("Idempotency-Key", ""))
            await self.open.wait()
            if self.lose_answers:
                await self.inner.handle_async_request(request)
                raise httpx.ReadError("the connection dropped", request=request)
        return await self.inner.handle_async_request(request)


async def _instant(seconds: float) -> None:
    """Retries in tests do not wait."""


@pytest.fixture
def gate(sandbox_app) -> Gate:
    """The console's transport to the sandbox, able to hold a payment in flight."""
    return Gate(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))


@pytest.fixture
def client_factory(sandbox_app) -> Callable[..., BillingClient]:
    """Builds clients of that sandbox (for the test's own checks)."""

    def make(api_url: str | None = None, tokens=None) -> BillingClient:
        transport = httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False)
        return BillingClient(
            SANDBOX_URL, transport=transport, tokens=tokens, allow_insecure_http=True
        )

    return make


@pytest.fixture
def make_app(gate) -> Callable[..., MkApp]:
    """``make_app("new")``: the console signed in as a sandbox account; ``make_app(None)``: Sign in."""

    def factory(api_url: str | None = None, tokens=None) -> BillingClient:
        return BillingClient(
            SANDBOX_URL, transport=gate, tokens=tokens, allow_insecure_http=True, sleep=_instant
        )

    def make(account: str | None = "demo") -> MkApp:
        options = ConsoleOptions(sandbox=account is not None, sandbox_account=account or "demo")
        return MkApp(options, client_factory=factory)

    return make


@pytest.fixture
async def api(client_factory):
    """Sign a test-side client in as a sandbox account: ``await api("new")``."""
    clients: list[BillingClient] = []

    async def sign_in(account: str) -> BillingClient:
        client = client_factory()
        clients.append(client)
        await client.sign_in(f"{account}@mkcontroller.test", "sandbox")
        return client

    yield sign_in
    for client in clients:
        await client.aclose()


async def settle(pilot, rounds: int = 6) -> None:
    """Wait until no worker runs and the screen has refreshed (workers may start workers)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerFailed:
            pass  # reported by the app (toast or modal); the test asserts on what shows
        except WorkerCancelled:
            pass  # an exclusive worker replaced by a newer one (a poll under load): wait again
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in pilot.app.workers):
                return


def screen_text(app: MkApp) -> str:
    """What a person sees on the terminal, as plain text."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, color_system=None
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


def footer_line(app: MkApp) -> str:
    """The footer's line as drawn: the terminal's last line (the keys offered now)."""
    return screen_text(app).rstrip("\n").splitlines()[-1]


@pytest.fixture
def speak():
    """``speak("pt_BR")`` switches the console's language for one test; English after."""
    yield i18n.use
    i18n.use("en")
