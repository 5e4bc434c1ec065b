"""Payment methods (never storing the number or CVC) and financial contacts."""

from __future__ import annotations

from tests.sandbox.helpers import VISA, add_card, assert_error, key

CARD = {"holder_name": "Ana Souza", "number": VISA, "exp_month": 12, "exp_year": 2030, "cvc": "123"}


async def test_add_card_keeps_brand_last4_and_expiry_only(client, new, store):
    r = await client.post(
        "/v1/payment-methods", headers=new, json={**CARD, "number": "5555-5555-5555-4444"}
    )
    assert r.status_code == 200, r.text
    pm = r.json()
    assert {
        k: pm[k] for k in ("brand", "last4", "exp_month", "exp_year", "holder_name", "is_default")
    } == {
        "brand": "mastercard",
        "last4": "4444",
        "exp_month": 12,
        "exp_year": 2030,
        "holder_name": "Ana Souza",
        "is_default": True,
    }  # the first card becomes the default
    assert "number" not in pm and "cvc" not in pm and "5555555555554444" not in r.text
    raw = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert raw
    assert b"5555555555554444" not in raw and b"5555-5555-5555-4444" not in raw


async def test_brands(client, new):
    for number, brand in (
        ("4242424242424242", "visa"),
        ("378282246310005", "amex"),
        ("6011111111111117", "discover"),
        ("3566002020360505", "jcb"),
        ("36227206271667", "diners"),
        ("6362970000457013", "elo"),
        ("2223003122003222", "mastercard"),
    ):
        cvc = "1234" if brand == "amex" else "123"
        r = await client.post(
            "/v1/payment-methods", headers=new, json={**CARD, "number": number, "cvc": cvc}
        )
        assert r.status_code == 200, (number, r.text)
        assert r.json()["brand"] == brand


async def test_card_refusals_name_the_field_and_write_nothing(client, new, store):
    before = store.counts()
    cases = [
        ({"number": "4242 4242 4242 4241"}, 422, "invalid_number", "number"),
        ({"number": "4242-abcd-4242-4242"}, 422, "invalid_number", "number"),
        ({"number": "1234"}, 422, "validation_error", "number"),
        ({"exp_year": 2025}, 422, "validation_error", "exp_year"),
        ({"exp_year": 2026, "exp_month": 10}, 422, "validation_error", "exp_month"),
        ({"exp_month": 13}, 422, "validation_error", "exp_month"),
        ({"exp_month": "12"}, 422, "validation_error", "exp_month"),
        ({"cvc": "12a"}, 422, "validation_error", "cvc"),
        ({"cvc": "1234"}, 422, "validation_error", "cvc"),  # Visa has 3 digits
        ({"holder_name": "   "}, 422, "validation_error", "holder_name"),
    ]
    for change, status, code, field in cases:
        r = await client.post("/v1/payment-methods", headers=new, json={**CARD, **change})
        assert_error(r, status, code, field)
        assert "4242" not in r.json()["error"]["message"]
    assert store.counts() == before


async def test_a_card_expiring_this_month_is_accepted(client, new):
    r = await client.post(
        "/v1/payment-methods", headers=new, json={**CARD, "exp_year": 2026, "exp_month": 11}
    )
    assert r.status_code == 200


async def test_default_and_remove(client, new):
    first = await add_card(client, new)
    second = await add_card(client, new, "5555555555554444", default=False)
    assert first["is_default"] and not second["is_default"]
    r = await client.post(f"/v1/payment-methods/{second['id']}/default", headers=new)
    assert r.status_code == 200 and r.json()["is_default"]
    methods = (await client.get("/v1/payment-methods", headers=new)).json()["data"]
    assert [m["is_default"] for m in methods] == [False, True]
    r = await client.delete(f"/v1/payment-methods/{first['id']}", headers=new)
    assert r.status_code == 200 and r.json() == {"new_default": None}  # not the default
    # No open invoices: even the default card can go; with none left there is no default.
    r = await client.delete(f"/v1/payment-methods/{second['id']}", headers=new)
    assert r.status_code == 200 and r.json() == {"new_default": None}
    assert (await client.get("/v1/account", headers=new)).json()[
        "default_payment_method_id"
    ] is None
    assert_error(
        await client.delete(f"/v1/payment-methods/{second['id']}", headers=new), 404, "not_found"
    )


async def test_the_default_card_stays_while_invoices_are_open(client, demo, store):
    default = (await client.get("/v1/account", headers=demo)).json()["default_payment_method_id"]
    before = store.counts()
    r = await client.delete(f"/v1/payment-methods/{default}", headers=demo)
    assert_error(r, 409, "conflict")
    assert store.counts() == before
    other = next(
        m
        for m in (await client.get("/v1/payment-methods", headers=demo)).json()["data"]
        if not m["is_default"]
    )
    r = await client.delete(f"/v1/payment-methods/{other['id']}", headers=demo)
    assert r.status_code == 200 and r.json() == {"new_default": None}


async def test_removing_the_default_makes_the_newest_remaining_card_the_default(client, new):
    first = await add_card(client, new)
    second = await add_card(client, new, "5555555555554444", default=False)
    third = await add_card(client, new, "4000000000000002", default=False)
    assert first["is_default"]
    r = await client.delete(f"/v1/payment-methods/{first['id']}", headers=new)
    assert r.status_code == 200
    promoted = r.json()["new_default"]
    assert promoted["id"] == third["id"] and promoted["is_default"]  # the most recently added
    account = (await client.get("/v1/account", headers=new)).json()
    assert account["default_payment_method_id"] == third["id"]
    methods = (await client.get("/v1/payment-methods", headers=new)).json()["data"]
    assert [(m["id"], m["is_default"]) for m in methods] == [
        (second["id"], False),
        (third["id"], True),
    ]
    r = await client.delete(f"/v1/payment-methods/{third['id']}", headers=new)
    assert r.json()["new_default"]["id"] == second["id"]


async def test_adding_a_card_with_a_key_is_idempotent(client, new, store):
    headers = {**new, **key()}
    first = await client.post("/v1/payment-methods", headers=headers, json=CARD)
    second = await client.post("/v1/payment-methods", headers=headers, json=CARD)
    assert first.json() == second.json()
    assert len((await client.get("/v1/payment-methods", headers=new)).json()["data"]) == 1
    other = await client.post(
        "/v1/payment-methods", headers=headers, json={**CARD, "number": "5555555555554444"}
    )
    assert_error(other, 409, "idempotency_conflict", "Idempotency-Key")
    with store.read() as conn:
        stored = conn.execute("SELECT body, fingerprint FROM idempotency").fetchall()
    assert all("4242424242424242" not in row[0] for row in stored)


async def test_contacts(client, new, store):
    r = await client.post(
        "/v1/financial-contacts", headers=new, json={"name": "Rita", "email": "Rita@Example.com "}
    )
    assert r.status_code == 200, r.text
    contact = r.json()
    assert contact["email"] == "rita@example.com" and contact["id"].startswith("fc_")
    before = store.counts()
    dup = await client.post(
        "/v1/financial-contacts", headers=new, json={"name": "R", "email": "rita@example.com"}
    )
    assert_error(dup, 409, "conflict", "email")
    for body, field in (
        ({"name": "X", "email": "not-an-email"}, "email"),
        ({"name": "X", "email": "a@b"}, "email"),
        ({"name": "", "email": "x@example.com"}, "name"),
        ({"email": "x@example.com"}, "name"),
        ({"name": "X", "email": 5}, "email"),
    ):
        assert_error(
            await client.post("/v1/financial-contacts", headers=new, json=body),
            422,
            "validation_error",
            field,
        )
    assert store.counts() == before
    assert (await client.get("/v1/financial-contacts", headers=new)).json()["data"] == [contact]
    assert (
        await client.delete(f"/v1/financial-contacts/{contact['id']}", headers=new)
    ).status_code == 204
    assert_error(
        await client.delete(f"/v1/financial-contacts/{contact['id']}", headers=new),
        404,
        "not_found",
    )
    assert (await client.get("/v1/financial-contacts", headers=new)).json()["data"] == []
