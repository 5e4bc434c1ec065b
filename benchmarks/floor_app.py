"""The least any console on this stack can do before it shows served data: a reference, not mktui.

A one-line Textual app that, after its first frame, imports httpx (without its
command-line client and trust store, as mktui does) and pydantic, fetches
``GET /v1/account`` from ``$MKTUI_FLOOR_URL`` with ``$MKTUI_TOKEN``, validates
it with a one-field model and shows the name. ``benchmarks/startup.py`` times
it next to mktui, against the same server, to show where the stack's floor is.
"""

from __future__ import annotations

import os
import ssl
import sys

from textual.app import App, ComposeResult
from textual.widgets import Static

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


class Floor(App):
    def compose(self) -> ComposeResult:
        yield Static("starting", id="out")

    def on_mount(self) -> None:
        self.call_after_refresh(lambda: self.run_worker(self.fetch()))

    async def fetch(self) -> None:
        import httpx
        import pydantic

        class Account(pydantic.BaseModel):
            name: str

        async with httpx.AsyncClient(
            base_url=os.environ["MKTUI_FLOOR_URL"],
            headers={"Authorization": f"Bearer {os.environ['MKTUI_TOKEN']}"},
            verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
        ) as client:
            answer = await client.get("/v1/account")
        account = Account.model_validate_json(answer.content)
        self.query_one("#out", Static).update(f"FLOOR READY {account.name}")


if __name__ == "__main__":
    Floor().run()
