"""A fault-injecting HTTP/1.1 proxy on loopback, for the chaos proof.

It sits between the billing client and a real ``mktui sandbox serve`` and, by
a seeded random draw per request, either passes the exchange through or does
one of the things networks and load balancers do:

- before the server sees the request: reset the connection, answer 502, 503
  or 429 (with ``Retry-After: 0``);
- after the server has committed: drop the answer, cut the body short, stall
  past the client's read timeout, or replace the answer with a 503.

The counts per kind are kept in ``faults``; ``replays`` counts the answers the
server marked ``Idempotent-Replayed`` (a retry that found its first answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections import Counter

import httpx

BEFORE = ("reset_before", "502_before", "503_before", "429_before")
AFTER = ("drop_after_commit", "truncate_after_commit", "stall_after_commit", "503_after_commit")
_HOP = {
    "host",
    "connection",
    "content-length",
    "transfer-encoding",
    "keep-alive",
    "accept-encoding",
}


class FaultProxy:
    """``await start()``; ``port``; ``await stop()``. ``rate`` is the chance of a fault."""

    def __init__(self, upstream: str, *, seed: int, rate: float = 0.35, stall: float = 1.3) -> None:
        self._upstream = httpx.AsyncClient(base_url=upstream, timeout=60)
        self._rng = random.Random(seed)
        self._rate = rate
        self._stall = stall
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0
        self.requests = 0
        self.replays = 0
        self.faults: Counter[str] = Counter()

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening, close open connections and the upstream client."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._upstream.aclose()

    def _draw(self) -> str:
        if self._rng.random() >= self._rate:
            return "pass"
        kinds = BEFORE + AFTER
        # Stalls cost the client a whole read timeout: kept rare so the proof stays quick.
        weights = [1, 1, 1, 1, 2, 1, 0.25, 1]
        return self._rng.choices(kinds, weights=weights)[0]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = [
                    tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if line
                ]
                length = int(dict((k.lower(), v) for k, v in headers).get("content-length", "0"))
                body = await reader.readexactly(length) if length else b""
                self.requests += 1
                fault = self._draw()
                self.faults[fault] += 1
                if fault == "reset_before":
                    return
                if fault in ("502_before", "503_before", "429_before"):
                    status = int(fault[:3])
                    await _answer(writer, status, _error_body(status), {"retry-after": "0"})
                    continue
                forwarded = {k: v for k, v in headers if k.lower() not in _HOP}
                answer = await self._upstream.request(
                    method, target, content=body, headers=forwarded
                )
                if answer.headers.get("idempotent-replayed") == "true":
                    self.replays += 1
                if fault == "drop_after_commit":
                    return
                if fault == "stall_after_commit":
                    await asyncio.sleep(self._stall)
                    return
                if fault == "truncate_after_commit" and len(answer.content) > 1:
                    await _answer(
                        writer, answer.status_code, answer.content, _kept(answer), cut=True
                    )
                    return
                if fault == "503_after_commit":
                    await _answer(writer, 503, _error_body(503), {})
                    continue
                await _answer(writer, answer.status_code, answer.content, _kept(answer))
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()


def _kept(answer: httpx.Response) -> dict[str, str]:
    wanted = ("content-type", "retry-after", "idempotent-replayed", "allow")
    return {k: answer.headers[k] for k in wanted if k in answer.headers}


def _error_body(status: int) -> bytes:
    code = {429: "rate_limited"}.get(status, "unavailable")
    return json.dumps(
        {"error": {"code": code, "message": "Injected by the fault proxy.", "field": None}}
    ).encode()


async def _answer(
    writer: asyncio.StreamWriter,
    status: int,
    body: bytes,
    headers: dict[str, str],
    *,
    cut: bool = False,
) -> None:
    lines = [f"HTTP/1.1 {status} X", f"content-length: {len(body)}"]
    if "content-type" not in headers:
        lines.append("content-type: application/json")
    lines += [f"{k}: {v}" for k, v in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    writer.write(body[: len(body) // 2] if cut else body)
    await writer.drain()
