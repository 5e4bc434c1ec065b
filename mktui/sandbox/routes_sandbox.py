"""The test clock: GET and POST /sandbox/clock (sandbox only, not part of /v1)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mktui.api.models import Clock, ClockRequest
from mktui.sandbox import clock
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
