"""The client's side of sessions (api.md, Additions): re-read the stored token, revoke, reprs."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import SecretStr

from mktui.api.auth import TokenHolder
from mktui.api.errors import SessionExpired
from mktui.api.http import _Call

from .conftest import (
    ACCESS,
    ACCOUNT,
    CARD,
    CVC,
    NEW_REFRESH,
    PASSWORD,
    REFRESH,
    TOKENS,
    Script,
    error,
    json_response,
)

OTHER = "ref-OTHER-CONSOLE-LEAKCHECK"


def _sent_refresh(request: httpx.Request) -> str:
    return json.loads(request.content)["refresh_token"]


async def test_a_refused_refresh_retries_once_with_the_token_another_console_stored(make_client):
    stored = {"work": REFRESH}
    script = Script(
        [
            error(401, "token_expired"),
            lambda request: (stored.update(work=OTHER), error(401, "unauthenticated"))[1],
            json_response(TOKENS),
            json_response(ACCOUNT),
        ]
    )
    holder = TokenHolder(ACCESS, REFRESH, reload=lambda: stored["work"])
    client = make_client(script, tokens=holder)
    assert (await client.account()).id == "acct_1"
    paths = [r.url.path for r in script.requests]
    assert paths == ["/v1/account", "/v1/auth/refresh", "/v1/auth/refresh", "/v1/account"]
    assert _sent_refresh(script.requests[1]) == REFRESH
    assert _sent_refresh(script.requests[2]) == OTHER
    assert holder.refresh_token.get_secret_value() == NEW_REFRESH


async def test_a_newer_stored_token_is_used_before_refreshing(make_client):
    script = Script([error(401, "token_expired"), json_response(TOKENS), json_response(ACCOUNT)])
    holder = TokenHolder(ACCESS, REFRESH, reload=lambda: OTHER)
    client = make_client(script, tokens=holder)
    await client.account()
    assert _sent_refresh(script.requests[1]) == OTHER


async def test_refused_twice_means_signed_out(make_client):
    stored = {"work": REFRESH}

    def rotate_then_refuse(request: httpx.Request) -> httpx.Response:
        stored["work"] = OTHER
        return error(401, "unauthenticated")

    script = Script(
        [error(401, "token_expired"), rotate_then_refuse, error(401, "unauthenticated")]
    )
    client = make_client(script, tokens=TokenHolder(ACCESS, REFRESH, reload=lambda: stored["work"]))
    with pytest.raises(SessionExpired):
        await client.account()
    assert len(script.requests) == 3  # one retry, no more


async def test_a_stored_copy_of_a_token_we_already_replaced_is_not_adopted(make_client):
    """Our own save failed, so the store still has our previous token: it is older, not newer."""
    script = Script(
        [
            error(401, "token_expired"),
            json_response(TOKENS),
            json_response(ACCOUNT),
            error(401, "token_expired"),
            json_response(TOKENS | {"refresh_token": "ref-THIRD-LEAKCHECK"}),
            json_response(ACCOUNT),
        ]
    )
    holder = TokenHolder(ACCESS, REFRESH, reload=lambda: REFRESH)  # never updated
    client = make_client(script, tokens=holder)
    await client.account()
    await client.account()
    assert _sent_refresh(script.requests[4]) == NEW_REFRESH


async def test_revoke_tells_the_server_and_forgets_the_tokens(make_client):
    script = Script([httpx.Response(204)])
    client = make_client(script)
    assert await client.revoke() is True
    (request,) = script.requests
    assert request.url.path == "/v1/auth/revoke"
    assert json.loads(request.content) == {"refresh_token": REFRESH}
    assert "authorization" not in request.headers
    assert client.tokens.access_token is None and client.tokens.refresh_token is None


async def test_revoke_with_the_server_down_still_forgets(make_client):
    script = Script([httpx.ConnectError("down")])
    client = make_client(script, max_retries=0)
    assert await client.revoke() is False
    assert client.tokens.refresh_token is None


def test_the_repr_of_a_call_holds_no_body_or_secret():
    body = json.dumps({"number": CARD, "cvc": CVC, "password": PASSWORD}).encode()
    call = _Call(
        "POST",
        "/v1/payment-methods",
        body,
        {"Idempotency-Key": "mktui-key-LEAKCHECK"},
        {"q": "x"},
        True,
        1024,
        "that card",
        (CARD, CVC),
    )
    shown = repr(call)
    assert "POST" in shown and "/v1/payment-methods" in shown
    for secret in (CARD, CVC, PASSWORD, "mktui-key-LEAKCHECK"):
        assert secret not in shown


def test_token_holder_repr_never_shows_tokens():
    holder = TokenHolder(SecretStr(ACCESS), REFRESH, reload=lambda: REFRESH)
    assert ACCESS not in repr(holder) and REFRESH not in repr(holder)
