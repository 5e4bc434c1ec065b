"""What every route shares: declared error responses, the caller, cursors, the write helper."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from mktui.api.models import ErrorResponse
from mktui.sandbox import idempotency
from mktui.sandbox.auth import Caller, caller
from mktui.sandbox.errors import invalid

_DESCRIPTIONS = {
    400: "Malformed request (the body is not valid JSON)",
    401: "Not signed in, or the access token expired (`unauthenticated`, `token_expired`)",
    402: "The card charge failed (`card_declined`, `insufficient_funds`, `expired_card`, `processing_error`)",
    404: "No such resource on this account",
    409: "Conflicts with the current state or a used Idempotency-Key",
    413: "The body is larger than 64 KiB",
    422: "A field is invalid; `field` names it",
    429: "Too many requests; wait Retry-After seconds",
}


_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: the common error answers plus ``statuses``.

    The answers point at the one ``ErrorResponse`` schema (added by
    :func:`add_error_schemas`) instead of naming the model: FastAPI builds a
    validator for every model named in ``responses``, per route and status —
    about 150 of them, a third of building the app, for a document only.
    """
    wanted = sorted({400, 401, 404, 413, 422, 429, *statuses})
    out: dict[int | str, dict[str, Any]] = {}
    for status in wanted:
        entry: dict[str, Any] = {"description": _DESCRIPTIONS[status]}
        if status == 429:
            entry["headers"] = {
                "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}
            }
        entry["content"] = _ERROR_CONTENT
        out[status] = entry
    return out


def add_error_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Add ``ErrorResponse`` (and the schemas it refers to) to an OpenAPI ``document``."""
    schema = ErrorResponse.model_json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(schema.pop("$defs", {}))
    schemas["ErrorResponse"] = schema
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return document


CallerDep = Annotated[Caller, Depends(caller)]
Limit = Annotated[int, Query(ge=1, le=200, description="page size, 1..200")]
Cursor = Annotated[
    str | None, Query(max_length=200, description="next_cursor of the previous page")
]


def encode_cursor(kind: str, seq: int) -> str:
    """An opaque cursor pointing after the row ``seq`` of list ``kind``."""
    raw = json.dumps({"k": kind, "s": seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> int | None:
    """The row ``seq`` a cursor points after; 422 on ``cursor`` if it is not one of ours."""
    if cursor is None:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["k"] != kind or not isinstance(data["s"], int) or isinstance(data["s"], bool):
            raise ValueError
        return data["s"]
    except (ValueError, KeyError, TypeError):
        raise invalid(
            "cursor", "This cursor is not valid here; start again from the first page."
        ) from None


def page(rows: list[Any], limit: int, kind: str, view: Any) -> dict[str, Any]:
    """A page from up to ``limit + 1`` rows fetched newest first."""
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "data": [view(row) for row in rows],
        "next_cursor": encode_cursor(kind, rows[-1]["seq"]) if more and rows else None,
    }


def mutate(
    request: Request,
    who: Caller,
    key: str | None,
    body: Any,
    action: idempotency.Action,
) -> Response:
    """Run a mutating action in one write transaction, with Idempotency-Key replay."""
    state = request.app.state
    print_ = idempotency.fingerprint(request.method, request.url.path, body)
    return idempotency.execute(
        state.store, who.account_id, key, print_, action, wall=state.wall_clock()
    )


def known_query_only(request: Request) -> None:
    """App-wide dependency: a query parameter the route does not declare is a 422, not ignored.

    A mistyped ``?stauts=paid`` would otherwise silently list every invoice.
    """
    declared: set[str] = set()
    pending = [getattr(request.scope.get("route"), "dependant", None)]
    while pending:  # the route's own parameters and those of its dependencies
        dependant = pending.pop()
        if dependant is not None:
            declared.update(param.alias for param in dependant.query_params)
            pending.extend(dependant.dependencies)
    for name in request.query_params:
        if name not in declared:
            shown = name[:40] or "(empty)"
            raise invalid(name[:40] or None, f"Unknown query parameter {shown!r}; remove it.")


def limit_by_address(request: Request) -> None:
    """Rate limit a request that has no token yet (sign-in, refresh, clock) by client address."""
    host = request.client.host if request.client else "unknown"
    request.app.state.rate_limiter.check(f"ip:{host}")
