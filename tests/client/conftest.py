"""Fixtures for the billing client: scripted transports, a sleep that records, test secrets."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

from mktui.api.auth import TokenHolder
from mktui.api.client import BillingClient
from mktui.api.retry import RetryPolicy

BASE = "https://billing.test"
# Distinctive values so a leak is found by a plain substring search.
ACCESS = "acc-9f8e7d6c5b4a-LEAKCHECK"
REFRESH = "ref-1a2b3c4d5e6f-LEAKCHECK"
NEW_ACCESS = "acc-NEW-0011223344-LEAKCHECK"
NEW_REFRESH = "ref-NEW-5566778899-LEAKCHECK"
PASSWORD = "pw-Tr0ub4dor&3-LEAKCHECK"
CARD = "4242424242424242"
CVC = "987"
SECRETS = (ACCESS, REFRESH, NEW_ACCESS, NEW_REFRESH, PASSWORD, CARD)

ACCOUNT = {
    "id": "acct_1",
    "name": "Demo Networks Ltda",
    "email": "demo@mkcontroller.test",
    "status": "active",
    "plan": "monthly",
    "currency": "BRL",
    "now": "2026-11-26T09:00:00-03:00",
}
TOKENS = {
    "access_token": NEW_ACCESS,
    "refresh_token": NEW_REFRESH,
    "token_type": "bearer",
    "expires_in": 900,
}


def error(status: int, code: str, message: str = "Refused.", field: str | None = None, **kw):
    """A response in the contract's error shape."""
    body = {"error": {"code": code, "message": message, "field": field}}
    return httpx.Response(status, json=body, **kw)


@dataclass
class Script:
    """A transport that answers from a list (responses or exceptions) and keeps what it was sent."""

    steps: list[httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A snapshot: httpx's auth flow re-sends the same Request object with new headers.
        self.requests.append(
            httpx.Request(
                request.method, request.url, headers=request.headers.copy(), content=request.content
            )
        )
        if not self.steps:
            raise AssertionError(f"unexpected extra request {request.method} {request.url}")
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        if callable(step) and not isinstance(step, httpx.Response):
            return step(request)
        return step

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def bodies(self) -> list[bytes]:
        return [r.content for r in self.requests]


@pytest.fixture
def sleeps() -> list[float]:
    """The waits the client asked for, in order (nobody actually sleeps)."""
    return []


@pytest.fixture
async def make_client(sleeps):
    """Build a client over a scripted transport, signed in with the test tokens."""
    made: list[BillingClient] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def factory(
        script: Script | httpx.AsyncBaseTransport,
        *,
        tokens: TokenHolder | None = None,
        max_retries: int = 3,
    ) -> BillingClient:
        transport = script.transport if isinstance(script, Script) else script
        client = BillingClient(
            BASE,
            transport=transport,
            tokens=tokens if tokens is not None else TokenHolder(ACCESS, REFRESH),
            sleep=fake_sleep,
            retry_policy=RetryPolicy(max_retries=max_retries, jitter=lambda: 0.5),
        )
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


def json_response(payload, status: int = 200, **kw) -> httpx.Response:
    """A JSON answer, encoded as the server would."""
    return httpx.Response(
        status,
        content=json.dumps(payload).encode(),
        headers={"content-type": "application/json"},
        **kw,
    )
