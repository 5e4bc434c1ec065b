"""No token, password, card number or CVC in any log line, message or repr."""

from __future__ import annotations

import logging

import httpx
import pytest

from mktui.api.auth import TokenHolder
from mktui.api.client import BillingClient, new_idempotency_key
from mktui.api.errors import ApiError
from mktui.api.models import NewPaymentMethod

from .conftest import (
    ACCESS,
    ACCOUNT,
    CARD,
    CVC,
    NEW_ACCESS,
    PASSWORD,
    REFRESH,
    SECRETS,
    TOKENS,
    Script,
    error,
    json_response,
)

CARD_ANSWER = {
    "id": "pm_9",
    "brand": "visa",
    "last4": "4242",
    "exp_month": 12,
    "exp_year": 2030,
    "holder_name": "Ana Souza",
    "is_default": False,
}


def assert_no_secret(text: str) -> None:
    for secret in (*SECRETS, f"cvc': '{CVC}", f'"cvc":"{CVC}"'):
        assert secret not in text, f"secret leaked: {secret[:6]}…"


async def test_a_whole_session_leaks_nothing(make_client, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, httpx's included
    echo = f"Card {CARD} with CVC {CVC} refused for token {NEW_ACCESS}"
    script = Script(
        [
            json_response(TOKENS),  # sign in
            error(401, "token_expired", f"token {ACCESS} expired"),
            json_response(TOKENS),  # refresh
            json_response(ACCOUNT),
            error(422, "invalid_number", echo, field="number"),
            json_response(CARD_ANSWER),
            httpx.ReadError(f"reset while sending Bearer {ACCESS}"),
            httpx.ReadError("reset"),
            httpx.ReadError("reset"),
            httpx.ReadError("reset"),
            error(401, "token_expired"),
            error(401, "unauthenticated", f"refresh token {REFRESH} revoked"),
        ]
    )
    client = make_client(script, tokens=TokenHolder(ACCESS, REFRESH))
    card = NewPaymentMethod(
        holder_name="Ana Souza", number=CARD, exp_month=12, exp_year=2030, cvc=CVC
    )
    seen: list[str] = [repr(client), repr(client.tokens), repr(client._auth), repr(card), str(card)]

    tokens = await client.sign_in("demo@mkcontroller.test", PASSWORD)
    seen += [repr(tokens), str(tokens)]
    await client.account()
    errors: list[ApiError] = []
    with pytest.raises(ApiError) as caught:
        await client.add_payment_method(card)
    errors.append(caught.value)
    await client.add_payment_method(card, idempotency_key=new_idempotency_key())
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice("inv_1", idempotency_key=new_idempotency_key())
    errors.append(caught.value)
    with pytest.raises(ApiError) as caught:
        await client.prices()
    errors.append(caught.value)
    seen += [repr(client), repr(client.tokens)]
    seen += [f"{e!r} {e} {e.message}" for e in errors]

    assert_no_secret("\n".join(seen))
    assert_no_secret(caplog.text)
    # The card number did reach the server, and only there.
    assert CARD in script.requests[4].content.decode()
    assert "Card [hidden] with CVC [hidden] refused for token [hidden]." in errors[0].message


async def test_log_lines_are_method_path_status_and_time(make_client, caplog):
    caplog.set_level(logging.INFO, logger="mktui.api")
    client = make_client(
        Script([json_response(ACCOUNT), httpx.Response(503), json_response(ACCOUNT)])
    )
    await client.account()
    await client.account()
    lines = [r.getMessage() for r in caplog.records if r.name == "mktui.api"]
    assert len(lines) == 3
    assert lines[0].startswith("GET /v1/account -> 200 in ")
    assert lines[1].startswith("GET /v1/account -> 503 in ")
    assert all(line.endswith(" ms") for line in lines)


async def test_tokens_given_as_plain_strings_are_hidden():
    holder = TokenHolder(ACCESS, REFRESH)
    async with BillingClient("https://billing.test", tokens=holder) as client:
        assert_no_secret(repr(client) + repr(holder) + str(vars(holder)))
