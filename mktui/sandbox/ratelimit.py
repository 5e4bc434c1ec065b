"""A per-token request budget: ``limit`` requests per ``window`` seconds, then 429.

In memory and per process: the sandbox is one process, and a fixed window is
enough to let a client exercise its ``Retry-After`` handling.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from mktui.sandbox.errors import ApiFailure

_MAX_KEYS = 10_000


class RateLimiter:
    """Counts requests per key in fixed windows of wall time."""

    def __init__(
        self, limit: int | None, window: float = 60.0, *, wall: Callable[[], float]
    ) -> None:
        self.limit = limit
        self.window = window
        self._wall = wall
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def check(self, key: str) -> None:
        """Count one request for ``key``; 429 ``rate_limited`` with Retry-After when over budget."""
        if self.limit is None:
            return
        now = self._wall()
        with self._lock:
            if len(self._windows) > _MAX_KEYS:  # forget finished windows so memory stays bounded
                self._windows = {k: w for k, w in self._windows.items() if now - w[0] < self.window}
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            count += 1
            self._windows[key] = (start, count)
        if count > self.limit:
            retry = max(1, math.ceil(start + self.window - now))
            raise ApiFailure(
                429,
                "rate_limited",
                f"Too many requests with this session; wait {retry} s and try again.",
                headers={"Retry-After": str(retry)},
            )
