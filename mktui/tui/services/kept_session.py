"""Keeping the session: where the refresh token goes after Sign in, and resuming it.

The keyring is probed off the UI thread. Where it works the token goes there
silently (the toast says where). Where none works (SSH, no D-Bus) the admin is
asked where (``ask_where``; the Sign in screen shows
:class:`mktui.tui.screens.storage_choice.StorageChoiceModal`). The password is
never stored; only the refresh token. At the next start :func:`stored_token`
resumes the session, asking the encrypted file's passphrase through a callback
(the Sign in screen shows :class:`mktui.tui.screens.unlock.PassphraseModal`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mktui.config.credentials import (
    CredentialError,
    EncryptedFileStore,
    ErrorKind,
    PlainFileStore,
    StorageKind,
    choose_store,
    encrypted_file_path,
    plain_file_path,
    probe_keyring,
)
from mktui.core.i18n import _
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.config.credentials import CredentialStore, KeyringProbe, StoreSelection

AskWhere = Callable[["StoreSelection"], Awaitable["tuple[str, str | None] | None"]]
"""``await ask(selection)``: the admin's choice of store, ``(kind, passphrase)``, or None
(this session only)."""

Say = Callable[..., Any]
"""Shows a sentence to the admin: ``App.notify``'s signature."""


async def _selection(
    insecure_storage: bool, probe: KeyringProbe | None = None, **choice: object
) -> StoreSelection:
    """``choose_store`` off the UI thread (probing the keyring first unless ``probe`` is given)."""
    if probe is None:
        probe = await asyncio.to_thread(probe_keyring)
    return await asyncio.to_thread(
        lambda: choose_store(probe, insecure_storage=insecure_storage, **choice)
    )


async def remember(
    profile: str,
    refresh_token: str,
    *,
    insecure_storage: bool,
    unlocked: CredentialStore | None,
    ask_where: AskWhere,
    say: Say,
) -> CredentialStore:
    """Keep the refresh token for ``profile`` (asking where, when no keyring works). Call from a worker.

    ``ask_where`` asks the admin (the Sign in screen shows
    :class:`mktui.tui.screens.storage_choice.StorageChoiceModal`); ``say`` shows
    a sentence (``App.notify``'s arguments). ``unlocked`` is the store the session
    already opened, if any; returns the store the token went to.
    """
    selection = await _selection(insecure_storage)
    store: CredentialStore | None = selection.store
    if store is None and unlocked is not None and unlocked.kind is StorageKind.ENCRYPTED_FILE:
        store = unlocked  # opened at start-up (the kept session had expired): not asked twice
    while store is None:
        answer = await ask_where(selection)
        kind, passphrase = answer or ("memory", None)
        try:
            store = (await _selection(insecure_storage, choice=kind, passphrase=passphrase)).store
        except CredentialError as error:
            say(safe_text(str(error)), severity="error", markup=False)
    await asyncio.to_thread(store.set, profile, refresh_token)
    say(safe_text(store.description), title=_("Signed in"), markup=False)
    return store


AskPassphrase = Callable[[str, Path, str | None], Awaitable[str | None]]
"""``await ask(profile, path, error)``: the passphrase of the encrypted file at ``path``, or
None to sign in with the password instead. ``error`` says why the last one did not open it."""


async def stored_token(
    profile: str, *, insecure_storage: bool, ask_passphrase: AskPassphrase | None = None
) -> tuple[CredentialStore, str] | None:
    """The stored refresh token of ``profile`` and its store, or None.

    A store that works without asking (the keyring, ``--insecure-storage``'s
    plain file) is read at once. Without one, when the encrypted file keeps
    this profile's sign-in and ``ask_passphrase`` is given, the passphrase is
    asked (again after a wrong one) and the file opened with it; None when the
    admin declines. Raises ``CredentialError`` when the store cannot be read.
    """
    probe = await asyncio.to_thread(probe_keyring)
    try:
        selection = await _selection(insecure_storage, probe)
    except CredentialError:
        return None
    store = selection.store
    if store is None and ask_passphrase is not None:
        store = await _unlock(probe, profile, insecure_storage, ask_passphrase)
    if store is None:
        return None
    token = await asyncio.to_thread(store.get, profile)
    return (store, token) if token else None


async def left_in_plain_file(profile: str) -> Path | None:
    """The plain file, when it keeps ``profile``'s session (read only to say so), else None.

    Without ``--insecure-storage`` that file is never used: a profile kept there
    would silently ask for the password again, so the Sign in screen says why.
    """
    path = plain_file_path()

    def holds() -> bool:
        try:
            return path.is_file() and PlainFileStore(path).get(profile) is not None
        except (CredentialError, OSError):
            return False

    return path if await asyncio.to_thread(holds) else None


async def _unlock(
    probe: KeyringProbe, profile: str, insecure_storage: bool, ask_passphrase: AskPassphrase
) -> CredentialStore | None:
    """Open the encrypted file with a passphrase asked of the admin, when it keeps ``profile``."""
    ask_again = (
        ErrorKind.WRONG_PASSPHRASE,
        ErrorKind.BLANK_PASSPHRASE,
        ErrorKind.UNUSABLE_PASSPHRASE,
    )
    path = encrypted_file_path()
    if not await asyncio.to_thread(EncryptedFileStore.holds, path, profile):
        return None
    error: str | None = None
    while True:
        passphrase = await ask_passphrase(profile, path, error)
        if passphrase is None:
            return None
        failure: CredentialError | None = None
        try:
            # Argon2id, slow on purpose: in a thread (_selection).
            selection = await _selection(
                insecure_storage,
                probe,
                choice=StorageKind.ENCRYPTED_FILE,
                passphrase=passphrase,
            )
        except CredentialError as caught:
            # A copy raised (or kept) outside the handler chains nothing: the
            # frames of ``caught`` hold the passphrase.
            failure = CredentialError(caught.kind, caught.message)
        except Exception as caught:  # noqa: BLE001 - anything else (Argon2, OS): same care
            failure = CredentialError(
                ErrorKind.DAMAGED,
                _(
                    "The encrypted sign-in file {path} could not be opened ({problem}); "
                    "sign in with your password to start a new one."
                ).format(path=path, problem=type(caught).__name__),
            )
        finally:
            del passphrase  # Textual's crash screen prints every frame's locals
        if failure is None:
            return selection.store
        if failure.kind not in ask_again:
            raise failure
        error = failure.message
