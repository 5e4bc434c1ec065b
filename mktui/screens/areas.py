"""The areas of the console, in sidebar order; each is an app mode with one key."""

from __future__ import annotations

AREAS: dict[str, tuple[str, str, str]] = {
    # mode: (title, key, "module:Screen")
    "financial": ("Financial", "f", "mktui.screens.financial:FinancialScreen"),
    "subscription": ("Subscription", "u", "mktui.screens.subscription:SubscriptionScreen"),
    "invoices": ("Invoices", "i", "mktui.screens.invoices:InvoicesScreen"),
    "payment_methods": (
        "Payment methods",
        "m",
        "mktui.screens.payment_methods:PaymentMethodsScreen",
    ),
    "contacts": ("Contacts", "c", "mktui.screens.contacts:ContactsScreen"),
    "history": ("History", "h", "mktui.screens.history:HistoryScreen"),
}
