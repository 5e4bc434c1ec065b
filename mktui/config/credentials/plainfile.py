"""The plain-file store: tokens in a 0600 JSON file, only with ``--insecure-storage``.

Failures are built, not raised, below the public methods, and raised only once
no local holds a token: Textual's crash screen prints every frame's locals,
and a chained exception would keep json's ``.doc`` (the whole file).
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
from pathlib import Path

from mktui.config.credentials.stores import CredentialError, ErrorKind, StorageKind
from mktui.config.private_file import FileLock, write_private_file
from mktui.core.i18n import N_, _

log = logging.getLogger(__name__)

# One sentence per failure (a verb slotted into a sentence does not translate).
_IO_FAILURES = {
    "read": N_(
        "The sign-in file {path} could not be read ({error}); "
        "check the disk and that you own the file and its folder."
    ),
    "written": N_(
        "The sign-in file {path} could not be written ({error}); "
        "check the disk and that you own the file and its folder."
    ),
    "removed": N_(
        "The sign-in file {path} could not be removed ({error}); "
        "check the disk and that you own the file and its folder."
    ),
}


class PlainFileStore:
    """Tokens in a JSON file readable only by the user (0600), for ``--insecure-storage``."""

    kind = StorageKind.PLAIN_FILE

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._write_lock = FileLock(self.path)
        self.description = (
            _(
                "Your sign-in is kept unencrypted in {path} (readable only by you), "
                "because mktui was started with --insecure-storage."
            )
        ).format(path=self.path)

    def get(self, profile: str) -> str | None:
        """The token of ``profile`` from the file, or None."""
        with self._lock:
            tokens = self._read()
        if isinstance(tokens, CredentialError):
            raise tokens
        return tokens.get(profile)

    def set(self, profile: str, token: str) -> None:
        """Write the file again (atomically, 0600) with ``token`` for ``profile``."""
        with self._lock, self._write_lock():
            failure = self._update(profile, token)
        if failure is not None:
            del token
            raise failure

    def delete(self, profile: str) -> None:
        """Remove ``profile`` from the file; deletes the file when it is empty."""
        with self._lock, self._write_lock():
            failure = self._update(profile, None)
        if failure is not None:
            raise failure

    def _update(self, profile: str, token: str | None) -> CredentialError | None:
        """Set ``profile``'s token (remove it when None); the failure is returned, not raised."""
        tokens = self._read()
        if isinstance(tokens, CredentialError):
            return tokens
        if token is not None:
            tokens[profile] = token
        elif tokens.pop(profile, None) is None:
            return None
        elif not tokens:
            try:
                self.path.unlink(missing_ok=True)
            except OSError as exc:
                return self._io_error("removed", exc)
            return None
        return self._write(tokens)

    def _read(self) -> dict[str, str] | CredentialError:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return {}
        try:
            if stat.S_IMODE(info.st_mode) & 0o077:
                # Someone loosened it; tighten before reading a token out of it.
                log.warning("tightening %s to 0600", self.path)
                os.chmod(self.path, 0o600)
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except OSError as exc:
            return self._io_error("read", exc)
        except ValueError:
            return self._damaged()
        tokens = data.get("tokens") if isinstance(data, dict) else None
        if isinstance(tokens, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in tokens.items()
        ):
            return dict(tokens)
        return self._damaged()

    def _write(self, tokens: dict[str, str]) -> CredentialError | None:
        data = json.dumps({"version": 1, "tokens": tokens}, indent=2, sort_keys=True)
        try:
            write_private_file(self.path, (data + "\n").encode("utf-8"))
        except OSError as exc:
            return self._io_error("written", exc)
        return None

    def _io_error(self, verb: str, exc: OSError) -> CredentialError:
        return CredentialError(
            ErrorKind.IO, _(_IO_FAILURES[verb]).format(path=self.path, error=type(exc).__name__)
        )

    def _damaged(self) -> CredentialError:
        return CredentialError(
            ErrorKind.DAMAGED,
            _("The sign-in file {path} is damaged; delete it and sign in again.").format(
                path=self.path
            ),
        )

    def __repr__(self) -> str:
        return f"PlainFileStore(path={str(self.path)!r})"
