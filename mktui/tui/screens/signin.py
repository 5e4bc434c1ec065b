"""Sign in: profile, API URL (or the sandbox), email, password; errors under each field."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Static

from mktui.api.errors import ApiError, ErrorKind
from mktui.config.profile import DEFAULT_API_URL
from mktui.core.i18n import N_, _
from mktui.tui.screens.base import ConsoleScreen
from mktui.tui.screens.storage_choice import StorageChoiceModal
from mktui.tui.screens.unlock import PassphraseModal
from mktui.tui.widgets.field import LabelledField
from mktui.tui.widgets.field_input import FieldInput
from mktui.tui.widgets.key_hints import KeyHints
from mktui.tui.widgets.status_line import StatusLine
from mktui.tui.widgets.text import safe_text
from mktui.tui.widgets.toggles import GlyphCheckbox

if TYPE_CHECKING:
    from mktui.config.credentials import StoreSelection

_FIELDS = ("profile", "url", "email", "password")


class SignInScreen(ConsoleScreen):
    """The first screen of ``mktui`` without ``--sandbox``."""

    BINDINGS = [
        Binding(
            "ctrl+s",
            "sign_in",
            N_("Sign in"),
            id="signin.submit",
            tooltip=N_("Sign in with these details"),
        ),
    ]

    def compose(self) -> ComposeResult:
        options = self.console.options
        with VerticalScroll(id="signin-scroll"), Vertical(id="signin-box"):
            yield Static(_("Sign in to MKController billing"), id="signin-title")
            yield StatusLine(id="signin-kept")
            yield LabelledField(
                _("Profile"),
                FieldInput(
                    compact=True,
                    value=options.profile or "default",
                    id="signin-profile",
                    max_length=64,
                ),
                id="signin-profile-field",
            )
            yield GlyphCheckbox(
                _("Sandbox: try mktui on demo data (no real money)"),
                id="signin-sandbox",
                compact=True,
            )
            yield Static(
                _("Demo logins: demo@mkcontroller.test (or annual@, new@), password sandbox."),
                id="signin-demo-logins",
                classes="hint",
            )
            yield LabelledField(
                _("API URL"),
                FieldInput(
                    compact=True,
                    # The same default as `mktui login`: a first run needs nothing typed here.
                    value=options.api_url or DEFAULT_API_URL,
                    placeholder="https://billing.example.com",
                    id="signin-url",
                ),
                id="signin-url-field",
            )
            yield LabelledField(
                _("Email"),
                FieldInput(
                    compact=True,
                    value=options.email or "",
                    placeholder="admin@example.com",
                    id="signin-email",
                    max_length=254,
                ),
                id="signin-email-field",
            )
            yield LabelledField(
                _("Password"),
                FieldInput(compact=True, password=True, id="signin-password", max_length=1024),
                id="signin-password-field",
            )
            with Horizontal(id="signin-buttons"):
                yield Button(_("Sign in"), variant="primary", id="signin-submit", compact=True)
        yield KeyHints()

    def on_mount(self) -> None:
        self.query_one("#signin-demo-logins").display = False
        first = "#signin-password" if self.console.options.email else "#signin-email"
        self.query_one(first, Input).focus()
        if self.console.options.api_url:
            self.resume()

    def signed_out(self) -> None:
        """After Sign out: no password left in the form, the cursor in Email."""
        self.query_one("#signin-password", Input).value = ""
        for name in _FIELDS:
            self._field(name).set_error(None)
        self.query_one("#signin-email", Input).focus()

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def resume(self) -> None:
        """Sign in with the profile's kept session, when there is one."""
        # Imported here: the keyring and the credential stores take 45 ms (-X importtime).
        from mktui.config.credentials import CredentialError

        box = self.query_one("#signin-box")
        box.loading = True
        try:
            resumed = await self.console.session.resume(ask_passphrase=self._ask_passphrase)
        except CredentialError as error:  # the kept session cannot be read: sign in instead
            self.notify(
                safe_text(error.message), title=_("Sign in"), severity="warning", markup=False
            )
            resumed = False
        finally:
            box.loading = False
        if resumed:
            await self.console.signed_in()
            return
        await self._say_where_it_was_kept()

    async def _say_where_it_was_kept(self) -> None:
        """A session kept in the plain file is not read without --insecure-storage: say so."""
        from mktui.tui.services.kept_session import left_in_plain_file

        profile = self.console.session.profile
        if self.console.options.insecure_storage or not profile:
            return
        path = await left_in_plain_file(profile)
        if path is None:
            return
        self.query_one("#signin-kept", StatusLine).say(
            _(
                "The session of profile {profile} is kept in the plain file {path}, which is "
                "read only with --insecure-storage. Start mktui with --insecure-storage to use "
                "it, or sign in to keep it elsewhere."
            ).format(profile=safe_text(profile, limit=40), path=safe_text(str(path), limit=200))
        )

    async def _ask_passphrase(self, profile: str, path: Path, error: str | None) -> str | None:
        """Ask for the encrypted file's passphrase over this screen (None: use the password)."""
        box = self.query_one("#signin-box")
        box.loading = False  # the modal is what to look at; the form stays ready underneath
        try:
            return await self.app.push_screen_wait(PassphraseModal(profile, path, error))
        finally:
            box.loading = True

    @on(Checkbox.Changed, "#signin-sandbox")
    def _sandbox_toggled(self, event: Checkbox.Changed) -> None:
        self.query_one("#signin-url-field").display = not event.value
        # The demo logins show where the API URL was: the sandbox needs no address.
        self.query_one("#signin-demo-logins").display = event.value

    def _field(self, name: str) -> LabelledField:
        return self.query_one(f"#signin-{name}-field", LabelledField)

    def _value(self, name: str) -> str:
        return self.query_one(f"#signin-{name}", Input).value.strip()

    @on(Input.Submitted)
    @on(Button.Pressed, "#signin-submit")
    def action_sign_in(self) -> None:
        """Check the fields, then sign in in a worker."""
        errors: dict[str, str] = {}
        sandbox = self.query_one("#signin-sandbox", Checkbox).value
        url = self._value("url")
        if not self._value("profile"):
            errors["profile"] = _("Name this profile, e.g. default.")
        if not sandbox and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            errors["url"] = _(
                "Enter the billing API address starting with https:// "
                "(or tick Sandbox to try mktui)."
            )
        if "@" not in self._value("email"):
            errors["email"] = _("Enter the email you sign in with, like admin@example.com.")
        password = self.query_one("#signin-password", Input).value
        if not password:
            errors["password"] = _("Enter your password.")
        for name in _FIELDS:
            self._field(name).set_error(errors.get(name))
        if errors:
            self.query_one(f"#signin-{next(iter(errors))}", Input).focus()
            return
        self._sign_in(None if sandbox else url, self._value("email"), password)

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def _sign_in(self, api_url: str | None, email: str, password: str) -> None:
        box = self.query_one("#signin-box")
        box.loading = True
        try:
            await self.console.session.sign_in(api_url, email, password)
        except ApiError as error:
            field = {
                ErrorKind.UNAUTHENTICATED: "password",
                ErrorKind.UNAVAILABLE: "url",
                ErrorKind.UNEXPECTED: "url",
            }.get(error.kind)
            if error.kind is ErrorKind.VALIDATION and error.field in ("email", "password"):
                field = error.field
            if field is None:
                raise
            message = (
                _("The email or password is not right. Check both and try again.")
                if error.kind is ErrorKind.UNAUTHENTICATED
                else error.message
            )
            refused = (field, message)
        else:
            refused = None
        finally:
            box.loading = False
        if refused is not None:
            field, message = refused
            if field == "password":  # a wrong password is typed again from scratch
                self.query_one("#signin-password", Input).value = ""
            self._field(field).set_error(message)
            self.query_one(f"#signin-{field}", Input).focus()
            return
        self.query_one("#signin-password", Input).value = ""
        profile = self._value("profile")
        self.console.session.profile = profile
        if api_url is not None:
            await self._keep(profile, api_url, email)
        await self.console.signed_in()

    async def _keep(self, profile: str, api_url: str, email: str) -> None:
        """Save the profile (URL and email, no secret) and keep the refresh token."""
        # Imported here: the profiles file code (28 ms) and the credential stores (45 ms,
        # -X importtime) are needed only once signed in, never for the first frame.
        from mktui.config.profiles import Config, ConfigError, Profile
        from mktui.tui.services.kept_session import remember

        client = self.console.session.client
        try:
            config = await asyncio.to_thread(Config.load)
            config.set_profile(Profile(profile, api_url=api_url, email=email))
            await asyncio.to_thread(config.save)
        except ConfigError as error:
            self.notify(safe_text(str(error)), severity="warning", markup=False)
        token = client.tokens.refresh_token if client is not None else None
        if token is not None:
            self.console.session.store = await remember(
                profile,
                token.get_secret_value(),
                insecure_storage=self.console.options.insecure_storage,
                unlocked=self.console.session.store,
                ask_where=self._ask_where,
                say=self.notify,
            )

    async def _ask_where(self, selection: StoreSelection) -> tuple[str, str | None] | None:
        """No keyring works here: ask where to keep the sign-in."""
        return await self.app.push_screen_wait(StorageChoiceModal(selection))
