"""Focus is on the field the admin will type into next."""

from __future__ import annotations

from textual.widgets import Input

from mktui.config.profile import DEFAULT_API_URL
from mktui.tui.screens.signin import SignInScreen

from .conftest import screen_text, settle
from .keys import burst, keys_of
from .test_console import sign_in_with


async def test_a_wrong_password_empties_and_focuses_the_password(make_app):
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in_with(pilot, "demo@mkcontroller.test", "not-it")
        password = app.screen.query_one("#signin-password", Input)
        assert password.value == ""
        assert app.focused is password
        # Typing again goes straight into the password, even in a burst.
        await burst(pilot, keys_of("sandbox", "enter"))
        await settle(pilot)
        assert not isinstance(app.screen, SignInScreen), screen_text(app)


async def test_a_refused_field_is_focused(make_app):
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#signin-sandbox")
        app.screen.query_one("#signin-password", Input).focus()
        await pilot.press("ctrl+s")  # no email, no password
        await pilot.pause()
        assert app.focused is app.screen.query_one("#signin-email", Input)


async def test_sign_out_leaves_the_cursor_in_email_and_no_password(make_app):
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in_with(pilot, "annual@mkcontroller.test", "sandbox")
        assert not isinstance(app.screen, SignInScreen)
        await app.sign_out()
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.focused is app.screen.query_one("#signin-email", Input)
        assert app.screen.query_one("#signin-password", Input).value == ""


async def test_first_run_offers_the_sandbox_and_the_default_api_url(make_app):
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Sandbox: try mktui" in screen_text(app)
        assert app.screen.query_one("#signin-url", Input).value == DEFAULT_API_URL
        await pilot.click("#signin-sandbox")
        await pilot.pause()
        text = screen_text(app)
        assert "demo@mkcontroller.test" in text and "password sandbox" in text
