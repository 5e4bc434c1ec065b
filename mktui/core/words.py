"""Words for people: a count with its noun ("1 device", "12 devices"), the plans' and ledger kinds' names."""

from __future__ import annotations

from collections.abc import Callable

from mktui.core.i18n import N_, _, ngettext

# The nouns mktui counts, each with its own ngettext so that every language
# chooses its plural (the catalogs hold "{n} device" / "{n} devices").
_NOUNS: dict[str, Callable[[int], str]] = {
    "device": lambda n: ngettext("{n} device", "{n} devices", n).format(n=n),
    "invoice": lambda n: ngettext("{n} invoice", "{n} invoices", n).format(n=n),
    "card": lambda n: ngettext("{n} card", "{n} cards", n).format(n=n),
    "contact": lambda n: ngettext("{n} contact", "{n} contacts", n).format(n=n),
}


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``count(1, "device")`` → "1 device"; ``count(12, "device")`` → "12 devices".

    The nouns mktui counts (device, invoice, card, contact) speak the language in
    use ("12 dispositivos"); any other noun is English, its plural ``plural`` or
    the singular plus "s".
    """
    known = _NOUNS.get(singular) if plural is None else None
    if known is not None:
        return known(number)
    noun = singular if number == 1 else (plural or singular + "s")
    return f"{number} {noun}"


# The contract's plan codes as people read them: a name for labels ("Monthly · BRL"),
# and the word said of a plan or a subscription in a sentence ("stays monthly").
_PLAN_NAMES = {"monthly": N_("Monthly"), "annual": N_("Annual")}
_PLAN_WORDS = {"monthly": N_("monthly"), "annual": N_("annual")}


def plan_name(code: str) -> str:
    """``plan_name("annual")`` → "Annual" ("Anual" in pt_BR); an unknown code capitalized."""
    known = _PLAN_NAMES.get(code)
    return _(known) if known else code.capitalize()


def plan_word(code: str) -> str:
    """``plan_word("annual")`` → "annual" ("anual"), as a sentence says it; an unknown code as sent."""
    known = _PLAN_WORDS.get(code)
    return _(known) if known else code


# The ledger's kinds as people read them, one wording for the console and the command line.
LEDGER_KIND_NAMES = {
    "charge": N_("charge"),
    "payment": N_("payment"),
    "credit_grant": N_("credit granted"),
    "credit_use": N_("credit used"),
    "refund": N_("refund"),
}
"""Each ledger kind the contract names, in History's filter order (marked: see :func:`ledger_kind`)."""


def ledger_kind(code: str) -> str | None:
    """``ledger_kind("credit_use")`` → "credit used" ("crédito usado"); ``None`` for a kind not known."""
    known = LEDGER_KIND_NAMES.get(code)
    return _(known) if known else None
