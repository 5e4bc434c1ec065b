"""The console's previews of a plan switch and of a yearly renewal equal what the sandbox charges.

For random dates, device counts and credit balances: the sandbox's billing
code runs on a bare store (no seed, no HTTP), and what it records — invoice
total, credit granted and used, the balance after — is compared to the
pure preview, to the centavo.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from mktui.api.models import ChangeSubscriptionRequest
from mktui.core.money import Money
from mktui.core.pricing import next_first
from mktui.core.pricing_lifecycle import (
    annual_renewal_date,
    preview_plan_switch,
    preview_yearly_renewal,
)
from mktui.sandbox import lifecycle, renewals
from mktui.sandbox.store import Store

ZONE = ZoneInfo("America/Sao_Paulo")
SOME = settings(max_examples=40, deadline=None)
dates = st.dates(min_value=date(2026, 1, 1), max_value=date(2035, 12, 31))
device_counts = st.integers(min_value=1, max_value=5000)
credits = st.integers(min_value=0, max_value=10**8)


@contextmanager
def _store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory(prefix="mktui-prop-") as folder:
        yield Store(Path(folder) / "db")


def _account(conn, *, plan: str, devices: int, credit: int, since: date) -> str:
    conn.execute(
        "INSERT INTO accounts (id, email, name, password_hash, status, currency, tax_id, "
        "credit_balance, default_payment_method_id) "
        "VALUES ('acct_p', 'p@x.test', 'P', '-', 'active', 'BRL', '11222333000181', ?, NULL)",
        (credit,),
    )
    conn.execute(
        "INSERT INTO payment_methods (id, account_id, brand, last4, exp_month, exp_year, "
        "holder_name, outcome, created_at) VALUES ('pm_p', 'acct_p', 'visa', '4242', 12, 2099, "
        "'P', 'succeeds', '2026-01-01')"
    )
    conn.execute("UPDATE accounts SET default_payment_method_id = 'pm_p'")
    conn.execute(
        "INSERT INTO subscriptions (account_id, plan, currency, devices, current_period_start, "
        "current_period_end, annual_since) VALUES ('acct_p', ?, 'BRL', ?, ?, ?, ?)",
        (
            plan,
            devices,
            since.replace(day=1).isoformat(),
            (next_first(since) - timedelta(days=1)).isoformat(),
            since.isoformat() if plan == "annual" else None,
        ),
    )
    return "acct_p"


def _balance(conn) -> int:
    return conn.execute("SELECT credit_balance FROM accounts").fetchone()[0]


@SOME
@given(today=dates, n=device_counts, credit=credits)
def test_monthly_to_annual_charges_what_the_preview_said(today, n, credit):
    with _store() as store, store.write() as conn:
        account_id = _account(conn, plan="monthly", devices=n, credit=credit, since=today)
        quote = preview_plan_switch(
            currency="BRL",
            current_plan="monthly",
            new_plan="annual",
            devices=n,
            today=today,
            credit_available=Money.from_minor(credit, "BRL"),
        )
        now = datetime.combine(today, time(10), tzinfo=ZONE)
        body = ChangeSubscriptionRequest(plan="annual", expected_total=quote.total.minor)
        status, answer = lifecycle.change_plan(conn, account_id, body, now)
        assert status == 200
        invoice = answer["invoice"]
        assert invoice["total"] == quote.total.minor
        assert invoice["credit_granted"] == quote.credit_granted.minor
        assert invoice["credit_applied"] == quote.credit_applied.minor == 0
        assert _balance(conn) == quote.credit_remaining.minor
        assert (
            answer["subscription"]["annual_renewal_date"] == annual_renewal_date(today).isoformat()
        )


@SOME
@given(bought=dates, n=device_counts, credit=credits)
def test_the_yearly_renewal_charges_what_the_preview_said(bought, n, credit):
    anniversary = annual_renewal_date(bought)
    with _store() as store, store.write() as conn:
        _account(conn, plan="annual", devices=n, credit=credit, since=bought)
        # The month before the anniversary is the current period.
        before = anniversary - timedelta(days=1)
        conn.execute(
            "UPDATE subscriptions SET current_period_start = ?, current_period_end = ?",
            (before.replace(day=1).isoformat(), before.isoformat()),
        )
        quote = preview_yearly_renewal(
            currency="BRL",
            devices=n,
            period_start=anniversary,
            credit_available=Money.from_minor(credit, "BRL"),
        )
        at = datetime.combine(anniversary, time(0), tzinfo=ZONE)
        renewals.run_events(conn, at - timedelta(hours=1), at)
        row = conn.execute("SELECT * FROM invoices ORDER BY seq DESC LIMIT 1").fetchone()
        assert row["period_start"] == anniversary.isoformat()
        assert row["total"] == quote.total.minor
        assert row["credit_granted"] == quote.credit_granted.minor
        assert row["credit_applied"] == quote.credit_applied.minor
        assert row["status"] == "paid"
        assert _balance(conn) == quote.credit_remaining.minor
        sub = conn.execute("SELECT annual_since FROM subscriptions").fetchone()
        assert sub["annual_since"] == anniversary.isoformat()
