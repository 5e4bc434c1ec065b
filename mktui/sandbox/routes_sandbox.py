"""Sandbox-only routes, not part of /v1: the test clock and the payer's bank for Pix."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import JSONResponse

from mktui.api.models import Clock, ClockRequest, PixCharge
from mktui.sandbox import clock, pix
from mktui.sandbox.errors import ApiFailure
from mktui.sandbox.routing import errors, limit_by_address


def sandbox_guard(
    request: Request,
    token: Annotated[
        str | None,
        Header(
            alias="X-Sandbox-Token",
            max_length=200,
            description="Required when the sandbox is served with --public (printed at start).",
        ),
    ] = None,
) -> None:
    """Refuse ``/sandbox/*`` without the start-up token when the sandbox is public.

    Moving the clock runs renewals and suspensions for every account, and the
    Pix bank pays invoices: on a sandbox others can reach, only whoever
    started it may do that.
    """
    limit_by_address(request)
    expected: str | None = request.app.state.sandbox_token
    if expected is None:
        return
    if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise ApiFailure(
            401,
            "unauthenticated",
            "This sandbox is public: the test clock needs the X-Sandbox-Token header "
            "printed by `mktui sandbox serve` when it started.",
            field="X-Sandbox-Token",
        )


router = APIRouter(prefix="/sandbox", tags=["sandbox"], dependencies=[Depends(sandbox_guard)])


@router.get("/clock", response_model=Clock, responses=errors())
def get_clock(request: Request) -> JSONResponse:
    """The test clock's current time."""
    with request.app.state.store.read() as conn:
        return JSONResponse({"now": clock.now(conn).isoformat()})


@router.post("/clock", response_model=Clock, responses=errors())
def set_clock(body: ClockRequest, request: Request) -> JSONResponse:
    """Move the clock forward, running every renewal and suspension on the way."""
    with request.app.state.store.write() as conn:
        now = clock.advance(conn, body.now)
    return JSONResponse({"now": now.isoformat()})


TxidPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,35}$", description="the Pix txid")]


@router.post("/pix/{txid}/pay", response_model=PixCharge, responses=errors(409))
def pay_pix(txid: TxidPath, request: Request) -> JSONResponse:
    """The payer's bank pays a live Pix: its invoice is paid, as a card payment would pay it.

    409 ``pix_expired`` after its 30 minutes, ``pix_not_payable`` when it or its
    invoice is already paid. Rate limited and, on a public sandbox, guarded like the clock.
    """
    with request.app.state.store.write() as conn:
        return JSONResponse(pix.pay(conn, txid, clock.now(conn)))
