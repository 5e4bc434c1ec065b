"""One Idempotency-Key per money intent (one Pay, one Confirm), shared by every screen that charges.

A key is kept while the intent stays the same — same card, same amount, same
invoice — so a double press, or a second press after a dropped connection whose
outcome is unknown, sends the same request and the server applies it once.
It is replaced when the admin changes what is being paid, and dropped once the
server gave a definite answer (paid, declined, price changed).
"""

from __future__ import annotations

from collections.abc import Hashable

from mktui.api.client import new_idempotency_key


class Intent:
    """The current intent's key; :meth:`key` makes one, :meth:`end` forgets it."""

    def __init__(self) -> None:
        self._current: tuple[Hashable, str] | None = None

    def key(self, fingerprint: Hashable) -> str:
        """The Idempotency-Key for ``fingerprint`` (what is paid, how): the same until it changes."""
        if self._current is None or self._current[0] != fingerprint:
            self._current = (fingerprint, new_idempotency_key())
        return self._current[1]

    def end(self) -> None:
        """The server answered definitely: the next press is a new intent with a new key."""
        self._current = None

    @property
    def active(self) -> bool:
        """True while a key is kept (its request's outcome may be unknown)."""
        return self._current is not None


class IntentBook:
    """One :class:`Intent` per target (e.g. per invoice id), for screens that pay several things."""

    def __init__(self) -> None:
        self._intents: dict[str, Intent] = {}

    def __getitem__(self, target: str) -> Intent:
        return self._intents.setdefault(target, Intent())
