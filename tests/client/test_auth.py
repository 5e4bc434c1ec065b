"""Bearer auth: one refresh under a shared lock, SessionExpired when it is refused."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest

from mktui.api.auth import TokenHolder
from mktui.api.errors import ApiError, ErrorKind, SessionExpired
from mktui.api.models import TokenResponse

from .conftest import (
    ACCESS,
    ACCOUNT,
    NEW_ACCESS,
    NEW_REFRESH,
    PASSWORD,
    REFRESH,
    TOKENS,
    Script,
    error,
    json_response,
)


def bearer(request: httpx.Request) -> str | None:
    return request.headers.get("authorization")


async def test_requests_carry_the_bearer_token(make_client):
    script = Script([json_response(ACCOUNT)])
    client = make_client(script)
    await client.account()
    assert bearer(script.requests[0]) == f"Bearer {ACCESS}"


async def test_401_refreshes_once_and_repeats_the_request(make_client):
    saved: list[TokenResponse] = []
    script = Script([error(401, "token_expired"), json_response(TOKENS), json_response(ACCOUNT)])
    client = make_client(script, tokens=TokenHolder(ACCESS, REFRESH, on_refresh=saved.append))
    account = await client.account()
    assert account.id == "acct_1"
    first, refresh, again = script.requests
    assert bearer(first) == f"Bearer {ACCESS}"
    assert refresh.url.path == "/v1/auth/refresh"
    assert bearer(refresh) is None
    assert json.loads(refresh.content) == {"refresh_token": REFRESH}
    assert bearer(again) == f"Bearer {NEW_ACCESS}"
    # The rotated refresh token went to the credentials part to be saved.
    assert [t.refresh_token.get_secret_value() for t in saved] == [NEW_REFRESH]
    assert client.tokens.refresh_token.get_secret_value() == NEW_REFRESH


async def test_async_on_refresh_is_awaited(make_client):
    saved: list[str] = []

    async def save(tokens: TokenResponse) -> None:
        await asyncio.sleep(0)
        saved.append(tokens.refresh_token.get_secret_value())

    script = Script([error(401, "token_expired"), json_response(TOKENS), json_response(ACCOUNT)])
    client = make_client(script, tokens=TokenHolder(ACCESS, REFRESH, on_refresh=save))
    await client.account()
    assert saved == [NEW_REFRESH]


@pytest.mark.parametrize("concurrent", [2, 5])
async def test_concurrent_401s_cause_one_refresh(make_client, concurrent):
    arrived = 0
    all_refused = asyncio.Event()
    refreshes: list[httpx.Request] = []

    async def server(request: httpx.Request) -> httpx.Response:
        nonlocal arrived
        if request.url.path == "/v1/auth/refresh":
            refreshes.append(request)
            return json_response(TOKENS)
        if bearer(request) == f"Bearer {ACCESS}":
            # Hold every old-token request until all have been sent, so all meet a 401.
            arrived += 1
            if arrived == concurrent:
                all_refused.set()
            await all_refused.wait()
            return error(401, "token_expired")
        assert bearer(request) == f"Bearer {NEW_ACCESS}"
        return json_response(ACCOUNT)

    client = make_client(httpx.MockTransport(server))
    accounts = await asyncio.gather(*(client.account() for _ in range(concurrent)))
    assert [a.id for a in accounts] == ["acct_1"] * concurrent
    assert arrived == concurrent
    assert len(refreshes) == 1


async def test_concurrent_401s_with_refused_refresh_ask_once(make_client):
    arrived = 0
    both = asyncio.Event()
    refreshes = 0

    async def server(request: httpx.Request) -> httpx.Response:
        nonlocal arrived, refreshes
        if request.url.path == "/v1/auth/refresh":
            refreshes += 1
            return error(401, "unauthenticated", "Refresh token revoked")
        arrived += 1
        if arrived == 2:
            both.set()
        await both.wait()
        return error(401, "token_expired")

    client = make_client(httpx.MockTransport(server))
    results = await asyncio.gather(client.account(), client.prices(), return_exceptions=True)
    assert all(isinstance(r, SessionExpired) for r in results), results
    assert refreshes == 1


async def test_refused_refresh_is_session_expired(make_client):
    saved: list[TokenResponse] = []
    script = Script([error(401, "token_expired"), error(401, "unauthenticated")])
    client = make_client(script, tokens=TokenHolder(ACCESS, REFRESH, on_refresh=saved.append))
    with pytest.raises(SessionExpired) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNAUTHENTICATED
    assert caught.value.message == "Your session has ended. Sign in again to continue."
    assert saved == []
    assert len(script.requests) == 2


async def test_without_a_refresh_token_401_is_session_expired(make_client):
    script = Script([error(401, "token_expired")])
    client = make_client(script, tokens=TokenHolder(ACCESS))  # MKTUI_TOKEN: access only
    with pytest.raises(SessionExpired):
        await client.account()
    assert len(script.requests) == 1


async def test_network_failure_during_refresh_keeps_the_session(make_client):
    script = Script([error(401, "token_expired"), httpx.ConnectError("refused")])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert not isinstance(caught.value, SessionExpired)
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert client.tokens.refresh_token.get_secret_value() == REFRESH


async def test_failing_on_refresh_is_logged_not_fatal(make_client, caplog):
    def broken_keyring(tokens: TokenResponse) -> None:
        raise RuntimeError(f"keyring locked while saving {tokens.refresh_token.get_secret_value()}")

    script = Script([error(401, "token_expired"), json_response(TOKENS), json_response(ACCOUNT)])
    client = make_client(script, tokens=TokenHolder(ACCESS, REFRESH, on_refresh=broken_keyring))
    with caplog.at_level(logging.WARNING, logger="mktui.api"):
        await client.account()
    assert "saving the renewed session failed: RuntimeError" in caplog.text
    assert NEW_REFRESH not in caplog.text


async def test_sign_in_keeps_the_tokens(make_client):
    saved: list[TokenResponse] = []
    script = Script([json_response(TOKENS), json_response(ACCOUNT)])
    client = make_client(script, tokens=TokenHolder(on_refresh=saved.append))
    tokens = await client.sign_in("demo@mkcontroller.test", PASSWORD)
    assert tokens.access_token.get_secret_value() == NEW_ACCESS
    sign_in = script.requests[0]
    assert bearer(sign_in) is None
    assert json.loads(sign_in.content) == {"email": "demo@mkcontroller.test", "password": PASSWORD}
    await client.account()
    assert bearer(script.requests[1]) == f"Bearer {NEW_ACCESS}"
    assert len(saved) == 1


async def test_wrong_password_is_not_session_expired(make_client):
    script = Script([error(401, "unauthenticated", "Bad credentials")])
    client = make_client(script, tokens=TokenHolder())
    with pytest.raises(ApiError) as caught:
        await client.sign_in("demo@mkcontroller.test", PASSWORD)
    exc = caught.value
    assert not isinstance(exc, SessionExpired)
    assert exc.kind is ErrorKind.UNAUTHENTICATED
    assert exc.field == "password"
    assert exc.message == "The email or password is not right. Check both and sign in again."
    assert len(script.requests) == 1  # a sign-in is never "refreshed"


async def test_explicit_refresh_rotates(make_client):
    script = Script([json_response(TOKENS)])
    client = make_client(script)
    tokens = await client.refresh()
    assert tokens.refresh_token.get_secret_value() == NEW_REFRESH
    assert json.loads(script.requests[0].content) == {"refresh_token": REFRESH}
    assert client.tokens.access_token.get_secret_value() == NEW_ACCESS


async def test_sign_out_forgets_the_tokens(make_client):
    script = Script([error(401, "unauthenticated")])
    client = make_client(script)
    client.sign_out()
    assert repr(client.tokens) == "TokenHolder(access_token=none, refresh_token=none)"
    with pytest.raises(SessionExpired):
        await client.account()
    assert bearer(script.requests[0]) is None


async def test_a_malformed_stored_refresh_token_is_session_expired(make_client):
    script = Script([error(401, "token_expired")])
    client = make_client(script, tokens=TokenHolder(ACCESS, "x" * 600))
    with pytest.raises(SessionExpired):
        await client.account()
    assert len(script.requests) == 1  # nothing sent for a token the contract refuses
