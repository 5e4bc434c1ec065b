"""Checks on a card as it is typed: brand, Luhn, expiry, CVC length.

Pure functions (no Textual), so the card form and its tests share them. These
only catch typing mistakes early; the billing server decides what a card is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import luhn

from mktui.core.card_brands import BRAND_NAMES

# Elo shares its first digit with Visa and Discover, so it is tried first.
_ELO_PREFIXES = (
    "401178",
    "401179",
    "431274",
    "438935",
    "451416",
    "457393",
    "457631",
    "457632",
    "504175",
    "506699",
    "5067",
    "509",
    "627780",
    "636297",
    "636368",
    "6500",
    "6504",
    "6505",
    "6507",
    "6509",
    "6516",
    "6550",
)
_LENGTHS = {
    "visa": (13, 16, 19),
    "mastercard": (16,),
    "amex": (15,),
    "elo": (16,),
    "discover": (16, 17, 18, 19),
    "diners": (14, 15, 16, 17, 18, 19),
    "jcb": (16, 17, 18, 19),
    "other": tuple(range(12, 20)),
}


def digits_of(value: str) -> str:
    """The digits of ``value``, ignoring spaces and dashes people type."""
    return re.sub(r"[\s-]", "", value)


def brand_of(number: str) -> str:
    """The card brand from its first digits (``other`` when unknown)."""
    digits = digits_of(number)
    if digits.startswith(_ELO_PREFIXES):
        return "elo"
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in {"51", "52", "53", "54", "55"} or (
        len(digits) >= 4 and 2221 <= int(digits[:4]) <= 2720
    ):
        return "mastercard"
    if digits[:2] in {"34", "37"}:
        return "amex"
    if digits.startswith(("6011", "65", "644", "645", "646", "647", "648", "649")):
        return "discover"
    if digits[:2] in {"36", "38", "39"} or digits[:3] in {"300", "301", "302", "303", "304", "305"}:
        return "diners"
    if len(digits) >= 4 and 3528 <= int(digits[:4]) <= 3589:
        return "jcb"
    return "other"


def group_number(number: str) -> str:
    """The digits grouped as printed on the card (4-6-5 for Amex, else by fours)."""
    digits = digits_of(number)
    if brand_of(digits) == "amex":
        return " ".join(part for part in (digits[:4], digits[4:10], digits[10:15]) if part)
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def number_error(number: str, *, complete: bool) -> str | None:
    """Why ``number`` is not a card number, or None.

    While typing (``complete=False``) only definite mistakes are reported; on
    submit a short number is an error too.
    """
    digits = digits_of(number)
    if not digits:
        return "Enter the card number." if complete else None
    if not digits.isdigit():
        return "The card number has only digits."
    brand = brand_of(digits)
    lengths = _LENGTHS[brand]
    if len(digits) > max(lengths):
        name = "card" if brand == "other" else BRAND_NAMES[brand]
        return f"A {name} number has at most {max(lengths)} digits."
    if len(digits) in lengths and not luhn.is_valid(digits):
        # Said as soon as the length is plausible: rare 19-digit cards see it briefly at 16.
        return "This card number has a typo: check the digits (the check digit does not match)."
    if complete and len(digits) not in lengths:
        name = "card" if brand == "other" else BRAND_NAMES[brand]
        return f"A {name} number has {_lengths_text(lengths)} digits."
    return None


def _lengths_text(lengths: tuple[int, ...]) -> str:
    if len(lengths) == 1:
        return str(lengths[0])
    if list(lengths) == list(range(lengths[0], lengths[-1] + 1)):
        return f"{lengths[0]} to {lengths[-1]}"
    return ", ".join(map(str, lengths[:-1])) + f" or {lengths[-1]}"


@dataclass(frozen=True)
class Expiry:
    """A card's expiry month and four-digit year."""

    month: int
    year: int


def parse_expiry(value: str, today: date, *, complete: bool) -> tuple[Expiry | None, str | None]:
    """``MM/YY`` as an :class:`Expiry` not before ``today``'s month, or the reason it is not."""
    text = value.strip().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})/?(\d{2}|\d{4})", text)
    if not text:
        return None, ("Enter the expiry as MM/YY." if complete else None)
    if match is None:
        partial = re.fullmatch(r"\d{0,2}/?\d{0,1}", text)
        if partial and not complete:
            return None, None
        return None, "Enter the expiry as MM/YY, e.g. 08/29."
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None, "The expiry month is 01 to 12."
    if year < 100:
        year += 2000
    if (year, month) < (today.year, today.month):
        return None, "This card has expired: use another card."
    if year > today.year + 20:
        return None, "Check the expiry year: it is too far ahead."
    return Expiry(month, year), None


def cvc_length(brand: str) -> int:
    """How many digits the security code has: 4 on American Express, else 3."""
    return 4 if brand == "amex" else 3


def cvc_error(cvc: str, brand: str, *, complete: bool) -> str | None:
    """Why ``cvc`` is not a security code for ``brand``, or None."""
    want = cvc_length(brand)
    if not cvc:
        return "Enter the security code (CVC) from the back of the card." if complete else None
    if not cvc.isdigit():
        return "The security code has only digits."
    if len(cvc) > want or (complete and len(cvc) != want):
        return f"The security code of a {BRAND_NAMES[brand]} card has {want} digits."
    return None
