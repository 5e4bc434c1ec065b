"""``mktui history``: the credit ledger, newest first, streamed page by page."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from mktui.api.csv_records import ledger_columns
from mktui.cli.exit_codes import Exit
from mktui.cli.output import Column, money_text, to_json
from mktui.cli.runner import Context, add_common, command
from mktui.cli.words import code_text, date_text
from mktui.core import dates
from mktui.core.i18n import N_, _

if TYPE_CHECKING:
    from mktui.api.models import LedgerEntry

KINDS = ("charge", "payment", "credit_grant", "credit_use", "refund")
PAGE = 200


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``history``."""
    history = subparsers.add_parser("history", help=_("the credit ledger, newest first"))
    history.add_argument("--kind", choices=KINDS, help=_("only entries of this kind"))
    history.add_argument("--all", action="store_true", help=_("every page (streamed)"))
    history.add_argument(
        "--limit", metavar="N", default="50", help=_("without --all, at most N rows")
    )
    add_common(history)
    history.set_defaults(handler=command(run_history))


def _signed(entry: LedgerEntry, currency: str | None) -> str:
    # Only credit moves carry a sign (as on the History screen): a charge shows its card amount.
    text = money_text(abs(entry.amount), currency)
    if entry.kind == "credit_grant":
        return "+" + text
    if entry.kind == "credit_use":
        return "−" + text
    return text


async def run_history(ctx: Context) -> int:
    """The ledger rows, filtered by kind; ``--all`` streams every page."""
    from mktui.cli.commands.invoices import _positive

    args = ctx.args
    limit = None if args.all else _positive(args.limit, "--limit")
    currency = (await ctx.client.account()).currency

    async def pages() -> AsyncIterator[list[LedgerEntry]]:
        from mktui.cli.paging import pages_ahead

        shown = 0
        walk = pages_ahead(
            lambda cursor: ctx.client.ledger(limit=PAGE, cursor=cursor), ahead=limit is None
        )
        try:
            async for page in walk:
                rows = [e for e in page.data if args.kind is None or e.kind == args.kind]
                more = False
                if limit is not None and len(rows) > limit - shown:
                    rows, more = rows[: limit - shown], True
                shown += len(rows)
                yield rows
                last = page.next_cursor is None
                if (last and more) or (not last and limit is not None and shown >= limit):
                    ctx.note(_("Showing the first {n}; add --all for every entry.").format(n=shown))
                if last or (limit is not None and shown >= limit):
                    return
        finally:
            await walk.aclose()

    columns = (
        Column(N_("When"), lambda e: date_text(dates.billing_date(e.at))),
        Column(N_("Kind"), lambda e: code_text(e.kind)),
        Column(N_("Description"), lambda e: e.description),
        Column(N_("Amount"), lambda e: _signed(e, currency), "right"),
        Column(N_("Credit after"), lambda e: money_text(e.balance_after, currency), "right"),
    )
    csv_columns = ledger_columns(currency)  # the console's export writes the same
    await ctx.out.rows(
        pages(),
        columns,
        json_row=lambda e: to_json(e, currency),
        csv_columns=csv_columns,
        empty=_("No ledger entries."),
    )
    return Exit.OK
