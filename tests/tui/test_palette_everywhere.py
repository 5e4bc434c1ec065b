"""The palette lists every area's commands, not only the current screen's, and runs them there."""

from __future__ import annotations

import importlib

import pytest

from mktui.tui.commands import ELSEWHERE, _commands
from mktui.tui.screens.contacts import AddContactModal, ContactsScreen
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.financial import FinancialScreen
from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.services.areas import AREAS

from .conftest import screen_text, settle
from .records_helpers import open_area, wait_for


@pytest.mark.parametrize("mode", list(ELSEWHERE))
def test_every_listed_action_exists_on_its_area(mode):
    module, _, name = AREAS[mode][2].partition(":")
    screen = getattr(importlib.import_module(module), name)
    for _name, _help, action in ELSEWHERE[mode]:
        assert callable(getattr(screen, f"action_{action}", None)), (mode, action)


async def test_the_hub_lists_what_every_area_offers(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FinancialScreen)
        names = [name for name, _help, _run in _commands(app, app.screen)]
        for expected in (
            "contacts: Add",
            "payment methods: Add",
            "invoices: Retry overdue",
            "subscription: Modify devices",
            "history: Export CSV",
        ):
            assert expected in names
        assert "subscription: Subscribe" not in names  # the demo account is subscribed
        assert len(names) == len(set(names))


async def test_contacts_add_from_the_hub_opens_the_form_on_contacts(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"contacts: add")
        await settle(pilot)
        assert "contacts: Add" in screen_text(app)
        await pilot.press("enter")
        modal = await wait_for(pilot, AddContactModal)
        assert isinstance(app.screen_stack[-2], ContactsScreen)
        assert app.focused is modal.query_one("#contact-name")


async def test_retry_overdue_from_contacts_asks_on_invoices(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"retry overdue")
        await settle(pilot)
        await pilot.press("enter")
        confirm = await wait_for(pilot, ConfirmModal)
        assert isinstance(app.screen_stack[-2], InvoicesScreen)
        assert "R$ 129,00" in confirm.sentences
        await pilot.press("escape")
        await settle(pilot)
    assert (await (await api("demo")).account()).status == "past_due"  # nothing was charged
