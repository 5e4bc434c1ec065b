"""Billing dates: "today" in the billing time zone, and the days a line bills.

A month is billed on its 1st. A first month or added devices on another day
bill ``R`` of ``D`` days: ``D`` the days of the month, ``R = D − day + 1``
(today counts). "Today" is the calendar date in the account's billing time
zone (:func:`billing_today`), never the machine's date, so every function here
takes a ``date`` and refuses a ``datetime``. Import from :mod:`mktui.core.pricing`
or from here; both are the same functions.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mktui.core.pricing_types import PricingError


def billing_today(now: datetime, timezone: str) -> date:
    """The calendar date *now* falls on in the billing time zone *timezone*.

    *now* must be aware (the account's ``now`` from the server); a naive
    datetime would silently mean the machine's zone, so it is refused.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from mktui.core.i18n import _

    # Translated: *now* and *timezone* are the server's, so a screen may show these.
    if not isinstance(now, datetime):
        raise PricingError("now", _("The current time must be a datetime with a time zone."))
    if now.tzinfo is None or now.utcoffset() is None:
        raise PricingError(
            "now", _("The current time has no time zone; use the server's aware 'now'.")
        )
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PricingError(
            "timezone",
            _("Billing time zone {zone!r} is unknown; use one like America/Sao_Paulo.").format(
                zone=str(timezone)[:40]
            ),
        ) from None
    return now.astimezone(zone).date()


def check_billing_date(today: object, name: str = "today") -> date:
    """*today* when it is a calendar date (a ``datetime`` is refused), else :class:`PricingError`."""
    # A datetime is a date too; refusing it keeps a machine-local or UTC
    # timestamp from being billed as if it were the billing zone's date.
    if isinstance(today, datetime) or not isinstance(today, date):
        raise PricingError(
            name, f"'{name}' must be a calendar date in the billing time zone (see billing_today)."
        )
    return today


def remaining_days(today: date) -> tuple[int, int]:
    """``(R, D)``: the days left in *today*'s month counting today, and the days in that month."""
    days_in_month = month_end(today).day
    return days_in_month - today.day + 1, days_in_month


def next_first(today: date) -> date:
    """The 1st of the month after *today*'s month (the next renewal date)."""
    today = check_billing_date(today)
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(today: date) -> date:
    """The last day of *today*'s month."""
    return next_first(today) - timedelta(days=1)
