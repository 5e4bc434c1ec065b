"""Sign in, navigation, literal server strings, NO_COLOR and an ended session."""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from mktui.api.models import NewPaymentMethod
from mktui.tui.screens.dialogs import SignInAgainModal
from mktui.tui.screens.financial import FinancialScreen
from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.screens.payment_methods import PaymentMethodsScreen
from mktui.tui.screens.signin import SignInScreen
from mktui.tui.screens.subscribe import SubscribeScreen
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .test_subscribe import type_into

MARKUP_NAME = "[bold]x[/ Ltda [link=http://evil]y"


async def sign_in_with(pilot, email: str, password: str) -> None:
    await pilot.click("#signin-sandbox")
    await type_into(pilot, "#signin-email", email)
    await type_into(pilot, "#signin-password", password)
    await pilot.press("enter")
    await settle(pilot)


async def test_sign_in_to_the_sandbox_opens_the_hub(make_app):
    app = make_app(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in_with(pilot, "annual@mkcontroller.test", "sandbox")
        assert isinstance(app.screen, FinancialScreen), screen_text(app)
        text = screen_text(app)
        assert "Annual Telecom S.A." in text and "ACTIVE" in text
        assert app.session.email == "annual@mkcontroller.test"


async def test_a_wrong_password_is_said_under_the_field_and_the_email_is_kept(make_app):
    app = make_app(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await sign_in_with(pilot, "demo@mkcontroller.test", "not-it")
        assert isinstance(app.screen, SignInScreen)
        field = app.screen.query_one("#signin-password-field", LabelledField)
        assert field.error and "not right" in field.error
        assert app.screen.query_one("#signin-email", Input).value == "demo@mkcontroller.test"


async def test_one_key_per_area_and_escape_goes_back(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        assert "OVERDUE" in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PaymentMethodsScreen)
        assert "Mastercard •••• 4444" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen)
        assert "PAST DUE" in screen_text(app)


async def test_every_binding_has_an_id_and_a_description(make_app):
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        checked = 0
        for screen in (app.screen, *app.screen_stack):
            for node in (screen, *screen.walk_children()):
                for cls in type(node).__mro__:
                    if not cls.__module__.startswith("mktui"):
                        continue
                    for binding in cls.__dict__.get("BINDINGS", []):
                        checked += 1
                        assert binding.id and binding.description, (cls, binding)
        assert checked >= 8


async def test_the_palette_lists_group_verb_commands(make_app):
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"subscribe")
        await settle(pilot)
        assert "subscription: Subscribe" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SubscribeScreen)


async def test_server_strings_render_literally(make_app, sandbox_app, api):
    with sandbox_app.state.store.write() as conn:
        conn.execute(
            "UPDATE accounts SET name = ? WHERE email = ?",
            (MARKUP_NAME + "\x1b[31m\u202e", "demo@mkcontroller.test"),
        )
    client = await api("demo")
    added = await client.add_payment_method(
        NewPaymentMethod(
            holder_name="[red]Eve[/red]",
            number="4242424242424242",
            exp_month=1,
            exp_year=2030,
            cvc="123",
        )
    )
    # The API refuses control characters in names now; a server may still send them.
    with sandbox_app.state.store.write() as conn:
        conn.execute(
            "UPDATE payment_methods SET holder_name = ? WHERE id = ?",
            ("[red]Eve[/red] \x07", added.id),
        )
    app = make_app("demo")
    async with app.run_test(size=(120, 32)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert MARKUP_NAME in text
        assert "\x1b" not in text and "\u202e" not in text
        await pilot.press("m")
        await settle(pilot)
        assert "[red]Eve[/red]" in screen_text(app)


async def test_works_with_no_color(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "PAST DUE" in text  # the status reads in words, not only in colour
        assert "R$ 129,00" in text


async def test_an_ended_session_asks_for_the_password_and_keeps_the_form(make_app):
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        subscribe = app.screen
        await type_into(pilot, "#sub-devices", "12")
        await type_into(pilot, "#sub-tax-id", "529.982.247-25")
        await settle(pilot)
        app.session.client.tokens.clear()  # the server no longer knows this session
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, SignInAgainModal), screen_text(app)
        await type_into(pilot, "#again-password", "sandbox")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is subscribe
        assert subscribe.query_one("#sub-devices", Input).value == "12"
        assert subscribe.query_one("#sub-tax-id", Input).value == "529.982.247-25"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert type(app.screen).__name__ == "PaymentScreen"


async def test_sign_out_from_the_palette_returns_to_sign_in(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sign out")
        await settle(pilot)
        assert "session: Sign out" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen), screen_text(app)
        assert app.session.client is None and not app.session.signed_in
        await sign_in_with(pilot, "annual@mkcontroller.test", "sandbox")
        assert isinstance(app.screen, FinancialScreen)
        assert "Annual Telecom S.A." in screen_text(app)


async def test_failures_to_read_are_a_modal_and_the_app_keeps_running(make_app, monkeypatch):
    from mktui.api.client import BillingClient
    from mktui.api.errors import ApiError, ErrorKind
    from mktui.tui.screens.dialogs import ErrorModal

    async def broken(self):
        raise ApiError(
            ErrorKind.UNEXPECTED, "The server answered something mktui does not understand [x]."
        )

    monkeypatch.setattr(BillingClient, "account", broken)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorModal)
        await pilot.pause(0.05)
        text = screen_text(app)
        assert "does not understand" in text and "[x]." in text  # literal, not markup
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen)
        assert "could not be loaded. Press r to try again." in screen_text(app)
        monkeypatch.undo()
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(app)
        assert "Demo Networks Ltda" in text and "could not be loaded" not in text


async def test_the_hub_says_it_is_loading_until_the_figures_are_in(make_app, monkeypatch):
    from mktui.api.client import BillingClient

    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        held = asyncio.Event()
        account = BillingClient.account

        async def slow_account(self):
            await held.wait()
            return await account(self)

        monkeypatch.setattr(BillingClient, "account", slow_account)
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "Loading the account…" in text
        assert "Demo Networks Ltda" in text  # the figures stay while they reload
        held.set()
        await settle(pilot)
        text = screen_text(app)
        assert "Loading the account…" not in text and "An invoice is overdue" in text
