"""Test cards: validation, brands and charge outcomes.

The number, its brand and its CVC length follow :mod:`mktui.core.card_rules`,
the rules the card form checks as the admin types: one set of rules.

The number and CVC are checked here and then dropped: only brand, last 4,
expiry, holder name and the test outcome (what a charge on this card does in
the sandbox) are kept. Nothing here puts a number into a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mktui.core import card_rules
from mktui.sandbox.errors import ApiFailure

SUCCEEDS = "succeeds"

# The test cards of api.md: every other valid number succeeds.
TEST_OUTCOMES = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
}

FAILURE_MESSAGES = {
    "card_declined": "The card was declined by its bank; try another card or call the bank.",
    "insufficient_funds": "The card has insufficient funds; try another card.",
    "expired_card": "The card has expired; add a current card and pay again.",
    "processing_error": "The payment could not be processed; try again in a few minutes.",
    "no_payment_method": "There is no default payment method; add a card, then pay this invoice.",
}


@dataclass(frozen=True)
class CheckedCard:
    """What is kept of a card once checked: never the number or the CVC."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int
    outcome: str


def is_expired(exp_month: int, exp_year: int, today: date) -> bool:
    """Whether a card valid through ``exp_month/exp_year`` has expired by ``today``."""
    return (exp_year, exp_month) < (today.year, today.month)


def check_card(number: str, exp_month: int, exp_year: int, cvc: str, today: date) -> CheckedCard:
    """Validate a card; 422 naming ``number``, ``exp_month``/``exp_year`` or ``cvc`` when wrong."""
    digits = card_rules.digits_of(number)
    # The card form's rules (brand, length for the brand, Luhn), so the two never disagree.
    problem = card_rules.number_error(digits, complete=True)
    if problem is not None:
        raise ApiFailure(
            422,
            "invalid_number",
            problem,  # a sentence naming no digit of the number
            field="number",
        )
    if is_expired(exp_month, exp_year, today):
        field = "exp_month" if exp_year == today.year else "exp_year"
        raise ApiFailure(
            422,
            "validation_error",
            "The card has expired; check the expiry date or use another card.",
            field=field,
        )
    brand = card_rules.brand_of(digits)
    cvc_len = card_rules.cvc_length(brand)
    if not cvc.isdigit() or len(cvc) != cvc_len:
        raise ApiFailure(
            422,
            "validation_error",
            f"The security code must be {cvc_len} digits; check the back of the card.",
            field="cvc",
        )
    return CheckedCard(brand, digits[-4:], exp_month, exp_year, TEST_OUTCOMES.get(digits, SUCCEEDS))


def charge_outcome(outcome: str, exp_month: int, exp_year: int, today: date) -> str:
    """What a charge on a stored card does today: ``succeeds`` or a failure code.

    A card that was valid when attached may have expired since (the test clock
    moves), and then it fails ``expired_card`` whatever its test outcome.
    """
    if is_expired(exp_month, exp_year, today):
        return "expired_card"
    return outcome
