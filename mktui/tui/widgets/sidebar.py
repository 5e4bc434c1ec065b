"""The areas, listed like the web app's Settings → Financial menu, each with its key."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class Sidebar(OptionList):
    """One row per area (``f Financial``…); Enter or a click opens it."""

    DEFAULT_CSS = """
    Sidebar { width: 20; height: 1fr; border: none; border-right: vkey $panel-lighten-1; padding: 0; }
    Sidebar:focus { border: none; border-right: vkey $primary; }
    """

    class Chosen(Message):
        """The user chose an area."""

        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, areas: list[tuple[str, str, str]], current: str, **kwargs) -> None:
        # areas: (mode, title, key)
        options = [
            Option(Content.assemble((f"{key} ", "bold"), title), id=mode)
            for mode, title, key in areas
        ]
        super().__init__(*options, **kwargs)
        self._current = current

    def on_mount(self) -> None:
        self.highlighted = self.get_option_index(self._current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
