"""`mktui invoices pix` and `mktui invoices nfse`: pay a late invoice by Pix from the shell, save its NFS-e."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from mktui.cli.main import main
from mktui.core import brcode


def _overdue(capsys) -> dict:
    assert main(["--sandbox", "invoices", "list", "--status", "past_due", "--json"]) == 0
    return json.loads(capsys.readouterr().out)[0]


def test_pix_prints_a_valid_copia_e_cola_then_the_nfse_is_saved_once_paid(capsys, tmp_path):
    invoice = _overdue(capsys)
    # Before payment there is no NFS-e: a conflict (4), nothing written.
    assert main(["--sandbox", "invoices", "nfse", invoice["id"], "-o", str(tmp_path)]) == 4
    capsys.readouterr()

    assert main(["--sandbox", "invoices", "pix", invoice["id"], "--json"]) == 0
    charge = json.loads(capsys.readouterr().out)
    payload = brcode.parse(charge["br_code"])
    assert payload.txid == charge["txid"]
    assert charge["amount"] == {
        "amount": invoice["amount_due"]["amount"],
        "currency": "BRL",
        "minor": invoice["amount_due"]["minor"],
    }
    # Asked again while it lives: the same charge, never a second one.
    assert main(["--sandbox", "invoices", "pix", invoice["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["txid"] == charge["txid"]

    # The human output prints the copia e cola whole, on its own line (not masked).
    assert main(["--sandbox", "invoices", "pix", invoice["id"]]) == 0
    out = capsys.readouterr().out
    assert charge["br_code"] in out.splitlines()

    assert main(["sandbox", "pix", "pay", charge["txid"]]) == 0
    capsys.readouterr()
    assert main(["--sandbox", "invoices", "nfse", invoice["id"], "-o", str(tmp_path)]) == 0
    assert (tmp_path / f"nfse-{invoice['number']}.pdf").read_bytes().startswith(b"%PDF-")
    capsys.readouterr()
    assert (
        main(
            ["--sandbox", "invoices", "nfse", invoice["id"], "--format", "xml", "-o", str(tmp_path)]
        )
        == 0
    )
    xml = (tmp_path / f"nfse-{invoice['number']}.xml").read_bytes()
    ET.fromstring(xml)  # it parses
    assert b"<?xml" in xml[:10]
    capsys.readouterr()
    # A paid invoice has no Pix to pay: a conflict, said in a sentence.
    assert main(["--sandbox", "invoices", "pix", invoice["id"]]) == 4
    assert "paid" in capsys.readouterr().err
