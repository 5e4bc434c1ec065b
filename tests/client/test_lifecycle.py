"""The client's lifecycle and billing-details methods against the real sandbox, in process."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mktui.api.client import new_idempotency_key
from mktui.api.errors import ApiError, ErrorKind
from mktui.api.models import PreviewRequest
from tests.client import test_sandbox as base
from tests.client.test_sandbox import ANNUAL, DEMO, NEW, subscribe_new

# The sandbox app and the signed-in client factory of test_sandbox, as fixtures here too.
app = base.app
connect = base.connect

ADDRESS = {
    "street": "Rua Augusta",
    "number": "500",
    "district": "Consolação",
    "city": "São Paulo",
    "state": "SP",
    "postal_code": "01305-000",
    "country": "BR",
}


async def test_cancel_resume_and_the_end_of_a_canceled_subscription(connect):
    client = await connect(NEW)
    _, request = await subscribe_new(client)
    await client.subscribe(request, idempotency_key=new_idempotency_key())
    canceled = await client.cancel_subscription(idempotency_key=new_idempotency_key())
    assert canceled.cancel_at == date(2026, 12, 1)
    resumed = await client.resume_subscription(idempotency_key=new_idempotency_key())
    assert resumed.cancel_at is None
    with pytest.raises(ApiError) as caught:
        await client.resume_subscription(idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.CONFLICT
    await client.cancel_subscription(idempotency_key=new_idempotency_key())
    await client.set_clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert await client.subscription() is None
    assert (await client.account()).status == "inactive"


async def test_switching_plans(connect):
    client = await connect(ANNUAL)
    preview = await client.preview(PreviewRequest(plan="monthly"))
    assert preview.total == 0 and preview.effective == date(2026, 12, 1)
    result = await client.change_plan(
        "monthly", expected_total=preview.total, idempotency_key=new_idempotency_key()
    )
    assert result.subscription.scheduled_plan == "monthly" and result.invoice is None
    with pytest.raises(ApiError) as caught:
        await client.change_plan("weekly", expected_total=0, idempotency_key=new_idempotency_key())
    assert caught.value.kind is ErrorKind.VALIDATION and caught.value.field == "plan"


async def test_billing_details_card_expiry_contacts_and_the_invoice_pdf(connect):
    client = await connect(DEMO)
    account = await client.update_account(name="Demo Redes", address=ADDRESS)
    assert account.name == "Demo Redes" and account.address is not None
    assert account.address.postal_code == "01305000"
    with pytest.raises(ApiError) as caught:
        await client.update_account(tax_id="123.456.789-00")
    assert caught.value.kind is ErrorKind.VALIDATION and caught.value.field == "tax_id"
    with pytest.raises(ApiError) as caught:
        await client.update_account(address={**ADDRESS, "state": "ZZ"})
    assert caught.value.field == "address.state"

    card = (await client.payment_methods())[0]
    updated = await client.update_payment_method(card.id, exp_month=6, exp_year=2032)
    assert (updated.exp_month, updated.exp_year, updated.last4) == (6, 2032, card.last4)

    first, second = await client.contacts()
    with pytest.raises(ApiError) as caught:
        await client.update_contact(first.id, email=second.email)
    assert caught.value.kind is ErrorKind.CONFLICT and caught.value.field == "email"
    edited = await client.update_contact(first.id, name="Ana Lima")
    assert edited.name == "Ana Lima" and edited.email == first.email

    late = (await client.invoices("past_due")).data[0]
    pdf = await client.invoice_pdf(late.id)
    assert pdf.startswith(b"%PDF-")
