"""An Input that never changes what was typed behind the admin's back.

Textual's Input drops a key past ``max_length`` or outside ``restrict`` with
only a bell, keeps the first line of a multi-line paste and inserts pasted
control characters (an Escape) as they are. This one refuses each of those in
a sentence under the field (or as a notice when it has no field around it),
and a refused paste enters nothing at all: never a silently cut part.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.message import Message
from textual.widgets import Input

_CONTROL_NAMES = {
    "\x1b": "Escape",
    "\t": "Tab",
    "\x00": "NUL",
    "\x7f": "Delete",
    "\x08": "Backspace",
}


def _control_name(character: str) -> str:
    return _CONTROL_NAMES.get(character, f"U+{ord(character):04X}")


def control_characters(text: str) -> list[str]:
    """The control and format characters of ``text`` (line breaks included), in order."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf")]


class FieldInput(Input):
    """An Input that says why a key or a paste was refused instead of dropping it.

    ``field_name`` names the field in those sentences (set by
    :class:`~mktui.tui.widgets.field.LabelledField`); ``allowed`` says what
    ``restrict`` lets in ("digits"), when there is one.
    """

    def __init__(self, *args, field_name: str = "This field", allowed: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.field_name = field_name
        self.allowed = allowed
        self._inserting = ""

    def replace(self, text: str, start: int, end: int) -> None:
        """Replace as Input does, remembering the text so a refusal can say what it was."""
        self._inserting = text
        try:
            super().replace(text, start, end)
        finally:
            self._inserting = ""

    def restricted(self) -> None:
        """A key or paste was not let in: say so under the field (Textual only rings the bell)."""
        self.app.bell()
        text = self._inserting
        what = "the key" if len(text) == 1 else f"the pasted text ({len(text)} characters)"
        if self.max_length and len(self.value) + len(text) > self.max_length:
            sentence = (
                f"{self.field_name} takes at most {self.max_length} characters; "
                f"{what} was not entered."
            )
        elif self.allowed:
            shown = "" if self.password or len(text) != 1 else f' "{text}"'
            sentence = (
                f"{self.field_name} takes {self.allowed} only; {what}{shown} was not entered."
            )
        else:
            sentence = f"{self.field_name} cannot hold that; {what} was not entered."
        self.refuse(sentence)

    class Refused(Message):
        """Posted when a key or paste was not let in; ``sentence`` says why (the field shows it)."""

        def __init__(self, field_input: FieldInput, sentence: str) -> None:
            super().__init__()
            self.input = field_input
            self.sentence = sentence

    def refuse(self, sentence: str) -> None:
        """Say why input was refused (a LabelledField shows it under the field)."""
        self.post_message(self.Refused(self, sentence))

    def _on_paste(self, event: events.Paste) -> None:
        """A paste goes in whole or not at all, and never with control characters."""
        text = event.text
        lines = text.splitlines()
        if len(lines) > 1 and any(line.strip() for line in lines[1:]):
            event.stop()
            event.prevent_default()
            self.app.bell()
            self.refuse(
                f"The pasted text has {len(lines)} lines and {self.field_name} takes one; "
                "nothing was entered. Paste one line."
            )
            return
        text = lines[0] if lines else ""
        controls = control_characters(text)
        if controls:
            event.stop()
            event.prevent_default()
            self.app.bell()
            self.refuse(
                f"The pasted text holds a control character ({_control_name(controls[0])}); "
                f"nothing was entered in {self.field_name}."
            )
            return
        event.stop()
        event.prevent_default()
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
