"""The Subscription area: Escape on a confirmation changes nothing; r shows a change made elsewhere."""

from __future__ import annotations

from mktui.api.models import ChangeDevicesRequest

from .conftest import screen_text, settle
from .test_subscription_area import open_area, review, type_total


async def test_escape_on_the_change_confirmation_changes_nothing(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        await type_total(pilot, "13")
        await review(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.status_text == "Nothing changed."
        assert not screen.busy and screen.editing  # the number typed is still there to fix
    sub = await client.subscription()
    assert sub.devices == 10 and sub.scheduled_devices is None


async def test_escape_on_cancelling_a_decrease_keeps_it_scheduled(make_app, api):
    client = await api("demo")
    await client.change_devices(
        ChangeDevicesRequest(devices=8, expected_total=0), idempotency_key="test-decrease-1"
    )
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot)
        assert "8 devices from 1 Dec 2026" in screen_text(app)
        await review(pilot, "x")
        await pilot.press("escape")
        await settle(pilot)
        assert screen.status_text == "The decrease stays scheduled."
        assert not screen.busy
    sub = await client.subscription()
    assert sub.scheduled_devices == 8


async def test_refresh_shows_a_change_made_elsewhere(make_app, api):
    client = await api("demo")
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot)
        assert "no change scheduled" in screen_text(app)
        await client.change_devices(
            ChangeDevicesRequest(devices=9, expected_total=0), idempotency_key="test-decrease-2"
        )
        await pilot.press("r")
        await settle(pilot)
        assert "9 devices from 1 Dec 2026" in screen_text(app)
