"""The screens of an app mode, through Textual's public ``App.get_screen_stack``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def mode_screens(app: App, mode: str) -> list[Screen]:
    """The screens open in ``mode``, bottom first; none when the mode was never shown."""
    try:
        return app.get_screen_stack(mode)
    except KeyError:  # the mode has no stack: never shown, or removed since
        return []
