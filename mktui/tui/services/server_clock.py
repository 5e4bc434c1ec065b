"""The server's time now: a reading of its clock plus the monotonic time since it was taken.

Previews compute "today" in the billing time zone from the server's ``now``;
a console left open over midnight must preview the new day, not the day the
account was read. The local wall clock is not used (it may be wrong or in
another zone); the monotonic clock only measures how long ago the reading was.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta


def monotonic() -> float:
    """Seconds on the monotonic clock (a function so tests can move it)."""
    return time.monotonic()


def server_now(reading: datetime, taken: float) -> datetime:
    """The server's time now, from its ``reading`` taken at monotonic time ``taken``."""
    return reading + timedelta(seconds=max(0.0, monotonic() - taken))
