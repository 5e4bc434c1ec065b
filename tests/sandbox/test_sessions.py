"""Sessions (api.md, Additions): the 60 s reuse window, revoke, purging expired rows."""

from __future__ import annotations

import httpx
import pytest

from mktui.sandbox import auth
from mktui.sandbox.app import create_app
from tests.sandbox.helpers import assert_error, key


@pytest.fixture
def wall():
    return [1_000_000.0]


@pytest.fixture
async def timed(db_path, wall):
    """A client of an app whose wall clock (token expiry, reuse window) the test moves."""
    app = create_app(db_path, access_ttl=60, wall_clock=lambda: wall[0])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


async def _sign_in(client: httpx.AsyncClient) -> dict:
    r = await client.post(
        "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "sandbox"}
    )
    assert r.status_code == 200, r.text
    return r.json()


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/v1/auth/refresh", json={"refresh_token": token})


def _bearer(pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def test_a_refresh_token_reused_within_60_s_answers_the_same_new_pair(timed, wall):
    first = await _sign_in(timed)
    a = await _refresh(timed, first["refresh_token"])  # console A rotates
    wall[0] += 59
    b = await _refresh(timed, first["refresh_token"])  # console B, a moment later, same token
    assert a.status_code == b.status_code == 200, b.text
    assert b.json() == a.json()
    # Both consoles now hold a working session: nobody was signed out.
    assert (await timed.get("/v1/account", headers=_bearer(b.json()))).status_code == 200
    assert (await _refresh(timed, b.json()["refresh_token"])).status_code == 200


async def test_after_the_window_a_reused_token_revokes_the_family(timed, wall):
    first = await _sign_in(timed)
    second = (await _refresh(timed, first["refresh_token"])).json()
    wall[0] += 61
    assert_error(await _refresh(timed, first["refresh_token"]), 401, "unauthenticated")
    assert_error(await _refresh(timed, second["refresh_token"]), 401, "unauthenticated")
    r = await timed.get("/v1/account", headers=_bearer(second))
    assert_error(r, 401, "unauthenticated")


async def test_the_window_never_revives_a_signed_out_session(timed, wall):
    first = await _sign_in(timed)
    second = (await _refresh(timed, first["refresh_token"])).json()
    r = await timed.post("/v1/auth/revoke", json={"refresh_token": second["refresh_token"]})
    assert r.status_code == 204
    wall[0] += 5
    assert_error(await _refresh(timed, first["refresh_token"]), 401, "unauthenticated")


async def test_the_successor_pair_is_stored_only_sealed(timed):
    first = await _sign_in(timed)
    second = (await _refresh(timed, first["refresh_token"])).json()
    with timed.app.state.store.read() as conn:
        blobs = [bytes(r[0]) for r in conn.execute("SELECT successor FROM tokens") if r[0]]
    assert blobs
    for blob in blobs:
        for token in (second["access_token"], second["refresh_token"]):
            assert token.encode() not in blob


async def test_revoke_ends_the_session_on_the_server(timed):
    pair = await _sign_in(timed)
    other = await _sign_in(timed)  # another session of the same account stays
    r = await timed.post("/v1/auth/revoke", json={"refresh_token": pair["refresh_token"]})
    assert r.status_code == 204
    assert_error(await timed.get("/v1/account", headers=_bearer(pair)), 401, "unauthenticated")
    assert_error(await _refresh(timed, pair["refresh_token"]), 401, "unauthenticated")
    assert (await timed.get("/v1/account", headers=_bearer(other))).status_code == 200


async def test_revoking_an_unknown_token_is_still_204(timed):
    r = await timed.post("/v1/auth/revoke", json={"refresh_token": "rt_nobody"})
    assert r.status_code == 204


async def test_expired_tokens_are_purged_at_the_next_sign_in(timed, wall):
    await _sign_in(timed)
    wall[0] += auth.REFRESH_TTL + 1
    await _sign_in(timed)
    with timed.app.state.store.read() as conn:
        expired = conn.execute(
            "SELECT count(*) FROM tokens WHERE expires_at <= ?", (wall[0],)
        ).fetchone()[0]
        live = conn.execute("SELECT count(*) FROM tokens").fetchone()[0]
    assert expired == 0
    assert live == 2  # the new access and refresh token only


async def test_idempotency_rows_older_than_24_h_are_purged(timed, wall):
    pair = await _sign_in(timed)
    for _ in range(3):
        r = await timed.post(
            "/v1/financial-contacts",
            headers={**_bearer(pair), **key()},
            json={"name": "Ana", "email": f"ana{wall[0]}@example.com"},
        )
        assert r.status_code == 200, r.text
        wall[0] += 1
    with timed.app.state.store.read() as conn:
        assert conn.execute("SELECT count(*) FROM idempotency").fetchone()[0] == 3
    wall[0] += 24 * 3600 + 1
    pair = await _sign_in(timed)
    r = await timed.post(
        "/v1/financial-contacts",
        headers={**_bearer(pair), **key()},
        json={"name": "Bia", "email": "bia@example.com"},
    )
    assert r.status_code == 200
    with timed.app.state.store.read() as conn:
        assert conn.execute("SELECT count(*) FROM idempotency").fetchone()[0] == 1
