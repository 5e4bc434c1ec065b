"""The command palette: every area and action as "group: verb"."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from mktui.core.i18n import N_, _
from mktui.tui.screens.area import AreaScreen
from mktui.tui.services.areas import AREAS

if TYPE_CHECKING:
    from mktui.tui.console import Console


ELSEWHERE: dict[str, tuple[tuple[str, str, str], ...]] = {
    "financial": ((N_("subscription: Subscribe"), N_("Activate the subscription (s on Financial)"), "subscribe"),),
    "subscription": (
        (N_("subscription: Modify devices"), N_("A new total number of devices, priced (d)"), "modify"),
        (N_("subscription: Switch plan"), N_("Monthly ↔ annual, priced before anything changes (p)"), "switch_plan"),
        (N_("subscription: Cancel"), N_("End the subscription on the next 1st, after a confirmation"), "cancel_subscription"),
    ),
    "invoices": (
        (N_("invoices: Retry overdue"), N_("Every overdue invoice at once, after a confirmation (a)"), "retry_all"),
        (N_("invoices: Search"), N_("By number and issue dates (/)"), "search"),
        (N_("invoices: Export CSV"), N_("Every invoice the filters show, to a file (e)"), "export"),
    ),
    "payment_methods": ((N_("payment methods: Add"), N_("Save a new card (a)"), "add"),),
    "contacts": ((N_("contacts: Add"), N_("Add a financial contact (a)"), "add"),),
    "history": (
        (N_("history: Filter by kind"), N_("Charges, payments, credit grants, uses, refunds (k)"), "kind"),
        (N_("history: Export CSV"), N_("Every entry of the kind shown, to a file (e)"), "export"),
    ),
}  # fmt: skip
"""What each area offers from anywhere: ``(group: verb, help, action)``, marked with ``N_``.

The palette lists them all, not only the current area's (whose own entries,
which may need a selected row, come from the screen itself); choosing one
opens its area and runs the action once the area has loaded.
"""


async def _open_and_run(console: Console, mode: str, action: str) -> None:
    """Open the area ``mode``, wait for its first load, then run ``action`` there."""
    app = cast(App, console)
    console.open_area(mode)
    if app.current_mode != mode:  # refused (money in flight): the app said why
        return
    screen = app.screen
    for _attempt in range(200):  # its load workers (at most ~10 s): an action may need the data
        await asyncio.sleep(0.05)
        busy = [w for w in app.workers if w.node is screen and w.is_running]
        if screen.is_mounted and not busy:
            break
    if app.screen is screen:
        await screen.run_action(action)


def _elsewhere(console: Console, mode: str, action: str) -> Callable[[], object]:
    def run() -> None:
        cast(App, console).run_worker(
            _open_and_run(console, mode, action), group="palette-elsewhere"
        )

    return run


def _offered(console: Console, mode: str) -> bool:
    """Whether ``mode``'s commands make sense for the account now (subscribe only when inactive)."""
    account = console.session.account
    inactive = account is not None and account.status == "inactive"
    if mode == "financial":
        return inactive
    if mode == "subscription":
        return not inactive
    return True


def _commands(app: Console, screen: object) -> list[tuple[str, str, Callable[[], object]]]:
    commands: list[tuple[str, str, Callable[[], object]]] = [
        (
            _("{area}: Open").format(area=_(title).lower()),
            _("Show {area} ({key})").format(area=_(title), key=key),
            partial(app.open_area, mode),
        )
        for mode, (title, key, _target) in AREAS.items()
    ]

    here = getattr(screen, "MODE", None) if isinstance(screen, AreaScreen) else None
    if isinstance(screen, AreaScreen):
        commands.extend(screen.palette_commands())
    if app.session.signed_in:
        shown = {name for name, _help, _run in commands}
        commands.extend(
            (_(name), _(help_text), _elsewhere(app, mode, action))
            for mode, entries in ELSEWHERE.items()
            if mode != here and _offered(app, mode)
            for name, help_text, action in entries
            if _(name) not in shown
        )
    if app.session.signed_in:
        commands.append(
            (_("session: Sign out"), _("Forget this session and show Sign in"), app.sign_out)
        )
    return commands


class ConsoleCommands(Provider):
    """mktui's own commands, named "group: verb" (e.g. "subscription: Subscribe")."""

    async def discover(self) -> Hits:
        for name, help_text, callback in _commands(self.app, self.screen):  # type: ignore[arg-type]
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in _commands(self.app, self.screen):  # type: ignore[arg-type]
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
