"""Words for people: a count with its noun in the singular or plural ("1 device", "12 devices")."""

from __future__ import annotations

from collections.abc import Callable

from mktui.core.i18n import ngettext

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
