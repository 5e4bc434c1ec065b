"""The encrypted-file store: keyrings.cryptfile (Argon2id + AES-GCM) with a passphrase.

``CryptFileKeyring`` asks for its passphrase with ``getpass`` and rewrites its
file in place. A Textual app must never reach a ``getpass`` prompt, and a
crash mid-write must not lose the tokens, so here:

- the passphrase comes from the caller (the public ``keyring_key`` setter,
  which opens or creates the file) and nothing ever prompts;
- the file is created 0600 from the start and rewritten atomically;
- a wrong passphrase (the AES-GCM tag does not verify) is told from a damaged
  or unreadable file, which is checked before the passphrase is tried.

The two overrides of keyrings.cryptfile internals this takes live in
:mod:`mktui.config.credentials.cryptfile_shim`.
"""

from __future__ import annotations

import configparser
import io
import json
import logging
import os
import re
import threading
from base64 import b64decode, decodebytes
from binascii import Error as Base64Error
from pathlib import Path

from argon2.exceptions import Argon2Error
from keyring.errors import PasswordDeleteError
from keyrings.cryptfile.escape import escape as escape_for_ini

from mktui.config.credentials.cryptfile_shim import NoPromptCryptFile
from mktui.config.credentials.probe import SERVICE
from mktui.config.credentials.stores import CredentialError, ErrorKind, StorageKind
from mktui.config.private_file import FileLock, write_private_file
from mktui.core.i18n import _

log = logging.getLogger(__name__)

_SETTINGS = "keyring-setting"
_REFERENCE = "password reference"
_SCHEME = "scheme"
# What keyrings.cryptfile writes (an older PyCryptodome prefix is still read):
# any other scheme is not a file it, or mktui, can open.
_KNOWN_SCHEME = re.compile(r"(PyCryptodome )?\[Argon2\] AES128\.(CCM|EAX|GCM|OCB)")


class _WrongPassphrase(Exception):
    pass


class _Damaged(Exception):
    pass


class _MktuiCryptFile(NoPromptCryptFile):
    """CryptFileKeyring at a given path that never prompts and writes atomically."""

    # Pinned to keyrings.cryptfile 1.3.9's defaults: the file records neither
    # the Argon2 cost nor (beyond the scheme) the mode, so a release with other
    # defaults would take every passphrase for a wrong one.
    time_cost = 15
    memory_cost = 2**16  # KiB: 64 MiB
    parallelism = 2
    aesmode = "GCM"

    def __init__(self, path: Path) -> None:
        super().__init__()
        # file_path is a NonDataProperty upstream, documented as overridable per instance.
        self.file_path = str(path)

    def __repr__(self) -> str:
        return f"<encrypted sign-in file {self.file_path}>"

    def write_entry(self, service: str, key: str, value: str) -> None:
        """Set one entry and rewrite the file atomically (0600, created 0600 in a 0700 dir)."""
        path = Path(self.file_path)
        _create_private_file(path)
        config = _read_config(path)
        section, option = escape_for_ini(service), escape_for_ini(key)
        if not config.has_section(section):
            config.add_section(section)
        config.set(section, option, value)
        _write_ini(path, config)

    def delete_password(self, service: str, username: str) -> None:
        """Forget one entry, rewriting the file atomically."""
        _forget(Path(self.file_path), service, username)


def _create_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 (its folder 0700) unless it exists."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    os.close(fd)


def _check_before_unlocking(path: Path) -> None:
    """Raise ``_Damaged`` unless the file is readable and its reference entry well formed.

    The passphrase is checked by decrypting the reference entry, and
    keyrings.cryptfile raises the same ValueError for a wrong passphrase as for
    a malformed entry; so the entry's form is checked here first, and a
    ValueError from the unlock can only mean the passphrase. An unreadable
    file raises OSError here rather than passing for a missing one (upstream
    reads with ``configparser.read``, which skips it, and would start a new file
    over it with the passphrase typed to open it).
    """
    config = _read_config(path)
    settings = escape_for_ini(_SETTINGS)
    if config.has_option(settings, escape_for_ini(_SCHEME)):
        if not _KNOWN_SCHEME.fullmatch(config.get(settings, escape_for_ini(_SCHEME))):
            raise _Damaged
    if not config.has_option(settings, escape_for_ini(_REFERENCE)):
        return  # no file yet (or no reference): the setter starts one, as upstream does
    try:
        raw = config.get(settings, escape_for_ini(_REFERENCE))
        payload = json.loads(decodebytes(raw.encode()).decode())
        if not isinstance(payload, dict) or set(payload) != {"salt", "data", "mac", "nonce"}:
            raise _Damaged
        # base64 as cryptfile writes it (wrapped lines), every character valid.
        fields = {
            name: b64decode("".join(value.split()), validate=True)
            for name, value in payload.items()
        }
    except (ValueError, Base64Error, UnicodeError, TypeError, AttributeError):
        raise _Damaged from None
    # Argon2 refuses a salt under 8 bytes with its own error; AES wants a nonce and a 16-byte tag.
    if len(fields["salt"]) < 8 or not fields["nonce"] or len(fields["mac"]) != 16:
        raise _Damaged


def _read_config(path: Path) -> configparser.RawConfigParser:
    """The file's entries (none when it does not exist); OSError when it cannot be read."""
    config = configparser.RawConfigParser()
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        return config
    with handle:
        config.read_file(handle, source=str(path))
    return config


def _write_ini(path: Path, config: configparser.RawConfigParser) -> None:
    buffer = io.StringIO()
    config.write(buffer)
    write_private_file(path, buffer.getvalue().encode("utf-8"))


def _forget(path: Path, service: str, username: str) -> None:
    config = _read_config(path)
    try:
        removed = config.remove_option(escape_for_ini(service), escape_for_ini(username))
    except configparser.NoSectionError:
        removed = False
    if not removed:
        raise PasswordDeleteError("Password not found")
    _write_ini(path, config)


class EncryptedFileStore:
    """Refresh tokens in a cryptfile-encrypted file opened with a passphrase.

    Opening checks the passphrase at once (the file's reference entry must
    decrypt); a new file is created 0600 with that passphrase. Opening and
    every read or write runs Argon2id on purpose (a fraction of a second), so
    call it from a worker thread. The passphrase is kept only in this object.
    """

    kind = StorageKind.ENCRYPTED_FILE

    def __init__(self, path: Path | str, passphrase: str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self.description = _(
            "Your sign-in is kept in an encrypted file ({path}), opened with your passphrase."
        ).format(path=self.path)
        if not isinstance(passphrase, str) or not passphrase.strip():
            raise CredentialError(
                ErrorKind.BLANK_PASSPHRASE,
                _("Type a passphrase for the encrypted sign-in file; it cannot be blank."),
            )
        # getpass decodes stray terminal bytes as lone surrogates; Argon2 needs
        # UTF-8. (Checked without encode(): its error would carry the passphrase.)
        if any("\ud800" <= char <= "\udfff" for char in passphrase):
            del passphrase  # Textual's crash screen prints every frame's locals
            raise CredentialError(
                ErrorKind.UNUSABLE_PASSPHRASE,
                _("The passphrase has characters the terminal could not decode; type it again."),
            )
        self._file = _MktuiCryptFile(self.path)
        self._write_lock = FileLock(self.path)
        # Every failure below is raised after its handler, so it chains nothing:
        # the frames of the exception it replaces hold the passphrase or a token.
        try:
            with self._write_lock():
                _check_before_unlocking(self.path)
                try:
                    # The setter opens an existing file (decrypting its reference entry
                    # with the passphrase) or creates one.
                    self._file.keyring_key = passphrase
                except ValueError:  # the form was checked above: the tag did not verify
                    raise _WrongPassphrase from None
            return
        except _WrongPassphrase:
            log.info("wrong passphrase for %s", self.path)
            failure = CredentialError(
                ErrorKind.WRONG_PASSPHRASE,
                _(
                    "That passphrase does not open the encrypted sign-in file {path}; "
                    "type it again, or delete the file and sign in again to start a new one."
                ).format(path=self.path),
            )
        except (_Damaged, configparser.Error, ValueError, UnicodeError):
            failure = self._damaged()
        except OSError as exc:
            failure = self._io_error(exc)
        del passphrase  # Textual's crash screen prints every frame's locals
        raise failure

    @staticmethod
    def exists(path: Path | str) -> bool:
        """Whether an encrypted sign-in file is already there (to ask for its passphrase)."""
        path = Path(path)
        return path.is_file() and path.stat().st_size > 0

    @staticmethod
    def holds(path: Path | str, profile: str) -> bool:
        """Whether the file keeps a sign-in for ``profile`` (read without the passphrase).

        Tells the console to ask for the passphrase at start-up. Only the
        entry's name is read, nothing is decrypted; a missing file is False, and
        so (logged) is one that cannot be read or parsed: opening it would fail
        anyway, and the admin can still sign in with the password.
        """
        path = Path(path)
        try:
            config = _read_config(path)
            return config.has_option(escape_for_ini(SERVICE), escape_for_ini(profile))
        except (configparser.Error, UnicodeError):
            log.warning("the encrypted sign-in file %s is damaged; not resuming from it", path)
        except OSError as exc:
            log.warning(
                "the encrypted sign-in file %s could not be read (%s); not resuming from it",
                path,
                type(exc).__name__,
            )
        return False

    @staticmethod
    def forget(path: Path | str, profile: str) -> bool:
        """Remove ``profile``'s entry without the passphrase (for logout); True if it was there.

        Raises ``CredentialError`` when the file cannot be read or written.
        """
        path = Path(path)
        if not path.exists():
            return False
        try:
            with FileLock(path)():
                _forget(path, SERVICE, profile)
            return True
        except PasswordDeleteError:
            return False
        except (configparser.Error, UnicodeError):
            failure = _damaged(path)
        except OSError as exc:
            failure = _io_error(path, exc)
        raise failure  # outside the handler: nothing chained (see __init__)

    def get(self, profile: str) -> str | None:
        """The token kept for ``profile``, or None."""
        with self._lock:
            try:
                return self._file.get_password(SERVICE, profile)
            # Argon2Error: the entry's salt is too short for the KDF (a damaged entry).
            except (ValueError, configparser.Error, UnicodeError, Argon2Error):
                failure = CredentialError(
                    ErrorKind.DAMAGED,
                    _(
                        "The sign-in of profile {profile} in {path} is damaged; "
                        "sign in again to replace it."
                    ).format(profile=repr(profile), path=self.path),
                )
            except OSError as exc:
                failure = self._io_error(exc)
        raise failure  # outside the handler: nothing chained (see __init__)

    def set(self, profile: str, token: str) -> None:
        """Encrypt ``token`` and keep it for ``profile`` (the file is rewritten atomically)."""
        with self._lock, self._write_lock():
            try:
                self._file.set_password(SERVICE, profile, token)
                return
            except (configparser.Error, UnicodeError, ValueError):
                failure = self._damaged()
            except OSError as exc:
                failure = self._io_error(exc)
        del token  # see __init__
        raise failure  # outside the handler: nothing chained (see __init__)

    def delete(self, profile: str) -> None:
        """Forget ``profile``'s token; nothing happens when there is none."""
        with self._lock, self._write_lock():
            try:
                self._file.delete_password(SERVICE, profile)
                return
            except PasswordDeleteError:
                return
            except (configparser.Error, UnicodeError):
                failure = self._damaged()
            except OSError as exc:
                failure = self._io_error(exc)
        raise failure  # outside the handler: nothing chained (see __init__)

    def _damaged(self) -> CredentialError:
        return _damaged(self.path)

    def _io_error(self, exc: OSError) -> CredentialError:
        return _io_error(self.path, exc)

    def __repr__(self) -> str:
        return f"EncryptedFileStore(path={str(self.path)!r})"


def _damaged(path: Path) -> CredentialError:
    return CredentialError(
        ErrorKind.DAMAGED,
        _(
            "The encrypted sign-in file {path} is damaged or not an mktui file; "
            "move it away and sign in again."
        ).format(path=path),
    )


def _io_error(path: Path, exc: OSError) -> CredentialError:
    return CredentialError(
        ErrorKind.IO,
        _(
            "The encrypted sign-in file {path} could not be used ({error}); "
            "check the disk and that you own the file and its folder."
        ).format(path=path, error=type(exc).__name__),
    )
