"""The local preview's "today" follows the server's time, not the moment the account was read."""

from __future__ import annotations

from datetime import date

from mktui.tui.screens.subscribe import SubscribeScreen
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.services import server_clock

from .conftest import settle
from .records_helpers import open_area, wait_for

HOURS_TO_MIDNIGHT_IN_SAO_PAULO = 15.5  # the sandbox reads 09:00 on 26 Nov 2026 there


def _later(monkeypatch, hours: float) -> None:
    real = server_clock.monotonic
    start = real()
    monkeypatch.setattr(server_clock, "monotonic", lambda: start + hours * 3600)


async def test_a_console_left_open_over_midnight_previews_the_new_day(make_app, monkeypatch):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "u", SubscriptionScreen)
        assert screen.data.today == date(2026, 11, 26)
        before = screen.data.local_preview(20)
        _later(monkeypatch, HOURS_TO_MIDNIGHT_IN_SAO_PAULO)
        assert screen.data.today == date(2026, 11, 27)
        after = screen.data.local_preview(20)
        assert after.total != before.total  # one day fewer left in the month to prorate


async def test_subscribe_previews_the_server_day_too(make_app, monkeypatch):
    app = make_app("new")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        _later(monkeypatch, HOURS_TO_MIDNIGHT_IN_SAO_PAULO)
        await pilot.press("s")
        subscribe = await wait_for(pilot, SubscribeScreen)
        assert server_clock.server_now(subscribe.account.now, subscribe.taken).day == 27
