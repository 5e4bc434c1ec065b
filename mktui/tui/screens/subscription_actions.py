"""The Subscription area's money steps: the server's preview, the confirmation, the PATCH.

A mixin of :class:`mktui.tui.screens.subscription.SubscriptionScreen` (kept apart
so each module reads on its own): every step runs in a worker, after a
confirmation stating the amount and the card, with one Idempotency-Key per
confirm intent; a decline or a new price changes nothing and says so.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from mktui.core.words import count
from mktui.tui.services.subscription_change import cancel_confirmation, change_confirmation
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import PreviewPanel, differences, format_date, from_wire
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.core import pricing
    from mktui.tui.services.intent import Intent
    from mktui.tui.services.subscription_change import SubscriptionData


class DeviceChanges:
    """Change the number of devices, or cancel a scheduled decrease (needs the screen's widgets)."""

    data: SubscriptionData | None
    _intent: Intent

    # The screen provides console, app, is_attached, query_one, notify, load, set_status and
    # _close_editor.

    @work(exclusive=True, group="subscription-change", exit_on_error=False)
    async def change_devices(self, devices: int, local: pricing.Preview) -> None:
        """The server's preview, compared; the confirmation; then ``PATCH /v1/subscription``."""
        from mktui.api.errors import ApiError, ErrorKind
        from mktui.api.models import PreviewRequest
        from mktui.tui.screens.dialogs import ConfirmModal

        assert self.data is not None
        try:
            client = await self.console.session.ready_client()
            try:
                wire = await client.preview(PreviewRequest(devices=devices))
            except ApiError as error:
                if error.kind is ErrorKind.VALIDATION and error.field == "devices":
                    self.query_one("#subscription-new-devices-field", LabelledField).set_error(
                        safe_text(error.message)
                    )
                    return
                raise
            server = from_wire(wire)
            if server.total.minor:
                # A charge: the confirmation must name the card the server will charge, even
                # if the default was changed elsewhere since this area loaded.
                methods = await client.payment_methods()
                self.data = replace(
                    self.data, default_method=next((m for m in methods if m.is_default), None)
                )
            found = self._show_server(local, server)
            if server.total.minor and self.data.card is None:
                self.set_status(
                    f"Adding devices charges {format_money(server.total)} now and there is no "
                    "default card: add one in Payment methods (m), then confirm again."
                )
                return
            title, lines, label = change_confirmation(self.data, devices, server, found)
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(title, lines, confirm_label=label)
            )
            if not confirmed:
                self.set_status("Nothing changed.", ok=True)
                return
            await self._patch(devices, server)
        finally:
            self.end_money()

    def _show_server(self, local: pricing.Preview, server: pricing.Preview) -> list[str]:
        panel = self.query_one(PreviewPanel)
        panel.set_title("The server's preview")
        panel.show(server)
        found = differences(local, server)
        if found:
            panel.set_note("Differs from the price computed here: " + " ".join(found), differs=True)
        else:
            panel.set_note("Matches the price computed here, line by line.")
        return found

    async def _patch(self, devices: int, server: pricing.Preview) -> None:
        """Send the change; a decline or a new price changes nothing and says so."""
        from mktui.api.errors import ApiError, ErrorKind
        from mktui.api.models import ChangeDevicesRequest, PreviewRequest

        assert self.data is not None and self.data.subscription is not None
        current = self.data.subscription.devices
        client = await self.console.session.ready_client()
        key = self._intent.key(("devices", devices, server.total.minor))
        try:
            result = await client.change_devices(
                ChangeDevicesRequest(devices=devices, expected_total=server.total.minor),
                idempotency_key=key,
            )
        except ApiError as error:
            if error.kind is ErrorKind.PAYMENT_FAILED:
                self._intent.end()
                self.set_status(
                    f"{self.data.card} was declined: {safe_text(error.message)} "
                    f"Nothing changed: you still have {count(current, 'device')}."
                )
                return
            if error.kind is ErrorKind.PRICE_CHANGED:
                self._intent.end()
                fresh = from_wire(await client.preview(PreviewRequest(devices=devices)))
                self._show_server(server, fresh)
                self.set_status(
                    f"The price changed before the change was made: it is now "
                    f"{format_money(fresh.total)}. Nothing was charged. Review the new "
                    "preview and press Enter to confirm again."
                )
                return
            if error.kind is ErrorKind.UNAVAILABLE:
                # The change may have been made: show the server's figures before anything else.
                self.set_status(
                    "The answer to the change was lost on the way, so it may have been made. "
                    "The figures are loaded again: check them before changing anything."
                )
                self.load()
            raise
        self._intent.end()
        invoice = result.invoice
        if devices > current:
            paid = format_money(server.total)
            done = f"You now have {count(result.subscription.devices, 'device')}"
            done += f"; paid {paid} with {self.data.card}." if server.total.minor else "."
        else:
            done = (
                f"From {format_date(server.effective)} you will have {count(devices, 'device')}; "
                "nothing was charged."
            )
        if invoice is not None:
            done += f" Invoice {safe_text(invoice.number, limit=40)}."
        self.notify(done, title="Subscription changed", markup=False)
        self._close_editor()
        self.set_status(done, ok=True)
        await self._after_change()

    async def _after_change(self) -> None:
        from mktui.tui.services.area_refresh import reset_other_areas

        await reset_other_areas(self.app, self.console.money)
        if self.is_attached:  # a reset never removes the busy area, but never reload a removed one
            self.load()

    # ------------------------------------------------------------------ cancel a decrease
    def action_cancel_decrease(self) -> None:
        """Keep the current number: confirm, then PATCH back to it (nothing is charged)."""
        if self.busy or not self.check_action("cancel_decrease", ()):
            return
        self.begin_money("a change of devices")
        self.set_status("")
        self.cancel_decrease()

    @work(exclusive=True, group="subscription-change", exit_on_error=False)
    async def cancel_decrease(self) -> None:
        """Pricing has no preview for "back to the current number": its own sentence instead."""
        from mktui.api.models import ChangeDevicesRequest
        from mktui.tui.screens.dialogs import ConfirmModal

        data = self.data
        assert data is not None and data.subscription is not None
        try:
            current = data.subscription.devices
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(
                    "Cancel the scheduled decrease",
                    cancel_confirmation(data),
                    confirm_label=f"Keep {count(current, 'device')}",
                )
            )
            if not confirmed:
                self.set_status("The decrease stays scheduled.", ok=True)
                return
            client = await self.console.session.ready_client()
            key = self._intent.key(("keep", current, data.scheduled))
            await client.change_devices(
                ChangeDevicesRequest(devices=current, expected_total=0), idempotency_key=key
            )
            self._intent.end()
            done = f"The decrease is cancelled: you keep {count(current, 'device')}. Nothing was charged."
            self.notify(done, title="Subscription changed", markup=False)
            self.set_status(done, ok=True)
            await self._after_change()
        finally:
            self.end_money()
