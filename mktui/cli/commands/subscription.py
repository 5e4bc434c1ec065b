"""``mktui subscription show|set-devices|cancel|resume|set-plan``: the subscription.

``set-devices`` previews on the server, states what it charges now (an
increase, pro rata, to the default card) or when a decrease takes effect,
asks, then sends the preview's ``expected_total`` (and quote), so a price
that moved in between is refused (exit 4) and nothing is charged.
"""

from __future__ import annotations

import argparse

from mktui.cli.commands import values
from mktui.cli.commands.account import choose_card, format_date, preview_lines
from mktui.cli.connect import UsageError
from mktui.cli.exit_codes import Exit
from mktui.cli.output import money_text, to_json
from mktui.cli.runner import Context, add_common, add_money_options, command
from mktui.cli.words import code_text
from mktui.core.i18n import _, ngettext


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``subscription`` and its subcommands."""
    subscription = subparsers.add_parser("subscription", help=_("the subscription and its devices"))
    sub = subscription.add_subparsers(dest="subscription_command", metavar="ACTION", required=True)

    show = sub.add_parser("show", help=_("plan, devices, scheduled change, period"))
    add_common(show)
    show.set_defaults(handler=command(run_show))

    devices = sub.add_parser(
        "set-devices", help=_("a new total of devices: more are charged pro rata now")
    )
    devices.add_argument("devices", metavar="N", help=_("the new total number of devices"))
    devices.add_argument(
        "--expect-total",
        metavar="AMOUNT",
        help=_("refuse unless the charge is exactly this (e.g. 21.50, from `mktui preview`)"),
    )
    add_money_options(devices)
    add_common(devices)
    devices.set_defaults(handler=command(run_set_devices))

    cancel = sub.add_parser(
        "cancel", help=_("end the subscription on the next 1st (nothing refunded)")
    )
    add_money_options(cancel)
    add_common(cancel)
    cancel.set_defaults(handler=command(run_cancel))

    resume = sub.add_parser("resume", help=_("undo a scheduled cancellation"))
    add_money_options(resume)
    add_common(resume)
    resume.set_defaults(handler=command(run_resume))

    plan = sub.add_parser(
        "set-plan",
        help=_("switch monthly ↔ annual: to annual is charged now, to monthly next 1st"),
    )
    plan.add_argument("plan", choices=("monthly", "annual"), help=_("the new plan"))
    plan.add_argument(
        "--expect-total",
        metavar="AMOUNT",
        help=_("refuse unless the charge is exactly this (e.g. 1548.00, from `mktui preview`)"),
    )
    add_money_options(plan)
    add_common(plan)
    plan.set_defaults(handler=command(run_set_plan))


def _fields(sub) -> list[tuple[str, str]]:
    fields = [
        (_("Plan"), f"{code_text(sub.plan)} · {sub.currency}"),
        (_("Devices"), str(sub.devices)),
        (_("Status"), code_text(sub.status)),
        (
            _("Period"),
            _("{start} to {end}").format(
                start=format_date(sub.current_period_start),
                end=format_date(sub.current_period_end),
            ),
        ),
    ]
    if sub.scheduled_devices not in (None, sub.devices):
        scheduled = sub.scheduled_devices or 0
        fields.append(
            (
                _("Scheduled"),
                ngettext(
                    "{n} device from the next 1st", "{n} devices from the next 1st", scheduled
                ).format(n=scheduled),
            )
        )
    if sub.scheduled_plan not in (None, sub.plan):
        fields.append(
            (
                _("Scheduled plan"),
                _("{plan} from the next 1st").format(plan=code_text(sub.scheduled_plan)),
            )
        )
    if sub.cancel_at is not None:
        fields.append(
            (
                _("Ends"),
                _("{date} (cancellation scheduled)").format(date=format_date(sub.cancel_at)),
            )
        )
    return fields


def _csv(sub) -> dict[str, object]:
    return {
        "plan": sub.plan,
        "currency": sub.currency,
        "devices": sub.devices,
        "scheduled_devices": sub.scheduled_devices,
        "current_period_start": sub.current_period_start.isoformat(),
        "current_period_end": sub.current_period_end.isoformat(),
        "status": sub.status,
        "scheduled_plan": sub.scheduled_plan,
        "cancel_at": sub.cancel_at.isoformat() if sub.cancel_at else None,
    }


async def _current(ctx: Context):
    from mktui.api.errors import ApiError, ErrorKind

    sub = await ctx.client.subscription()
    if sub is None:
        raise ApiError(
            ErrorKind.NOT_FOUND,
            _("The account has no subscription; start one with `mktui subscribe`."),
            code="not_found",
        )
    return sub


async def run_show(ctx: Context) -> int:
    """The current subscription."""
    sub = await _current(ctx)
    ctx.out.record(to_json(sub), _fields(sub), csv_row=_csv(sub))
    return Exit.OK


async def run_set_devices(ctx: Context) -> int:
    """Change the total number of devices, charging an increase now."""
    from mktui.api.models import ChangeDevicesRequest, PreviewRequest
    from mktui.core.card_brands import card_label

    args = ctx.args
    devices = values.devices(args.devices, "N")
    expected = values.amount_minor(args.expect_total, "--expect-total")
    sub = await _current(ctx)
    account = await ctx.client.account()
    if devices == sub.devices:
        raise UsageError(
            ngettext(
                "The subscription already has {n} device; give another number.",
                "The subscription already has {n} devices; give another number.",
                devices,
            ).format(n=devices)
        )
    if devices < account.devices_in_use:
        raise UsageError(
            ngettext(
                "{n} device is in use; remove some from MKController before going below that.",
                "{n} devices are in use; remove some from MKController before going below that.",
                account.devices_in_use,
            ).format(n=account.devices_in_use)
        )
    preview = await ctx.client.preview(PreviewRequest(devices=devices))
    if expected is not None and expected != preview.total:
        return _stale_total(ctx, preview, expected)
    total = money_text(preview.total, preview.currency)
    if devices > sub.devices:
        if preview.total:
            card = await choose_card(ctx, None)
            head = _("Devices {old} → {new} from today. Charge {amount} now to {card}:").format(
                old=sub.devices, new=devices, amount=total, card=card_label(card)
            )
        else:
            head = _(
                "Devices {old} → {new} from today. "
                "Nothing is charged to a card: the credit balance pays it:"
            ).format(old=sub.devices, new=devices)
        statement = [head, *preview_lines(preview)]
        question = (
            _("Pay {amount}?").format(amount=total) if preview.total else _("Add the devices?")
        )
    else:
        statement = [
            _("Devices {old} → {new} from {date}; nothing is charged or refunded now.").format(
                old=sub.devices, new=devices, date=format_date(preview.effective)
            ),
            ngettext(
                "Until then you keep {n} device. Next renewal {amount} on {date}.",
                "Until then you keep {n} devices. Next renewal {amount} on {date}.",
                sub.devices,
            ).format(
                n=sub.devices,
                amount=money_text(preview.next_renewal_amount, preview.currency),
                date=format_date(preview.next_renewal_date),
            ),
        ]
        question = _("Schedule the decrease?")
    if not ctx.confirm(statement, question):
        return Exit.USAGE
    fields: dict[str, object] = {"devices": devices, "expected_total": preview.total}
    quote = getattr(preview, "quote", None)
    if quote is not None and "expected_quote" in ChangeDevicesRequest.model_fields:
        fields["expected_quote"] = quote
    result = await ctx.client.change_devices(
        ChangeDevicesRequest(**fields), idempotency_key=ctx.key()
    )
    _record_change(ctx, result)
    return Exit.OK


def _stale_total(ctx: Context, preview, expected: int) -> int:
    """Refuse a charge that is not the ``--expect-total`` the script was given."""
    return ctx.fail(
        _(
            "The charge would be {amount}, not {expected} as --expect-total says; "
            "nothing was changed. Preview again."
        ).format(
            amount=money_text(preview.total, preview.currency),
            expected=money_text(expected, preview.currency),
        ),
        Exit.CONFLICT,
    )


def _record_change(ctx: Context, result) -> None:
    """The subscription after a change, and what it charged."""
    fields_out = _fields(result.subscription)
    if result.invoice is not None:
        fields_out.append(
            (
                _("Charged"),
                _("{amount} (invoice {number})").format(
                    amount=money_text(result.invoice.total, result.invoice.currency),
                    number=result.invoice.number,
                ),
            )
        )
    ctx.out.record(to_json(result), fields_out, csv_row=_csv(result.subscription))


async def run_cancel(ctx: Context) -> int:
    """Cancel at the next 1st: nothing is refunded, the devices stay until then."""
    sub = await _current(ctx)
    if sub.cancel_at is not None:
        return ctx.fail(
            _(
                "The subscription already ends on {date}; `mktui subscription resume` keeps it."
            ).format(date=format_date(sub.cancel_at)),
            Exit.CONFLICT,
        )
    statement = [
        ngettext(
            "Cancel the {plan} subscription of {n} device: it ends on the next 1st (after "
            "{date}); nothing is refunded and no renewal is charged then.",
            "Cancel the {plan} subscription of {n} devices: it ends on the next 1st (after "
            "{date}); nothing is refunded and no renewal is charged then.",
            sub.devices,
        ).format(plan=code_text(sub.plan), n=sub.devices, date=format_date(sub.current_period_end)),
        _("Credit left on the account stays and pays later invoices first."),
    ]
    if not ctx.confirm(statement, _("Cancel the subscription?")):
        return Exit.USAGE
    after = await ctx.client.cancel_subscription(idempotency_key=ctx.key())
    fields = _fields(after)
    if after.cancel_at is None:  # with a date, _fields already says when it ends
        fields.append((_("Ends"), _("the next 1st")))
    ctx.out.record(to_json(after), fields, csv_row=_csv(after))
    return Exit.OK


async def run_resume(ctx: Context) -> int:
    """Undo a scheduled cancellation."""
    sub = await _current(ctx)
    if sub.cancel_at is None:
        return ctx.fail(_("No cancellation is scheduled; nothing to resume."), Exit.CONFLICT)
    statement = [
        ngettext(
            "Keep the {plan} subscription of {n} device: the cancellation on {date} is undone "
            "and renewals go on as before.",
            "Keep the {plan} subscription of {n} devices: the cancellation on {date} is undone "
            "and renewals go on as before.",
            sub.devices,
        ).format(plan=code_text(sub.plan), n=sub.devices, date=format_date(sub.cancel_at))
    ]
    if not ctx.confirm(statement, _("Resume?")):
        return Exit.USAGE
    after = await ctx.client.resume_subscription(idempotency_key=ctx.key())
    ctx.out.record(to_json(after), _fields(after), csv_row=_csv(after))
    return Exit.OK


async def run_set_plan(ctx: Context) -> int:
    """Switch monthly ↔ annual after the server's preview; to annual is charged now."""
    from mktui.api.models import PreviewRequest
    from mktui.core.card_brands import card_label

    args = ctx.args
    expected = values.amount_minor(args.expect_total, "--expect-total")
    sub = await _current(ctx)
    if args.plan == sub.plan and sub.scheduled_plan in (None, sub.plan):
        raise UsageError(
            _("The subscription is already {plan}; nothing to switch.").format(
                plan=code_text(sub.plan)
            )
        )
    preview = await ctx.client.preview(PreviewRequest(plan=args.plan))
    if expected is not None and expected != preview.total:
        return _stale_total(ctx, preview, expected)
    total = money_text(preview.total, preview.currency)
    if preview.total:
        card = await choose_card(ctx, None)
        head = _("Switch to the {plan} plan now. Charge {amount} now to {card}:").format(
            plan=code_text(args.plan), amount=total, card=card_label(card)
        )
    else:
        head = _("Switch to the {plan} plan from {date}; nothing is charged now:").format(
            plan=code_text(args.plan), date=format_date(preview.effective)
        )
    question = _("Pay {amount}?").format(amount=total) if preview.total else _("Switch?")
    if not ctx.confirm([head, *preview_lines(preview)], question):
        return Exit.USAGE
    # The quote locks what the preview showed (credit, period), not only its total.
    result = await ctx.client.change_plan(
        args.plan,
        expected_total=preview.total,
        expected_quote=preview.quote,
        idempotency_key=ctx.key(),
    )
    _record_change(ctx, result)
    return Exit.OK
