"""The steps of ``mktui login``: the terminal it talks through, the password, the store, the sign-in.

:mod:`mktui.cli.session_commands` runs them in order; they live here to keep each
module small. ``Terminal`` is re-exported there, where the tests take it from.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from mktui.config.profiles import Profile
from mktui.core.i18n import _

PASSPHRASE_ATTEMPTS = 3


@dataclass
class Terminal:
    """Where a command reads and writes; tests replace every part."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    ask: Callable[[str], str] = field(default_factory=lambda: input)
    ask_secret: Callable[[str], str] = field(default_factory=lambda: getpass.getpass)
    interactive: bool = field(default_factory=lambda: sys.stdin.isatty())

    def say(self, text: str) -> None:
        """A line on standard output."""
        print(text, file=self.out)

    def fail(self, text: str, code: int = 1) -> int:
        """A sentence on standard error; returns the exit code."""
        print(f"mktui: {text}", file=self.err)
        return code


def read_password(args: argparse.Namespace, term: Terminal, email: str) -> str | None:
    """The password from --password-stdin or a prompt; None (after a sentence) when there is none."""
    if args.password_stdin:
        password = term.stdin.readline().rstrip("\r\n")
    elif term.interactive:
        password = term.ask_secret(_("Password for {email}: ").format(email=email))
    else:
        term.fail(_("There is no terminal to ask the password; pass it with --password-stdin."), 2)
        return None
    if not password:
        term.fail(_("The password is empty; sign in again and type it."), 2)
        return None
    return password


def open_store(args, term: Terminal, probe, data_dir):
    """The store for the refresh token, asking the passphrase when it is an encrypted file."""
    from mktui.config.credentials import (
        CredentialError,
        EncryptedFileStore,
        ErrorKind,
        StorageKind,
        choose_store,
        encrypted_file_path,
        probe_keyring,
    )

    verdict = (probe or probe_keyring)()
    insecure = bool(getattr(args, "insecure_storage", False))
    choice = args.storage
    if choice is None:
        if verdict.ok:
            choice = StorageKind.KEYRING
        elif insecure:
            choice = StorageKind.PLAIN_FILE
        elif term.interactive:
            choice = StorageKind.ENCRYPTED_FILE
        else:
            term.fail(
                verdict.sentence
                + " "
                + _(
                    "Run `mktui login` in a terminal to choose a passphrase "
                    "for an encrypted file, or add --insecure-storage."
                )
            )
            return None
    if choice != StorageKind.ENCRYPTED_FILE:
        selection = choose_store(
            verdict, choice=choice, insecure_storage=insecure, environ={}, data_dir=data_dir
        )
        return selection.store
    if not term.interactive:
        term.fail(
            _(
                "The encrypted sign-in file needs a passphrase typed in a terminal; run "
                "`mktui login` in one, or add --insecure-storage for a plain file."
            )
        )
        return None
    path = encrypted_file_path(data_dir)
    if not verdict.ok:
        term.say(verdict.sentence)
    if not EncryptedFileStore.exists(path):
        term.say(_("Choose a passphrase for the encrypted sign-in file {path}.").format(path=path))
        passphrase = term.ask_secret(_("New passphrase: "))
        if passphrase != term.ask_secret(_("The same passphrase again: ")):
            term.fail(_("The two passphrases differ; run `mktui login` again."))
            return None
        return choose_store(
            verdict, choice=choice, passphrase=passphrase, environ={}, data_dir=data_dir
        ).store
    for attempt in range(1, PASSPHRASE_ATTEMPTS + 1):
        passphrase = term.ask_secret(_("Passphrase for {path}: ").format(path=path))
        try:
            return choose_store(
                verdict, choice=choice, passphrase=passphrase, environ={}, data_dir=data_dir
            ).store
        except CredentialError as exc:
            if exc.kind is not ErrorKind.WRONG_PASSPHRASE or attempt == PASSPHRASE_ATTEMPTS:
                raise
            term.fail(exc.message)
    return None  # pragma: no cover - the loop returns or raises


class NoSandbox(Exception):
    """The sandbox package is not installed."""


def sign_in(profile: Profile, email: str, password: str, transport):
    """POST /v1/auth/token through the billing client; returns the TokenResponse."""
    import asyncio

    from mktui.api.client import BillingClient

    async def go():
        if profile.sandbox and transport is None:
            try:
                from mktui.sandbox.embedded import sandbox_client
                from mktui.sandbox.paths import default_db_path
            except ImportError:
                raise NoSandbox from None
            client = sandbox_client(default_db_path())
        else:
            client = BillingClient(profile.api_url, transport=transport)
        async with client:
            return await client.sign_in(email, password)

    return asyncio.run(go())


def revoke(profile: Profile, refresh_token: str, transport) -> bool:
    """POST /v1/auth/revoke for a stored refresh token; True when the server confirmed.

    Best effort: an unreachable server answers False (the token is deleted
    locally anyway and expires on the server by itself).
    """
    import asyncio

    from mktui.api.auth import TokenHolder
    from mktui.api.client import BillingClient

    async def go() -> bool:
        tokens = TokenHolder(refresh_token=refresh_token)
        if profile.sandbox and transport is None:
            try:
                from mktui.sandbox.embedded import sandbox_client
                from mktui.sandbox.paths import default_db_path
            except ImportError:
                return False
            client = sandbox_client(default_db_path(), tokens=tokens)
        else:
            # Short: logging out must not hang on a server that does not answer.
            client = BillingClient(
                profile.api_url, transport=transport, tokens=tokens, timeout=5.0, max_retries=0
            )
        async with client:
            return await client.revoke()

    try:
        return asyncio.run(go())
    except Exception:  # noqa: BLE001 - a bad URL or a missing sandbox must not block logout
        return False
