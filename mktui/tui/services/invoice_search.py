"""What the Invoices search line asks the server for: a number prefix and issue dates.

``MK-0001`` finds numbers starting with it; ``2026-03-01`` one day;
``2026-01-01..2026-03-31`` a range (either end may be left open); a number and
dates together narrow both. Everything is served by the server (``q``,
``from``, ``to`` of GET /v1/invoices).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mktui.core.i18n import _, format_day

_DAY = r"\d{4}-\d{2}-\d{2}"
_RANGE = re.compile(rf"^(?P<first>{_DAY})?\.\.(?P<last>{_DAY})?$")
_ONE_DAY = re.compile(rf"^{_DAY}$")
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("Issue date {text} is not a date of the calendar: write it as YYYY-MM-DD.").format(
                text=text
            )
        ) from None


@dataclass(frozen=True)
class InvoiceSearch:
    """A number prefix and an inclusive range of issue dates; empty matches every invoice."""

    number: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None

    def __bool__(self) -> bool:
        return bool(self.number or self.issued_from or self.issued_to)

    @classmethod
    def parse(cls, text: str) -> InvoiceSearch:
        """The search a person typed; ValueError with a sentence naming what is wrong."""
        number = first = last = None
        for word in text.split():
            if (found := _RANGE.match(word)) and (found["first"] or found["last"]):
                first = _day(found["first"]) if found["first"] else None
                last = _day(found["last"]) if found["last"] else None
            elif _ONE_DAY.match(word):
                first = last = _day(word)
            elif _NUMBER.match(word) and number is None:
                number = word.upper()
            else:
                raise ValueError(
                    _(
                        "Search: {word} is neither an invoice number (MK-0001) nor issue "
                        "dates (2026-01-01..2026-03-31)."
                    ).format(word=repr(word[:40]))
                )
        if first and last and first > last:
            raise ValueError(
                _(
                    "Search: the first issue date ({first}) is after the last ({last}); "
                    "write the earlier one first."
                ).format(first=first, last=last)
            )
        return cls(number, first, last)

    def describe(self) -> str:
        """``numbers MK-0001… issued 1 Jan 2026 to 31 Mar 2026`` for the title, in the language in use."""
        parts = []
        if self.number:
            parts.append(_("numbers {number}…").format(number=self.number))
        first, last = self.issued_from, self.issued_to
        if first and last and first == last:
            parts.append(_("issued {day}").format(day=format_day(first)))
        elif first and last:
            parts.append(
                _("issued {first} to {last}").format(first=format_day(first), last=format_day(last))
            )
        elif first:
            parts.append(_("issued from {day}").format(day=format_day(first)))
        elif last:
            parts.append(_("issued until {day}").format(day=format_day(last)))
        return " ".join(parts)
