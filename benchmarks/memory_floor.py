"""The least memory any console on this stack holds with the sandbox in process: a reference, not mktui.

A one-line Textual app that, after its first frame, does what ``--sandbox``
cannot do without: it creates the sandbox we ship (FastAPI over SQLite) on the
database given as its argument, signs in through httpx's ASGI transport,
fetches ``GET /v1/account``, validates it with a one-field pydantic model,
formats an amount with Babel (money follows the locale) and shows the name.
``benchmarks/scale.py`` reads its RSS idle next to mktui's in the same run: what
is left between the two is what mktui itself holds (its screens, models and data).
"""

from __future__ import annotations

import sys
from decimal import Decimal

from textual.app import App, ComposeResult
from textual.widgets import Static

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


class MemoryFloor(App):
    def compose(self) -> ComposeResult:
        yield Static("starting", id="out")

    def on_mount(self) -> None:
        self.call_after_refresh(lambda: self.run_worker(self.fetch()))

    async def fetch(self) -> None:
        import httpx
        import pydantic
        from babel.numbers import format_currency

        from mktui.sandbox.app import create_app

        class Account(pydantic.BaseModel):
            name: str

        transport = httpx.ASGITransport(app=create_app(sys.argv[1]))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            signed = await client.post(
                "/v1/auth/token",
                json={"email": "demo@mkcontroller.test", "password": "sandbox"},
            )
            token = signed.json()["access_token"]
            answer = await client.get("/v1/account", headers={"Authorization": f"Bearer {token}"})
        account = Account.model_validate_json(answer.content)
        amount = format_currency(Decimal("1548.00"), "BRL", locale="en_US")
        self.query_one("#out", Static).update(f"FLOOR READY {account.name} {amount}")


if __name__ == "__main__":
    MemoryFloor().run()
