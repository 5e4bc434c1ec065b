"""Card brands as people read them, and a card in one line (without loading the card checks)."""

from __future__ import annotations

from typing import Protocol

BRAND_NAMES = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "elo": "Elo",
    "hipercard": "Hipercard",
    "discover": "Discover",
    "diners": "Diners Club",
    "jcb": "JCB",
    "other": "Card",
}


class _Card(Protocol):
    @property
    def brand(self) -> str: ...

    @property
    def last4(self) -> str: ...


def card_label(card: _Card) -> str:
    """``Visa •••• 4242``: all a screen or a confirmation names of a card."""
    return f"{BRAND_NAMES.get(card.brand, 'Card')} •••• {card.last4}"


def a_card_of(brand: str) -> str:
    """ "a Visa card", "an American Express card"; "this card" when the brand is unknown.

    Never "a Card card": an unknown brand has no name of its own to put in a sentence.
    """
    name = BRAND_NAMES.get(brand)
    if name is None or brand == "other":
        return "this card"
    article = "an" if name[0] in "AEIOU" else "a"
    return f"{article} {name} card"
