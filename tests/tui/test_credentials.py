"""Sign in to a URL, keep the session where no keyring works, resume it next time."""

from __future__ import annotations

import json

from mktui.api.client import SANDBOX_URL, BillingClient
from mktui.app import MkApp
from mktui.config import Config
from mktui.credentials import plain_file_path
from mktui.screens.credentials import StorageChoiceModal
from mktui.screens.financial import FinancialScreen
from mktui.screens.session import ConsoleOptions
from mktui.screens.signin import SignInScreen

from .conftest import screen_text, settle
from .test_subscribe import type_into

URL = "https://billing.example.com"


def console(gate, **options) -> MkApp:
    def factory(api_url=None, tokens=None):
        # The profile's URL is never dialled: every request goes to the in-process sandbox.
        return BillingClient(SANDBOX_URL, transport=gate, tokens=tokens, allow_insecure_http=True)

    return MkApp(ConsoleOptions(**options), client_factory=factory)


async def test_no_keyring_asks_where_to_keep_the_session_and_the_next_start_resumes(gate):
    app = console(gate, insecure_storage=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#signin-profile", "work")
        await type_into(pilot, "#signin-url", URL)
        await type_into(pilot, "#signin-email", "demo@mkcontroller.test")
        await type_into(pilot, "#signin-password", "sandbox")
        await pilot.press("enter")
        for _ in range(40):
            if isinstance(app.screen, StorageChoiceModal):
                break
            await pilot.pause()
        assert isinstance(app.screen, StorageChoiceModal), screen_text(app)
        text = screen_text(app)
        assert "Encrypted file" in text and "This session only" in text and "Plain file" in text
        await pilot.press("down", "down", "enter")  # the plain file: allowed by --insecure-storage
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)
        assert "Demo Networks Ltda" in screen_text(app)

    profile = Config.load().profile("work")
    assert profile.api_url == URL and profile.email == "demo@mkcontroller.test"
    kept = plain_file_path().read_text()
    assert "sandbox" not in kept  # the password is never stored
    assert json.loads(kept)  # a refresh token is

    again = console(
        gate, api_url=URL, profile="work", email="demo@mkcontroller.test", insecure_storage=True
    )
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, FinancialScreen), screen_text(again)
        assert "Demo Networks Ltda" in screen_text(again)


async def test_this_session_only_keeps_nothing(gate):
    app = console(gate)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await type_into(pilot, "#signin-url", URL)
        await type_into(pilot, "#signin-email", "annual@mkcontroller.test")
        await type_into(pilot, "#signin-password", "sandbox")
        await pilot.press("enter")
        for _ in range(40):
            if isinstance(app.screen, StorageChoiceModal):
                break
            await pilot.pause()
        assert "Plain file" not in screen_text(app)  # not offered without --insecure-storage
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen), screen_text(app)

    assert not plain_file_path().exists()
    again = console(gate, api_url=URL, profile="default", email="annual@mkcontroller.test")
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, SignInScreen)  # nothing to resume: sign in again
