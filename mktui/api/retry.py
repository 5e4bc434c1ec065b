"""When and how long the billing client waits before trying a request again.

Pure policy, no IO: the client asks ``RetryPolicy`` whether an attempt may be
repeated and how long to sleep first; the sleeping itself is injected so tests
never wait. ``Retry-After`` is honoured in both of its forms (seconds or an
HTTP-date) and capped: a server asking for a day is answered with an error the
screen can show ("try again in 24 hours"), never with a frozen console.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
"""Answers that mean "not now" rather than "no": worth another try."""


@dataclass(frozen=True)
class RetryPolicy:
    """How many times to retry and how long to wait between attempts.

    ``max_retries`` counts the extra attempts after the first. Backoff grows
    as ``base_delay * 2**attempt`` up to ``max_delay``, and each wait is
    jittered into ``[delay/2, delay]`` so clients that failed together do not
    retry together. ``retry_after_cap`` is the longest ``Retry-After`` worth
    waiting for inside one user action.
    """

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    retry_after_cap: float = 30.0
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (``attempt`` starts at 0)."""
        delay = min(self.max_delay, self.base_delay * (2**attempt))
        return delay / 2 + (delay / 2) * self.jitter()

    def can_retry(self, attempt: int) -> bool:
        """Whether another attempt may follow the ``attempt``-th one (0-based)."""
        return attempt < self.max_retries


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, or None when absent or unreadable.

    The header is either a number of seconds (``"2"``) or an HTTP-date
    (``"Wed, 21 Oct 2026 07:28:00 GMT"``); a date in the past means 0.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT; obsolete forms may omit it
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
