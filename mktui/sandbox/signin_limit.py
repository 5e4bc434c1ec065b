"""Sign-in backoff per account: failed passwords for one email slow down that email.

The per-address limit (``routing.limit_by_address``) stops one machine from
hammering; this stops many machines (or a spoofed address) from guessing one
account's password. After ``FREE_FAILURES`` wrong passwords in a row, each
further attempt must wait twice as long as the previous one (capped at
``MAX_WAIT``), answered 429 with ``Retry-After`` before the password is even
checked. A right password resets the count. In memory, like the rate limiter:
the sandbox is one process.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from mktui.sandbox.errors import ApiFailure

FREE_FAILURES = 5
"""Wrong passwords in a row an account tolerates before the backoff starts."""
MAX_WAIT = 15 * 60
"""The longest wait between attempts (seconds)."""
_FORGET_AFTER = 24 * 3600
_MAX_KEYS = 10_000


class SignInGuard:
    """Counts consecutive failed sign-ins per account and enforces the backoff."""

    def __init__(self, *, wall: Callable[[], float]) -> None:
        self._wall = wall
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # email → (failures, last failure)

    @staticmethod
    def wait_after(failures: int) -> float:
        """Seconds to wait after ``failures`` wrong passwords in a row (0 while still free)."""
        if failures < FREE_FAILURES:
            return 0.0
        return float(min(2 ** (failures - FREE_FAILURES), MAX_WAIT))

    def check(self, email: str) -> None:
        """429 ``rate_limited`` with Retry-After while ``email`` must still wait."""
        now = self._wall()
        with self._lock:
            failures, last = self._failures.get(_key(email), (0, now))
        remaining = last + self.wait_after(failures) - now
        if remaining > 0:
            retry = max(1, math.ceil(remaining))
            raise ApiFailure(
                429,
                "rate_limited",
                f"Too many wrong passwords for this account; wait {retry} s and sign in again.",
                headers={"Retry-After": str(retry)},
            )

    def failed(self, email: str) -> None:
        """Count one wrong password for ``email``."""
        now = self._wall()
        with self._lock:
            if len(self._failures) > _MAX_KEYS:  # memory stays bounded under a spray of emails
                self._failures = {
                    k: v for k, v in self._failures.items() if now - v[1] < _FORGET_AFTER
                }
            failures, _ = self._failures.get(_key(email), (0, now))
            self._failures[_key(email)] = (failures + 1, now)

    def succeeded(self, email: str) -> None:
        """The right password: the count starts again."""
        with self._lock:
            self._failures.pop(_key(email), None)


def _key(email: str) -> str:
    return email.strip().lower()
