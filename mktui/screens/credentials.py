"""Keeping the session: where the refresh token goes after Sign in, and resuming it.

The keyring is probed off the UI thread. Where it works the token goes there
silently (the toast says where). Where none works (SSH, no D-Bus) the admin
chooses in :class:`StorageChoiceModal`: an encrypted file (passphrase typed in
the modal, never via getpass), this session only, or — only when mktui was
started with ``--insecure-storage`` — a 0600 plain file. The password is never
stored; only the refresh token.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from mktui.widgets.field import LabelledField
from mktui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.app import MkApp
    from mktui.credentials import CredentialStore, StoreSelection


class StorageChoiceModal(ModalScreen[tuple[str, str | None] | None]):
    """No keyring here: choose where the sign-in is kept (kind, passphrase)."""

    BINDINGS = [Binding("escape", "skip", "This session only", id="storage.skip")]

    def __init__(self, selection: StoreSelection) -> None:
        super().__init__(classes="dialog")
        self.selection = selection

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static("Where should mktui keep this sign-in?", classes="dialog--title")
            yield Static(
                Content(safe_text(f"{self.selection.sentence} {self.selection.fix}", limit=600)),
                classes="dialog--body",
            )
            yield OptionList(
                *(Option(Content(kind.label), id=kind.value) for kind in self.selection.choices),
                id="storage-choices",
            )
            yield LabelledField(
                "Passphrase for the encrypted file",
                Input(password=True, id="storage-passphrase", compact=True),
                id="storage-passphrase-field",
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button("Keep", variant="primary", id="storage-keep", compact=True)

    def on_mount(self) -> None:
        self.query_one("#storage-choices", OptionList).highlighted = 0
        self.query_one("#storage-choices").focus()
        self._show_passphrase()

    def _choice(self) -> str:
        option = self.query_one("#storage-choices", OptionList).highlighted_option
        return option.id if option is not None and option.id else "memory"

    @on(OptionList.OptionHighlighted)
    def _show_passphrase(self) -> None:
        self.query_one("#storage-passphrase-field").display = self._choice() == "encrypted-file"

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        if self._choice() == "encrypted-file":
            self.query_one("#storage-passphrase").focus()
        else:
            self._keep()

    @on(Input.Submitted, "#storage-passphrase")
    @on(Button.Pressed, "#storage-keep")
    def _keep(self) -> None:
        choice = self._choice()
        passphrase = None
        if choice == "encrypted-file":
            widget = self.query_one("#storage-passphrase", Input)
            passphrase = widget.value
            widget.value = ""
            if not passphrase.strip():
                self.query_one("#storage-passphrase-field", LabelledField).set_error(
                    "Type a passphrase; you will need it the next time you start mktui."
                )
                return
        self.dismiss((choice, passphrase))

    def action_skip(self) -> None:
        """Keep the sign-in for this session only."""
        self.dismiss(("memory", None))


async def _selection(insecure_storage: bool, **choice: object) -> StoreSelection:
    from mktui.credentials import choose_store, probe_keyring

    probe = await asyncio.to_thread(probe_keyring)
    return await asyncio.to_thread(
        lambda: choose_store(probe, insecure_storage=insecure_storage, **choice)
    )


async def remember(app: MkApp, profile: str, refresh_token: str) -> None:
    """Keep the refresh token for ``profile`` (asking where, when no keyring works). Call from a worker."""
    from mktui.credentials import CredentialError

    insecure = app.options.insecure_storage
    selection = await _selection(insecure)
    store: CredentialStore | None = selection.store
    while store is None:
        answer = await app.push_screen_wait(StorageChoiceModal(selection))
        kind, passphrase = answer or ("memory", None)
        try:
            store = (await _selection(insecure, choice=kind, passphrase=passphrase)).store
        except CredentialError as error:
            app.notify(safe_text(str(error)), severity="error", markup=False)
    await asyncio.to_thread(store.set, profile, refresh_token)
    app.session.store = store
    app.notify(safe_text(store.description), title="Signed in", markup=False)


async def stored_token(
    profile: str, *, insecure_storage: bool
) -> tuple[CredentialStore, str] | None:
    """The stored refresh token of ``profile`` and its store, when one works without asking."""
    from mktui.credentials import CredentialError

    try:
        selection = await _selection(insecure_storage)
    except CredentialError:
        return None
    if selection.store is None:
        return None
    token = await asyncio.to_thread(selection.store.get, profile)
    return (selection.store, token) if token else None
