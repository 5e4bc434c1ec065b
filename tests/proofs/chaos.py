"""The chaos proof: payment intents through a fault-injecting proxy to a real sandbox server.

``run(folder, seed=..., rounds=...)`` starts ``mktui sandbox serve`` (a real
process, its clock pinned), puts :class:`FaultProxy` in front of it, and
drives the real ``BillingClient`` through it: a subscription, card attaches,
device increases (some declined), and invoice payments (declined, then paid)
over ``rounds`` months of renewals. Every intent keeps one Idempotency-Key
until it has a definite answer — exactly what the console does when the admin
presses Pay again after a lost answer. Then the server's database is read and
the invariants are checked (see :func:`check`). ``python -m tests.proofs.chaos``
prints the figures.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

from mktui.api.client import BillingClient, new_idempotency_key
from mktui.api.errors import ApiError, ErrorKind
from mktui.api.models import (
    ChangeDevicesRequest,
    NewPaymentMethod,
    PreviewRequest,
    SubscribeRequest,
)
from mktui.api.retry import RetryPolicy
from tests.proofs.fault_proxy import FaultProxy

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261126
START = "2026-11-26T09:00:00-03:00"
GOOD, DECLINED = "4242424242424242", "4000000000000002"
INCREASES_PER_ROUND = 15
UNKNOWN = (ErrorKind.UNAVAILABLE, ErrorKind.UNEXPECTED, ErrorKind.RATE_LIMITED)


@dataclass
class Intent:
    """One user intent and what the client finally reported about it."""

    kind: str  # subscribe, attach, increase, pay
    account: str
    key: str
    state: str = "pending"  # paid, declined, attached, price_changed, not_payable
    invoice_id: str | None = None
    delta: int = 0
    expected_total: int | None = None
    sends: int = 0  # how many times the client was asked (1 + retries after an unknown outcome)


@dataclass
class Report:
    intents: list[Intent] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    replays: int = 0
    unknown_outcomes: int = 0
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)
    start_devices: dict[str, int] = field(default_factory=dict)

    def figures(self) -> str:
        """One paragraph of figures for the README and the CI log."""
        kinds = Counter(i.kind for i in self.intents)
        states = Counter(i.state for i in self.intents)
        injected = sum(n for k, n in self.faults.items() if k != "pass")
        by_kind = ", ".join(f"{k} {n}" for k, n in sorted(self.faults.items()) if k != "pass")
        return (
            f"chaos proof: {len(self.intents)} intents ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
            f"outcomes {dict(sorted(states.items()))}; {self.requests} requests through the proxy, "
            f"{injected} faults injected ({by_kind}); {self.unknown_outcomes} unknown outcomes "
            f"resolved by sending the same intent again, {self.replays} idempotent replays; "
            f"double charges {self.double_charges}; invariant violations {len(self.violations)}; "
            f"{self.seconds:.0f} s"
        )

    double_charges: int = 0


def _serve(db: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "mktui", "sandbox"]
    subprocess.run(
        [*cmd, "reset", "--db", str(db), "--at", START], check=True, env=env, capture_output=True
    )
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", "0", "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise RuntimeError(f"the sandbox did not start: {proc.stderr.read()}")
    return proc, line.split("listening on ", 1)[1].split(" ", 1)[0]


async def _no_wait(seconds: float) -> None:
    """Backoffs are not waited: the proof is about outcomes, not pacing."""


def _client(port: int) -> BillingClient:
    return BillingClient(
        f"http://127.0.0.1:{port}",
        timeout=httpx.Timeout(connect=2.0, read=1.0, write=2.0, pool=5.0),
        sleep=_no_wait,
        retry_policy=RetryPolicy(max_retries=3, jitter=lambda: 0.5),
    )


async def _until_definite(intent: Intent, report: Report, call):
    """Send the intent (same key) until the answer is definite; returns it or raises ApiError."""
    while True:
        intent.sends += 1
        try:
            return await call()
        except ApiError as error:
            if error.kind in UNKNOWN:
                report.unknown_outcomes += 1
                continue
            raise


async def _read(call):
    """A read (or a preview) through the faults: retried until it answers."""
    while True:
        try:
            return await call()
        except ApiError as error:
            if error.kind in UNKNOWN:
                continue
            raise


async def _sign_in(client: BillingClient, who: str) -> None:
    await _read(lambda: client.sign_in(f"{who}@mkcontroller.test", "sandbox"))


async def _attach(client, report, who, number, *, default=False) -> str:
    card = NewPaymentMethod(
        holder_name="Chaos Proof",
        number=number,
        exp_month=12,
        exp_year=2035,
        cvc="123",
        make_default=default,
    )
    intent = Intent("attach", who, new_idempotency_key())
    report.intents.append(intent)
    method = await _until_definite(
        intent, report, lambda: client.add_payment_method(card, idempotency_key=intent.key)
    )
    intent.state = "attached"
    return method.id


async def _increase(client, report, who, rng) -> None:
    sub = await _read(client.subscription)
    delta = rng.randint(1, 3)
    devices = sub.devices + delta
    preview = await _read(lambda: client.preview(PreviewRequest(devices=devices)))
    intent = Intent(
        "increase", who, new_idempotency_key(), delta=delta, expected_total=preview.total
    )
    report.intents.append(intent)
    request = ChangeDevicesRequest(
        devices=devices, expected_total=preview.total, expected_quote=preview.quote
    )

    async def send():
        if rng.random() < 0.1:  # a double press: two sends of one intent at once
            first, second = await asyncio.gather(
                client.change_devices(request, idempotency_key=intent.key),
                client.change_devices(request, idempotency_key=intent.key),
            )
            assert first == second
            return first
        return await client.change_devices(request, idempotency_key=intent.key)

    try:
        result = await _until_definite(intent, report, send)
    except ApiError as error:
        intent.state = {
            ErrorKind.PAYMENT_FAILED: "declined",
            ErrorKind.PRICE_CHANGED: "price_changed",
        }.get(error.kind, error.kind.value)
        return
    intent.state = "paid"
    intent.invoice_id = result.invoice.id if result.invoice else None


async def _pay_by_pix(client, bank, report, who, invoice) -> None:
    """A Pix charge (one key until definite), paid by the bank, twice; then a card tries too."""
    intent = Intent(
        "pix", who, new_idempotency_key(), invoice_id=invoice.id, expected_total=invoice.amount_due
    )
    report.intents.append(intent)
    charge = await _until_definite(
        intent, report, lambda: client.pix_charge(invoice.id, idempotency_key=intent.key)
    )
    if charge.amount != invoice.amount_due:
        report.violations.append(
            f"pix for {invoice.number}: {charge.amount} != {invoice.amount_due}"
        )
    # The payer's bank pays (not through the faulty network), and its retry must not pay twice.
    answers = [(await bank.post(f"/sandbox/pix/{charge.txid}/pay")).status_code for _ in range(2)]
    if answers[0] != 200 or answers[1] != 409:
        report.violations.append(
            f"pix {invoice.number}: the bank's two payments answered {answers}"
        )
    paid = await _read(lambda: client.invoice(invoice.id))
    intent.state = "paid" if paid.status == "paid" else f"status {paid.status}"
    if intent.state != "paid":
        report.violations.append(f"pix {invoice.number}: {intent.state} after the bank paid")


async def _pay_open(client, report, who, declined_pm, good_pm, bank=None) -> None:
    page = await _read(lambda: client.invoices(limit=200))
    for invoice in page.data:
        if invoice.status not in ("open", "past_due"):
            continue
        attempts = [(declined_pm, "declined"), (good_pm, "paid")]
        if bank is not None:
            await _pay_by_pix(client, bank, report, who, invoice)
            attempts = [(good_pm, "not_payable")]  # paid by Pix: a card must not pay it again
        for pm, expected in attempts:
            intent = Intent(
                "pay",
                who,
                new_idempotency_key(),
                invoice_id=invoice.id,
                expected_total=invoice.amount_due,
            )
            report.intents.append(intent)
            try:
                paid = await _until_definite(
                    intent,
                    report,
                    lambda pm=pm, intent=intent: client.pay_invoice(
                        invoice.id, pm, idempotency_key=intent.key
                    ),
                )
                intent.state = "paid" if paid.status == "paid" else f"status {paid.status}"
            except ApiError as error:
                intent.state = {
                    ErrorKind.PAYMENT_FAILED: "declined",
                    ErrorKind.CONFLICT: "not_payable",
                }.get(error.kind, error.kind.value)
            if intent.state != expected:
                report.violations.append(
                    f"pay {invoice.number} with {expected} card: {intent.state}"
                )


async def _switch_plan(client, report, who) -> None:
    """Monthly → annual (charged now) or annual → monthly (from the next 1st), one key."""
    sub = await _read(client.subscription)
    target = "annual" if sub.plan == "monthly" else "monthly"
    preview = await _read(lambda: client.preview(PreviewRequest(plan=target)))
    intent = Intent("switch", who, new_idempotency_key(), expected_total=preview.total)
    report.intents.append(intent)
    request = ChangeDevicesRequest(
        plan=target, expected_total=preview.total, expected_quote=preview.quote
    )
    try:
        result = await _until_definite(
            intent, report, lambda: client.change_devices(request, idempotency_key=intent.key)
        )
    except ApiError as error:
        intent.state = {
            ErrorKind.PAYMENT_FAILED: "declined",
            ErrorKind.PRICE_CHANGED: "price_changed",
        }.get(error.kind, error.kind.value)
        return
    intent.state = "paid"
    intent.invoice_id = result.invoice.id if result.invoice else None


async def _subscribe(client, report, pm) -> None:
    preview = await _read(
        lambda: client.preview(
            PreviewRequest(currency="BRL", plan="monthly", devices=5, tax_id="529.982.247-25")
        )
    )
    intent = Intent(
        "subscribe", "new", new_idempotency_key(), delta=5, expected_total=preview.total
    )
    report.intents.append(intent)
    request = SubscribeRequest(
        currency="BRL",
        plan="monthly",
        devices=5,
        tax_id="529.982.247-25",
        payment_method_id=pm,
        expected_total=preview.total,
        expected_quote=preview.quote,
    )
    result = await _until_definite(
        intent, report, lambda: client.subscribe(request, idempotency_key=intent.key)
    )
    intent.state = "paid"
    intent.invoice_id = result.invoice.id if result.invoice else None


async def _drive(proxy_port: int, upstream: str, report: Report, seed: int, rounds: int) -> None:
    rng = random.Random(seed)
    clients = {who: _client(proxy_port) for who in ("demo", "annual", "new")}
    try:
        for who, client in clients.items():
            await _sign_in(client, who)
            sub = await _read(client.subscription)
            report.start_devices[who] = sub.devices if sub is not None else 0
        demo = clients["demo"]
        demo_good = next(m.id for m in await _read(demo.payment_methods) if m.last4 == "4242")
        demo_declined = await _attach(demo, report, "demo", DECLINED)
        new_good = await _attach(clients["new"], report, "new", GOOD, default=True)
        await _subscribe(clients["new"], report, new_good)
        async with httpx.AsyncClient(base_url=upstream, timeout=60) as bank:
            day = date(2026, 12, 1)
            for month in range(rounds):
                # Demo's renewals fail on even months (its default is the declined card then).
                default = demo_declined if month % 2 == 0 else demo_good
                await _read(lambda default=default: demo.set_default_payment_method(default))
                # Odd months' overdue invoices are paid by Pix, even months' by card.
                pix_bank = bank if month % 2 else None
                await _pay_open(demo, report, "demo", demo_declined, demo_good, pix_bank)
                await _switch_plan(clients["new"], report, "new")

                async def increases(who: str, seed_: int) -> None:
                    local = random.Random(seed_)
                    for _ in range(INCREASES_PER_ROUND):
                        await _increase(clients[who], report, who, local)

                await asyncio.gather(*(increases(w, rng.random()) for w in clients))
                r = await bank.post(
                    "/sandbox/clock", json={"now": f"{day.isoformat()}T09:00:00-03:00"}
                )
                r.raise_for_status()
                day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            await _pay_open(demo, report, "demo", demo_declined, demo_good)
    finally:
        for client in clients.values():
            await client.aclose()


def check(db: Path, report: Report) -> None:
    """The invariants, read from the server's own database after the run."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    bad = report.violations
    ids = {
        r["email"].split("@")[0]: r["id"] for r in conn.execute("SELECT id, email FROM accounts")
    }
    # 1. Each invoice is paid at most once: at most one payment row in the ledger.
    twice = conn.execute(
        "SELECT invoice_id, count(*) n FROM ledger WHERE kind = 'payment' GROUP BY invoice_id HAVING n > 1"
    ).fetchall()
    report.double_charges = len(twice)
    bad += [f"invoice {r['invoice_id']} paid {r['n']} times" for r in twice]
    for who, account_id in ids.items():
        mine = [i for i in report.intents if i.account == who]
        # 2. What the client reported paid is exactly what the server paid (no more, no less).
        reported = {
            i.invoice_id
            for i in mine
            if i.kind in ("increase", "switch") and i.state == "paid" and i.invoice_id
        }
        server = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM invoices WHERE account_id = ? AND kind = 'change' AND status = 'paid'",
                (account_id,),
            )
        }
        if reported != server:
            bad.append(f"{who}: paid increases reported {len(reported)}, server {len(server)}")
        # A charge the client never reported (a duplicate of an intent) is a double charge.
        report.double_charges += len(server - reported)
        activations = conn.execute(
            "SELECT count(*) FROM invoices WHERE account_id = ? AND kind = 'activation' AND status = 'paid'",
            (account_id,),
        ).fetchone()[0]
        if activations > 1:
            report.double_charges += activations - 1
            bad.append(f"{who}: {activations} paid activations")
        declined = sum(
            1 for i in mine if i.kind in ("increase", "switch") and i.state == "declined"
        )
        voided = conn.execute(
            "SELECT count(*) FROM invoices WHERE account_id = ? AND kind = 'change' AND status = 'void'",
            (account_id,),
        ).fetchone()[0]
        if declined != voided:
            bad.append(
                f"{who}: declined increases reported {declined}, voided on the server {voided}"
            )
        for intent in mine:
            if intent.state == "paid" and intent.invoice_id:
                row = conn.execute(
                    "SELECT status, total FROM invoices WHERE id = ?", (intent.invoice_id,)
                ).fetchone()
                if (
                    row is None
                    or row["status"] != "paid"
                    or (intent.kind not in ("pay", "pix") and row["total"] != intent.expected_total)
                ):
                    bad.append(
                        f"{who}: {intent.kind} reported paid {intent.invoice_id}, server {dict(row or {})}"
                    )
            if intent.kind == "pay" and intent.state == "declined":
                status = conn.execute(
                    "SELECT status FROM invoices WHERE id = ?", (intent.invoice_id,)
                ).fetchone()[0]
                if status == "void":
                    bad.append(f"{who}: a declined retry voided invoice {intent.invoice_id}")
        # 3. The quota moved by exactly the increases reported paid.
        sub = conn.execute(
            "SELECT devices FROM subscriptions WHERE account_id = ?", (account_id,)
        ).fetchone()
        moved = sum(
            i.delta for i in mine if i.state == "paid" and i.kind in ("subscribe", "increase")
        )
        expected = report.start_devices.get(who, 0) + moved
        if (sub["devices"] if sub is not None else 0) != expected:
            bad.append(
                f"{who}: {sub['devices'] if sub else 0} devices on the server, {expected} reported"
            )
        # 4. The ledger balances: credit rows chain, the balance is the account's, payments are invoices'.
        balance = 0
        for row in conn.execute(
            "SELECT kind, amount, balance_after FROM ledger WHERE account_id = ? ORDER BY seq",
            (account_id,),
        ):
            if row["kind"] in ("credit_grant", "credit_use"):
                balance += row["amount"]
            if row["balance_after"] != balance:
                bad.append(f"{who}: ledger balance_after {row['balance_after']} != {balance}")
                break
        credit = conn.execute(
            "SELECT credit_balance FROM accounts WHERE id = ?", (account_id,)
        ).fetchone()[0]
        if credit != balance:
            bad.append(f"{who}: credit balance {credit} != ledger {balance}")
        paid_total = conn.execute(
            "SELECT coalesce(sum(total), 0) FROM invoices WHERE account_id = ? AND status = 'paid'",
            (account_id,),
        ).fetchone()[0]
        payments = conn.execute(
            "SELECT coalesce(sum(amount), 0) FROM ledger WHERE account_id = ? AND kind = 'payment'",
            (account_id,),
        ).fetchone()[0]
        if paid_total != payments:
            bad.append(
                f"{who}: paid invoices total {paid_total}, payments in the ledger {payments}"
            )
        # 5. Each attach intent stored exactly one card.
        attaches = sum(1 for i in mine if i.kind == "attach")
        stored = conn.execute(
            "SELECT count(*) FROM payment_methods WHERE account_id = ? AND holder_name = 'Chaos Proof'",
            (account_id,),
        ).fetchone()[0]
        if attaches != stored:
            bad.append(f"{who}: {attaches} cards attached, {stored} stored")
    conn.close()


def run(folder: Path, *, seed: int = SEED, rounds: int = 12) -> Report:
    """Run the proof in ``folder`` (the database lives there); the report, invariants checked."""
    db = folder / "chaos.db"
    report = Report()
    started = time.monotonic()
    proc, upstream = _serve(db)
    try:

        async def main() -> None:
            proxy = FaultProxy(upstream, seed=seed)
            await proxy.start()
            try:
                await _drive(proxy.port, upstream, report, seed, rounds)
            finally:
                await proxy.stop()
                report.faults = proxy.faults
                report.requests = proxy.requests
                report.replays = proxy.replays

        asyncio.run(main())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    report.seconds = time.monotonic() - started
    check(db, report)
    return report


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp))
    print(result.figures())
    for line in result.violations:
        print("VIOLATION:", line)
    sys.exit(1 if result.violations else 0)
