"""What becomes of a card typed in to pay, when removing it or making it the default fails."""

from __future__ import annotations

from mktui.api.errors import ApiError, ErrorKind
from mktui.tui.services.new_card import forget_card, make_default_after_charge


class _Refusing:
    def __init__(self, kind: ErrorKind) -> None:
        self.kind = kind
        self.calls: list[str] = []

    async def remove_payment_method(self, pm_id: str) -> None:
        self.calls.append(pm_id)
        if self.kind is not None:
            raise ApiError(self.kind, "Refused.")

    async def set_default_payment_method(self, pm_id: str) -> None:
        self.calls.append(pm_id)
        if self.kind is not None:
            raise ApiError(self.kind, "Refused.")


async def test_a_removed_card_is_said_not_saved():
    client = _Refusing(None)
    assert await forget_card(client, "pm_1") == "The new card was not saved."
    assert client.calls == ["pm_1"]


async def test_a_card_the_server_made_the_default_is_said_to_have_stayed():
    sentence = await forget_card(_Refusing(ErrorKind.CONFLICT), "pm_1")
    assert "stayed on the account as its default card" in sentence
    assert "make it the default, then remove this one" in sentence


async def test_an_unreachable_server_leaves_it_to_the_admin():
    sentence = await forget_card(_Refusing(ErrorKind.UNAVAILABLE), "pm_1")
    assert "may still be listed under Payment methods (m)" in sentence


async def test_a_default_that_could_not_be_set_is_a_warning():
    assert await make_default_after_charge(_Refusing(None), "pm_1") is None
    warning = await make_default_after_charge(_Refusing(ErrorKind.UNAVAILABLE), "pm_1")
    assert warning and "could not be made the default" in warning
