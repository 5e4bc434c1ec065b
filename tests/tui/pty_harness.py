"""The real console in a pseudo-terminal, with two more keys for a test to read its fields.

Run as ``python tests/tui/pty_harness.py STATE_FILE [--sandbox]`` inside a pty
(tests/tui/test_raw_bursts.py does): it is ``mktui`` (or ``mktui --sandbox``)
plus F5, which writes the current screen's name, the focused field and every
Input's value to STATE_FILE, and F6, which empties the Inputs named in
``MKTUI_HARNESS_FIELDS`` (comma-separated ids), focuses the first and writes
the state. Both are priority bindings, so they run when their turn comes; F5
then waits until every Input has handled the keys already in its queue (a letter
is handed to the field's own queue, and a priority key does not wait for it).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from textual.binding import Binding
from textual.widgets import Input

from mktui.tui.app import MkApp
from mktui.tui.services.session import ConsoleOptions


class HarnessApp(MkApp):
    """MkApp with F5 (tell the fields) and F6 (empty the round's fields)."""

    BINDINGS = [
        Binding("f5", "tell", "Tell the fields", show=False, priority=True),
        Binding("f6", "reset_fields", "Empty the fields", show=False, priority=True),
    ]

    def __init__(self, state_file: Path, options: ConsoleOptions) -> None:
        super().__init__(options)
        self.state_file = state_file
        self.told = 0

    async def action_tell(self) -> None:
        """Write what the fields hold, with a count so the test knows it is new."""
        handled = []
        for field in self.screen.query(Input):
            done = asyncio.Event()
            if field.call_later(done.set):  # runs once the keys queued before it are handled
                handled.append(done.wait())
        await asyncio.wait_for(asyncio.gather(*handled), timeout=10)
        self.told += 1
        focused = self.focused
        state = {
            "told": self.told,
            "screen": type(self.screen).__name__,
            "focused": focused.id if focused is not None else None,
            "fields": {field.id: field.value for field in self.screen.query(Input) if field.id},
        }
        part = self.state_file.with_suffix(".part")
        part.write_text(json.dumps(state), encoding="utf-8")
        os.replace(part, self.state_file)

    async def action_reset_fields(self) -> None:
        """Empty the round's fields, focus the first, and tell."""
        ids = [name for name in os.environ.get("MKTUI_HARNESS_FIELDS", "").split(",") if name]
        for name in ids:
            self.screen.query_one(f"#{name}", Input).value = ""
        if ids:
            self.screen.query_one(f"#{ids[0]}", Input).focus()
        await self.action_tell()


if __name__ == "__main__":
    HarnessApp(Path(sys.argv[1]), ConsoleOptions(sandbox="--sandbox" in sys.argv)).run()
