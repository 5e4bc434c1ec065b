"""Key bursts: many key events queued at once, as a laggy SSH link delivers them.

``pilot.press`` waits for the app to go idle after every key, which hides keys
routed to the wrong widget; :func:`burst` queues them all through the driver
before the app handles the first one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key


def key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key`` ("a", "@", "tab", "shift+tab", "enter"...)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        character: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


def keys_of(*parts: str) -> list[str]:
    """``keys_of("me@x.test", "tab", "pw")``: plain text split in characters, key names kept."""
    keys: list[str] = []
    for part in parts:
        if part in ("tab", "shift+tab", "enter", "escape", "backspace", "ctrl+q", "ctrl+p"):
            keys.append(part)
        else:
            keys.extend(part)
    return keys


async def burst(pilot, keys: Iterable[str]) -> None:
    """Queue every key at once (no wait in between), then let the app handle them all."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()
