"""Invoices: list and filter, pagination, pay (402 recorded, 409 not payable), idempotent replay, receipts."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from mktui.core.dates import format_date
from tests.sandbox.helpers import (
    DECLINED,
    EXPIRED,
    NO_FUNDS,
    add_card,
    assert_error,
    key,
    ledger_rows,
)


async def _past_due(client, demo) -> dict:
    data = (await client.get("/v1/invoices?status=past_due", headers=demo)).json()["data"]
    assert len(data) == 1
    return data[0]


async def test_filter_by_status(client, demo):
    for status, count in (("past_due", 1), ("paid", 12), ("open", 0), ("void", 0)):
        data = (await client.get(f"/v1/invoices?status={status}&limit=200", headers=demo)).json()[
            "data"
        ]
        assert len(data) == count and all(i["status"] == status for i in data)
    r = await client.get("/v1/invoices?status=late", headers=demo)
    assert_error(r, 422, "validation_error", "status")


async def test_cursor_pagination_walks_every_invoice_newest_first(client, demo):
    seen, cursor = [], None
    while True:
        url = "/v1/invoices?limit=5" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=demo)).json()
        assert len(page["data"]) <= 5
        seen += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 13 and len({i["id"] for i in seen}) == 13
    issued = [i["issued_at"] for i in seen]
    assert issued == sorted(issued, reverse=True)


async def test_bad_cursor_and_limits_are_422(client, demo):
    for query, field in (
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=x", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=eyJrIjoibGVkZ2VyIiwicyI6NX0", "cursor"),
    ):
        assert_error(
            await client.get(f"/v1/invoices?{query}", headers=demo), 422, "validation_error", field
        )


async def test_ledger_pages_and_balance(client, demo):
    first = (await client.get("/v1/ledger?limit=3", headers=demo)).json()
    assert len(first["data"]) == 3 and first["next_cursor"]
    second = (
        await client.get(f"/v1/ledger?limit=3&cursor={first['next_cursor']}", headers=demo)
    ).json()
    assert not {r["id"] for r in first["data"]} & {r["id"] for r in second["data"]}
    assert_error(
        await client.get("/v1/ledger?cursor=%%%", headers=demo), 422, "validation_error", "cursor"
    )


async def test_paying_the_past_due_invoice_makes_the_account_active(client, demo):
    invoice = await _past_due(client, demo)
    r = await client.post(f"/v1/invoices/{invoice['id']}/pay", headers={**demo, **key()})
    assert r.status_code == 200, r.text
    paid = r.json()
    assert paid["status"] == "paid" and paid["amount_due"] == 0 and paid["attempts"] == 2
    assert paid["paid_with"] == {"brand": "visa", "last4": "4242"}
    assert (await client.get("/v1/account", headers=demo)).json()["status"] == "active"
    again = await client.post(f"/v1/invoices/{invoice['id']}/pay", headers={**demo, **key()})
    assert_error(again, 409, "invoice_not_payable")


async def test_pay_with_a_named_card(client, demo):
    invoice = await _past_due(client, demo)
    methods = (await client.get("/v1/payment-methods", headers=demo)).json()["data"]
    master = next(m for m in methods if m["brand"] == "mastercard")
    r = await client.post(
        f"/v1/invoices/{invoice['id']}/pay",
        headers={**demo, **key()},
        json={"payment_method_id": master["id"]},
    )
    assert r.status_code == 200 and r.json()["paid_with"]["last4"] == "4444"


async def test_failed_payments_are_recorded_on_the_invoice(client, demo):
    invoice = await _past_due(client, demo)
    for number, code, attempts in (
        (DECLINED, "card_declined", 2),
        (NO_FUNDS, "insufficient_funds", 3),
        (EXPIRED, "expired_card", 4),
    ):
        card = await add_card(client, demo, number, default=False)
        r = await client.post(
            f"/v1/invoices/{invoice['id']}/pay",
            headers={**demo, **key()},
            json={"payment_method_id": card["id"]},
        )
        assert_error(r, 402, code)
        now = (await client.get(f"/v1/invoices/{invoice['id']}", headers=demo)).json()
        assert now["status"] == "past_due" and now["attempts"] == attempts
        assert now["last_failure"]["code"] == code
    assert (await client.get("/v1/account", headers=demo)).json()["status"] == "past_due"
    assert [r["kind"] for r in await ledger_rows(client, demo)].count("payment") == 12


async def test_replayed_key_returns_the_same_invoice_and_charges_once(client, demo, store):
    invoice = await _past_due(client, demo)
    headers = {**demo, "Idempotency-Key": "pay-once"}
    first = await client.post(f"/v1/invoices/{invoice['id']}/pay", headers=headers)
    second = await client.post(f"/v1/invoices/{invoice['id']}/pay", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    with store.read() as conn:
        payments = conn.execute(
            "SELECT count(*) FROM ledger WHERE invoice_id = ? AND kind = 'payment'",
            (invoice["id"],),
        ).fetchone()[0]
    assert payments == 1
    other = await client.post(
        f"/v1/invoices/{invoice['id']}/pay", headers=headers, json={"payment_method_id": "pm_other"}
    )
    assert_error(other, 409, "idempotency_conflict", "Idempotency-Key")


async def test_a_replayed_decline_does_not_count_a_second_attempt(client, demo):
    invoice = await _past_due(client, demo)
    card = await add_card(client, demo, DECLINED, default=False)
    headers = {**demo, "Idempotency-Key": "decline-once"}
    body = {"payment_method_id": card["id"]}
    for _ in range(3):
        assert_error(
            await client.post(f"/v1/invoices/{invoice['id']}/pay", headers=headers, json=body),
            402,
            "card_declined",
        )
    assert (await client.get(f"/v1/invoices/{invoice['id']}", headers=demo)).json()["attempts"] == 2


async def test_keys_are_scoped_per_account(client, demo, new):
    invoice = await _past_due(client, demo)
    r = await client.post(
        f"/v1/invoices/{invoice['id']}/pay", headers={**demo, "Idempotency-Key": "same"}
    )
    assert r.status_code == 200
    # The same key from another account is a different key: its own 404, not demo's replay.
    r = await client.post(
        f"/v1/invoices/{invoice['id']}/pay", headers={**new, "Idempotency-Key": "same"}
    )
    assert_error(r, 404, "not_found")


async def test_pay_refusals(client, demo, new, store):
    invoice = await _past_due(client, demo)
    before = store.counts()
    assert_error(
        await client.post(f"/v1/invoices/{invoice['id']}/pay", headers=demo),
        422,
        "validation_error",
        "Idempotency-Key",
    )
    assert_error(
        await client.post("/v1/invoices/inv_nope/pay", headers={**demo, **key()}), 404, "not_found"
    )
    r = await client.post(
        f"/v1/invoices/{invoice['id']}/pay",
        headers={**demo, **key()},
        json={"payment_method_id": "pm_nope"},
    )
    assert_error(r, 404, "not_found", "payment_method_id")
    r = await client.post(
        f"/v1/invoices/{invoice['id']}/pay",
        headers={**demo, **key()},
        json={"payment_method_id": 5},
    )
    assert_error(r, 422, "validation_error", "payment_method_id")
    assert store.counts() == before
    assert_error(await client.get("/v1/invoices/inv_nope", headers=demo), 404, "not_found")


async def test_receipt_pdf_of_a_paid_invoice(client, demo):
    paid = (await client.get("/v1/invoices?status=paid&limit=1", headers=demo)).json()["data"][0]
    r = await client.get(f"/v1/invoices/{paid['id']}/receipt", headers=demo)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert paid["number"] in r.headers["content-disposition"]
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    for expected in (
        paid["number"],
        "Demo Networks Ltda",
        "11.222.333/0001-81",
        "Visa ending 1881",
        "R$ 129,00",
        format_date(date.fromisoformat(paid["due_date"])),  # 1 Oct 2026: the one date style
        "Monthly plan",
    ):
        assert expected in text, expected


async def test_receipt_unavailable_until_paid(client, demo):
    invoice = await _past_due(client, demo)
    r = await client.get(f"/v1/invoices/{invoice['id']}/receipt", headers=demo)
    assert_error(r, 409, "receipt_unavailable")
    assert_error(await client.get("/v1/invoices/inv_nope/receipt", headers=demo), 404, "not_found")


async def test_receipt_survives_names_outside_latin1(client, demo, store):
    with store.write() as conn:
        conn.execute(
            "UPDATE accounts SET name = 'Łódź Redes 東京 ✓ Ltda' WHERE email = 'demo@mkcontroller.test'"
        )
    # A receipt prints the name in force when it was paid: pay after the rename.
    late = (await client.get("/v1/invoices?status=past_due", headers=demo)).json()["data"][0]
    r = await client.post(f"/v1/invoices/{late['id']}/pay", headers={**demo, **key()}, json={})
    assert r.status_code == 200, r.text
    r = await client.get(f"/v1/invoices/{late['id']}/receipt", headers=demo)
    assert r.status_code == 200
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "Lódz Redes ?? ? Ltda" in text


async def test_keys_expire_after_24_hours(db_path):
    import httpx

    from mktui.sandbox.app import create_app
    from tests.sandbox.helpers import sign_in

    wall = [2_000_000.0]
    app = create_app(db_path, wall_clock=lambda: wall[0], access_ttl=10**6)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        headers = await sign_in(client, "new")
        body = {"name": "Rita", "email": "rita@example.com"}
        k = {"Idempotency-Key": "contact"}
        assert (
            await client.post("/v1/financial-contacts", headers={**headers, **k}, json=body)
        ).status_code == 200
        wall[0] += 24 * 3600 - 1
        other = {"name": "Rui", "email": "rui@example.com"}
        r = await client.post("/v1/financial-contacts", headers={**headers, **k}, json=other)
        assert_error(r, 409, "idempotency_conflict", "Idempotency-Key")
        wall[0] += 2
        r = await client.post("/v1/financial-contacts", headers={**headers, **k}, json=other)
        assert r.status_code == 200 and r.json()["email"] == "rui@example.com"


async def test_a_declined_checkout_replays_and_a_new_card_needs_a_new_key(client, new):
    from tests.sandbox.helpers import DECLINED, VISA

    declined = await add_card(client, new, DECLINED)
    good = await add_card(client, new, VISA, default=False)
    body = {
        "currency": "USD",
        "plan": "monthly",
        "devices": 1,
        "payment_method_id": declined["id"],
        "expected_total": 48,
    }
    headers = {**new, "Idempotency-Key": "checkout-1"}
    first = await client.post("/v1/subscription", headers=headers, json=body)
    assert_error(first, 402, "card_declined")
    replay = await client.post("/v1/subscription", headers=headers, json=body)
    assert replay.json() == first.json() and replay.headers["idempotent-replayed"] == "true"
    assert len((await client.get("/v1/invoices", headers=new)).json()["data"]) == 1
    other = await client.post(
        "/v1/subscription", headers=headers, json={**body, "payment_method_id": good["id"]}
    )
    assert_error(other, 409, "idempotency_conflict", "Idempotency-Key")
    ok = await client.post(
        "/v1/subscription", headers={**new, **key()}, json={**body, "payment_method_id": good["id"]}
    )
    assert ok.status_code == 200 and ok.json()["invoice"]["total"] == 48
