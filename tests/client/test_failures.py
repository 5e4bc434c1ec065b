"""Every failure the server or the network can produce becomes one ApiError kind with a sentence."""

from __future__ import annotations

import httpx
import pytest

from mktui.api.errors import ApiError, ErrorKind, SessionExpired
from mktui.api.failures import DECLINES
from mktui.api.models import ChangeDevicesRequest

from .conftest import ACCOUNT, Script, error, json_response

INVOICE = {
    "id": "inv_1",
    "number": "2026-0001",
    "status": "paid",
    "period_start": "2026-11-01",
    "period_end": "2026-11-30",
    "issued_at": "2026-11-01T03:00:00Z",
    "due_date": "2026-11-01",
    "lines": [],
    "subtotal": 12900,
    "credit_applied": 0,
    "total": 12900,
    "amount_due": 0,
    "currency": "BRL",
    "attempts": 1,
}


def assert_clean(exc: ApiError) -> None:
    """No httpx or pydantic exception is chained for a traceback to show."""
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__
    assert exc.message.endswith((".", "?")), exc.message


@pytest.mark.parametrize("code", sorted(DECLINES))
async def test_each_decline_code_is_payment_failed_with_its_sentence(make_client, code):
    client = make_client(Script([error(402, code, "declined by issuer")]))
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice("inv_1", idempotency_key="k1")
    exc = caught.value
    assert exc.kind is ErrorKind.PAYMENT_FAILED
    assert exc.code == code
    assert exc.status == 402
    assert exc.message == DECLINES[code]
    assert_clean(exc)


async def test_unknown_decline_code_keeps_the_servers_sentence(make_client):
    client = make_client(Script([error(402, "do_not_honor", "The issuer refused the charge")]))
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice("inv_1", idempotency_key="k1")
    assert caught.value.kind is ErrorKind.PAYMENT_FAILED
    assert caught.value.code == "do_not_honor"
    assert caught.value.message == "The issuer refused the charge."


async def test_409_price_changed_is_its_own_kind(make_client):
    client = make_client(Script([error(409, "price_changed", "Total is now 2150")]))
    with pytest.raises(ApiError) as caught:
        await client.change_devices(
            ChangeDevicesRequest(devices=12, expected_total=2000), idempotency_key="k1"
        )
    assert caught.value.kind is ErrorKind.PRICE_CHANGED
    assert caught.value.code == "price_changed"
    assert "nothing was charged" in caught.value.message


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("idempotency_conflict", "different details"),
        ("invoice_not_payable", "already paid or void"),
        ("receipt_unavailable", "once the invoice is paid"),
    ],
)
async def test_other_409s_are_conflicts_with_a_sentence(make_client, code, words):
    client = make_client(Script([error(409, code)]))
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice("inv_1", idempotency_key="k1")
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.code == code
    assert words in caught.value.message


async def test_409_duplicate_contact_uses_the_servers_sentence(make_client):
    client = make_client(Script([error(409, "conflict", "That email is already a contact")]))
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "ana@example.com")
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.message == "That email is already a contact."


async def test_409_keeps_the_field_it_names(make_client):
    """A duplicate email names the field, so the form marks it (the client used to drop it)."""
    client = make_client(
        Script([error(409, "conflict", "That email is already a contact", field="email")])
    )
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "ana@example.com")
    assert caught.value.kind is ErrorKind.CONFLICT and caught.value.field == "email"


async def test_422_names_the_field(make_client):
    client = make_client(
        Script([error(422, "invalid_number", "The card number is not valid", field="number")])
    )
    with pytest.raises(ApiError) as caught:
        await client.set_default_payment_method("pm_1")
    exc = caught.value
    assert exc.kind is ErrorKind.VALIDATION
    assert exc.field == "number"
    assert exc.code == "invalid_number"
    assert exc.message == "The card number is not valid. Check the card number and try again."


async def test_400_without_a_body_is_validation(make_client):
    client = make_client(Script([httpx.Response(400, text="bad")]))
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "ana@example.com")
    assert caught.value.kind is ErrorKind.VALIDATION
    assert caught.value.field is None


async def test_404_names_what_was_asked_for(make_client):
    client = make_client(Script([error(404, "not_found")]))
    with pytest.raises(ApiError) as caught:
        await client.invoice("inv_other")
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert caught.value.message.startswith("That invoice was not found")


async def test_no_subscription_is_none_not_an_error(make_client):
    client = make_client(Script([error(404, "not_found")]))
    assert await client.subscription() is None


async def test_a_404_page_that_is_not_the_api_is_an_error_not_no_subscription(make_client):
    client = make_client(Script([httpx.Response(404, text="<html>Not Found</html>")]))
    with pytest.raises(ApiError) as caught:
        await client.subscription()
    assert caught.value.kind is ErrorKind.NOT_FOUND and caught.value.code is None


async def test_401_after_the_refresh_is_session_expired(make_client):
    script = Script(
        [
            error(401, "token_expired"),
            json_response(
                {
                    "access_token": "a2",
                    "refresh_token": "r2",
                    "token_type": "bearer",
                    "expires_in": 60,
                }
            ),
            error(401, "unauthenticated"),
        ]
    )
    client = make_client(script)
    with pytest.raises(SessionExpired) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNAUTHENTICATED
    assert "Sign in again" in caught.value.message


@pytest.mark.parametrize("status", [403, 405, 410])
async def test_statuses_outside_the_contract_are_unexpected(make_client, status):
    client = make_client(Script([httpx.Response(status)]))
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert caught.value.status == status
    assert f"HTTP {status}" in caught.value.message


async def test_500_html_page_is_unexpected(make_client):
    page = "<html><body><h1>Internal Server Error</h1></body></html>"
    client = make_client(Script([httpx.Response(500, html=page)]))
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert "internal error" in caught.value.message
    assert "<html>" not in caught.value.message


async def test_html_page_with_200_is_unexpected_not_a_traceback(make_client):
    client = make_client(Script([httpx.Response(200, html="<html>Captive portal</html>")]))
    with pytest.raises(ApiError) as caught:
        await client.account()
    exc = caught.value
    assert exc.kind is ErrorKind.UNEXPECTED
    assert "expected JSON, got text/html" in exc.message
    assert_clean(exc)


async def test_truncated_json_is_unexpected_not_a_traceback(make_client):
    cut = json_response(ACCOUNT).content[:40]
    client = make_client(
        Script([httpx.Response(200, content=cut, headers={"content-type": "application/json"})])
    )
    with pytest.raises(ApiError) as caught:
        await client.account()
    exc = caught.value
    assert exc.kind is ErrorKind.UNEXPECTED
    assert "malformed or cut short" in exc.message
    assert_clean(exc)


async def test_wrong_shape_names_the_field_not_the_value(make_client):
    bad = dict(INVOICE, total=129.0)  # a float amount breaks the contract
    client = make_client(Script([json_response(bad)]))
    with pytest.raises(ApiError) as caught:
        await client.invoice("inv_1")
    exc = caught.value
    assert exc.kind is ErrorKind.UNEXPECTED
    assert "total is missing or has the wrong type" in exc.message
    assert "129" not in exc.message
    assert_clean(exc)


async def test_5_mb_body_with_length_is_refused_before_reading(make_client):
    sent: list[int] = []

    async def body():
        for _ in range(80):
            sent.append(65536)
            yield b" " * 65536

    headers = {"content-type": "application/json", "content-length": str(80 * 65536)}
    client = make_client(Script([httpx.Response(200, content=body(), headers=headers)]))
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert "larger than 2048 KiB" in caught.value.message
    assert sent == []  # the declared length was enough to refuse it


async def test_5_mb_streamed_body_is_cut_off_not_read_whole(make_client):
    sent: list[int] = []
    chunk = b" " * 65536

    async def endless():
        for _ in range(80):  # 5 MiB in 64 KiB chunks, no Content-Length
            sent.append(len(chunk))
            yield chunk

    client = make_client(
        Script(
            [httpx.Response(200, content=endless(), headers={"content-type": "application/json"})]
        )
    )
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    # Reading stopped just past the 2 MiB limit instead of taking in all 5 MiB.
    assert 2 * 1024 * 1024 < sum(sent) <= 2 * 1024 * 1024 + len(chunk)


async def test_receipt_may_be_larger_than_a_json_answer(make_client):
    pdf = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)
    client = make_client(
        Script([httpx.Response(200, content=pdf, headers={"content-type": "application/pdf"})])
    )
    assert await client.receipt("inv_1") == pdf


async def test_receipt_that_is_not_a_pdf_is_unexpected(make_client):
    client = make_client(Script([httpx.Response(200, html="<html>login</html>")]))
    with pytest.raises(ApiError) as caught:
        await client.receipt("inv_1")
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert "not a PDF" in caught.value.message


async def test_redirect_to_another_host_is_not_followed(make_client):
    script = Script([httpx.Response(302, headers={"location": "https://evil.example/steal?x=1"})])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert "evil.example" in caught.value.message
    assert "steal" not in caught.value.message
    # One request, to the profile's host only: the token never went to evil.example.
    assert [r.url.host for r in script.requests] == ["billing.test"]


async def test_server_text_is_cleaned_before_it_reaches_a_message(make_client):
    nasty = "Card 4000 0000 0000 0002 \u202egnp.exe\u202c refused\x1b[31m now"
    client = make_client(Script([error(422, "validation_error", nasty, field="holder_name")]))
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "ana@example.com")
    msg = caught.value.message
    assert "4000" not in msg and "0002" not in msg
    assert "[card number hidden]" in msg
    assert "\u202e" not in msg and "\x1b" not in msg


async def test_bad_input_is_refused_before_sending(make_client):
    script = Script([])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Ana", "not-an-email")
    assert caught.value.kind is ErrorKind.VALIDATION
    assert caught.value.field == "email"
    assert "The email is not valid" in caught.value.message
    assert_clean(caught.value)
    assert script.requests == []


@pytest.mark.parametrize("bad_id", ["", "..", "."])
async def test_ids_cannot_escape_their_path(make_client, bad_id):
    script = Script([])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.invoice(bad_id)
    assert caught.value.field == "invoice_id"
    assert script.requests == []


async def test_slash_in_an_id_stays_inside_one_segment(make_client):
    script = Script([error(404, "not_found")])
    client = make_client(script)
    with pytest.raises(ApiError):
        await client.remove_contact("fc_1/../../v1/account")
    assert (
        script.requests[0].url.raw_path == b"/v1/financial-contacts/fc_1%2F..%2F..%2Fv1%2Faccount"
    )


async def test_money_methods_need_a_usable_key(make_client):
    client = make_client(Script([]))
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice("inv_1", idempotency_key="")
    assert caught.value.field == "idempotency_key"


async def test_a_huge_401_body_is_not_read_whole_by_the_auth_retry(make_client):
    from .conftest import TOKENS

    sent: list[int] = []

    async def endless():
        for _ in range(80):
            sent.append(65536)
            yield b" " * 65536

    huge_401 = httpx.Response(401, content=endless(), headers={"content-type": "application/json"})
    client = make_client(Script([huge_401, json_response(TOKENS)]))
    with pytest.raises(ApiError) as caught:
        await client.account()
    assert caught.value.kind is ErrorKind.UNEXPECTED
    assert sum(sent) <= 2 * 1024 * 1024 + 65536


def test_clean_keeps_words_and_drops_tricks():
    from mktui.api.failures import clean

    assert clean("  Plain\ttext\nover lines ") == "Plain text over lines"
    assert clean("a\u200bb\u202ec\x00d") == "abcd"
    assert clean("x" * 400).endswith("…") and len(clean("x" * 400)) == 300
    assert clean("token abc123 here", hide=["abc123"]) == "token [hidden] here"
    assert clean("5555-5555-5555-4444 and 4111 1111 1111 1111") == (
        "[card number hidden] and [card number hidden]"
    )
    assert clean("invoice MK-000018 of 2026") == "invoice MK-000018 of 2026"


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (1, "in 1 second"),
        (2, "in 2 seconds"),
        (89, "in 89 seconds"),
        (120, "in 2 minutes"),
        (86400, "in 24 hours"),
        (7 * 86400, "in 7 days"),
        (1e20, "much later"),
    ],
)
def test_wait_phrase(seconds, phrase):
    from mktui.api.failures import wait_phrase

    assert wait_phrase(seconds) == phrase


async def test_bad_inputs_are_refused_locally_with_a_sentence(make_client):
    script = Script([])
    client = make_client(script)
    with pytest.raises(ApiError) as caught:
        await client.add_contact("", "ana@example.com")
    assert caught.value.field == "name"
    assert caught.value.message.startswith("The name is not valid: ")
    with pytest.raises(ApiError) as caught:
        await client.invoices(limit=0)
    assert caught.value.field == "limit"
    with pytest.raises(ApiError) as caught:
        await client.invoices("overdue")  # type: ignore[arg-type]
    assert caught.value.field == "status"
    assert script.requests == []
