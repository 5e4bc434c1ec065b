"""Server strings as literal, safe text.

Everything the billing server sends (account and contact names, invoice
descriptions, error messages) is shown through :func:`safe_text` and rendered
as :class:`textual.content.Content`, never parsed as markup: a contact named
``[bold]x[/`` shows exactly those characters. Control characters (which could
move the cursor or recolour the terminal) and bidi overrides (which could make
``gpj.exe`` read as ``exe.jpg``) are removed, and a card number (a run of
13–19 digits passing the Luhn check) shows only its last four digits: a
server message or a name that quotes one never puts it on the screen.
"""

from __future__ import annotations

import unicodedata

from textual.content import Content

from mktui.core.card_numbers import mask_card_numbers

# Cc: C0/C1 controls incl. ESC; Cf: format chars incl. bidi overrides, isolates,
# zero-width joiners; Cs/Co: surrogates and private use; Zl/Zp: line separators.
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_SPACES = {"\n": " ", "\r": " ", "\t": " "}


def safe_text(value: object, *, limit: int = 500) -> str:
    """``value`` as one line of plain text: controls and bidi marks stripped, card numbers
    masked, at most ``limit`` chars."""
    text = "" if value is None else str(value)
    if text.isascii() and text.isprintable():
        cleaned = text  # no control or format character to drop (most server text)
    else:
        cleaned = "".join(
            _SPACES.get(char, char)
            for char in text
            if char in _SPACES or unicodedata.category(char) not in _DROP_CATEGORIES
        )
    cleaned = mask_card_numbers(" ".join(cleaned.split()))
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned


def literal(value: object, *, limit: int = 500) -> Content:
    """A :class:`Content` of :func:`safe_text` — never interpreted as markup."""
    return Content(safe_text(value, limit=limit))
