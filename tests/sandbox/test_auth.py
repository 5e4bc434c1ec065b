"""Sign-in, refresh rotation, token expiry, password storage and per-account scoping."""

from __future__ import annotations

import httpx

from mktui.sandbox.app import create_app
from tests.sandbox.helpers import assert_error, sign_in


async def test_sign_in_returns_bearer_tokens(client):
    r = await client.post(
        "/v1/auth/token", json={"email": "Demo@MKController.test ", "password": "sandbox"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["access_token"] != body["refresh_token"]
    assert r.headers["cache-control"] == "no-store"


async def test_wrong_password_and_unknown_email_answer_the_same_401(client):
    wrong = await client.post(
        "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "nope"}
    )
    unknown = await client.post(
        "/v1/auth/token", json={"email": "who@x.test", "password": "sandbox"}
    )
    assert_error(wrong, 401, "unauthenticated")
    assert_error(unknown, 401, "unauthenticated")
    assert wrong.json() == unknown.json()


async def test_passwords_are_stored_as_scrypt_hashes_never_plain(store):
    with store.read() as conn:
        hashes = [row[0] for row in conn.execute("SELECT password_hash FROM accounts")]
    assert len(hashes) == 3
    assert all(h.startswith("scrypt$") and "sandbox" not in h for h in hashes)
    assert len(set(hashes)) == 3  # each has its own salt


async def test_tokens_are_stored_only_as_digests(client, store):
    r = await client.post(
        "/v1/auth/token", json={"email": "new@mkcontroller.test", "password": "sandbox"}
    )
    access = r.json()["access_token"]
    with store.read() as conn:
        stored = [row[0] for row in conn.execute("SELECT token_hash FROM tokens")]
    assert access not in stored and all(len(h) == 64 for h in stored)


async def test_missing_or_bad_token_is_401(client):
    assert_error(await client.get("/v1/account"), 401, "unauthenticated")
    r = await client.get("/v1/account", headers={"Authorization": "Bearer at_forged"})
    assert_error(r, 401, "unauthenticated")
    r = await client.get("/v1/account", headers={"Authorization": "Basic abc"})
    assert_error(r, 401, "unauthenticated")


async def test_refresh_rotates_and_the_old_refresh_token_stops_working(db_path):
    wall = [1_000_000.0]
    app = create_app(db_path, wall_clock=lambda: wall[0])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        first = (
            await client.post(
                "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "sandbox"}
            )
        ).json()
        r = await client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert r.status_code == 200
        second = r.json()
        assert second["refresh_token"] != first["refresh_token"]
        ok = await client.get(
            "/v1/account", headers={"Authorization": f"Bearer {second['access_token']}"}
        )
        assert ok.status_code == 200
        wall[0] += 61  # past the reuse window (see tests/sandbox/test_sessions.py)
        again = await client.post(
            "/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
        assert_error(again, 401, "unauthenticated")
        # Reusing a spent refresh token ends the whole session family, the new one too.
        stolen = await client.post(
            "/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
        )
        assert_error(stolen, 401, "unauthenticated")


async def test_unknown_refresh_token_is_401(client):
    r = await client.post("/v1/auth/refresh", json={"refresh_token": "rt_nothing"})
    assert_error(r, 401, "unauthenticated")


async def test_access_tokens_expire(db_path):
    wall = [1_000_000.0]
    app = create_app(db_path, access_ttl=60, wall_clock=lambda: wall[0])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        tokens = (
            await client.post(
                "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "sandbox"}
            )
        ).json()
        assert tokens["expires_in"] == 60
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        wall[0] += 59
        assert (await client.get("/v1/account", headers=headers)).status_code == 200
        wall[0] += 2
        assert_error(await client.get("/v1/account", headers=headers), 401, "token_expired")
        fresh = await client.post(
            "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert fresh.status_code == 200
        headers = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
        assert (await client.get("/v1/account", headers=headers)).status_code == 200


async def test_another_accounts_ids_answer_404(client, demo, annual):
    demo_invoices = (await client.get("/v1/invoices", headers=demo)).json()["data"]
    demo_methods = (await client.get("/v1/payment-methods", headers=demo)).json()["data"]
    demo_contacts = (await client.get("/v1/financial-contacts", headers=demo)).json()["data"]
    inv, pm, fc = demo_invoices[0]["id"], demo_methods[0]["id"], demo_contacts[0]["id"]
    assert_error(await client.get(f"/v1/invoices/{inv}", headers=annual), 404, "not_found")
    assert_error(await client.get(f"/v1/invoices/{inv}/receipt", headers=annual), 404, "not_found")
    r = await client.post(f"/v1/invoices/{inv}/pay", headers={**annual, "Idempotency-Key": "k1"})
    assert_error(r, 404, "not_found")
    assert_error(
        await client.post(f"/v1/payment-methods/{pm}/default", headers=annual), 404, "not_found"
    )
    assert_error(await client.delete(f"/v1/payment-methods/{pm}", headers=annual), 404, "not_found")
    assert_error(
        await client.delete(f"/v1/financial-contacts/{fc}", headers=annual), 404, "not_found"
    )
    # Nothing of demo's leaks into annual's lists.
    annual_ids = {
        i["id"] for i in (await client.get("/v1/invoices?limit=200", headers=annual)).json()["data"]
    }
    assert inv not in annual_ids
    # And demo's objects are untouched.
    assert len((await client.get("/v1/financial-contacts", headers=demo)).json()["data"]) == 2


async def test_rate_limit_answers_429_with_retry_after(db_path):
    app = create_app(db_path, rate_limit=3)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        headers = await sign_in(client, "demo")
        statuses = [(await client.get("/v1/prices", headers=headers)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        r = await client.get("/v1/prices", headers=headers)
        assert_error(r, 429, "rate_limited")
        assert 1 <= int(r.headers["retry-after"]) <= 60
