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

from mktui.core.i18n import _

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
    :class:`~mktui.tui.widgets.field.LabelledField`, else "This field");
    ``allowed`` says what ``restrict`` lets in ("digits"), when there is one.
    Both are already in the admin's language.
    """

    def __init__(self, *args, field_name: str = "", allowed: str = "", **kwargs) -> None:
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

    @property
    def name_in_sentences(self) -> str:
        """How the refusals name this field: its label, or "This field"."""
        return self.field_name or _("This field")

    def restricted(self) -> None:
        """A key or paste was not let in: say so under the field (Textual only rings the bell)."""
        self.app.bell()
        text = self._inserting
        key = len(text) == 1
        # Whole sentences, one per case: a phrase slotted into another does not translate.
        if self.max_length and len(self.value) + len(text) > self.max_length:
            sentence = (
                _("{field} takes at most {max} characters; the key was not entered.")
                if key
                else _(
                    "{field} takes at most {max} characters; "
                    "the pasted text ({n} characters) was not entered."
                )
            )
        elif self.allowed and key and not self.password:
            sentence = _('{field} takes {allowed} only; the key "{text}" was not entered.')
        elif self.allowed:
            sentence = (
                _("{field} takes {allowed} only; the key was not entered.")
                if key
                else _(
                    "{field} takes {allowed} only; the pasted text ({n} characters) was not entered."
                )
            )
        else:
            sentence = (
                _("{field} cannot hold that; the key was not entered.")
                if key
                else _(
                    "{field} cannot hold that; the pasted text ({n} characters) was not entered."
                )
            )
        self.refuse(
            sentence.format(
                field=self.name_in_sentences,
                max=self.max_length,
                allowed=self.allowed,
                text=text,
                n=len(text),
            )
        )

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
                _(
                    "The pasted text has {n} lines and {field} takes one; "
                    "nothing was entered. Paste one line."
                ).format(n=len(lines), field=self.name_in_sentences)
            )
            return
        text = lines[0] if lines else ""
        controls = control_characters(text)
        if controls:
            event.stop()
            event.prevent_default()
            self.app.bell()
            self.refuse(
                _(
                    "The pasted text holds a control character ({name}); "
                    "nothing was entered in {field}."
                ).format(name=_control_name(controls[0]), field=self.name_in_sentences)
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
