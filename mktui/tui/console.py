"""What a screen may ask of the console app: a small typed interface instead of its class.

Screens reach the app through :class:`Console` (``ConsoleScreen.console``),
so they never import :mod:`mktui.tui.app` and the app can import every screen
without a cycle; ``lint-imports`` keeps it so. Everything else a screen needs
(pushing a screen, ``notify``) is Textual's own ``App`` API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from mktui.tui.services.money_in_flight import MoneyInFlight
    from mktui.tui.services.session import ConsoleOptions, Session


@runtime_checkable
class Console(Protocol):
    """The console app as its screens see it (``MkApp`` implements it)."""

    options: ConsoleOptions
    """How the console was started."""
    session: Session
    """Which server, which client, who is signed in."""
    money: MoneyInFlight
    """The payments and changes waiting for the server's answer now."""

    def report_error(self, error: BaseException) -> None:
        """Show a failed worker's error: a toast, a modal, or sign in again."""

    def open_area(self, mode: str) -> None:
        """Show one of the areas (refused while this one's money is in flight)."""

    async def signed_in(self) -> None:
        """After signing in: show the hub, fresh."""

    async def sign_in_again(self, email: str, password: str) -> None:
        """Sign in again on the same server after the session ended."""

    async def sign_out(self) -> None:
        """Forget the session and show Sign in."""
