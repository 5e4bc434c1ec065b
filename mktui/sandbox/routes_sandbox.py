"""Sandbox-only routes, not part of /v1: the test clock and the payer's bank for Pix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from mktui.api.models import Clock, ClockRequest, PixCharge
from mktui.sandbox import clock, pix
from mktui.sandbox.routing import errors, limit_by_address

router = APIRouter(prefix="/sandbox", tags=["sandbox"])


@router.get("/clock", response_model=Clock, responses=errors())
def get_clock(request: Request) -> JSONResponse:
    """The test clock's current time."""
    limit_by_address(request)
    with request.app.state.store.read() as conn:
        return JSONResponse({"now": clock.now(conn).isoformat()})


@router.post("/clock", response_model=Clock, responses=errors())
def set_clock(body: ClockRequest, request: Request) -> JSONResponse:
    """Move the clock forward, running every renewal and suspension on the way."""
    limit_by_address(request)
    with request.app.state.store.write() as conn:
        now = clock.advance(conn, body.now)
    return JSONResponse({"now": now.isoformat()})


TxidPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,35}$", description="the Pix txid")]


@router.post("/pix/{txid}/pay", response_model=PixCharge, responses=errors(409))
def pay_pix(txid: TxidPath, request: Request) -> JSONResponse:
    """The payer's bank pays a live Pix: its invoice is paid, as a card payment would pay it.

    409 ``pix_expired`` after its 30 minutes, ``pix_not_payable`` when it or its
    invoice is already paid.
    """
    limit_by_address(request)
    with request.app.state.store.write() as conn:
        return JSONResponse(pix.pay(conn, txid, clock.now(conn)))
