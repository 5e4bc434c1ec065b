"""Commands run in process on the embedded sandbox: outcomes a live server cannot stage, exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from mktui.api.client import SANDBOX_URL, BillingClient, new_idempotency_key
from mktui.api.models import Invoice, NewPaymentMethod
from mktui.cli import connect as connect_module
from mktui.cli.main import main
from mktui.cli.output import wire_from_json

PINNED = datetime(2026, 11, 26, 15, tzinfo=UTC)


class DeclineFirstPay(httpx.AsyncBaseTransport):
    """The sandbox, except that the first invoice payment is answered 402 card_declined."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.pays: list[str] = []
        self.decline = True
        self.changes: list[dict] = []
        """The bodies of PATCH /v1/subscription, as sent."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH" and request.url.path == "/v1/subscription":
            self.changes.append(json.loads(request.content))
        if request.method == "POST" and request.url.path.endswith("/pay"):
            self.pays.append(request.url.path.split("/")[3])
            if self.decline and len(self.pays) == 1:
                body = {"error": {"code": "card_declined", "message": "Declined.", "field": None}}
                return httpx.Response(402, json=body)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """``--sandbox`` runs on a pinned sandbox behind :class:`DeclineFirstPay`."""
    from mktui.sandbox.app import create_app

    app = create_app(tmp_path / "sandbox.db", now=PINNED)
    transport = DeclineFirstPay(httpx.ASGITransport(app=app, raise_app_exceptions=False))

    def client() -> BillingClient:
        return BillingClient(SANDBOX_URL, transport=transport, allow_insecure_http=True)

    async def signed_in(account: str) -> BillingClient:
        c = client()
        await c.sign_in(f"{account}@mkcontroller.test", "sandbox")
        return c

    monkeypatch.setattr(connect_module, "_sandbox", signed_in)
    transport.client = signed_in
    return transport


async def _two_overdue(sandbox) -> None:
    """A declining default card on the 1st of December: December's renewal is past due too."""
    async with await sandbox.client("demo") as api:
        good = next(m for m in await api.payment_methods() if m.is_default)
        card = NewPaymentMethod(
            holder_name="Ana",
            number="4000000000000002",
            exp_month=12,
            exp_year=2030,
            cvc="123",
            make_default=True,
        )
        await api.add_payment_method(card, idempotency_key=new_idempotency_key())
        await api.set_clock(datetime(2026, 12, 1, 12, tzinfo=UTC))
        await api.set_default_payment_method(good.id)
        assert len((await api.invoices("past_due")).data) == 2


def test_all_overdue_pays_oldest_first_and_one_decline_does_not_stop_the_others(sandbox, capsys):
    import asyncio

    asyncio.run(_two_overdue(sandbox))
    code = main(["--sandbox", "invoices", "pay", "--all-overdue", "--yes", "--json"])
    out, err = capsys.readouterr()
    assert code == 3
    outcomes = json.loads(out)
    assert [o["outcome"] for o in outcomes] == ["declined", "paid"]
    invoices = [Invoice.model_validate(wire_from_json(o["invoice"])) for o in outcomes]
    assert invoices[0].due_date < invoices[1].due_date  # oldest first
    assert [i.id for i in invoices] == sandbox.pays
    assert invoices[0].status == "past_due" and invoices[1].status == "paid"
    assert outcomes[0]["code"] == "card_declined"
    assert f"{invoices[0].number}: not paid" in err and f"{invoices[1].number}: paid" in err


def test_exit_codes(sandbox, capsys, tmp_path):
    assert main(["--sandbox", "invoices", "show", "inv_nope"]) == 4
    assert "invoice" in capsys.readouterr().err.lower()
    assert main(["--sandbox", "invoices", "list", "--since", "yesterday"]) == 1
    assert "--since" in capsys.readouterr().err
    assert main(["--as", "new", "status"]) == 1
    assert "--sandbox" in capsys.readouterr().err
    assert main(["--sandbox", "preview", "--devices", "0"]) == 1
    assert "--devices" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["invoices", "list", "--bogus"])
    assert usage.value.code == 1
    # No kept session for the profile: sign-in needed.
    assert main(["--profile", "nobody", "status"]) == 2
    assert "mktui login" in capsys.readouterr().err
    # A profile whose API does not answer: unavailable.
    from mktui.config.profiles import Config, Profile

    config = Config.load()
    config.set_profile(Profile("down", "http://127.0.0.1:9", "a@example.com", "en_US", False))
    config.save()
    env_token = {"MKTUI_TOKEN": "at_whatever"}
    import os

    os.environ.update(env_token)
    try:
        assert main(["--profile", "down", "status"]) == 5
    finally:
        del os.environ["MKTUI_TOKEN"]
    assert "could not connect" in capsys.readouterr().err.lower()


def test_lifecycle_commands(sandbox, capsys, tmp_path):
    from mktui.api.models import FinancialContact, PaymentMethod, Subscription

    assert main(["--sandbox", "subscription", "cancel"]) == 1  # no terminal, no --yes
    capsys.readouterr()
    assert main(["--sandbox", "subscription", "cancel", "--yes", "--json"]) == 0
    canceled = Subscription.model_validate(wire_from_json(json.loads(capsys.readouterr().out)))
    assert canceled.cancel_at is not None
    assert main(["--sandbox", "subscription", "resume", "--yes", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cancel_at"] is None
    # For people: when it ends, said once.
    assert main(["--sandbox", "subscription", "cancel", "--yes"]) == 0
    said = capsys.readouterr().out
    assert said.count("Ends") == 1
    assert "(cancellation scheduled)" in said
    assert main(["--sandbox", "subscription", "resume", "--yes", "--json"]) == 0
    capsys.readouterr()

    assert main(["--sandbox", "methods", "list", "--json"]) == 0
    card = PaymentMethod.model_validate(json.loads(capsys.readouterr().out)[0])
    assert main(["--sandbox", "methods", "update", card.id, "--exp", "03/31", "--json"]) == 0
    updated = PaymentMethod.model_validate(json.loads(capsys.readouterr().out))
    assert (updated.exp_month, updated.exp_year) == (3, 2031)

    assert main(["--sandbox", "contacts", "list", "--json"]) == 0
    contact = FinancialContact.model_validate(json.loads(capsys.readouterr().out)[0])
    assert main(["--sandbox", "contacts", "edit", contact.id, "--name", "Ana S.", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Ana S."

    assert main(["--sandbox", "invoices", "list", "--status", "past_due", "--json"]) == 0
    invoice = json.loads(capsys.readouterr().out)[0]
    assert main(["--sandbox", "invoices", "pdf", invoice["id"], "-o", str(tmp_path)]) == 0
    saved = tmp_path / f"invoice-{invoice['number']}.pdf"
    assert saved.read_bytes().startswith(b"%PDF-")
    assert main(["--sandbox", "invoices", "pdf", invoice["id"], "-o", str(saved)]) == 1
    assert "--force" in capsys.readouterr().err
    # A receipt exists only once paid.
    assert main(["--sandbox", "invoices", "receipt", invoice["id"], "-o", str(tmp_path)]) == 4


def _pay_on_a_terminal(answer: str, capsys):
    from mktui.cli.main import build_parser

    args = build_parser().parse_args(
        ["--sandbox", "invoices", "list", "--status", "past_due", "--json"]
    )
    assert args.handler(args) == 0
    invoice = json.loads(capsys.readouterr().out)[0]
    asked = []

    def ask(prompt):
        asked.append(prompt)
        return answer

    args = build_parser().parse_args(["--sandbox", "invoices", "pay", invoice["id"], "--json"])
    code = args.handler(args, ask=ask, interactive=True)
    return code, invoice, asked, capsys.readouterr()


def test_on_a_terminal_a_payment_is_asked_first_and_no_means_nothing_is_charged(sandbox, capsys):
    code, invoice, asked, seen = _pay_on_a_terminal("n\n", capsys)
    assert code == 1 and asked == ["Pay R$ 129,00? [y/N] "]
    assert "R$ 129,00 to Visa •••• 4242" in seen.err and "nothing was done" in seen.err
    assert seen.out == "" and sandbox.pays == []


def test_on_a_terminal_yes_pays_and_the_json_stays_clean(sandbox, capsys):
    sandbox.decline = False
    code, invoice, asked, seen = _pay_on_a_terminal("y\n", capsys)
    assert code == 0 and len(asked) == 1
    assert sandbox.pays == [invoice["id"]]
    assert json.loads(seen.out)["status"] == "paid"  # the prompt went to stderr, not into the JSON


def test_set_plan_sends_the_previews_quote_with_its_total(sandbox, capsys):
    """Like every money command, set-plan sends expected_total and expected_quote."""
    assert main(["--sandbox", "subscription", "set-plan", "annual", "--yes", "--json"]) == 0
    capsys.readouterr()
    (sent,) = sandbox.changes
    assert sent["plan"] == "annual" and sent["expected_total"] == 10 * 12900
    assert isinstance(sent["expected_quote"], str) and sent["expected_quote"]
