"""Paying invoices from the Invoices area: the card chosen, one charge per invoice, the sentences.

Each invoice has its own :class:`~mktui.tui.services.intent.Intent`: a retry after a
lost answer sends the same Idempotency-Key (the server charges once); a
definite answer — paid, declined, not payable — ends the intent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mktui.api.errors import ApiError, ErrorKind
from mktui.core.card_brands import card_label
from mktui.core.i18n import _, format_month, ngettext
from mktui.tui.services.intent import IntentBook
from mktui.tui.services.new_card import attach_for_charge, forget_card
from mktui.tui.widgets.money import format_minor
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import Invoice, NewPaymentMethod, PaymentMethod


@dataclass(frozen=True)
class PayChoice:
    """A saved method (``method_id``) or a new card to attach first; ``described`` is brand + last 4."""

    described: str
    method_id: str | None = None
    card: NewPaymentMethod | None = None

    @property
    def fingerprint(self) -> tuple[object, ...]:
        """What identifies this choice in a pay intent (never the card number)."""
        if self.card is None:
            return (self.method_id,)
        return (self.described, self.card.exp_month, self.card.exp_year, self.card.holder_name)


@dataclass(frozen=True)
class PayOutcome:
    """What happened to one invoice, in a sentence for the admin."""

    number: str
    paid: bool
    sentence: str
    method_id: str | None = None
    """The saved card that paid it, when one was chosen (None: the default card or unpaid)."""


def charge_lines(invoices: list[Invoice], card: str, *, new_card: bool = False) -> list[str]:
    """The confirmation of a charge: the exact amount(s), the card, and one row per invoice."""
    currency = invoices[0].currency
    total = format_minor(sum(inv.amount_due for inv in invoices), currency)
    if len(invoices) == 1:
        inv = invoices[0]
        head = [
            _("Charge {total} now to {card} for invoice {number}.").format(
                total=total, card=card, number=safe_text(inv.number, limit=40)
            )
        ]
    else:
        head = [
            ngettext(
                "Charge {total} in all to {card}: {n} charge, one per invoice.",
                "Charge {total} in all to {card}: {n} charges, one per invoice.",
                len(invoices),
            ).format(total=total, card=card, n=len(invoices))
        ]
    rows = (
        []
        if len(invoices) == 1
        else [
            f"  {safe_text(inv.number, limit=40)} · {format_month(inv.period_start)} · "
            f"{format_minor(inv.amount_due, inv.currency)}"
            for inv in invoices
        ]
    )
    saved = (
        [
            _(
                "If the charge goes through, the new card is saved to the account (as the default "
                "only if there is none)."
            )
        ]
        if new_card
        else []
    )
    return [*head, *rows, *saved, "", _("Press y to pay; Escape cancels and charges nothing.")]


class InvoicePayments:
    """Pays the Invoices area's invoices: one intent (Idempotency-Key) per invoice, kept here.

    The screen owns one for its lifetime, so a second press after a lost answer
    sends the same key and the server charges once.
    """

    def __init__(self, intents: IntentBook | None = None) -> None:
        self.intents = intents if intents is not None else IntentBook()

    async def default_choice(
        self, client: BillingClient
    ) -> tuple[list[PaymentMethod], PayChoice | None]:
        """The cards as the server knows them now, and the default one as a choice (or None).

        Asked again before a payment with the default card: it may have been changed
        elsewhere since the list loaded. The choice names the card by id, so the card
        charged is the one confirmed, whatever happens meanwhile.
        """
        methods = list(await client.payment_methods())
        default = next((m for m in methods if m.is_default), None)
        if default is None:
            return methods, None
        return methods, PayChoice(described=card_label(default), method_id=default.id)

    async def pay(self, client: BillingClient, invoice: Invoice, choice: PayChoice) -> PayOutcome:
        """Charge ``invoice`` with the card chosen and confirmed.

        Declines and refusals become outcomes and end the intent. Other failures (a
        dropped connection, a session that ended) are raised and the intent is kept,
        so pressing again re-sends the same request.
        """
        return await pay_invoice(
            client, invoice, self.intents, card=choice.described, choice=choice
        )


async def pay_invoice(
    client: BillingClient,
    invoice: Invoice,
    intents: IntentBook,
    *,
    card: str,
    choice: PayChoice | None = None,
) -> PayOutcome:
    """Charge ``invoice`` (the default card when ``choice`` is None); declines become outcomes.

    Other failures (a dropped connection, a session that ended) are raised and
    the intent is kept, so pressing again re-sends the same request.
    """
    number = safe_text(invoice.number, limit=40)
    fingerprint = ("default",) if choice is None else choice.fingerprint
    intent = intents[invoice.id]
    key = intent.key((*fingerprint, invoice.amount_due))
    method_id = None if choice is None else choice.method_id
    new_card: str | None = None  # the id of a card attached for this charge
    try:
        if choice is not None and choice.card is not None:
            added = await attach_for_charge(client, choice.card, idempotency_key=f"{key}-card")
            method_id = new_card = added.id
        paid = await client.pay_invoice(invoice.id, method_id, idempotency_key=key)
    except ApiError as error:
        if error.kind is ErrorKind.PAYMENT_FAILED:
            intent.end()
            kept = f" {await forget_card(client, new_card)}" if new_card else ""
            return PayOutcome(
                number,
                False,
                _(
                    "{card} was declined for invoice {number}: {why} "
                    "The invoice is still payable: press p to pay it with another card."
                ).format(card=card, number=number, why=safe_text(error.message))
                + kept,
            )
        if error.kind in (ErrorKind.CONFLICT, ErrorKind.VALIDATION, ErrorKind.NOT_FOUND):
            intent.end()
            kept = f" {await forget_card(client, new_card)}" if new_card else ""
            said = _("Invoice {number}: {why}").format(number=number, why=safe_text(error.message))
            return PayOutcome(number, False, said + kept)
        raise
    intent.end()
    amount = format_minor(paid.total, paid.currency)
    return PayOutcome(
        number,
        True,
        _("Invoice {number} is paid: {amount} with {card}.").format(
            number=number, amount=amount, card=card
        ),
        method_id=method_id,
    )


def card_to_promote(outcomes: list[PayOutcome], methods: list[PaymentMethod]) -> str | None:
    """The card that just paid, when it is not the default: worth offering as the default.

    A card chosen for one payment is often the one that works now (the default
    was declined); renewals on each 1st still charge the default until it changes.
    """
    paid = [o.method_id for o in outcomes if o.paid and o.method_id]
    if not paid:
        return None
    default = next((m.id for m in methods if m.is_default), None)
    return paid[-1] if paid[-1] != default else None


@dataclass(frozen=True)
class PayReport:
    """What the Invoices area says after paying: the sentence under the list, and a toast."""

    status: str
    ok: bool
    paid: str | None
    """The "Paid" toast (every invoice that got paid), or None."""


def report(outcomes: list[PayOutcome], tried: int) -> PayReport:
    """One sentence per invoice that did not get paid; a count of those that did."""
    paid = [o for o in outcomes if o.paid]
    toast = " ".join(o.sentence for o in paid) or None
    if tried == 1:
        return PayReport(outcomes[0].sentence, outcomes[0].paid, toast)
    failed = [o for o in outcomes if not o.paid]
    head = ngettext(
        "{paid} of {n} overdue invoice paid.", "{paid} of {n} overdue invoices paid.", tried
    ).format(paid=len(paid), n=tried)
    untried = tried - len(outcomes)
    if untried:
        head += " " + ngettext(
            "{n} not tried: the connection failed; press a to try it again "
            "(nothing is charged twice).",
            "{n} not tried: the connection failed; press a to try them again "
            "(nothing is charged twice).",
            untried,
        ).format(n=untried)
    return PayReport(" ".join([head, *(o.sentence for o in failed)]), not failed, toast)
