"""POST /v1/auth/token, /v1/auth/refresh and /v1/auth/revoke."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from mktui.api.models import RefreshRequest, RevokeRequest, TokenRequest, TokenResponse
from mktui.sandbox import auth
from mktui.sandbox.errors import ApiFailure
from mktui.sandbox.routing import errors, limit_by_address

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/token", response_model=TokenResponse, responses=errors())
def token(body: TokenRequest, request: Request) -> JSONResponse:
    """Sign in with email and password: an access token and a refresh token."""
    limit_by_address(request)
    state = request.app.state
    guard = state.signin_guard
    guard.check(body.email)
    try:
        with state.store.write() as conn:
            tokens = auth.sign_in(
                conn,
                body.email,
                body.password.get_secret_value(),
                wall=state.wall_clock(),
                ttl=state.access_ttl,
            )
    except ApiFailure as failure:
        if failure.status == 401:
            guard.failed(body.email)
        raise
    guard.succeeded(body.email)
    return JSONResponse(tokens, headers={"Cache-Control": "no-store"})


@router.post("/refresh", response_model=TokenResponse, responses=errors())
def refresh(body: RefreshRequest, request: Request) -> JSONResponse:
    """A new token pair for a refresh token; the old refresh token stops working."""
    limit_by_address(request)
    state = request.app.state
    with state.store.write() as conn:
        try:
            tokens = auth.rotate(
                conn,
                body.refresh_token.get_secret_value(),
                wall=state.wall_clock(),
                ttl=state.access_ttl,
            )
        except ApiFailure as failure:
            if failure.status != 401:
                raise
            # Commit the family revocation a reused token triggers, then refuse.
            failed = failure
        else:
            failed = None
    if failed is not None:
        raise failed
    return JSONResponse(tokens, headers={"Cache-Control": "no-store"})


@router.post("/revoke", status_code=204, responses=errors())
def revoke(body: RevokeRequest, request: Request) -> Response:
    """Sign out on the server: the session of this refresh token (and its access tokens) ends.

    Answers 204 for an unknown or already revoked token as well: signed out is signed out.
    """
    limit_by_address(request)
    state = request.app.state
    with state.store.write() as conn:
        auth.revoke(conn, body.refresh_token.get_secret_value())
    return Response(status_code=204)
