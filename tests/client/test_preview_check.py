"""The client returns only a server preview that adds up: the one the console shows and charges."""

from __future__ import annotations

import pytest

from mktui.api.errors import ApiError, ErrorKind
from mktui.api.models import PreviewRequest
from mktui.core.money import Money

from .conftest import Script, json_response

GOOD = {
    "currency": "BRL",
    "lines": [
        {
            "description": "10 devices, 26 Nov–30 Nov",
            "quantity": 10,
            "unit_amount": 1290,
            "days": 5,
            "days_in_period": 30,
            "amount": 2150,
        },
        {
            "description": "3 devices, 26 Nov–30 Nov",
            "quantity": 3,
            "unit_amount": 1290,
            "days": 5,
            "days_in_period": 30,
            "amount": 645,
        },
    ],
    "subtotal": 2795,
    "credit_applied": 500,
    "total": 2295,
    "period_start": "2026-11-26",
    "period_end": "2026-11-30",
    "next_renewal_date": "2026-12-01",
    "next_renewal_amount": 16770,
    "effective": "2026-11-26",
    "quote": "q1_0123456789abcdef",
}
REQUEST = PreviewRequest(devices=13)


async def test_a_preview_that_adds_up_comes_back_in_money_with_its_quote(make_client):
    client = make_client(Script([json_response(GOOD), json_response(GOOD)]))
    priced = await client.priced_preview(REQUEST)
    assert priced.total == Money("22.95", "BRL")
    assert priced.subtotal == Money("27.95", "BRL")
    assert [line.amount.minor for line in priced.lines] == [2150, 645]
    assert priced.quote == "q1_0123456789abcdef"
    assert (await client.preview(REQUEST)).quote == priced.quote


@pytest.mark.parametrize(
    "bad",
    [
        {"total": 2296},  # a centavo more than subtotal − credit
        {"subtotal": 2796, "total": 2296},  # the lines sum to one centavo less
        {"credit_applied": 3000, "total": 0},  # more credit than the subtotal
        {"lines": GOOD["lines"][:1]},  # a line left out
    ],
)
@pytest.mark.parametrize("method", ["priced_preview", "preview"])
async def test_a_preview_that_does_not_add_up_is_refused_with_a_sentence(make_client, bad, method):
    client = make_client(Script([json_response(GOOD | bad)]))
    with pytest.raises(ApiError) as caught:
        await getattr(client, method)(REQUEST)
    error = caught.value
    assert (error.kind, error.field) == (ErrorKind.UNEXPECTED, "preview")
    assert error.message.startswith("The server's preview does not add up")
    assert "nothing was shown or charged" in error.message
    assert error.message.endswith(".")
