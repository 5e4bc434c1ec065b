"""The areas of the console, in sidebar order; each is an app mode with one key."""

from __future__ import annotations

AREAS: dict[str, tuple[str, str, str]] = {
    # mode: (title, key, "module:Screen")
    "financial": ("Financial", "f", "mktui.tui.screens.financial:FinancialScreen"),
    "subscription": ("Subscription", "u", "mktui.tui.screens.subscription:SubscriptionScreen"),
    "invoices": ("Invoices", "i", "mktui.tui.screens.invoices:InvoicesScreen"),
    "payment_methods": (
        "Payment methods",
        "m",
        "mktui.tui.screens.payment_methods:PaymentMethodsScreen",
    ),
    "contacts": ("Contacts", "c", "mktui.tui.screens.contacts:ContactsScreen"),
    "history": ("History", "h", "mktui.tui.screens.history:HistoryScreen"),
}
