"""What the admin chose on the Subscribe screen, handed to the payment page.

Its own module so the payment page (which receives it) and the Subscribe
screen (which builds it and opens the payment page) import it from below
rather than from each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubscriptionChoice:
    """What the admin chose: the body of the preview and subscribe requests."""

    currency: str
    plan: str
    devices: int
    tax_id: str | None
