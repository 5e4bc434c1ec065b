"""Invoices: newest first, filter by status, overdue highlighted; retry, pay, open, save receipts.

Money moves only behind a confirmation stating the amount and the card; each
invoice's payment carries its own Idempotency-Key
(:class:`mktui.tui.services.invoice_payments.InvoicePayments`, owned by the screen).
The area's ``r`` is Retry here, so Refresh is ctrl+r (said in the footer).

A big account's whole history is reachable: the next page is fetched as the
cursor nears the last row and its rows are ADDED to the table (never rebuilt,
the cursor stays). The status filter (``s``) and the search (``/``: a number
prefix and issue dates) are served by the server, so a page costs the same at
100 or 100 000 invoices. A cursor move repaints the two rows it leaves and reaches
and the detail line, in one frame (:mod:`mktui.tui.widgets.table_cursor`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from mktui.api.errors import ApiError, ErrorKind
from mktui.config import downloads as receipt_files
from mktui.core import dates, pricing
from mktui.core.i18n import N_, _, format_day, format_period, ngettext
from mktui.core.words import count
from mktui.tui.screens.area import AreaScreen
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.exporting import ExportsCsv
from mktui.tui.screens.invoice_detail import PAYABLE, InvoiceDetailModal, status_word
from mktui.tui.screens.invoice_pay import PayWithModal
from mktui.tui.services.area_refresh import reset_other_areas
from mktui.tui.services.invoice_payments import (
    InvoicePayments,
    PayChoice,
    card_to_promote,
    charge_lines,
    report,
)
from mktui.tui.services.invoice_search import InvoiceSearch
from mktui.tui.widgets.key_hints import KeyHints
from mktui.tui.widgets.money import format_minor
from mktui.tui.widgets.search_input import SearchInput
from mktui.tui.widgets.status_line import StatusLine
from mktui.tui.widgets.table_cursor import follow_cursor
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.models import Account, Invoice, PaymentMethod

PAGE_SIZE = 100
"""Invoices per request: a screenful many times over, small enough to arrive at once."""
NEAR_END = 20
"""The next page is fetched when the cursor comes this close to the last row."""

FILTERS = (None, "past_due", "open", "paid", "void")
_FILTER_WORDS = {None: "all", "past_due": "overdue", "open": "open", "paid": "paid", "void": "void"}
"""The filter in an export's file name: the same in every language (files are data)."""
# What the title and the toast say of each filter: whole phrases, since the adjective
# agrees with "invoices" (faturas pagas, factures payées).
_FILTER_TITLES = {
    "past_due": N_("overdue only"),
    "open": N_("open only"),
    "paid": N_("paid only"),
    "void": N_("void only"),
}
_FILTER_SHOWN = {
    None: N_("Showing all invoices."),
    "past_due": N_("Showing overdue invoices."),
    "open": N_("Showing open invoices."),
    "paid": N_("Showing paid invoices."),
    "void": N_("Showing void invoices."),
}
_COLUMNS = (N_("Number"), N_("Due"), N_("Status"), N_("Total"), N_("Due now"))
_LIST_TITLE = N_("Invoices, newest first")


class InvoicesScreen(ExportsCsv, AreaScreen):
    """The account's invoices, newest first, page by page, and what can be done with each."""

    MODE = "invoices"
    TITLE_TEXT = N_("Invoices")
    EXPORT_NOUN = N_("invoices")
    BINDINGS = [
        Binding(
            "r",
            "retry",
            N_("Retry"),
            id="invoices.retry",
            tooltip=N_("Pay again with the default card"),
        ),
        Binding(
            "p", "pay", N_("Pay with…"), id="invoices.pay", tooltip=N_("Pay with another card")
        ),
        Binding(
            "enter", "open", N_("Open"), id="invoices.open", tooltip=N_("Lines, totals, attempts")
        ),
        Binding(
            "x",
            "pix",
            N_("Pix"),
            id="invoices.pix",
            tooltip=N_("Pay by Pix: QR code, copia e cola"),
        ),
        # The keys that pay come first: at 80 columns the footer leaves out its last
        # hints, and paying what is overdue matters more than saving a PDF.
        Binding("a", "retry_all", N_("Retry overdue"), id="invoices.retry-all"),
        Binding("d", "download", N_("Receipt"), id="invoices.download", tooltip=N_("Save the PDF")),
        Binding(
            "P",
            "invoice_pdf",
            N_("Invoice PDF"),
            id="invoices.invoice-pdf",
            tooltip=N_("Save the invoice itself as a PDF, whatever its state"),
        ),
        Binding(
            "n",
            "nfse('pdf')",
            N_("NFS-e"),
            id="invoices.nfse-pdf",
            tooltip=N_("Save the NFS-e PDF"),
        ),
        Binding(
            "N",
            "nfse('xml')",
            N_("NFS-e XML"),
            id="invoices.nfse-xml",
            tooltip=N_("Save the NFS-e XML"),
        ),
        Binding(
            "s",
            "filter",
            N_("Filter"),
            id="invoices.filter",
            tooltip=N_("all/overdue/open/paid/void"),
        ),
        Binding(
            "slash",
            "search",
            N_("Search"),
            id="invoices.search",
            tooltip=N_("By number (MK-0001) and issue dates (2026-01-01..2026-03-31)"),
        ),
        Binding(
            "e",
            "export",
            N_("Export CSV"),
            id="invoices.export",
            tooltip=N_("Save every invoice the filter and search show as CSV (Esc stops)"),
        ),
        Binding(
            "ctrl+r", "refresh", N_("Refresh"), id="invoices.refresh", tooltip=N_("Load again")
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.invoices: list[Invoice] = []
        self.methods: list[PaymentMethod] = []
        self.account: Account | None = None
        self.status_filter: str | None = None
        self.search = InvoiceSearch()
        self.next_cursor: str | None = None
        """The server's cursor after the last row shown; None once every invoice is there."""
        self.payments = InvoicePayments()

    def compose_body(self) -> ComposeResult:
        yield Static(_(_LIST_TITLE), classes="area--title", id="invoices-title")
        yield SearchInput(
            placeholder=_("MK-0001 or 2026-01-01..2026-03-31, Enter to search, Esc to close"),
            id="invoices-search",
            compact=True,
        )
        yield DataTable(id="invoices-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="invoices-detail")
        yield StatusLine(id="invoices-status")
        yield Static("", id="invoices-note", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(_(title) for title in _COLUMNS))
        follow_cursor(self, table, self._moved)
        self.query_one("#invoices-search").display = False
        self.load()

    def action_refresh(self) -> None:
        """Load the invoices again."""
        if not self.busy:
            self.load()

    def _fetch(self, client, cursor: str | None):  # noqa: ANN001, ANN202 - a client call
        """One page of the invoices the filter and the search ask for."""
        return client.invoices(
            self.status_filter,  # type: ignore[arg-type]
            limit=PAGE_SIZE,
            cursor=cursor,
            q=self.search.number,
            issued_from=self.search.issued_from,
            issued_to=self.search.issued_to,
        )

    @work(exclusive=True, group="invoices-load", exit_on_error=False)
    async def load(self, keep: str | None = None) -> None:
        """Fetch the account, the cards and the first page of invoices (filtered on the server)."""
        table = self.query_one(DataTable)
        table.loading = True
        # A page still on its way belongs to the list being replaced.
        self.workers.cancel_group(self, "invoices-more")
        try:
            client = await self.console.session.ready_client()
            self.account, self.methods, page = await asyncio.gather(
                client.account(), client.payment_methods(), self._fetch(client, None)
            )
        finally:
            table.loading = False
        self.console.session.account = self.account
        self.on_screen_resume()
        # Emptied before the table: clearing it moves the cursor to the top (a move, see
        # _moved), which must not ask for the old list's next page.
        self.invoices = []
        self.next_cursor = None
        table.clear()
        self._append(table, page.data, page.next_cursor)
        ids = [inv.id for inv in self.invoices]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        self._title()
        self._moved(table.cursor_row)
        self.refresh_bindings()
        table.focus()

    async def show_invoice(self, invoice_id: str) -> None:
        """Load the list again with ``invoice_id`` under the cursor, when the filters show it."""
        await self.load(keep=invoice_id).wait()

    def _append(self, table: DataTable, invoices: list[Invoice], next_cursor: str | None) -> None:
        """Add ``invoices`` under the rows shown (the table is never rebuilt for a page)."""
        # A row key is unique in a DataTable: an invoice already shown is not added twice.
        fresh = [inv for inv in invoices if inv.id not in table.rows]
        for invoice in fresh:
            overdue = invoice.status == "past_due"
            style = "bold" if overdue else ""
            table.add_row(
                Text(safe_text(invoice.number, limit=40), style=style),
                Text(format_day(invoice.due_date)),
                Text(status_word(invoice.status), style="bold reverse" if overdue else ""),
                Text(format_minor(invoice.total, invoice.currency)),
                Text(format_minor(invoice.amount_due, invoice.currency), style=style),
                key=invoice.id,
            )
        self.invoices += fresh
        self.next_cursor = next_cursor
        self._note()

    def _note(self) -> None:
        n = len(self.invoices)
        if not n:
            note = _("No invoices match.") if self.filtered else _("No invoices.")
        elif self.next_cursor:
            note = _("{count} so far; more load as the cursor nears the end.").format(
                count=count(n, "invoice")
            )
        else:
            note = ngettext(
                "{n} invoice; Enter opens it.", "All {n} invoices; Enter opens one.", n
            ).format(n=n)
        self.query_one("#invoices-note", Static).update(Content(note))

    @property
    def filtered(self) -> bool:
        """True when a status filter or a search narrows the list."""
        return self.status_filter is not None or bool(self.search)

    def _title(self) -> None:
        title = _(_LIST_TITLE)
        if self.status_filter:
            title += " · " + _("{which} (s: filter)").format(
                which=_(_FILTER_TITLES[self.status_filter])
            )
        if self.search:
            title += " · " + _("{which} (/: search)").format(which=self.search.describe())
        self.query_one("#invoices-title", Static).update(Content(title))

    def _near_end(self, row: int) -> None:
        """Fetch the next page when the cursor comes within NEAR_END rows of the last."""
        if self.next_cursor is None or row < len(self.invoices) - NEAR_END:
            return
        if any(w.group == "invoices-more" and w.is_running for w in self.workers):
            return
        self.load_more(self.next_cursor)

    @work(exclusive=True, group="invoices-more", exit_on_error=False)
    async def load_more(self, cursor: str) -> None:
        """Append the page after ``cursor`` (ignored if the list was reloaded meanwhile)."""
        client = await self.console.session.ready_client()
        page = await self._fetch(client, cursor)
        if cursor != self.next_cursor:
            return
        self._append(self.query_one(DataTable), page.data, page.next_cursor)
        self.refresh_bindings()

    def _describe(self) -> None:
        """The detail line: what the highlighted invoice's row has no room for."""
        invoice = self.selected
        detail = self.query_one("#invoices-detail", Static)
        if invoice is None:
            detail.update("", layout=False)
            return
        zone = self.account.billing_timezone if self.account is not None else None
        parts = [
            safe_text(invoice.number, limit=40),
            _("issued {day}").format(day=format_day(dates.billing_date(invoice.issued_at, zone))),
            _("period {period}").format(
                period=format_period(invoice.period_start, invoice.period_end)
            ),
        ]
        if invoice.paid_at is not None:
            parts.append(
                _("paid {day}").format(day=format_day(dates.billing_date(invoice.paid_at, zone)))
            )
        elif invoice.attempts:
            parts.append(
                ngettext("{n} attempt", "{n} attempts", invoice.attempts).format(n=invoice.attempts)
            )
            if invoice.last_failure is not None:
                parts.append(safe_text(invoice.last_failure.message, limit=80))
        # One line of fixed height: no layout, so a cursor move repaints this line and the table.
        detail.update(Content(" · ".join(parts)), layout=False)

    # ------------------------------------------------------------------ selection and keys
    @property
    def selected(self) -> Invoice | None:
        """The invoice under the cursor."""
        table = self.query_one(DataTable)
        if not self.invoices or table.cursor_row < 0 or table.cursor_row >= len(self.invoices):
            return None
        return self.invoices[table.cursor_row]

    @property
    def default_method(self) -> PaymentMethod | None:
        """The card ``r`` charges."""
        return next((m for m in self.methods if m.is_default), None)

    @property
    def overdue(self) -> list[Invoice]:
        """The past-due invoices shown, oldest first: "retry all" pays them in that order."""
        late = [inv for inv in self.invoices if inv.status == "past_due"]
        return sorted(late, key=lambda inv: (inv.due_date, inv.issued_at))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        invoice = self.selected
        if action in ("retry", "pay", "pix"):
            return invoice is not None and invoice.status in PAYABLE
        if action == "nfse":
            return invoice is not None and invoice.nfse is not None
        if action == "download":
            return invoice is not None and invoice.status == "paid"
        if action == "retry_all":
            return bool(self.overdue)
        if action in ("open", "invoice_pdf"):
            return invoice is not None
        return True

    def _keys_offered(self) -> tuple[bool | None, ...]:
        """What check_action answers for the selected invoice's own keys."""
        return tuple(
            self.check_action(action, ()) for action in ("retry", "nfse", "download", "open")
        )

    def _moved(self, row: int) -> None:
        """A cursor move: the detail line, the footer's keys and the next page.

        Called in the same call as the move (see widgets.table_cursor), so the
        moved rows and the detail line are drawn in one frame. The footer is
        asked to redraw only when the keys the new row offers differ from the
        last row's.
        """
        self._describe()
        offered = self._keys_offered()
        if offered != getattr(self, "_offered", None):
            self._offered = offered
            # The footer draws the keys offered as it renders: repainted now, they change in
            # the move's frame (the bindings' signal alone redraws it one frame later).
            self.query_one(KeyHints).refresh()
            self.refresh_bindings()
        self._near_end(row)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """The Invoices area's palette entries."""
        entries = [
            (
                "retry",
                N_("invoices: Retry payment"),
                N_("Pay the selected invoice with the default card (r)"),
            ),
            ("pay", N_("invoices: Pay with another card"), N_("A saved card or a new one (p)")),
            ("open", N_("invoices: Open invoice"), N_("Lines, totals, attempts (Enter)")),
            (
                "download",
                N_("invoices: Save receipt"),
                N_("The receipt PDF of a paid invoice (d)"),
            ),
            (
                "invoice_pdf",
                N_("invoices: Save invoice PDF"),
                N_("The invoice itself, any state (P)"),
            ),
            (
                "pix",
                N_("invoices: Pay by Pix"),
                N_("QR code and copia e cola, for BRL invoices (x)"),
            ),
            (
                "nfse_pdf",
                N_("invoices: Save NFS-e PDF"),
                N_("The service invoice of a paid one (n)"),
            ),
            ("nfse_xml", N_("invoices: Save NFS-e XML"), N_("The same, as the national XML (N)")),
            ("retry_all", N_("invoices: Retry overdue"), N_("Every overdue invoice at once (a)")),
            (
                "filter",
                N_("invoices: Filter by status"),
                N_("all, overdue, open, paid, void (s)"),
            ),
            ("search", N_("invoices: Search"), N_("By number and issue dates (/)")),
            (
                "export",
                N_("invoices: Export CSV"),
                N_("Every invoice the filters show, to a file (e)"),
            ),
            ("refresh", N_("invoices: Refresh"), N_("Load the invoices again (ctrl+r)")),
        ]
        return [
            (_(name), _(help_text), getattr(self, f"action_{action}"))
            for action, name, help_text in entries
            if self.check_action(action.split("_")[0] if action.startswith("nfse") else action, ())
        ]

    def action_filter(self) -> None:
        """Show the next status only: all → overdue → open → paid → void → all."""
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]
        self.notify(_(_FILTER_SHOWN[self.status_filter]), markup=False)
        self.load()

    # ------------------------------------------------------------------ search
    def action_search(self) -> None:
        """Open the search line: a number prefix and/or issue dates."""
        box = self.query_one("#invoices-search", SearchInput)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#invoices-search")
    def _searched(self, event: Input.Submitted) -> None:
        try:
            search = InvoiceSearch.parse(event.value)
        except ValueError as error:
            # The search line keeps what was typed; the sentence says what to fix.
            self.set_status(str(error))
            return
        self.set_status("")
        self.search = search
        if not search:
            event.input.display = False
        self.load()

    def action_back(self) -> None:
        """Escape: stops an export, else closes an active search, else goes back to the hub."""
        if self.stop_export():
            return
        if self.search or self.query_one("#invoices-search").display:
            self._search_closed()
            return
        super().action_back()

    @on(SearchInput.Closed)
    def _search_closed(self) -> None:
        box = self.query_one("#invoices-search", SearchInput)
        box.display = False
        self.query_one(DataTable).focus()
        if self.search:
            box.value = ""
            self.search = InvoiceSearch()
            self.load()

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        """Open the selected invoice: lines and formulas, totals, attempts, payment."""
        invoice = self.selected
        if invoice is None:
            return

        def then(action: str | None) -> None:
            if action is not None:
                getattr(self, f"action_{action}")()

        self.app.push_screen(InvoiceDetailModal(invoice), callback=then)

    # ------------------------------------------------------------------ Pix and the NFS-e
    def action_pix(self) -> None:
        """Pay the selected BRL invoice by Pix: its QR code, copia e cola and countdown."""
        from mktui.api.failures import conflict_sentence
        from mktui.tui.screens.pix_pay import PixPayModal

        invoice = self.selected
        if self.busy or invoice is None or invoice.status not in PAYABLE:
            return
        if invoice.currency != "BRL":
            self.set_status(conflict_sentence("pix_unavailable") or "")
            return
        self.set_status("")

        def closed(paid: bool | None) -> None:
            if paid and self.is_attached:
                self.set_status(
                    _("Invoice {number} paid by Pix.").format(
                        number=safe_text(invoice.number, limit=40)
                    ),
                    ok=True,
                )
                self.load(keep=invoice.id)

        self.app.push_screen(PixPayModal(invoice), callback=closed)

    def action_nfse_pdf(self) -> None:
        """Save the selected invoice's NFS-e as PDF."""
        self.action_nfse("pdf")

    def action_nfse_xml(self) -> None:
        """Save the selected invoice's NFS-e as XML."""
        self.action_nfse("xml")

    def action_nfse(self, format: str) -> None:  # noqa: A002
        """Save the selected paid invoice's NFS-e (PDF or XML) in the downloads folder."""
        invoice = self.selected
        if invoice is not None and invoice.nfse is not None:
            self.save_nfse(invoice, format)

    @work(exclusive=True, group="invoices-nfse", exit_on_error=False)
    async def save_nfse(self, invoice: Invoice, format: str) -> None:  # noqa: A002
        """Fetch the NFS-e, then write it in a thread; say where it went."""
        import asyncio

        from mktui.config import downloads

        client = await self.console.session.ready_client()
        data = await client.nfse(invoice.id, format)
        folder = downloads.default_download_dir()
        name = downloads.document_name("nfse", invoice.number, f".{format}")
        try:
            path = await asyncio.to_thread(downloads.save_document, data, folder, name)
        except OSError as error:
            self.set_status(
                _(
                    "The NFS-e could not be saved in {folder}: {why}. "
                    "Check that the folder exists and is writable, then try again."
                ).format(folder=folder, why=error.strerror or error)
            )
            return
        self.set_status(
            _("NFS-e of {number} saved to {path}").format(
                number=safe_text(invoice.number, limit=40), path=path
            ),
            ok=True,
        )

    # ------------------------------------------------------------------ paying
    def action_retry(self) -> None:
        """Pay the selected invoice again with the default card, after a confirmation."""
        invoice = self.selected
        if self.busy or invoice is None or invoice.status not in PAYABLE:
            return
        if self.default_method is None:
            self.set_status(_("There is no default card: press p to pay with another card."))
            return
        self._start(self.pay, [invoice], None)

    def action_retry_all(self) -> None:
        """Pay every overdue invoice with the default card: one confirmation, one key each."""
        if self.busy or not self.overdue:
            return
        if self.default_method is None:
            self.set_status(_("There is no default card: pay each invoice with p instead."))
            return
        self._start(self.pay, self.overdue, None)

    def action_pay(self) -> None:
        """Choose another card (saved or new), then confirm and pay the selected invoice."""
        invoice = self.selected
        if self.busy or invoice is None or invoice.status not in PAYABLE or self.account is None:
            return
        today = pricing.billing_today(self.account.now, self.account.billing_timezone)
        what = _("Pay invoice {number} with").format(number=safe_text(invoice.number, limit=40))

        def chosen(choice: PayChoice | None) -> None:
            if choice is not None and not self.busy:
                self._start(self.pay, [invoice], choice)

        self.app.push_screen(PayWithModal(what, self.methods, today), callback=chosen)

    def _start(self, worker: Callable[..., object], *args: object) -> None:
        self.begin_money()
        self.set_status("")
        worker(*args)

    @work(exclusive=True, group="invoices-pay", exit_on_error=False)
    async def pay(self, invoices: list[Invoice], choice: PayChoice | None) -> None:
        """Confirm the amount and card, then charge each invoice in turn and say what happened.

        Paid with a card that is not the default: then offers to make it the default.
        """
        paid_with: list[str] = []
        try:
            client = await self.console.session.ready_client()
            if choice is None:
                self.methods, choice = await self.payments.default_choice(client)
                if choice is None:
                    self.set_status(_("There is no default card now: press p to pay with a card."))
                    return
            title = _("Confirm payment") if len(invoices) == 1 else _("Retry every overdue invoice")
            total = format_minor(sum(i.amount_due for i in invoices), invoices[0].currency)
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(
                    title,
                    charge_lines(invoices, choice.described, new_card=choice.card is not None),
                    confirm_label=_("Pay {amount}").format(amount=total),
                )
            )
            if not confirmed:
                self.set_status(_("Nothing was charged."), ok=True)
                return
            outcomes = []
            lost = False
            try:
                for invoice in invoices:
                    outcomes.append(await self.payments.pay(client, invoice, choice))
                paid_with = [o.method_id for o in outcomes if o.paid and o.method_id]
            except ApiError as error:
                lost = error.kind is ErrorKind.UNAVAILABLE
                raise
            finally:
                # Also after a lost answer: the list shows what the server knows now.
                if outcomes:
                    said = report(outcomes, len(invoices))
                    self.set_status(said.status, ok=said.ok)
                    if said.paid:
                        self.notify(said.paid, title=_("Paid"), markup=False, timeout=8)
                elif lost:
                    self.set_status(
                        _(
                            "The answer was lost on the way: the invoice may be paid. The list is "
                            "loaded again; press r to try again (the same request, never charged "
                            "twice)."
                        )
                    )
                await reset_other_areas(self.app, self.console.money)
                if self.is_attached:  # as in the Subscription area: never reload a removed area
                    self.load(keep=invoices[0].id)
        finally:
            self.end_money()
        if paid_with and choice is not None and self.is_attached:
            try:  # the cards as they are now (the new one included); no offer if unreachable
                methods = list(await client.payment_methods())
            except ApiError:
                return
            promote = card_to_promote(outcomes, methods)
            if promote is not None:
                self._offer_default(promote, choice.described)

    def _offer_default(self, method_id: str, described: str) -> None:
        """After paying with another card: offer to make it the card charged on each 1st.

        Asked once the payment's worker has ended (nothing waits on the answer).
        """

        def answered(yes: bool | None) -> None:
            if yes:
                self._make_default(method_id, described)

        self.app.push_screen(
            ConfirmModal(
                _("Make it the default card?"),
                [
                    _("{card} paid. Renewals on each 1st charge the default card.").format(
                        card=described
                    ),
                    _("Make {card} the default card?").format(card=described),
                    "",
                    _("Press y to make it the default; Escape keeps the default as it is."),
                ],
                confirm_label=_("Make it the default"),
            ),
            callback=answered,
        )

    @work(exclusive=True, group="invoices-default", exit_on_error=False)
    async def _make_default(self, method_id: str, described: str) -> None:
        """Make the card that just paid the default, then say so."""
        client = await self.console.session.ready_client()
        await client.set_default_payment_method(method_id)
        self.notify(
            _("{card} is now the default card.").format(card=described),
            title=_("Default card"),
            markup=False,
        )
        await reset_other_areas(self.app, self.console.money)
        if self.is_attached:
            self.load(keep=self.selected.id if self.selected else None)

    # ------------------------------------------------------------------ receipts
    def action_invoice_pdf(self) -> None:
        """Save the selected invoice as a PDF, open, paid or void (``d`` is the receipt)."""
        if self.selected is not None:
            self.save_pdf(self.selected)

    @work(exclusive=True, group="invoices-pdf", exit_on_error=False)
    async def save_pdf(self, invoice: Invoice) -> None:
        """Fetch and save the invoice PDF (services.invoice_documents); say where it went."""
        from mktui.tui.services.invoice_documents import save_invoice_pdf

        client = await self.console.session.ready_client()
        saved, sentence = await save_invoice_pdf(client, invoice)
        self.set_status(sentence, ok=saved)

    def action_download(self) -> None:
        """Save the selected paid invoice's receipt PDF (never over an existing file)."""
        invoice = self.selected
        if invoice is not None and invoice.status == "paid":
            self.download(invoice)

    @work(exclusive=True, group="invoices-receipt", exit_on_error=False)
    async def download(self, invoice: Invoice) -> None:
        """Fetch the PDF, then write it in a thread; say where it went."""
        client = await self.console.session.ready_client()
        pdf = await client.receipt(invoice.id)
        folder = receipt_files.default_download_dir()
        try:
            path = await asyncio.to_thread(receipt_files.save_receipt, pdf, folder, invoice.number)
        except OSError as error:
            self.set_status(
                _(
                    "The receipt could not be saved in {folder}: {why}. "
                    "Check that the folder exists and is writable, then press d again."
                ).format(folder=folder, why=error.strerror or error)
            )
            return
        self.set_status(
            _("Receipt of {number} saved to {path}").format(
                number=safe_text(invoice.number, limit=40), path=path
            ),
            ok=True,
        )

    # ------------------------------------------------------------------ CSV export (e)
    def export_say(self, text: str, *, ok: bool = False) -> None:
        self.set_status(text, ok=ok)

    def export_plan(self, client):  # noqa: ANN001, ANN201 - see ExportsCsv
        # The filters as they are now: changing them during the export does not mix two lists.
        status, search = self.status_filter, self.search

        def fetch(cursor: str | None):  # noqa: ANN202 - a client call
            return client.invoices(
                status,  # type: ignore[arg-type]
                limit=200,
                cursor=cursor,
                q=search.number,
                issued_from=search.issued_from,
                issued_to=search.issued_to,
            )

        return fetch, None

    def export_count(self, rows: int) -> str:
        """``120 invoices`` (``120 faturas``)."""
        return count(rows, "invoice")

    def export_columns(self):  # noqa: ANN201 - see ExportsCsv
        from mktui.api.csv_records import INVOICE_COLUMNS

        return INVOICE_COLUMNS

    def export_name(self, today):  # noqa: ANN001, ANN201 - see ExportsCsv
        status = _FILTER_WORDS[self.status_filter] if self.status_filter else ""
        return receipt_files.export_name("invoices", today, status, self.search.number or "")

    def set_status(self, text: str, *, ok: bool = False) -> None:
        """The sentence under the list: paid, declined, saved (literal text)."""
        self.query_one("#invoices-status", StatusLine).say(text, ok=ok)

    @property
    def status_text(self) -> str:
        """What the sentence under the list says now."""
        return self.query_one("#invoices-status", StatusLine).text
