"""Pay by Pix: the charge's QR code in the terminal, its "copia e cola", a countdown, and the news.

The server makes (or hands back) the invoice's live Pix charge; the screen
draws its BR Code as a QR code when the terminal has room for one that scans
(else the code alone, with a word on why), shows the amount and how long the
charge can still be paid, and polls the invoice: the moment the payer's bank
pays it, "Paid by Pix" and the account's status, fresh from the server. An
expired charge is renewed with one key. Nothing here moves money: the payer's
bank does, outside mktui.

The countdown runs on the server's clock (``Account.now``, the sandbox's test
clock), advanced by the time elapsed here, and jumps ahead whenever the server
says its clock is further on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from time import monotonic
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from mktui.core.i18n import N_, _
from mktui.tui.screens.base import ConsoleModal
from mktui.tui.widgets.money import format_minor
from mktui.tui.widgets.qr_code import QrCode, fit
from mktui.tui.widgets.status_line import StatusLine
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.models import Account, Invoice, PixCharge

SIDE_WIDTH = 34
"""Columns the amount, countdown and copia e cola take beside the code."""

# The account's status after paying: the msgids of mktui.cli.words, one translation for both.
_ACCOUNT_WORDS = {
    "active": N_("active"),
    "inactive": N_("inactive"),
    "past_due": N_("past due"),
    "suspended": N_("suspended"),
}


def remaining_words(left: timedelta) -> str:
    """``12:05`` (minutes:seconds) of a charge's remaining time; never negative."""
    seconds = max(0, int(left.total_seconds()))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class PixPayModal(ConsoleModal):
    """The live Pix charge of one invoice; dismissed with True once it is paid."""

    POLL_SECONDS = 2.0
    """How often the invoice is asked for while the charge can be paid."""

    BINDINGS = [
        Binding("c", "copy", N_("Copy code"), id="pix.copy", tooltip=N_("Copy the copia e cola")),
        Binding(
            "r", "renew", N_("New code"), id="pix.renew", tooltip=N_("Ask for a new Pix charge")
        ),
        Binding("escape", "close", N_("Close"), id="pix.close"),
    ]

    def __init__(self, invoice: Invoice) -> None:
        super().__init__(id="pix-screen")
        self.invoice = invoice
        self.charge: PixCharge | None = None
        self.account: Account | None = None
        self.paid = False
        self._server_now: datetime | None = None
        self._read_at = 0.0

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="pix-body"):
            yield QrCode(id="pix-qr")
            with Vertical(id="pix-side"):
                yield Static(Content(_("Pay by Pix")), id="pix-title", classes="dialog--title")
                yield Static(self._amount_text(), id="pix-amount")
                yield Static(Content(_("Asking the bank for a Pix charge…")), id="pix-expiry")
                yield Static("", id="pix-fallback", classes="hint")
                yield Static(Content(_("Copia e cola (c copies it):")), id="pix-code-label")
                yield TextArea(
                    "", id="pix-code", read_only=True, soft_wrap=True, show_line_numbers=False
                )
                yield StatusLine(id="pix-status")
                yield Static("", id="pix-txid", classes="hint")

    def _amount_text(self) -> Content:
        invoice = self.invoice
        amount = format_minor(invoice.amount_due, invoice.currency)
        return Content(
            _("{amount}, invoice {number}").format(
                amount=amount, number=safe_text(invoice.number, limit=40)
            )
        )

    def on_mount(self) -> None:
        self.query_one("#pix-code-label").display = False
        self.query_one("#pix-code").display = False
        self.set_interval(1.0, self._tick, name="pix-countdown")
        self.set_interval(self.POLL_SECONDS, self._poll_now, name="pix-poll")
        self.ask_for_charge()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        """The code as big as scans and fits; the copia e cola alone when none fits."""
        qr = self.query_one(QrCode)
        fallback = self.query_one("#pix-fallback", Static)
        if self.charge is None or self.paid or self._expired():
            qr.show(None)
            self.set_class(True, "-no-qr")
            fallback.update("")
            return
        rows = self.size.height - 1  # the footer
        columns = self.size.width - SIDE_WIDTH - 1
        drawing = fit(self.charge.br_code, rows=rows, columns=columns)
        qr.show(drawing)
        self.set_class(drawing is None, "-no-qr")
        fallback.update(
            ""
            if drawing is not None
            else Content(
                _(
                    "The window is too small for a QR code that scans: copy the code below "
                    "into the bank's app, or enlarge the window."
                )
            )
        )

    # ------------------------------------------------------------------ the charge
    @work(exclusive=True, group="pix-charge", exit_on_error=False)
    async def ask_for_charge(self) -> None:
        """Ask for the invoice's live charge (the same one while it lives) and the server's now."""
        from mktui.api.client import new_idempotency_key

        client = await self.console.session.ready_client()
        charge = await client.pix_charge(self.invoice.id, idempotency_key=new_idempotency_key())
        account = await client.account()
        self._set_clock(account.now, rebase=True)
        self.account = account
        self.charge = charge
        code = self.query_one("#pix-code", TextArea)
        code.load_text(charge.br_code)
        code.display = True
        self.query_one("#pix-code-label").display = True
        self.query_one("#pix-txid", Static).update(
            Content(f"txid {safe_text(charge.txid, limit=40)}")
        )
        self.query_one(StatusLine).say(_("Waiting for the payment…"), ok=True)
        self._draw()
        self._tick()
        self.refresh_bindings()

    def _set_clock(self, server_now: datetime, *, rebase: bool = False) -> None:
        """Take the server's time; only forward, unless a fresh charge rebases it."""
        if rebase or self._server_now is None or server_now > self._now():
            self._server_now = server_now
            self._read_at = monotonic()

    def _now(self) -> datetime:
        assert self._server_now is not None
        return self._server_now + timedelta(seconds=monotonic() - self._read_at)

    def _expired(self) -> bool:
        return (
            self.charge is not None
            and self._server_now is not None
            and (self._now() >= self.charge.expires_at)
        )

    def _tick(self) -> None:
        """The countdown; on expiry the code is taken away and r offered."""
        if self.charge is None or self.paid or self._server_now is None:
            return
        expiry = self.query_one("#pix-expiry", Static)
        zone = ZoneInfo(self.account.billing_timezone if self.account else "America/Sao_Paulo")
        at = self.charge.expires_at.astimezone(zone).strftime("%H:%M")
        if self._expired():
            expiry.update(
                Content(_("This Pix expired at {time}. Press r for a new code.").format(time=at))
            )
            if self.query_one(QrCode).drawing is not None:
                self.query_one("#pix-code").display = False
                self.query_one("#pix-code-label").display = False
                self.query_one(StatusLine).say(_("Expired: nothing was paid with this code."))
                self._draw()
                self.refresh_bindings()
            return
        left = remaining_words(self.charge.expires_at - self._now())
        expiry.update(Content(_("Expires in {left} (at {time})").format(left=left, time=at)))

    def _poll_now(self) -> None:
        if self.charge is not None and not self.paid:
            self.poll()

    @work(exclusive=True, group="pix-poll", exit_on_error=False)
    async def poll(self) -> None:
        """Ask for the invoice (and the server's time); show it paid the moment it is."""
        client = await self.console.session.ready_client()
        invoice = await client.invoice(self.invoice.id)
        account = await client.account()
        self._set_clock(account.now)
        self.account = account
        if invoice.status == "paid" and not self.paid:
            await self._paid(invoice, account)

    async def _paid(self, invoice: Invoice, account: Account) -> None:
        from mktui.tui.services.area_refresh import reset_other_areas

        self.paid = True
        self.invoice = invoice
        self.console.session.account = account
        by_pix = invoice.paid_with is not None and invoice.paid_with.method == "pix"
        self.query_one("#pix-title", Static).update(
            Content(_("Paid by Pix") if by_pix else _("Paid"))
        )
        word = _ACCOUNT_WORDS.get(account.status)
        status = _(word) if word is not None else safe_text(account.status.replace("_", " "))
        number = safe_text(invoice.number, limit=40)
        self.query_one(StatusLine).say(
            _("Invoice {number} is paid. The account is {status}.").format(
                number=number, status=status
            ),
            ok=True,
        )
        self.query_one("#pix-expiry", Static).update("")
        self.query_one("#pix-code").display = False
        self.query_one("#pix-code-label").display = False
        self._draw()
        self.refresh_bindings()
        self.notify(
            _("Invoice {number} paid by Pix.").format(number=number), title=_("Paid"), markup=False
        )
        await reset_other_areas(self.app, self.console.money)

    # ------------------------------------------------------------------ keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy":
            return self.charge is not None and not self.paid and not self._expired()
        if action == "renew":
            return self.charge is not None and not self.paid and self._expired()
        return True

    def action_copy(self) -> None:
        """Copy the copia e cola to the clipboard (OSC 52, where the terminal allows it)."""
        if self.charge is None:
            return
        self.app.copy_to_clipboard(self.charge.br_code)
        self.notify(
            _(
                "The copia e cola is on the clipboard, if the terminal allows it; "
                "otherwise select it on screen."
            ),
            markup=False,
        )

    def action_renew(self) -> None:
        """Ask for a new charge after this one expired."""
        self.query_one(StatusLine).say(_("Asking the bank for a new Pix charge…"), ok=True)
        self.ask_for_charge()

    def action_close(self) -> None:
        """Close; True when the invoice was paid (the list loads again)."""
        self.dismiss(self.paid)
