"""Exporting a filtered list to CSV from the console: streamed page by page, stoppable.

The pages come one ahead of the writer (:func:`mktui.api.paging.pages_ahead`,
the walk the CLI's ``--all`` uses) and the rows are written as they arrive
(:func:`mktui.api.csv_records.write_rows`, the CLI's CSV), so memory holds two
pages whatever the account's size. The file is a new one
(:func:`mktui.config.downloads.create_new`: never over an existing file); when
the export is stopped or fails, the partial file is removed, so no file
looks complete that is not.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from mktui.api.csv_records import CsvColumns, write_rows
from mktui.api.paging import Fetch, pages_ahead
from mktui.config import downloads


async def filtered(
    fetch: Fetch, keep: Callable[[Any], bool] | None = None
) -> AsyncIterator[Sequence[Any]]:
    """Every page's rows (those ``keep`` accepts), the next page fetched while one is written."""
    walk = pages_ahead(fetch)
    try:
        async for page in walk:
            yield [row for row in page.data if keep is None or keep(row)]
    finally:
        await walk.aclose()


async def export(
    folder: Path,
    name: str,
    pages: AsyncIterator[Sequence[Any]],
    columns: CsvColumns,
    progress: Callable[[int, Path], object],
) -> tuple[Path, int]:
    """Write ``pages`` to a new CSV file ``name`` in ``folder``: its path and the row count.

    ``progress(rows, path)`` after each page. Cancelled (Esc) or failing, the
    partial file is removed and the exception goes on.
    """
    path, out = await asyncio.to_thread(
        downloads.create_new, folder, name, "x", encoding="utf-8", newline=""
    )
    try:
        with out:
            count = await write_rows(out, pages, columns, written=lambda n: progress(n, path))
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return path, count
