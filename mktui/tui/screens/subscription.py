"""The Subscription area: plan, devices, scheduled change and period; change devices or plan; cancel.

``d`` opens the new-total field; every keystroke re-checks it and re-prices
the change locally (:func:`mktui.core.pricing.preview_change` with the server's
prices and ``now``). Enter (or ctrl+y) fetches the server's own preview, names
any difference, and asks for a confirmation stating the amount and the card;
only then is ``PATCH /v1/subscription`` sent, with ``expected_total`` and one
Idempotency-Key per confirm intent (:class:`mktui.tui.services.intent.Intent`).

``p`` switches monthly ↔ annual the same way (the local price of
:mod:`mktui.core.pricing_lifecycle` first, Enter for the server's and the
confirmation); ``c`` cancels at the next 1st behind a confirmation stating
the end date, the quota and the credit, and ``r`` resumes while it is scheduled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from mktui.api.errors import ApiError, ErrorKind
from mktui.core import pricing
from mktui.core.i18n import N_, _
from mktui.core.words import count, plan_name, plan_word
from mktui.tui.screens.area import AreaScreen
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.guard_dialogs import PAY_FIRST, ConfirmOrPayFirstModal, TypeAgainModal
from mktui.tui.services.area_refresh import reset_other_areas
from mktui.tui.services.device_changes import (
    DeviceChanges,
    overdue_before_adding,
    retype_sentence,
)
from mktui.tui.services.plan_changes import (
    PlanChanges,
    cancel_confirmation_lines,
    is_undo,
    local_switch_preview,
    resume_confirmation_lines,
    switch_confirmation,
    switch_label,
    target_plan,
)
from mktui.tui.services.quoted_change import ChangeOutcome
from mktui.tui.services.subscription_change import (
    SubscriptionData,
    cancel_confirmation,
    change_confirmation,
    check_devices,
    load_subscription,
)
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.money import format_money
from mktui.tui.widgets.preview_panel import PreviewPanel, differences, format_date
from mktui.tui.widgets.status_line import StatusLine
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.api.models import Subscription

_ROWS = (
    ("plan", N_("Plan")),
    ("devices", N_("Devices")),
    ("scheduled", N_("Scheduled")),
    ("period", N_("Period")),
    ("renewal", N_("Renewal")),
)
_LOCAL_TITLE = N_("Price of the change (computed here as you type)")
_PLAN_TITLE = N_("Price of the switch (computed here)")
_FETCHED = N_("The server's own preview is fetched before anything changes.")


class SubscriptionScreen(AreaScreen):
    """The subscription at a glance; ``d`` changes the number of devices behind a confirmation."""

    MODE = "subscription"
    TITLE_TEXT = N_("Subscription")
    BINDINGS = [
        Binding(
            "d",
            "modify",
            # One word, as the other languages say it: at 80 columns the area's five keys
            # and Quit then fit (the palette's command says "Modify devices").
            N_("Devices"),
            id="subscription.modify",
            tooltip=N_("Type a new total number of devices and see the price"),
        ),
        Binding(
            "ctrl+y",
            "review",
            N_("Confirm change"),
            id="subscription.confirm",
            tooltip=N_("Check the server's price, then confirm the change"),
        ),
        Binding(
            "x",
            "cancel_decrease",
            N_("Cancel decrease"),
            id="subscription.cancel-decrease",
            tooltip=N_("Keep the current number of devices; nothing is charged"),
        ),
        Binding(
            "p",
            "switch_plan",
            N_("Switch plan"),
            id="subscription.switch-plan",
            tooltip=N_("Monthly ↔ annual: see the price, then confirm"),
        ),
        Binding(
            # Not c: that is the Contacts area's key everywhere.
            "x",
            "cancel_subscription",
            N_("Cancel subscription"),
            id="subscription.cancel",
            tooltip=N_("End the subscription on the next 1st (it can be resumed until then)"),
        ),
        # r refreshes the area, except while a cancellation is scheduled: then it resumes
        # (check_action lets exactly one of the two run, and Textual tries the next binding
        # of a key when one is not allowed).
        Binding(
            "r",
            "resume",
            N_("Resume"),
            id="subscription.resume",
            tooltip=N_("Undo the scheduled cancellation; renewals go on as before"),
        ),
        # Declared again: a subclass's r replaces all of its base's r bindings in Textual.
        Binding(
            "r", "refresh", N_("Refresh"), id="area.refresh", tooltip=N_("Load this area again")
        ),
    ]

    data: SubscriptionData | None = None

    def __init__(self) -> None:
        super().__init__()
        self.editing = False
        self.switching = False
        """The plan switch's price is open (``p``)."""
        self.changes = DeviceChanges()
        self.plans = PlanChanges()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="subscription-body"):
            yield Static(_("Subscription"), classes="area--title")
            with Grid(id="subscription-grid"):
                for key, label in _ROWS:
                    yield Label(_(label), classes="subscription--label")
                    yield Static("—", id=f"subscription-{key}", classes="subscription--value")
            with Vertical(id="subscription-editor"):
                yield LabelledField(
                    _("New total number of devices"),
                    FieldInput(
                        compact=True,
                        id="subscription-new-devices",
                        max_length=6,
                        placeholder=_("e.g. {example}").format(example="12"),
                    ),
                    hint=_("Enter reviews and confirms; Escape leaves it unchanged."),
                    id="subscription-new-devices-field",
                )
                yield PreviewPanel(_(_LOCAL_TITLE), id="subscription-preview")
            with Vertical(id="subscription-plan-editor"):
                yield PreviewPanel(_(_PLAN_TITLE), id="subscription-plan-preview")
                yield Button(
                    _("Check the server's price and confirm (Enter)"),
                    id="subscription-plan-review",
                    compact=True,
                )
            yield StatusLine(id="subscription-status")
            yield Static("", id="subscription-next-step", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#subscription-editor").display = False
        self.query_one("#subscription-plan-editor").display = False
        self.load()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 110, "-wide")

    def action_refresh(self) -> None:
        """Load the subscription again."""
        if not self.busy:
            self.load()

    @work(exclusive=True, group="subscription-load", exit_on_error=False)
    async def load(self) -> None:
        """Fetch the account, subscription, prices and default card."""
        body = self.query_one("#subscription-body")
        body.loading = True
        try:
            client = await self.console.session.ready_client()
            data = await load_subscription(client)
        finally:
            body.loading = False
        self.console.session.account = data.account
        self.show(data)

    def show(self, data: SubscriptionData) -> None:
        """Fill the summary from ``data``."""
        self.data = data
        self.on_screen_resume()
        sub = data.subscription

        def put(key: str, text: str) -> None:
            self.query_one(f"#subscription-{key}", Static).update(Content(text))

        if sub is None:
            for key, _label in _ROWS:
                put(key, "—")
            put("plan", _("No subscription yet"))
            step = _("Not subscribed yet: press f, then s to subscribe.")
        else:
            put("plan", f"{plan_name(sub.plan)} · {sub.currency}")
            put(
                "devices",
                _("{quota} (quota) · {n} in use").format(
                    quota=sub.devices, n=data.account.devices_in_use
                ),
            )
            put(
                "scheduled",
                _("{devices} from {date}").format(
                    devices=count(data.scheduled, "device"), date=format_date(data.next_first)
                )
                if data.scheduled is not None
                else _("no change scheduled"),
            )
            put(
                "period",
                _("{start} to {end}").format(
                    start=format_date(sub.current_period_start),
                    end=format_date(sub.current_period_end),
                ),
            )
            put("renewal", _renewal_text(sub))
            if sub.cancel_at is not None:
                put("scheduled", _("cancels on {date}").format(date=format_date(sub.cancel_at)))
            elif sub.scheduled_plan is not None and sub.scheduled_plan != sub.plan:
                put(
                    "scheduled",
                    _("{plan} plan from {date}").format(
                        plan=plan_word(sub.scheduled_plan), date=format_date(data.next_first)
                    )
                    + (f"; {count(data.scheduled, 'device')}" if data.scheduled else ""),
                )
            step = _("Press d to change the number of devices, p to {action}.").format(
                action=_lower_first(switch_label(sub))
            )
            if data.scheduled is not None:
                step += " " + _("Press x to cancel the scheduled decrease.")
            if sub.cancel_at is not None:
                step = _(
                    "Cancels on {date}: no renewal then, and the account "
                    "becomes inactive. Press r to resume it."
                ).format(date=format_date(sub.cancel_at))
            if data.account.status == "suspended":
                step = _(
                    "The account is suspended: pay the overdue invoices (i) before changing it."
                )
        self.query_one("#subscription-next-step", Static).update(Content(step))
        self.refresh_bindings()

    # ------------------------------------------------------------------ keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        changeable = (
            self.data is not None
            and self.data.subscription is not None
            and self.data.account.status != "suspended"
        )
        sub = self.data.subscription if self.data is not None else None
        ending = sub is not None and sub.cancel_at is not None
        if action == "modify":
            return changeable and not ending
        if action == "review":
            return changeable and (self.editing or self.switching)
        if action == "cancel_decrease":
            return changeable and self.data is not None and self.data.scheduled is not None
        if action == "switch_plan":
            return changeable and not ending
        if action == "cancel_subscription":
            return sub is not None and not ending
        if action == "resume":
            return ending
        if action == "refresh":
            return not ending  # r resumes then (the palette still refreshes)
        return True

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """The Subscription area's palette entries."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (
                _("subscription: Refresh"),
                _("Load the subscription again (r)"),
                self.action_refresh,
            )
        ]
        if self.check_action("modify", ()):
            commands.append(
                (
                    _("subscription: Modify number of devices"),
                    _("Type a new total and see the price (d)"),
                    self.action_modify,
                )
            )
        if self.check_action("switch_plan", ()):
            assert self.data is not None and self.data.subscription is not None
            commands.append(
                (
                    _("subscription: {action}").format(action=switch_label(self.data.subscription)),
                    _("See the price of the switch, then confirm (p)"),
                    self.action_switch_plan,
                )
            )
        if self.check_action("cancel_subscription", ()):
            commands.append(
                (
                    _("subscription: Cancel subscription"),
                    _("End it on the next 1st; it can be resumed until then (x)"),
                    self.action_cancel_subscription,
                )
            )
        if self.check_action("resume", ()):
            commands.append(
                (
                    _("subscription: Resume"),
                    _("Undo the scheduled cancellation (r)"),
                    self.action_resume,
                )
            )
        if self.check_action("cancel_decrease", ()):
            commands.append(
                (
                    _("subscription: Cancel scheduled decrease"),
                    _("Keep the current number of devices (x)"),
                    self.action_cancel_decrease,
                )
            )
        return commands

    def action_modify(self) -> None:
        """Open the new-total field with the price beside it."""
        if not self.check_action("modify", ()) or self.busy:
            return
        self._close_plan()
        self.set_status("")
        self.editing = True
        self.query_one("#subscription-editor").display = True
        self.query_one("#subscription-next-step").display = False
        field = self.query_one("#subscription-new-devices", Input)
        field.focus()
        self.recompute()
        self.refresh_bindings()

    def action_back(self) -> None:
        """Escape leaves the field first (nothing changes), then goes back to the hub."""
        if self.editing and not self.busy:
            self._close_editor()
            return
        if self.switching and not self.busy:
            self._close_plan()
            return
        super().action_back()

    def _close_editor(self) -> None:
        self.editing = False
        field = self.query_one("#subscription-new-devices", Input)
        field.value = ""
        self.query_one("#subscription-editor").display = False
        self.query_one("#subscription-next-step").display = True
        self.query_one("#subscription-new-devices-field", LabelledField).set_error(None)
        self.query_one("#sidebar").focus()
        self.refresh_bindings()

    # ------------------------------------------------------------------ the price as typed
    @on(Input.Changed, "#subscription-new-devices")
    def recompute(self) -> pricing.Preview | None:
        """Re-check the field and re-price the change (every keystroke)."""
        if self.data is None or self.data.subscription is None:
            return None
        raw = self.query_one("#subscription-new-devices", Input).value
        devices, problem = check_devices(raw, self.data, complete=False)
        self.query_one("#subscription-new-devices-field", LabelledField).set_error(problem or None)
        panel = self.query_one("#subscription-preview", PreviewPanel)
        panel.set_title(_(_LOCAL_TITLE))
        panel.set_note("")
        if devices is None:
            panel.show_message(_("Fix the number to see the price.") if problem else "")
            return None
        try:
            local = self.data.local_preview(devices)
        except pricing.PricingError as error:
            panel.show_message(error.sentence)
            return None
        panel.show(local)
        note = _(_FETCHED)
        if devices < self.data.subscription.devices:
            note = (
                _("Nothing is charged now; from {date} you will have {devices}.").format(
                    date=format_date(local.effective), devices=count(devices, "device")
                )
                + " "
                + note
            )
        panel.set_note(note)
        return local

    # ------------------------------------------------------------------ confirm and change
    @on(Input.Submitted, "#subscription-new-devices")
    def action_review(self) -> None:
        """Check the number, fetch the server's preview, confirm, then change (one at a time)."""
        if self.switching:
            self.review_plan()
            return
        if self.busy or self.data is None or not self.editing:
            return
        raw = self.query_one("#subscription-new-devices", Input).value
        devices, problem = check_devices(raw, self.data, complete=True)
        if devices is None:
            self.query_one("#subscription-new-devices-field", LabelledField).set_error(problem)
            self.query_one("#subscription-new-devices", Input).focus()
            return
        local = self.recompute()
        if local is None:
            return
        self.begin_money(N_("a change of devices"))
        self.set_status("")
        self.change_devices(devices, local)

    @work(exclusive=True, group="subscription-change", exit_on_error=False)
    async def change_devices(self, devices: int, local: pricing.Preview) -> None:
        """The server's preview, compared; the confirmation; then ``PATCH /v1/subscription``.

        With invoices overdue the confirmation offers to pay them first; a change
        that multiplies the amount by more than ten asks for the number again.
        """
        assert self.data is not None
        pay_first = False
        try:
            client = await self.console.session.ready_client()
            try:
                server = await self.changes.server_preview(client, devices)
            except ApiError as error:
                if error.kind is ErrorKind.VALIDATION and error.field == "devices":
                    self.query_one("#subscription-new-devices-field", LabelledField).point(
                        safe_text(error.message)
                    )
                    return
                raise
            if server.total.minor:
                self.data = await self.changes.with_default_card(client, self.data)
            found = self._show_server(
                local, server, self.query_one("#subscription-preview", PreviewPanel)
            )
            if server.total.minor and self.data.card is None:
                self.set_status(
                    _(
                        "Adding devices charges {amount} now and there is no "
                        "default card: add one in Payment methods (m), then confirm again."
                    ).format(amount=format_money(server.total))
                )
                return
            title, lines, label = change_confirmation(self.data, devices, server, found)
            overdue = overdue_before_adding(self.data, devices)
            if overdue is not None:
                lines = [overdue, "", *lines]
                modal = ConfirmOrPayFirstModal(title, lines, confirm_label=label)
            else:
                modal = ConfirmModal(title, lines, confirm_label=label)
            confirmed = await self.app.push_screen_wait(modal)
            if confirmed == PAY_FIRST:
                self.set_status(_("Nothing changed. Pay the overdue invoices first (Invoices, i)."))
                pay_first = True
                return
            why = retype_sentence(self.data, devices) if confirmed else None
            if why is not None:
                confirmed = await self.app.push_screen_wait(TypeAgainModal(devices, why))
            if not confirmed:
                self.set_status(_("Nothing changed."), ok=True)
                return
            await self._change(client, devices, server)
        finally:
            self.end_money()
            if pay_first:  # only now: no area opens while a change is in flight
                self.console.open_area("invoices")

    def _show_server(
        self, local: pricing.Preview | None, server: pricing.Preview, panel: PreviewPanel
    ) -> list[str]:
        panel.set_title(_("The server's preview"))
        panel.show(server)
        if local is None:
            panel.set_note(_("Nothing to price here: the server's figures are shown."))
            return []
        found = differences(local, server)
        if found:
            panel.set_note(
                _("Differs from the price computed here:") + " " + " ".join(found), differs=True
            )
        else:
            panel.set_note(_("Matches the price computed here, line by line."))
        return found

    async def _change(self, client: BillingClient, devices: int, server: pricing.Preview) -> None:
        """Send the change; a decline or a new price changes nothing and says so."""
        assert self.data is not None
        await self._sent(
            self.changes.change(client, self.data, devices, server),
            server,
            self.query_one("#subscription-preview", PreviewPanel),
            self._close_editor,
        )

    async def _sent(
        self,
        sending: Awaitable[ChangeOutcome],
        server: pricing.Preview,
        panel: PreviewPanel,
        close: Callable[[], None],
    ) -> None:
        """Await a change of devices or plan and show what it ended in (the shared last step)."""
        try:
            outcome = await sending
        except ApiError as error:
            if error.kind is ErrorKind.UNAVAILABLE:
                # The change may have been made: show the server's figures before anything else.
                self.set_status(
                    _(
                        "The answer to the change was lost on the way, so it may have been made. "
                        "The figures are loaded again: check them before changing anything."
                    )
                )
                self.load()
            raise
        if not outcome.changed:
            if outcome.fresh is not None:
                self._show_server(server, outcome.fresh, panel)
            self.set_status(outcome.sentence)
            return
        self.notify(outcome.sentence, title=_("Subscription changed"), markup=False)
        close()
        self.set_status(outcome.sentence, ok=True)
        await self._after_change()

    # ------------------------------------------------------------------ switch plan
    def action_switch_plan(self) -> None:
        """Open the price of the switch (monthly ↔ annual), computed here; Enter goes on."""
        if self.busy or not self.check_action("switch_plan", ()):
            return
        if self.editing:
            self._close_editor()
        self.switching = True
        self.set_status("")  # a sentence about an earlier step would read as about this one
        self.query_one("#subscription-plan-editor").display = True
        self.query_one("#subscription-next-step").display = False
        # Enter goes to the button (the sidebar would take it as "open an area").
        self.query_one("#subscription-plan-review", Button).focus()
        self.price_switch()
        self.refresh_bindings()

    def price_switch(self) -> pricing.Preview | None:
        """The local price of the switch, shown in its panel (None: nothing to price, or refused)."""
        assert self.data is not None and self.data.subscription is not None
        sub = self.data.subscription
        panel = self.query_one("#subscription-plan-preview", PreviewPanel)
        panel.set_title(_("{action}: price computed here").format(action=switch_label(sub)))
        try:
            local = local_switch_preview(self.data)
        except pricing.PricingError as error:
            panel.show_message(error.sentence)
            panel.set_note("")
            return None
        if local is None:
            panel.show_message(
                _(
                    "The switch to monthly scheduled for {date} is "
                    "dropped and the subscription stays {plan}; nothing is charged."
                ).format(date=format_date(self.data.next_first), plan=plan_word(sub.plan))
            )
            panel.set_note(_("Press Enter to confirm."))
            return None
        panel.show(local)
        note = _(_FETCHED)
        if target_plan(sub) == "monthly":
            note = (
                _("Nothing is charged now; renewals are monthly from {date}.").format(
                    date=format_date(local.effective)
                )
                + " "
                + note
            )
        panel.set_note(note)
        return local

    def _close_plan(self) -> None:
        if not self.switching:
            return
        self.switching = False
        self.query_one("#subscription-plan-editor").display = False
        self.query_one("#subscription-next-step").display = True
        self.query_one("#sidebar").focus()
        self.refresh_bindings()

    @on(Button.Pressed, "#subscription-plan-review")
    def review_plan(self) -> None:
        """The server's preview of the switch, the confirmation, then ``PATCH {plan}``."""
        if self.busy or self.data is None or not self.switching:
            return
        local = self.price_switch()
        assert self.data.subscription is not None
        if local is None and not is_undo(self.data.subscription):
            return  # the rules refused it: the panel says why
        self.begin_money(N_("a switch of plan"))
        self.set_status("")
        self.switch_plan(local)

    @work(exclusive=True, group="subscription-change", exit_on_error=False)
    async def switch_plan(self, local: pricing.Preview | None) -> None:
        """As for devices: the server's price compared, the confirmation stating amount and card."""
        assert self.data is not None and self.data.subscription is not None
        panel = self.query_one("#subscription-plan-preview", PreviewPanel)
        try:
            client = await self.console.session.ready_client()
            server = await self.plans.server_preview(client, target_plan(self.data.subscription))
            if server.total.minor:
                self.data = await self.plans.with_default_card(client, self.data)
            found = self._show_server(local, server, panel)
            if server.total.minor and self.data.card is None:
                self.set_status(
                    _(
                        "The annual plan charges {amount} now and there is no "
                        "default card: add one in Payment methods (m), then confirm again."
                    ).format(amount=format_money(server.total))
                )
                return
            title, lines, label = switch_confirmation(self.data, server, found)
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(title, lines, confirm_label=label, id="subscription-plan-confirm")
            )
            if not confirmed:
                self.set_status(_("Nothing changed."), ok=True)
                return
            await self._sent(
                self.plans.switch(client, self.data, server), server, panel, self._close_plan
            )
        finally:
            self.end_money()

    # ------------------------------------------------------------------ cancel and resume
    def action_cancel_subscription(self) -> None:
        """Confirm, then cancel at the next 1st (nothing is refunded; it can be resumed)."""
        if self.busy or not self.check_action("cancel_subscription", ()):
            return
        self.begin_money(N_("a cancellation"))
        self.set_status("")
        self.end_subscription()

    @work(exclusive=True, group="subscription-change", exit_on_error=False)
    async def end_subscription(self) -> None:
        """The confirmation states the end date, the quota, the credit and any debt."""
        data = self.data
        assert data is not None
        try:
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(
                    _("Cancel the subscription"),
                    cancel_confirmation_lines(data),
                    confirm_label=_("End it on {date}").format(date=format_date(data.next_first)),
                    cancel_label=_("Keep it"),
                    id="subscription-cancel-confirm",
                )
            )
            if not confirmed:
                self.set_status(_("The subscription goes on as before."), ok=True)
                return
            client = await self.console.session.ready_client()
            done = await self.plans.cancel(client)
            self.notify(done, title=_("Subscription canceled"), markup=False)
            self._close_editor()
            self._close_plan()
            self.set_status("")  # the toast says it, and the line under the figures keeps saying it
            await self._after_change()
        finally:
            self.end_money()

    def action_resume(self) -> None:
        """Undo the scheduled cancellation, behind a confirmation (nothing is charged)."""
        if self.busy or not self.check_action("resume", ()):
            return
        self.begin_money(N_("a resumption"))
        self.set_status("")
        self.resume_subscription()

    @work(exclusive=True, group="subscription-change", exit_on_error=False)
    async def resume_subscription(self) -> None:
        """Confirm, then ``POST /v1/subscription/resume``."""
        data = self.data
        assert data is not None
        try:
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(
                    _("Resume the subscription"),
                    resume_confirmation_lines(data),
                    confirm_label=_("Resume"),
                    cancel_label=_("Leave it canceled"),
                    id="subscription-resume-confirm",
                )
            )
            if not confirmed:
                self.set_status(_("The cancellation stays scheduled."), ok=True)
                return
            client = await self.console.session.ready_client()
            done = await self.plans.resume(client)
            self.notify(done, title=_("Subscription resumed"), markup=False)
            self.set_status(done, ok=True)  # the line under the figures no longer mentions it
            await self._after_change()
        finally:
            self.end_money()

    async def _after_change(self) -> None:
        await reset_other_areas(self.app, self.console.money)
        if self.is_attached:  # a reset never removes the busy area, but never reload a removed one
            self.load()

    # ------------------------------------------------------------------ cancel a decrease
    def action_cancel_decrease(self) -> None:
        """Keep the current number: confirm, then PATCH back to it (nothing is charged)."""
        if self.busy or not self.check_action("cancel_decrease", ()):
            return
        self.begin_money(N_("a change of devices"))
        self.set_status("")
        self.cancel_decrease()

    @work(exclusive=True, group="subscription-change", exit_on_error=False)
    async def cancel_decrease(self) -> None:
        """Pricing has no preview for "back to the current number": its own sentence instead."""
        data = self.data
        assert data is not None and data.subscription is not None
        try:
            confirmed = await self.app.push_screen_wait(
                ConfirmModal(
                    _("Cancel the scheduled decrease"),
                    cancel_confirmation(data),
                    confirm_label=_("Keep {devices}").format(
                        devices=count(data.subscription.devices, "device")
                    ),
                )
            )
            if not confirmed:
                self.set_status(_("The decrease stays scheduled."), ok=True)
                return
            client = await self.console.session.ready_client()
            done = await self.changes.keep(client, data)
            self.notify(done, title=_("Subscription changed"), markup=False)
            self.set_status(done, ok=True)
            await self._after_change()
        finally:
            self.end_money()

    def set_status(self, text: str, *, ok: bool = False) -> None:
        """The sentence under the figures: a decline, a new price, what changed (literal)."""
        self.query_one("#subscription-status", StatusLine).say(text, ok=ok)

    @property
    def status_text(self) -> str:
        """What the sentence under the figures says now."""
        return self.query_one("#subscription-status", StatusLine).text


def _renewal_text(sub: Subscription) -> str:
    """The next renewal in words: a month, or the annual plan's new purchase on its anniversary."""
    if sub.cancel_at is not None:
        return _("none: the subscription ends on {date}").format(date=format_date(sub.cancel_at))
    first = sub.current_period_end + timedelta(days=1)
    plan = sub.scheduled_plan or sub.plan
    text = f"{format_date(first)} · {plan_word(plan)}"
    if sub.annual_renewal_date is not None and plan == "annual":
        text += ", " + _("renews {date}").format(date=format_date(sub.annual_renewal_date))
    return text


def _lower_first(text: str) -> str:
    """A label inside a sentence: ``Switch to annual`` → ``switch to annual``."""
    return text[:1].lower() + text[1:]
