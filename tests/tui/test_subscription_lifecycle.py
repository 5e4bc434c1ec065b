"""Cancel, resume and switch plan from the Subscription area, on the sandbox with its test clock."""

from __future__ import annotations

from datetime import datetime

from mktui.api.client import new_idempotency_key
from mktui.api.models import PreviewRequest, SubscribeRequest
from mktui.tui.screens.dialogs import ConfirmModal

from .conftest import screen_text, settle
from .test_subscribe import add_card
from .test_subscription_area import modal_text, open_area


async def subscribe_api(client, *, plan: str = "monthly", devices: int = 10) -> None:
    """Subscribe the (inactive) account over the API, as another terminal would."""
    card = await add_card(client)
    quote = await client.preview(
        PreviewRequest(currency="BRL", plan=plan, devices=devices, tax_id="52998224725")
    )
    await client.subscribe(
        SubscribeRequest(
            currency="BRL",
            plan=plan,
            devices=devices,
            tax_id="52998224725",
            payment_method_id=card.id,
            expected_total=quote.total,
            expected_quote=quote.quote,
        ),
        idempotency_key=new_idempotency_key(),
    )


async def at(client, when: str) -> None:
    await client.set_clock(datetime.fromisoformat(when))


async def confirmation(pilot, key: str) -> ConfirmModal:
    """Press ``key`` and wait for the confirmation a worker awaits."""
    await pilot.press(key)
    for _ in range(40):
        await pilot.pause()
        if isinstance(pilot.app.screen, ConfirmModal):
            return pilot.app.screen
    raise AssertionError(screen_text(pilot.app))


async def test_cancel_on_the_15th_ends_on_the_1st_and_subscribing_again_works(make_app, api):
    client = await api("new")
    await subscribe_api(client)
    await at(client, "2026-12-15T12:00:00-03:00")
    before = len((await client.invoices(limit=200)).data)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        modal = await confirmation(pilot, "c")
        text = modal_text(modal)
        assert "ends on 1 Jan 2027" in text
        assert "keep the quota of 10 devices; nothing is refunded" in text
        assert "Overdue" not in text  # an account in good standing owes nothing
        await pilot.press("y")
        await settle(pilot)
        assert "cancels on 1 Jan 2027" in screen_text(app)
        assert "r Resume" in screen_text(app)
        assert not screen.check_action("switch_plan", ())
        # The hub says so too, with the key that undoes it.
        await pilot.press("f")
        await settle(pilot)
        assert "Cancels on 1 Jan 2027" in screen_text(app)

    sub = await client.subscription()
    assert sub is not None and sub.cancel_at.isoformat() == "2027-01-01"
    account = await client.account()
    assert account.status == "active" and account.device_quota == 10

    await at(client, "2027-01-01T09:00:00-03:00")
    assert len((await client.invoices(limit=200)).data) == before  # no renewal invoice
    assert (await client.account()).status == "inactive"
    assert await client.subscription() is None
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "s Subscribe" in screen_text(app)
    await subscribe_api(client, devices=3)
    assert (await client.account()).status == "active"


async def test_resume_before_the_first_renews_as_usual(make_app, api):
    client = await api("new")
    await subscribe_api(client)
    await at(client, "2026-12-15T12:00:00-03:00")
    await client.cancel_subscription(idempotency_key=new_idempotency_key())
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot)
        modal = await confirmation(pilot, "r")
        assert "renews on 1 Jan 2027 as usual" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)
        assert "cancels on" not in screen_text(app)
        assert "c Cancel subscription" in screen_text(app)

    assert (await client.subscription()).cancel_at is None
    await at(client, "2027-01-01T09:00:00-03:00")
    newest = (await client.invoices(limit=1)).data[0]
    assert newest.period_start.isoformat() == "2027-01-01" and newest.status == "paid"
    assert (await client.account()).status == "active"


async def test_escape_on_the_cancel_question_keeps_the_subscription(make_app, api):
    client = await api("new")
    await subscribe_api(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot)
        modal = await confirmation(pilot, "c")
        assert modal.query_one("#dialog-cancel").label.plain == "Keep it"
        await pilot.press("escape")
        await settle(pilot)
        assert "goes on as before" in screen_text(app)
    assert (await client.subscription()).cancel_at is None


async def test_canceling_while_past_due_says_the_overdue_invoices_stay_payable(make_app, api):
    client = await api("demo")
    assert (await client.account()).status == "past_due"
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot)
        modal = await confirmation(pilot, "c")
        assert "Overdue invoices stay payable" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)
    assert (await client.subscription()).cancel_at is not None
    overdue = (await client.invoices("past_due")).data
    assert overdue and all(inv.amount_due > 0 for inv in overdue)
