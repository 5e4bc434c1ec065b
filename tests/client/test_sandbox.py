"""Every client method against the real sandbox app, in process through httpx.ASGITransport.

The sandbox's test clock is pinned to 16 November 2026, noon in São Paulo, so
a November activation bills 15 of 30 days.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import httpx
import pytest

from mktui.api.auth import TokenHolder
from mktui.api.client import BillingClient, new_idempotency_key
from mktui.api.errors import ApiError, ErrorKind, SessionExpired
from mktui.api.failures import DECLINES
from mktui.api.models import (
    ChangeDevicesRequest,
    NewPaymentMethod,
    PreviewRequest,
    SubscribeRequest,
)
from mktui.sandbox.embedded import sandbox_client

NOW = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)  # 12:00 in America/Sao_Paulo
CNPJ = "11.222.333/0001-81"
DEMO, ANNUAL, NEW = (f"{who}@mkcontroller.test" for who in ("demo", "annual", "new"))


class LosesAnswers(httpx.AsyncBaseTransport):
    """Forwards to the app, lets it commit, then drops the answer of the first matching request."""

    def __init__(self, inner: httpx.AsyncBaseTransport, method: str, path_end: str) -> None:
        self._inner = inner
        self._method = method
        self._path_end = path_end
        self.dropped = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        matches = request.method == self._method and request.url.path.endswith(self._path_end)
        if matches and not self.dropped:
            self.dropped += 1
            await response.aread()  # the server has answered: its work is committed
            raise httpx.ReadError("connection reset by peer", request=request)
        return response


@pytest.fixture
def app(tmp_path):
    from mktui.sandbox.app import create_app

    return create_app(tmp_path / "sandbox.db", now=NOW)


@pytest.fixture
async def connect(app, sleeps):
    """Sign in to the sandbox as one of its demo accounts, optionally through a wrapper transport."""
    made: list[BillingClient] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def factory(email: str, *, wrap=None, tokens: TokenHolder | None = None) -> BillingClient:
        transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=app)
        if wrap is not None:
            transport = wrap(transport)
        client = BillingClient(
            "http://sandbox.local",
            transport=transport,
            allow_insecure_http=True,
            tokens=tokens,
            sleep=fake_sleep,
        )
        made.append(client)
        if tokens is None:
            await client.sign_in(email, "sandbox")
        return client

    yield factory
    for client in made:
        await client.aclose()


def card(number: str = "4242424242424242", *, default: bool = False) -> NewPaymentMethod:
    return NewPaymentMethod(
        holder_name="New Customer",
        number=number,
        exp_month=12,
        exp_year=2030,
        cvc="123",
        make_default=default,
    )


async def subscribe_new(client: BillingClient, devices: int = 10, number: str = "4242424242424242"):
    pm = await client.add_payment_method(card(number, default=True))
    preview = await client.preview(
        PreviewRequest(currency="BRL", plan="monthly", devices=devices, tax_id=CNPJ)
    )
    request = SubscribeRequest(
        currency="BRL",
        plan="monthly",
        devices=devices,
        tax_id=CNPJ,
        payment_method_id=pm.id,
        expected_total=preview.total,
    )
    return preview, request


# ---------------------------------------------------------------- auth
async def test_sandbox_client_wires_the_in_process_app(tmp_path):
    async with sandbox_client(tmp_path / "own.db", now=NOW) as client:
        await client.sign_in(DEMO, "sandbox")
        account = await client.account()
    assert account.email == DEMO
    assert account.now == NOW
    assert client.base_url.startswith("http://sandbox.local")


async def test_wrong_password(connect):
    client = await connect(DEMO)
    with pytest.raises(ApiError) as caught:
        await client.sign_in(DEMO, "not-the-password")
    assert caught.value.kind is ErrorKind.UNAUTHENTICATED
    assert not isinstance(caught.value, SessionExpired)


async def test_refresh_rotates_and_the_old_token_stops_working(tmp_path):
    from mktui.sandbox.app import create_app

    wall = Wall()
    app = create_app(tmp_path / "rotating.db", now=NOW, wall_clock=wall)

    def on_app(tokens: TokenHolder | None = None) -> BillingClient:
        return BillingClient(
            "http://sandbox.local",
            transport=httpx.ASGITransport(app=app),
            allow_insecure_http=True,
            tokens=tokens,
        )

    saved = []
    async with on_app() as client:
        await client.sign_in(DEMO, "sandbox")
        old_refresh = client.tokens.refresh_token
        tokens = await client.refresh()
        assert tokens.refresh_token.get_secret_value() != old_refresh.get_secret_value()
        assert (await client.account()).email == DEMO
        wall.now += 61  # past the 60 s in which a second console may present it too
        async with on_app(TokenHolder("expired", old_refresh, on_refresh=saved.append)) as stale:
            with pytest.raises(SessionExpired):
                await stale.account()  # 401 → refresh with the rotated-out token → refused
    assert saved == []


async def test_an_unknown_access_token_is_refreshed_transparently(connect):
    signed_in = await connect(DEMO)
    saved = []
    holder = TokenHolder("not-a-token", signed_in.tokens.refresh_token, on_refresh=saved.append)
    client = await connect(DEMO, tokens=holder)
    assert (await client.account()).email == DEMO
    assert len(saved) == 1


# ---------------------------------------------------------------- account, prices, previews
async def test_account_and_prices(connect):
    client = await connect(DEMO)
    account = await client.account()
    assert (account.status, account.currency, account.plan) == ("past_due", "BRL", "monthly")
    assert (account.device_quota, account.devices_in_use) == (10, 7)
    assert account.now == NOW
    prices = {(p.currency, p.plan): p.unit_amount for p in await client.prices()}
    assert prices == {
        ("BRL", "monthly"): 1290,
        ("BRL", "annual"): 12900,
        ("USD", "monthly"): 290,
        ("USD", "annual"): 2900,
    }


async def test_preview_of_an_activation_is_pro_rated(connect):
    client = await connect(NEW)
    preview = await client.preview(
        PreviewRequest(currency="BRL", plan="monthly", devices=10, tax_id=CNPJ)
    )
    # 10 devices × R$ 12,90 × 15/30 days
    assert preview.total == 6450
    assert sum(line.amount for line in preview.lines) == preview.subtotal
    assert preview.next_renewal_date == date(2026, 12, 1)
    assert preview.next_renewal_amount == 12900


async def test_preview_validation_names_the_field(connect):
    client = await connect(NEW)
    with pytest.raises(ApiError) as caught:
        await client.preview(PreviewRequest(currency="BRL", plan="monthly", devices=10))
    assert caught.value.kind is ErrorKind.VALIDATION
    assert caught.value.field == "tax_id"


# ---------------------------------------------------------------- subscription
async def test_subscribe_activates_at_once_and_replays_for_the_same_key(connect):
    client = await connect(NEW)
    assert await client.subscription() is None
    preview, request = await subscribe_new(client)
    key = new_idempotency_key()
    result = await client.subscribe(request, idempotency_key=key)
    assert result.subscription.devices == 10
    assert result.invoice is not None and result.invoice.status == "paid"
    assert result.invoice.total == preview.total
    again = await client.subscribe(request, idempotency_key=key)
    assert again.invoice is not None and again.invoice.id == result.invoice.id
    assert (await client.account()).status == "active"
    assert len((await client.invoices()).data) == 1
    subscription = await client.subscription()
    assert subscription is not None and subscription.status == "active"


async def test_subscribe_with_a_stale_total_is_price_changed(connect):
    client = await connect(NEW)
    _, request = await subscribe_new(client)
    stale = request.model_copy(update={"expected_total": request.expected_total - 1})
    with pytest.raises(ApiError) as caught:
        await client.subscribe(stale, idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.PRICE_CHANGED
    assert (await client.account()).status == "inactive"


async def test_subscribe_with_a_declining_card(connect):
    client = await connect(NEW)
    _, request = await subscribe_new(client, number="4000000000000002")
    with pytest.raises(ApiError) as caught:
        await client.subscribe(request, idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.PAYMENT_FAILED
    assert caught.value.code == "card_declined"
    assert (await client.account()).status == "inactive"


async def test_change_devices_up_charges_and_down_schedules(connect):
    client = await connect(NEW)
    _, request = await subscribe_new(client)
    await client.subscribe(request, idempotency_key=new_idempotency_key())
    up = await client.preview(PreviewRequest(devices=12))
    result = await client.change_devices(
        ChangeDevicesRequest(devices=12, expected_total=up.total),
        idempotency_key=new_idempotency_key(),
    )
    assert result.subscription.devices == 12
    assert (
        result.invoice is not None and result.invoice.total == up.total == 1290
    )  # 2 × 12,90 × 15/30
    assert (await client.account()).device_quota == 12
    result = await client.change_devices(
        ChangeDevicesRequest(devices=8, expected_total=0), idempotency_key=new_idempotency_key()
    )
    assert result.invoice is None
    assert (result.subscription.devices, result.subscription.scheduled_devices) == (12, 8)


# ---------------------------------------------------------------- payment methods
async def test_payment_methods(connect):
    client = await connect(DEMO)
    methods = await client.payment_methods()
    assert [(m.brand, m.last4, m.is_default) for m in methods] == [
        ("visa", "4242", True),
        ("mastercard", "4444", False),
    ]
    added = await client.add_payment_method(
        card("5555555555554444"), idempotency_key=new_idempotency_key()
    )
    assert (added.brand, added.last4, added.is_default) == ("mastercard", "4444", False)
    made_default = await client.set_default_payment_method(added.id)
    assert made_default.is_default
    assert await client.remove_payment_method(methods[1].id) is None  # not the default
    ids = [m.id for m in await client.payment_methods()]
    assert methods[1].id not in ids and added.id in ids
    with pytest.raises(ApiError) as caught:
        await client.remove_payment_method(methods[1].id)
    assert caught.value.kind is ErrorKind.NOT_FOUND


async def test_a_bad_card_number_names_the_field(connect):
    client = await connect(NEW)
    with pytest.raises(ApiError) as caught:
        await client.add_payment_method(card("4242424242424241"))
    assert caught.value.kind is ErrorKind.VALIDATION
    assert caught.value.field == "number"
    assert "4242424242424241" not in caught.value.message


# ---------------------------------------------------------------- invoices
async def test_invoices_pages_and_filters(connect):
    client = await connect(DEMO)
    everything = await client.invoices(limit=200)
    assert everything.next_cursor is None
    issued = [i.issued_at for i in everything.data]
    assert issued == sorted(issued, reverse=True)
    seen, cursor = [], None
    while True:
        page = await client.invoices(limit=5, cursor=cursor)
        seen += [i.id for i in page.data]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [i.id for i in everything.data]
    past_due = (await client.invoices("past_due")).data
    assert len(past_due) == 1 and past_due[0].due_date == date(2026, 11, 1)
    assert (await client.invoice(past_due[0].id)) == past_due[0]


async def test_another_accounts_invoice_is_not_found(connect):
    demo = await connect(DEMO)
    annual = await connect(ANNUAL)
    theirs = (await annual.invoices(limit=1)).data[0]
    with pytest.raises(ApiError) as caught:
        await demo.invoice(theirs.id)
    assert caught.value.kind is ErrorKind.NOT_FOUND
    with pytest.raises(ApiError) as caught:
        await demo.pay_invoice(theirs.id, idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.NOT_FOUND


async def test_pay_a_past_due_invoice_then_get_its_receipt(connect):
    client = await connect(DEMO)
    invoice = (await client.invoices("past_due")).data[0]
    with pytest.raises(ApiError) as caught:
        await client.receipt(invoice.id)
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.code == "receipt_unavailable"
    paid = await client.pay_invoice(invoice.id, idempotency_key=new_idempotency_key())
    assert paid.status == "paid"
    assert paid.paid_with is not None and paid.paid_with.last4 == "4242"
    assert (await client.account()).status == "active"
    pdf = await client.receipt(invoice.id)
    assert pdf.startswith(b"%PDF-")
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice(invoice.id, idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.code == "invoice_not_payable"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("4000000000000002", "card_declined"),
        ("4000000000009995", "insufficient_funds"),
        ("4000000000000069", "expired_card"),
    ],
)
async def test_a_declined_retry_is_recorded_on_the_invoice(connect, number, code):
    client = await connect(DEMO)
    declining = await client.add_payment_method(card(number))
    invoice = (await client.invoices("past_due")).data[0]
    with pytest.raises(ApiError) as caught:
        await client.pay_invoice(invoice.id, declining.id, idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.PAYMENT_FAILED
    assert caught.value.code == code
    assert caught.value.message == DECLINES[code]
    after = await client.invoice(invoice.id)
    assert after.status == "past_due"
    assert after.attempts == invoice.attempts + 1
    assert after.last_failure is not None and after.last_failure.code == code


async def test_a_lost_payment_answer_retried_pays_once(connect):
    lossy: list[LosesAnswers] = []

    def wrap(inner):
        lossy.append(LosesAnswers(inner, "POST", "/pay"))
        return lossy[0]

    client = await connect(DEMO, wrap=wrap)
    invoice = (await client.invoices("past_due")).data[0]
    paid = await client.pay_invoice(invoice.id, idempotency_key=new_idempotency_key())
    assert lossy[0].dropped == 1  # the first answer really was lost after the charge
    assert paid.status == "paid"
    assert paid.attempts == invoice.attempts + 1
    ledger = (await client.ledger(limit=200)).data
    payments = [e for e in ledger if e.kind == "payment" and e.invoice_id == invoice.id]
    assert len(payments) == 1


async def test_a_lost_subscribe_answer_retried_subscribes_once(connect):
    lossy: list[LosesAnswers] = []

    def wrap(inner):
        lossy.append(LosesAnswers(inner, "POST", "/v1/subscription"))
        return lossy[0]

    client = await connect(NEW, wrap=wrap)
    _, request = await subscribe_new(client)
    result = await client.subscribe(request, idempotency_key=new_idempotency_key())
    assert lossy[0].dropped == 1
    assert result.invoice is not None and result.invoice.status == "paid"
    invoices = (await client.invoices()).data
    assert [i.id for i in invoices] == [result.invoice.id]


async def test_a_lost_answer_without_a_key_is_not_retried(connect):
    def wrap(inner):
        return LosesAnswers(inner, "POST", "/v1/financial-contacts")

    client = await connect(DEMO, wrap=wrap)
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Carla Dias", "carla@demo-networks.test")
    assert caught.value.kind is ErrorKind.UNAVAILABLE
    # It went through once; the console says to check rather than sending it twice.
    assert [c.name for c in await client.contacts()].count("Carla Dias") == 1


# ---------------------------------------------------------------- contacts, ledger, clock
async def test_contacts(connect):
    client = await connect(DEMO)
    before = await client.contacts()
    assert len(before) == 2
    added = await client.add_contact("Carla Dias", "Carla@Demo-Networks.test")
    assert added.email == "carla@demo-networks.test"
    with pytest.raises(ApiError) as caught:
        await client.add_contact("Carla again", "carla@demo-networks.test")
    assert caught.value.kind is ErrorKind.CONFLICT
    await client.remove_contact(added.id)
    assert await client.contacts() == before
    with pytest.raises(ApiError) as caught:
        await client.remove_contact(added.id)
    assert caught.value.kind is ErrorKind.NOT_FOUND


async def test_ledger_of_the_annual_account(connect):
    client = await connect(ANNUAL)
    page = await client.ledger(limit=3)
    assert len(page.data) == 3 and page.next_cursor is not None
    rest = await client.ledger(limit=200, cursor=page.next_cursor)
    entries = page.data + rest.data
    assert len({e.id for e in entries}) == len(entries)
    assert any(e.kind == "credit_grant" and e.amount > 0 for e in entries)
    assert any(e.kind == "credit_use" and e.amount < 0 for e in entries)
    assert entries[0].balance_after == (await client.account()).credit_balance


async def test_clock_moves_forward_and_runs_the_renewal(connect):
    client = await connect(NEW)
    _, request = await subscribe_new(client)
    await client.subscribe(request, idempotency_key=new_idempotency_key())
    assert await client.clock() == NOW
    later = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert await client.set_clock(later) == later
    assert await client.clock() == later
    invoices = (await client.invoices()).data
    assert len(invoices) == 2
    assert invoices[0].due_date == date(2026, 12, 1)
    assert invoices[0].total == 12900


async def test_the_clock_needs_a_time_zone(connect):
    client = await connect(DEMO)
    with pytest.raises(ApiError) as caught:
        await client.set_clock(datetime(2027, 1, 1, 9, 0))
    assert caught.value.field == "now"


# ---------------------------------------------------------------- rate limits and expiry, on a wall clock the test moves
class Wall:
    """The sandbox's wall clock (token expiry, rate windows); the client's sleep moves it."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def wall_client(
    tmp_path, wall: Wall, tokens: TokenHolder | None = None, **app_options
) -> BillingClient:
    from mktui.sandbox.app import create_app

    app = create_app(tmp_path / "walled.db", now=NOW, wall_clock=wall, **app_options)
    client = BillingClient(
        "http://sandbox.local",
        transport=httpx.ASGITransport(app=app),
        allow_insecure_http=True,
        sleep=wall.sleep,
        tokens=tokens,
    )
    await client.sign_in(DEMO, "sandbox")
    return client


async def test_sandbox_429_beyond_the_cap_gives_up_with_retry_after(tmp_path):
    wall = Wall()
    async with await wall_client(tmp_path, wall, rate_limit=3) as client:
        for _ in range(3):
            await client.prices()
        with pytest.raises(ApiError) as caught:
            await client.prices()
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_after == 60
    assert "Try again in 60 seconds" in caught.value.message
    assert wall.slept == []


async def test_sandbox_429_within_the_cap_is_waited_out(tmp_path):
    wall = Wall()
    async with await wall_client(tmp_path, wall, rate_limit=3) as client:
        for _ in range(3):
            await client.prices()
        wall.now += 45  # the window has 15 s left
        assert len(await client.prices()) == 4
    assert wall.slept == [15.0]


async def test_an_expired_access_token_is_renewed_transparently(tmp_path):
    wall = Wall()
    saved = []
    holder = TokenHolder(on_refresh=saved.append)
    async with await wall_client(tmp_path, wall, holder, access_ttl=60) as client:
        wall.now += 61
        assert (await client.account()).email == DEMO
    signed_in, renewed = saved  # the sign-in's pair, then the renewed one
    assert renewed.refresh_token != signed_in.refresh_token
    assert holder.access_token == renewed.access_token


async def test_no_secret_reaches_a_log_line_in_a_sandbox_session(connect, caplog):
    caplog.set_level(logging.DEBUG)  # every logger: the client's, httpx's and the sandbox's
    seen_tokens: list[str] = []
    client = await connect(NEW)
    seen_tokens += client.tokens.secrets()
    await client.refresh()
    seen_tokens += client.tokens.secrets()
    messages = [repr(client), repr(client.tokens)]
    for number in ("4000000000000002", "4242424242424241"):
        try:
            declining = await client.add_payment_method(card(number, default=True))
            preview, request = await subscribe_new(client)
            await client.subscribe(
                request.model_copy(update={"payment_method_id": declining.id}),
                idempotency_key=new_idempotency_key(),
            )
        except ApiError as error:
            messages.append(f"{error!r} {error}")
    assert len(messages) == 4  # both attempts failed: a decline, then a bad number
    text = caplog.text + "\n".join(messages)
    assert "POST /v1/subscription -> 402" in caplog.text
    for secret in (*seen_tokens, "4000000000000002", "4242424242424241", "4242424242424242"):
        assert secret not in text


async def test_pay_by_pix_then_read_the_nfse(connect):
    from mktui.core import brcode

    client = await connect(DEMO)
    invoice = (await client.invoices("past_due")).data[0]
    charge = await client.pix_charge(invoice.id, idempotency_key=new_idempotency_key())
    assert charge.amount == invoice.amount_due and charge.status == "active"
    assert brcode.parse(charge.br_code).txid == charge.txid
    again = await client.pix_charge(invoice.id, idempotency_key=new_idempotency_key())
    assert again == charge
    with pytest.raises(ApiError) as caught:
        await client.nfse(invoice.id)
    assert caught.value.kind is ErrorKind.CONFLICT and caught.value.code == "nfse_unavailable"
    paid_charge = await client.pay_pix(charge.txid)
    assert paid_charge.status == "paid"
    paid = await client.invoice(invoice.id)
    assert paid.status == "paid" and paid.paid_with.method == "pix"
    assert paid.paid_with.txid == charge.txid and paid.paid_with.brand is None
    assert paid.nfse is not None and paid.nfse.status == "issued"
    assert (await client.nfse(invoice.id, "pdf")).startswith(b"%PDF-")
    assert paid.nfse.verification_code.encode() in await client.nfse(invoice.id, "xml")
    with pytest.raises(ApiError) as caught:
        await client.nfse(invoice.id, "doc")
    assert caught.value.kind is ErrorKind.VALIDATION and caught.value.field == "format"
    with pytest.raises(ApiError) as caught:
        await client.pay_pix(charge.txid)
    assert caught.value.code == "pix_not_payable"


async def test_pix_is_not_available_in_dollars(connect):
    client = await connect(NEW)
    pm = await client.add_payment_method(card(default=True))
    preview = await client.preview(PreviewRequest(currency="USD", plan="monthly", devices=2))
    result = await client.subscribe(
        SubscribeRequest(
            currency="USD",
            plan="monthly",
            devices=2,
            payment_method_id=pm.id,
            expected_total=preview.total,
        ),
        idempotency_key=new_idempotency_key(),
    )
    with pytest.raises(ApiError) as caught:
        await client.pix_charge(result.invoice.id, idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.CONFLICT and caught.value.code == "pix_unavailable"
    assert "BRL" in caught.value.message
