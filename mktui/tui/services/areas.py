"""The areas of the console, in sidebar order; each is an app mode with one key."""

from __future__ import annotations

from mktui.core.i18n import N_

AREAS: dict[str, tuple[str, str, str]] = {
    # mode: (title, key, "module:Screen"); the titles are translated where shown
    "financial": (N_("Financial"), "f", "mktui.tui.screens.financial:FinancialScreen"),
    "subscription": (N_("Subscription"), "u", "mktui.tui.screens.subscription:SubscriptionScreen"),
    "invoices": (N_("Invoices"), "i", "mktui.tui.screens.invoices:InvoicesScreen"),
    "payment_methods": (
        N_("Payment methods"),
        "m",
        "mktui.tui.screens.payment_methods:PaymentMethodsScreen",
    ),
    "contacts": (N_("Contacts"), "c", "mktui.tui.screens.contacts:ContactsScreen"),
    "history": (N_("History"), "h", "mktui.tui.screens.history:HistoryScreen"),
}
