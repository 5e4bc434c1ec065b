"""The quote (api.md, Additions): a preview locks everything it shows, not just the total."""

from __future__ import annotations

from tests.sandbox.helpers import add_card, assert_error, key, subscribe


async def _move_clock(client, when: str) -> None:
    r = await client.post("/sandbox/clock", json={"now": when})
    assert r.status_code == 200, r.text


async def test_every_preview_carries_a_quote(client, new, annual):
    r = await client.post(
        "/v1/subscription/preview",
        headers=new,
        json={"currency": "USD", "plan": "monthly", "devices": 2},
    )
    assert r.status_code == 200
    assert r.json()["quote"].startswith("q1_")
    r = await client.post("/v1/subscription/preview", headers=annual, json={"devices": 9})
    assert r.json()["quote"].startswith("q1_")


async def test_the_same_charge_gives_the_same_quote_and_another_one_another(client, annual):
    def preview(devices):
        return client.post("/v1/subscription/preview", headers=annual, json={"devices": devices})

    a, b, c = [(await preview(n)).json()["quote"] for n in (9, 9, 10)]
    assert a == b != c


async def test_annual_preview_at_23_59_59_paid_after_midnight_is_refused(client, annual, store):
    """The defect: the card total (0, all drawn from credit) stayed; the credit drawn did not."""
    await _move_clock(client, "2026-11-26T23:59:59-03:00")
    before = (
        await client.post("/v1/subscription/preview", headers=annual, json={"devices": 9})
    ).json()
    await _move_clock(client, "2026-11-27T00:00:01-03:00")
    counts = store.counts()
    r = await client.patch(
        "/v1/subscription",
        headers={**annual, **key()},
        json={
            "devices": 9,
            "expected_total": before["total"],
            "expected_quote": before["quote"],
        },
    )
    assert_error(r, 409, "price_changed", "expected_quote")
    fresh = r.json()["error"]["preview"]
    assert fresh["total"] == before["total"] == 0
    assert fresh["credit_applied"] != before["credit_applied"]
    assert fresh["quote"] != before["quote"]
    assert store.counts() == counts  # nothing moved
    # The new preview's quote is accepted.
    r = await client.patch(
        "/v1/subscription",
        headers={**annual, **key()},
        json={"devices": 9, "expected_total": fresh["total"], "expected_quote": fresh["quote"]},
    )
    assert r.status_code == 200, r.text


async def test_a_stale_total_answers_the_new_preview_too(client, new):
    card = await add_card(client, new)
    r = await client.post(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "currency": "USD",
            "plan": "monthly",
            "devices": 2,
            "payment_method_id": card["id"],
            "expected_total": 1,
        },
    )
    assert_error(r, 409, "price_changed", "expected_total")
    preview = r.json()["error"]["preview"]
    assert preview["total"] > 1 and preview["quote"].startswith("q1_")


async def test_subscribe_with_a_foreign_quote_is_refused(client, new):
    card = await add_card(client, new)
    preview = (
        await client.post(
            "/v1/subscription/preview",
            headers=new,
            json={"currency": "USD", "plan": "monthly", "devices": 3},
        )
    ).json()
    r = await client.post(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "currency": "USD",
            "plan": "monthly",
            "devices": 3,
            "payment_method_id": card["id"],
            "expected_total": preview["total"],
            "expected_quote": "q1_" + "0" * 40,
        },
    )
    assert_error(r, 409, "price_changed", "expected_quote")


async def test_subscribe_with_the_previews_quote_is_accepted(client, new):
    r = await subscribe(client, new, plan="annual", devices=3)
    assert r.status_code == 200, r.text


async def test_a_plan_switch_is_held_to_its_previews_quote(client, new, store):
    assert (await subscribe(client, new, devices=4)).status_code == 200
    preview = (
        await client.post("/v1/subscription/preview", headers=new, json={"plan": "annual"})
    ).json()
    assert preview["quote"].startswith("q1_")
    counts = store.counts()
    r = await client.patch(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "plan": "annual",
            "expected_total": preview["total"],
            "expected_quote": "q1_" + "f" * 40,
        },
    )
    assert_error(r, 409, "price_changed", "expected_quote")
    assert r.json()["error"]["preview"]["quote"] == preview["quote"]
    assert store.counts() == counts
    r = await client.patch(
        "/v1/subscription",
        headers={**new, **key()},
        json={
            "plan": "annual",
            "expected_total": preview["total"],
            "expected_quote": preview["quote"],
        },
    )
    assert r.status_code == 200, r.text
