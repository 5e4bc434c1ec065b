"""What History keeps of a ledger entry: its text made safe once, drawn by the Entry cell,
and the credit-use chart tallied page by page as the whole ledger would be."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from rich.console import Console

from mktui.api.models import LedgerEntry
from mktui.tui.screens.ledger_entries import (
    Entry,
    EntryCell,
    entries_of,
    months_used,
    tally_credit_use,
)

ZONE = ZoneInfo("America/Sao_Paulo")


def ledger_entry(at: str, kind: str, amount: int, description: str = "x") -> LedgerEntry:
    return LedgerEntry(
        id=f"txn_{at}{kind}",
        at=datetime.fromisoformat(at).replace(tzinfo=UTC),
        kind=kind,
        description=description,
        amount=amount,
        balance_after=0,
        invoice_id="inv_1" if kind == "charge" else None,
    )


def test_an_entry_keeps_what_the_screen_shows_in_the_billing_zone():
    # 02:30 UTC on the 1st is still the last day of the month before in São Paulo.
    raw = ledger_entry("2026-04-01T02:30", "charge", 9900, "Invoice\x1b[31m MK-000001\n")
    (entry,) = entries_of([raw], ZONE)
    assert isinstance(entry, Entry)
    assert entry.when == "31 Mar 2026\n23:30"
    assert entry.month == 2026 * 12 + 2  # March
    assert entry.description == "Invoice[31m MK-000001"  # the escape and newline gone
    assert (entry.kind, entry.amount, entry.invoice_id) == ("charge", 9900, "inv_1")


def test_the_entry_cell_draws_the_kind_in_bold_over_the_description():
    (entry,) = entries_of([ledger_entry("2026-04-02T12:00", "credit_use", -500, "Used")], ZONE)
    cell = EntryCell(entry)
    assert cell.plain == str(cell) == "credit used\nUsed"
    assert not hasattr(cell, "__rich_measure__")  # the column's width is set: never measured
    text = cell.text
    assert text.plain == "credit used\nUsed" and text.no_wrap
    assert [(span.start, span.end, str(span.style)) for span in text.spans] == [(0, 11, "bold")]
    # Drawn as its Text would be, from segments kept by its text (a page appended redraws it).
    console = Console(width=20, color_system=None, legacy_windows=False)
    options = console.options.update_width(8)
    drawn = list(cell.__rich_console__(console, options))
    assert drawn == list(console.render(text, options))
    assert [line for line in "".join(s.text for s in drawn).split("\n") if line] == [
        "credit …",
        "Used",
    ]


def test_the_chart_tallied_page_by_page_is_the_whole_ledgers():
    ledger = [
        ledger_entry("2026-06-02T12:00", "credit_use", -700),
        ledger_entry("2026-04-02T12:00", "credit_use", -500),
        ledger_entry("2026-04-01T12:00", "payment", 9000),
        ledger_entry("2026-01-03T12:00", "credit_use", -500),
        ledger_entry("2026-01-02T12:00", "credit_grant", 9000),
    ]
    used: dict[int, int] = {}
    for page in (ledger[:2], ledger[2:3], ledger[3:]):
        tally_credit_use(entries_of(page, ZONE), used)
    at_once: dict[int, int] = {}
    tally_credit_use(entries_of(ledger, ZONE), at_once)  # the whole ledger in one page
    whole = months_used(at_once, 12)
    assert months_used(used, 12) == whole
    assert whole == [
        ("2026-01", 500),
        ("2026-02", 0),
        ("2026-03", 0),
        ("2026-04", 500),
        ("2026-05", 0),
        ("2026-06", 700),
    ]
    assert months_used(used, 2) == [("2026-05", 0), ("2026-06", 700)]
    assert months_used({}, 12) == []
