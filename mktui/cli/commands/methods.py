"""``mktui methods list|add|default|remove|update``: the saved cards.

The card number and CVC are never taken from the command line (anyone on the
machine can read a process's arguments): they are asked without echo on a
terminal, or read from standard input with ``--card-stdin`` (number on the
first line, CVC on the second). They are checked here first (Luhn, brand,
CVC length), sent once, and never printed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from mktui.cli.connect import UsageError
from mktui.cli.exit_codes import Exit
from mktui.cli.output import Column, to_json
from mktui.cli.runner import Context, add_common, add_money_options, command
from mktui.core.i18n import N_, _

if TYPE_CHECKING:
    from mktui.api.models import PaymentMethod


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``methods`` and its subcommands."""
    methods = subparsers.add_parser("methods", help=_("the saved cards"))
    sub = methods.add_subparsers(dest="methods_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help=_("the saved cards, the default one marked"))
    add_common(listing)
    listing.set_defaults(handler=command(run_list))

    add = sub.add_parser("add", help=_("attach a card (number and CVC asked, never in arguments)"))
    add.add_argument("--holder", required=True, metavar="NAME", help=_("the name on the card"))
    add.add_argument("--exp", required=True, metavar="MM/YY", help=_("the expiry, like 08/29"))
    add.add_argument("--default", action="store_true", help=_("make it the default card"))
    add.add_argument(
        "--card-stdin",
        action="store_true",
        help=_("read the number (first line) and CVC (second line) from standard input"),
    )
    add.add_argument("--idempotency-key", metavar="KEY", help=_("a key to retry this safely"))
    add_common(add)
    add.set_defaults(handler=command(run_add))

    default = sub.add_parser("default", help=_("make a saved card the default one"))
    default.add_argument("method_id", metavar="PM", help=_("the card (see `mktui methods list`)"))
    add_common(default)
    default.set_defaults(handler=command(run_default))

    update = sub.add_parser("update", help=_("a reissued card's new expiry (and holder name)"))
    update.add_argument("method_id", metavar="PM", help=_("the card (see `mktui methods list`)"))
    update.add_argument("--exp", required=True, metavar="MM/YY", help=_("the new expiry"))
    update.add_argument("--holder", metavar="NAME", help=_("a new name on the card"))
    update.add_argument("--idempotency-key", metavar="KEY", help=_("a key to retry this safely"))
    add_common(update)
    update.set_defaults(handler=command(run_update))

    remove = sub.add_parser("remove", help=_("remove a saved card"))
    remove.add_argument("method_id", metavar="PM", help=_("the card (see `mktui methods list`)"))
    add_money_options(remove)
    add_common(remove)
    remove.set_defaults(handler=command(run_remove))


def _expiry(card: PaymentMethod) -> str:
    return f"{card.exp_month:02d}/{card.exp_year % 100:02d}"


COLUMNS = (
    Column("", lambda m: "*" if m.is_default else ""),
    Column(N_("Card"), lambda m: _label(m)),
    Column(N_("Expires"), _expiry),
    Column(N_("Holder"), lambda m: m.holder_name),
    Column(N_("Id"), lambda m: m.id),
)
CSV_COLUMNS = (
    ("id", lambda m: m.id),
    ("brand", lambda m: m.brand),
    ("last4", lambda m: m.last4),
    ("exp_month", lambda m: m.exp_month),
    ("exp_year", lambda m: m.exp_year),
    ("holder_name", lambda m: m.holder_name),
    ("is_default", lambda m: "true" if m.is_default else "false"),
)


def _label(card: PaymentMethod) -> str:
    from mktui.core.card_brands import card_label

    return card_label(card)


def _card(card: PaymentMethod) -> str:
    """``Visa •••• 4242  exp 08/29``."""
    return _("{card}  exp {expiry}").format(card=_label(card), expiry=_expiry(card))


async def _one_page(items: list) -> object:
    yield items


async def run_list(ctx: Context) -> int:
    """The saved cards."""
    methods = await ctx.client.payment_methods()
    await ctx.out.rows(
        _one_page(methods),
        COLUMNS,
        json_row=to_json,
        csv_columns=CSV_COLUMNS,
        empty=_("No saved cards; add one with `mktui methods add`."),
    )
    return Exit.OK


def _read_card(ctx: Context) -> tuple[str, str]:
    if ctx.args.card_stdin:
        number = sys.stdin.readline().strip()
        cvc = sys.stdin.readline().strip()
    elif ctx.interactive:
        import getpass

        number = getpass.getpass(_("Card number (not shown): ")).strip()
        cvc = getpass.getpass(_("Security code, CVC (not shown): ")).strip()
    else:
        raise UsageError(
            _(
                "There is no terminal to type the card number on; pipe the number and CVC "
                "(one per line) with --card-stdin."
            )
        )
    return number, cvc


async def run_add(ctx: Context) -> int:
    """Attach a card; it becomes the default with ``--default``."""
    from mktui.api.models import NewPaymentMethod
    from mktui.core import card_rules

    args = ctx.args
    account = await ctx.client.account()
    from mktui.core import pricing

    today = pricing.billing_today(account.now, account.billing_timezone)
    expiry, problem = card_rules.parse_expiry(args.exp, today, complete=True)
    if expiry is None:
        raise UsageError(f"--exp: {problem}")
    holder = args.holder.strip()
    if not holder:
        raise UsageError(_("--holder: type the name as printed on the card."))
    number, cvc = _read_card(ctx)
    digits = card_rules.digits_of(number)
    problem = card_rules.number_error(digits, complete=True)
    if problem is None:
        problem = card_rules.cvc_error(cvc, card_rules.brand_of(digits), complete=True)
        if problem is not None:
            raise UsageError(_("The security code (CVC): {problem}").format(problem=problem))
    elif problem is not None:
        raise UsageError(_("The card number: {problem}").format(problem=problem))
    try:
        card = NewPaymentMethod(
            holder_name=holder,
            number=digits,
            exp_month=expiry.month,
            exp_year=expiry.year,
            cvc=cvc,
            make_default=args.default,
        )
    except ValueError:
        raise UsageError(_("--holder: the name is too long or holds a card number.")) from None
    finally:
        del number, cvc, digits
    key = ctx.key() if args.idempotency_key else None
    method = await ctx.client.add_payment_method(card, idempotency_key=key)
    ctx.out.record(
        to_json(method),
        [
            (_("Added"), _card(method)),
            (_("Default"), _("yes") if method.is_default else _("no")),
            (_("Id"), method.id),
        ],
        csv_row={name: get(method) for name, get in CSV_COLUMNS},
    )
    return Exit.OK


async def _find(ctx: Context, method_id: str) -> PaymentMethod:
    for method in await ctx.client.payment_methods():
        if method.id == method_id:
            return method
    from mktui.api.errors import ApiError, ErrorKind

    raise ApiError(
        ErrorKind.NOT_FOUND,
        _("The account has no card {id}; see `mktui methods list`.").format(id=repr(method_id)),
        code="not_found",
    )


async def run_default(ctx: Context) -> int:
    """Make a saved card the one renewals and retries charge."""
    method = await ctx.client.set_default_payment_method(ctx.args.method_id)
    ctx.out.record(
        to_json(method),
        [(_("Default card"), _card(method))],
        csv_row={name: get(method) for name, get in CSV_COLUMNS},
    )
    return Exit.OK


async def run_remove(ctx: Context) -> int:
    """Remove a saved card (after a confirmation)."""
    method = await _find(ctx, ctx.args.method_id)
    statement = [
        _("Remove {card} (exp {expiry}, {holder}).").format(
            card=_label(method), expiry=_expiry(method), holder=method.holder_name
        )
    ]
    if method.is_default:
        statement.append(
            _("It is the default card: the most recently added other card becomes the default.")
        )
    if not ctx.confirm(statement, _("Remove it?")):
        return Exit.USAGE
    promoted = await ctx.client.remove_payment_method(method.id)
    rows = [(_("Removed"), _card(method))]
    if promoted is not None:
        rows.append((_("Default card now"), _card(promoted)))
    elif method.is_default:
        rows.append((_("Default card now"), _("none: add a card so renewals are paid")))
    ctx.out.record(
        {
            "removed": to_json(method),
            "new_default": None if promoted is None else to_json(promoted),
        },
        rows,
        csv_row={name: get(method) for name, get in CSV_COLUMNS},
    )
    return Exit.OK


async def run_update(ctx: Context) -> int:
    """A reissued card's new expiry (and holder name); the number never changes."""
    from mktui.core import card_rules, pricing

    args = ctx.args
    method = await _find(ctx, args.method_id)
    account = await ctx.client.account()
    today = pricing.billing_today(account.now, account.billing_timezone)
    expiry, problem = card_rules.parse_expiry(args.exp, today, complete=True)
    if expiry is None:
        raise UsageError(f"--exp: {problem}")
    holder = args.holder.strip() if args.holder is not None else None
    if holder == "":
        raise UsageError(_("--holder: type the name as printed on the card."))
    updated = await ctx.client.update_payment_method(
        method.id,
        exp_month=expiry.month,
        exp_year=expiry.year,
        holder_name=holder,
        idempotency_key=ctx.key() if args.idempotency_key else None,
    )
    ctx.out.record(
        to_json(updated),
        [(_("Updated"), f"{_card(updated)}  {updated.holder_name}")],
        csv_row={name: get(updated) for name, get in CSV_COLUMNS},
    )
    return Exit.OK
