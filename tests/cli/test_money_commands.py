"""Money-moving commands over real HTTP: exactly the previewed amount, declines, refusals."""

from __future__ import annotations

from mktui.api.models import Account, Invoice, Preview, SubscriptionResult
from mktui.cli.output import wire_from_json

from .conftest import add_card

TAX_ID = "529.982.247-25"
DECLINED = "4000000000000002"


def test_preview_then_subscribe_charges_exactly_the_previewed_amount(served):
    add_card(served, "new", "4242424242424242")
    choice = ("--devices", "10", "--currency", "BRL", "--tax-id", TAX_ID)
    preview = served.as_("new", "preview", *choice, "--json")
    assert preview.code == 0, preview.err
    previewed = Preview.model_validate(wire_from_json(preview.json()))
    assert preview.json()["total"] == {
        "amount": f"{previewed.total / 100:.2f}",
        "currency": "BRL",
        "minor": previewed.total,
    }

    done = served.as_(
        "new",
        "subscribe",
        *choice,
        "--expect-total",
        preview.json()["total"]["amount"],
        "--yes",
        "--json",
    )
    assert done.code == 0, done.err
    result = SubscriptionResult.model_validate(wire_from_json(done.json()))
    assert result.invoice is not None and result.invoice.status == "paid"
    assert result.invoice.total == previewed.total
    assert f"Charge R$ {previewed.total // 100}," in done.err  # the statement names the amount
    assert "Visa •••• 4242" in done.err
    status = served.as_("new", "status", "--json")
    assert Account.model_validate(wire_from_json(status.json()["account"])).status == "active"


def test_a_stale_expected_total_is_refused_and_nothing_is_charged(served):
    add_card(served, "new", "4242424242424242")
    result = served.as_(
        "new",
        "subscribe",
        "--devices",
        "10",
        "--tax-id",
        TAX_ID,
        "--expect-total",
        "1.00",
        "--yes",
    )
    assert result.code == 4
    assert "nothing was charged" in result.err
    assert served.as_("new", "status", "--json").json()["account"]["status"] == "inactive"


def test_a_declined_card_exits_3_with_the_reason_and_charges_nothing(served):
    add_card(served, "new", DECLINED)
    result = served.as_("new", "subscribe", "--devices", "3", "--tax-id", TAX_ID, "--yes")
    assert result.code == 3
    assert "declined" in result.err.lower()
    assert result.out == ""
    status = served.as_("new", "status", "--json").json()
    assert status["account"]["status"] == "inactive"
    listed = served.as_("new", "invoices", "list", "--status", "paid", "--json").json()
    assert listed == []


def test_without_a_terminal_and_without_yes_a_payment_exits_1_and_charges_nothing(served):
    overdue = served.as_("demo", "invoices", "list", "--status", "past_due", "--json").json()
    assert len(overdue) == 1
    before = Invoice.model_validate(wire_from_json(overdue[0]))
    result = served.as_("demo", "invoices", "pay", before.id)
    assert result.code == 1
    assert "add --yes" in result.err
    assert "R$ 129,00" in result.err and "Visa •••• 4242" in result.err
    after = Invoice.model_validate(
        wire_from_json(served.as_("demo", "invoices", "show", before.id, "--json").json())
    )
    assert after.status == "past_due" and after.attempts == before.attempts


def test_paying_with_a_declining_card_exits_3_and_the_invoice_stays_payable(served):
    card = add_card(served, "demo", DECLINED, default=False)
    invoice = served.as_("demo", "invoices", "list", "--status", "past_due", "--json").json()[0]
    result = served.as_("demo", "invoices", "pay", invoice["id"], "--method", card, "--yes")
    assert result.code == 3
    assert "declined" in result.err.lower() and invoice["number"] in result.err
    again = served.as_("demo", "invoices", "show", invoice["id"], "--json").json()
    assert again["status"] == "past_due" and again["attempts"] == invoice["attempts"] + 1


def test_pay_all_overdue_pays_every_overdue_invoice_and_exits_0(served):
    result = served.as_("demo", "invoices", "pay", "--all-overdue", "--yes", "--json")
    assert result.code == 0, result.err
    outcomes = result.json()
    assert [o["outcome"] for o in outcomes] == ["paid"]
    for outcome in outcomes:
        assert Invoice.model_validate(wire_from_json(outcome["invoice"])).status == "paid"
    assert served.as_("demo", "invoices", "list", "--status", "past_due", "--json").json() == []
    assert served.as_("demo", "status", "--json").json()["account"]["status"] == "active"
    # Nothing left: a second run pays nothing and still succeeds.
    again = served.as_("demo", "invoices", "pay", "--all-overdue", "--yes", "--json")
    assert again.code == 0 and again.json() == []


def test_status_of_an_account_with_no_currency_shows_a_dash_for_credit(served):
    """Never subscribed, no currency: not a bare "0.00" (the hub shows a dash too)."""
    text = served.as_("new", "status").out
    credit = next(line for line in text.splitlines() if line.startswith("Credit balance"))
    assert credit.split()[-1] == "—", text
    assert "0.00" not in text
    demo = served.as_("demo", "status").out
    assert any(
        line.startswith("Credit balance") and line.rstrip().endswith("R$ 0,00")
        for line in demo.splitlines()
    ), demo
