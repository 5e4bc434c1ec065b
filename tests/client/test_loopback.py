"""The same failures over real sockets on 127.0.0.1: httpx's own transport, real timeouts.

A tiny scripted HTTP/1.1 server answers each connection with the next
behaviour from a list; one test runs the real sandbox under uvicorn.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx
import pytest

from mktui.api.client import BillingClient, new_idempotency_key
from mktui.api.errors import ApiError, ErrorKind

from .conftest import ACCESS, ACCOUNT, REFRESH
from .test_failures import INVOICE

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return head + (await reader.readexactly(length) if length else b"")


def answer(status: int, body: bytes, content_type: str = "application/json", extra: str = ""):
    async def behave(reader, writer):
        await read_request(reader)
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    return behave


async def hang(reader, writer):
    await read_request(reader)
    await asyncio.sleep(30)  # cancelled when the server closes


async def reset_after_request(reader, writer):
    await read_request(reader)  # the request arrived whole; the answer never leaves
    writer.transport.abort()


class Server:
    """127.0.0.1 on a free port; each connection gets the next behaviour."""

    def __init__(self, behaviours: list[Behaviour]) -> None:
        self.behaviours = behaviours
        self.requests: list[bytes] = []
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def __aenter__(self) -> Server:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc) -> None:
        for task in self._tasks:
            task.cancel()
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def _handle(self, reader, writer) -> None:
        self._tasks.add(asyncio.current_task())
        self.connections += 1
        behaviour = self.behaviours.pop(0) if self.behaviours else answer(500, b"")
        try:
            await behaviour(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


def client_for(url: str, sleeps: list[float], read: float = 5.0) -> BillingClient:
    from mktui.api.auth import TokenHolder

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    timeout = httpx.Timeout(connect=2.0, read=read, write=2.0, pool=2.0)
    return BillingClient(
        url, tokens=TokenHolder(ACCESS, REFRESH), timeout=timeout, max_retries=1, sleep=fake_sleep
    )


async def test_a_server_that_never_answers_times_out(sleeps):
    async with Server([hang, hang]) as server:
        async with client_for(server.url, sleeps, read=0.2) as client:
            with pytest.raises(ApiError) as caught:
                await client.account()
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert "did not answer in time" in caught.value.message
    assert server.connections == 2 and len(sleeps) == 1


async def test_connection_reset_after_the_request_is_retried_for_a_get(sleeps):
    ok = answer(200, httpx.Response(200, json=ACCOUNT).content)
    async with Server([reset_after_request, ok]) as server:
        async with client_for(server.url, sleeps) as client:
            assert (await client.account()).id == "acct_1"
    assert server.connections == 2


async def test_connection_reset_on_a_payment_retries_with_the_same_key(sleeps):
    seen: list[bytes] = []

    def recording(behaviour):
        async def behave(reader, writer):
            original = reader.readuntil

            async def spy(sep=b"\n"):
                data = await original(sep)
                seen.append(data)
                return data

            reader.readuntil = spy
            await behaviour(reader, writer)

        return behave

    paid = answer(200, httpx.Response(200, json=INVOICE).content)
    key = new_idempotency_key()
    async with Server([recording(reset_after_request), recording(paid)]) as server:
        async with client_for(server.url, sleeps) as client:
            invoice = await client.pay_invoice("inv_1", idempotency_key=key)
    assert invoice.status == "paid"
    assert [f"idempotency-key: {key}".encode() in head.lower() for head in seen] == [True, True]


async def test_connection_refused(sleeps):
    async with Server([]) as server:
        url = server.url
    async with client_for(url, sleeps) as client:
        with pytest.raises(ApiError) as caught:
            await client.prices()
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    assert "Could not connect" in caught.value.message


async def test_5_mb_over_the_wire_is_cut_off(sleeps):
    async def flood(reader, writer):
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        )
        for _ in range(80):
            writer.write(b" " * 65536)
            await writer.drain()

    async with Server([flood]) as server:
        async with client_for(server.url, sleeps) as client:
            with pytest.raises(ApiError) as caught:
                await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert "larger than 2048 KiB" in caught.value.message


async def test_redirect_elsewhere_sends_nothing_there(sleeps):
    async with Server([]) as elsewhere:
        moved = answer(302, b"", extra=f"Location: {elsewhere.url}/v1/account\r\n")
        async with Server([moved]) as server:
            async with client_for(server.url, sleeps) as client:
                with pytest.raises(ApiError) as caught:
                    await client.account()
        assert elsewhere.connections == 0
    assert caught.value.kind is ErrorKind.UNEXPECTED


@pytest.fixture
def served_sandbox(tmp_path):
    """The real sandbox under uvicorn on 127.0.0.1, in a thread."""
    import uvicorn

    from mktui.sandbox.app import create_app

    app = create_app(tmp_path / "sandbox.db", now=datetime(2026, 11, 16, 15, tzinfo=UTC))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


async def test_the_sandbox_over_real_http(served_sandbox, sleeps):
    async with BillingClient(served_sandbox) as client:
        await client.sign_in("demo@mkcontroller.test", "sandbox")
        invoice = (await client.invoices("past_due")).data[0]
        paid = await client.pay_invoice(invoice.id, idempotency_key=new_idempotency_key())
        assert paid.status == "paid"
        assert (await client.receipt(invoice.id)).startswith(b"%PDF-")
        assert (await client.account()).status == "active"
