"""Money in flight: the payments and changes of devices waiting for the server's answer now.

One :class:`MoneyInFlight` per app (``Console.money``). A screen begins it the
moment the admin asks to pay (before any worker runs, so a second key press is
refused) and ends it when the worker has the answer, or gave up. While a
screen holds it, the console does not let that screen go: no other area opens
over it, a reset of the areas keeps it, and quitting asks first — dropping the
screen would cancel its worker and lose the answer and its Idempotency-Key.

It is reactive through a Textual :class:`~textual.signal.Signal`: ``changed``
publishes ``True`` when the first payment begins and ``False`` when the last
one ends, so a widget can show it without polling.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.dom import DOMNode
from textual.screen import Screen
from textual.signal import Signal

from mktui.core.i18n import N_, _

A_PAYMENT = N_("a payment")
"""What is in flight when a screen does not say (marked here, translated where said)."""


class MoneyInFlight:
    """Which screens are waiting for the answer to a payment or a change, and what each is."""

    def __init__(self, owner: DOMNode) -> None:
        self._held: dict[Screen, str] = {}
        self.changed: Signal[bool] = Signal(owner, "money-in-flight")
        """Published with :attr:`active` each time it flips."""

    def begin(self, screen: Screen, what: str = A_PAYMENT) -> None:
        """``screen`` is paying (or changing the subscription) from now on; ``what`` names it.

        ``what`` is the English phrase marked with ``N_`` ("a change of devices"):
        :meth:`refusal` translates it when it is said.
        """
        was = self.active
        self._held[screen] = what
        if not was:
            self.changed.publish(True)

    def end(self, screen: Screen) -> None:
        """``screen`` has its answer (or gave up); ending twice is harmless."""
        if self._held.pop(screen, None) is not None and not self._held:
            self.changed.publish(False)

    def held_by(self, screen: Screen) -> bool:
        """Whether ``screen`` is waiting for the answer to a payment or change now."""
        return screen in self._held

    def any_of(self, screens: Iterable[Screen]) -> bool:
        """Whether any of ``screens`` (a mode's stack, say) is waiting for such an answer."""
        return any(screen in self._held for screen in screens)

    @property
    def active(self) -> bool:
        """Whether anything at all is in flight (on a screen still in the app)."""
        # A screen removed before its worker ran never ends what it began; its worker
        # was cancelled with it, so nothing of it can be in flight any more.
        for screen in [s for s in self._held if not s.is_attached]:
            self.end(screen)
        return bool(self._held)

    @property
    def what(self) -> list[str]:
        """What is in flight, in the order it began ("a payment", "a change of devices")."""
        return list(self._held.values())

    def refusal(self, doing: str) -> str:
        """Why ``doing`` (translated: "open Invoices") waits: what is in flight, in the language in use.

        "A change of devices is waiting for the server's answer; open Invoices once
        it arrives (it is shown here)."
        """
        what = self.what
        first = _(what[0] if what else A_PAYMENT)
        return _(
            "{what} is waiting for the server's answer; {doing} once it arrives (it is shown here)."
        ).format(what=first[:1].upper() + first[1:], doing=doing)
