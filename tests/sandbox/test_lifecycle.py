"""The rest of a subscription's life: cancel and resume, switch plan, the yearly renewal."""

from __future__ import annotations

from datetime import date

from mktui.core.money import Money
from mktui.core.pricing_lifecycle import preview_yearly_renewal
from tests.sandbox.helpers import assert_error, key, ledger_rows, subscribe


async def _clock(client, when: str) -> None:
    r = await client.post("/sandbox/clock", json={"now": when})
    assert r.status_code == 200, r.text


async def _invoices(client, headers) -> list[dict]:
    return (await client.get("/v1/invoices?limit=200", headers=headers)).json()["data"]


async def _preview(client, headers, **body) -> dict:
    r = await client.post("/v1/subscription/preview", headers=headers, json=body)
    assert r.status_code == 200, r.text
    return r.json()


async def _switch(client, headers, plan: str) -> dict:
    quote = await _preview(client, headers, plan=plan)
    r = await client.patch(
        "/v1/subscription",
        headers={**headers, **key()},
        json={"plan": plan, "expected_total": quote["total"]},
    )
    assert r.status_code == 200, r.text
    return {"quote": quote, **r.json()}


async def test_cancel_ends_on_the_next_first_without_a_renewal_and_subscribing_again_works(
    client, new
):
    assert (await subscribe(client, new)).status_code == 200
    await _clock(client, "2026-12-15T12:00:00-03:00")
    r = await client.post("/v1/subscription/cancel", headers={**new, **key()})
    assert r.status_code == 200, r.text
    assert r.json()["cancel_at"] == "2027-01-01"
    account = (await client.get("/v1/account", headers=new)).json()
    assert account["status"] == "active" and account["device_quota"] == 10
    before = await _invoices(client, new)

    await _clock(client, "2027-01-01T09:00:00-03:00")
    account = (await client.get("/v1/account", headers=new)).json()
    assert account["status"] == "inactive" and account["device_quota"] == 0
    assert await _invoices(client, new) == before  # no renewal invoice
    assert_error(await client.get("/v1/subscription", headers=new), 404, "not_found")

    # Subscribing again works (same currency); another currency is refused.
    cards = (await client.get("/v1/payment-methods", headers=new)).json()["data"]
    quote = await _preview(
        client, new, currency="BRL", plan="monthly", devices=3, tax_id="52998224725"
    )
    r = await client.post(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "currency": "USD",
            "plan": "monthly",
            "devices": 3,
            "payment_method_id": cards[0]["id"],
            "expected_total": quote["total"],
        },
    )
    assert_error(r, 422, "validation_error", "currency")
    r = await client.post(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "currency": "BRL",
            "plan": "monthly",
            "devices": 3,
            "tax_id": "52998224725",
            "payment_method_id": cards[0]["id"],
            "expected_total": quote["total"],
        },
    )
    assert r.status_code == 200, r.text
    assert (await client.get("/v1/account", headers=new)).json()["status"] == "active"


async def test_resume_before_the_first_renews_as_usual(client, new):
    assert (await subscribe(client, new)).status_code == 200
    await _clock(client, "2026-12-15T12:00:00-03:00")
    assert (
        await client.post("/v1/subscription/cancel", headers={**new, **key()})
    ).status_code == 200
    r = await client.post("/v1/subscription/resume", headers={**new, **key()})
    assert r.status_code == 200 and r.json()["cancel_at"] is None
    assert_error(
        await client.post("/v1/subscription/resume", headers={**new, **key()}), 409, "conflict"
    )
    await _clock(client, "2027-01-01T09:00:00-03:00")
    newest = (await _invoices(client, new))[0]
    assert newest["period_start"] == "2027-01-01" and newest["status"] == "paid"
    assert (await client.get("/v1/account", headers=new)).json()["status"] == "active"


async def test_cancel_needs_a_subscription_and_a_key(client, new):
    assert_error(
        await client.post("/v1/subscription/cancel", headers={**new, **key()}), 404, "not_found"
    )
    assert_error(
        await client.post("/v1/subscription/cancel", headers=new),
        422,
        "validation_error",
        "Idempotency-Key",
    )


async def test_monthly_to_annual_charges_exactly_the_preview_and_grants_credit(client, new):
    assert (await subscribe(client, new, devices=7)).status_code == 200
    await _clock(client, "2027-03-10T10:00:00-03:00")
    result = await _switch(client, new, "annual")
    quote, invoice = result["quote"], result["invoice"]
    assert quote["total"] == 7 * 12900 and quote["credit_granted"] == 12 * 1290 * 7
    assert invoice["total"] == quote["total"] and invoice["status"] == "paid"
    assert result["subscription"]["plan"] == "annual"
    assert result["subscription"]["annual_renewal_date"] == "2028-04-01"
    rows = await ledger_rows(client, new)
    grant = [row for row in rows if row["kind"] == "credit_grant"]
    assert grant[-1]["amount"] == quote["credit_granted"]
    account = (await client.get("/v1/account", headers=new)).json()
    assert account["credit_balance"] == quote["credit_granted"]
    # The next 1st is drawn from the credit, nothing on the card.
    await _clock(client, "2027-04-01T09:00:00-03:00")
    april = (await _invoices(client, new))[0]
    assert april["credit_applied"] == 7 * 1290 and april["total"] == 0


async def test_annual_to_monthly_takes_effect_the_next_first(client, annual):
    result = await _switch(client, annual, "monthly")
    assert result["quote"]["total"] == 0 and result["invoice"] is None
    sub = result["subscription"]
    assert sub["plan"] == "annual" and sub["scheduled_plan"] == "monthly"
    # No anniversary purchase is coming: the renewal date is not offered meanwhile.
    assert sub["annual_renewal_date"] is None
    # Back to annual before the 1st drops the switch, charging nothing.
    back = await _switch(client, annual, "annual")
    assert back["quote"]["total"] == 0 and back["subscription"]["scheduled_plan"] is None
    assert back["subscription"]["annual_renewal_date"] is not None
    await _switch(client, annual, "monthly")
    await _clock(client, "2026-12-01T09:00:00-03:00")
    sub = (await client.get("/v1/subscription", headers=annual)).json()
    assert sub["plan"] == "monthly" and sub["scheduled_plan"] is None
    assert sub["annual_renewal_date"] is None


async def test_plan_switch_refusals(client, annual, new):
    assert_error(
        await client.patch(
            "/v1/subscription",
            headers={**annual, **key()},
            json={"plan": "annual", "expected_total": 0},
        ),
        422,
        "validation_error",
        "plan",
    )
    r = await client.patch(
        "/v1/subscription",
        headers={**annual, **key()},
        json={"plan": "monthly", "devices": 3, "expected_total": 0},
    )
    assert r.status_code == 422
    assert (await subscribe(client, new)).status_code == 200
    r = await client.patch(
        "/v1/subscription", headers={**new, **key()}, json={"plan": "annual", "expected_total": 1}
    )
    assert_error(r, 409, "price_changed", "expected_total")
    await client.post("/v1/subscription/cancel", headers={**new, **key()})
    quote = await _preview(client, new, plan="annual")
    r = await client.patch(
        "/v1/subscription",
        headers={**new, **key()},
        json={"plan": "annual", "expected_total": quote["total"]},
    )
    assert_error(r, 409, "conflict")


async def test_an_annual_plan_renews_yearly_on_its_anniversary_first(client, new):
    assert (await subscribe(client, new, plan="annual", devices=4)).status_code == 200
    sub = (await client.get("/v1/subscription", headers=new)).json()
    assert sub["annual_renewal_date"] == "2027-12-01"  # bought 26 Nov 2026
    await _clock(client, "2027-11-30T12:00:00-03:00")
    credit = (await client.get("/v1/account", headers=new)).json()["credit_balance"]
    await _clock(client, "2027-12-26T12:00:00-03:00")
    renewal = next(i for i in await _invoices(client, new) if i["period_start"] == "2027-12-01")
    expected = preview_yearly_renewal(
        currency="BRL",
        devices=4,
        period_start=date(2027, 12, 1),
        credit_available=Money.from_minor(credit, "BRL"),
    )
    assert renewal["total"] == expected.total.minor == 4 * 12900
    assert renewal["credit_granted"] == 12 * 1290 * 4
    assert renewal["status"] == "paid"
    sub = (await client.get("/v1/subscription", headers=new)).json()
    assert sub["annual_renewal_date"] == "2028-12-01"
    # The months in between drew on credit: none of them charged the card.
    monthly = [
        i for i in await _invoices(client, new) if "2026-12-01" <= i["period_start"] < "2027-12-01"
    ]
    assert len(monthly) == 12 and all(i["credit_granted"] == 0 for i in monthly)


async def test_a_declined_yearly_renewal_grants_no_credit_until_it_is_paid(client, new):
    from tests.sandbox.helpers import DECLINED, VISA, add_card

    assert (await subscribe(client, new, plan="annual", devices=4)).status_code == 200
    await _clock(client, "2027-11-30T12:00:00-03:00")
    before = (await client.get("/v1/account", headers=new)).json()["credit_balance"]
    await add_card(client, new, DECLINED)  # the default from now on: the anniversary fails
    await _clock(client, "2027-12-02T12:00:00-03:00")
    renewal = next(i for i in await _invoices(client, new) if i["period_start"] == "2027-12-01")
    assert renewal["status"] == "past_due" and renewal["credit_granted"] == 12 * 1290 * 4
    account = (await client.get("/v1/account", headers=new)).json()
    assert account["status"] == "past_due"
    assert account["credit_balance"] == before  # nothing granted, nothing drawn
    rows = [r for r in await ledger_rows(client, new) if r["invoice_id"] == renewal["id"]]
    assert [r["kind"] for r in rows] == ["charge"]

    good = await add_card(client, new, VISA)
    r = await client.post(
        f"/v1/invoices/{renewal['id']}/pay",
        headers={**new, **key()},
        json={"payment_method_id": good["id"]},
    )
    assert r.status_code == 200, r.text
    rows = [r for r in await ledger_rows(client, new) if r["invoice_id"] == renewal["id"]]
    assert [r["kind"] for r in rows] == ["charge", "credit_grant", "credit_use", "payment"]
    after = (await client.get("/v1/account", headers=new)).json()
    assert after["status"] == "active"
    assert after["credit_balance"] == before + renewal["credit_granted"] - renewal["credit_applied"]


async def test_a_change_before_the_anniversary_previews_the_yearly_renewal_it_will_be(
    client, annual
):
    sub = (await client.get("/v1/subscription", headers=annual)).json()
    assert sub["annual_renewal_date"] == "2027-06-01"
    await _clock(client, "2027-05-20T12:00:00-03:00")
    quote = await _preview(client, annual, devices=6)
    assert quote["next_renewal_date"] == "2027-06-01"
    r = await client.patch(
        "/v1/subscription",
        headers={**annual, **key()},
        json={"devices": 6, "expected_total": quote["total"], "expected_quote": quote["quote"]},
    )
    assert r.status_code == 200, r.text
    await _clock(client, "2027-06-02T12:00:00-03:00")
    renewal = next(i for i in await _invoices(client, annual) if i["period_start"] == "2027-06-01")
    assert renewal["credit_granted"] == 12 * 1290 * 6  # the new annual purchase
    assert renewal["total"] == quote["next_renewal_amount"] == 6 * 12900


async def test_a_canceled_annual_plan_offers_no_renewal_date_until_it_is_resumed(client, annual):
    renews = (await client.get("/v1/subscription", headers=annual)).json()["annual_renewal_date"]
    assert renews is not None
    r = await client.post("/v1/subscription/cancel", headers={**annual, **key()})
    assert r.status_code == 200 and r.json()["annual_renewal_date"] is None
    r = await client.post("/v1/subscription/resume", headers={**annual, **key()})
    assert r.status_code == 200 and r.json()["annual_renewal_date"] == renews
