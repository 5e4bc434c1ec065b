"""``mktui status``, ``mktui preview`` and ``mktui subscribe``.

``preview`` asks the server what a subscription (or, on a subscribed
account, a new total of devices) would charge now; ``subscribe`` takes that
same server preview, states the amount, what it pays and the card, asks,
then charges with the preview's ``expected_total`` (and ``expected_quote``
when the server gives one), so a price that moved in between is refused with
exit code 4 and nothing is charged.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from mktui.cli.commands import values
from mktui.cli.connect import UsageError
from mktui.cli.exit_codes import Exit
from mktui.cli.output import csv_money, money_json, money_text, to_json
from mktui.cli.runner import Context, add_common, add_money_options, command
from mktui.cli.words import code_text, date_text
from mktui.core.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from datetime import date

    from mktui.api.models import Account, PaymentMethod, Preview


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``status``, ``preview`` and ``subscribe``."""
    status = subparsers.add_parser(
        "status", help=_("the account at a glance: plan, devices, card, open and overdue")
    )
    add_common(status)
    status.set_defaults(handler=command(run_status))

    preview = subparsers.add_parser(
        "preview", help=_("what a subscription or a new number of devices would charge now")
    )
    _add_choice(preview)
    add_common(preview)
    preview.set_defaults(handler=command(run_preview))

    subscribe = subparsers.add_parser(
        "subscribe", help=_("activate the subscription, charging the previewed amount")
    )
    _add_choice(subscribe)
    subscribe.add_argument(
        "--method", metavar="PM", help=_("the card to charge (default: the default card)")
    )
    subscribe.add_argument(
        "--expect-total",
        metavar="AMOUNT",
        help=_("refuse unless the charge is exactly this (e.g. 21.50, from `mktui preview`)"),
    )
    subscribe.add_argument(
        "--quote",
        metavar="QUOTE",
        help=_("refuse unless the preview's quote is still this one"),
    )
    add_money_options(subscribe)
    add_common(subscribe)
    subscribe.set_defaults(handler=command(run_subscribe))


def _add_choice(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--devices", required=True, metavar="N", help=_("the total number of devices")
    )
    parser.add_argument("--plan", choices=("monthly", "annual"), help=_("default: monthly"))
    parser.add_argument(
        "--currency", choices=("BRL", "USD"), help=_("default: the account's, else BRL")
    )
    parser.add_argument("--tax-id", metavar="CPF_OR_CNPJ", help=_("required for BRL"))


def format_date(day: date) -> str:
    """``1 Dec 2026`` (``1 dez 2026`` in pt_BR): see :func:`mktui.cli.words.date_text`."""
    return date_text(day)


# ---------------------------------------------------------------- status
async def run_status(ctx: Context) -> int:
    """The account, its subscription, the default card, open and overdue totals."""
    from mktui.tui.services.financial_data import load_financial

    data = await load_financial(ctx.client)
    account, sub, card = data.account, data.subscription, data.default_method
    currency = account.currency
    renewal = None
    if data.renewal is not None:
        renewal = {
            "date": data.renewal.period_start.isoformat(),
            "amount": money_json(data.renewal.total.minor, data.renewal.currency),
        }
    payload = {
        "account": to_json(account),
        "subscription": to_json(sub),
        "default_payment_method": to_json(card),
        "open": {"count": data.open_count, "total": money_json(data.open_total, currency)},
        "overdue": {
            "count": data.overdue_count,
            "total": money_json(data.overdue_total, currency),
        },
        "next_renewal": renewal,
    }
    fields = [
        (_("Account"), f"{account.name} ({account.email})"),
        (_("Status"), code_text(account.status)),
        (_("Plan"), f"{code_text(account.plan)} · {currency or '—'}"),
        (
            _("Devices"),
            _("{used} in use of {quota}").format(
                used=account.devices_in_use, quota=account.device_quota
            ),
        ),
    ]
    if sub is not None and sub.scheduled_devices not in (None, sub.devices):
        scheduled = sub.scheduled_devices or 0
        fields.append(
            (
                _("Scheduled"),
                ngettext(
                    "{n} device from the next 1st", "{n} devices from the next 1st", scheduled
                ).format(n=scheduled),
            )
        )
    if renewal is not None and data.renewal is not None:
        fields.append(
            (
                _("Next due"),
                f"{format_date(data.renewal.period_start)} · "
                f"{money_text(data.renewal.total.minor, data.renewal.currency)}",
            )
        )
    fields += [
        # No currency yet (never subscribed): a dash, as the console's hub shows, not "0.00".
        (_("Credit balance"), money_text(account.credit_balance, currency) if currency else "—"),
        (_("Default card"), _card_text(card) if card else _("none")),
        # "Open" invoices (an adjective), not the console's "Open" (a verb).
        (pgettext("invoices", "Open"), _count_text(data.open_count, data.open_total, currency)),
        (_("Overdue"), _count_text(data.overdue_count, data.overdue_total, currency)),
    ]
    csv_row = {
        "account_id": account.id,
        "name": account.name,
        "status": account.status,
        "plan": account.plan,
        "currency": currency,
        "device_quota": account.device_quota,
        "devices_in_use": account.devices_in_use,
        "credit_balance": csv_money(account.credit_balance),
        "open_count": data.open_count,
        "open_total": csv_money(data.open_total),
        "overdue_count": data.overdue_count,
        "overdue_total": csv_money(data.overdue_total),
        # CSV is machine output: the card in the same words in every language.
        "default_card": f"{_card_label(card)}  exp {_expiry(card)}" if card else None,
    }
    ctx.out.record(payload, fields, csv_row=csv_row)
    return Exit.OK


def _card_label(card: PaymentMethod) -> str:
    from mktui.core.card_brands import card_label

    return card_label(card)


def _expiry(card: PaymentMethod) -> str:
    return f"{card.exp_month:02d}/{card.exp_year % 100:02d}"


def _card_text(card: PaymentMethod) -> str:
    return _("{card}  exp {expiry}").format(card=_card_label(card), expiry=_expiry(card))


def _count_text(count: int, total: int, currency: str | None) -> str:
    if not count:
        return pgettext("invoices", "none")
    return ngettext("{amount} · {n} invoice", "{amount} · {n} invoices", count).format(
        amount=money_text(total, currency), n=count
    )


# ---------------------------------------------------------------- preview
async def _server_preview(ctx: Context, account: Account, *, new: bool) -> Preview:
    """The server's preview of what the options ask for (the one a charge is held to)."""
    from mktui.api.models import PreviewRequest

    args = ctx.args
    devices = values.devices(args.devices)
    if not new:
        if args.currency or args.tax_id or args.plan:
            raise UsageError(
                _(
                    "The account is already subscribed: preview a new total with --devices only "
                    "(--plan, --currency and --tax-id are for a new subscription)."
                )
            )
        return await ctx.client.preview(PreviewRequest(devices=devices))
    currency = args.currency or account.currency or "BRL"
    tax = values.tax_id(args.tax_id or (account.tax_id if currency == "BRL" else None), currency)
    return await ctx.client.preview(
        PreviewRequest(devices=devices, currency=currency, plan=args.plan or "monthly", tax_id=tax)
    )


def preview_lines(preview: Preview) -> list[str]:
    """The preview for people: one formula per line, credit, total now, next renewal."""
    from mktui.core.money_text import format_money, locale_for

    priced = preview.priced()
    locale = locale_for(preview.currency)
    lines = [f"  {line.description}: {line.formula(locale)}" for line in priced.lines]
    labels = {
        "subtotal": _("Subtotal"),
        "applied": _("Credit applied"),
        "granted": _("Credit granted"),
        "total": _("Total due now"),
        "renewal": _("Next renewal"),
    }
    rows = [("subtotal", format_money(priced.subtotal))]
    if priced.credit_applied.minor:
        rows.append(("applied", f"− {format_money(priced.credit_applied)}"))
    if priced.credit_granted.minor:
        rows.append(("granted", format_money(priced.credit_granted)))
    rows.append(("total", format_money(priced.total)))
    rows.append(
        (
            "renewal",
            f"{format_date(preview.next_renewal_date)} · {format_money(priced.next_renewal_amount)}",
        )
    )
    # Every label's width, shown or not: the amounts line up the same in each preview.
    width = max(len(label) for label in labels.values())
    lines += [f"  {labels[key].ljust(width)}  {value}" for key, value in rows]
    return lines


async def run_preview(ctx: Context) -> int:
    """What the subscription, or a new number of devices, would charge now."""
    account = await ctx.client.account()
    preview = await _server_preview(ctx, account, new=account.status == "inactive")
    period = _("{start} to {end}").format(
        start=format_date(preview.period_start), end=format_date(preview.period_end)
    )
    fields = [(_("Period"), period), *(("", line.strip()) for line in preview_lines(preview))]
    if getattr(preview, "quote", None):
        fields.append((_("Quote"), str(preview.quote)))
    ctx.out.record(
        to_json(preview),
        fields,
        csv_row={
            "currency": preview.currency,
            "period_start": preview.period_start.isoformat(),
            "period_end": preview.period_end.isoformat(),
            "subtotal": csv_money(preview.subtotal),
            "credit_applied": csv_money(preview.credit_applied),
            "total": csv_money(preview.total),
            "next_renewal_date": preview.next_renewal_date.isoformat(),
            "next_renewal_amount": csv_money(preview.next_renewal_amount),
            "quote": getattr(preview, "quote", None),
        },
    )
    return Exit.OK


# ---------------------------------------------------------------- subscribe
async def run_subscribe(ctx: Context) -> int:
    """Activate: charge exactly the server's previewed amount to a saved card."""
    from mktui.api.models import SubscribeRequest

    args = ctx.args
    expected_minor = values.amount_minor(args.expect_total, "--expect-total")
    account = await ctx.client.account()
    if account.status != "inactive":
        return ctx.fail(
            _(
                "The account is already {status}; change devices with "
                "`mktui subscription set-devices N`."
            ).format(status=code_text(account.status)),
            Exit.CONFLICT,
        )
    preview = await _server_preview(ctx, account, new=True)
    card = await choose_card(ctx, args.method)
    quote = getattr(preview, "quote", None)
    if expected_minor is not None and expected_minor != preview.total:
        return ctx.fail(
            _(
                "The charge would be {amount}, not {expected} as --expect-total says; "
                "nothing was charged. Preview again."
            ).format(
                amount=money_text(preview.total, preview.currency),
                expected=money_text(expected_minor, preview.currency),
            ),
            Exit.CONFLICT,
        )
    if args.quote and args.quote != quote:
        return ctx.fail(
            _("The price changed since that quote (--quote); nothing was charged. Preview again."),
            Exit.CONFLICT,
        )
    from mktui.core.card_brands import card_label

    plan = args.plan or "monthly"
    devices = values.devices(args.devices)
    total = money_text(preview.total, preview.currency)
    statement = [
        ngettext(
            "Subscribe {account}: {plan} plan, {n} device, billed in {currency}.",
            "Subscribe {account}: {plan} plan, {n} devices, billed in {currency}.",
            devices,
        ).format(account=account.name, plan=code_text(plan), n=devices, currency=preview.currency),
        _("Charge {amount} now to {card}, for {start} to {end}:").format(
            amount=total,
            card=card_label(card),
            start=format_date(preview.period_start),
            end=format_date(preview.period_end),
        ),
        *preview_lines(preview),
    ]
    if not ctx.confirm(statement, _("Pay {amount}?").format(amount=total)):
        return Exit.USAGE
    fields: dict[str, object] = {
        "currency": preview.currency,
        "plan": plan,
        "devices": devices,
        "tax_id": values.tax_id(
            args.tax_id or (account.tax_id if preview.currency == "BRL" else None),
            preview.currency,
        ),
        "payment_method_id": card.id,
        "expected_total": preview.total,
    }
    if quote is not None and "expected_quote" in SubscribeRequest.model_fields:
        fields["expected_quote"] = quote
    result = await ctx.client.subscribe(SubscribeRequest(**fields), idempotency_key=ctx.key())
    invoice = result.invoice
    charged = invoice.total - invoice.amount_due if invoice else 0
    ctx.out.record(
        to_json(result),
        [
            (
                _("Subscribed"),
                ngettext(
                    "{plan}, {n} device", "{plan}, {n} devices", result.subscription.devices
                ).format(plan=code_text(result.subscription.plan), n=result.subscription.devices),
            ),
            (_("Status"), code_text(result.subscription.status)),
            (_("Invoice"), invoice.number if invoice else _("none")),
            (
                _("Charged"),
                _("{amount} to {card}").format(
                    amount=money_text(charged, preview.currency), card=card_label(card)
                ),
            ),
        ],
        csv_row={
            "plan": result.subscription.plan,
            "devices": result.subscription.devices,
            "status": result.subscription.status,
            "invoice_id": invoice.id if invoice else None,
            "charged": csv_money(charged),
            "currency": preview.currency,
        },
    )
    return Exit.OK


async def choose_card(ctx: Context, method_id: str | None) -> PaymentMethod:
    """The saved card named by ``--method``, else the default one; a sentence when there is none."""
    methods = await ctx.client.payment_methods()
    if method_id:
        for method in methods:
            if method.id == method_id:
                return method
        raise UsageError(
            _(
                "--method {method} is not one of the account's cards; see `mktui methods list`."
            ).format(method=repr(method_id))
        )
    default = next((m for m in methods if m.is_default), None)
    if default is None:
        raise UsageError(
            _(
                "The account has no default card; add one with `mktui methods add`, "
                "or name one with --method."
            )
        )
    return default
