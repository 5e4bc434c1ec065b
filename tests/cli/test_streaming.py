"""Lists stream: one page ahead, a pending request cancelled on an early stop, bounded memory."""

from __future__ import annotations

import asyncio
import io
import json
import tracemalloc
from types import SimpleNamespace

import httpx

from mktui.api.auth import TokenHolder
from mktui.api.client import BillingClient
from mktui.cli.commands.invoices import COLUMNS, CSV_COLUMNS, InvoiceFilter, invoice_pages
from mktui.cli.output import Output, to_json
from mktui.cli.paging import pages_ahead


def test_pages_ahead_keeps_one_request_in_flight_and_cancels_it_on_an_early_stop():
    in_flight, most, cancelled = 0, 0, []

    async def fetch(cursor):
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            await asyncio.sleep(0.001)
        except asyncio.CancelledError:
            cancelled.append(cursor)
            raise
        finally:
            in_flight -= 1
        n = int(cursor or 0)
        return SimpleNamespace(data=[n], next_cursor=str(n + 1) if n < 9 else None)

    async def take(limit):
        seen = []
        async for page in pages_ahead(fetch):
            seen += page.data
            if len(seen) == limit:
                break
        return seen

    assert asyncio.run(take(100)) == list(range(10))
    assert most == 1
    assert asyncio.run(take(3)) == [0, 1, 2]
    assert cancelled == ["3"]


INVOICE = {
    "number": "MK-1",
    "status": "paid",
    "period_start": "2026-10-01",
    "period_end": "2026-10-31",
    "issued_at": "2026-10-01T00:00:00-03:00",
    "due_date": "2026-10-01",
    "lines": [
        {"description": "Monthly plan", "quantity": 10, "unit_amount": 1290, "amount": 12900}
    ],
    "subtotal": 12900,
    "credit_applied": 0,
    "total": 12900,
    "amount_due": 0,
    "currency": "BRL",
    "attempts": 1,
    "paid_at": "2026-10-01T00:00:00-03:00",
    "paid_with": {"brand": "visa", "last4": "4242"},
}


def _export(pages: int, fmt: str) -> tuple[int, int]:
    """(rows written, peak traced bytes) of an --all export of ``pages`` pages of 200."""

    def answer(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("cursor") or 0)
        data = [{**INVOICE, "id": f"inv_{n}_{i}"} for i in range(200)]
        return httpx.Response(
            200, json={"data": data, "next_cursor": str(n + 1) if n + 1 < pages else None}
        )

    async def go():
        client = BillingClient(
            "https://billing.example.com",
            transport=httpx.MockTransport(answer),
            tokens=TokenHolder("at", "rt"),
        )
        out = Output(fmt, out=_Sink(), plain=True)
        ctx = SimpleNamespace(client=client, note=lambda text: None)
        async with client:
            tracemalloc.start()
            count = await out.rows(
                invoice_pages(ctx, InvoiceFilter(), limit=None),
                COLUMNS,
                json_row=to_json,
                csv_columns=CSV_COLUMNS,
                empty="none",
            )
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return count, peak

    return asyncio.run(go())


class _Sink(io.TextIOBase):
    """Counts what is written and keeps none of it (like a pipe to another program)."""

    def write(self, text: str) -> int:
        return len(text)


def test_an_export_holds_a_page_at_a_time_whatever_the_number_of_rows():
    for fmt in ("csv", "json"):
        small_rows, small_peak = _export(3, fmt)
        big_rows, big_peak = _export(30, fmt)
        assert (small_rows, big_rows) == (600, 6_000)
        # Ten times the rows, about the same memory: nothing accumulates.
        assert big_peak < 1.5 * small_peak, (fmt, small_peak, big_peak)


def test_the_json_of_a_streamed_list_is_one_valid_array():
    out = io.StringIO()

    async def pages():
        yield [{"a": 1}]
        yield []
        yield [{"a": 2}, {"a": 3}]

    asyncio.run(
        Output("json", out=out).rows(pages(), (), json_row=lambda r: r, csv_columns=(), empty="")
    )
    assert json.loads(out.getvalue()) == [{"a": 1}, {"a": 2}, {"a": 3}]
