"""Billing details from the Financial hub: viewed, edited, checked as typed, kept when refused."""

from __future__ import annotations

from mktui.tui.screens.billing_details import BillingDetailsModal
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle


async def open_form(pilot) -> BillingDetailsModal:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, BillingDetailsModal), screen_text(pilot.app)
    return form


async def retype(pilot, name: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#billing-{name}")
    field.focus()
    field.value = ""
    await pilot.press(*list(text))
    await pilot.pause()


def error_of(form, name: str) -> str | None:
    return form.query_one(f"#billing-{name}-field", LabelledField).error


async def test_an_invalid_cpf_is_marked_as_typed_and_the_form_keeps_it(make_app, api):
    client = await api("demo")
    before = await client.account()
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#billing-tax_id").value == ("11.222.333/0001-81")
        await retype(pilot, "tax_id", "123.456.789-00")
        assert "CPF" in (error_of(form, "tax_id") or "")  # marked before anything is sent
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open, with what was typed
        assert form.query_one("#billing-tax_id").value == "123.456.789-00"
        assert form.query_one("#billing-tax_id").has_focus
        assert error_of(form, "tax_id")
        text = screen_text(app)
        assert error_of(form, "tax_id")[:30] in text.replace("\n", " ") or "CPF" in text
    assert (await client.account()).tax_id == before.tax_id


async def test_cep_and_uf_are_checked_as_typed_then_the_details_are_saved(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await retype(pilot, "postal_code", "013101009")
        assert error_of(form, "postal_code") == "The CEP has 8 digits, like 01310-100."
        await retype(pilot, "state", "ZZ")
        assert "27 UF codes" in (error_of(form, "state") or "")
        await retype(pilot, "state", "sp")
        assert error_of(form, "state") is None
        await retype(pilot, "postal_code", "01310-100")
        assert error_of(form, "postal_code") is None
        for name, text in (
            ("street", "Av. Paulista"),
            ("number", "1000"),
            ("district", "Bela Vista"),
            ("city", "São Paulo"),
            ("name", "Demo Redes Ltda"),
        ):
            await retype(pilot, name, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, BillingDetailsModal)
        assert "CNPJ 11.222.333/0001-81 · São Paulo/SP" in screen_text(app)

    account = await client.account()
    assert account.name == "Demo Redes Ltda"
    assert account.address.postal_code == "01310100" and account.address.state == "SP"


async def test_missing_fields_are_each_marked_on_save(make_app):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await retype(pilot, "city", "Campinas")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert error_of(form, "street") == "Street is required; type it."
        assert form.query_one("#billing-street").has_focus
        assert error_of(form, "complement") is None  # optional
        assert form.query_one("#billing-city").value == "Campinas"


async def test_the_legal_name_alone_can_change_while_no_address_is_kept(make_app, api):
    client = await api("annual")
    assert (await client.account()).address is None
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await retype(pilot, "name", "Annual Telecom Ltda")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, BillingDetailsModal), screen_text(app)
    account = await client.account()
    assert account.name == "Annual Telecom Ltda" and account.address is None


async def test_the_hub_offers_b_in_the_footer_once_the_account_is_loaded(make_app):
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).rstrip("\n").splitlines()[-1]
        assert "b Billing details" in footer
