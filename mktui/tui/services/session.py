"""The console's connection: which server, which client, who is signed in.

Kept out of the screens so the app can be built with its dependencies
injected (tests pass a ``client_factory`` that wires the sandbox over
``httpx.ASGITransport`` with a pinned clock). Heavy modules (the sandbox,
FastAPI) are imported only when a client is first needed, inside a thread, so
the first frame paints before they load.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mktui.api.errors import ApiError, SessionExpired
from mktui.core.i18n import _

if TYPE_CHECKING:
    from mktui.api.auth import TokenHolder
    from mktui.api.client import BillingClient
    from mktui.api.models import Account
    from mktui.config.credentials import CredentialStore
    from mktui.tui.services.kept_session import AskPassphrase

SANDBOX_PASSWORD = "sandbox"  # noqa: S105 - the published password of the sandbox's demo accounts
SANDBOX_ACCOUNTS = ("demo", "annual", "new")

ClientFactory = Callable[[str | None, "TokenHolder | None"], "BillingClient"]
"""Builds a client for an API URL (``None``: the in-process sandbox), optionally with tokens."""

log = logging.getLogger("mktui.tui")


@dataclass
class ConsoleOptions:
    """How the console was started (from ``mktui``'s arguments)."""

    sandbox: bool = False
    sandbox_account: str = "demo"
    profile: str | None = None
    insecure_storage: bool = False
    api_url: str | None = None
    email: str | None = None

    @classmethod
    def from_args(cls, args: object) -> ConsoleOptions:
        """Read the console options off an ``argparse.Namespace``."""
        return cls(
            sandbox=bool(getattr(args, "sandbox", False)),
            sandbox_account=getattr(args, "sandbox_account", None) or "demo",
            profile=getattr(args, "profile", None),
            insecure_storage=bool(getattr(args, "insecure_storage", False)),
            api_url=getattr(args, "api_url", None),
        )


def sandbox_email(account: str) -> str:
    """The sign-in email of a sandbox demo account (``demo``, ``annual``, ``new``)."""
    return f"{account}@mkcontroller.test"


def default_client_factory(api_url: str | None, tokens: TokenHolder | None = None) -> BillingClient:
    """A real client: the in-process sandbox for ``None``, else the given URL."""
    # Imported here: httpx and pydantic take ~380 ms (-X importtime); they load in the first
    # worker, after the first frame (tests/tui/test_first_frame_imports.py).
    from mktui.api.client import BillingClient

    if api_url is None:
        # lazy: FastAPI and the sandbox load only when the profile is the sandbox
        from mktui.sandbox.embedded import sandbox_client
        from mktui.sandbox.paths import default_db_path

        return sandbox_client(default_db_path(), tokens=tokens)
    return BillingClient(api_url, tokens=tokens)


class Session:
    """The signed-in client and who it belongs to; one per app."""

    def __init__(
        self, options: ConsoleOptions, client_factory: ClientFactory | None = None
    ) -> None:
        self.options = options
        self._factory = client_factory or default_client_factory
        self.client: BillingClient | None = None
        self.api_url: str | None = None
        self.email: str | None = None
        self.profile: str | None = options.profile
        self.store: CredentialStore | None = None
        self.account: Account | None = None
        self._lock = asyncio.Lock()

    def _keep(self, tokens: object) -> None:
        """``on_refresh``: store the rotated refresh token (a failure is logged by the client)."""
        if self.store is not None and self.profile and not self.options.sandbox:
            self.store.set(self.profile, tokens.refresh_token.get_secret_value())  # type: ignore[attr-defined]

    async def _reread(self) -> str | None:
        """``reload``: the refresh token as stored now (another console may have rotated it)."""
        if self.store is None or not self.profile or self.options.sandbox:
            return None
        return await asyncio.to_thread(self.store.get, self.profile)

    @property
    def signed_in(self) -> bool:
        """True once a sign-in (or an automatic one) succeeded."""
        return self.client is not None and self.email is not None

    async def _client_for(
        self,
        api_url: str | None,
        access_token: str | None = None,
        refresh_token: str | None = None,
    ) -> BillingClient:
        fresh_tokens = access_token is not None or refresh_token is not None
        if self.client is not None and self.api_url == api_url and not fresh_tokens:
            return self.client
        if self.client is not None:
            await self.client.aclose()
            self.client = None

        def build() -> BillingClient:
            if api_url is None:  # the sandbox: nothing is kept between runs
                return self._factory(None, None)
            # Imported here: httpx and pydantic take ~380 ms (-X importtime); they load in the first
            # worker, after the first frame (tests/tui/test_first_frame_imports.py).
            from mktui.api.auth import TokenHolder

            # A renewed refresh token replaces the stored one (the old one stops working).
            tokens = TokenHolder(
                access_token=access_token,
                refresh_token=refresh_token,
                on_refresh=self._keep,
                reload=self._reread,
            )
            return self._factory(api_url, tokens)

        # The client imports httpx and pydantic, the sandbox FastAPI and SQLite: off the UI thread.
        self.client = await asyncio.to_thread(build)
        self.api_url = api_url
        return self.client

    async def sign_in(self, api_url: str | None, email: str, password: str) -> BillingClient:
        """Sign in with email and password; the client keeps the tokens."""
        async with self._lock:
            client = await self._client_for(api_url)
            await client.sign_in(email, password)
            self.email = email
            return client

    async def auto_sign_in(self) -> bool:
        """Sign in without asking, when the options allow it; False when the user must sign in."""
        if self.signed_in:
            return True
        if self.options.sandbox:
            await self.sign_in(None, sandbox_email(self.options.sandbox_account), SANDBOX_PASSWORD)
            return True
        token = os.environ.get("MKTUI_TOKEN", "").strip()
        if token and self.options.api_url:
            # An access token for automation: nothing is stored, no refresh is possible.
            async with self._lock:
                await self._client_for(self.options.api_url, token)
                self.email = "MKTUI_TOKEN"
            return True
        return False

    async def resume(self, ask_passphrase: AskPassphrase | None = None) -> bool:
        """Sign in with the profile's stored refresh token, if there is one and it still works.

        ``ask_passphrase`` (see :func:`mktui.tui.services.kept_session.stored_token`) is how
        the encrypted file is unlocked where no keyring works; without it that file
        is not read. Raises ``CredentialError`` when the store cannot be read.
        """
        # Imported here: the keyring and the credential stores take 45 ms (-X importtime).
        from mktui.tui.services.kept_session import stored_token

        if self.options.api_url is None or self.profile is None:
            return False
        found = await stored_token(
            self.profile,
            insecure_storage=self.options.insecure_storage,
            ask_passphrase=ask_passphrase,
        )
        if found is None:
            return False
        self.store, token = found
        async with self._lock:
            client = await self._client_for(self.options.api_url, refresh_token=token)
            try:
                await client.refresh()
            except ApiError:
                return False  # refused or unreachable: the Sign in screen says what to do
            self.email = self.options.email or self.profile
        return True

    async def ready_client(self) -> BillingClient:
        """The signed-in client, signing in automatically first when possible."""
        if not self.signed_in:
            await self.auto_sign_in()
        if self.client is None:
            raise SessionExpired(_("You are not signed in. Sign in to continue."))
        return self.client

    async def sign_out(self) -> None:
        """End the session on the server (revoke), forget the stored token, close the client.

        An unreachable server does not keep anybody signed in here: the tokens
        are forgotten either way, and the stored one is deleted.
        """
        if self.client is not None:
            await self.client.revoke()
        if self.store is not None and self.profile and not self.options.sandbox:
            try:
                await asyncio.to_thread(self.store.delete, self.profile)
            except Exception as exc:  # noqa: BLE001 - a locked keyring must not block sign-out
                log.warning("deleting the stored session failed: %s", type(exc).__name__)
        await self.close()
        self.email = None
        self.account = None

    async def close(self) -> None:
        """Close the client's connections."""
        if self.client is not None:
            await self.client.aclose()
            self.client = None
