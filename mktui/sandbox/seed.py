"""The three demo accounts of a fresh sandbox, their history dated back from the clock's start.

The history is not typed in: it is produced by the same billing code the API
uses, with the clock walked forward from a year ago — so every seeded invoice,
ledger row and credit balance obeys the rules of :mod:`mktui.core.pricing`.

- demo@mkcontroller.test: monthly BRL, 10 devices (7 in use); a year of paid
  renewals; this month's renewal failed (insufficient funds, on a card since
  removed), so the account is past due; Visa 4242 (default) and Mastercard 4444.
- annual@mkcontroller.test: annual BRL, 5 devices; a credit grant five months
  ago and a credit use every month since.
- new@mkcontroller.test: inactive, nothing at all.

``history=N`` gives the demo account N older invoices (renewals of earlier
months, paid with its first card; every 50th void) and their ledger rows
before that year: a big account, for the scale benchmark and paging tests.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mktui.api.models import SubscribeRequest
from mktui.core import pricing
from mktui.sandbox import auth, billing, cards, clock, invoices, renewals
from mktui.sandbox.store import Store, new_id

PASSWORD = "sandbox"  # noqa: S105 - the documented demo password of a local sandbox
TIMEZONE = "America/Sao_Paulo"
DEMO_CNPJ = "11222333000181"
ANNUAL_CNPJ = "11444777000161"


def _months_back(first: date, months: int) -> date:
    year, month = divmod(first.year * 12 + first.month - 1 - months, 12)
    return date(year, month + 1, 1)


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(TIMEZONE))


def _account(conn: sqlite3.Connection, email: str, name: str, in_use: int = 0) -> str:
    account_id = new_id("acct")
    conn.execute(
        "INSERT INTO accounts (id, email, name, password_hash, status, devices_in_use) "
        "VALUES (?, ?, ?, ?, 'inactive', ?)",
        (account_id, email, name, auth.hash_password(PASSWORD), in_use),
    )
    return account_id


def _card(
    conn: sqlite3.Connection,
    account_id: str,
    number: str,
    holder: str,
    today: date,
    *,
    default: bool,
) -> str:
    card = cards.check_card(number, 12, today.year + 3, "123", today)
    pm_id = new_id("pm")
    conn.execute(
        "INSERT INTO payment_methods (id, account_id, brand, last4, exp_month, exp_year, holder_name, "
        "outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            pm_id,
            account_id,
            card.brand,
            card.last4,
            card.exp_month,
            card.exp_year,
            holder,
            card.outcome,
            datetime.combine(today, time(12)).isoformat(),
        ),
    )
    if default:
        conn.execute(
            "UPDATE accounts SET default_payment_method_id = ? WHERE id = ?", (pm_id, account_id)
        )
    return pm_id


def _subscribe(
    conn: sqlite3.Connection,
    account_id: str,
    pm_id: str,
    plan: str,
    devices: int,
    tax_id: str,
    at: datetime,
) -> None:
    today = pricing.billing_today(at, TIMEZONE)
    quote = pricing.preview_activation(
        currency="BRL", plan=plan, devices=devices, today=today, tax_id=tax_id
    )
    body = SubscribeRequest(
        currency="BRL",
        plan=plan,
        devices=devices,
        tax_id=tax_id,
        payment_method_id=pm_id,
        expected_total=quote.total.minor,
    )
    status, _ = billing.subscribe(conn, account_id, body, at)
    if status != 200:  # pragma: no cover - the seed cards always succeed
        raise RuntimeError("seeding the sandbox failed to subscribe a demo account")


def _history(
    conn: sqlite3.Connection, account_id: str, pm_id: str, count: int, end: datetime
) -> None:
    """``count`` paid (every 50th void) renewal invoices before ``end``, oldest first.

    Issued through :func:`mktui.sandbox.invoices.issue` and paid through
    :func:`~mktui.sandbox.invoices.charge` and ``record_payment`` (which writes
    the ledger's payment row), two hours apart, so issue dates rise with the
    list's order. One renewal preview per month serves that month's invoices.
    """
    step = timedelta(hours=2)
    previews: dict[date, pricing.Preview] = {}
    method = conn.execute("SELECT * FROM payment_methods WHERE id = ?", (pm_id,)).fetchone()
    for n in range(count):
        at = end - step * (count - n)
        first = pricing.billing_today(at, TIMEZONE).replace(day=1)
        preview = previews.get(first)
        if preview is None:
            preview = previews[first] = pricing.preview_renewal(
                currency="BRL", devices=10, period_start=first
            )
        invoice = invoices.issue(conn, account_id, "renewal", preview, issued_at=at, due_date=first)
        if n % 50 == 49:
            conn.execute("UPDATE invoices SET status = 'void' WHERE id = ?", (invoice["id"],))
            continue
        invoices.charge(conn, invoice, method, at=at, today=first)
        invoices.record_payment(conn, invoice, method, at=at)


def seed(conn: sqlite3.Connection, start: datetime, history: int = 0) -> None:
    """Create the demo accounts with their history, ending with the clock at ``start``.

    ``history``: how many older invoices (and ledger rows) the demo account gets besides.
    """
    this_month = pricing.billing_today(start, TIMEZONE).replace(day=1)
    demo_start = _local(_months_back(this_month, 12), 10)
    annual_start = _local(_months_back(this_month, 5), 10)
    month_begins = _local(this_month, 0)
    clock.start(conn, demo_start)

    demo = _account(conn, "demo@mkcontroller.test", "Demo Networks Ltda", in_use=7)
    annual = _account(conn, "annual@mkcontroller.test", "Annual Telecom S.A.", in_use=3)
    _account(conn, "new@mkcontroller.test", "New Customer")

    first_card = _card(
        conn, demo, "4012888888881881", "Demo Networks", demo_start.date(), default=True
    )
    if history:
        _history(conn, demo, first_card, history, demo_start)
    _subscribe(conn, demo, first_card, "monthly", 10, DEMO_CNPJ, demo_start)
    renewals.run_events(conn, demo_start, annual_start)

    annual_card = _card(
        conn, annual, "5555555555554444", "Annual Telecom", annual_start.date(), default=True
    )
    _subscribe(conn, annual, annual_card, "annual", 5, ANNUAL_CNPJ, annual_start)
    swap = month_begins - timedelta(days=3)
    renewals.run_events(conn, annual_start, swap)

    # Late last month the admin swapped to a card without funds: this month's renewal fails.
    _card(conn, demo, "4000000000009995", "Demo Networks", swap.date(), default=True)
    conn.execute("DELETE FROM payment_methods WHERE id = ?", (first_card,))
    renewals.run_events(conn, swap, start)

    failing = conn.execute(
        "SELECT default_payment_method_id FROM accounts WHERE id = ?", (demo,)
    ).fetchone()[0]
    today = pricing.billing_today(start, TIMEZONE)
    _card(conn, demo, "4242424242424242", "Demo Networks", today, default=True)
    _card(conn, demo, "5555555555554444", "Demo Networks", today, default=False)
    conn.execute("DELETE FROM payment_methods WHERE id = ?", (failing,))
    for name, email in (
        ("Ana Souza", "financeiro@demo-networks.test"),
        ("Bruno Lima", "contas@demo-networks.test"),
    ):
        conn.execute(
            "INSERT INTO contacts (id, account_id, name, email) VALUES (?, ?, ?, ?)",
            (new_id("fc"), demo, name, email),
        )
    conn.execute(
        "INSERT INTO contacts (id, account_id, name, email) VALUES (?, ?, ?, ?)",
        (new_id("fc"), annual, "Carla Dias", "financeiro@annual-telecom.test"),
    )
    clock.start(conn, start)


def ensure_seeded(store: Store, start: datetime, history: int = 0) -> bool:
    """Seed a database that has no accounts yet; True when it did (``history``: see :func:`seed`)."""
    with store.write() as conn:
        if conn.execute("SELECT count(*) FROM accounts").fetchone()[0]:
            return False
        seed(conn, clock.to_utc(start), history)
        return True
