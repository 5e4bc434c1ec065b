"""``e`` on a list area: the filtered rows to a CSV file, streamed, with a progress line; Esc stops.

A mixin for the area screens that list records (Invoices, History): the
screen says how to fetch a page with its filters, which rows it keeps, the
columns and the file's name; this runs the export in a worker
(:mod:`mktui.tui.services.csv_export`) and words what happened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import work

from mktui.core.i18n import N_, _
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.csv_records import CsvColumns
    from mktui.api.paging import Fetch


class ExportsCsv:
    """What ``e`` needs from a screen, and the worker that writes the file."""

    EXPORT_NOUN = N_("rows")
    """How the rows are called in the progress line: ``invoices``, ``entries`` (marked ``N_``)."""

    exporting: bool = False
    """True while a file is being written (Esc stops it)."""

    def export_say(self, text: str, *, ok: bool = False) -> None:
        """The progress and outcome line."""
        raise NotImplementedError

    def export_plan(self, client: BillingClient) -> tuple[Fetch, Callable[[Any], bool] | None]:
        """``(fetch a page by cursor with the filters shown, which rows to keep or None)``."""
        raise NotImplementedError

    def export_columns(self) -> CsvColumns:
        """The CSV columns."""
        raise NotImplementedError

    def export_name(self, today: date) -> str:
        """The file's name (the downloads rules add ``(2)``… when it exists)."""
        raise NotImplementedError

    def export_count(self, rows: int) -> str:
        """``120 invoices``: rows counted, in the language in use (a screen may count its own noun)."""
        return f"{rows} {_(self.EXPORT_NOUN)}"

    def action_export(self) -> None:
        """Write the rows the filters show (every page, not just those loaded) to a new CSV file."""
        if not self.exporting:
            self.exporting = True
            self.export_say(
                _("Exporting {what}… Esc stops.").format(what=_(self.EXPORT_NOUN)), ok=True
            )
            self._export()

    def stop_export(self) -> bool:
        """Esc while exporting: stop and remove the partial file. True when one was stopped."""
        if not self.exporting:
            return False
        self.workers.cancel_group(self, "csv-export")  # type: ignore[attr-defined]
        return True

    @work(exclusive=True, group="csv-export", exit_on_error=False)
    async def _export(self) -> None:
        from mktui.config import downloads
        from mktui.tui.services import csv_export

        try:
            client = await self.console.session.ready_client()  # type: ignore[attr-defined]
            account = self.console.session.account  # type: ignore[attr-defined]
            today = date.today() if account is None else _billing_day(account)
            fetch, keep = self.export_plan(client)
            folder = downloads.default_download_dir()

            def progress(rows: int, path: Any) -> None:
                self.export_say(
                    _("Exporting: {count} written to {name}… Esc stops.").format(
                        count=self.export_count(rows), name=safe_text(str(path.name))
                    ),
                    ok=True,
                )

            try:
                path, rows = await csv_export.export(
                    folder,
                    self.export_name(today),
                    csv_export.filtered(fetch, keep),
                    self.export_columns(),
                    progress,
                )
            except OSError as error:
                self.export_say(
                    _(
                        "The CSV could not be saved in {folder}: {why}. "
                        "Check that the folder exists and is writable, then press e again."
                    ).format(folder=folder, why=error.strerror or error)
                )
                return
            except asyncio.CancelledError:
                self.export_say(
                    _("Export stopped; the unfinished file was removed. Press e to start again.")
                )
                raise
            self.export_say(
                _("{count} saved to {path}").format(
                    count=self.export_count(rows), path=safe_text(str(path))
                ),
                ok=True,
            )
        finally:
            self.exporting = False


def _billing_day(account: Any) -> date:
    """Today in the account's billing time zone, by the server's clock (named in the file)."""
    from zoneinfo import ZoneInfo

    return account.now.astimezone(ZoneInfo(account.billing_timezone)).date()
