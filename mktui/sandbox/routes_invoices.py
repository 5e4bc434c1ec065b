"""Invoices (list, read, pay, receipt) and the credit ledger."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from mktui.api.models import Invoice, InvoicePage, LedgerPage, PayRequest, PixCharge
from mktui.sandbox import billing, clock, invoices, nfse, pix
from mktui.sandbox.errors import conflict, invalid
from mktui.sandbox.idempotency import RequiredKey
from mktui.sandbox.routing import CallerDep, Cursor, Limit, decode_cursor, errors, mutate, page
from mktui.sandbox.views import invoice_view, ledger_view

router = APIRouter(prefix="/v1", tags=["invoices"])

hub = APIRouter(prefix="/v1", tags=["invoices"])
"""The GET routes the Financial hub calls at start-up: included first (see ``create_app``)."""
InvoiceId = Annotated[str, Path(min_length=1, max_length=64)]
StatusFilter = Annotated[Literal["open", "past_due", "paid", "void"] | None, Query()]
NumberPrefix = Annotated[
    str | None,
    Query(max_length=40, description="invoice number, prefix match (MK-0001 finds MK-000123)"),
]
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # strict: pydantic's lax date would take 0 as 1970-01-01
IssuedFrom = Annotated[
    str | None,
    Query(
        alias="from",
        pattern=_DAY,
        description="issued on or after this date (inclusive, YYYY-MM-DD)",
        json_schema_extra={"format": "date"},
    ),
]
IssuedTo = Annotated[
    str | None,
    Query(
        pattern=_DAY,
        description="issued on or before this date (inclusive, YYYY-MM-DD)",
        json_schema_extra={"format": "date"},
    ),
]


def _day(raw: str | None, field: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid(field, f"{raw} is not a date of the calendar (YYYY-MM-DD).") from None


@hub.get("/invoices", response_model=InvoicePage, responses=errors())
def list_invoices(
    request: Request,
    who: CallerDep,
    status: StatusFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    q: NumberPrefix = None,
    from_: IssuedFrom = None,
    to: IssuedTo = None,
) -> JSONResponse:
    """Invoices newest first, optionally of one status, a number prefix and an issue-date range."""
    first, last = _day(from_, "from"), _day(to, "to")
    if first is not None and last is not None and first > last:
        raise invalid("from", "The first issue date is after the last one; no invoice can match.")
    after = decode_cursor("invoices", cursor)
    filters = {"status": status, "q": q, "from_": first, "to": last, "after": after}
    with request.app.state.store.read() as conn:
        broad = is_broad(conn, who.account_id, **filters)
        sql, args = invoice_query(who.account_id, **filters, limit=limit, broad=broad)
        rows = conn.execute(sql, args).fetchall()
    return JSONResponse(page(rows, limit, "invoices", invoice_view))


BROAD = 2000
"""A number or date range holding at least this many invoices is walked in list order instead."""


def is_broad(
    conn: sqlite3.Connection,
    account_id: str,
    *,
    status: str | None = None,
    q: str | None = None,
    from_: date | None = None,
    to: date | None = None,
    after: int | None = None,
) -> bool:
    """True when the number/date range holds BROAD invoices or more (counted up to BROAD only).

    A narrow range is best sorted from its own index; a broad one (``MK-``,
    every date since 2000) is best found walking the list's own order, where
    the page's rows come first: each costs a bounded number of index steps.
    """
    if not (q and q.strip()) and from_ is None and to is None:
        return False
    sql, args = invoice_query(
        account_id, status=status, q=q, from_=from_, to=to, after=after, limit=BROAD
    )
    # The same range, unsorted: at most BROAD + 1 index steps whatever the account's size.
    inner = sql[sql.index("SELECT seq FROM") : sql.index(" ORDER BY seq DESC LIMIT ?)")]
    count = conn.execute(
        f"SELECT count(*) FROM ({inner} LIMIT ?)",  # noqa: S608 - fixed SQL, values bound
        [*args[:-1], BROAD + 1],
    ).fetchone()[0]
    return count > BROAD


def invoice_query(
    account_id: str,
    *,
    status: str | None = None,
    q: str | None = None,
    from_: date | None = None,
    to: date | None = None,
    after: int | None = None,
    limit: int = 50,
    broad: bool = False,
) -> tuple[str, list[object]]:
    """The SQL of one invoices page and its arguments, each filter served by its index.

    A number prefix is a range on ``invoices_number`` and issue dates a range on
    ``invoices_issued`` (both also hold status and seq, so the rows are picked
    from the index alone and only the page's rows are read from the table);
    a status alone walks ``invoices_status`` in seq order. ``broad`` (see
    :func:`is_broad`): the range is checked while walking the list's order
    (``invoices_status`` or ``invoices_account``) instead. ``issued_at`` is
    stored in the account's billing time zone, so a date compares as its prefix.
    """
    where = ["account_id = ?"]
    args: list[object] = [account_id]
    index = "invoices_status" if status is not None else "invoices_account"
    if q is not None:
        prefix = q.strip().upper()
        if prefix:
            index = "invoices_number"
            where.append("number >= ? AND number < ?")
            args += [prefix, prefix + "\U0010ffff"]
    if from_ is not None or to is not None:
        if index != "invoices_number":
            index = "invoices_issued"
        if from_ is not None:
            where.append("issued_at >= ?")
            args.append(from_.isoformat())
        if to is not None:
            where.append("issued_at < ?")
            args.append((to + timedelta(days=1)).isoformat())
    if status is not None:
        where.append("status = ?")
        args.append(status)
    if after is not None:
        where.append("seq < ?")
        args.append(after)
    if broad:
        index = "invoices_status" if status is not None else "invoices_account"
    # Pick the seqs from the index (a top-N sort over the index entries in range), then
    # read only those rows: the table is never scanned.
    sql = (
        "SELECT * FROM invoices WHERE seq IN ("  # noqa: S608 - fixed SQL, values bound
        f"SELECT seq FROM invoices INDEXED BY {index} WHERE {' AND '.join(where)} "
        "ORDER BY seq DESC LIMIT ?) ORDER BY seq DESC"
    )
    args.append(limit + 1)
    return sql, args


@router.get("/invoices/{invoice_id}", response_model=Invoice, responses=errors())
def get_invoice(invoice_id: InvoiceId, request: Request, who: CallerDep) -> JSONResponse:
    """One invoice with its lines, totals, attempts and last failure."""
    with request.app.state.store.read() as conn:
        return JSONResponse(invoice_view(invoices.get(conn, who.account_id, invoice_id)))


@router.post("/invoices/{invoice_id}/pay", response_model=Invoice, responses=errors(402, 409))
def pay_invoice(
    invoice_id: InvoiceId,
    request: Request,
    who: CallerDep,
    key: RequiredKey,
    body: PayRequest | None = None,
) -> Response:
    """Pay an open or past-due invoice with a saved card (the default one when none is named)."""
    pm_id = body.payment_method_id if body else None

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        now = clock.now(conn)
        today = billing.today_of(billing.account(conn, who.account_id), now)
        return invoices.pay(conn, who.account_id, invoice_id, pm_id, at=now, today=today)

    return mutate(request, who, key, {"payment_method_id": pm_id}, action)


@router.get(
    "/invoices/{invoice_id}/receipt",
    response_class=Response,
    responses={
        **errors(409),
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The receipt PDF",
        },
    },
)
def receipt(invoice_id: InvoiceId, request: Request, who: CallerDep) -> Response:
    """The receipt PDF of a paid invoice; 409 ``receipt_unavailable`` otherwise."""
    from mktui.sandbox import receipts

    with request.app.state.store.read() as conn:
        invoice = invoices.get(conn, who.account_id, invoice_id)
        if invoice["status"] != "paid":
            raise conflict(
                "receipt_unavailable",
                f"Invoice {invoice['number']} is {invoice['status'].replace('_', ' ')}; "
                "a receipt exists once it is paid.",
            )
        acct = billing.account(conn, who.account_id)
        pdf = receipts.render(invoice, acct)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice["number"]}.pdf"'},
    )


@router.post("/invoices/{invoice_id}/pix", response_model=PixCharge, responses=errors(409))
def pix_charge(
    invoice_id: InvoiceId, request: Request, who: CallerDep, key: RequiredKey
) -> Response:
    """A Pix charge for the amount due of a BRL invoice (the live one when asked again).

    409 ``pix_unavailable`` for an invoice in another currency, ``invoice_not_payable``
    when it is paid or void. The charge can be paid for 30 minutes.
    """

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        return 200, pix.create(conn, who.account_id, invoice_id, clock.now(conn))

    return mutate(request, who, key, {}, action)


_DOCUMENTS = {
    "pdf": ("application/pdf", nfse.render_pdf),
    "xml": ("application/xml", nfse.render_xml),
}


@router.get(
    "/invoices/{invoice_id}/nfse",
    response_class=Response,
    responses={
        **errors(409),
        200: {
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "application/xml": {"schema": {"type": "string"}},
            },
            "description": "The NFS-e as a PDF (DANFSe) or as the national standard's XML",
        },
    },
)
def nfse_document(
    invoice_id: InvoiceId,
    request: Request,
    who: CallerDep,
    format: Annotated[Literal["pdf", "xml"], Query(description="pdf or xml")] = "pdf",  # noqa: A002
) -> Response:
    """The NFS-e of a paid BRL invoice; 409 ``nfse_unavailable`` when it has none."""
    media_type, render = _DOCUMENTS[format]
    with request.app.state.store.read() as conn:
        invoice = invoices.get(conn, who.account_id, invoice_id)
        nfse.require(invoice)
        body = render(invoice, billing.account(conn, who.account_id))
    name = f"NFSe-{invoice['nfse_number']}-{invoice['number']}.{format}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/invoices/{invoice_id}/pdf",
    response_class=Response,
    responses={
        **errors(),
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The invoice PDF",
        },
    },
)
def invoice_pdf(invoice_id: InvoiceId, request: Request, who: CallerDep) -> Response:
    """The invoice as a PDF in any state: an open one states the amount due and the due date."""
    from mktui.sandbox import receipts

    with request.app.state.store.read() as conn:
        invoice = invoices.get(conn, who.account_id, invoice_id)
        pdf = receipts.render_invoice(invoice, billing.account(conn, who.account_id))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice["number"]}-invoice.pdf"'},
    )


@router.get("/ledger", response_model=LedgerPage, responses=errors())
def ledger(
    request: Request, who: CallerDep, limit: Limit = 50, cursor: Cursor = None
) -> JSONResponse:
    """Charges, payments, credit grants and uses, newest first, with the credit balance after each."""
    after = decode_cursor("ledger", cursor)
    sql = "SELECT * FROM ledger WHERE account_id = ?"
    args: list[object] = [who.account_id]
    if after is not None:
        sql += " AND seq < ?"
        args.append(after)
    sql += " ORDER BY seq DESC LIMIT ?"
    args.append(limit + 1)
    with request.app.state.store.read() as conn:
        rows = conn.execute(sql, args).fetchall()
    return JSONResponse(page(rows, limit, "ledger", ledger_view))
