"""Twenty concurrent payments of one invoice over real HTTP end with exactly one payment."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from mktui.sandbox import cards
from tests.sandbox.helpers import assert_error


@pytest.fixture(autouse=True)
def slow_card_network(monkeypatch):
    """Each charge takes a while, as a real card network does: races get a window to happen."""
    real = cards.charge_outcome

    def slow(*args, **kwargs):
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(cards, "charge_outcome", slow)


async def _setup(base: str) -> tuple[dict[str, str], str]:
    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.post(
            "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "sandbox"}
        )
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        late = (await client.get("/v1/invoices?status=past_due", headers=headers)).json()["data"]
        return headers, late[0]["id"]


async def _storm(
    base: str, headers: dict[str, str], invoice_id: str, keys: list[str]
) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(keys), max_keepalive_connections=len(keys))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        return await asyncio.gather(
            *[
                client.post(
                    f"/v1/invoices/{invoice_id}/pay", headers={**headers, "Idempotency-Key": k}
                )
                for k in keys
            ]
        )


def _payments(store, invoice_id: str) -> int:
    with store.read() as conn:
        return conn.execute(
            "SELECT count(*) FROM ledger WHERE invoice_id = ? AND kind = 'payment'", (invoice_id,)
        ).fetchone()[0]


async def test_twenty_concurrent_payments_with_one_key_pay_once(live_server, store):
    headers, invoice_id = await _setup(live_server)
    responses = await _storm(live_server, headers, invoice_id, ["same-key"] * 20)
    assert [r.status_code for r in responses] == [200] * 20
    assert len({r.text for r in responses}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in responses) == 19
    assert _payments(store, invoice_id) == 1


async def test_twenty_concurrent_payments_with_different_keys_pay_once(live_server, store):
    headers, invoice_id = await _setup(live_server)
    responses = await _storm(live_server, headers, invoice_id, [f"key-{n}" for n in range(20)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19
    for r in responses:
        if r.status_code == 409:
            assert_error(r, 409, "invoice_not_payable")
    assert _payments(store, invoice_id) == 1
    with store.read() as conn:
        attempts = conn.execute(
            "SELECT attempts FROM invoices WHERE id = ?", (invoice_id,)
        ).fetchone()[0]
    assert attempts == 2  # the seeded failure and the one successful charge
