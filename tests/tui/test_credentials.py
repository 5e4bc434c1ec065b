"""Sign in to a URL, keep the session where no keyring works, resume it next time."""

from __future__ import annotations

import json
import logging
import time

from textual.widgets import Input, Static

from mktui.api.client import SANDBOX_URL, BillingClient
from mktui.config.credentials import EncryptedFileStore, encrypted_file_path, plain_file_path
from mktui.config.profiles import Config
from mktui.tui.app import MkApp
from mktui.tui.screens.financial import FinancialScreen
from mktui.tui.screens.signin import SignInScreen
from mktui.tui.screens.storage_choice import StorageChoiceModal
from mktui.tui.screens.unlock import PassphraseModal
from mktui.tui.services.session import ConsoleOptions
from mktui.tui.widgets.field import LabelledField

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


# ------------------------------------------------- resuming from the encrypted file
PASSPHRASE = "open-sesame-42"  # noqa: S105 - a test passphrase, grepped for below
EMAIL = "demo@mkcontroller.test"


async def wait_until(pilot, check, seconds: float = 15) -> None:
    """Pause until ``check()`` holds (``settle`` would wait forever on a worker awaiting a modal)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            await pilot.pause()  # and painted
            return
        await pilot.pause(0.02)
    raise AssertionError(screen_text(pilot.app))


def resume_finished(app: MkApp) -> bool:
    """The Sign in screen's resume worker is done (or a passphrase is being asked)."""
    return isinstance(app.screen, PassphraseModal) or not any(
        worker.is_running for worker in app.workers
    )


async def resume_ended(pilot) -> None:
    """Wait for the resume worker to end without asking a passphrase, then settle."""
    await wait_until(pilot, lambda: resume_finished(pilot.app))
    # settle() would wait forever on a worker awaiting the modal: fail instead.
    assert not isinstance(pilot.app.screen, PassphraseModal), screen_text(pilot.app)
    await settle(pilot)


async def keep_in_encrypted_file(api, profile: str = "work") -> str:
    """A real refresh token of the demo account, kept for ``profile`` in the encrypted file."""
    client = await api("demo")
    token = client.tokens.refresh_token.get_secret_value()
    store = EncryptedFileStore(encrypted_file_path(), PASSPHRASE)
    store.set(profile, token)
    return token


def started_with_profile(gate) -> MkApp:
    """``mktui --profile work``: the profile's URL and email, no keyring (the conftest's fail backend)."""
    return console(gate, api_url=URL, profile="work", email=EMAIL)


def inputs_holding(app: MkApp, secret: str) -> list[object]:
    return [
        widget
        for screen in app.screen_stack
        for widget in screen.query(Input)
        if secret in widget.value
    ]


async def test_the_next_start_asks_the_passphrase_again_after_a_wrong_one_then_resumes(
    gate, api, fast_kdf, caplog
):
    caplog.set_level(logging.DEBUG)
    kept = await keep_in_encrypted_file(api)
    app = started_with_profile(gate)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PassphraseModal))
        first = app.screen
        text = screen_text(app)
        assert "Unlock your sign-in" in text and "Use my password" in text
        body = str(first.query_one(".dialog--body", Static).content)
        assert '"work"' in body and str(encrypted_file_path()) in body
        assert first.focused is first.query_one("#unlock-passphrase", Input)
        assert first.query_one("#unlock-passphrase-field", LabelledField).error is None

        await type_into(pilot, "#unlock-passphrase", "not-the-passphrase")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, PassphraseModal) and app.screen is not first
        )
        again = app.screen
        error = again.query_one("#unlock-passphrase-field", LabelledField).error
        assert error and "does not open" in error
        assert "does not open" in screen_text(app)
        assert again.focused is again.query_one("#unlock-passphrase", Input)
        assert again.query_one("#unlock-passphrase", Input).value == ""

        await type_into(pilot, "#unlock-passphrase", PASSPHRASE)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FinancialScreen))
        await settle(pilot)
        assert "Demo Networks Ltda" in screen_text(app)
        assert not inputs_holding(app, PASSPHRASE)
        assert isinstance(app.session.store, EncryptedFileStore)
        assert app.session.email == EMAIL

        said = " ".join(str(n.message) for n in app._notifications)
    assert "wrong passphrase" in caplog.text  # the log was captured, and holds no secret:
    for secret in (PASSPHRASE, "not-the-passphrase"):
        assert secret not in caplog.text and secret not in said
    # The server rotated the refresh token on resume: the new one was kept in the file.
    rotated = EncryptedFileStore(encrypted_file_path(), PASSPHRASE).get("work")
    assert rotated and rotated != kept


async def test_escape_leaves_the_file_locked_and_shows_sign_in_with_the_email(gate, api, fast_kdf):
    await keep_in_encrypted_file(api)
    before = encrypted_file_path().read_bytes()
    app = started_with_profile(gate)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PassphraseModal))
        await pilot.press("escape")
        await resume_ended(pilot)
        assert isinstance(app.screen, SignInScreen), screen_text(app)
        assert app.screen.query_one("#signin-email", Input).value == EMAIL
        assert app.screen.query_one("#signin-profile", Input).value == "work"
        assert app.screen.focused is app.screen.query_one("#signin-password", Input)
        assert not app.screen.query_one("#signin-box").loading
        assert app.session.store is None and not app.session.signed_in
    assert encrypted_file_path().read_bytes() == before


async def test_a_file_without_this_profile_asks_nothing(gate, api, fast_kdf):
    await keep_in_encrypted_file(api, profile="other")
    app = started_with_profile(gate)
    async with app.run_test(size=(100, 32)) as pilot:
        await resume_ended(pilot)
        assert isinstance(app.screen, SignInScreen), screen_text(app)
        assert app.screen.query_one("#signin-email", Input).value == EMAIL


async def test_an_expired_session_in_the_unlocked_file_is_replaced_without_asking_again(
    gate, fast_kdf
):
    EncryptedFileStore(encrypted_file_path(), PASSPHRASE).set("work", "rt_long_revoked")
    app = started_with_profile(gate)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PassphraseModal))
        await type_into(pilot, "#unlock-passphrase", PASSPHRASE)
        await pilot.press("enter")
        await resume_ended(pilot)  # the server refused the kept token: sign in
        assert isinstance(app.screen, SignInScreen), screen_text(app)
        await type_into(pilot, "#signin-password", "sandbox")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, (FinancialScreen, StorageChoiceModal))
        )
        assert isinstance(app.screen, FinancialScreen), screen_text(app)  # no second passphrase
        await settle(pilot)
    kept = EncryptedFileStore(encrypted_file_path(), PASSPHRASE).get("work")
    assert kept and kept != "rt_long_revoked"


async def test_a_damaged_entry_says_so_and_shows_sign_in(gate, api, fast_kdf):
    await keep_in_encrypted_file(api)
    path = encrypted_file_path()
    section, entries = path.read_text().split("[mktui]")
    path.write_text(section + "[mktui]\nwork = bm90IGEgY2lwaGVydGV4dA==\n")
    app = started_with_profile(gate)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, PassphraseModal))
        await type_into(pilot, "#unlock-passphrase", PASSPHRASE)
        await pilot.press("enter")
        await resume_ended(pilot)
        assert isinstance(app.screen, SignInScreen), screen_text(app)
        said = [n.message for n in app._notifications]
        assert any("damaged" in message and "'work'" in message for message in said), said


async def test_the_passphrase_modal_refuses_a_blank_passphrase_and_shows_names_literally(make_app):
    app = make_app(None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        answers: list[object] = []
        app.push_screen(
            PassphraseModal("[b]work[/b]", "/srv/[red]x[/red]/credentials.cfg"), answers.append
        )
        await pilot.pause()
        body = str(app.screen.query_one(".dialog--body", Static).content)
        assert '"[b]work[/b]"' in body and "/srv/[red]x[/red]/credentials.cfg" in body
        await pilot.press("space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseModal) and answers == []
        field = app.screen.query_one("#unlock-passphrase-field", LabelledField)
        assert field.error and "Escape" in field.error
        assert app.screen.focused is app.screen.query_one("#unlock-passphrase", Input)
        typed_into = app.screen.query_one("#unlock-passphrase", Input)
        await pilot.press(*"x1")
        await pilot.press("enter")
        await pilot.pause()
        assert answers == ["x1"]
        assert typed_into.value == ""  # not left in the widget
    for binding in PassphraseModal.BINDINGS:
        assert binding.id and binding.description


async def test_the_storage_choice_refuses_a_blank_passphrase_and_clears_the_one_typed(make_app):
    from mktui.config.credentials import StorageKind, StoreSelection

    selection = StoreSelection(
        None,
        "No keyring works here.",
        "Choose where to keep the sign-in.",
        choices=(StorageKind.ENCRYPTED_FILE, StorageKind.MEMORY),
    )
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        answers: list[object] = []
        modal = StorageChoiceModal(selection)
        app.push_screen(modal, answers.append)
        await pilot.pause()
        assert modal.query_one("#storage-passphrase-field").display  # the file is first
        await pilot.press("enter")  # choose the file: the passphrase field takes the keys
        await pilot.pause()
        await pilot.press("space", "enter")  # blank: refused, named under the field
        await pilot.pause()
        field = modal.query_one("#storage-passphrase-field", LabelledField)
        assert "Type a passphrase" in str(field.query_one(".field--error").render())
        assert app.screen is modal and answers == []
        typed = modal.query_one("#storage-passphrase", Input)
        await pilot.press(*"s3cret", "enter")
        await pilot.pause()
        assert answers == [("encrypted-file", "s3cret")]
        assert typed.value == ""  # never left in the form


async def test_a_session_kept_in_the_plain_file_says_so_without_insecure_storage(gate, api):
    from mktui.config.credentials import PlainFileStore

    client = await api("demo")
    PlainFileStore(plain_file_path()).set("work", client.tokens.refresh_token.get_secret_value())
    app = started_with_profile(gate)  # no --insecure-storage
    async with app.run_test(size=(80, 24)) as pilot:
        await resume_ended(pilot)
        assert isinstance(app.screen, SignInScreen)
        said = app.screen.query_one("#signin-kept", Static)
        assert said.display
        text = " ".join(screen_text(app).split())
        assert "kept in the plain file" in text and "--insecure-storage" in text
    again = console(gate, api_url=URL, profile="work", email=EMAIL, insecure_storage=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await resume_ended(pilot)
        assert isinstance(again.screen, FinancialScreen), screen_text(again)


async def test_no_plain_file_no_sentence(gate):
    app = started_with_profile(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        await resume_ended(pilot)
        assert not app.screen.query_one("#signin-kept", Static).display
