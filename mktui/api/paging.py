"""Walking a cursor-paginated list one page ahead (the CLI's --all and the console's CSV export).

While a page is being written, the next one is already being fetched (one
request in flight, one page held), so a long export keeps the server and the
writer busy at once instead of taking turns, and memory stays at two pages.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

Fetch = Callable[[str | None], Awaitable[Any]]
"""``await fetch(cursor)`` → a page with ``data`` and ``next_cursor``."""


async def pages_ahead(fetch: Fetch, *, ahead: bool = True) -> AsyncIterator[Any]:
    """Every page from the first, fetching the next while the caller handles the current one.

    The pending request is cancelled when the caller stops early (``break``,
    a limit reached, an error). ``ahead=False`` fetches each page only when
    asked for (a listing that will likely stop after the first page).
    """
    pending: asyncio.Task[Any] | None = asyncio.ensure_future(fetch(None))
    try:
        while pending is not None:
            page = await pending
            pending = None
            if page.next_cursor is not None and ahead:
                pending = asyncio.ensure_future(fetch(page.next_cursor))
            yield page
            if page.next_cursor is not None and not ahead:
                pending = asyncio.ensure_future(fetch(page.next_cursor))
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pending
