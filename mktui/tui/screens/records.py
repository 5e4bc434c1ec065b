"""What the record-keeping areas share: a list of records with keyed actions, and a form modal.

Payment methods, Contacts and History are each a table of server records with
a title and a note; changing a record is confirm → call → reload. The screens
say only what differs: how to fetch, how a row reads, which actions exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

from mktui.core.i18n import N_, _
from mktui.tui.screens.area import AreaScreen
from mktui.tui.screens.base import ConsoleModal
from mktui.tui.services.area_refresh import reset_other_areas
from mktui.tui.widgets.line_table import LineTable
from mktui.tui.widgets.table_cells import SizedCell

if TYPE_CHECKING:
    from mktui.api.client import BillingClient

Row = tuple[str, tuple[Text | SizedCell, ...]]
"""A table row: its key (the record's id) and its cells."""


class RecordsScreen(AreaScreen):
    """A titled table of records, a note under it, and workers to load and change them."""

    LIST_TITLE = ""
    """The table's title, marked with ``N_`` (translated where drawn)."""
    COLUMNS: tuple[str, ...] = ()
    """The column titles, marked with ``N_``: the English is each column's key."""
    ROW_HEIGHT = 1
    TABLE: type[DataTable | LineTable] = DataTable
    """The table's widget (History's grows by pages: :class:`~mktui.tui.widgets.line_table.LineTable`)."""
    SHARED_WITH_OTHER_AREAS = False
    """True when other areas show these records (the default card): they load again after a change."""

    def compose_body(self) -> ComposeResult:
        yield Static(Content(_(self.LIST_TITLE)), classes="area--title")
        yield from self.compose_header()
        yield self.TABLE(id="records-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="records-note", classes="hint")

    def compose_header(self) -> ComposeResult:
        """Widgets between the title and the table (History's remaining credit)."""
        yield from ()

    @property
    def table(self) -> DataTable | LineTable:
        """The records table."""
        return self.query_one("#records-table", self.TABLE)

    @property
    def selected_key(self) -> str | None:
        """The id of the highlighted record, or None when the table is empty."""
        table = self.table
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def on_mount(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        """Load the records again."""
        self.load()

    def set_note(self, text: str) -> None:
        """The line under the table (our own words, or server text already made safe)."""
        self.query_one("#records-note", Static).update(Content(text))

    # ------------------------------------------------------------------ loading
    async def fetch(self, client: BillingClient) -> None:
        """Fetch the records and keep them on the screen (runs in the load worker)."""
        raise NotImplementedError

    def rows(self) -> Iterable[Row]:
        """The table rows of the fetched records, in order."""
        raise NotImplementedError

    def add_columns(self, table: DataTable | LineTable, rows: list[Row]) -> None:
        """Hook: the table's columns (sized to their contents unless a screen says otherwise)."""
        for label in self.COLUMNS:
            table.add_column(_(label), key=label)

    def after_load(self) -> None:
        """Hook: update the note and anything else that follows the records."""

    @work(exclusive=True, group="records-load", exit_on_error=False)
    async def load(self, select: str | None = None) -> None:
        """Fetch the records, then show them with ``select`` (or the same row) highlighted."""
        table = self.table
        keep = select or self.selected_key
        table.loading = True
        try:
            client = await self.console.session.ready_client()
            await self.fetch(client)
        finally:
            table.loading = False
        self.show_rows(keep)
        table.focus()

    def show_rows(self, select: str | None = None) -> None:
        """Fill the table from :meth:`rows`, highlighting ``select`` if it is still there.

        The table is rebuilt each time, so columns sized to their contents fit
        every row shown (an amount is never cut short).
        """
        table = self.table
        rows = list(self.rows())
        table.clear(columns=True)
        self.add_columns(table, rows)
        self._add_rows(table, rows)
        if select is not None and select in {key.value for key in table.rows}:
            table.move_cursor(row=table.get_row_index(select))
        self.after_load()
        self.refresh_bindings()

    def append_rows(self, rows: list[Row]) -> None:
        """Add ``rows`` under the ones shown: the table is not rebuilt, the cursor stays.

        A page of a long list costs the rows it adds, not the rows already there.
        """
        table = self.table
        if not table.columns:
            self.show_rows()
            return
        self._add_rows(table, rows)
        self.after_append()
        self.refresh_bindings()

    def _add_rows(self, table: DataTable | LineTable, rows: list[Row]) -> None:
        if isinstance(table, LineTable):
            table.add_rows(rows, height=self.ROW_HEIGHT)  # the table grows once, not per row
            return
        for key, cells in rows:
            table.add_row(*cells, key=key, height=self.ROW_HEIGHT)

    def after_append(self) -> None:
        """Hook: update what follows the records after a page was appended (all of it, unless
        a screen knows what a page can change)."""
        self.after_load()

    # ------------------------------------------------------------------ changing
    @work(exclusive=True, group="records-change", exit_on_error=False)
    async def change(
        self,
        call: Callable[[BillingClient], Awaitable[object]],
        *,
        done: str,
        confirm: ModalScreen[bool] | None = None,
        select: str | None = None,
        explain: Callable[[Exception], Exception | None] | None = None,
    ) -> None:
        """Confirm (when ``confirm`` is a modal), call the API, say ``done``, reload.

        ``explain`` may turn an API failure into a clearer one (a sentence saying
        what to do); whatever it returns goes to the app's one error handler.
        """
        if confirm is not None and not await self.app.push_screen_wait(confirm):
            return
        table = self.table
        table.loading = True
        try:
            client = await self.console.session.ready_client()
            await call(client)
        except Exception as error:
            clearer = explain(error) if explain is not None else None
            if clearer is not None:
                raise clearer from None
            raise
        finally:
            table.loading = False
        self.notify(done, markup=False)
        await self.changed(select)

    async def changed(self, select: str | None = None) -> None:
        """After a change: reload, and let other areas showing these records load again."""
        if self.SHARED_WITH_OTHER_AREAS:
            await reset_other_areas(self.app, self.console.money)
        self.load(select)


_SAVE = Binding("ctrl+s", "save", N_("Save"), id="form.save", tooltip=N_("Check and save"))
"""A form's Ctrl+S; a form whose button says another word says it here too."""


class FormModal(ConsoleModal):
    """A small form over an area: Save runs :meth:`save` in a worker; Escape cancels.

    The form keeps what was typed when the server refuses it: subclasses mark
    the field the error names and return without dismissing.
    """

    BINDINGS = [
        Binding(
            "escape", "cancel", N_("Cancel"), id="form.cancel", tooltip=N_("Close without saving")
        ),
        _SAVE,
    ]

    TITLE_TEXT = ""
    """The form's title, marked with ``N_`` (translated where drawn)."""
    SAVE_LABEL = N_("Save")
    """The save button's word, marked with ``N_`` (Ctrl+S says the same in the footer)."""

    def __init_subclass__(cls, **kwargs) -> None:
        # A form that words its button otherwise ("Confirm") says it on its Ctrl+S too.
        # Set before Textual's own __init_subclass__, which merges the class's BINDINGS.
        if "SAVE_LABEL" in cls.__dict__ and "BINDINGS" not in cls.__dict__:
            cls.BINDINGS = [replace(_SAVE, description=cls.SAVE_LABEL)]
        super().__init_subclass__(**kwargs)

    def __init__(self, **kwargs) -> None:
        super().__init__(classes="dialog form-dialog", **kwargs)
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(Content(self.form_title()), classes="dialog--title")
            yield from self.compose_fields()
            save = _(self.SAVE_LABEL)
            yield Static(
                Content(_("Enter or ctrl+s: {save} · Escape: Cancel").format(save=save)),
                classes="form--keys",
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button(save, variant="primary", id="form-save", compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)

    def form_title(self) -> str:
        """The title in the language in use (a form may word it apart from its key's word)."""
        return _(self.TITLE_TEXT)

    def compose_fields(self) -> ComposeResult:
        """The form's fields."""
        yield from ()

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        """Check the fields, then save in a worker (ignored while one runs)."""
        if not self.saving:
            self._save()

    @work(exclusive=True, group="form-save", exit_on_error=False)
    async def _save(self) -> None:
        self.saving = True
        box = self.query_one(".dialog--box")
        try:
            await self.save(box)
        finally:
            self.saving = False
            if self.is_attached:
                box.loading = False
                if self.focused is None:
                    # The loading overlay took the focus: give it back, so Enter can save again.
                    self.focus_next(Input)

    async def save(self, box: Vertical) -> None:
        """Check, send and dismiss with the result; set ``box.loading`` around the call."""
        raise NotImplementedError

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        if not self.saving:
            self.dismiss(None)
