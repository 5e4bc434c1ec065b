"""Subscribing end to end, driven by keys on the real app over the real sandbox."""

from __future__ import annotations

from mktui.api.models import NewPaymentMethod
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.financial import FinancialScreen
from mktui.tui.screens.payment import PaymentScreen
from mktui.tui.screens.subscribe import SubscribeScreen
from mktui.tui.widgets.card_form import CardForm
from mktui.tui.widgets.field import LabelledField

from .conftest import footer_line, screen_text, settle

VALID_CPF = "529.982.247-25"


async def add_card(client, number="4242424242424242", make_default=True):
    card = NewPaymentMethod(
        holder_name="Ana Souza",
        number=number,
        exp_month=8,
        exp_year=2029,
        cvc="123",
        make_default=make_default,
    )
    return await client.add_payment_method(card)


async def type_into(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = ""
    await pilot.press(*list(text))


async def type_card(pilot, number: str, *, holder="Ana Souza", expiry="08/29", cvc="123"):
    """Type a whole new card into the card form on screen."""
    await type_into(pilot, "#card-holder", holder)
    await type_into(pilot, "#card-number", number)
    await type_into(pilot, "#card-expiry", expiry)
    await type_into(pilot, "#card-cvc", cvc)


async def open_subscribe(pilot, devices="5", tax_id=VALID_CPF):
    await settle(pilot)
    assert isinstance(pilot.app.screen, FinancialScreen)
    await pilot.press("s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SubscribeScreen)
    await type_into(pilot, "#sub-devices", devices)
    if tax_id is not None:
        await type_into(pilot, "#sub-tax-id", tax_id)
    await settle(pilot)
    return screen


async def go_to_payment(pilot):
    await pilot.press("ctrl+n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PaymentScreen), screen_text(pilot.app)
    return screen


async def pay_and_confirm(pilot, screen: PaymentScreen):
    screen.action_pay()
    await pilot.pause()
    for _ in range(20):
        if isinstance(pilot.app.screen, ConfirmModal):
            break
        await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmModal), screen_text(pilot.app)
    await pilot.press("y")
    await settle(pilot)


async def test_subscribe_brl_with_cpf_and_a_saved_card(make_app, api):
    client = await api("new")
    card = await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "s Subscribe" in footer_line(app)  # offered once the hub knows it is inactive
        subscribe = await open_subscribe(pilot, devices="5")
        local = subscribe.local
        assert local is not None
        # 26 Nov 2026: 5 of 30 days; 5 devices × R$ 12,90 × 5/30 = R$ 10,75
        assert local.total.minor == 1075
        assert "5 devices × R$ 12,90 × 5/30 days = R$ 10,75" in screen_text(app)
        payment = await go_to_payment(pilot)
        assert payment.server.total == local.total
        assert payment.chosen == card.id
        assert "Matches the price computed here" in screen_text(app)
        await pay_and_confirm(pilot, payment)
        assert isinstance(app.screen, FinancialScreen)
        assert "ACTIVE" in screen_text(app)
        assert "5 in use of 5" not in screen_text(app)  # the new account uses 0 devices
        assert "Subscribe" not in footer_line(app)  # and no longer offered

    account = await client.account()
    assert account.status == "active"
    assert account.device_quota == 5
    invoices = (await client.invoices()).data
    assert [inv.status for inv in invoices] == ["paid"]
    assert invoices[0].total == local.total.minor
    assert invoices[0].paid_with.last4 == "4242"


async def test_a_declined_card_then_a_good_one(make_app, api):
    client = await api("new")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="3")
        payment = await go_to_payment(pilot)
        assert payment.chosen == "new-card"  # no saved card: the form is shown
        await type_card(pilot, "4000 0000 0000 0002")
        await pay_and_confirm(pilot, payment)
        assert app.screen is payment
        text = screen_text(app)
        assert "declined" in text and "0002" in text
        form = payment.query_one(CardForm)
        assert payment.query_one("#card-number").value == ""
        assert payment.query_one("#card-cvc").value == ""
        assert payment.query_one("#card-holder").value == "Ana Souza"  # the rest is kept
        assert payment.chosen == "new-card"
        assert app.focused is payment.query_one("#card-number")  # straight to another card
        assert (await client.account()).status == "inactive"
        assert "The new card was not saved." in text
        assert await client.payment_methods() == []  # the declined card is not kept

        await type_into(pilot, "#card-number", "4000 0000 0000 0002")  # the same card again
        await type_into(pilot, "#card-cvc", "123")
        await pay_and_confirm(pilot, payment)
        assert "declined" in screen_text(app)
        assert await client.payment_methods() == []  # and still not saved (no duplicates)

        await type_into(pilot, "#card-number", "5555555555554444")
        await type_into(pilot, "#card-cvc", "321")
        assert payment.query_one("#card-number").value == "5555 5555 5555 4444"  # grouped on leave
        assert form.collect() is not None
        await pay_and_confirm(pilot, payment)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)

    account = await client.account()
    assert account.status == "active" and account.device_quota == 3
    paid = (await client.invoices(status="paid")).data
    assert len(paid) == 1 and paid[0].paid_with.last4 == "4444"
    (saved,) = await client.payment_methods()
    assert saved.last4 == "4444" and saved.is_default  # renewals charge the card that paid


async def test_a_declined_new_card_leaves_the_saved_default_alone(make_app, api):
    client = await api("new")
    kept = await add_card(client, number="4242424242424242", make_default=True)
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="2")
        payment = await go_to_payment(pilot)
        await pilot.press("end")  # "A new card" is the last option
        await settle(pilot)
        assert payment.chosen == "new-card"
        await type_card(pilot, "4000 0000 0000 0002")
        await pay_and_confirm(pilot, payment)
        assert "declined" in screen_text(app)
        methods = await client.payment_methods()
        assert [(m.id, m.is_default) for m in methods] == [(kept.id, True)]

        await type_into(pilot, "#card-number", "5555555555554444")
        await type_into(pilot, "#card-cvc", "321")
        await pay_and_confirm(pilot, payment)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)

    methods = {m.last4: m.is_default for m in await client.payment_methods()}
    assert methods == {"4242": False, "4444": True}  # the card that paid is the default now


async def test_bad_cpf_zero_devices_and_bad_card_keep_the_form(make_app, api):
    client = await api("new")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        subscribe = await open_subscribe(pilot, devices="0", tax_id="123.456.789-00")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen is subscribe  # stayed
        devices = subscribe.query_one("#sub-devices-field", LabelledField)
        tax_id = subscribe.query_one("#sub-tax-id-field", LabelledField)
        assert devices.error and "at least 1" in devices.error
        assert tax_id.error and "CPF" in tax_id.error
        assert subscribe.query_one("#sub-tax-id").value == "123.456.789-00"  # kept

        await type_into(pilot, "#sub-devices", "4")
        await type_into(pilot, "#sub-tax-id", VALID_CPF.replace(".", "").replace("-", ""))
        await pilot.press("shift+tab")  # leaving the field punctuates a valid CPF
        await settle(pilot)
        assert devices.error is None and tax_id.error is None
        assert subscribe.query_one("#sub-tax-id").value == VALID_CPF
        payment = await go_to_payment(pilot)
        await type_into(pilot, "#card-holder", "Ana Souza")
        await type_into(pilot, "#card-number", "4242 4242 4242 4241")  # Luhn fails
        await type_into(pilot, "#card-expiry", "08/29")
        await type_into(pilot, "#card-cvc", "123")
        number = payment.query_one("#card-number-field", LabelledField)
        assert number.error and "typo" in number.error  # said as typed
        payment.action_pay()
        await settle(pilot)
        assert app.screen is payment  # no confirmation for a bad card
        assert payment.query_one("#card-number").value == "4242 4242 4242 4241"

    assert (await client.payment_methods()) == []
    assert (await client.invoices()).data == []


async def test_usd_hides_the_tax_id_and_prices_in_dollars(make_app, api):
    await api("new")
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        subscribe = await open_subscribe(pilot, devices="10", tax_id=None)
        subscribe.query_one("#sub-currency").query("RadioButton")[1].value = True
        await settle(pilot)
        assert not subscribe.query_one("#sub-tax-id-field").display
        assert subscribe.local is not None and subscribe.local.currency == "USD"
        # 10 × $2.90 × 5/30 = $4.83
        assert subscribe.local.total.minor == 483
        assert "$4.83" in screen_text(app)


async def test_annual_plan_shows_the_credit_and_charges_the_year(make_app, api):
    client = await api("new")
    await add_card(client)
    app = make_app("new")
    async with app.run_test(size=(120, 40)) as pilot:
        subscribe = await open_subscribe(pilot, devices="2")
        subscribe.query_one("#sub-plan").query("RadioButton")[1].value = True  # Annual
        await settle(pilot)
        local = subscribe.local
        assert local is not None
        assert local.total.minor == 25800  # 2 × R$ 129,00, the year up front
        assert local.credit_granted.minor == 30960  # 12 × 2 × R$ 12,90
        text = screen_text(app)
        assert "Credit granted" in text and "R$ 309,60" in text
        payment = await go_to_payment(pilot)
        assert payment.server.total == local.total
        await pay_and_confirm(pilot, payment)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)
        assert "Annual · BRL" in screen_text(app)

    account = await client.account()
    assert account.status == "active" and account.plan == "annual"
    assert account.credit_balance == local.credit_granted.minor - local.credit_applied.minor
