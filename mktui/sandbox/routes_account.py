"""Account, prices and the subscription (preview, subscribe, change devices)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from mktui.api.models import (
    Account,
    AccountUpdate,
    ChangeSubscriptionRequest,
    Preview,
    PreviewRequest,
    PriceList,
    SubscribeRequest,
    Subscription,
    SubscriptionResult,
)
from mktui.core import pricing
from mktui.sandbox import account_details, billing, clock, invoices, lifecycle
from mktui.sandbox.errors import not_found
from mktui.sandbox.idempotency import OptionalKey, RequiredKey
from mktui.sandbox.routing import CallerDep, errors, mutate
from mktui.sandbox.views import account_view, preview_view, subscription_view

router = APIRouter(prefix="/v1", tags=["account"])

hub = APIRouter(prefix="/v1", tags=["account"])
"""The GET routes the Financial hub calls at start-up: included first (see ``create_app``)."""


@hub.get("/account", response_model=Account, responses=errors())
def get_account(request: Request, who: CallerDep) -> JSONResponse:
    """The signed-in account, its quota and credit, and the server's current time."""
    with request.app.state.store.read() as conn:
        acct = billing.account(conn, who.account_id)
        body = account_view(
            acct,
            billing.subscription(conn, who.account_id),
            clock.now(conn),
            invoices.unpaid_summary(conn, who.account_id),
        )
    return JSONResponse(body)


@router.patch("/account", response_model=Account, responses=errors(409))
def update_account(
    body: AccountUpdate, request: Request, who: CallerDep, key: OptionalKey = None
) -> Response:
    """Billing details: legal name, CPF/CNPJ (required for BRL) and address (CEP and UF checked)."""
    return mutate(
        request,
        who,
        key,
        body.model_dump(mode="json"),
        lambda conn: account_details.update(conn, who.account_id, body, clock.now(conn)),
    )


@hub.get("/prices", response_model=PriceList, responses=errors())
def get_prices(who: CallerDep) -> JSONResponse:
    """Unit prices per currency and plan, in minor units."""
    data = [
        {"currency": currency, "plan": plan, "unit_amount": price.minor}
        for (currency, plan), price in sorted(pricing.SANDBOX_PRICES.items())
    ]
    return JSONResponse({"data": data})


@router.post("/subscription/preview", response_model=Preview, responses=errors())
def preview(body: PreviewRequest, request: Request, who: CallerDep) -> JSONResponse:
    """What a new subscription, a change of devices or a switch of plan would charge, line by line."""
    with request.app.state.store.read() as conn:
        quote = lifecycle.preview(conn, who.account_id, body, clock.now(conn))
    return JSONResponse(preview_view(quote))


@router.post("/subscription", response_model=SubscriptionResult, responses=errors(402, 409))
def subscribe(
    body: SubscribeRequest, request: Request, who: CallerDep, key: RequiredKey
) -> Response:
    """Activate the subscription: the first invoice is charged now (402 creates nothing)."""
    return mutate(
        request,
        who,
        key,
        body.model_dump(mode="json"),
        lambda conn: billing.subscribe(conn, who.account_id, body, clock.now(conn)),
    )


@hub.get("/subscription", response_model=Subscription, responses=errors())
def get_subscription(request: Request, who: CallerDep) -> JSONResponse:
    """The subscription, or 404 when the account has none."""
    with request.app.state.store.read() as conn:
        sub = billing.subscription(conn, who.account_id)
        if sub is None:
            raise not_found("subscription")
        return JSONResponse(subscription_view(sub, billing.account(conn, who.account_id)))


@router.patch("/subscription", response_model=SubscriptionResult, responses=errors(402, 409))
def change(
    body: ChangeSubscriptionRequest, request: Request, who: CallerDep, key: RequiredKey
) -> Response:
    """Change the number of devices (more charged pro rata now, fewer from the 1st) or the plan.

    Monthly → annual is charged now as an annual purchase; annual → monthly
    charges nothing and applies from the next 1st.
    """
    change_ = lifecycle.change_plan if body.plan is not None else billing.change_devices
    return mutate(
        request,
        who,
        key,
        body.model_dump(mode="json", exclude_none=True),
        lambda conn: change_(conn, who.account_id, body, clock.now(conn)),
    )


@router.post("/subscription/cancel", response_model=Subscription, responses=errors(409))
def cancel(request: Request, who: CallerDep, key: RequiredKey) -> Response:
    """Cancel at the next 1st: nothing refunded, the quota kept until then, no renewal on it."""
    return mutate(
        request,
        who,
        key,
        None,
        lambda conn: lifecycle.cancel(conn, who.account_id, clock.now(conn)),
    )


@router.post("/subscription/resume", response_model=Subscription, responses=errors(409))
def resume(request: Request, who: CallerDep, key: RequiredKey) -> Response:
    """Undo a scheduled cancellation before its 1st: renewals go on as before."""
    return mutate(request, who, key, None, lambda conn: lifecycle.resume(conn, who.account_id))
