"""Passwords (scrypt), bearer tokens with refresh rotation, and the auth dependency.

Only SHA-256 digests of tokens are stored, so a copy of the database holds no
usable token. Access tokens expire after ``ACCESS_TTL`` seconds of wall time
(not the test clock: moving the clock a month must not sign everybody out).
A refresh token works once. Presented again within ``REUSE_WINDOW`` seconds
of its rotation it answers the same new pair (two consoles on one profile
refreshing together); later, a used one revokes its whole family (the signs
of a stolen token), and the admin signs in again. The pair handed out at a
rotation is kept for that window only encrypted under a key derived from the
old refresh token, so the database alone still holds no usable token.
Expired tokens are purged at every sign-in and refresh.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
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
REUSE_WINDOW = 60
"""Seconds after a rotation during which the old refresh token answers the same new pair."""
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


def _keystream(refresh_token: str, size: int) -> bytes:
    # SHAKE-256 as a one-time stream cipher: the key (the old refresh token, which only the
    # console that held it knows) encrypts exactly one pair, so the stream is never reused.
    return hashlib.shake_256(b"mktui-successor\x00" + refresh_token.encode()).digest(size)


def _seal(refresh_token: str, pair: dict[str, object]) -> bytes:
    plain = json.dumps(pair, separators=(",", ":")).encode()
    return bytes(a ^ b for a, b in zip(plain, _keystream(refresh_token, len(plain)), strict=True))


def _unseal(refresh_token: str, sealed: bytes) -> dict[str, object]:
    plain = bytes(
        a ^ b for a, b in zip(sealed, _keystream(refresh_token, len(sealed)), strict=True)
    )
    return json.loads(plain)


def purge_expired(conn: sqlite3.Connection, *, wall: float) -> int:
    """Delete tokens past their expiry (a refused token needs no row); the number deleted."""
    return conn.execute("DELETE FROM tokens WHERE expires_at <= ?", (wall,)).rowcount


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
    purge_expired(conn, wall=wall)
    return issue_tokens(conn, row["id"], wall=wall, ttl=ttl)


def rotate(
    conn: sqlite3.Connection, refresh_token: str, *, wall: float, ttl: int
) -> dict[str, object]:
    """Exchange a refresh token for new tokens; the old refresh token stops working.

    Within ``REUSE_WINDOW`` seconds of its rotation the old token answers the
    same new pair again; after that, its reuse revokes the whole family.
    """
    digest = _digest(refresh_token)
    row = conn.execute(
        "SELECT account_id, family, expires_at, revoked, rotated_at, successor FROM tokens "
        "WHERE token_hash = ? AND kind = 'refresh'",
        (digest,),
    ).fetchone()
    refused = ApiFailure(
        401,
        "unauthenticated",
        "This session has ended; sign in again with your email and password.",
    )
    if row is None:
        raise refused
    if row["revoked"]:
        rotated_at = row["rotated_at"]
        in_window = rotated_at is not None and 0 <= wall - rotated_at <= REUSE_WINDOW
        if in_window and row["successor"] is not None and _family_alive(conn, row["family"]):
            # Another console of the same profile rotated it a moment ago: same answer again.
            return _unseal(refresh_token, row["successor"])
        # A used refresh token came back: someone may hold a copy. End the whole session.
        revoke_family(conn, row["family"])
        raise refused
    if row["expires_at"] <= wall:
        raise refused
    purge_expired(conn, wall=wall)
    pair = issue_tokens(conn, row["account_id"], wall=wall, ttl=ttl, family=row["family"])
    conn.execute(
        "UPDATE tokens SET revoked = 1, rotated_at = ?, successor = ? WHERE token_hash = ?",
        (wall, _seal(refresh_token, pair), digest),
    )
    # Only the latest rotation is answered again: older sealed pairs are dropped.
    conn.execute(
        "UPDATE tokens SET successor = NULL WHERE family = ? AND token_hash != ? "
        "AND successor IS NOT NULL AND rotated_at < ?",
        (row["family"], digest, wall - REUSE_WINDOW),
    )
    return pair


def _family_alive(conn: sqlite3.Connection, family: str) -> bool:
    # A family revoked by sign-out or by a detected reuse stays revoked.
    return (
        conn.execute(
            "SELECT 1 FROM tokens WHERE family = ? AND kind = 'refresh' AND revoked = 0 LIMIT 1",
            (family,),
        ).fetchone()
        is not None
    )


def revoke_family(conn: sqlite3.Connection, family: str) -> None:
    """End a session: every token of the family stops working, sealed pairs are dropped."""
    conn.execute("UPDATE tokens SET revoked = 1, successor = NULL WHERE family = ?", (family,))


def revoke(conn: sqlite3.Connection, refresh_token: str) -> None:
    """Sign out on the server: revoke the session (family) of ``refresh_token``.

    An unknown or already revoked token is not an error: signed out is signed out.
    """
    row = conn.execute(
        "SELECT family FROM tokens WHERE token_hash = ? AND kind = 'refresh'",
        (_digest(refresh_token),),
    ).fetchone()
    if row is not None:
        revoke_family(conn, row["family"])


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
