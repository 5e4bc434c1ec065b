"""Shared steps of the record-area tests: open an area, wait for a modal, read a table."""

from __future__ import annotations

from .conftest import screen_text, settle
from .test_subscribe import type_into


async def open_area(pilot, key: str, screen_type):
    """Press an area's key from the hub and wait for it to load."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, screen_type), screen_text(pilot.app)
    return pilot.app.screen


async def wait_for(pilot, screen_type):
    """The modal pushed by a worker, once it shows."""
    for _ in range(30):
        if isinstance(pilot.app.screen, screen_type):
            return pilot.app.screen
        await pilot.pause()
    raise AssertionError(f"{screen_type.__name__} did not show:\n{screen_text(pilot.app)}")


async def wait_for_text(pilot, text: str, rounds: int = 60) -> str:
    """The screen's text once it shows ``text`` (a list reloaded by a worker after a dialog)."""
    for _ in range(rounds):
        await settle(pilot)
        shown = screen_text(pilot.app)
        if text in shown:
            return shown
        await pilot.pause(0.05)
    raise AssertionError(f"{text!r} did not show:\n{screen_text(pilot.app)}")


def cells(screen, column: int) -> list[str]:
    """The plain text of one column of the area's table, top to bottom."""
    table = screen.table  # a DataTable, or History's LineTable
    return [str(getattr(cell, "plain", cell)) for cell in table.get_column_at(column)]


NEW_NUMBER = "5105105105105100"  # a Mastercard test number, valid by Luhn


def stored_text(sandbox_app) -> str:
    """Every value in every table of the sandbox's database, as one string."""
    parts: list[str] = []
    with sandbox_app.state.store.read() as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - names from the schema
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


async def fill_card(pilot, number: str, *, expiry="08/30", cvc="123", holder="Ana Souza"):
    await type_into(pilot, "#card-holder", holder)
    await type_into(pilot, "#card-number", number)
    await type_into(pilot, "#card-expiry", expiry)
    await type_into(pilot, "#card-cvc", cvc)
