"""The uvicorn server of ``mktui sandbox serve``, which says it listens only once it does."""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn


class ReadyServer(uvicorn.Server):
    """A uvicorn server that calls ``on_ready`` once its sockets accept connections.

    Printing "listening on" before ``startup`` told scripts to connect to a
    port nobody answered yet.
    """

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start serving, then announce it (not when startup failed)."""
        await super().startup(sockets=sockets)
        if self.started:
            self._on_ready()


def server_config(app: object, *, proxy: str | None) -> uvicorn.Config:
    """uvicorn's settings for the sandbox: X-Forwarded-For believed only from ``proxy``.

    uvicorn trusts the header from 127.0.0.1 by default, so anything on this
    machine (or a local reverse proxy passing it through) could pick the
    address the sign-in limit counts: bypass it, or lock another address out.
    """
    return uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        proxy_headers=proxy is not None,
        forwarded_allow_ips=proxy or "",
    )
