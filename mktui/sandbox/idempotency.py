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
import hmac
import json
import secrets
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


_KEY_META = "fingerprint_key"


def fingerprint_key(store: Store) -> bytes:
    """This sandbox's secret for keyed fingerprints, made on first use and kept in the database.

    Keyed, so a copy of the idempotency table cannot be checked against guessed card numbers.
    """
    with store.write() as conn:
        stored = store.get_meta(conn, _KEY_META)
        if stored is None:
            stored = secrets.token_hex(32)
            store.set_meta(conn, _KEY_META, stored)
    return bytes.fromhex(stored)


def app_fingerprint_key(state: Any) -> bytes:
    """The app's fingerprint key, read on the first attach (not at start-up: one write less)."""
    key = getattr(state, "fingerprint_key", None)
    if key is None:
        key = state.fingerprint_key = fingerprint_key(state.store)
    return key


def card_digest(key: bytes, number: str, exp_month: int, exp_year: int, cvc: str) -> str:
    """A keyed hash of the whole card (number, expiry, CVC) for an attach's fingerprint.

    Only the last four digits used to be fingerprinted, so a key reused for
    another card with the same last four replayed the first card.
    """
    digits = "".join(ch for ch in number if ch.isdigit())
    message = "\x00".join([digits, str(exp_month), str(exp_year), cvc]).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def purge_expired(conn: sqlite3.Connection, *, wall: float) -> int:
    """Delete stored answers older than ``WINDOW`` (an index on created_at); the number deleted."""
    return conn.execute("DELETE FROM idempotency WHERE created_at <= ?", (wall - WINDOW,)).rowcount


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
            # Every key past its 24 hours goes, not only this one: the table stays bounded.
            purge_expired(conn, wall=wall)
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
