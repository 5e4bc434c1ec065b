"""GET /v1/account, /v1/prices, /v1/subscription and the seeded demo accounts."""

from __future__ import annotations

from tests.sandbox.helpers import T0, assert_error


async def test_demo_account_is_past_due_as_api_md_describes(client, demo):
    acct = (await client.get("/v1/account", headers=demo)).json()
    assert acct["name"] == "Demo Networks Ltda" and acct["email"] == "demo@mkcontroller.test"
    assert acct["status"] == "past_due"
    assert (acct["plan"], acct["currency"], acct["tax_id"]) == ("monthly", "BRL", "11222333000181")
    assert (acct["device_quota"], acct["devices_in_use"], acct["credit_balance"]) == (10, 7, 0)
    assert acct["billing_timezone"] == "America/Sao_Paulo"
    assert acct["now"] == T0.isoformat()
    methods = (await client.get("/v1/payment-methods", headers=demo)).json()["data"]
    assert [(m["brand"], m["last4"], m["is_default"]) for m in methods] == [
        ("visa", "4242", True),
        ("mastercard", "4444", False),
    ]
    assert acct["default_payment_method_id"] == methods[0]["id"]
    contacts = (await client.get("/v1/financial-contacts", headers=demo)).json()["data"]
    assert len(contacts) == 2


async def test_demo_history_is_a_year_of_paid_invoices_and_this_months_failure(client, demo):
    invoices = (await client.get("/v1/invoices?limit=200", headers=demo)).json()["data"]
    assert len(invoices) == 13
    current, *history = invoices
    assert current["status"] == "past_due" and current["due_date"] == "2026-11-01"
    assert current["attempts"] == 1 and current["last_failure"]["code"] == "insufficient_funds"
    assert current["total"] == current["amount_due"] == 12900
    assert all(
        i["status"] == "paid" and i["total"] == 12900 and i["amount_due"] == 0 for i in history
    )
    assert [i["due_date"] for i in history] == [
        f"{y}-{m:02d}-01"
        for y, m in [(2026, m) for m in range(10, 0, -1)] + [(2025, 12), (2025, 11)]
    ]
    # Paid with a card that was removed since: the receipt keeps brand and last 4.
    assert history[0]["paid_with"] == {"brand": "visa", "last4": "1881"}


async def test_annual_account_draws_its_credit_every_month(client, annual):
    acct = (await client.get("/v1/account", headers=annual)).json()
    assert (acct["status"], acct["plan"], acct["device_quota"]) == ("active", "annual", 5)
    rows = (await client.get("/v1/ledger?limit=200", headers=annual)).json()["data"]
    kinds = [r["kind"] for r in reversed(rows)]
    assert kinds[:4] == ["charge", "credit_grant", "credit_use", "payment"]
    assert kinds.count("credit_use") == 6  # July..November 2026 and the activation month
    grant = next(r for r in rows if r["kind"] == "credit_grant")
    assert grant["amount"] == 12 * 1290 * 5
    assert acct["credit_balance"] == grant["amount"] - 6 * 5 * 1290
    assert rows[0]["balance_after"] == acct["credit_balance"]


async def test_new_account_is_inactive_with_nothing(client, new):
    acct = (await client.get("/v1/account", headers=new)).json()
    assert acct["status"] == "inactive" and acct["plan"] is None and acct["device_quota"] == 0
    assert acct["default_payment_method_id"] is None
    assert_error(await client.get("/v1/subscription", headers=new), 404, "not_found")
    for path in ("/v1/payment-methods", "/v1/financial-contacts"):
        assert (await client.get(path, headers=new)).json() == {"data": []}
    for path in ("/v1/invoices", "/v1/ledger"):
        assert (await client.get(path, headers=new)).json() == {"data": [], "next_cursor": None}


async def test_prices_in_minor_units(client, new):
    data = (await client.get("/v1/prices", headers=new)).json()["data"]
    table = {(p["currency"], p["plan"]): p["unit_amount"] for p in data}
    assert table == {
        ("BRL", "monthly"): 1290,
        ("BRL", "annual"): 12900,
        ("USD", "monthly"): 290,
        ("USD", "annual"): 2900,
    }


async def test_subscription_of_the_demo_account(client, demo):
    sub = (await client.get("/v1/subscription", headers=demo)).json()
    assert sub == {
        "plan": "monthly",
        "currency": "BRL",
        "devices": 10,
        "scheduled_devices": None,
        "current_period_start": "2026-11-01",
        "current_period_end": "2026-11-30",
        "status": "past_due",
        "cancel_at": None,
        "scheduled_plan": None,
        "annual_renewal_date": None,
    }
