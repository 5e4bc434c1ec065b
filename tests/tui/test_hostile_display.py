"""Proof (console half of the hostile-input catalogue): every screen's display of server text.

Hostile strings are planted in every text the server sends that a screen
shows — the account name, contact names and emails, card holder names,
invoice numbers, line descriptions and failure messages, ledger
descriptions — then every area and the invoice detail are opened and what
reaches the terminal (rendered with colours, as a terminal receives it) is
searched for the planted escape sequences, bidi overrides and card numbers.
"""

from __future__ import annotations

import io
import json

from rich.console import Console

from mktui.tui.screens.contacts import ContactsScreen
from mktui.tui.screens.financial import FinancialScreen
from mktui.tui.screens.history import HistoryScreen
from mktui.tui.screens.invoice_detail import InvoiceDetailModal
from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.screens.payment_methods import PaymentMethodsScreen
from mktui.tui.screens.subscription import SubscriptionScreen
from tests.proofs import figures

from .conftest import screen_text, settle
from .records_helpers import open_area, wait_for

CARD = "4000056655665556"
PAYLOADS = [
    "\x1b]0;PWNED\x07",  # sets the terminal's title
    "\x1b[2J",  # clears the screen
    "\x1b[31m",  # recolours
    "\u202e",  # right-to-left override
    "\u2066",  # bidi isolate
    "\x9b31m",  # an 8-bit CSI
]
# The payloads' active parts (the text after a stripped ESC is harmless and may show).
FORBIDDEN = ["\x1b]0;", "\x07", "\x1b[2J", "\u202e", "\u2066", "\x9b", CARD, "4000 0566 5566 5556"]


def _hostile(label: str) -> str:
    return f"{label} {''.join(PAYLOADS)} [bold]x[/ {CARD} 4000 0566 5566 5556 end"


def _plant(sandbox_app) -> int:
    """Hostile text in every column a screen shows; the number of strings planted."""
    planted = 0
    with sandbox_app.state.store.write() as conn:
        demo = conn.execute(
            "SELECT id FROM accounts WHERE email = 'demo@mkcontroller.test'"
        ).fetchone()[0]
        planted += conn.execute(
            "UPDATE accounts SET name = ? WHERE id = ?", (_hostile("acct"), demo)
        ).rowcount
        planted += (
            conn.execute(
                "UPDATE contacts SET name = ?, email = ? || seq || '@x.com' WHERE account_id = ?",
                (_hostile("contact"), _hostile("mail"), demo),
            ).rowcount
            * 2
        )
        planted += conn.execute(
            "UPDATE payment_methods SET holder_name = ? WHERE account_id = ?",
            (_hostile("holder"), demo),
        ).rowcount
        planted += conn.execute(
            "UPDATE ledger SET description = ? WHERE account_id = ?", (_hostile("ledger"), demo)
        ).rowcount
        for row in conn.execute(
            "SELECT id, lines FROM invoices WHERE account_id = ?", (demo,)
        ).fetchall():
            lines = json.loads(row["lines"])
            for line in lines:
                line["description"] = _hostile("line")
            conn.execute(
                "UPDATE invoices SET lines = ?, number = ? || number, failure_message = ? "
                "WHERE id = ?",
                (json.dumps(lines), "\x1b[2J\u202e", _hostile("failure"), row["id"]),
            )
            planted += 3
    return planted


def _terminal_bytes(app) -> str:
    """What the screen writes to a colour terminal (styles as escape codes), as text."""
    width, height = app.size
    out = io.StringIO()
    console = Console(
        width=width, height=height, file=out, color_system="truecolor", force_terminal=True
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return out.getvalue()


async def test_no_planted_escape_bidi_or_card_number_reaches_the_terminal(make_app, sandbox_app):
    planted = _plant(sandbox_app)
    seen: dict[str, int] = {}
    app = make_app("demo")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)

        def look(name: str) -> None:
            raw = _terminal_bytes(app)
            text = screen_text(app)
            found = [bad for bad in FORBIDDEN if bad in raw or bad in text]
            found += ["ESC in the text"] if "\x1b" in text else []
            assert not found, f"{name}: {found!r} reached the terminal"
            assert "[bold]x[/" in text or name in ("subscription",), f"{name}: markup was parsed"
            seen[name] = text.count("end")

        assert isinstance(app.screen, FinancialScreen)
        look("financial")
        for key, screen_type, name in (
            ("u", SubscriptionScreen, "subscription"),
            ("i", InvoicesScreen, "invoices"),
            ("m", PaymentMethodsScreen, "payment methods"),
            ("c", ContactsScreen, "contacts"),
            ("h", HistoryScreen, "history"),
        ):
            await open_area(pilot, key, screen_type)
            look(name)
            if key == "i":
                await pilot.press("enter")
                await wait_for(pilot, InvoiceDetailModal)
                look("invoice detail")
                await pilot.press("escape")
                await settle(pilot)
    shown = sum(seen.values())
    figures.report(
        f"hostile display: {planted} hostile strings planted, {len(seen)} screens opened, "
        f"{shown} of them on screen; escape sequences, bidi overrides and card numbers "
        "reaching the terminal: 0"
    )
    assert shown > 0
