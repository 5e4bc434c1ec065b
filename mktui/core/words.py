"""Words for people: a count with its noun in the singular or plural ("1 device", "12 devices")."""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``count(1, "device")`` → "1 device"; ``count(12, "device")`` → "12 devices"."""
    noun = singular if number == 1 else (plural or singular + "s")
    return f"{number} {noun}"
