"""Pix charges, the simulated bank that pays them, and the NFS-e of paid BRL invoices."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET

from pypdf import PdfReader

from mktui.cli.main import main
from mktui.core import brcode
from mktui.sandbox import nfse, pix
from tests.sandbox.helpers import T0, assert_error, key, ledger_rows, subscribe

NS = {"n": nfse.NAMESPACE}


async def _past_due(client, headers) -> dict:
    r = await client.get("/v1/invoices?status=past_due", headers=headers)
    (invoice,) = r.json()["data"]
    return invoice


async def _pix(client, headers, invoice_id, idem=None):
    return await client.post(
        f"/v1/invoices/{invoice_id}/pix", headers={**headers, **(idem or key())}
    )


async def test_a_pix_charge_for_the_overdue_invoice_decodes_to_its_amount(client, demo):
    invoice = await _past_due(client, demo)
    r = await _pix(client, demo, invoice["id"])
    assert r.status_code == 200, r.text
    charge = r.json()
    assert charge["amount"] == invoice["amount_due"] == 12900
    assert charge["status"] == "active" and charge["invoice_id"] == invoice["id"]
    assert datetime.fromisoformat(charge["expires_at"]) == T0 + timedelta(minutes=30)
    decoded = brcode.parse(charge["br_code"])
    assert decoded.amount == Decimal("129.00")
    assert decoded.txid == charge["txid"]
    assert decoded.key == pix.PIX_KEY
    assert decoded.one_time is True
    assert decoded.field("26").child("00").lower() == brcode.PIX_GUI
    assert len(charge["txid"]) == 20 and charge["br_code"] == charge["br_code"].upper()
    assert decoded.crc == brcode.crc16(charge["br_code"][:-4])


async def test_asking_again_gives_the_same_live_charge(client, demo):
    invoice = await _past_due(client, demo)
    first = (await _pix(client, demo, invoice["id"])).json()
    second = (await _pix(client, demo, invoice["id"])).json()  # another key: another console
    assert second == first
    idem = key()
    third = await _pix(client, demo, invoice["id"], idem)
    replay = await _pix(client, demo, invoice["id"], idem)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert third.json() == replay.json() == first


async def test_a_usd_account_is_told_pix_is_not_available(client, new):
    assert (await subscribe(client, new, currency="USD", tax_id=None)).status_code == 200
    (invoice,) = (await client.get("/v1/invoices", headers=new)).json()["data"]
    r = await _pix(client, new, invoice["id"])
    assert_error(r, 409, "pix_unavailable")
    assert "BRL" in r.json()["error"]["message"]


async def test_no_pix_for_a_paid_invoice_or_another_accounts(client, demo, annual):
    paid = (await client.get("/v1/invoices?status=paid", headers=demo)).json()["data"][0]
    assert_error(await _pix(client, demo, paid["id"]), 409, "invoice_not_payable")
    overdue = await _past_due(client, demo)
    assert_error(await _pix(client, annual, overdue["id"]), 404, "not_found")
    r = await client.post(f"/v1/invoices/{overdue['id']}/pix", headers=demo)
    assert_error(r, 422, "validation_error", "Idempotency-Key")


async def test_the_bank_pays_the_pix_and_the_account_is_active(client, demo, store):
    invoice = await _past_due(client, demo)
    charge = (await _pix(client, demo, invoice["id"])).json()
    before = await ledger_rows(client, demo)
    r = await client.post(f"/sandbox/pix/{charge['txid']}/pay")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "paid"
    paid = (await client.get(f"/v1/invoices/{invoice['id']}", headers=demo)).json()
    assert paid["status"] == "paid" and paid["amount_due"] == 0
    assert paid["paid_with"] == {"method": "pix", "txid": charge["txid"]}
    assert paid["paid_at"] == T0.isoformat()
    assert paid["nfse"]["status"] == "issued" and paid["nfse"]["verification_code"]
    added = (await ledger_rows(client, demo))[len(before) :]
    assert [(row["kind"], row["amount"], row["invoice_id"]) for row in added] == [
        ("payment", 12900, invoice["id"])
    ]
    assert charge["txid"] in added[0]["description"]
    assert (await client.get("/v1/account", headers=demo)).json()["status"] == "active"
    again = await client.post(f"/sandbox/pix/{charge['txid']}/pay")
    assert_error(again, 409, "pix_not_payable")
    assert_error(await _pix(client, demo, invoice["id"]), 409, "invoice_not_payable")


async def test_an_expired_pix_cannot_be_paid_and_a_new_one_is_made(client, demo):
    invoice = await _past_due(client, demo)
    first = (await _pix(client, demo, invoice["id"])).json()
    moved = await client.post(
        "/sandbox/clock", json={"now": (T0 + timedelta(minutes=30)).isoformat()}
    )
    assert moved.status_code == 200
    assert_error(await client.post(f"/sandbox/pix/{first['txid']}/pay"), 409, "pix_expired")
    renewed = (await _pix(client, demo, invoice["id"])).json()
    assert renewed["txid"] != first["txid"] and renewed["status"] == "active"
    assert (await client.post(f"/sandbox/pix/{renewed['txid']}/pay")).status_code == 200


async def test_a_card_payment_first_leaves_the_pix_unpayable(client, demo):
    invoice = await _past_due(client, demo)
    charge = (await _pix(client, demo, invoice["id"])).json()
    paid = await client.post(f"/v1/invoices/{invoice['id']}/pay", headers={**demo, **key()})
    assert paid.status_code == 200
    before = await ledger_rows(client, demo)
    assert_error(await client.post(f"/sandbox/pix/{charge['txid']}/pay"), 409, "pix_not_payable")
    assert await ledger_rows(client, demo) == before


async def test_an_unknown_txid_is_not_found(client):
    assert_error(await client.post("/sandbox/pix/MKNOSUCHCHARGE/pay"), 404, "not_found")
    assert_error(await client.post("/sandbox/pix/bad-txid!/pay"), 422, "validation_error", "txid")


async def test_the_nfse_xml_names_the_payer_the_amount_and_the_service(client, demo):
    invoice = await _past_due(client, demo)
    charge = (await _pix(client, demo, invoice["id"])).json()
    await client.post(f"/sandbox/pix/{charge['txid']}/pay")
    shown = (await client.get(f"/v1/invoices/{invoice['id']}", headers=demo)).json()["nfse"]
    r = await client.get(f"/v1/invoices/{invoice['id']}/nfse?format=xml", headers=demo)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{{{nfse.NAMESPACE}}}NFSe"
    inf = root.find("n:infNFSe", NS)
    assert inf.findtext("n:nNFSe", namespaces=NS) == shown["number"]
    assert inf.findtext("n:cVerif", namespaces=NS) == shown["verification_code"]
    dps = inf.find("n:DPS/n:infDPS", NS)
    assert dps.findtext("n:toma/n:CNPJ", namespaces=NS) == "11222333000181"
    assert dps.findtext("n:toma/n:xNome", namespaces=NS) == "Demo Networks Ltda"
    assert dps.findtext("n:serv/n:cServ/n:cTribNac", namespaces=NS) == nfse.DEFAULT_SERVICE_CODE
    assert dps.findtext("n:valores/n:vServPrest/n:vServ", namespaces=NS) == "129.00"
    assert dps.findtext("n:valores/n:trib/n:tribMun/n:pAliq", namespaces=NS) == "2.00"
    assert dps.findtext("n:valores/n:trib/n:tribMun/n:vISSQN", namespaces=NS) == "2.58"


async def test_the_nfse_pdf_names_its_number_and_verification_code(client, demo):
    paid = (await client.get("/v1/invoices?status=paid", headers=demo)).json()["data"][0]
    assert paid["nfse"] is not None  # card payments get one too
    r = await client.get(f"/v1/invoices/{paid['id']}/nfse", headers=demo)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert paid["nfse"]["number"] in text and paid["nfse"]["verification_code"] in text
    assert "11.222.333/0001-81" in text


async def test_no_nfse_before_payment_nor_for_usd_nor_for_credit(client, demo, new, annual):
    overdue = await _past_due(client, demo)
    assert overdue["nfse"] is None
    r = await client.get(f"/v1/invoices/{overdue['id']}/nfse", headers=demo)
    assert_error(r, 409, "nfse_unavailable")
    assert "paid" in r.json()["error"]["message"]
    credit_paid = (await client.get("/v1/invoices", headers=annual)).json()["data"][0]
    assert credit_paid["total"] == 0 and credit_paid["nfse"] is None
    assert (await subscribe(client, new, currency="USD", tax_id=None)).status_code == 200
    (usd,) = (await client.get("/v1/invoices", headers=new)).json()["data"]
    assert usd["status"] == "paid" and usd["nfse"] is None
    r = await client.get(f"/v1/invoices/{usd['id']}/nfse?format=xml", headers=new)
    assert_error(r, 409, "nfse_unavailable")
    r = await client.get(f"/v1/invoices/{usd['id']}/nfse?format=doc", headers=new)
    assert_error(r, 422, "validation_error", "format")


async def test_the_issuer_settings_apply_to_the_next_nfse(client, demo, store):
    with store.write() as conn:
        nfse.configure(conn, service_code="01.07.01", iss_rate="5")
    invoice = await _past_due(client, demo)
    charge = (await _pix(client, demo, invoice["id"])).json()
    await client.post(f"/sandbox/pix/{charge['txid']}/pay")
    r = await client.get(f"/v1/invoices/{invoice['id']}/nfse?format=xml", headers=demo)
    root = ET.fromstring(r.content)
    assert root.findtext(".//n:cTribNac", namespaces=NS) == "010701"
    assert root.findtext(".//n:pAliq", namespaces=NS) == "5.00"
    assert root.findtext(".//n:vISSQN", namespaces=NS) == "6.45"


def test_the_issuer_settings_refuse_nonsense(store):
    import pytest

    from mktui.sandbox.errors import ApiFailure

    with store.write() as conn:
        for kwargs, field in (
            ({"service_code": "1.07"}, "service_code"),
            ({"iss_rate": "1.5"}, "iss_rate"),
            ({"iss_rate": "lots"}, "iss_rate"),
            ({"iss_rate": "2.125"}, "iss_rate"),
        ):
            with pytest.raises(ApiFailure) as caught:
                nfse.configure(conn, **kwargs)
            assert caught.value.field == field


async def test_mktui_sandbox_pix_pay(client, demo, db_path, capsys):
    invoice = await _past_due(client, demo)
    charge = (await _pix(client, demo, invoice["id"])).json()
    assert main(["sandbox", "pix", "pay", charge["txid"], "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert charge["txid"] in out and "R$ 129,00" in out and invoice["number"] in out
    assert (await client.get(f"/v1/invoices/{invoice['id']}", headers=demo)).json()[
        "status"
    ] == "paid"
    assert main(["sandbox", "pix", "pay", charge["txid"], "--db", str(db_path)]) == 2
    assert "already paid" in capsys.readouterr().err


def test_mktui_sandbox_nfse_settings(db_path, capsys):
    assert main(["sandbox", "nfse", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.strip() == "NFS-e service code 01.03.01, ISS rate 2.00 %"
    assert main(["sandbox", "nfse", "--db", str(db_path), "--iss-rate", "3,5"]) == 0
    assert "ISS rate 3.50 %" in capsys.readouterr().out
    assert main(["sandbox", "nfse", "--db", str(db_path), "--service-code", "x"]) == 2
    assert "six digits" in capsys.readouterr().err
