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


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``subscription`` and its subcommands."""
    subscription = subparsers.add_parser("subscription", help="the subscription and its devices")
    sub = subscription.add_subparsers(dest="subscription_command", metavar="ACTION", required=True)

    show = sub.add_parser("show", help="plan, devices, scheduled change, period")
    add_common(show)
    show.set_defaults(handler=command(run_show))

    devices = sub.add_parser(
        "set-devices", help="a new total of devices: more are charged pro rata now"
    )
    devices.add_argument("devices", metavar="N", help="the new total number of devices")
    devices.add_argument(
        "--expect-total",
        metavar="AMOUNT",
        help="refuse unless the charge is exactly this (e.g. 21.50, from `mktui preview`)",
    )
    add_money_options(devices)
    add_common(devices)
    devices.set_defaults(handler=command(run_set_devices))

    cancel = sub.add_parser(
        "cancel", help="end the subscription on the next 1st (nothing refunded)"
    )
    add_money_options(cancel)
    add_common(cancel)
    cancel.set_defaults(handler=command(run_cancel))

    resume = sub.add_parser("resume", help="undo a scheduled cancellation")
    add_money_options(resume)
    add_common(resume)
    resume.set_defaults(handler=command(run_resume))

    plan = sub.add_parser(
        "set-plan", help="switch monthly ↔ annual: to annual is charged now, to monthly next 1st"
    )
    plan.add_argument("plan", choices=("monthly", "annual"))
    plan.add_argument(
        "--expect-total",
        metavar="AMOUNT",
        help="refuse unless the charge is exactly this (e.g. 1548.00, from `mktui preview`)",
    )
    add_money_options(plan)
    add_common(plan)
    plan.set_defaults(handler=command(run_set_plan))


def _fields(sub) -> list[tuple[str, str]]:
    fields = [
        ("Plan", f"{sub.plan} · {sub.currency}"),
        ("Devices", str(sub.devices)),
        ("Status", sub.status.replace("_", " ")),
        (
            "Period",
            f"{format_date(sub.current_period_start)} to {format_date(sub.current_period_end)}",
        ),
    ]
    if sub.scheduled_devices not in (None, sub.devices):
        fields.append(("Scheduled", f"{sub.scheduled_devices} devices from the next 1st"))
    if sub.scheduled_plan not in (None, sub.plan):
        fields.append(("Scheduled plan", f"{sub.scheduled_plan} from the next 1st"))
    if sub.cancel_at is not None:
        fields.append(("Ends", f"{format_date(sub.cancel_at)} (cancellation scheduled)"))
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
            "The account has no subscription; start one with `mktui subscribe`.",
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
        raise UsageError(f"The subscription already has {devices} devices; give another number.")
    if devices < account.devices_in_use:
        raise UsageError(
            f"{account.devices_in_use} devices are in use; remove some from MKController "
            "before going below that."
        )
    preview = await ctx.client.preview(PreviewRequest(devices=devices))
    if expected is not None and expected != preview.total:
        return ctx.fail(
            f"The charge would be {money_text(preview.total, preview.currency)}, not "
            f"{money_text(expected, preview.currency)} as --expect-total says; nothing was "
            "changed. Preview again.",
            Exit.CONFLICT,
        )
    total = money_text(preview.total, preview.currency)
    if devices > sub.devices:
        if preview.total:
            card = await choose_card(ctx, None)
            charge = f"Charge {total} now to {card_label(card)}"
        else:
            charge = "Nothing is charged to a card: the credit balance pays it"
        statement = [
            f"Devices {sub.devices} → {devices} from today. {charge}:",
            *preview_lines(preview),
        ]
        question = f"Pay {total}?" if preview.total else "Add the devices?"
    else:
        statement = [
            f"Devices {sub.devices} → {devices} from {format_date(preview.effective)}; "
            "nothing is charged or refunded now.",
            f"Until then you keep {sub.devices} devices. Next renewal "
            f"{money_text(preview.next_renewal_amount, preview.currency)} on "
            f"{format_date(preview.next_renewal_date)}.",
        ]
        question = "Schedule the decrease?"
    if not ctx.confirm(statement, question):
        return Exit.USAGE
    fields: dict[str, object] = {"devices": devices, "expected_total": preview.total}
    quote = getattr(preview, "quote", None)
    if quote is not None and "expected_quote" in ChangeDevicesRequest.model_fields:
        fields["expected_quote"] = quote
    result = await ctx.client.change_devices(
        ChangeDevicesRequest(**fields), idempotency_key=ctx.key()
    )
    fields_out = _fields(result.subscription)
    if result.invoice is not None:
        fields_out.append(
            (
                "Charged",
                f"{money_text(result.invoice.total, result.invoice.currency)} "
                f"(invoice {result.invoice.number})",
            )
        )
    ctx.out.record(to_json(result), fields_out, csv_row=_csv(result.subscription))
    return Exit.OK


async def run_cancel(ctx: Context) -> int:
    """Cancel at the next 1st: nothing is refunded, the devices stay until then."""
    sub = await _current(ctx)
    if sub.cancel_at is not None:
        return ctx.fail(
            f"The subscription already ends on {format_date(sub.cancel_at)}; "
            "`mktui subscription resume` keeps it.",
            Exit.CONFLICT,
        )
    statement = [
        f"Cancel the {sub.plan} subscription of {sub.devices} devices: it ends on the next 1st "
        f"(after {format_date(sub.current_period_end)}); nothing is refunded and no renewal "
        "is charged then.",
        "Credit left on the account stays and pays later invoices first.",
    ]
    if not ctx.confirm(statement, "Cancel the subscription?"):
        return Exit.USAGE
    after = await ctx.client.cancel_subscription(idempotency_key=ctx.key())
    ends = format_date(after.cancel_at) if after.cancel_at else "the next 1st"
    ctx.out.record(to_json(after), [*_fields(after), ("Ends", ends)], csv_row=_csv(after))
    return Exit.OK


async def run_resume(ctx: Context) -> int:
    """Undo a scheduled cancellation."""
    sub = await _current(ctx)
    if sub.cancel_at is None:
        return ctx.fail("No cancellation is scheduled; nothing to resume.", Exit.CONFLICT)
    statement = [
        f"Keep the {sub.plan} subscription of {sub.devices} devices: the cancellation on "
        f"{format_date(sub.cancel_at)} is undone and renewals go on as before."
    ]
    if not ctx.confirm(statement, "Resume?"):
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
        raise UsageError(f"The subscription is already {sub.plan}; nothing to switch.")
    preview = await ctx.client.preview(PreviewRequest(plan=args.plan))
    if expected is not None and expected != preview.total:
        return ctx.fail(
            f"The charge would be {money_text(preview.total, preview.currency)}, not "
            f"{money_text(expected, preview.currency)} as --expect-total says; nothing was "
            "changed. Preview again.",
            Exit.CONFLICT,
        )
    total = money_text(preview.total, preview.currency)
    if preview.total:
        card = await choose_card(ctx, None)
        head = f"Switch to the {args.plan} plan now. Charge {total} now to {card_label(card)}:"
    else:
        head = (
            f"Switch to the {args.plan} plan from {format_date(preview.effective)}; nothing is "
            "charged now:"
        )
    if not ctx.confirm(
        [head, *preview_lines(preview)], f"Pay {total}?" if preview.total else "Switch?"
    ):
        return Exit.USAGE
    # The quote locks what the preview showed (credit, period), not only its total.
    result = await ctx.client.change_plan(
        args.plan,
        expected_total=preview.total,
        expected_quote=preview.quote,
        idempotency_key=ctx.key(),
    )
    fields_out = _fields(result.subscription)
    if result.invoice is not None:
        fields_out.append(
            (
                "Charged",
                f"{money_text(result.invoice.total, result.invoice.currency)} "
                f"(invoice {result.invoice.number})",
            )
        )
    ctx.out.record(to_json(result), fields_out, csv_row=_csv(result.subscription))
    return Exit.OK
