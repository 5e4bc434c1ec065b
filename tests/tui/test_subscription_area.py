"""The Subscription area, driven by keys on the real app over the real sandbox at a pinned time."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .test_subscribe import add_card


def invoice_count(sandbox_app, email: str) -> int:
    with sandbox_app.state.store.read() as conn:
        return conn.execute(
            "SELECT count(*) FROM invoices JOIN accounts ON accounts.id = invoices.account_id "
            "WHERE accounts.email = ?",
            (email,),
        ).fetchone()[0]


async def open_area(pilot) -> SubscriptionScreen:
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SubscriptionScreen), screen_text(pilot.app)
    return screen


async def type_total(pilot, text: str) -> None:
    await pilot.press("d")
    await pilot.pause()
    field = pilot.app.screen.query_one("#subscription-new-devices")
    assert field.has_focus
    field.value = ""
    await pilot.press(*list(text))
    await settle(pilot)


async def review(pilot, key: str = "enter") -> ConfirmModal:
    """Press ``key`` and wait for the confirmation (a worker awaits it: no settle here)."""
    await pilot.press(key)
    for _ in range(40):
        await pilot.pause()
        if isinstance(pilot.app.screen, ConfirmModal):
            break
    assert isinstance(pilot.app.screen, ConfirmModal), screen_text(pilot.app)
    return pilot.app.screen


def modal_text(modal: ConfirmModal) -> str:
    """The confirmation's sentences, unwrapped."""
    return modal.sentences


def field_error(screen) -> str | None:
    return screen.query_one("#subscription-new-devices-field", LabelledField).error


async def test_increase_charges_exactly_the_previewed_total_and_raises_the_quota(
    make_app, api, sandbox_app
):
    client = await api("demo")
    before = invoice_count(sandbox_app, "demo@mkcontroller.test")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        assert "10 (quota) · 7 in use" in screen_text(app)
        await type_total(pilot, "13")
        local = screen.query_one("#subscription-preview").preview
        # 26 Nov: 3 added devices × R$ 12,90 × 5/30 = R$ 6,45
        assert local.total.minor == 645
        assert "3 devices × R$ 12,90 × 5/30 days = R$ 6,45" in screen_text(app)
        modal = await review(pilot)
        assert "Charge R$ 6,45 now to Visa •••• 4242." in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert "13 (quota) · 7 in use" in screen_text(app)

    assert invoice_count(sandbox_app, "demo@mkcontroller.test") == before + 1
    newest = (await client.invoices(limit=1)).data[0]
    assert newest.status == "paid" and newest.total == local.total.minor == 645
    assert newest.paid_with is not None and newest.paid_with.last4 == "4242"
    assert (await client.account()).device_quota == 13


async def test_the_confirmation_names_the_default_card_set_elsewhere_meanwhile(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot)
        # In another terminal (or the web app), the admin makes another card the default.
        other = await add_card(client, number="5555555555554444", make_default=True)
        await type_total(pilot, "12")
        modal = await review(pilot)
        assert "to Mastercard •••• 4444" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)

    newest = (await client.invoices(limit=1)).data[0]
    assert newest.status == "paid" and newest.paid_with.last4 == other.last4 == "4444"


async def test_increase_on_the_annual_account_is_drawn_from_credit(make_app, api):
    client = await api("annual")
    account = await client.account()
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, str(account.device_quota + 2))
        local = screen.query_one("#subscription-preview").preview
        assert local.credit_applied.minor > 0
        modal = await review(pilot)
        text = modal_text(modal)
        assert f"Charge {local.total.format('pt_BR')}" in text or "Nothing is charged" in text
        await pilot.press("y")
        await settle(pilot)

    after = await client.account()
    assert after.device_quota == account.device_quota + 2
    assert after.credit_balance == account.credit_balance - local.credit_applied.minor


async def test_decrease_charges_nothing_and_shows_when_it_applies(make_app, api, sandbox_app):
    client = await api("demo")
    before = invoice_count(sandbox_app, "demo@mkcontroller.test")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "8")
        assert screen.query_one("#subscription-preview").preview.total.minor == 0
        modal = await review(pilot)
        assert "Nothing is charged now; from 1 Dec 2026 you will have 8 devices" in (
            modal_text(modal)
        )
        await pilot.press("y")
        await settle(pilot)
        text = screen_text(app)
        assert "8 devices from 1 Dec 2026" in text
        assert "10 (quota)" in text

        # Cancelling the decrease: its own sentence, PATCH back to 10, nothing charged.
        modal = await review(pilot, "x")
        assert "the decrease to 8 scheduled for 1 Dec 2026 is cancelled" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)
        assert "no change scheduled" in screen_text(app)

    assert invoice_count(sandbox_app, "demo@mkcontroller.test") == before
    sub = await client.subscription()
    assert sub.devices == 10 and sub.scheduled_devices is None


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("5", "7 devices are in use"),
        ("10", "already has 10 devices"),
        ("100001", "At most 100 000 devices"),
        ("0", "at least 1 device"),
    ],
)
async def test_the_new_total_is_checked_as_typed(make_app, typed, says):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, typed)
        assert says in (field_error(screen) or "")
        assert screen.query_one("#subscription-preview").preview is None
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # no confirmation for a number that cannot be


class HoldPatch(httpx.AsyncBaseTransport):
    """Holds ``PATCH /v1/subscription`` until released and counts them."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.release = asyncio.Event()
        self.release.set()
        self.keys: list[str] = []
        self.lose_answers = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            self.keys.append(request.headers.get("Idempotency-Key", ""))
            await self.release.wait()
            if self.lose_answers:
                await self.inner.handle_async_request(request)
                raise httpx.ReadError("the connection dropped", request=request)
        return await self.inner.handle_async_request(request)


async def test_double_pressing_confirm_sends_one_change(make_app, gate, sandbox_app, api):
    client = await api("demo")
    hold = HoldPatch(gate.inner)
    hold.release.clear()
    gate.inner = hold
    before = invoice_count(sandbox_app, "demo@mkcontroller.test")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "12")
        await review(pilot)
        await pilot.press("y")
        for _ in range(50):
            if hold.keys:
                break
            await pilot.pause()
        assert len(hold.keys) == 1 and screen.busy
        # Confirm again every way a person can while the change is in flight.
        await pilot.press("enter")
        await pilot.press("ctrl+y")
        screen.action_review()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        hold.release.set()
        await settle(pilot)
        assert "12 (quota)" in screen_text(app)

    assert len(hold.keys) == 1
    assert invoice_count(sandbox_app, "demo@mkcontroller.test") == before + 1
    assert (await client.account()).device_quota == 12


async def test_a_declined_card_changes_nothing_and_says_why(make_app, api, sandbox_app):
    client = await api("demo")
    await add_card(client, number="4000000000000002", make_default=True)
    before = invoice_count(sandbox_app, "demo@mkcontroller.test")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "12")
        modal = await review(pilot)
        assert "Visa •••• 0002" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        said = screen.status_text
        assert "Visa •••• 0002 was declined: The card was declined." in said
        assert "Nothing changed: you still have 10 devices" in said
        assert "was declined" in screen_text(app) and "10 (quota)" in screen_text(app)

    assert (await client.account()).device_quota == 10
    # The declined charge's invoice is void (api.md: a declined change creates nothing payable).
    assert invoice_count(sandbox_app, "demo@mkcontroller.test") == before + 1
    assert (await client.invoices(limit=1)).data[0].status == "void"


async def test_a_price_change_before_confirm_shows_the_new_preview(make_app, api):
    from datetime import timedelta

    from .conftest import FROZEN_NOW

    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "13")
        await review(pilot)
        await client.set_clock(FROZEN_NOW + timedelta(days=1))  # a day passes before y
        await pilot.press("y")
        await settle(pilot)
        assert "price changed" in screen.status_text
        assert "R$ 5,16" in screen.status_text  # 3 × 12,90 × 4/30
        assert "10 (quota)" in screen_text(app)
        modal = await review(pilot)
        assert "Charge R$ 5,16 now" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)

    assert (await client.account()).device_quota == 13
    assert (await client.invoices(limit=1)).data[0].total == 516


async def test_escape_leaves_the_field_then_the_area_and_the_palette_lists_the_actions(make_app):
    from mktui.tui.screens.financial import FinancialScreen

    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot)
        names = [name for name, _, _ in screen.palette_commands()]
        assert "subscription: Modify number of devices" in names
        assert "subscription: Cancel scheduled decrease" not in names  # none is scheduled
        await type_total(pilot, "12")
        assert screen.editing
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.editing
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen)


async def test_an_account_without_subscription_says_how_to_subscribe(make_app):
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        assert "No subscription yet" in screen_text(app)
        assert "press f, then s to subscribe" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert not screen.editing


async def test_a_lost_answer_then_confirm_again_reuses_the_key_and_charges_once(
    make_app, gate, sandbox_app, api
):
    client = await api("demo")
    hold = HoldPatch(gate.inner)
    hold.lose_answers = True
    gate.inner = hold
    before = invoice_count(sandbox_app, "demo@mkcontroller.test")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "12")
        await review(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any(n.severity == "error" for n in app._notifications)  # said, not assumed
        first_keys = set(hold.keys)
        assert len(first_keys) == 1
        hold.lose_answers = False
        # The figures are loaded again: the server made the change; nothing is sent twice.
        assert "may have been made" in screen.status_text
        assert "12 (quota)" in screen_text(app)
        await type_total(pilot, "12")
        assert "already has 12 devices" in (field_error(screen) or "")
        await pilot.press("enter")
        await settle(pilot)

    assert set(hold.keys) == first_keys
    assert invoice_count(sandbox_app, "demo@mkcontroller.test") == before + 1
    assert (await client.account()).device_quota == 12
