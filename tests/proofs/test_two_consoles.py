"""Proof: two consoles on one profile stay signed in across many token expiries.

Both consoles share the profile's stored refresh token (one credential store)
and talk to one sandbox whose wall clock the test moves. The access tokens
expire every 60 s; the consoles take turns working for hours of simulated
time, sometimes refreshing in the same instant. Before issue 11 the first
refresh after an expiry reused a token the other console had rotated, the
server revoked the family and both landed on "Sign in again".
"""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from mktui.api.auth import TokenHolder
from mktui.api.client import BillingClient
from mktui.api.errors import SessionExpired
from mktui.config.credentials import MemoryStore
from mktui.sandbox.app import create_app
from tests.proofs import figures

PROFILE = "work"
DEMO = "demo@mkcontroller.test"
ROUNDS = 120
SEED = 11


class Wall:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _console(app, store: MemoryStore, refresh_token: str | None = None) -> BillingClient:
    tokens = TokenHolder(
        refresh_token=refresh_token,
        on_refresh=lambda pair: store.set(PROFILE, pair.refresh_token.get_secret_value()),
        reload=lambda: store.get(PROFILE),
    )
    return BillingClient(
        "http://sandbox.local",
        transport=httpx.ASGITransport(app=app),
        allow_insecure_http=True,
        tokens=tokens,
    )


@pytest.fixture
def setting(tmp_path):
    wall = Wall()
    app = create_app(tmp_path / "two.db", access_ttl=60, wall_clock=wall)
    return wall, app, MemoryStore()


async def test_two_consoles_on_one_profile_survive_every_expiry(setting):
    wall, app, store = setting
    first = _console(app, store)
    await first.sign_in(DEMO, "sandbox")
    second = _console(app, store, refresh_token=store.get(PROFILE))  # started later: resumes
    await second.refresh()
    rng = random.Random(SEED)
    refreshes = {"apart": 0, "together": 0}
    async with first, second:
        for _ in range(ROUNDS):
            wall.now += rng.choice([61, 90, 300, 1800])  # every access token has expired
            if rng.random() < 0.25:
                # Both wake up in the same instant with expired tokens: they race.
                a, b = await asyncio.gather(first.account(), second.account())
                assert a.email == b.email == DEMO
                refreshes["together"] += 1
            else:
                console = rng.choice([first, second])
                assert (await console.account()).email == DEMO
                refreshes["apart"] += 1
        # And at the end both still work without signing in again.
        assert (await first.account()).email == (await second.account()).email == DEMO
    figures.report(
        f"two consoles, one profile: {ROUNDS} rounds over "
        f"{(wall.now - 1_800_000_000) / 3600:.1f} h of token expiries, "
        f"{refreshes['apart']} lone refreshes, {refreshes['together']} racing; "
        "signed out: 0"
    )


async def test_a_console_that_never_rereads_its_store_is_still_signed_out_by_a_real_reuse(setting):
    """The reuse detection still works: a copy of a rotated token used later ends the session."""
    wall, app, store = setting
    console = _console(app, store)
    await console.sign_in(DEMO, "sandbox")
    stolen = store.get(PROFILE)
    await console.refresh()
    wall.now += 61
    thief = BillingClient(
        "http://sandbox.local",
        transport=httpx.ASGITransport(app=app),
        allow_insecure_http=True,
        tokens=TokenHolder(refresh_token=stolen),
    )
    async with thief, console:
        with pytest.raises(SessionExpired):
            await thief.refresh()
        wall.now += 61
        with pytest.raises(SessionExpired):
            await console.account()  # the family was revoked: the thief's copy is worthless too
