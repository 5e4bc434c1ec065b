"""The encrypted-file store: keyrings.cryptfile (Argon2id + AES-GCM) with a passphrase.

``CryptFileKeyring`` asks for its passphrase with ``getpass`` and rewrites its
file in place. A Textual app must never reach a ``getpass`` prompt, and a
crash mid-write must not lose the tokens, so a small subclass here:

- takes the passphrase from the caller (the ``keyring_key`` setter, which
  opens or creates the file) and raises instead of ever prompting;
- creates the file 0600 from the start and rewrites it atomically;
- tells a wrong passphrase (the AES-GCM tag does not verify) from a damaged file.
"""

from __future__ import annotations

import configparser
import io
import json
import logging
import os
import threading
from base64 import decodebytes
from binascii import Error as Base64Error
from pathlib import Path

from keyring.errors import PasswordDeleteError
from keyrings.cryptfile.cryptfile import CryptFileKeyring
from keyrings.cryptfile.escape import escape as escape_for_ini

from mktui.config.credentials.probe import SERVICE
from mktui.config.credentials.stores import CredentialError, ErrorKind, StorageKind
from mktui.config.private_file import FileLock, write_private_file

log = logging.getLogger(__name__)

_SETTINGS = "keyring-setting"
_REFERENCE = "password reference"
_REFERENCE_VALUE = "password reference value"


class _WrongPassphrase(Exception):
    pass


class _Damaged(Exception):
    pass


class _MktuiCryptFile(CryptFileKeyring):
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
        # file_path is a NonDataProperty upstream: an instance attribute overrides it.
        self.file_path = str(path)

    def __repr__(self) -> str:
        return f"<encrypted sign-in file {self.file_path}>"

    def _get_new_password(self) -> str:
        # Upstream asks twice with getpass here; mktui always sets keyring_key first.
        raise RuntimeError("the passphrase must be set before the file is used")

    def _check_file(self) -> bool:
        # Upstream reads with configparser.read(), which skips a file it cannot
        # open; an unreadable file would pass for "no file" and a new one would
        # be started over it with the passphrase typed to open it.
        _read_config(Path(self.file_path))
        return super()._check_file()

    def _unlock(self) -> None:
        if self._keyring_key is None:
            raise RuntimeError("the passphrase must be set before the file is used")
        config = _read_config(Path(self.file_path))
        try:
            raw = config.get(escape_for_ini(_SETTINGS), escape_for_ini(_REFERENCE))
            payload = json.loads(decodebytes(raw.encode()).decode())
            if not {"salt", "data", "mac", "nonce"} <= set(payload):
                raise _Damaged
        except (configparser.Error, ValueError, Base64Error, UnicodeError, TypeError):
            raise _Damaged from None
        try:
            reference = self.get_password(_SETTINGS, _REFERENCE)
        except ValueError:  # the AES-GCM tag did not verify: another passphrase
            self._lock()
            raise _WrongPassphrase from None
        if reference != _REFERENCE_VALUE:
            self._lock()
            raise _WrongPassphrase

    def _ensure_file_path(self) -> None:
        path = Path(self.file_path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        os.close(fd)

    def _write_config_value(self, service: str, key: str, value: str) -> None:
        self._ensure_file_path()
        config = _read_config(Path(self.file_path))
        section, option = escape_for_ini(service), escape_for_ini(key)
        if not config.has_section(section):
            config.add_section(section)
        config.set(section, option, value)
        _write_ini(Path(self.file_path), config)

    def delete_password(self, service: str, username: str) -> None:
        _forget(Path(self.file_path), service, username)


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
        self.description = (
            f"Your sign-in is kept in an encrypted file ({self.path}), opened with your passphrase."
        )
        if not isinstance(passphrase, str) or not passphrase.strip():
            raise CredentialError(
                ErrorKind.BLANK_PASSPHRASE,
                "Type a passphrase for the encrypted sign-in file; it cannot be blank.",
            )
        # getpass decodes stray terminal bytes as lone surrogates; Argon2 needs
        # UTF-8. (Checked without encode(): its error would carry the passphrase.)
        if any("\ud800" <= char <= "\udfff" for char in passphrase):
            del passphrase  # Textual's crash screen prints every frame's locals
            raise CredentialError(
                ErrorKind.UNUSABLE_PASSPHRASE,
                "The passphrase has characters the terminal could not decode; type it again.",
            )
        self._file = _MktuiCryptFile(self.path)
        self._write_lock = FileLock(self.path)
        # Every failure below is raised after its handler, so it chains nothing:
        # the frames of the exception it replaces hold the passphrase or a token.
        try:
            # The setter opens an existing file (checking the passphrase) or creates one.
            with self._write_lock():
                self._file.keyring_key = passphrase
            return
        except _WrongPassphrase:
            log.info("wrong passphrase for %s", self.path)
            failure = CredentialError(
                ErrorKind.WRONG_PASSPHRASE,
                f"That passphrase does not open the encrypted sign-in file {self.path}; "
                "type it again, or delete the file and sign in again to start a new one.",
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
            except (ValueError, configparser.Error, UnicodeError):
                failure = CredentialError(
                    ErrorKind.DAMAGED,
                    f"The sign-in of profile {profile!r} in {self.path} is damaged; "
                    "sign in again to replace it.",
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
        f"The encrypted sign-in file {path} is damaged or not an mktui file; "
        "move it away and sign in again.",
    )


def _io_error(path: Path, exc: OSError) -> CredentialError:
    return CredentialError(
        ErrorKind.IO,
        f"The encrypted sign-in file {path} could not be used ({type(exc).__name__}); "
        "check the disk and that you own the file and its folder.",
    )
