"""Card numbers where they do not belong: found in free text, refused or masked.

A card number typed into a name field ("holder name", a contact's name) would
be stored and shown in clear, and a server message may quote one. A *run* is
a sequence of digits that may be grouped by single spaces, dots or dashes, as
people type card numbers; a run of 13 to 19 digits that passes the Luhn check
is treated as a card number. A longer run is checked window by window: a card
number glued to other digits is still a card number. Pure: no IO.
"""

from __future__ import annotations

import re

MIN_DIGITS = 13
MAX_DIGITS = 19
_RUN = re.compile(r"\d(?:[ .\-]?\d)*")


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (a card number's last digit).

    python-stdnum's ``luhn``, imported here rather than at the top: stdnum (its
    ``util`` module) costs ~1 MiB before the first frame, and every console
    screen scans its text for card numbers; it loads with the first run of 13
    digits or more, or the first tax id checked (``core.taxid``).
    """
    from stdnum import luhn  # lazy: see above

    return luhn.is_valid(digits)


def _is_card(digits: str) -> bool:
    if len(digits) < MIN_DIGITS:
        return False
    if len(digits) <= MAX_DIGITS:
        return luhn_valid(digits)
    return any(
        luhn_valid(digits[start : start + size])
        for size in range(MIN_DIGITS, MAX_DIGITS + 1)
        for start in range(len(digits) - size + 1)
    )


def card_runs(text: str) -> list[re.Match[str]]:
    """The runs of ``text`` that hold a card number, in order."""
    # A run shorter than 13 characters holds fewer than 13 digits: no need to look closer
    # (most text has only short runs: an invoice number, a card's last four).
    return [
        m
        for m in _RUN.finditer(text)
        if m.end() - m.start() >= MIN_DIGITS and _is_card(re.sub(r"\D", "", m.group()))
    ]


def holds_card_number(text: str) -> bool:
    """Whether ``text`` holds a run of 13–19 digits passing the Luhn check."""
    return bool(card_runs(text))


def mask_card_numbers(text: str) -> str:
    """``text`` with every card number replaced by ``•••• 1234`` (its last four digits only)."""
    runs = card_runs(text)
    if not runs:
        return text
    out: list[str] = []
    end = 0
    for match in runs:
        out.append(text[end : match.start()])
        out.append(f"•••• {re.sub(r'[^0-9]', '', match.group())[-4:]}")
        end = match.end()
    out.append(text[end:])
    return "".join(out)


NAME_HOLDS_CARD = (
    "looks like a card number; type a name here, and the card number only in the card's "
    "number field"
)
"""The reason given when a name field holds a card number (after the field's name)."""
