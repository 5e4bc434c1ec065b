"""Refuse request bodies over 64 KiB: by Content-Length up front, and while streaming.

A declared length over the limit is answered 413 before the app runs. A body
without a length (chunked) is counted as it arrives; crossing the limit raises
an HTTPException the app's handler turns into the same 413.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024

_BODY = {
    "error": {
        "code": "payload_too_large",
        "message": "The request body is larger than 64 KiB; send a smaller one.",
        "field": None,
    }
}


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body crosses the limit."""

    def __init__(self) -> None:
        super().__init__(413, _BODY["error"]["message"])


class BodyLimit:
    """Pure ASGI middleware enforcing :data:`MAX_BODY`."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared > self.max_body or declared < 0:
                await _refuse(send, 413 if declared > self.max_body else 400)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, status: int) -> None:
    body = (
        _BODY
        if status == 413
        else {
            "error": {
                "code": "malformed",
                "message": "The Content-Length header is not a number.",
                "field": None,
            }
        }
    )
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
