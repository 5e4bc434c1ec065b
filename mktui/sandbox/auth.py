"""Passwords (scrypt), bearer tokens with refresh rotation, and the auth dependency.

Only SHA-256 digests of tokens are stored, so a copy of the database holds no
usable token. Access tokens expire after ``ACCESS_TTL`` seconds of wall time
(not the test clock: moving the clock a month must not sign everybody out).
A refresh token works once; presenting a used one again revokes its whole
family (the signs of a stolen token), and the admin signs in again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mktui.sandbox.errors import ApiFailure

ACCESS_TTL = 3600
REFRESH_TTL = 30 * 24 * 3600
SANDBOX_SCRYPT_N = 2**11
"""The scrypt cost of the sandbox's demo accounts (about 4 ms a check).

Their one password is the published word "sandbox", so a high cost protects
nothing; every ``--sandbox`` launch signs in, so it is felt at every start.
Hashes are still salted scrypt (never plain); each stored hash names its own
``n``, ``r`` and ``p``, so databases seeded with another cost keep verifying.
"""


def hash_password(password: str, *, n: int = SANDBOX_SCRYPT_N, r: int = 8, p: int = 1) -> str:
    """A salted scrypt hash of ``password``: ``scrypt$n$r$p$salt$digest`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, n=n, r=r, p=p)
    return "$".join(
        [
            "scrypt",
            str(n),
            str(r),
            str(p),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            dklen=len(expected),
            n=int(n),
            r=int(r),
            p=int(p),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Checked against when the email is unknown, so both paths cost one scrypt at the seeded
# cost. A constant (of a random password nobody kept) rather than hashed at import: that
# cost 40 ms of every start. It never signs anybody in: the account row is missing too.
_DUMMY_HASH = (
    "scrypt$2048$8$1$0b/Nk5rMokUn1P+nGC9x4w==$V/4fstLd3GL2dDJRUWBwNRzfuuLNINf6JQAVXD+lFQE="
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(
    conn: sqlite3.Connection,
    account_id: str,
    *,
    wall: float,
    ttl: int = ACCESS_TTL,
    family: str | None = None,
) -> dict[str, object]:
    """Create an access and a refresh token for ``account_id``; the token response body."""
    family = family or secrets.token_hex(8)
    access = "at_" + secrets.token_urlsafe(32)
    refresh = "rt_" + secrets.token_urlsafe(32)
    conn.executemany(
        "INSERT INTO tokens (token_hash, account_id, kind, family, expires_at) VALUES (?, ?, ?, ?, ?)",
        [
            (_digest(access), account_id, "access", family, wall + ttl),
            (_digest(refresh), account_id, "refresh", family, wall + REFRESH_TTL),
        ],
    )
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "bearer",
        "expires_in": ttl,
    }


def sign_in(
    conn: sqlite3.Connection, email: str, password: str, *, wall: float, ttl: int
) -> dict[str, object]:
    """Check the credentials and issue tokens; 401 ``unauthenticated`` when they are wrong."""
    row = conn.execute(
        "SELECT id, password_hash FROM accounts WHERE email = ?", (email.strip().lower(),)
    ).fetchone()
    ok = verify_password(password, row["password_hash"] if row else _DUMMY_HASH)
    if row is None or not ok:
        raise ApiFailure(
            401, "unauthenticated", "The email or password is wrong; check both and sign in again."
        )
    return issue_tokens(conn, row["id"], wall=wall, ttl=ttl)


def rotate(
    conn: sqlite3.Connection, refresh_token: str, *, wall: float, ttl: int
) -> dict[str, object]:
    """Exchange a refresh token for new tokens; the old refresh token stops working."""
    row = conn.execute(
        "SELECT account_id, family, expires_at, revoked FROM tokens WHERE token_hash = ? AND kind = 'refresh'",
        (_digest(refresh_token),),
    ).fetchone()
    refused = ApiFailure(
        401,
        "unauthenticated",
        "This session has ended; sign in again with your email and password.",
    )
    if row is None:
        raise refused
    if row["revoked"]:
        # A used refresh token came back: someone may hold a copy. End the whole session.
        conn.execute("UPDATE tokens SET revoked = 1 WHERE family = ?", (row["family"],))
        raise refused
    if row["expires_at"] <= wall:
        raise refused
    conn.execute("UPDATE tokens SET revoked = 1 WHERE token_hash = ?", (_digest(refresh_token),))
    return issue_tokens(conn, row["account_id"], wall=wall, ttl=ttl, family=row["family"])


@dataclass(frozen=True)
class Caller:
    """The account a request acts for, and the token digest (rate limiting key)."""

    account_id: str
    token_key: str


def authenticate(conn: sqlite3.Connection, header: str | None, *, wall: float) -> Caller:
    """The caller of a request from its ``Authorization`` header, or 401."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiFailure(
            401, "unauthenticated", "Sign in first: this request needs a bearer access token."
        )
    digest = _digest(token.strip())
    row = conn.execute(
        "SELECT account_id, expires_at, revoked FROM tokens WHERE token_hash = ? AND kind = 'access'",
        (digest,),
    ).fetchone()
    if row is None or row["revoked"]:
        raise ApiFailure(401, "unauthenticated", "This access token is not valid; sign in again.")
    if row["expires_at"] <= wall:
        raise ApiFailure(
            401, "token_expired", "The access token has expired; refresh it or sign in again."
        )
    return Caller(row["account_id"], digest)


# Declares the bearer scheme in the OpenAPI document; the header is checked below.
_bearer = HTTPBearer(auto_error=False, description="The access token from POST /v1/auth/token")


def caller(
    request: Request, _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    """FastAPI dependency: the authenticated caller, rate limited per token."""
    state = request.app.state
    wall: Callable[[], float] = state.wall_clock
    with state.store.read() as conn:
        who = authenticate(conn, request.headers.get("authorization"), wall=wall())
    state.rate_limiter.check(who.token_key)
    return who
