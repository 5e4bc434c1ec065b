"""``mktui invoices list|show|pay|receipt|pdf``.

``list`` streams: each page is written as it arrives and then dropped, so
``--all`` over 100 000 invoices holds one page at a time. ``pay`` states the
amount, the invoice and the card, asks (or needs ``--yes``), then pays with
one Idempotency-Key per invoice; ``pay --all-overdue`` pays the past-due
invoices oldest first and reports each outcome, a decline never stopping
the others.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from mktui.api.csv_records import INVOICE_COLUMNS, paid_with
from mktui.cli.commands import values
from mktui.cli.commands.account import choose_card, format_date
from mktui.cli.connect import UsageError
from mktui.cli.exit_codes import Exit, for_api_error
from mktui.cli.output import Column, csv_money, money_json, money_text, to_json
from mktui.cli.runner import Context, add_common, add_money_options, command, explain
from mktui.cli.words import code_text
from mktui.core import dates
from mktui.core.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from mktui.api.errors import ApiError
    from mktui.api.models import Invoice, PaymentMethod

PAGE = 200  # the contract's largest page: fewest round trips for --all
DEFAULT_LIMIT = 50


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``invoices`` and its subcommands."""
    invoices = subparsers.add_parser("invoices", help=_("list, show, pay and save invoices"))
    sub = invoices.add_subparsers(dest="invoices_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help=_("invoices, newest first"))
    listing.add_argument(
        "--status", choices=("open", "past_due", "paid", "void"), help=_("only this status")
    )
    listing.add_argument("--since", metavar="DATE", help=_("issued on or after (2026-01-31)"))
    listing.add_argument("--until", metavar="DATE", help=_("issued on or before (2026-12-31)"))
    listing.add_argument("--search", metavar="NUMBER", help=_("invoice numbers starting with this"))
    listing.add_argument("--all", action="store_true", help=_("every page (streamed)"))
    listing.add_argument(
        "--limit", metavar="N", default=str(DEFAULT_LIMIT), help=_("without --all, at most N rows")
    )
    add_common(listing)
    listing.set_defaults(handler=command(run_list))

    show = sub.add_parser("show", help=_("one invoice with its lines and last failure"))
    show.add_argument("invoice_id", metavar="ID", help=_("the invoice (see `mktui invoices list`)"))
    add_common(show)
    show.set_defaults(handler=command(run_show))

    pay = sub.add_parser("pay", help=_("pay an invoice, or every overdue one (--all-overdue)"))
    pay.add_argument(
        "invoice_id", metavar="ID", nargs="?", help=_("the invoice (see `mktui invoices list`)")
    )
    pay.add_argument(
        "--all-overdue", action="store_true", help=_("every past-due invoice, oldest first")
    )
    pay.add_argument(
        "--method", metavar="PM", help=_("the card to charge (default: the default card)")
    )
    add_money_options(pay)
    add_common(pay)
    pay.set_defaults(handler=command(run_pay))

    receipt = sub.add_parser("receipt", help=_("save the receipt PDF of a paid invoice"))
    _add_pdf_options(receipt)
    receipt.set_defaults(handler=command(run_receipt))

    pdf = sub.add_parser("pdf", help=_("save the invoice as a PDF, whatever its state"))
    _add_pdf_options(pdf)
    pdf.set_defaults(handler=command(run_pdf))


def _add_pdf_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "invoice_id", metavar="ID", help=_("the invoice (see `mktui invoices list`)")
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help=_(
            "a file, a folder, or - for standard output (default: Downloads, never over a file)"
        ),
    )
    parser.add_argument("--force", action="store_true", help=_("replace PATH if it exists"))
    add_common(parser)


# ---------------------------------------------------------------- list
COLUMNS = (
    Column(N_("Number"), lambda i: i.number),
    Column(N_("Status"), lambda i: code_text(i.status)),
    Column(N_("Issued"), lambda i: format_date(dates.billing_date(i.issued_at))),
    Column(N_("Due"), lambda i: format_date(i.due_date)),
    Column(N_("Total"), lambda i: money_text(i.total, i.currency), "right"),
    Column(N_("Amount due"), lambda i: money_text(i.amount_due, i.currency), "right"),
    Column(N_("Paid with"), lambda i: _paid_with(i)),
    Column(N_("Id"), lambda i: i.id),
)

CSV_COLUMNS = INVOICE_COLUMNS  # shared with the console's export (mktui.api.csv_records)
_paid_with = paid_with


@dataclass(frozen=True)
class InvoiceFilter:
    """What ``invoices list`` asks the server for (every filter is served by the server)."""

    status: str | None = None
    since: date | None = None
    until: date | None = None
    search: str | None = None


async def invoice_pages(
    ctx: Context, wanted: InvoiceFilter, *, limit: int | None
) -> AsyncIterator[list[Invoice]]:
    """The matching invoices page by page, newest first; ``limit`` None walks every page."""
    from mktui.cli.paging import pages_ahead

    shown = 0

    def fetch(cursor: str | None):
        return ctx.client.invoices(
            wanted.status,  # type: ignore[arg-type]
            limit=PAGE,
            cursor=cursor,
            q=wanted.search,
            issued_from=wanted.since,
            issued_to=wanted.until,
        )

    walk = pages_ahead(fetch, ahead=limit is None)
    try:
        async for page in walk:
            rows = list(page.data)
            more = False
            if limit is not None and len(rows) > limit - shown:
                rows, more = rows[: limit - shown], True
            shown += len(rows)
            yield rows
            last = page.next_cursor is None
            if (last and more) or (not last and limit is not None and shown >= limit):
                ctx.note(_("Showing the first {n}; add --all for every invoice.").format(n=shown))
            if last or (limit is not None and shown >= limit):
                return
    finally:
        await walk.aclose()


async def run_list(ctx: Context) -> int:
    """Invoices, newest first, filtered; ``--all`` streams every page."""
    args = ctx.args
    wanted = InvoiceFilter(
        status=args.status,
        since=values.day(args.since, "--since"),
        until=values.day(args.until, "--until"),
        search=(args.search or "").strip() or None,
    )
    if wanted.since and wanted.until and wanted.since > wanted.until:
        raise UsageError(_("--since is after --until; no invoice can match."))
    limit = None if args.all else _positive(args.limit, "--limit")
    await ctx.out.rows(
        invoice_pages(ctx, wanted, limit=limit),
        COLUMNS,
        json_row=to_json,
        csv_columns=CSV_COLUMNS,
        empty=_("No invoices match."),
    )
    return Exit.OK


def _positive(raw: str, option: str) -> int:
    if not str(raw).strip().isdigit() or int(raw) < 1:
        raise UsageError(
            _("{option} must be a whole number of at least 1 (got {raw}).").format(
                option=option, raw=repr(raw)
            )
        )
    return int(raw)


# ---------------------------------------------------------------- show
def invoice_fields(invoice: Invoice) -> list[tuple[str, str]]:
    """An invoice for people, label by label."""
    cur = invoice.currency
    period = _("{start} to {end}").format(
        start=format_date(invoice.period_start), end=format_date(invoice.period_end)
    )
    fields = [
        (_("Invoice"), f"{invoice.number} ({invoice.id})"),
        (_("Status"), code_text(invoice.status)),
        (_("Period"), period),
        (_("Issued"), format_date(dates.billing_date(invoice.issued_at))),
        (_("Due"), format_date(invoice.due_date)),
    ]
    for line in invoice.lines:
        fields.append((_("Line"), f"{line.description}: {money_text(line.amount, cur)}"))
    fields += [
        (_("Subtotal"), money_text(invoice.subtotal, cur)),
        (_("Credit applied"), money_text(invoice.credit_applied, cur)),
        (_("Total"), money_text(invoice.total, cur)),
        (_("Amount due"), money_text(invoice.amount_due, cur)),
        (_("Attempts"), str(invoice.attempts)),
    ]
    if invoice.last_failure is not None:
        fields.append((_("Last failure"), invoice.last_failure.message))
    if invoice.paid_at is not None:
        fields.append(
            (
                _("Paid"),
                _("{when} with {method}").format(
                    when=format_date(dates.billing_date(invoice.paid_at)), method=_paid_with(invoice)
                ),
            )
        )
    if invoice.nfse is not None:
        nfse = invoice.nfse
        fields.append(
            (
                "NFS-e",
                _("no. {number}, code {code}, {status}").format(
                    number=nfse.number, code=nfse.verification_code, status=code_text(nfse.status)
                ),
            )
        )
    return fields


async def run_show(ctx: Context) -> int:
    """One invoice."""
    invoice = await ctx.client.invoice(ctx.args.invoice_id)
    ctx.out.record(
        to_json(invoice),
        invoice_fields(invoice),
        csv_row={name: csv_cell_of(get, invoice) for name, get in CSV_COLUMNS},
    )
    return Exit.OK


def csv_cell_of(get, invoice: Invoice) -> object:
    """One CSV cell of ``invoice`` (None as empty)."""
    value = get(invoice)
    return "" if value is None else value


# ---------------------------------------------------------------- pay
@dataclass
class Outcome:
    """What happened to one invoice of a payment run."""

    invoice: Invoice
    result: str  # paid | declined | not_payable | failed
    paid: Invoice | None = None
    error: ApiError | None = None

    @property
    def exit(self) -> Exit:
        """This outcome's exit code."""
        return Exit.OK if self.error is None else for_api_error(self.error)

    def json(self) -> dict[str, object]:
        """``{invoice_id, number, outcome, amount, code, message, invoice}``."""
        return {
            "invoice_id": self.invoice.id,
            "number": self.invoice.number,
            "outcome": self.result,
            "amount": money_json(self.invoice.amount_due, self.invoice.currency),
            "code": self.error.code if self.error else None,
            "message": explain(self.error) if self.error else None,
            "invoice": to_json(self.paid or self.invoice),
        }


async def _pay_one(ctx: Context, invoice: Invoice, card: PaymentMethod, key: str) -> Outcome:
    from mktui.api.errors import ApiError, ErrorKind, SessionExpired

    try:
        paid = await ctx.client.pay_invoice(invoice.id, card.id, idempotency_key=key)
    except SessionExpired:
        raise
    except ApiError as error:
        result = {
            ErrorKind.PAYMENT_FAILED: "declined",
            ErrorKind.CONFLICT: "not_payable",
        }.get(error.kind, "failed")
        return Outcome(invoice, result, error=error)
    return Outcome(invoice, "paid", paid=paid)


def _payable(invoice: Invoice) -> bool:
    return invoice.status in ("open", "past_due") and invoice.amount_due > 0


async def run_pay(ctx: Context) -> int:
    """Pay one invoice, or every past-due one oldest first."""
    args = ctx.args
    if args.all_overdue == bool(args.invoice_id):
        raise UsageError(_("Name one invoice ID to pay, or use --all-overdue (not both)."))
    if args.all_overdue:
        return await _pay_overdue(ctx)
    invoice = await ctx.client.invoice(args.invoice_id)
    if not _payable(invoice):
        return ctx.fail(
            _("Invoice {number} is {status}: there is nothing to pay.").format(
                number=invoice.number, status=code_text(invoice.status)
            ),
            Exit.CONFLICT,
        )
    card = await choose_card(ctx, args.method)
    from mktui.core.card_brands import card_label

    amount = money_text(invoice.amount_due, invoice.currency)
    statement = [
        _("Pay invoice {number} ({start} to {end}, due {due}): {amount} to {card}.").format(
            number=invoice.number,
            start=format_date(invoice.period_start),
            end=format_date(invoice.period_end),
            due=format_date(invoice.due_date),
            amount=amount,
            card=card_label(card),
        )
    ]
    if not ctx.confirm(statement, _("Pay {amount}?").format(amount=amount)):
        return Exit.USAGE
    outcome = await _pay_one(ctx, invoice, card, ctx.key())
    if outcome.error is not None:
        return ctx.fail(
            _("Invoice {number} was not paid: {reason}").format(
                number=invoice.number, reason=explain(outcome.error)
            ),
            outcome.exit,
        )
    paid = outcome.paid
    assert paid is not None
    ctx.out.record(
        to_json(paid),
        [
            (
                _("Paid"),
                _("invoice {number}: {amount} with {method}").format(
                    number=paid.number, amount=amount, method=_paid_with(paid) or card_label(card)
                ),
            )
        ],
        csv_row={name: csv_cell_of(get, paid) for name, get in CSV_COLUMNS},
    )
    return Exit.OK


async def _overdue(ctx: Context) -> list[Invoice]:
    found: list[Invoice] = []
    async for page in invoice_pages(ctx, InvoiceFilter(status="past_due"), limit=None):
        found.extend(page)
    return sorted(found, key=lambda i: (i.due_date, i.issued_at, i.number))


async def _pay_overdue(ctx: Context) -> int:
    from mktui.core.card_brands import card_label

    overdue = [i for i in await _overdue(ctx) if _payable(i)]
    if not overdue:
        ctx.note(_("No invoice is overdue; nothing to pay."))
        if ctx.out.fmt == "json":
            ctx.out.json([])
        elif ctx.out.fmt == "csv":
            ctx.out.out.write("invoice_id,number,outcome,amount,currency,code,message\n")
        return Exit.OK
    card = await choose_card(ctx, ctx.args.method)
    currency = overdue[0].currency
    total = sum(i.amount_due for i in overdue)
    statement = [
        ngettext(
            "Pay {n} overdue invoice, oldest first, {amount} in all, to {card}:",
            "Pay {n} overdue invoices, oldest first, {amount} in all, to {card}:",
            len(overdue),
        ).format(n=len(overdue), amount=money_text(total, currency), card=card_label(card)),
        *(
            "  "
            + _("{number}  due {due}  {amount}").format(
                number=i.number,
                due=format_date(i.due_date),
                amount=money_text(i.amount_due, i.currency),
            )
            for i in overdue
        ),
    ]
    if not ctx.confirm(statement, _("Pay {amount}?").format(amount=money_text(total, currency))):
        return Exit.USAGE
    outcomes: list[Outcome] = []
    for invoice in overdue:
        # One key per invoice: a retried run with the same --idempotency-key pays none twice.
        outcome = await _pay_one(ctx, invoice, card, ctx.key(f"-{invoice.id}"))
        outcomes.append(outcome)
        amount = money_text(invoice.amount_due, invoice.currency)
        if outcome.error is None:
            ctx.note(_("{number}: paid {amount}.").format(number=invoice.number, amount=amount))
        else:
            ctx.note(
                _("{number}: not paid ({amount}): {reason}").format(
                    number=invoice.number, amount=amount, reason=explain(outcome.error)
                )
            )
    _report(ctx, outcomes)
    worst = [o.exit for o in outcomes if o.exit != Exit.OK]
    # Unavailable outranks a decline (the state is less known), a decline a conflict.
    for code in (Exit.SIGN_IN, Exit.UNAVAILABLE, Exit.DECLINED, Exit.CONFLICT, Exit.USAGE):
        if code in worst:
            return code
    return Exit.OK


def _report(ctx: Context, outcomes: list[Outcome]) -> None:
    out = ctx.out
    if out.fmt == "json":
        out.json([o.json() for o in outcomes])
        return
    if out.fmt == "csv":
        import csv

        writer = csv.writer(out.out, lineterminator="\n")
        writer.writerow(
            ["invoice_id", "number", "outcome", "amount", "currency", "code", "message"]
        )
        for o in outcomes:
            writer.writerow(
                [
                    o.invoice.id,
                    o.invoice.number,
                    o.result,
                    csv_money(o.invoice.amount_due),
                    o.invoice.currency,
                    o.error.code if o.error else "",
                    explain(o.error) if o.error else "",
                ]
            )
        return
    paid = sum(1 for o in outcomes if o.error is None)
    out.say(
        ngettext(
            "Paid {paid} of {n} overdue invoice.",
            "Paid {paid} of {n} overdue invoices.",
            len(outcomes),
        ).format(paid=paid, n=len(outcomes))
    )


# ---------------------------------------------------------------- receipt
async def run_receipt(ctx: Context) -> int:
    """Save the receipt PDF of a paid invoice."""
    invoice = await ctx.client.invoice(ctx.args.invoice_id)
    data = await ctx.client.receipt(invoice.id)
    return save_pdf(ctx, invoice, data, kind="receipt")


async def run_pdf(ctx: Context) -> int:
    """Save the invoice itself as a PDF (an open one states the amount due)."""
    invoice = await ctx.client.invoice(ctx.args.invoice_id)
    data = await ctx.client.invoice_pdf(invoice.id)
    return save_pdf(ctx, invoice, data, kind="invoice")


def save_pdf(ctx: Context, invoice: Invoice, data: bytes, *, kind: str) -> int:
    """Write ``data`` where ``-o`` says (never over a file without ``--force``) and say where."""
    import sys
    from pathlib import Path

    from mktui.config import downloads

    target = ctx.args.output
    if target == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return Exit.OK
    try:
        if target is None:
            path = downloads.save_receipt(
                data, downloads.default_download_dir(), invoice.number, kind=kind
            )
        elif Path(target).is_dir():
            path = downloads.save_receipt(data, Path(target), invoice.number, kind=kind)
        else:
            path = Path(target)
            with path.open("wb" if ctx.args.force else "xb") as file:
                file.write(data)
    except FileExistsError:
        raise UsageError(
            _("{path} already exists; choose another -o PATH, or add --force.").format(path=target)
        ) from None
    except OSError as error:
        if kind == "receipt":
            failed = _(
                "The receipt could not be saved to {path} ({reason}); choose another -o PATH."
            )
        else:
            failed = _(
                "The invoice could not be saved to {path} ({reason}); choose another -o PATH."
            )
        raise UsageError(
            failed.format(path=target or _("Downloads"), reason=error.strerror)
        ) from None
    ctx.out.record(
        {"invoice_id": invoice.id, "number": invoice.number, "path": str(path), "bytes": len(data)},
        [
            (
                _("Saved"),
                (
                    _("the receipt of invoice {number} to {path}")
                    if kind == "receipt"
                    else _("invoice {number} to {path}")
                ).format(number=invoice.number, path=path),
            )
        ],
    )
    return Exit.OK
