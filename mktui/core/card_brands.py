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
