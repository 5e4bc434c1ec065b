"""Contacts driven by keys: add, a duplicate email, a bad email, remove (and cancel)."""

from __future__ import annotations

from textual.widgets import Input

from mktui.tui.screens.contacts import AddContactModal, ContactsScreen, email_error
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.widgets.field import LabelledField

from .conftest import screen_text, settle
from .records_helpers import cells, open_area, wait_for, wait_for_text
from .test_subscribe import type_into

MARKUP = "[bold]x[/"


async def add_contact(pilot, name: str, email: str) -> AddContactModal:
    await pilot.press("a")
    modal = await wait_for(pilot, AddContactModal)
    await type_into(pilot, "#contact-name", name)
    await type_into(pilot, "#contact-email", email)
    await pilot.press("enter")  # Enter in a field confirms, like the Confirm button
    await settle(pilot)
    return modal


async def emails(api) -> list[str]:
    return [c.email for c in await (await api("demo")).contacts()]


async def test_add_a_contact_whose_name_looks_like_markup(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "c", ContactsScreen)
        assert cells(screen, 0) == ["Ana Souza", "Bruno Lima"]
        await add_contact(pilot, MARKUP, "X@Example.com")
        assert app.screen is screen, screen_text(app)
        assert cells(screen, 0) == ["Ana Souza", "Bruno Lima", MARKUP]
        await wait_for_text(pilot, MARKUP)  # the row is in the table before it is drawn
        assert screen.selected is not None and screen.selected.name == MARKUP
        await pilot.press("x")  # the confirmation names them literally too
        await wait_for(pilot, ConfirmModal)
        for _ in range(30):  # no settle(): the remove worker waits on this dialog
            if f"{MARKUP} <x@example.com>" in screen_text(app):
                break
            await pilot.pause(0.05)
        assert f"{MARKUP} <x@example.com>" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    assert "x@example.com" in await emails(api)


async def test_a_duplicate_email_marks_the_field_and_keeps_the_form(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        modal = await add_contact(pilot, "Ana Again", "financeiro@demo-networks.test")
        assert app.screen is modal
        error = modal.query_one("#contact-email-field", LabelledField).error
        assert error and "already" in error
        assert modal.query_one("#contact-name", Input).value == "Ana Again"
    assert len(await emails(api)) == 2


async def test_confirm_again_after_a_lost_answer_adds_the_contact_once(make_app, monkeypatch, api):
    from mktui.api.client import BillingClient
    from mktui.api.errors import ApiError, ErrorKind

    real = BillingClient.add_contact
    keys: list[str | None] = []

    async def lose_first_answer(self, name, email, *, idempotency_key=None):
        keys.append(idempotency_key)
        contact = await real(self, name, email, idempotency_key=idempotency_key)
        if len(keys) == 1:  # added, but the answer never arrived
            raise ApiError(ErrorKind.UNAVAILABLE, "The billing service did not answer.")
        return contact

    monkeypatch.setattr(BillingClient, "add_contact", lose_first_answer)
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "c", ContactsScreen)
        modal = await add_contact(pilot, "Carla Dias", "carla@example.com")
        assert app.screen is modal  # the form is kept: the outcome is unknown
        await pilot.press("enter")  # Confirm again: the same key, so no "already a contact"
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
        assert "Carla Dias" in cells(screen, 0)
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
    assert (await emails(api)).count("carla@example.com") == 1


async def test_a_bad_email_is_marked_as_typed_and_by_the_server(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddContactModal)
        field = modal.query_one("#contact-email-field", LabelledField)
        await type_into(pilot, "#contact-email", "ana souza")
        assert field.error and "no spaces" in field.error  # said while typing
        # Looks like an address here; the contract refuses a one-letter domain ending.
        modal.query_one("#contact-email", Input).value = ""
        await add_contact_fields(pilot, "Ana", "ana@example.c")
        assert app.screen is modal
        assert field.error and "email" in field.error.lower()
        assert modal.query_one("#contact-email", Input).value == "ana@example.c"
    assert len(await emails(api)) == 2


async def add_contact_fields(pilot, name: str, email: str) -> None:
    await type_into(pilot, "#contact-name", name)
    await type_into(pilot, "#contact-email", email)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_an_empty_form_marks_both_fields(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("a")
        modal = await wait_for(pilot, AddContactModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert modal.query_one("#contact-name-field", LabelledField).error
        assert modal.query_one("#contact-email-field", LabelledField).error


async def test_remove_asks_first_and_cancel_keeps_the_contact(make_app, api):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "c", ContactsScreen)
        await pilot.press("down", "x")
        await wait_for(pilot, ConfirmModal)
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Stop sending billing notices to Bruno Lima" in text
        assert "<contas@demo-networks.test>" in text
        await pilot.press("escape")
        await settle(pilot)
        assert cells(screen, 0) == ["Ana Souza", "Bruno Lima"]
        await pilot.press("x")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert cells(screen, 0) == ["Ana Souza"]
    assert await emails(api) == ["financeiro@demo-networks.test"]


def test_email_error_as_typed_and_complete():
    assert email_error("", complete=False) is None
    assert email_error("", complete=True)
    assert email_error("ana@", complete=False) is None
    assert email_error("ana@", complete=True)
    assert email_error("a@b@c", complete=False)
    assert email_error("ana@example.com", complete=True) is None


async def test_palette_and_bindings(make_app):
    app = make_app("demo")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_area(pilot, "c", ContactsScreen)
        assert [name for name, _, _ in screen.palette_commands()] == [
            "contacts: Add",
            "contacts: Edit",
            "contacts: Remove",
        ]
        for binding in (*ContactsScreen.BINDINGS, *AddContactModal.BINDINGS):
            assert binding.id and binding.description


def test_snapshot_contacts(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(make_app("demo"), terminal_size=(80, 24), run_before=ready)
