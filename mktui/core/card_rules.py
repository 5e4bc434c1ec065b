"""Checks on a card as it is typed: brand, Luhn, expiry, CVC length.

Pure functions (no Textual), so the card form and its tests share them. These
only catch typing mistakes early; the billing server decides what a card is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mktui.core.card_brands import BRAND_NAMES
from mktui.core.card_numbers import luhn_valid
from mktui.core.i18n import _

# The leading digits (IIN ranges) of each brand, "low-high" or one prefix. The
# longest range that holds a number's leading digits decides its brand, as
# issuers' tables work: Elo's and Hipercard's six-digit ranges are carved out
# of Visa ("4"), Discover ("65") and Diners ("38"). Ranges of one length never
# overlap between brands (checked when the table is built). Elo: its published
# BIN table (as in Braintree's credit-card-type); Hipercard: 606282 and
# 3841-00/40/60. The card form and the sandbox both use this table.
BRAND_RANGES: dict[str, tuple[str, ...]] = {
    "visa": ("4",),
    "mastercard": ("51-55", "2221-2720"),
    "amex": ("34", "37"),
    "discover": ("6011", "644-649", "65"),
    "diners": ("300-305", "3095", "36", "38-39"),
    "jcb": ("3528-3589",),
    "elo": (
        "401178-401179",
        "431274",
        "438935",
        "451416",
        "457393",
        "457631-457632",
        "504175",
        "506699-506778",
        "509",
        "627780",
        "636297",
        "636368",
        "650031-650033",
        "650035-650051",
        "650405-650439",
        "650485-650538",
        "650541-650598",
        "650700-650718",
        "650720-650727",
        "650901-650978",
        "651652-651679",
        "655000-655019",
        "655021-655058",
    ),
    "hipercard": ("384100", "384140", "384160", "606282"),
}
_LENGTHS = {
    "visa": (13, 16, 19),
    "mastercard": (16,),
    "amex": (15,),
    "elo": (16,),
    "hipercard": (16, 19),
    "discover": (16, 17, 18, 19),
    "diners": (14, 15, 16, 17, 18, 19),
    "jcb": (16, 17, 18, 19),
    "other": tuple(range(12, 20)),
}


def _prefix_table(ranges: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every prefix of every range → its brand (about 1 000 entries), refusing an ambiguous table."""
    table: dict[str, str] = {}
    for brand, spans in ranges.items():
        for span in spans:
            low, _sep, high = span.partition("-")
            high = high or low
            if len(low) != len(high) or not (low.isdigit() and high.isdigit()) or low > high:
                raise ValueError(f"card brand range {span!r} of {brand} is not low-high")
            for value in range(int(low), int(high) + 1):
                prefix = str(value).zfill(len(low))
                if table.setdefault(prefix, brand) != brand:
                    raise ValueError(f"prefix {prefix} is both {table[prefix]} and {brand}")
    return table


_BRAND_OF_PREFIX = _prefix_table(BRAND_RANGES)
_LONGEST_PREFIX = max(map(len, _BRAND_OF_PREFIX))


def digits_of(value: str) -> str:
    """The digits of ``value``, ignoring spaces and dashes people type."""
    return re.sub(r"[\s-]", "", value)


def brand_of(number: str) -> str:
    """The card brand from its leading digits (``other`` when unknown).

    The longest range of :data:`BRAND_RANGES` holding the leading digits wins,
    so while a number is typed its brand can only get more specific (``65`` is
    Discover until ``650035`` makes it Elo).
    """
    digits = number if number.isdigit() else digits_of(number)
    for length in range(min(len(digits), _LONGEST_PREFIX), 0, -1):
        brand = _BRAND_OF_PREFIX.get(digits[:length])
        if brand is not None:
            return brand
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
        return _("Enter the card number.") if complete else None
    if not digits.isdigit():
        return _("The card number has only digits.")
    brand = brand_of(digits)
    lengths = _LENGTHS[brand]
    if len(digits) > max(lengths):
        if brand == "other":
            return _("Card numbers have at most {n} digits.").format(n=max(lengths))
        return _("{brand} numbers have at most {n} digits.").format(
            brand=BRAND_NAMES[brand], n=max(lengths)
        )
    if len(digits) in lengths and not luhn_valid(digits):
        # Said as soon as the length is plausible: rare 19-digit cards see it briefly at 16.
        return _("This card number has a typo: check the digits (the check digit does not match).")
    if complete and len(digits) not in lengths:
        if brand == "other":
            return _("Card numbers have {lengths} digits.").format(lengths=_lengths_text(lengths))
        return _("{brand} numbers have {lengths} digits.").format(
            brand=BRAND_NAMES[brand], lengths=_lengths_text(lengths)
        )
    return None


def _lengths_text(lengths: tuple[int, ...]) -> str:
    """``16``, ``12 to 19``, ``13, 16 or 19``: the lengths a brand's numbers have."""
    if len(lengths) == 1:
        return str(lengths[0])
    if list(lengths) == list(range(lengths[0], lengths[-1] + 1)):
        return _("{low} to {high}").format(low=lengths[0], high=lengths[-1])
    return _("{some} or {last}").format(some=", ".join(map(str, lengths[:-1])), last=lengths[-1])


def expired_refusal() -> str:
    """The refusal of an expiry gone by, in the language in use (the expiry form rewords it)."""
    return _("This card has expired: use another card.")


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
        return None, (_("Enter the expiry as MM/YY.") if complete else None)
    if match is None:
        partial = re.fullmatch(r"\d{0,2}/?\d{0,1}", text)
        if partial and not complete:
            return None, None
        return None, _("Enter the expiry as MM/YY, e.g. 08/29.")
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None, _("The expiry month is 01 to 12.")
    if year < 100:
        if not complete and year == today.year // 100:
            # "1/20" while typing "1/2029": the century of a four-digit year, not 2020.
            return None, None
        year += 2000
    if (year, month) < (today.year, today.month):
        return None, expired_refusal()
    if year > today.year + 20:
        return None, _("Check the expiry year: it is too far ahead.")
    return Expiry(month, year), None


def cvc_length(brand: str) -> int:
    """How many digits the security code has: 4 on American Express, else 3."""
    return 4 if brand == "amex" else 3


def cvc_error(cvc: str, brand: str, *, complete: bool) -> str | None:
    """Why ``cvc`` is not a security code for ``brand``, or None."""
    want = cvc_length(brand)
    if not cvc:
        return _("Enter the security code (CVC) from the back of the card.") if complete else None
    if not cvc.isdigit():
        return _("The security code has only digits.")
    if len(cvc) > want or (complete and len(cvc) != want):
        name = BRAND_NAMES.get(brand)
        if name is None or brand == "other":
            sentence = _("The security code of this card has {n} digits.")
        elif name[0] in "AEIOU":  # English's article; the catalogs say it their way
            sentence = _("The security code of an {brand} card has {n} digits.")
        else:
            sentence = _("The security code of a {brand} card has {n} digits.")
        return sentence.format(brand=name, n=want)
    return None
