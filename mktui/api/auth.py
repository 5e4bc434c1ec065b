"""Bearer authentication for the billing client, with one shared token refresh.

``TokenHolder`` keeps the access and refresh tokens in memory as ``SecretStr``
(never shown in a repr) and tells the credentials part, through
``on_refresh``, whenever the server hands out a new pair: the refresh token
rotates on every use, so the stored one must be replaced each time.

``BearerAuth`` is an ``httpx.Auth``: it adds ``Authorization: Bearer …``; on a
401 it refreshes once, under an ``asyncio.Lock`` shared by every request of
the client, and sends the original request once more. A request that meets a
401 after another request already refreshed just retries with the new token,
so ten screens that hit an expired token together cause one refresh.

Two consoles on one profile share the stored refresh token, and each refresh
rotates it. Before refreshing, the holder re-reads the stored token
(``reload``) and uses it when the other console stored a newer one; when a
refresh is refused, it re-reads once more and, if the stored token changed
meanwhile, retries once with it. Only then is the session over.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

import httpx
from pydantic import SecretStr

from mktui.api.errors import SessionExpired
from mktui.api.models import TokenResponse
from mktui.core.i18n import _

log = logging.getLogger("mktui.api")

OnRefresh = Callable[[TokenResponse], Awaitable[None] | None]
"""Called with every new token pair (sign-in and refresh), e.g. to save the refresh token."""

Refresher = Callable[[SecretStr], Awaitable[TokenResponse]]
"""Trades a refresh token for a new pair (the client's POST /v1/auth/refresh)."""

Reload = Callable[[], Awaitable[str | None] | str | None]
"""Reads the refresh token as stored now (another console of the profile may have rotated it)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _secret(value: str | SecretStr | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


class TokenHolder:
    """The session's tokens, held in memory and never shown.

    ``generation`` grows by one on every change, which is how a request knows
    whether the token it was refused with is still the current one.
    """

    def __init__(
        self,
        access_token: str | SecretStr | None = None,
        refresh_token: str | SecretStr | None = None,
        *,
        on_refresh: OnRefresh | None = None,
        reload: Reload | None = None,
    ) -> None:
        self._access = _secret(access_token)
        self._refresh = _secret(refresh_token)
        self._on_refresh = on_refresh
        self._reload = reload
        # Digests of refresh tokens this holder used and replaced: a stored copy of one of
        # those (its save failed) is older than ours, never newer.
        self._retired: set[str] = set()
        self.generation = 0

    @property
    def access_token(self) -> SecretStr | None:
        """The bearer token sent with every request, if signed in."""
        return self._access

    @property
    def refresh_token(self) -> SecretStr | None:
        """The token that buys a new access token, if there is one."""
        return self._refresh

    async def store(self, tokens: TokenResponse) -> None:
        """Keep a new pair and hand it to ``on_refresh``.

        A failing ``on_refresh`` (a locked keyring, say) must not end a session
        that just renewed: it is logged by type only and the pair is kept.
        """
        self._retire()
        self._access = tokens.access_token
        self._refresh = tokens.refresh_token
        self.generation += 1
        if self._on_refresh is None:
            return
        try:
            result = self._on_refresh(tokens)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # noqa: BLE001 - reported, never fatal
            log.warning("saving the renewed session failed: %s", type(exc).__name__)

    async def stored_refresh_token(self) -> SecretStr | None:
        """The refresh token as stored now, when it differs from the one held; else None.

        A failing ``reload`` (a locked keyring) is logged by type only: the held token is used.
        """
        if self._reload is None:
            return None
        try:
            result = self._reload()
            stored = await result if inspect.isawaitable(result) else result
        except Exception as exc:  # noqa: BLE001 - reported, never fatal
            log.warning("reading the stored session failed: %s", type(exc).__name__)
            return None
        if not stored:
            return None
        held = self._refresh.get_secret_value() if self._refresh is not None else None
        if stored == held or _digest(stored) in self._retired:
            return None
        return SecretStr(stored)

    def adopt_refresh_token(self, refresh_token: SecretStr) -> None:
        """Use a refresh token another console stored (the access token is left to expire)."""
        self._retire()
        self._refresh = refresh_token
        self.generation += 1

    def _retire(self) -> None:
        if self._refresh is not None:
            self._retired.add(_digest(self._refresh.get_secret_value()))

    def secrets(self) -> list[str]:
        """The tokens' values, for masking anything a server might echo back."""
        return [t.get_secret_value() for t in (self._access, self._refresh) if t is not None]

    def clear(self) -> None:
        """Forget both tokens (sign out)."""
        self._access = None
        self._refresh = None
        self.generation += 1

    def __repr__(self) -> str:
        access = "set" if self._access else "none"
        refresh = "set" if self._refresh else "none"
        return f"TokenHolder(access_token={access}, refresh_token={refresh})"


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer`` with one refresh on 401, shared by concurrent requests."""

    def __init__(self, holder: TokenHolder, refresher: Refresher) -> None:
        self._holder = holder
        self._refresher = refresher
        self._lock = asyncio.Lock()
        # The token generation whose refresh was refused: waiters fail at once
        # instead of sending the dead refresh token again.
        self._refused_generation: int | None = None

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        """The billing client is async only."""
        raise RuntimeError("BearerAuth works with httpx.AsyncClient only")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Send with the current token; on 401 refresh once and send once more."""
        generation = self._holder.generation
        self._apply(request)
        response = yield request
        if response.status_code != 401:
            return
        await self.refresh_after(generation)
        self._apply(request)
        yield request

    async def refresh_after(self, seen_generation: int) -> None:
        """Refresh for a request refused with the tokens of ``seen_generation``.

        Nothing is done when the tokens changed since (another request
        refreshed while this one waited for the lock): the caller just retries
        with the newer token.
        """
        async with self._lock:
            if self._holder.generation == seen_generation:
                await self._refresh_locked()

    async def refresh_now(self) -> TokenResponse:
        """Trade the refresh token for a new pair now (``BillingClient.refresh``)."""
        async with self._lock:
            return await self._refresh_locked()

    async def _refresh_locked(self) -> TokenResponse:
        # Raises SessionExpired when there is no refresh token or the server refuses it.
        newer = await self._holder.stored_refresh_token()
        if newer is not None:  # another console of this profile rotated it: use its token
            self._holder.adopt_refresh_token(newer)
        refresh_token = self._holder.refresh_token
        if refresh_token is None:
            raise SessionExpired(_("You are not signed in. Sign in to continue."))
        if self._refused_generation == self._holder.generation:
            raise SessionExpired()
        try:
            tokens = await self._refresher(refresh_token)
        except SessionExpired:
            # The other console may have stored a new token between our read and our refresh.
            newer = await self._holder.stored_refresh_token()
            if newer is None:
                self._refused_generation = self._holder.generation
                raise
            self._holder.adopt_refresh_token(newer)
            try:
                tokens = await self._refresher(newer)
            except SessionExpired:
                self._refused_generation = self._holder.generation
                raise
        await self._holder.store(tokens)
        return tokens

    def _apply(self, request: httpx.Request) -> None:
        token = self._holder.access_token
        if token is None:
            request.headers.pop("Authorization", None)
        else:
            request.headers["Authorization"] = f"Bearer {token.get_secret_value()}"

    def __repr__(self) -> str:
        return f"BearerAuth({self._holder!r})"
