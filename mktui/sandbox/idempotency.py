"""Idempotency-Key storage and replay, inside the same transaction as the effect.

The lookup, the effect and the stored answer share one ``BEGIN IMMEDIATE``
transaction, so twenty concurrent requests with one key see exactly one
effect: the first runs it, the others wait for the write lock and replay.
Keys are scoped per account and kept 24 hours (wall time). Answers that had an
effect or a recorded attempt (2xx and 402) are stored; refusals that changed
nothing (422, 409 price_changed…) are not, so the same key can be tried again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse, Response

from mktui.sandbox.errors import ApiFailure
from mktui.sandbox.store import Store

WINDOW = 24 * 3600
HEADER = "Idempotency-Key"

Action = Callable[[sqlite3.Connection], tuple[int, Any]]

RequiredKey = Annotated[
    str,
    Header(
        alias=HEADER, min_length=1, max_length=255, description="One key per intent (1–255 chars)."
    ),
]
OptionalKey = Annotated[
    str | None,
    Header(alias=HEADER, min_length=1, max_length=255, description="Optional: makes a retry safe."),
]


def fingerprint(method: str, path: str, body: Any) -> str:
    """A digest of what the request asks for: same key with another fingerprint is a conflict."""
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _response(status: int, body: Any, *, replayed: bool) -> Response:
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    if body is None:
        return Response(status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


def execute(
    store: Store,
    account_id: str,
    key: str | None,
    print_: str,
    action: Action,
    *,
    wall: float,
) -> Response:
    """Run ``action`` once per (account, key): replay the stored answer on a repeat.

    ``action(conn)`` returns ``(status, json_body_or_None)`` or raises
    :class:`ApiFailure`, which rolls its writes back and stores nothing.
    """
    with store.write() as conn:
        if key is not None:
            conn.execute(
                "DELETE FROM idempotency WHERE account_id = ? AND key = ? AND created_at <= ?",
                (account_id, key, wall - WINDOW),
            )
            row = conn.execute(
                "SELECT fingerprint, status, body FROM idempotency WHERE account_id = ? AND key = ?",
                (account_id, key),
            ).fetchone()
            if row is not None:
                if row["fingerprint"] != print_:
                    raise ApiFailure(
                        409,
                        "idempotency_conflict",
                        "This Idempotency-Key was already used for a different request; "
                        "use a new key for a new payment or change.",
                        field=HEADER,
                    )
                return _response(row["status"], json.loads(row["body"]), replayed=True)
        status, body = action(conn)
        if key is not None and (200 <= status < 300 or status == 402):
            conn.execute(
                "INSERT INTO idempotency (account_id, key, fingerprint, status, body, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (account_id, key, print_, status, json.dumps(body), wall),
            )
    return _response(status, body, replayed=False)
