"""One user intent, one effect: keys are reused on retries and double presses share a flight."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from mktui.api.client import new_idempotency_key
from mktui.api.errors import ApiError, ErrorKind

from .conftest import error, json_response
from .test_failures import INVOICE


def test_new_keys_are_unique_and_fit_the_contract():
    keys = {new_idempotency_key() for _ in range(1000)}
    assert len(keys) == 1000
    assert all(1 <= len(k) <= 255 and k.isascii() and k.isprintable() for k in keys)


async def until(condition) -> None:
    """Let other tasks run until ``condition()`` holds (no wall-clock waits)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


class SlowServer:
    """Answers /pay only when released, counting what it received."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.received: list[tuple[str, bytes]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.received.append((request.headers.get("idempotency-key", ""), request.content))
        await self.release.wait()
        return json_response(INVOICE)


async def test_double_press_with_one_key_sends_one_payment(make_client):
    server = SlowServer()
    client = make_client(httpx.MockTransport(server))
    key = new_idempotency_key()
    first = asyncio.ensure_future(client.pay_invoice("inv_1", idempotency_key=key))
    second = asyncio.ensure_future(client.pay_invoice("inv_1", idempotency_key=key))
    await until(lambda: server.received)
    await asyncio.sleep(0)
    server.release.set()
    one, two = await asyncio.gather(first, second)
    assert one == two
    assert len(server.received) == 1


async def test_different_keys_are_different_intents(make_client):
    server = SlowServer()
    server.release.set()
    client = make_client(httpx.MockTransport(server))
    await asyncio.gather(
        client.pay_invoice("inv_1", idempotency_key="a"),
        client.pay_invoice("inv_1", idempotency_key="b"),
    )
    assert sorted(k for k, _ in server.received) == ["a", "b"]


async def test_same_key_with_another_body_is_sent_for_the_server_to_refuse(make_client):
    answers = [json_response(INVOICE), error(409, "idempotency_conflict")]

    def server(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    client = make_client(httpx.MockTransport(server))
    await client.pay_invoice("inv_1", "pm_1", idempotency_key="k")
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice("inv_1", "pm_2", idempotency_key="k")
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.code == "idempotency_conflict"


async def test_a_payment_is_not_cut_off_when_the_screen_stops_waiting(make_client):
    server = SlowServer()
    client = make_client(httpx.MockTransport(server))
    key = new_idempotency_key()
    waiting = asyncio.ensure_future(client.pay_invoice("inv_1", idempotency_key=key))
    await until(lambda: server.received)
    waiting.cancel()  # e.g. an exclusive worker replaced by a newer one
    with pytest.raises(asyncio.CancelledError):
        await waiting
    # The request is still in flight; pressing Pay again joins it rather than sending twice.
    again = asyncio.ensure_future(client.pay_invoice("inv_1", idempotency_key=key))
    await asyncio.sleep(0)
    server.release.set()
    assert (await again).status == "paid"
    assert len(server.received) == 1
