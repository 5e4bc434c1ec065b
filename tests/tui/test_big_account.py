"""A big account: Invoices and History page to the end by appending rows, filters and search
go to the server, History filters by kind, and the hub counts unpaid invoices from the summary.

The demo account here holds 250 older invoices and their ledger rows
(``seed(history=250)``): small enough for a test, three pages of Invoices.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from textual.widgets import DataTable

from mktui.api.errors import ApiError, ErrorKind
from mktui.sandbox import seed
from mktui.sandbox.app import create_app
from mktui.sandbox.store import Store
from mktui.tui.screens.history import HistoryScreen, bars
from mktui.tui.screens.invoices import PAGE_SIZE, InvoicesScreen
from mktui.tui.screens.ledger_entries import Entry
from mktui.tui.services.invoice_search import InvoiceSearch

from .conftest import FROZEN_NOW, Gate, screen_text, settle
from .records_helpers import open_area

HISTORY = 250


class Recorder(Gate):
    """The console's transport, remembering every request's path and query.

    With ``hold`` set to an event, a request for a later page of 200 (an
    export's) waits until the event is set.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        super().__init__(inner)
        self.urls: list[httpx.URL] = []
        self.hold: asyncio.Event | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(request.url)
        params = request.url.params
        if self.hold is not None and "cursor" in params and params.get("limit") == "200":
            await self.hold.wait()
        return await super().handle_async_request(request)

    def lists(self, path: str = "/v1/invoices") -> list[httpx.QueryParams]:
        """The query of every GET of ``path``, in order."""
        return [url.params for url in self.urls if url.path == path]


@pytest.fixture
def sandbox_app(tmp_path):
    path = tmp_path / "sandbox.sqlite"
    seed.ensure_seeded(Store(path), FROZEN_NOW, history=HISTORY)
    return create_app(path, now=FROZEN_NOW)


@pytest.fixture
def gate(sandbox_app) -> Recorder:
    return Recorder(httpx.ASGITransport(app=sandbox_app, raise_app_exceptions=False))


def keys_of(table: DataTable) -> list[str]:
    return [key.value for key in table.rows]


def count_clears(monkeypatch, table: DataTable) -> list[int]:
    """Count the calls of ``table.clear`` from now on (a rebuild would call it)."""
    calls: list[int] = []
    original = table.clear

    def clear(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(table, "clear", clear)
    return calls


async def test_invoices_page_to_the_end_by_adding_rows(make_app, api, gate, monkeypatch):
    total = HISTORY + 13  # the demo's own year of invoices besides
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "i", InvoicesScreen)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == PAGE_SIZE and screen.next_cursor
        first_page = keys_of(table)
        clears = count_clears(monkeypatch, table)
        # Down near the end of the first page: the next page is added, the cursor stays put.
        table.move_cursor(row=PAGE_SIZE - 25)
        await settle(pilot)
        assert table.row_count == PAGE_SIZE
        await pilot.press("down", "down", "down", "down", "down")
        await settle(pilot)
        assert table.row_count == 2 * PAGE_SIZE
        assert table.cursor_row == PAGE_SIZE - 20
        assert keys_of(table)[:PAGE_SIZE] == first_page
        assert screen.selected.id == first_page[PAGE_SIZE - 20]
        for _ in range(5):
            await pilot.press("ctrl+end")
            await settle(pilot)
        assert screen.next_cursor is None and table.row_count == total
        assert clears == []  # never rebuilt
        assert len(set(keys_of(table))) == total
        assert screen.selected.number == "MK-000001"  # the very first invoice is reachable
        assert f"All {total} invoices" in screen_text(app)
        cursors = [q.get("cursor") for q in gate.lists()]
        assert cursors[0] is None and all(cursors[1:]) and len(cursors) == 3


async def test_status_filter_and_search_are_served_by_the_server(make_app, api, gate):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "i", InvoicesScreen)
        await pilot.press("s")  # overdue only
        await settle(pilot)
        assert gate.lists()[-1].get("status") == "past_due"
        assert [inv.status for inv in screen.invoices] == ["past_due"]
        for _ in range(4):  # back to all
            await pilot.press("s")
            await settle(pilot)
        assert screen.status_filter is None
        await pilot.press("slash")
        await pilot.press(*"mk-00001")
        await pilot.press("enter")
        await settle(pilot)
        assert gate.lists()[-1].get("q") == "MK-00001"
        wanted = (await client.invoices(q="MK-00001", limit=200)).data
        assert [inv.id for inv in screen.invoices] == [inv.id for inv in wanted]
        assert len(wanted) == 10 and all(i.number.startswith("MK-00001") for i in wanted)
        assert "numbers MK-00001…" in screen_text(app)
        # Dates instead: / goes back to the search line, which kept what was typed.
        assert screen.query_one("#invoices-search").value == "mk-00001"
        await pilot.press("slash", "ctrl+u", *"2025-10-25..2025-10-26", "enter")
        await settle(pilot)
        sent = gate.lists()[-1]
        assert (sent.get("from"), sent.get("to"), sent.get("q")) == (
            "2025-10-25",
            "2025-10-26",
            None,
        )
        issued = {
            inv.issued_at.astimezone(FROZEN_NOW.tzinfo).date().isoformat()
            for inv in screen.invoices
        }
        assert screen.invoices and issued <= {"2025-10-25", "2025-10-26", "2025-10-27"}
        # A date that is not one: said, nothing sent, the text kept.
        asked = len(gate.lists())
        await pilot.press("slash", "ctrl+u", *"2025-02-30", "enter")
        await settle(pilot)
        assert len(gate.lists()) == asked
        assert "2025-02-30 is not a date" in screen.status_text
        assert screen.query_one("#invoices-search").value == "2025-02-30"
        # Escape closes the search and shows every invoice again, even from the table.
        screen.query_one(DataTable).focus()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        assert not screen.search and "q" not in gate.lists()[-1]
        assert len(screen.invoices) == PAGE_SIZE
        await pilot.press("escape")  # then back to the hub as anywhere else
        await settle(pilot)
        assert not isinstance(app.screen, InvoicesScreen)


async def test_history_pages_are_appended_and_filter_by_kind(make_app, gate, monkeypatch):
    monkeypatch.setattr(HistoryScreen, "PAGE_SIZE", 30)
    monkeypatch.setattr(HistoryScreen, "MORE_PAGE_SIZE", 100)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        table = screen.table
        first = keys_of(table)
        assert len(first) == 30 and list(screen.entries) == first
        assert all(isinstance(entry, Entry) for entry in screen.entries.values())  # not pydantic
        clears = count_clears(monkeypatch, table)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        await pilot.press("l")
        await settle(pilot)
        assert keys_of(table)[:30] == first and table.row_count == 130
        assert clears == []
        after = [column.get_render_width(table) for column in table.columns.values()]
        assert all(b >= a for a, b in zip(widths, after, strict=True))  # only ever widened
        assert "Load more" in screen_text(app)
        # One kind alone: the rows shown are that kind's, and a page adds only that kind.
        await pilot.press("k")
        await settle(pilot)
        assert screen.kind == "charge"
        shown = keys_of(table)
        assert shown and all(screen.entries[key].kind == "charge" for key in shown)
        assert shown == [k for k, e in screen.entries.items() if e.kind == "charge"]
        await pilot.press("k")  # payment
        await settle(pilot)
        payments = table.row_count
        await pilot.press("l")
        await settle(pilot)
        assert table.row_count > payments
        assert all(screen.entries[key].kind == "payment" for key in keys_of(table))
        while screen.next_cursor:
            await pilot.press("l")
            await settle(pilot)
        assert screen.check_action("load_more", ()) is False
        assert "Load more" not in screen_text(app)
        for _ in range(len(("credit_grant", "credit_use", "refund", None))):
            await pilot.press("k")
            await settle(pilot)
        assert screen.kind is None and table.row_count == len(screen.entries)


async def read_ahead(pilot, screen: HistoryScreen) -> None:
    """Wait until the page after the last one shown has been read ahead (a timer starts it)."""
    for _ in range(200):
        if screen._ahead is not None and screen._ahead.done.is_set():
            break
        await pilot.pause(0.01)
    await settle(pilot)


async def test_history_reads_the_next_page_ahead_once_the_admin_pages(make_app, gate, monkeypatch):
    monkeypatch.setattr(HistoryScreen, "MORE_PAGE_SIZE", 50)
    hold: list[asyncio.Event] = []
    page_after = HistoryScreen._page_after

    async def held(self, cursor):
        if hold:
            await hold[0].wait()
        return await page_after(self, cursor)

    monkeypatch.setattr(HistoryScreen, "_page_after", held)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        table = screen.table
        assert len(gate.lists("/v1/ledger")) == 1  # no page read ahead for a visit that never pages
        await pilot.press("l")
        await read_ahead(pilot, screen)
        asked = gate.lists("/v1/ledger")
        assert table.row_count == 100 and len(asked) == 3  # the page asked for, the next ahead
        assert asked[2]["cursor"] == screen.next_cursor
        # The next l adds the page read ahead (nothing asked for it) and reads the one after.
        ahead = screen.next_cursor
        await pilot.press("l")
        await read_ahead(pilot, screen)
        asked = gate.lists("/v1/ledger")
        assert table.row_count == 150 and len(asked) == 4
        assert asked[3]["cursor"] == screen.next_cursor != ahead
        # An l while the page is still on its way waits for it: it is not asked for twice.
        await pilot.press("l")
        await read_ahead(pilot, screen)  # 200 rows; the page after them is read ahead …
        hold.append(asyncio.Event())
        await pilot.press("l")  # … 250, and the read-ahead of the last page is held
        for _ in range(200):
            if screen._ahead is not None and screen.table.row_count == 250:
                break
            await pilot.pause(0.01)
        await pilot.press("l")
        for _ in range(5):
            await pilot.pause()
        assert table.row_count == 250 and len(gate.lists("/v1/ledger")) == 5
        hold[0].set()
        await settle(pilot)
        asked = gate.lists("/v1/ledger")
        assert len(asked) == 6 and screen.next_cursor is None
        assert table.row_count == len(set(keys_of(table))) == len(screen.entries) == 270
        assert [q.get("cursor") for q in asked[1:]] == list(
            dict.fromkeys(q.get("cursor") for q in asked[1:])
        )


async def test_a_page_read_ahead_that_failed_is_asked_for_again(make_app, gate, monkeypatch):
    monkeypatch.setattr(HistoryScreen, "MORE_PAGE_SIZE", 50)
    failed: list[str] = []
    page_after = HistoryScreen._page_after

    async def first_read_ahead_fails(self, cursor):
        if not failed and self._ahead is not None:  # the read-ahead, not load_more's own ask
            failed.append(cursor)
            raise ApiError(ErrorKind.UNAVAILABLE, "the connection dropped")
        return await page_after(self, cursor)

    monkeypatch.setattr(HistoryScreen, "_page_after", first_read_ahead_fails)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        await pilot.press("l")
        await read_ahead(pilot, screen)
        assert failed == [screen.next_cursor] and screen.table.row_count == 100
        await pilot.press("l")  # the page is asked for now, and added
        await settle(pilot)
        assert screen.table.row_count == 150
        assert [q.get("cursor") for q in gate.lists("/v1/ledger")].count(failed[0]) == 1


async def test_the_hub_counts_from_the_summary_without_listing_invoices(make_app, gate):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "R$ 129,00 · 1 invoice" in text, text
        assert gate.lists() == []  # no invoice list was downloaded to count them
        assert [u.path for u in gate.urls].count("/v1/account") >= 1


async def test_an_annual_account_sees_its_credit_used_each_month(make_app):
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        assert screen.query_one("#history-chart").display
        text = screen_text(app)
        assert "Credit used  ██████  Jun 26–Nov 26, up to R$ 64,50 a month" in text, text
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        assert not screen.query_one("#history-chart").display


def test_bars_start_from_zero():
    assert bars([]) == ""
    assert bars([0, 0]) == "  "
    assert bars([10, 10, 5, 0]) == "██▅ "


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", InvoiceSearch()),
        ("mk-0001", InvoiceSearch("MK-0001")),
        ("2026-03-01", InvoiceSearch(None, *[__import__("datetime").date(2026, 3, 1)] * 2)),
        (
            "MK 2026-01-01..2026-03-31",
            InvoiceSearch(
                "MK",
                __import__("datetime").date(2026, 1, 1),
                __import__("datetime").date(2026, 3, 31),
            ),
        ),
        ("..2026-03-31", InvoiceSearch(None, None, __import__("datetime").date(2026, 3, 31))),
    ],
)
def test_the_search_line_reads_numbers_and_dates(typed, expected):
    assert InvoiceSearch.parse(typed) == expected


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2026-02-30", "2026-02-30 is not a date"),
        ("2026-03-31..2026-01-01", "is after the last"),
        ("MK-1 MK-2", "'MK-2' is neither"),
        ("=cmd()", "is neither an invoice number"),
    ],
)
def test_the_search_line_says_what_is_wrong(typed, said):
    with pytest.raises(ValueError) as caught:
        InvoiceSearch.parse(typed)
    assert said in str(caught.value)


# ---------------------------------------------------------------- CSV export (e)
def _rows(path) -> list[dict]:
    import csv

    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


async def test_invoices_export_writes_every_filtered_row_and_never_overwrites(
    make_app, api, monkeypatch, tmp_path
):
    from mktui.config import downloads

    monkeypatch.setattr(downloads, "default_download_dir", lambda: tmp_path)
    taken = tmp_path / "invoices-paid-2026-11-26.csv"
    taken.write_text("the accountant's own file\n")
    client = await api("demo")
    paid = []
    cursor = None
    while True:
        page = await client.invoices("paid", limit=200, cursor=cursor)
        paid += page.data
        if (cursor := page.next_cursor) is None:
            break
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "i", InvoicesScreen)
        for _ in range(3):  # all → overdue → open → paid
            await pilot.press("s")
            await settle(pilot)
        assert screen.status_filter == "paid" and len(screen.invoices) == PAGE_SIZE
        await pilot.press("e")
        await settle(pilot)
        saved = tmp_path / "invoices-paid-2026-11-26 (2).csv"
        assert f"{len(paid)} invoices saved to {saved}" in screen.status_text
    assert taken.read_text() == "the accountant's own file\n"  # never overwritten
    rows = _rows(saved)
    assert [r["id"] for r in rows] == [i.id for i in paid]  # every page, not just those loaded
    assert len(rows) > PAGE_SIZE
    first = paid[0]
    assert rows[0]["number"] == first.number and rows[0]["status"] == "paid"
    assert rows[0]["total"] == f"{first.total / 100:.2f}" and rows[0]["currency"] == "BRL"
    assert rows[0]["paid_with"].endswith(first.paid_with.last4)


async def test_history_export_of_one_kind(make_app, api, monkeypatch, tmp_path):
    from mktui.config import downloads

    monkeypatch.setattr(downloads, "default_download_dir", lambda: tmp_path)
    client = await api("demo")
    every, cursor = [], None
    while True:
        page = await client.ledger(limit=200, cursor=cursor)
        every += page.data
        if (cursor := page.next_cursor) is None:
            break
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        await pilot.press("k", "k")  # payments only
        await settle(pilot)
        assert screen.kind == "payment"
        await pilot.press("e")
        await settle(pilot)
        assert "saved to" in screen_text(app)
    rows = _rows(tmp_path / "history-payment-2026-11-26.csv")
    payments = [e for e in every if e.kind == "payment"]
    assert [r["id"] for r in rows] == [e.id for e in payments] and len(rows) > 200
    assert {r["kind"] for r in rows} == {"payment"}
    assert rows[0]["amount"] == f"{payments[0].amount / 100:.2f}"


async def test_escape_stops_an_export_and_removes_the_partial_file(
    make_app, gate, monkeypatch, tmp_path
):
    from mktui.config import downloads

    monkeypatch.setattr(downloads, "default_download_dir", lambda: tmp_path)
    gate.hold = asyncio.Event()  # the export's second page waits on the wire
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "i", InvoicesScreen)
        await pilot.press("e")
        for _ in range(50):
            await pilot.pause()
            if "200 invoices written" in screen.status_text:
                break
        assert "200 invoices written" in screen.status_text and "Esc stops" in screen.status_text
        assert list(tmp_path.glob("*.csv"))  # being written
        await pilot.press("escape")
        await settle(pilot)
        gate.hold.set()
        await asyncio.sleep(0)
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)  # Escape stopped the export, no more
        assert "Export stopped" in screen.status_text
        assert list(tmp_path.glob("*.csv")) == []  # nothing that looks complete and is not
        assert not screen.exporting
