"""The sandbox in process: a billing client wired to the sandbox app, with no port and no network.

The console's ``--sandbox`` and ``mktui login --sandbox`` use it. It lives with the
sandbox, not with the client, so the client never imports the server (the layers
run one way: console and command line → sandbox → client → core).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from mktui.api.client import SANDBOX_URL, BillingClient
from mktui.sandbox.app import create_app


def sandbox_client(
    db_path: Path | str, *, now: datetime | None = None, **options: Any
) -> BillingClient:
    """A client of the in-process sandbox stored at ``db_path``.

    ``now`` pins the test clock of a new sandbox database (snapshot tests);
    ``options`` are :class:`BillingClient`'s (``tokens``, ``sleep``…).
    """
    app = create_app(db_path, now=now)
    # A sandbox bug answers 500 like a real server would, instead of raising into the UI.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return BillingClient(SANDBOX_URL, transport=transport, allow_insecure_http=True, **options)
