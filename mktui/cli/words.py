"""The words the command line shows for the contract's codes, and its dates, in the language in use.

Human output only: ``--json`` and ``--csv`` keep the codes (``past_due``) and ISO dates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mktui.core import i18n
from mktui.core.i18n import N_, _
from mktui.core.words import LEDGER_KIND_NAMES

if TYPE_CHECKING:
    from datetime import date

# Accounts, subscriptions and invoices share these words (one gender in pt_BR and es;
# French agrees with the noun it is said of, see the catalogs).
_CODES = {
    "active": N_("active"),
    "inactive": N_("inactive"),
    "past_due": N_("past due"),
    "suspended": N_("suspended"),
    "canceled": N_("canceled"),
    "open": N_("open"),
    "paid": N_("paid"),
    "void": N_("void"),
    "monthly": N_("monthly"),
    "annual": N_("annual"),
    **LEDGER_KIND_NAMES,
    "issued": N_("issued"),
}


def code_text(code: str | None) -> str:
    """A contract code for people: ``past_due`` → "past due" ("em atraso" in pt_BR)."""
    if not code:
        return "—"
    known = _CODES.get(code)
    return _(known) if known else code.replace("_", " ")


def date_text(day: date) -> str:
    """``1 Dec 2026`` (``1 dez 2026``, ``1 dic 2026``, ``1 déc 2026``): the console's date style."""
    return i18n.format_day(day)
