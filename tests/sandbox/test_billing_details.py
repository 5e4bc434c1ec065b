"""Billing details (PATCH /v1/account), card expiry and contact edits, the invoice PDF."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from mktui.core.dates import format_date
from tests.sandbox.helpers import add_card, assert_error, key

ADDRESS = {
    "street": "Av. Paulista",
    "number": "1000",
    "complement": "sala 5",
    "district": "Bela Vista",
    "city": "São Paulo",
    "state": "sp",
    "postal_code": "01310-100",
    "country": "BR",
}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def test_billing_details_are_checked_and_kept(client, demo, store):
    r = await client.patch(
        "/v1/account",
        headers=demo,
        json={"name": "Demo Redes Ltda", "tax_id": "529.982.247-25", "address": ADDRESS},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Demo Redes Ltda" and body["tax_id"] == "52998224725"
    assert body["address"]["postal_code"] == "01310100" and body["address"]["state"] == "SP"
    assert (await client.get("/v1/account", headers=demo)).json()["address"] == body["address"]


async def test_billing_detail_refusals_name_the_field_and_change_nothing(
    client, demo, annual, store
):
    before = (await client.get("/v1/account", headers=demo)).json()
    cases = [
        ({"tax_id": "529.982.247-24"}, "tax_id"),
        ({"tax_id": "111.111.111-11"}, "tax_id"),
        ({"tax_id": ""}, "tax_id"),  # a BRL account keeps one
        ({"address": {**ADDRESS, "postal_code": "0131-100"}}, "address.postal_code"),
        ({"address": {**ADDRESS, "state": "XX"}}, "address.state"),
        ({"address": {**ADDRESS, "city": "  "}}, "address.city"),
        ({"address": {**ADDRESS, "country": "Brazil"}}, "address.country"),
        ({"name": ""}, "name"),
        ({"name": "Ok", "tax_id": "12345678900"}, "tax_id"),  # all or nothing
    ]
    for body, field in cases:
        assert_error(
            await client.patch("/v1/account", headers=demo, json=body),
            422,
            "validation_error",
            field,
        )
    assert (await client.get("/v1/account", headers=demo)).json() == before
    assert_error(await client.patch("/v1/account", headers=demo, json={}), 422, "validation_error")


async def test_a_usd_account_has_no_tax_id(client, new):
    from tests.sandbox.helpers import subscribe

    assert (await subscribe(client, new, currency="USD", tax_id=None)).status_code == 200
    r = await client.patch("/v1/account", headers=new, json={"tax_id": "52998224725"})
    assert_error(r, 422, "validation_error", "tax_id")
    us = {**ADDRESS, "country": "US", "state": "NY", "postal_code": "10001"}
    r = await client.patch("/v1/account", headers=new, json={"address": us})
    assert r.status_code == 200 and r.json()["address"]["state"] == "NY"


async def test_a_receipt_prints_the_details_in_force_when_it_was_paid(client, demo):
    paid = (await client.get("/v1/invoices?status=paid&limit=1", headers=demo)).json()["data"][0]
    await client.patch("/v1/account", headers=demo, json={"name": "Renamed Afterwards Ltda"})
    receipt = _text((await client.get(f"/v1/invoices/{paid['id']}/receipt", headers=demo)).content)
    assert "Demo Networks Ltda" in receipt and "Renamed" not in receipt
    # An invoice paid after the edit prints the new details, with the address.
    await client.patch("/v1/account", headers=demo, json={"address": ADDRESS})
    late = (await client.get("/v1/invoices?status=past_due", headers=demo)).json()["data"][0]
    r = await client.post(f"/v1/invoices/{late['id']}/pay", headers={**demo, **key()}, json={})
    assert r.status_code == 200, r.text
    receipt = _text((await client.get(f"/v1/invoices/{late['id']}/receipt", headers=demo)).content)
    assert "Renamed Afterwards Ltda" in receipt and "CEP 01310-100" in receipt


async def test_the_invoice_pdf_exists_in_any_state(client, demo, annual):
    late = (await client.get("/v1/invoices?status=past_due", headers=demo)).json()["data"][0]
    r = await client.get(f"/v1/invoices/{late['id']}/pdf", headers=demo)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = _text(r.content)
    assert late["number"] in text and "Amount due" in text
    assert format_date(date.fromisoformat(late["due_date"])) in text  # the one date style
    paid = (await client.get("/v1/invoices?status=paid&limit=1", headers=demo)).json()["data"][0]
    text = _text((await client.get(f"/v1/invoices/{paid['id']}/pdf", headers=demo)).content)
    assert "Total paid" in text and "Amount due" not in text
    # Another account's invoice is not found.
    assert_error(
        await client.get(f"/v1/invoices/{late['id']}/pdf", headers=annual), 404, "not_found"
    )


async def test_a_card_expiry_update_shows_in_the_list(client, demo):
    card = (await client.get("/v1/payment-methods", headers=demo)).json()["data"][0]
    r = await client.patch(
        f"/v1/payment-methods/{card['id']}", headers=demo, json={"exp_month": 3, "exp_year": 2031}
    )
    assert r.status_code == 200, r.text
    listed = {
        m["id"]: m for m in (await client.get("/v1/payment-methods", headers=demo)).json()["data"]
    }
    assert (listed[card["id"]]["exp_month"], listed[card["id"]]["exp_year"]) == (3, 2031)
    assert (
        listed[card["id"]]["last4"] == card["last4"]
        and listed[card["id"]]["is_default"] == card["is_default"]
    )
    past = await client.patch(
        f"/v1/payment-methods/{card['id']}", headers=demo, json={"exp_month": 10, "exp_year": 2026}
    )
    assert_error(past, 422, "validation_error", "exp_month")
    month = await client.patch(
        f"/v1/payment-methods/{card['id']}", headers=demo, json={"exp_month": 13, "exp_year": 2030}
    )
    assert_error(month, 422, "validation_error", "exp_month")
    assert_error(
        await client.patch(
            "/v1/payment-methods/pm_nope", headers=demo, json={"exp_month": 1, "exp_year": 2030}
        ),
        404,
        "not_found",
    )


async def test_an_updated_expiry_is_charged_again(client, new):
    card = await add_card(client, new)
    r = await client.patch(
        f"/v1/payment-methods/{card['id']}",
        headers=new,
        json={"exp_month": 1, "exp_year": 2032, "holder_name": "New Holder"},
    )
    assert r.json()["holder_name"] == "New Holder" and r.json()["exp_year"] == 2032


async def test_a_contact_edit_to_a_duplicate_email_is_refused(client, demo):
    contacts = (await client.get("/v1/financial-contacts", headers=demo)).json()["data"]
    first, second = contacts[0], contacts[1]
    r = await client.patch(
        f"/v1/financial-contacts/{first['id']}",
        headers=demo,
        json={"email": second["email"].upper()},
    )
    assert_error(r, 409, "conflict", "email")
    r = await client.patch(
        f"/v1/financial-contacts/{first['id']}",
        headers=demo,
        json={"name": "Ana S. Souza", "email": "ana@demo-networks.test"},
    )
    assert r.status_code == 200
    assert r.json() == {
        "id": first["id"],
        "name": "Ana S. Souza",
        "email": "ana@demo-networks.test",
    }
    # Its own email again is not a duplicate.
    same = await client.patch(
        f"/v1/financial-contacts/{first['id']}",
        headers=demo,
        json={"email": "ana@demo-networks.test"},
    )
    assert same.status_code == 200
    assert_error(
        await client.patch(
            f"/v1/financial-contacts/{first['id']}", headers=demo, json={"email": "x"}
        ),
        422,
        "validation_error",
        "email",
    )
