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
        modal = await confirmation(pilot, "x")
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
        assert "x Cancel subscription" in screen_text(app)

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
        modal = await confirmation(pilot, "x")
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
        modal = await confirmation(pilot, "x")
        assert "Overdue invoices stay payable" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)
    assert (await client.subscription()).cancel_at is not None
    overdue = (await client.invoices("past_due")).data
    assert overdue and all(inv.amount_due > 0 for inv in overdue)


async def test_monthly_to_annual_on_10_march_charges_exactly_the_preview(make_app, api):
    client = await api("new")
    await subscribe_api(client, devices=7)
    await at(client, "2027-03-10T10:00:00-03:00")
    before = (await client.account()).credit_balance
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await pilot.press("p")
        await settle(pilot)
        local = screen.query_one("#subscription-plan-preview").preview
        assert local.total.minor == 7 * 12900  # annual × devices, the month already paid
        assert local.credit_granted.minor == 12 * 1290 * 7
        modal = await confirmation(pilot, "enter")
        text = modal_text(modal)
        assert f"Charge {local.total.format('pt_BR')} now to Visa •••• 4242" in text
        assert "renews as a new annual purchase on 1 Apr 2028" in text
        await pilot.press("y")
        await settle(pilot)
        assert "Annual · BRL" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        history = screen_text(app)
        assert "Annual plan credit" in history
        assert "lasts until" in history

    newest = (await client.invoices(limit=1)).data[0]
    assert newest.total == local.total.minor and newest.status == "paid"
    assert newest.credit_granted == local.credit_granted.minor
    assert (await client.account()).credit_balance == before + local.credit_granted.minor
    assert (await client.subscription()).plan == "annual"


async def test_annual_to_monthly_takes_effect_the_next_first(make_app, api):
    client = await api("annual")
    credit = (await client.account()).credit_balance
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert screen.query_one("#subscription-plan-preview").preview.total.minor == 0
        modal = await confirmation(pilot, "enter")
        text = modal_text(modal)
        assert "Nothing is charged now; from 1 Dec 2026 renewals are monthly" in text
        assert "is still drawn first" in text
        await pilot.press("y")
        await settle(pilot)
        assert "monthly plan from 1 Dec 2026" in screen_text(app)
        names = [name for name, _, _ in screen.palette_commands()]
        assert "subscription: Keep the annual plan" in names  # p undoes it before the 1st

    sub = await client.subscription()
    assert sub.plan == "annual" and sub.scheduled_plan == "monthly"
    await at(client, "2026-12-01T09:00:00-03:00")
    sub = await client.subscription()
    assert sub.plan == "monthly" and sub.annual_renewal_date is None
    renewal = (await client.invoices(limit=1)).data[0]
    assert renewal.period_start.isoformat() == "2026-12-01"
    assert renewal.credit_granted == 0 and renewal.credit_applied > 0  # drawn from what was left
    assert (await client.account()).credit_balance == credit - renewal.credit_applied


async def test_an_annual_account_13_months_on_is_invoiced_a_new_annual_purchase(make_app, api):
    client = await api("new")
    await subscribe_api(client, plan="annual", devices=4)  # bought 26 Nov 2026
    await at(client, "2027-11-15T10:00:00-03:00")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        # The hub previews the anniversary as the new purchase it is: 4 × R$ 129,00.
        assert "1 Dec 2027 · R$ 516,00" in screen_text(app)
        screen = await open_area(pilot)
        assert "renews 1 Dec 2027" in screen_text(app)
        assert screen.data.subscription.annual_renewal_date.isoformat() == "2027-12-01"

    await at(client, "2027-12-26T10:00:00-03:00")  # 13 months after the purchase
    renewal = next(
        inv
        for inv in (await client.invoices(limit=200)).data
        if inv.period_start.isoformat() == "2027-12-01"
    )
    assert renewal.total == 4 * 12900 and renewal.credit_granted == 12 * 1290 * 4
    assert renewal.lines[0].description.startswith("Annual plan")
    assert renewal.status == "paid"


async def test_a_switch_priced_yesterday_is_refused_and_never_charged(make_app, api):
    client = await api("new")
    await subscribe_api(client, devices=2)
    await at(client, "2027-03-10T23:59:00-03:00")
    before = len((await client.invoices(limit=200)).data)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await pilot.press("p")
        await settle(pilot)
        await confirmation(pilot, "enter")
        # Midnight passes while the confirmation is open: the quote no longer holds.
        await at(client, "2027-03-11T00:01:00-03:00")
        await pilot.press("y")
        await settle(pilot)
        assert "The price changed before the change was made" in screen.status_text
        assert "Nothing was charged" in screen.status_text
        assert screen.switching  # the new preview is shown, ready to confirm again

    assert len((await client.invoices(limit=200)).data) == before
    assert (await client.subscription()).plan == "monthly"


async def test_p_again_before_the_first_keeps_the_annual_plan(make_app, api):
    client = await api("annual")
    await client.change_plan("monthly", expected_total=0, idempotency_key=new_idempotency_key())
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert "nothing is charged" in screen_text(app)
        modal = await confirmation(pilot, "enter")
        assert "The switch to monthly scheduled for 1 Dec 2026 is dropped" in modal_text(modal)
        await pilot.press("y")
        await settle(pilot)
    sub = await client.subscription()
    assert sub.plan == "annual" and sub.scheduled_plan is None


async def test_a_change_before_the_anniversary_states_the_yearly_renewal(make_app, api):
    from .test_subscription_area import review, type_total

    client = await api("annual")
    await at(client, "2027-05-20T12:00:00-03:00")
    app = make_app("annual")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "6")
        local = screen.query_one("#subscription-preview").preview
        assert local.next_renewal_amount.minor == 6 * 12900  # the new annual purchase
        modal = await review(pilot)
        assert "Next renewal: R$ 774,00 on 1 Jun 2027" in modal_text(modal)
        assert "The server's figures" not in modal_text(modal)  # both agree
        await pilot.press("escape")
        await settle(pilot)


async def test_c_on_subscription_opens_contacts_not_the_cancellation(make_app):
    """c is the Contacts area's key everywhere; cancelling the subscription is x."""
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.current_mode == "contacts"
        assert not app.screen.is_modal
