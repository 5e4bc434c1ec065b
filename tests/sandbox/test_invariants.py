"""Stateful property test: random sequences of billing actions keep the books consistent.

Hypothesis drives the demo and annual accounts through clock moves, payments
(good and declined cards), device changes and default-card swaps; after every
step the ledger, the invoices and the account status must agree.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import warnings
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from mktui.sandbox.app import create_app

with warnings.catch_warnings():  # starlette nudges towards httpx2; the httpx client works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

WHO = st.sampled_from(["demo", "annual"])


class Books(RuleBasedStateMachine):
    """The sandbox under random actions; ``template`` is a seeded database to start from."""

    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="mktui-books-"))
        shutil.copyfile(self.template, self.dir / "db")
        self.app = create_app(self.dir / "db", rate_limit=None)
        self.client = TestClient(self.app)
        self.headers = {}
        for who in ("demo", "annual"):
            r = self.client.post(
                "/v1/auth/token", json={"email": f"{who}@mkcontroller.test", "password": "sandbox"}
            )
            self.headers[who] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        declined = {
            "holder_name": "D",
            "number": "4000000000000002",
            "exp_month": 12,
            "exp_year": 2040,
            "cvc": "123",
        }
        self.declined = {
            who: self.client.post("/v1/payment-methods", headers=h, json=declined).json()["id"]
            for who, h in self.headers.items()
        }
        self.good = {
            who: self.get(who, "/v1/account")["default_payment_method_id"] for who in self.headers
        }

    def teardown(self) -> None:
        self.client.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def get(self, who: str, path: str) -> dict:
        r = self.client.get(path, headers=self.headers[who])
        assert r.status_code == 200, r.text
        return r.json()

    def send(self, method: str, who: str, path: str, body: dict | None = None):
        headers = {**self.headers[who], "Idempotency-Key": uuid.uuid4().hex}
        return self.client.request(method, path, headers=headers, json=body)

    @rule(days=st.integers(1, 45))
    def move_clock(self, days: int) -> None:
        from datetime import datetime, timedelta

        now = datetime.fromisoformat(self.client.get("/sandbox/clock").json()["now"])
        r = self.client.post(
            "/sandbox/clock", json={"now": (now + timedelta(days=days)).isoformat()}
        )
        assert r.status_code == 200, r.text

    @rule(who=WHO, declined=st.booleans())
    def pay_oldest_late_invoice(self, who: str, declined: bool) -> None:
        late = self.get(who, "/v1/invoices?status=past_due&limit=200")["data"]
        if not late:
            return
        pm = self.declined[who] if declined else self.good[who]
        r = self.send("POST", who, f"/v1/invoices/{late[-1]['id']}/pay", {"payment_method_id": pm})
        assert r.status_code == (402 if declined else 200), r.text

    @rule(who=WHO, devices=st.integers(7, 20))
    def change_devices(self, who: str, devices: int) -> None:
        quote = self.client.post(
            "/v1/subscription/preview", headers=self.headers[who], json={"devices": devices}
        )
        if quote.status_code != 200:
            assert quote.status_code == 422  # the same number: nothing to preview
            return
        r = self.send(
            "PATCH",
            who,
            "/v1/subscription",
            {"devices": devices, "expected_total": quote.json()["total"]},
        )
        assert r.status_code in (200, 402, 409), r.text

    @rule(who=WHO, declined=st.booleans())
    def choose_default_card(self, who: str, declined: bool) -> None:
        pm = self.declined[who] if declined else self.good[who]
        assert self.send("POST", who, f"/v1/payment-methods/{pm}/default").status_code == 200

    @invariant()
    def books_agree(self) -> None:
        for who in self.headers:
            acct = self.get(who, "/v1/account")
            rows = list(reversed(self.get(who, "/v1/ledger?limit=200")["data"]))
            invoices = self.get(who, "/v1/invoices?limit=200")["data"]
            running = 0
            for row in rows:
                if row["kind"] in ("credit_grant", "credit_use"):
                    running += row["amount"]
                assert row["balance_after"] == running >= 0
            assert acct["credit_balance"] == running
            payments = {}
            for row in rows:
                if row["kind"] == "payment":
                    payments[row["invoice_id"]] = payments.get(row["invoice_id"], 0) + row["amount"]
            for inv in invoices:
                assert inv["subtotal"] - inv["credit_applied"] == inv["total"]
                assert inv["amount_due"] == (
                    inv["total"] if inv["status"] in ("open", "past_due") else 0
                )
                paid_by_card = inv["status"] == "paid" and inv["total"] > 0
                assert payments.get(inv["id"], 0) == (inv["total"] if paid_by_card else 0)
            late = [i for i in invoices if i["status"] == "past_due"]
            assert (acct["status"] in ("past_due", "suspended")) == bool(late), (
                acct["status"],
                late,
            )


def test_books_stay_consistent(seeded_template):
    Books.template = seeded_template
    run_state_machine_as_test(
        Books,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )
