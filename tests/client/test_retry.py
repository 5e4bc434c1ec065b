"""Retries: GETs on network errors, 429 and 502/503/504; writes only with an Idempotency-Key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from mktui.api.client import new_idempotency_key
from mktui.api.errors import ApiError, ErrorKind
from mktui.api.models import ChangeDevicesRequest
from mktui.api.retry import RetryPolicy, parse_retry_after

from .conftest import ACCOUNT, Script, error, json_response
from .test_failures import INVOICE


def account_ok() -> httpx.Response:
    return json_response(ACCOUNT)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectTimeout("connect timed out"),
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("read timed out"),
        httpx.ReadError("connection reset by peer"),
        httpx.RemoteProtocolError("server disconnected without sending a response"),
    ],
    ids=type,
)
async def test_get_retries_network_failures_with_backoff(make_client, sleeps, failure):
    script = Script([failure, failure, account_ok()])
    client = make_client(script)
    account = await client.account()
    assert account.id == "acct_1"
    assert len(script.requests) == 3
    # jitter fixed at 0.5: each wait is 3/4 of base 0.5 s doubled per attempt
    assert sleeps == [0.375, 0.75]


async def test_get_gives_up_after_max_retries(make_client, sleeps):
    script = Script([httpx.ReadTimeout("slow")] * 4)
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert "did not answer in time" in caught.value.message
    assert "billing.test" in caught.value.message
    assert len(script.requests) == 4
    assert len(sleeps) == 3


async def test_connect_failure_sentence_says_what_to_check(make_client):
    client = make_client(Script([httpx.ConnectError("refused")]), max_retries=0)
    with pytest.raises(ApiError) as caught:
        await client.prices()
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert "Could not connect to the billing server at billing.test" in caught.value.message
    assert "API URL" in caught.value.message


async def test_post_without_key_is_not_retried_after_reset(make_client, sleeps):
    script = Script([httpx.ReadError("connection reset by peer")])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "ana@example.com")
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert "Refresh to see whether it went through" in caught.value.message
    assert len(script.requests) == 1
    assert sleeps == []


async def test_payment_with_key_is_retried_with_same_key_and_bytes(make_client, sleeps):
    script = Script([httpx.RemoteProtocolError("peer closed connection"), json_response(INVOICE)])
    client = make_client(script)
    key = new_idempotency_key()
    invoice = await client.pay_invoice("inv_1", "pm_2", idempotency_key=key)
    assert invoice.status == "paid"
    assert [r.headers["idempotency-key"] for r in script.requests] == [key, key]
    assert script.bodies() == [b'{"payment_method_id":"pm_2"}'] * 2
    assert len(sleeps) == 1


async def test_patch_with_key_is_retried_on_503(make_client):
    result = {
        "subscription": {
            "plan": "monthly",
            "currency": "BRL",
            "devices": 12,
            "current_period_start": "2026-11-01",
            "current_period_end": "2026-11-30",
            "status": "active",
        },
        "invoice": None,
    }
    script = Script([error(503, "internal_error"), json_response(result)])
    client = make_client(script)
    request = ChangeDevicesRequest(devices=12, expected_total=0)
    answer = await client.change_devices(request, idempotency_key="intent-1")
    assert answer.subscription.devices == 12
    assert [r.method for r in script.requests] == ["PATCH", "PATCH"]
    assert {r.headers["idempotency-key"] for r in script.requests} == {"intent-1"}
    assert script.bodies()[0] == script.bodies()[1] == b'{"devices":12,"expected_total":0}'


async def test_post_without_key_is_not_retried_on_503(make_client):
    script = Script([httpx.Response(503)])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "ana@example.com")
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert len(script.requests) == 1


async def test_lost_answer_with_key_charges_once(make_client):
    """A fake server that commits, loses the answer, and replays it for the same key."""
    charges: dict[str, bytes] = {}

    def server(request: httpx.Request) -> httpx.Response:
        key = request.headers["idempotency-key"]
        if key in charges:
            return json_response(INVOICE)
        charges[key] = request.content
        raise httpx.ReadError("connection reset after the charge committed")

    script = Script([server, server])
    client = make_client(script)
    invoice = await client.pay_invoice("inv_1", idempotency_key=new_idempotency_key())
    assert invoice.status == "paid"
    assert len(charges) == 1
    assert len(script.requests) == 2


async def test_503_then_200(make_client, sleeps):
    script = Script([httpx.Response(503, text="Service Unavailable"), account_ok()])
    client = make_client(script)
    assert (await client.account()).name == "Demo Networks Ltda"
    assert sleeps == [0.375]


async def test_502_503_504_until_retries_run_out(make_client, sleeps):
    script = Script(
        [httpx.Response(502), httpx.Response(503), httpx.Response(504), httpx.Response(504)]
    )
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert caught.value.status == 504
    assert "temporarily unavailable" in caught.value.message
    assert sleeps == [0.375, 0.75, 1.5]


async def test_500_is_not_retried(make_client):
    script = Script([httpx.Response(500)])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert len(script.requests) == 1


async def test_429_with_retry_after_seconds(make_client, sleeps):
    script = Script([error(429, "rate_limited", headers={"Retry-After": "2"}), account_ok()])
    client = make_client(script)
    await client.account()
    assert sleeps == [2.0]


async def test_429_with_retry_after_http_date(make_client, sleeps):
    when = datetime.now(UTC) + timedelta(seconds=10)
    header = format_datetime(when, usegmt=True)
    script = Script([error(429, "rate_limited", headers={"Retry-After": header}), account_ok()])
    client = make_client(script)
    await client.account()
    assert len(sleeps) == 1
    assert 5 < sleeps[0] <= 10  # second resolution, and time passes while the test runs


async def test_429_asking_for_a_day_gives_up_at_once(make_client, sleeps):
    script = Script([error(429, "rate_limited", headers={"Retry-After": "86400"})])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.account()
    exc = caught.value
    assert exc.kind is ErrorKind.RATE_LIMITED
    assert exc.retry_after == 86400
    assert "Try again in 24 hours" in exc.message
    assert sleeps == []
    assert len(script.requests) == 1


async def test_429_until_retries_run_out_keeps_retry_after(make_client, sleeps):
    limited = error(429, "rate_limited", headers={"Retry-After": "3"})
    script = Script([limited] * 4)
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.prices()
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_after == 3
    assert "3 seconds" in caught.value.message
    assert sleeps == [3.0, 3.0, 3.0]


async def test_429_without_retry_after_backs_off(make_client, sleeps):
    script = Script([error(429, "rate_limited"), account_ok()])
    client = make_client(script)
    await client.account()
    assert sleeps == [0.375]


async def test_429_on_a_write_without_key_is_not_retried(make_client, sleeps):
    script = Script([error(429, "rate_limited", headers={"Retry-After": "1"})])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "ana@example.com")
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_after == 1
    assert sleeps == []


async def test_503_with_a_long_retry_after_gives_up(make_client, sleeps):
    script = Script([httpx.Response(503, headers={"Retry-After": "3600"})])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert caught.value.retry_after == 3600
    assert sleeps == []


async def test_every_request_has_explicit_timeouts(make_client):
    client = make_client(Script([]))
    timeout = client._client.timeout
    assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("2", 2.0), (" 120 ", 120.0), ("", None), (None, None), ("soon", None), ("-5", None)],
)
def test_parse_retry_after_seconds(header, seconds):
    assert parse_retry_after(header) == seconds


def test_parse_retry_after_dates():
    now = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 26 Nov 2026 06:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Thu, 26 Nov 2026 05:00:00 GMT", now=now) == 0.0


def test_backoff_grows_jitters_and_is_capped():
    low = RetryPolicy(base_delay=1, max_delay=8, jitter=lambda: 0.0)
    high = RetryPolicy(base_delay=1, max_delay=8, jitter=lambda: 1.0)
    assert [low.backoff(n) for n in range(5)] == [0.5, 1, 2, 4, 4]
    assert [high.backoff(n) for n in range(5)] == [1, 2, 4, 8, 8]
    assert RetryPolicy(max_retries=2).can_retry(1)
    assert not RetryPolicy(max_retries=2).can_retry(2)
