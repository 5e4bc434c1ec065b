"""Preview, subscribe and change devices: amounts from pricing, expected_total, 402 creates nothing."""

from __future__ import annotations

from tests.sandbox.helpers import (
    DECLINED,
    add_card,
    assert_error,
    key,
    ledger_rows,
    subscribe,
)


async def test_preview_new_monthly_subscription_is_pro_rated(client, new):
    r = await client.post(
        "/v1/subscription/preview",
        headers=new,
        json={"currency": "BRL", "plan": "monthly", "devices": 10, "tax_id": "52998224725"},
    )
    assert r.status_code == 200, r.text
    p = r.json()
    # 26 November in São Paulo: R = 5 of D = 30 days; 10 × 12.90 × 5/30 = 21.50.
    assert p["lines"] == [
        {
            "description": "Monthly plan, 26–30 Nov 2026",
            "quantity": 10,
            "unit_amount": 1290,
            "days": 5,
            "days_in_period": 30,
            "amount": 2150,
        }
    ]
    assert (p["subtotal"], p["credit_applied"], p["total"]) == (2150, 0, 2150)
    assert (p["next_renewal_date"], p["next_renewal_amount"]) == ("2026-12-01", 12900)
    assert (p["period_start"], p["period_end"], p["effective"]) == (
        "2026-11-26",
        "2026-11-30",
        "2026-11-26",
    )


async def test_preview_at_a_later_date(client, new):
    r = await client.post(
        "/v1/subscription/preview",
        headers=new,
        json={"currency": "USD", "plan": "monthly", "devices": 3, "at": "2026-12-01"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 3 * 290  # the 1st bills a whole month


async def test_preview_refusals_name_the_field(client, new, store):
    before = store.counts()
    cases = [
        ({"plan": "monthly", "devices": 1}, "currency"),
        ({"currency": "BRL", "devices": 1, "tax_id": "52998224725"}, "plan"),
        ({"currency": "BRL", "plan": "monthly", "devices": 1}, "tax_id"),
        (
            {"currency": "BRL", "plan": "monthly", "devices": 1, "tax_id": "123.456.789-00"},
            "tax_id",
        ),
        (
            {"currency": "BRL", "plan": "monthly", "devices": 1, "tax_id": "111.111.111-11"},
            "tax_id",
        ),
        ({"currency": "USD", "plan": "monthly", "devices": 1, "tax_id": "52998224725"}, "tax_id"),
        ({"currency": "USD", "plan": "monthly", "devices": 1, "at": "2026-11-25"}, "at"),
        ({"currency": "USD", "plan": "monthly", "devices": 0}, "devices"),
        ({"currency": "USD", "plan": "monthly", "devices": -3}, "devices"),
        ({"currency": "USD", "plan": "monthly", "devices": 100_001}, "devices"),
        ({"currency": "EUR", "plan": "monthly", "devices": 1}, "currency"),
        ({"currency": "USD", "plan": "weekly", "devices": 1}, "plan"),
        ({"currency": "USD", "plan": "monthly", "devices": "3"}, "devices"),
    ]
    for body, field in cases:
        r = await client.post("/v1/subscription/preview", headers=new, json=body)
        assert_error(r, 422, "validation_error", field)
    assert store.counts() == before


async def test_subscribe_monthly_activates_at_once(client, new):
    r = await subscribe(client, new)
    assert r.status_code == 200, r.text
    result = r.json()
    invoice = result["invoice"]
    assert (invoice["status"], invoice["total"], invoice["amount_due"]) == ("paid", 2150, 0)
    assert invoice["paid_with"] == {"brand": "visa", "last4": "4242"} and invoice["attempts"] == 1
    assert invoice["due_date"] == "2026-11-26"
    assert result["subscription"]["devices"] == 10 and result["subscription"]["status"] == "active"
    acct = (await client.get("/v1/account", headers=new)).json()
    assert (acct["status"], acct["device_quota"], acct["tax_id"]) == ("active", 10, "52998224725")
    assert [(r["kind"], r["amount"]) for r in await ledger_rows(client, new)] == [
        ("charge", 2150),
        ("payment", 2150),
    ]


async def test_subscribe_usd_needs_no_tax_id(client, new):
    r = await subscribe(client, new, currency="USD", tax_id=None, devices=2)
    assert r.status_code == 200, r.text
    assert r.json()["invoice"]["total"] == 97  # 2 × 2.90 × 5/30 = 0.9666… → 0.97


async def test_subscribe_annual_charges_the_year_and_grants_credit(client, new):
    r = await subscribe(client, new, plan="annual", devices=4)
    assert r.status_code == 200, r.text
    invoice = r.json()["invoice"]
    # 4 × 129.00 charged; 12 × 12.90 × 4 granted; the first 5/30 month (8.60) drawn from it.
    assert invoice["total"] == 4 * 12900
    assert invoice["credit_granted"] == 12 * 1290 * 4
    assert invoice["credit_applied"] == 860
    acct = (await client.get("/v1/account", headers=new)).json()
    assert acct["credit_balance"] == 12 * 1290 * 4 - 860
    rows = await ledger_rows(client, new)
    assert [(r["kind"], r["amount"], r["balance_after"]) for r in rows] == [
        ("charge", 51600, 0),
        ("credit_grant", 61920, 61920),
        ("credit_use", -860, 61060),
        ("payment", 51600, 61060),
    ]


async def test_subscribe_with_a_stale_total_is_409_price_changed_and_writes_nothing(
    client, new, store
):
    card = await add_card(client, new)
    before = store.counts()
    r = await client.post(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "currency": "BRL",
            "plan": "monthly",
            "devices": 10,
            "tax_id": "52998224725",
            "payment_method_id": card["id"],
            "expected_total": 2100,
        },
    )
    assert_error(r, 409, "price_changed", "expected_total")
    assert "R$" in r.json()["error"]["message"] or "21.50" in r.json()["error"]["message"]
    assert store.counts() == before


async def test_declined_checkout_creates_nothing_and_another_card_works(client, new, store):
    r = await subscribe(client, new, number=DECLINED)
    assert_error(r, 402, "card_declined")
    acct = (await client.get("/v1/account", headers=new)).json()
    assert acct["status"] == "inactive" and acct["device_quota"] == 0
    assert_error(await client.get("/v1/subscription", headers=new), 404, "not_found")
    assert await ledger_rows(client, new) == []
    voided = (await client.get("/v1/invoices", headers=new)).json()["data"]
    assert [(i["status"], i["attempts"], i["last_failure"]["code"]) for i in voided] == [
        ("void", 1, "card_declined")
    ]
    again = await subscribe(client, new)
    assert again.status_code == 200, again.text
    assert (await client.get("/v1/account", headers=new)).json()["status"] == "active"


async def test_subscribe_refusals(client, new, demo, store):
    card = await add_card(client, new)
    body = {
        "currency": "BRL",
        "plan": "monthly",
        "devices": 10,
        "tax_id": "52998224725",
        "payment_method_id": card["id"],
        "expected_total": 2150,
    }
    before = store.counts()
    r = await client.post("/v1/subscription", headers=new, json=body)
    assert_error(r, 422, "validation_error", "Idempotency-Key")
    r = await client.post("/v1/subscription", headers={**new, "Idempotency-Key": ""}, json=body)
    assert_error(r, 422, "validation_error", "Idempotency-Key")
    r = await client.post(
        "/v1/subscription", headers={**new, "Idempotency-Key": "x" * 256}, json=body
    )
    assert_error(r, 422, "validation_error", "Idempotency-Key")
    r = await client.post(
        "/v1/subscription", headers={**new, **key()}, json={**body, "payment_method_id": "pm_nope"}
    )
    assert_error(r, 404, "not_found", "payment_method_id")
    r = await client.post(
        "/v1/subscription", headers={**new, **key()}, json={**body, "tax_id": "11.222.333/0001-00"}
    )
    assert_error(r, 422, "validation_error", "tax_id")
    r = await client.post(
        "/v1/subscription", headers={**new, **key()}, json={**body, "expected_total": 21.5}
    )
    assert_error(r, 422, "validation_error", "expected_total")
    r = await client.post(
        "/v1/subscription", headers={**new, **key()}, json={**body, "surprise": 1}
    )
    assert_error(r, 422, "validation_error", "surprise")
    assert store.counts() == before
    # The demo account has a subscription already.
    demo_card = (await client.get("/v1/payment-methods", headers=demo)).json()["data"][0]
    r = await client.post(
        "/v1/subscription",
        headers={**demo, **key()},
        json={**body, "payment_method_id": demo_card["id"]},
    )
    assert_error(r, 409, "conflict")


async def test_more_devices_charges_pro_rata_and_raises_the_quota_at_once(client, new):
    assert (await subscribe(client, new)).status_code == 200
    quote = (
        await client.post("/v1/subscription/preview", headers=new, json={"devices": 12})
    ).json()
    assert quote["total"] == 430  # 2 × 12.90 × 5/30
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 12, "expected_total": 430}
    )
    assert r.status_code == 200, r.text
    assert r.json()["invoice"]["total"] == 430 and r.json()["invoice"]["status"] == "paid"
    assert r.json()["subscription"]["devices"] == 12
    assert (await client.get("/v1/account", headers=new)).json()["device_quota"] == 12


async def test_fewer_devices_are_scheduled_for_the_next_first(client, new):
    assert (await subscribe(client, new)).status_code == 200
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 4, "expected_total": 0}
    )
    assert r.status_code == 200, r.text
    assert r.json()["invoice"] is None
    assert (r.json()["subscription"]["devices"], r.json()["subscription"]["scheduled_devices"]) == (
        10,
        4,
    )
    assert len((await client.get("/v1/invoices", headers=new)).json()["data"]) == 1


async def test_change_refusals(client, new, demo, store):
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 4, "expected_total": 0}
    )
    assert_error(r, 404, "not_found")
    before = store.counts()
    r = await client.patch(
        "/v1/subscription", headers={**demo, **key()}, json={"devices": 6, "expected_total": 0}
    )
    assert_error(r, 422, "validation_error", "devices")  # 7 devices are in use
    r = await client.patch(
        "/v1/subscription", headers={**demo, **key()}, json={"devices": 10, "expected_total": 0}
    )
    assert_error(r, 422, "validation_error", "devices")  # the same number: nothing to change
    r = await client.patch(
        "/v1/subscription", headers={**demo, **key()}, json={"devices": 11, "expected_total": 1}
    )
    assert_error(r, 409, "price_changed", "expected_total")
    r = await client.patch(
        "/v1/subscription", headers=demo, json={"devices": 11, "expected_total": 215}
    )
    assert_error(r, 422, "validation_error", "Idempotency-Key")
    assert store.counts() == before


async def test_declined_increase_changes_nothing(client, new):
    assert (await subscribe(client, new)).status_code == 200
    declined = await add_card(client, new, DECLINED, default=True)
    assert declined["is_default"]
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 11, "expected_total": 215}
    )
    assert_error(r, 402, "card_declined")
    assert (await client.get("/v1/subscription", headers=new)).json()["devices"] == 10
    latest = (await client.get("/v1/invoices", headers=new)).json()["data"][0]
    assert latest["status"] == "void" and latest["total"] == 215
    assert [r["kind"] for r in await ledger_rows(client, new)] == ["charge", "payment"]


async def test_annual_increase_is_drawn_from_credit_before_any_card(client, annual):
    before = (await client.get("/v1/account", headers=annual)).json()["credit_balance"]
    quote = (
        await client.post("/v1/subscription/preview", headers=annual, json={"devices": 8})
    ).json()
    assert quote["credit_applied"] == 3 * 1290 * 5 // 30 and quote["total"] == 0
    r = await client.patch(
        "/v1/subscription", headers={**annual, **key()}, json={"devices": 8, "expected_total": 0}
    )
    assert r.status_code == 200, r.text
    invoice = r.json()["invoice"]
    assert invoice["status"] == "paid" and invoice["paid_with"] is None and invoice["attempts"] == 0
    after = (await client.get("/v1/account", headers=annual)).json()["credit_balance"]
    assert before - after == 645
    assert (await ledger_rows(client, annual))[-1]["kind"] == "credit_use"


async def test_a_scheduled_decrease_can_be_cancelled(client, new):
    assert (await subscribe(client, new)).status_code == 200
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 4, "expected_total": 0}
    )
    assert r.json()["subscription"]["scheduled_devices"] == 4
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 10, "expected_total": 5}
    )
    assert_error(r, 409, "price_changed", "expected_total")
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 10, "expected_total": 0}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "subscription": {**r.json()["subscription"], "devices": 10, "scheduled_devices": None},
        "invoice": None,
    }
