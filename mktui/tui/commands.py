"""The command palette: every area and action as "group: verb"."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mktui.tui.screens.area import AreaScreen
from mktui.tui.services.areas import AREAS

if TYPE_CHECKING:
    from mktui.tui.console import Console


def _commands(app: Console, screen: object) -> list[tuple[str, str, Callable[[], object]]]:
    commands: list[tuple[str, str, Callable[[], object]]] = [
        (f"{title.lower()}: Open", f"Show {title} ({key})", partial(app.open_area, mode))
        for mode, (title, key, _) in AREAS.items()
    ]

    if isinstance(screen, AreaScreen):
        commands.extend(screen.palette_commands())
    if app.session.signed_in:
        commands.append(("session: Sign out", "Forget this session and show Sign in", app.sign_out))
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
