"""What BillingClient costs per request over bare httpx, on the same in-memory transport.

Prints the ratio (client time / baseline time) for a small GET, a 200-invoice
page and a keyed POST. The baseline is a plain ``httpx.AsyncClient`` that
sends the same request and parses the same body with the same pydantic model;
the difference is the client's own work: auth flow, capped streaming, retry
loop, logging, error mapping, single-flight for keyed requests.

Run: ``/work/venv/bin/python benchmarks/client_overhead.py`` from the repo root.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from mktui.api.auth import TokenHolder  # noqa: E402
from mktui.api.client import BillingClient  # noqa: E402
from mktui.api.models import Account, Invoice, InvoicePage  # noqa: E402

ACCOUNT = {
    "id": "acct_1",
    "name": "Demo Networks Ltda",
    "email": "demo@mkcontroller.test",
    "status": "active",
    "now": "2026-11-26T09:00:00-03:00",
}
INVOICE = {
    "id": "inv_1",
    "number": "MK-000001",
    "status": "paid",
    "period_start": "2026-11-01",
    "period_end": "2026-11-30",
    "issued_at": "2026-11-01T03:00:00Z",
    "due_date": "2026-11-01",
    "lines": [{"description": "10 devices", "quantity": 10, "unit_amount": 1290, "amount": 12900}],
    "subtotal": 12900,
    "credit_applied": 0,
    "total": 12900,
    "amount_due": 0,
    "currency": "BRL",
    "attempts": 1,
}
BODIES = {
    "/v1/account": json.dumps(ACCOUNT).encode(),
    "/v1/invoices": json.dumps(
        {"data": [dict(INVOICE, id=f"inv_{n}") for n in range(200)], "next_cursor": None}
    ).encode(),
    "/v1/invoices/inv_1/pay": json.dumps(INVOICE).encode(),
}


def server(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, content=BODIES[request.url.path], headers={"content-type": "application/json"}
    )


async def timed(make_call, rounds: int) -> float:
    """The median of five runs of ``rounds`` calls, in seconds per call."""
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            await make_call()
        runs.append((time.perf_counter() - started) / rounds)
    return statistics.median(runs)


async def main() -> None:
    transport = httpx.MockTransport(server)
    bare = httpx.AsyncClient(base_url="https://billing.test", transport=transport)
    headers = {"Authorization": "Bearer token"}
    client = BillingClient(
        "https://billing.test", transport=transport, tokens=TokenHolder("token", "refresh")
    )
    cases = {
        "GET /v1/account": (
            lambda: bare.get("/v1/account", headers=headers),
            Account,
            client.account,
            2000,
        ),
        "GET /v1/invoices (200 rows)": (
            lambda: bare.get("/v1/invoices", headers=headers, params={"limit": 200}),
            InvoicePage,
            lambda: client.invoices(limit=200),
            100,
        ),
        "POST /v1/invoices/…/pay (keyed)": (
            lambda: bare.post(
                "/v1/invoices/inv_1/pay", headers={**headers, "Idempotency-Key": "k"}, json={}
            ),
            Invoice,
            lambda: client.pay_invoice("inv_1", idempotency_key="k"),
            2000,
        ),
    }
    print(f"{'request':34} {'httpx µs':>10} {'client µs':>10} {'ratio':>7}")
    for name, (send_bare, model, send_client, rounds) in cases.items():

        async def baseline(send=send_bare, model=model):
            model.model_validate_json((await send()).content)

        base = await timed(baseline, rounds)
        ours = await timed(send_client, rounds)
        print(f"{name:34} {base * 1e6:10.0f} {ours * 1e6:10.0f} {ours / base:7.2f}")
    await bare.aclose()
    await client.aclose()


if __name__ == "__main__":
    asyncio.run(main())
