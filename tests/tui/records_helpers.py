"""Shared steps of the record-area tests: open an area, wait for a modal, read a table."""

from __future__ import annotations

from textual.widgets import DataTable

from .conftest import screen_text, settle


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


def cells(screen, column: int) -> list[str]:
    """The plain text of one column of the area's table, top to bottom."""
    table = screen.query_one("#records-table", DataTable)
    return [str(getattr(cell, "plain", cell)) for cell in table.get_column_at(column)]
