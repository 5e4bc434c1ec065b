"""The sandbox billing server: ``create_app(db_path)`` builds the FastAPI app.

Every answer that is not a success has the contract's one error shape,
``{"error": {"code", "message", "field"}}``: our own failures, FastAPI's
validation errors (422 naming the field; malformed JSON is 400), unknown
routes (404), bodies over 64 KiB (413) and any bug (500, without internals).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from mktui.sandbox import auth, seed
from mktui.sandbox.errors import ApiFailure
from mktui.sandbox.middleware import BodyLimit
from mktui.sandbox.ratelimit import RateLimiter
from mktui.sandbox.routing import add_error_schemas, known_query_only
from mktui.sandbox.signin_limit import SignInGuard
from mktui.sandbox.store import Store

log = logging.getLogger("mktui.sandbox")

DEFAULT_RATE_LIMIT = 1200
"""Requests per minute per access token (and per client address for sign-in)."""

_LOCATIONS = {"body", "query", "header", "path", "cookie"}


def _printable(text: str | None) -> str | None:
    """``text`` safe to encode and show: lone surrogates and control characters become "?".

    Error answers may quote a field name the client sent (an unknown key); one
    holding "\\ud800" cannot be encoded as UTF-8 and would turn a 422 into a 500.
    """
    if text is None:
        return None
    return "".join(
        "?" if "\ud800" <= ch <= "\udfff" or ord(ch) < 32 or ord(ch) == 127 else ch for ch in text
    )


def _error(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
) -> JSONResponse:
    error = {"code": code, "message": _printable(message), "field": _printable(field)}
    body = {"error": error | (extra or {})}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str | None:
    """The offending field from a pydantic error location: ("body", "devices") → "devices"."""
    parts = list(loc[1:] if loc and loc[0] in _LOCATIONS else loc)
    return ".".join(str(p) for p in parts) or None


async def _on_failure(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiFailure)
    return _error(exc.status, exc.code, exc.message, exc.field, exc.headers, exc.extra)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid", "type": ""}
    if first.get("type") == "json_invalid":
        return _error(400, "malformed", "The request body is not valid JSON; send a JSON object.")
    loc = tuple(first.get("loc", ()))
    field = _field(loc)
    if field is None:
        message = "The request body must be a JSON object with the documented fields."
        return _error(422, "validation_error", message)
    if first.get("type") == "missing":
        message = f"{field} is required; add it and try again."
    else:
        reason = str(first.get("msg", "is invalid")).removeprefix("Value error, ")
        message = f"{field}: {reason[:1].lower()}{reason[1:]}. Correct it and try again."
    return _error(422, "validation_error", message, field)


def _allowed(request: Request) -> str:
    """Every method any route serves on this path (Starlette lists only the first route's)."""
    # app.routes holds FastAPI's wrappers of the included routers, not their APIRoutes:
    # create_app keeps the routes it included.
    methods = {
        method
        for route in request.app.state.api_routes
        if isinstance(route, APIRoute) and route.path_regex.match(request.url.path)
        for method in route.methods
    }
    return ", ".join(sorted(methods - {"HEAD"}))


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return _error(
            404,
            "not_found",
            f"There is no {request.method} {request.url.path} endpoint; "
            "see docs/openapi.json for the API.",
        )
    if exc.status_code == 405:
        return _error(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.url.path}.",
            headers={"Allow": _allowed(request)},
        )
    if exc.status_code == 413:
        return _error(
            413, "payload_too_large", "The request body is larger than 64 KiB; send a smaller one."
        )
    if exc.status_code == 400:
        return _error(400, "malformed", "The request body could not be read; send a JSON object.")
    return _error(exc.status_code, "error", "The request could not be handled.")


async def _on_crash(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the server log only: the client never sees internals.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error(
        500,
        "internal_error",
        "The sandbox hit an unexpected error; try again, and report it if it keeps happening.",
    )


def _documented(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """``app.openapi`` with the error answers' shared schema added (see ``routing.errors``)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_schemas(FastAPI.openapi(app))
        return app.openapi_schema

    return openapi


def create_app(
    db_path: Path | str,
    *,
    now: datetime | None = None,
    access_ttl: int = auth.ACCESS_TTL,
    rate_limit: int | None = DEFAULT_RATE_LIMIT,
    wall_clock: Callable[[], float] = time.time,
    sandbox_token: str | None = None,
) -> FastAPI:
    """The sandbox app on the SQLite file ``db_path`` (created and seeded on first use).

    ``now`` pins the test clock of a fresh database (default: the real current
    time); an existing database keeps its own clock. ``access_ttl`` (seconds),
    ``rate_limit`` (requests per minute per token, None for no limit) and
    ``wall_clock`` (token expiry and rate windows) are there for tests.
    ``sandbox_token``, when given, is required (header ``X-Sandbox-Token``) by
    every ``/sandbox/*`` route: a sandbox served beyond loopback.
    """
    from mktui.sandbox import (
        routes_account,
        routes_auth,
        routes_invoices,
        routes_methods,
        routes_sandbox,
    )

    store = Store(db_path)
    seed.ensure_seeded(store, now or datetime.now(UTC))
    app = FastAPI(
        title="MKController billing API (mktui sandbox)",
        version="1.0.0",
        description="The billing contract mktui speaks; served by `mktui sandbox serve`.",
        dependencies=[Depends(known_query_only)],
    )
    app.state.store = store
    app.state.access_ttl = access_ttl
    app.state.sandbox_token = sandbox_token
    app.state.wall_clock = wall_clock
    app.state.rate_limiter = RateLimiter(rate_limit, wall=wall_clock)
    app.state.signin_guard = SignInGuard(wall=wall_clock)
    # FastAPI builds an included router's routes lazily, when a request is first matched
    # against it: the hub's start-up GETs come first, so the console's first requests
    # build those few routes, not all of them (~20 ms of a `mktui --sandbox` start).
    routers = [routes_auth.router, routes_account.hub, routes_methods.hub, routes_invoices.hub]
    routers += [routes_account.router, routes_methods.router, routes_invoices.router]
    routers.append(routes_sandbox.router)
    for router in routers:
        app.include_router(router)
    app.state.api_routes = [route for router in routers for route in router.routes]
    app.openapi = _documented(app)  # type: ignore[method-assign]
    app.add_exception_handler(ApiFailure, _on_failure)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_crash)
    app.add_middleware(BodyLimit)
    return app
