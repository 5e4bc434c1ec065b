"""Pick the credential store for this run, and the sentence that explains it.

The UI runs ``probe_keyring()`` in a thread, then calls ``choose_store(probe,
insecure_storage=...)``. With a working keyring (or ``MKTUI_TOKEN``) the
selection holds a store at once. Without one it holds ``store=None`` plus the
sentence, the fix and the ``choices`` to offer in a modal; the UI calls
``choose_store`` again with the admin's ``choice`` (and passphrase).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from mktui.config.credentials.plainfile import PlainFileStore
from mktui.config.credentials.probe import KeyringProbe
from mktui.config.credentials.stores import (
    ENV_TOKEN,
    CredentialError,
    CredentialStore,
    EnvTokenStore,
    ErrorKind,
    KeyringStore,
    MemoryStore,
    StorageKind,
)
from mktui.core.i18n import _

log = logging.getLogger(__name__)

ENCRYPTED_FILENAME = "credentials.cfg"
PLAIN_FILENAME = "credentials-insecure.json"


def default_data_dir() -> Path:
    """``platformdirs.user_data_dir("mktui")``: where the credential files live."""
    import platformdirs

    return Path(platformdirs.user_data_dir("mktui"))


def encrypted_file_path(data_dir: Path | None = None) -> Path:
    """The encrypted sign-in file."""
    return (data_dir or default_data_dir()) / ENCRYPTED_FILENAME


def plain_file_path(data_dir: Path | None = None) -> Path:
    """The plain 0600 sign-in file used only with ``--insecure-storage``."""
    return (data_dir or default_data_dir()) / PLAIN_FILENAME


def token_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The access token in ``MKTUI_TOKEN`` (stripped), or None when unset or blank."""
    value = (os.environ if environ is None else environ).get(ENV_TOKEN, "").strip()
    return value or None


@dataclass(frozen=True)
class StoreSelection:
    """The outcome of ``choose_store``.

    ``store`` is None when the admin must pick one of ``choices`` first.
    ``sentence`` says where the sign-in is (or why no keyring works) and ``fix``
    what the admin can do; ``encrypted_file_exists`` tells the modal to ask for
    the passphrase of an existing file rather than a new one. Unpacks as
    ``store, sentence = choose_store(...)``.
    """

    store: CredentialStore | None
    sentence: str
    fix: str = ""
    choices: tuple[StorageKind, ...] = ()
    encrypted_file_exists: bool = False
    warning: bool = False
    """True for the plain file: the UI keeps a standing warning on screen."""

    def __iter__(self) -> Iterator[object]:
        return iter((self.store, self.sentence))

    @property
    def needs_choice(self) -> bool:
        """Whether the UI must show the choices before signing in."""
        return self.store is None


def choose_store(
    probe: KeyringProbe,
    *,
    choice: StorageKind | str | None = None,
    insecure_storage: bool = False,
    passphrase: str | None = None,
    environ: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
) -> StoreSelection:
    """Return the store to use and the sentence explaining it.

    Order: ``MKTUI_TOKEN`` (nothing stored) → the admin's ``choice`` → the
    keyring when the probe passed → with ``insecure_storage``, an existing
    plain file → a passphrase given for the encrypted file → otherwise no
    store yet, with the choices. Raises ``CredentialError`` (a sentence) for a
    choice that cannot be honoured: a wrong or blank passphrase, the keyring
    when it failed the probe, the plain file without ``--insecure-storage``.
    Opening the encrypted file runs Argon2id: call this from a worker.
    """
    from mktui.config.credentials.cryptfile import EncryptedFileStore

    token = token_from_env(environ)
    if token is not None:
        log.info("credentials: using %s, nothing stored", ENV_TOKEN)
        store = EnvTokenStore(token)
        return StoreSelection(store, store.description)

    encrypted = encrypted_file_path(data_dir)
    plain = plain_file_path(data_dir)
    has_encrypted = EncryptedFileStore.exists(encrypted)
    kind = StorageKind(choice) if choice is not None else None

    if kind is None:
        if probe.ok:
            kind = StorageKind.KEYRING
        elif insecure_storage and plain.is_file():
            kind = StorageKind.PLAIN_FILE
        elif passphrase is not None:
            kind = StorageKind.ENCRYPTED_FILE
        else:
            choices = (StorageKind.ENCRYPTED_FILE, StorageKind.MEMORY)
            if insecure_storage:
                choices += (StorageKind.PLAIN_FILE,)
            fix = probe.fix
            if has_encrypted:
                fix = _(
                    "Type the passphrase of your encrypted sign-in file ({path}), "
                    "or sign in for this session only."
                ).format(path=encrypted)
            log.info("credentials: no keyring (%s), asking the admin", probe.reason.value)
            return StoreSelection(None, probe.sentence, fix, choices, has_encrypted)

    store: CredentialStore
    if kind is StorageKind.KEYRING:
        if not probe.ok:
            raise CredentialError(ErrorKind.UNAVAILABLE, probe.message)
        store = KeyringStore(probe.backend)
    elif kind is StorageKind.ENCRYPTED_FILE:
        if passphrase is None:
            raise CredentialError(
                ErrorKind.BLANK_PASSPHRASE,
                _("Type a passphrase for the encrypted sign-in file; it cannot be blank."),
            )
        store = EncryptedFileStore(encrypted, passphrase)
    elif kind is StorageKind.MEMORY:
        store = MemoryStore()
    elif kind is StorageKind.PLAIN_FILE:
        if not insecure_storage:
            raise CredentialError(
                ErrorKind.NOT_ALLOWED,
                _(
                    "A plain sign-in file is allowed only when mktui is started with "
                    "--insecure-storage; choose an encrypted file or this session only."
                ),
            )
        store = PlainFileStore(plain)
    else:  # ENVIRONMENT without the variable
        raise CredentialError(
            ErrorKind.UNAVAILABLE,
            _("Set {variable} to an access token to use it.").format(variable=ENV_TOKEN),
        )
    log.info("credentials: using the %s store", store.kind.value)
    return StoreSelection(store, store.description, warning=kind is StorageKind.PLAIN_FILE)


def refresh_saver(store: CredentialStore, profile: str) -> Callable[[object], Awaitable[None]]:
    """An ``on_refresh`` callback for ``TokenHolder`` that keeps each new refresh token.

    The server rotates the refresh token on every use, so the stored one must
    be replaced every time. The store runs in a thread (the encrypted file
    spends a moment in Argon2id) so the event loop never waits on it.
    """

    import asyncio

    async def save(tokens: object) -> None:
        # The SecretStr is unwrapped inside the thread, so the plain token is
        # never a local of this frame or of asyncio's (Textual's crash screen
        # prints every frame's locals).
        await asyncio.to_thread(_keep, store, profile, tokens.refresh_token)

    return save


def _keep(store: CredentialStore, profile: str, refresh: object) -> None:
    """``store.set`` with the refresh token unwrapped from its SecretStr as an argument only."""
    store.set(
        profile, refresh.get_secret_value() if hasattr(refresh, "get_secret_value") else refresh
    )
