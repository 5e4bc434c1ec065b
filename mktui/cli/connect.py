"""The signed-in billing client a scriptable command runs with.

The same client, credential stores and sandbox the console uses: ``--sandbox
[--as ACCOUNT]`` signs in to the in-process sandbox as a demo account;
otherwise the profile (``--profile`` or the default one) supplies the API URL
and its kept session is resumed, in this order:

1. ``MKTUI_TOKEN`` — an access token from the environment; nothing is stored;
2. the system keyring, where one works and holds the profile's session;
3. the 0600 plain file, only with ``--insecure-storage``;
4. the encrypted file, its passphrase read from the file descriptor given by
   ``--passphrase-fd N`` (or ``MKTUI_PASSPHRASE_FD``), else asked on a terminal.

The refresh token rotates on every use: the new one replaces the stored one
(``refresh_saver``), so the next run signs in too. Nothing here prints; a
problem is raised as :class:`SignInNeeded` with a sentence saying what to do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mktui.core.i18n import _

if TYPE_CHECKING:
    from mktui.api.client import BillingClient
    from mktui.config.credentials import CredentialStore, KeyringProbe
    from mktui.config.profiles import Profile

PASSPHRASE_FD_ENV = "MKTUI_PASSPHRASE_FD"  # noqa: S105 - the variable's name, not a secret


class SignInNeeded(Exception):
    """No usable session: the sentence says how to get one (exit code 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(Exception):
    """A bad option value, said in a sentence naming the option (exit code 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def connect(
    args: object,
    *,
    ask_secret: Callable[[str], str] | None = None,
    interactive: bool | None = None,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    data_dir: Path | None = None,
    probe: Callable[[], KeyringProbe] | None = None,
) -> BillingClient:
    """A signed-in :class:`BillingClient` for the command's ``--sandbox``/``--profile``.

    The caller closes it (``async with``). Raises :class:`SignInNeeded` or
    :class:`UsageError`; an ``ApiError`` from signing in passes through.
    """
    import asyncio

    environ = os.environ if environ is None else environ
    if getattr(args, "sandbox_account", None) and not getattr(args, "sandbox", False):
        raise UsageError(_("--as chooses a sandbox account: add --sandbox, or use --profile."))
    if getattr(args, "sandbox", False):
        return await _sandbox(getattr(args, "sandbox_account", None) or "demo")
    profile = _profile(getattr(args, "profile", None), config_path)
    from mktui.api.auth import TokenHolder
    from mktui.config.credentials import refresh_saver, token_from_env

    token = token_from_env(environ)
    if token is not None:
        return _client(profile, TokenHolder(access_token=token))
    store, refresh = await asyncio.to_thread(
        _stored_session,
        profile.name,
        insecure_storage=bool(getattr(args, "insecure_storage", False)),
        passphrase_fd=_passphrase_fd(args, environ),
        ask_secret=ask_secret,
        interactive=_stdin_is_terminal() if interactive is None else interactive,
        data_dir=data_dir,
        probe=probe,
    )
    client = _client(
        profile, TokenHolder(refresh_token=refresh, on_refresh=refresh_saver(store, profile.name))
    )
    from mktui.api.errors import SessionExpired

    try:
        await client.refresh()
    except SessionExpired:
        await client.aclose()
        raise SignInNeeded(
            _(
                "The session kept for profile {name} has ended; sign in again with "
                "`mktui login --profile {bare}`."
            ).format(name=repr(profile.name), bare=profile.name)
        ) from None
    except BaseException:
        await client.aclose()
        raise
    return client


def _stdin_is_terminal() -> bool:
    import sys

    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # closed
        return False


async def _sandbox(account: str) -> BillingClient:
    from mktui.sandbox.embedded import sandbox_client
    from mktui.sandbox.paths import default_db_path
    from mktui.tui.services.session import SANDBOX_ACCOUNTS, SANDBOX_PASSWORD, sandbox_email

    if account not in SANDBOX_ACCOUNTS:
        raise UsageError(
            _("--as {account} is not a sandbox account; use one of {accounts}.").format(
                account=repr(account), accounts=", ".join(SANDBOX_ACCOUNTS)
            )
        )
    client = sandbox_client(default_db_path())
    try:
        await client.sign_in(sandbox_email(account), SANDBOX_PASSWORD)
    except BaseException:
        await client.aclose()
        raise
    return client


def _profile(name: str | None, config_path: Path | None) -> Profile:
    from mktui.config.profiles import Config, ConfigError

    try:
        config = Config.load(config_path)
        profile = config.profile(name)
    except ConfigError as exc:
        raise SignInNeeded(exc.message) from None
    if profile.email is None and not profile.sandbox and name is None:
        raise SignInNeeded(
            _(
                "No profile is signed in yet: run `mktui login --api-url URL --email EMAIL` "
                "first, or use --sandbox to try the embedded sandbox."
            )
        )
    return profile


def _client(profile: Profile, tokens: object) -> BillingClient:
    if profile.sandbox:
        from mktui.sandbox.embedded import sandbox_client
        from mktui.sandbox.paths import default_db_path

        return sandbox_client(default_db_path(), tokens=tokens)
    from mktui.api.client import BillingClient

    return BillingClient(profile.api_url, tokens=tokens)


def _passphrase_fd(args: object, environ: Mapping[str, str]) -> int | None:
    raw = getattr(args, "passphrase_fd", None)
    source = "--passphrase-fd"
    if raw is None and environ.get(PASSPHRASE_FD_ENV, "").strip():
        raw, source = environ[PASSPHRASE_FD_ENV].strip(), PASSPHRASE_FD_ENV
    if raw is None:
        return None
    try:
        fd = int(raw)
    except (TypeError, ValueError):
        raise UsageError(
            _("{option} must be a file descriptor number, like 3.").format(option=source)
        ) from None
    if fd < 0:
        raise UsageError(
            _("{option} must be a file descriptor number, like 3.").format(option=source)
        )
    return fd


def read_passphrase_fd(fd: int) -> str:
    """The first line of file descriptor ``fd`` (the descriptor is closed after)."""
    try:
        with os.fdopen(fd, "r", encoding="utf-8", closefd=True) as stream:
            line = stream.readline()
    except OSError:
        raise UsageError(
            _(
                "File descriptor {fd} given for the passphrase cannot be read; open it for "
                "mktui, e.g. `mktui … --passphrase-fd 3 3<passphrase-file`."
            ).format(fd=fd)
        ) from None
    return line.rstrip("\r\n")


def _stored_session(
    profile: str,
    *,
    insecure_storage: bool,
    passphrase_fd: int | None,
    ask_secret: Callable[[str], str] | None,
    interactive: bool,
    data_dir: Path | None,
    probe: Callable[[], KeyringProbe] | None,
) -> tuple[CredentialStore, str]:
    """The store keeping ``profile``'s refresh token, and the token (in a thread: keyring, Argon2id)."""
    from mktui.config.credentials import (
        CredentialError,
        EncryptedFileStore,
        KeyringStore,
        PlainFileStore,
        encrypted_file_path,
        plain_file_path,
        probe_keyring,
    )

    login = f"`mktui login --profile {profile}`"
    verdict = (probe or probe_keyring)()
    try:
        if verdict.ok:
            keyring = KeyringStore(verdict.backend)
            token = keyring.get(profile)
            if token:
                return keyring, token
        if insecure_storage:
            plain = PlainFileStore(plain_file_path(data_dir))
            token = plain.get(profile)
            if token:
                return plain, token
    except CredentialError as exc:
        raise SignInNeeded(exc.message) from None
    path = encrypted_file_path(data_dir)
    if not EncryptedFileStore.holds(path, profile):
        if verdict.ok:
            missing = _(
                "Profile {profile} has no kept session in the system keyring; sign in with "
                "{login} (or set MKTUI_TOKEN to an access token)."
            )
        else:
            missing = _(
                "Profile {profile} has no kept session in any store that works here; sign in "
                "with {login} (or set MKTUI_TOKEN to an access token)."
            )
        raise SignInNeeded(missing.format(profile=repr(profile), login=login))
    if passphrase_fd is not None:
        passphrase = read_passphrase_fd(passphrase_fd)
    elif interactive:
        import getpass

        passphrase = (ask_secret or getpass.getpass)(_("Passphrase for {path}: ").format(path=path))
    else:
        raise SignInNeeded(
            _(
                "The session of profile {profile} is in the encrypted file {path}; give its "
                "passphrase on a file descriptor (--passphrase-fd 3 3<file, or {variable}), "
                "or run the command in a terminal."
            ).format(profile=repr(profile), path=path, variable=PASSPHRASE_FD_ENV)
        )
    try:
        store = EncryptedFileStore(path, passphrase)
        token = store.get(profile)
    except CredentialError as exc:
        failure = SignInNeeded(exc.message)
    else:
        failure = None
    finally:
        del passphrase
    if failure is not None:
        raise failure
    if not token:
        raise SignInNeeded(
            _("Profile {profile} has no kept session; sign in with {login}.").format(
                profile=repr(profile), login=login
            )
        )
    return store, token
