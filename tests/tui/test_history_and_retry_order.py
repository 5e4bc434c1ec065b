"""Enter on a History row opens its invoice; "retry all overdue" pays the oldest first."""

from __future__ import annotations

from datetime import timedelta

import httpx

from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.history import HistoryScreen
from mktui.tui.screens.invoice_detail import InvoiceDetailModal
from mktui.tui.screens.invoices import InvoicesScreen

from .conftest import FROZEN_NOW, screen_text, settle
from .records_helpers import open_area, wait_for
from .test_invoice_actions import open_invoices
from .test_subscribe import add_card


class PayOrder(httpx.AsyncBaseTransport):
    """Records the invoices paid, in the order the console sent them."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.paid: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/")
        if request.method == "POST" and parts[-1] == "pay" and parts[-3] == "invoices":
            self.paid.append(parts[-2])
        return await self.inner.handle_async_request(request)


async def test_retry_all_overdue_pays_the_oldest_first(make_app, api, gate):
    client = await api("demo")
    await add_card(client, number="4000000000000002", make_default=True)
    await client.set_clock(FROZEN_NOW + timedelta(days=6))  # December's renewal fails too
    visa = next(m for m in await client.payment_methods() if m.last4 == "4242")
    await client.set_default_payment_method(visa.id)
    late = sorted((await client.invoices("past_due")).data, key=lambda inv: inv.due_date)
    assert len(late) == 2 and late[0].due_date < late[1].due_date
    order = PayOrder(gate.inner)
    gate.inner = order
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_invoices(pilot)
        assert [inv.id for inv in screen.overdue] == [inv.id for inv in late]
        await pilot.press("a")
        modal = await wait_for(pilot, ConfirmModal)
        text = modal.sentences
        assert text.index(late[0].number) < text.index(late[1].number)  # listed oldest first
        await pilot.press("y")
        await settle(pilot)
    assert order.paid == [inv.id for inv in late]  # and paid in that order


async def test_enter_on_a_history_row_opens_its_invoice(make_app, api):
    client = await api("demo")
    paid = (await client.invoices("paid", limit=1)).data[0]
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        row = next(k for k, e in screen.entries.items() if e.invoice_id == paid.id)
        screen.table.move_cursor(row=screen.table.get_row_index(row))
        await pilot.pause()
        await pilot.press("enter")
        modal = await wait_for(pilot, InvoiceDetailModal)
        assert modal.invoice.id == paid.id
        assert paid.number in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen  # closing it goes back to History


async def test_an_action_chosen_on_the_invoice_runs_in_the_invoices_area(make_app, api):
    client = await api("demo")
    late = (await client.invoices("past_due")).data[0]
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        row = next(k for k, e in screen.entries.items() if e.invoice_id == late.id)
        screen.table.move_cursor(row=screen.table.get_row_index(row))
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        await pilot.press("r")  # retry it
        confirm = await wait_for(pilot, ConfirmModal)
        assert isinstance(app.screen_stack[-2], InvoicesScreen)
        assert late.number in confirm.sentences
        await pilot.press("escape")
        await settle(pilot)
    assert (await client.invoice(late.id)).status == "past_due"
