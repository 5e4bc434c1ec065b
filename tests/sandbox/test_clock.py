"""The test clock: renewals on each 1st, past due, suspension after 30 days, credit before cards."""

from __future__ import annotations

from tests.sandbox.helpers import DECLINED, T0, add_card, assert_error, key, ledger_rows, subscribe


async def move(client, when: str) -> None:
    r = await client.post("/sandbox/clock", json={"now": when})
    assert r.status_code == 200, r.text


async def status(client, headers) -> str:
    return (await client.get("/v1/account", headers=headers)).json()["status"]


async def test_clock_reads_and_moves_forward_only(client, demo, store):
    assert (await client.get("/sandbox/clock")).json() == {"now": T0.isoformat()}
    before = store.counts()
    r = await client.post("/sandbox/clock", json={"now": "2026-11-25T12:00:00+00:00"})
    assert_error(r, 422, "validation_error", "now")
    assert_error(
        await client.post("/sandbox/clock", json={"now": "2026-12-25T12:00:00"}),
        422,
        "validation_error",
        "now",
    )
    assert_error(
        await client.post("/sandbox/clock", json={"now": "2046-12-25T12:00:00Z"}),
        422,
        "validation_error",
        "now",
    )
    assert_error(
        await client.post("/sandbox/clock", json={"now": "soon"}), 422, "validation_error", "now"
    )
    assert store.counts() == before
    await move(client, "2026-11-27T12:00:00Z")
    assert (await client.get("/v1/account", headers=demo)).json()[
        "now"
    ] == "2026-11-27T12:00:00+00:00"
    assert store.counts() == before  # no 1st crossed, nothing billed


async def test_three_month_boundaries_make_three_renewals(client, new):
    assert (await subscribe(client, new)).status_code == 200
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 8, "expected_total": 0}
    )
    assert r.status_code == 200
    await move(client, "2027-02-15T12:00:00-03:00")
    invoices = (await client.get("/v1/invoices", headers=new)).json()["data"]
    renewals = [i for i in invoices if i["due_date"] != "2026-11-26"]
    assert [i["due_date"] for i in renewals] == ["2027-02-01", "2027-01-01", "2026-12-01"]
    # The scheduled decrease applied on 1 December: 8 devices × 12.90, a whole month each.
    assert all(i["total"] == 8 * 1290 and i["status"] == "paid" for i in renewals)
    assert [(i["period_start"], i["period_end"]) for i in renewals] == [
        ("2027-02-01", "2027-02-28"),
        ("2027-01-01", "2027-01-31"),
        ("2026-12-01", "2026-12-31"),
    ]
    assert renewals[-1]["issued_at"].startswith("2026-12-01T00:00:00")
    sub = (await client.get("/v1/subscription", headers=new)).json()
    assert (sub["devices"], sub["scheduled_devices"], sub["current_period_start"]) == (
        8,
        None,
        "2027-02-01",
    )
    assert await status(client, new) == "active"
    kinds = [r["kind"] for r in await ledger_rows(client, new)]
    assert kinds == ["charge", "payment"] * 4


async def test_declined_renewal_is_past_due_then_suspended_after_30_days(client, new):
    assert (await subscribe(client, new)).status_code == 200
    await add_card(client, new, DECLINED, default=True)
    await move(client, "2026-12-01T09:00:00-03:00")
    assert await status(client, new) == "past_due"
    late = (await client.get("/v1/invoices?status=past_due", headers=new)).json()["data"]
    assert [(i["due_date"], i["attempts"], i["last_failure"]["code"]) for i in late] == [
        ("2026-12-01", 1, "card_declined")
    ]
    await move(client, "2026-12-31T23:59:59-03:00")  # 30 days past due: not yet
    assert await status(client, new) == "past_due"
    await move(client, "2027-01-01T00:00:00-03:00")  # 31 days: suspended (and January fails too)
    assert await status(client, new) == "suspended"
    assert (await client.get("/v1/subscription", headers=new)).json()["status"] == "suspended"
    late = (await client.get("/v1/invoices?status=past_due", headers=new)).json()["data"]
    assert len(late) == 2
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 12, "expected_total": 0}
    )
    assert_error(r, 409, "conflict")
    methods = (await client.get("/v1/payment-methods", headers=new)).json()["data"]
    visa = next(m for m in methods if m["last4"] == "4242")
    for n, invoice in enumerate(late):
        r = await client.post(
            f"/v1/invoices/{invoice['id']}/pay",
            headers={**new, **key()},
            json={"payment_method_id": visa["id"]},
        )
        assert r.status_code == 200, r.text
        assert await status(client, new) == ("suspended" if n == 0 else "active")


async def test_demo_is_suspended_31_days_after_its_failed_renewal(client, demo):
    await move(client, "2026-12-01T12:00:00-03:00")
    # December renews on the Visa 4242 default, but November is still unpaid.
    assert await status(client, demo) == "past_due"
    dec = (await client.get("/v1/invoices?limit=1", headers=demo)).json()["data"][0]
    assert dec["due_date"] == "2026-12-01" and dec["status"] == "paid"
    await move(client, "2026-12-02T00:00:00-03:00")
    assert await status(client, demo) == "suspended"
    nov = (await client.get("/v1/invoices?status=past_due", headers=demo)).json()["data"][0]
    r = await client.post(f"/v1/invoices/{nov['id']}/pay", headers={**demo, **key()})
    assert r.status_code == 200 and await status(client, demo) == "active"


async def test_annual_credit_is_drawn_before_any_card_charge(client, annual):
    start = (await client.get("/v1/account", headers=annual)).json()["credit_balance"]
    assert start == 6 * 6450
    await move(client, "2027-06-10T12:00:00-03:00")  # December .. June: seven renewals
    invoices = (await client.get("/v1/invoices?limit=7", headers=annual)).json()["data"]
    by_month = sorted(invoices, key=lambda i: i["due_date"])
    assert [i["due_date"][:7] for i in by_month] == [
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
        "2027-04",
        "2027-05",
        "2027-06",
    ]
    # Six months still covered by credit; then the plan bought on 1 Jun 2026 renews
    # yearly on 1 Jun 2027: a new annual purchase on the card (5 × 129,00) and a new
    # grant (12 × 5 × 12,90), from which June is drawn.
    assert [(i["credit_applied"], i["total"]) for i in by_month] == [(6450, 0)] * 6 + [
        (6450, 64500)
    ]
    assert by_month[-1]["credit_granted"] == 77400
    assert [i["paid_with"] for i in by_month] == [None] * 6 + [
        {"brand": "mastercard", "last4": "4444"}
    ]
    balance = (await client.get("/v1/account", headers=annual)).json()["credit_balance"]
    assert balance == 77400 - 6450


async def test_ledger_balance_after_is_always_the_running_credit_sum(client, annual, new):
    assert (await subscribe(client, new, plan="annual", devices=3)).status_code == 200
    r = await client.patch(
        "/v1/subscription", headers={**annual, **key()}, json={"devices": 9, "expected_total": 0}
    )
    assert r.status_code == 200, r.text
    await move(client, "2027-08-03T12:00:00-03:00")
    for headers in (annual, new):
        running = 0
        rows = await ledger_rows(client, headers)
        assert rows
        for row in rows:
            if row["kind"] in ("credit_grant", "credit_use"):
                assert (row["amount"] > 0) == (row["kind"] == "credit_grant")
                running += row["amount"]
            assert row["balance_after"] == running >= 0
        assert (await client.get("/v1/account", headers=headers)).json()[
            "credit_balance"
        ] == running


async def test_annual_credit_partly_covers_a_month_and_the_card_pays_the_rest(client, annual):
    # 5 → 9 devices on 26 Nov: 4 × 12.90 × 5/30 = 8.60 from credit (38 700 → 37 840).
    r = await client.patch(
        "/v1/subscription", headers={**annual, **key()}, json={"devices": 9, "expected_total": 0}
    )
    assert r.status_code == 200, r.text
    await move(client, "2027-03-01T12:00:00-03:00")
    invoices = (await client.get("/v1/invoices?limit=4", headers=annual)).json()["data"]
    months = sorted(invoices, key=lambda i: i["due_date"])[-3:]
    # 9 × 12.90 = 116.10 a month: two months from credit, then 30.10 of credit and 86.00 by card.
    assert [(i["due_date"], i["credit_applied"], i["total"]) for i in months] == [
        ("2027-01-01", 11610, 0),
        ("2027-02-01", 11610, 0),
        ("2027-03-01", 3010, 8600),
    ]
    assert months[-1]["paid_with"] == {"brand": "mastercard", "last4": "4444"}
    rows = await ledger_rows(client, annual)
    march = [
        (r["kind"], r["amount"], r["balance_after"])
        for r in rows
        if r["invoice_id"] == months[-1]["id"]
    ]
    assert march == [("charge", 8600, 3010), ("credit_use", -3010, 0), ("payment", 8600, 0)]
    assert rows[-3]["description"] == f"Renewal for Mar 2027, invoice {months[-1]['number']}"


async def test_renewal_without_a_default_card_is_past_due(client, new):
    assert (await subscribe(client, new)).status_code == 200
    card = (await client.get("/v1/payment-methods", headers=new)).json()["data"][0]
    r = await client.delete(f"/v1/payment-methods/{card['id']}", headers=new)
    assert r.status_code == 200 and r.json() == {"new_default": None}  # the only card
    await move(client, "2026-12-01T08:00:00-03:00")
    assert await status(client, new) == "past_due"
    late = (await client.get("/v1/invoices?status=past_due", headers=new)).json()["data"][0]
    assert late["last_failure"]["code"] == "processing_error"
    assert "default payment method" in late["last_failure"]["message"]
    r = await client.post(f"/v1/invoices/{late['id']}/pay", headers={**new, **key()})
    assert_error(r, 422, "validation_error", "payment_method_id")


async def test_a_card_that_expired_by_the_clock_fails_the_renewal(client, new):
    r = await client.post(
        "/v1/payment-methods",
        headers=new,
        json={
            "holder_name": "N",
            "number": "4242424242424242",
            "exp_month": 12,
            "exp_year": 2026,
            "cvc": "123",
        },
    )
    assert r.status_code == 200
    quote = await client.post(
        "/v1/subscription/preview",
        headers=new,
        json={"currency": "USD", "plan": "monthly", "devices": 1},
    )
    r = await client.post(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "currency": "USD",
            "plan": "monthly",
            "devices": 1,
            "payment_method_id": r.json()["id"],
            "expected_total": quote.json()["total"],
        },
    )
    assert r.status_code == 200
    await move(client, "2027-01-01T12:00:00-03:00")
    invoices = (await client.get("/v1/invoices", headers=new)).json()["data"]
    assert [(i["due_date"], i["status"]) for i in invoices] == [
        ("2027-01-01", "past_due"),
        ("2026-12-01", "paid"),
        ("2026-11-26", "paid"),
    ]
    assert invoices[0]["last_failure"]["code"] == "expired_card"


async def test_increase_without_a_default_card_is_refused(client, new):
    assert (await subscribe(client, new)).status_code == 200
    card = (await client.get("/v1/payment-methods", headers=new)).json()["data"][0]
    r = await client.delete(f"/v1/payment-methods/{card['id']}", headers=new)
    assert r.status_code == 200 and r.json() == {"new_default": None}  # the only card
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"devices": 11, "expected_total": 215}
    )
    assert_error(r, 422, "validation_error", "payment_method_id")
