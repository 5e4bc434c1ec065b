"""What History keeps of each ledger entry, and the Entry column's cell drawn from it.

History keeps every entry loaded (a dict by id: the detail line, Enter's
invoice, the kind filter and the credit-use chart read it). A pydantic
``LedgerEntry`` is ~1.4 KB in memory, and the row's cells held the entry's
text a second time: ~14 MiB at 5 000 entries. An :class:`Entry` keeps only
what the screen shows and needs, its text made safe once, and the Entry
column's cell (:class:`EntryCell`) draws from it instead of holding a copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from mktui.core.i18n import format_day
from mktui.core.words import LEDGER_KIND_NAMES, ledger_kind
from mktui.tui.widgets.table_cells import CLIPPED, SizedCell
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api import models

KIND_NAMES = LEDGER_KIND_NAMES
"""Each ledger kind as the admin reads it (the command line's words too: ``core.words``)."""

_KINDS = {kind: kind for kind in KIND_NAMES}
"""One string per known kind, shared by every entry (each parsed entry brings its own copy)."""

DESCRIPTION_LIMIT = 300
"""The most of a description kept (the detail line's; the Entry column clips it)."""


def kind_name(kind: str) -> str:
    """A ledger kind in the language in use; one the console does not know, as the server sent it."""
    name = ledger_kind(kind)
    return name if name is not None else safe_text(kind, limit=20)


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry as History shows it (all text already made safe)."""

    id: str
    when: str
    """The day and the time in the billing zone, on two lines (``12 Mar 2026`` / ``14:03``)."""
    month: int
    """``year * 12 + month - 1`` in the billing zone: the credit-use chart's month."""
    kind: str
    description: str
    amount: int
    balance_after: int
    invoice_id: str | None


def entries_of(ledger: Iterable[models.LedgerEntry], zone: ZoneInfo) -> Iterator[Entry]:
    """The :class:`Entry` of each ledger entry, in order, dated in ``zone``."""
    days: dict[date, str] = {}  # a page holds a few days: each formatted once
    for entry in ledger:
        local = entry.at.astimezone(zone)
        day = local.date()
        shown = days.get(day)
        if shown is None:
            shown = days[day] = format_day(day)
        yield Entry(
            entry.id,
            f"{shown}\n{local.hour:02d}:{local.minute:02d}",
            local.year * 12 + local.month - 1,
            _KINDS.get(entry.kind, entry.kind),
            safe_text(entry.description, limit=DESCRIPTION_LIMIT),
            entry.amount,
            entry.balance_after,
            entry.invoice_id,
        )


def tally_credit_use(entries: Iterable[Entry], used: dict[int, int]) -> None:
    """Add ``entries`` to ``used`` (month → credit used): every month holding an entry counts.

    Kept as the pages come, so a page costs its own entries, not every entry loaded.
    """
    for entry in entries:
        spent = abs(entry.amount) if entry.kind == "credit_use" else 0
        used[entry.month] = used.get(entry.month, 0) + spent


def months_used(used: Mapping[int, int], months: int) -> list[tuple[str, int]]:
    """``(YYYY-MM, credit used)`` for the last ``months`` months of ``used``, oldest first.

    Months between the first and the last one held, with no entry, count 0, so
    the bars keep the calendar's spacing.
    """
    if not used:
        return []
    first, last = min(used), max(used)
    return [
        (f"{month // 12}-{month % 12 + 1:02d}", used.get(month, 0))
        for month in range(max(first, last - months + 1), last + 1)
    ]


class EntryCell(SizedCell):
    """The Entry column's cell: the kind in bold over the description, drawn from the Entry.

    A :class:`~mktui.tui.widgets.table_cells.SizedCell` whose text is read from
    its entry when the table draws it: it keeps no text of its own (the
    description is the entry's), and the kind is said in the language in use.
    """

    __slots__ = ("entry",)
    options = CLIPPED

    def __init__(self, entry: Entry) -> None:
        self.entry = entry  # not SizedCell.__init__: plain and bold are read from the entry

    @property
    def plain(self) -> str:  # type: ignore[override]
        """The kind, then the description."""
        return f"{kind_name(self.entry.kind)}\n{self.entry.description}"

    @property
    def bold(self) -> int:  # type: ignore[override]
        """The kind's length: it is drawn bold."""
        return len(kind_name(self.entry.kind))

    def __repr__(self) -> str:
        return f"EntryCell({self.entry.id!r})"
