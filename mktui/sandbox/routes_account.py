"""Account, prices and the subscription (preview, subscribe, change devices)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from mktui.api.models import (
    Account,
    ChangeDevicesRequest,
    Preview,
    PreviewRequest,
    PriceList,
    SubscribeRequest,
    Subscription,
    SubscriptionResult,
)
from mktui.core import pricing
from mktui.sandbox import billing, clock
from mktui.sandbox.errors import not_found
from mktui.sandbox.idempotency import RequiredKey
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
        body = account_view(acct, billing.subscription(conn, who.account_id), clock.now(conn))
    return JSONResponse(body)


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
    """What a new subscription or a change of devices would charge, line by line."""
    with request.app.state.store.read() as conn:
        quote = billing.preview(conn, who.account_id, body, clock.now(conn))
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
    body: ChangeDevicesRequest, request: Request, who: CallerDep, key: RequiredKey
) -> Response:
    """Change the number of devices: more are charged pro rata now, fewer apply on the 1st."""
    return mutate(
        request,
        who,
        key,
        body.model_dump(mode="json"),
        lambda conn: billing.change_devices(conn, who.account_id, body, clock.now(conn)),
    )
