"""The sentence under an area's figures or a form: paid, declined, what changed."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StatusLine(Static):
    """One outcome for the admin, shown literally (never markup); red, or green with ``ok``.

    With ``hide_when_empty`` it takes no room until there is something to say.
    """

    DEFAULT_CSS = """
    StatusLine { height: auto; color: $error; text-style: bold; }
    StatusLine.-ok { color: $success; text-style: none; }
    """

    def __init__(self, *, hide_when_empty: bool = True, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._hide_when_empty = hide_when_empty
        self.text = ""
        if hide_when_empty:
            self.display = False

    def say(self, text: str, *, ok: bool = False) -> None:
        """Show ``text`` (empty: clear it)."""
        self.text = text
        self.update(Content(text))
        self.set_class(ok, "-ok")
        if self._hide_when_empty:
            self.display = bool(text)
