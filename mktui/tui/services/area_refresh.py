"""After money moved: the other areas show fresh figures the next time they open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mktui.tui.services.areas import AREAS
from mktui.tui.services.modes import mode_screens

if TYPE_CHECKING:
    from textual.app import App

    from mktui.tui.services.money_in_flight import MoneyInFlight


async def reset_other_areas(app: App, money: MoneyInFlight) -> None:
    """Drop every area's screen but the current one; each is built (and loads) again when shown.

    A change of devices or a paid invoice moves the hub's figures, the invoice
    list and the credit: rebuilding is simpler and safer than patching each
    screen's copy of them, and an area loads in one round of requests anyway.
    """
    for mode in AREAS:
        if mode == app.current_mode or mode not in app.MODES:
            continue
        if money.any_of(mode_screens(app, mode)):
            # A payment or change is still waiting for its answer there: removing
            # the screen would cancel its worker and lose the answer and its key.
            continue
        await app.remove_mode(mode)
        app.add_mode(mode, app.MODES[mode])
