"""Dates for people: one style everywhere (``1 Jan 2027``), in the billing time zone.

Every date the console, the CLI's human output, the receipts and the previews
show goes through here, so a due date reads the same on every screen. The
month names come from a table, not ``strftime('%b')``, which follows the
machine's ``LC_TIME`` and would change with the host a console runs on.
Machine output (``--json``, ``--csv``, the wire) stays ISO 8601.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""The month abbreviations of :func:`format_date`."""

DEFAULT_ZONE = "America/Sao_Paulo"
"""The billing time zone when an account names none (api.md, Conventions)."""


def format_date(day: date) -> str:
    """``1 Jan 2027``: a calendar date (already in the billing time zone)."""
    if isinstance(day, datetime):
        # A moment is not a calendar date: which day it falls on depends on the zone.
        raise TypeError("format_date takes a date; use format_moment for a datetime")
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_month(day: date) -> str:
    """``Jan 2027``: the month of a period."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def format_period(
    start: date,
    end: date,
    *,
    whole: Callable[[date], str] = format_date,
    day_month: Callable[[date], str] | None = None,
) -> str:
    """``26–30 Nov 2026``, ``26 Nov – 3 Dec 2026`` or ``1 Dec 2026 – 30 Nov 2027``: a date range.

    Shorter than two whole dates where they share a month or a year, so a period
    fits a preview line at 80 columns; the same style as :func:`format_date`.
    ``whole`` and ``day_month`` ("26 Nov") say a date another way (another
    language: :func:`mktui.core.i18n.format_period`) with the same shortening.
    """
    if day_month is None:
        day_month = _day_month
    if start == end:
        return whole(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{whole(end)}"
    if start.year == end.year:
        return f"{day_month(start)} – {whole(end)}"
    return f"{whole(start)} – {whole(end)}"


def _day_month(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def in_zone(at: datetime, timezone: str | None = None) -> datetime:
    """``at`` (an aware moment) in the billing time zone ``timezone``."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(timezone or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_ZONE)
    return at.astimezone(zone)


def billing_date(at: datetime, timezone: str | None = None) -> date:
    """The calendar date the moment ``at`` falls on in the billing time zone."""
    return in_zone(at, timezone).date()


def format_day_of(at: datetime, timezone: str | None = None) -> str:
    """``1 Jan 2027``: the day a moment (paid at, issued at) falls on in the billing zone."""
    return format_date(billing_date(at, timezone))


def format_moment(at: datetime, timezone: str | None = None) -> str:
    """``1 Jan 2027 14:05``: a moment in the billing time zone, to the minute."""
    local = in_zone(at, timezone)
    return f"{format_date(local.date())} {local:%H:%M}"
