"""Helpers shared by the sandbox tests: the pinned clock, sign-in, cards, subscribing, error checks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
"""The pinned test clock of every seeded test database (09:00 in São Paulo, a Thursday)."""

PASSWORD = "sandbox"


async def sign_in(client: httpx.AsyncClient, who: str) -> dict[str, str]:
    """Authorization headers for ``who@mkcontroller.test``."""
    r = await client.post(
        "/v1/auth/token", json={"email": f"{who}@mkcontroller.test", "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


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
    # A price change carries the new preview beside the usual three (api.md, Additions).
    extra = {"preview"} if code == "price_changed" else set()
    assert set(body["error"]) - extra == {"code", "message", "field"}
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
            "expected_quote": quote.json()["quote"],
        },
    )


async def ledger_rows(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict]:
    """Every ledger row, oldest first."""
    r = await client.get("/v1/ledger?limit=200", headers=headers)
    assert r.status_code == 200
    return list(reversed(r.json()["data"]))
