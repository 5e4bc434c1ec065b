"""Where the refresh token is kept: the keyring, memory, a plain 0600 file, or nowhere.

Every store keeps one refresh token per profile (the password is never
stored) and answers with a ``CredentialError`` sentence, never a traceback or
the token itself. Stores are thread safe: the UI calls them from workers.
The file stores live in ``mktui.config.credentials.cryptfile`` (encrypted) and
``mktui.config.credentials.plainfile`` (plain, ``--insecure-storage`` only).
"""

from __future__ import annotations

import logging
import threading
from enum import StrEnum
from typing import Protocol, runtime_checkable

from mktui.config.credentials.probe import SERVICE, secure_backend
from mktui.core.i18n import N_, _

log = logging.getLogger(__name__)

ENV_TOKEN = "MKTUI_TOKEN"  # noqa: S105 - the variable name, not a token


class StorageKind(StrEnum):
    """The kinds of store, as offered in the sign-in choices."""

    KEYRING = "keyring"
    ENCRYPTED_FILE = "encrypted-file"
    MEMORY = "memory"
    PLAIN_FILE = "plain-file"
    ENVIRONMENT = "environment"

    @property
    def label(self) -> str:
        """A short label for a button or a list."""
        return _(_LABELS[self])


_LABELS = {
    StorageKind.KEYRING: N_("System keyring"),
    StorageKind.ENCRYPTED_FILE: N_("Encrypted file (passphrase)"),
    StorageKind.MEMORY: N_("This session only"),
    StorageKind.PLAIN_FILE: N_("Plain file (insecure)"),
    StorageKind.ENVIRONMENT: "MKTUI_TOKEN",
}


class ErrorKind(StrEnum):
    """What went wrong with a store."""

    WRONG_PASSPHRASE = "wrong_passphrase"  # noqa: S105 - an error kind
    BLANK_PASSPHRASE = "blank_passphrase"  # noqa: S105 - an error kind
    UNUSABLE_PASSPHRASE = "unusable_passphrase"  # noqa: S105 - an error kind
    DAMAGED = "damaged"
    UNAVAILABLE = "unavailable"
    NOT_ALLOWED = "not_allowed"
    IO = "io"


class CredentialError(Exception):
    """A credential store failure as a sentence for the admin (never holding a secret)."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __repr__(self) -> str:
        return f"CredentialError(kind={self.kind.value!r}, message={self.message!r})"


@runtime_checkable
class CredentialStore(Protocol):
    """One refresh token per profile."""

    kind: StorageKind
    description: str
    """One sentence saying where the sign-in is kept."""

    def get(self, profile: str) -> str | None:
        """The refresh token of ``profile``, or None."""

    def set(self, profile: str, token: str) -> None:
        """Keep ``token`` as the refresh token of ``profile``."""

    def delete(self, profile: str) -> None:
        """Forget the refresh token of ``profile`` (nothing happens when there is none)."""


class MemoryStore:
    """Tokens in a dict, for this session only (and for the tests)."""

    kind = StorageKind.MEMORY

    @property
    def description(self) -> str:
        """One sentence saying where the sign-in is kept."""
        return _(
            "Your sign-in is kept in memory for this session only; "
            "you will sign in again next time."
        )

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, profile: str) -> str | None:
        """The token of ``profile`` or None."""
        with self._lock:
            return self._tokens.get(profile)

    def set(self, profile: str, token: str) -> None:
        """Keep ``token`` until the process ends."""
        with self._lock:
            self._tokens[profile] = token

    def delete(self, profile: str) -> None:
        """Forget ``profile``'s token."""
        with self._lock:
            self._tokens.pop(profile, None)

    def __repr__(self) -> str:
        return f"MemoryStore(profiles={sorted(self._tokens)!r})"


class KeyringStore:
    """The OS keyring: service ``mktui``, username = profile name, password = the token."""

    kind = StorageKind.KEYRING

    def __init__(self, backend: object | None = None, *, service: str = SERVICE) -> None:
        if backend is None:
            import keyring

            backend = secure_backend(keyring.get_keyring())
            if backend is None:
                raise CredentialError(
                    ErrorKind.UNAVAILABLE,
                    _(
                        "No system keyring works here; "
                        "choose an encrypted file or this session only."
                    ),
                )
        self._backend = backend
        self._service = service
        self._lock = threading.Lock()
        name = getattr(type(backend), "name", None) or type(backend).__name__
        self.description = _("Your sign-in is kept in the system keyring ({name}).").format(
            name=name
        )

    def get(self, profile: str) -> str | None:
        """The token kept for ``profile`` in the keyring, or None."""
        with self._lock:
            try:
                return self._backend.get_password(self._service, profile)
            except Exception as exc:  # noqa: BLE001 - every keyring/D-Bus failure becomes a sentence
                failure = self._failure("read", profile, exc)
        # Raised outside the handler: `from None` would only hide the backend's
        # exception (whose text may echo a secret), still keeping it as __context__.
        raise failure

    def set(self, profile: str, token: str) -> None:
        """Keep ``token`` in the keyring under ``profile``."""
        with self._lock:
            try:
                self._backend.set_password(self._service, profile, token)
                return
            except Exception as exc:  # noqa: BLE001
                failure = self._failure("keep", profile, exc)
        del token  # Textual's crash screen prints every frame's locals
        raise failure  # outside the handler, as in get()

    def delete(self, profile: str) -> None:
        """Remove ``profile``'s entry; a missing entry is not an error."""
        from keyring.errors import PasswordDeleteError

        with self._lock:
            try:
                self._backend.delete_password(self._service, profile)
                return
            except PasswordDeleteError:
                return
            except Exception as exc:  # noqa: BLE001
                failure = self._failure("remove", profile, exc)
        raise failure  # outside the handler, as in get()

    def _failure(self, verb: str, profile: str, exc: Exception) -> CredentialError:
        # The exception's own text may echo what was passed in; only its type is shown.
        log.warning("keyring could not %s the sign-in of %s: %s", verb, profile, type(exc).__name__)
        return CredentialError(
            ErrorKind.UNAVAILABLE,
            _(_KEYRING_FAILURES[verb]).format(profile=repr(profile), error=type(exc).__name__),
        )

    def __repr__(self) -> str:
        return f"KeyringStore(backend={type(self._backend).__name__}, service={self._service!r})"


# One sentence per failure (a verb slotted into a sentence does not translate).
_KEYRING_FAILURES = {
    "read": N_(
        "The system keyring could not read the sign-in of profile {profile} ({error}); "
        "unlock it and try again, or sign in for this session only."
    ),
    "keep": N_(
        "The system keyring could not keep the sign-in of profile {profile} ({error}); "
        "unlock it and try again, or sign in for this session only."
    ),
    "remove": N_(
        "The system keyring could not remove the sign-in of profile {profile} ({error}); "
        "unlock it and try again, or sign in for this session only."
    ),
}


class EnvTokenStore:
    """``MKTUI_TOKEN``: an access token used as-is for automation; nothing is stored.

    ``get`` answers None (there is no refresh token to keep) and ``set`` and
    ``delete`` do nothing; the app signs its requests with ``access_token``.
    """

    kind = StorageKind.ENVIRONMENT

    @property
    def description(self) -> str:
        """One sentence saying where the sign-in is kept."""
        return _("mktui signs in with the access token in MKTUI_TOKEN and stores nothing.")

    def __init__(self, access_token: str) -> None:
        self._access_token = access_token

    @property
    def access_token(self) -> str:
        """The access token from the environment."""
        return self._access_token

    def get(self, profile: str) -> str | None:
        """Always None: no refresh token exists with MKTUI_TOKEN."""
        return None

    def set(self, profile: str, token: str) -> None:
        """Nothing is stored when MKTUI_TOKEN is used."""

    def delete(self, profile: str) -> None:
        """Nothing is stored when MKTUI_TOKEN is used."""

    def __repr__(self) -> str:
        return "EnvTokenStore(access_token=<hidden>)"
