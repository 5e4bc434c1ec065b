"""The test clock: the sandbox's "now", kept in the database, moved only forward.

A fresh sandbox starts at the real current time (or a pinned one) and then
stands still until ``POST /sandbox/clock`` (or ``mktui sandbox clock --set``)
moves it; every renewal and suspension between the old and the new time runs
then, in order. The clock never goes back.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from mktui.sandbox.errors import invalid

_KEY = "clock"
MAX_JUMP = timedelta(days=3660)
"""The furthest one move may go (about ten years): each month in between is billed."""


def now(conn: sqlite3.Connection) -> datetime:
    """The test clock's current time (aware, UTC)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
    if row is None:
        raise RuntimeError("the sandbox database has no clock; run `mktui sandbox reset`")
    return datetime.fromisoformat(row[0])


def start(conn: sqlite3.Connection, at: datetime) -> None:
    """Set the clock of a fresh database (seeding only: the API never moves it back)."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_KEY, to_utc(at).isoformat()),
    )


def to_utc(at: datetime) -> datetime:
    """``at`` in UTC; a naive datetime is refused (which zone would it be in?)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise invalid("now", "The time needs a UTC offset, e.g. 2027-01-01T09:00:00-03:00.")
    try:
        return at.astimezone(UTC)
    except OverflowError:
        # 9999-12-31T23:59:59-14:00 is after the last representable UTC moment
        # (0001-01-01T00:00:00+01:00 before the first): no calendar holds them.
        raise invalid(
            "now", "That time is outside the calendar (years 1 to 9999 in UTC); choose another."
        ) from None


def advance(conn: sqlite3.Connection, target: datetime) -> datetime:
    """Move the clock to ``target``, running every renewal and suspension in between."""
    from mktui.sandbox import renewals

    target = to_utc(target)
    current = now(conn)
    if target < current:
        raise invalid(
            "now",
            f"The test clock never goes back; choose a time at or after {current.isoformat()}.",
        )
    if target - current > MAX_JUMP:
        raise invalid("now", "Move the test clock at most ten years at a time.")
    renewals.run_events(conn, current, target)
    start(conn, target)
    return target
