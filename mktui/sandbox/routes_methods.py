"""Payment methods and financial contacts."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response

from mktui.api.models import (
    FinancialContact,
    FinancialContactList,
    FinancialContactUpdate,
    NewFinancialContact,
    NewPaymentMethod,
    PaymentMethod,
    PaymentMethodList,
    PaymentMethodUpdate,
    RemovedPaymentMethod,
)
from mktui.sandbox import billing, cards, clock, idempotency
from mktui.sandbox.errors import conflict, invalid, not_found
from mktui.sandbox.idempotency import OptionalKey
from mktui.sandbox.routing import CallerDep, errors, mutate
from mktui.sandbox.store import new_id
from mktui.sandbox.views import contact_view, payment_method_view

router = APIRouter(prefix="/v1", tags=["payment methods", "contacts"])

hub = APIRouter(prefix="/v1", tags=["payment methods", "contacts"])
"""The GET routes the Financial hub calls at start-up: included first (see ``create_app``)."""
ItemId = Annotated[str, Path(min_length=1, max_length=64)]


def _method(conn: sqlite3.Connection, account_id: str, pm_id: str) -> sqlite3.Row:
    row = conn.execute(
        "SELECT * FROM payment_methods WHERE id = ? AND account_id = ?", (pm_id, account_id)
    ).fetchone()
    if row is None:
        raise not_found("payment method")
    return row


def _default_id(conn: sqlite3.Connection, account_id: str) -> str | None:
    return billing.account(conn, account_id)["default_payment_method_id"]


@hub.get("/payment-methods", response_model=PaymentMethodList, responses=errors())
def list_methods(request: Request, who: CallerDep) -> JSONResponse:
    """The saved cards: brand, last 4, expiry; the default one marked."""
    with request.app.state.store.read() as conn:
        default = _default_id(conn, who.account_id)
        rows = conn.execute(
            "SELECT * FROM payment_methods WHERE account_id = ? ORDER BY seq", (who.account_id,)
        ).fetchall()
    return JSONResponse({"data": [payment_method_view(r, default) for r in rows]})


@router.post("/payment-methods", response_model=PaymentMethod, responses=errors(409))
def add_method(
    body: NewPaymentMethod, request: Request, who: CallerDep, key: OptionalKey = None
) -> Response:
    """Attach a card: checked (Luhn, expiry, CVC), then only brand, last 4 and expiry are kept."""
    number = body.number.get_secret_value()
    # The whole card counts (a key reused for another card is a conflict, never a replay of
    # the first), as a keyed hash: an unkeyed digest of a card number is guessable.
    whole_card = idempotency.card_digest(
        idempotency.app_fingerprint_key(request.app.state),
        number,
        body.exp_month,
        body.exp_year,
        body.cvc.get_secret_value(),
    )
    print_body = body.model_dump(mode="json", exclude={"number", "cvc"}) | {"card": whole_card}

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        acct = billing.account(conn, who.account_id)
        today = billing.today_of(acct, clock.now(conn))
        card = cards.check_card(
            number, body.exp_month, body.exp_year, body.cvc.get_secret_value(), today
        )
        pm_id = new_id("pm")
        conn.execute(
            "INSERT INTO payment_methods (id, account_id, brand, last4, exp_month, exp_year, "
            "holder_name, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                pm_id,
                who.account_id,
                card.brand,
                card.last4,
                card.exp_month,
                card.exp_year,
                body.holder_name,
                card.outcome,
                clock.now(conn).isoformat(),
            ),
        )
        if body.make_default or acct["default_payment_method_id"] is None:
            conn.execute(
                "UPDATE accounts SET default_payment_method_id = ? WHERE id = ?",
                (pm_id, who.account_id),
            )
        row = _method(conn, who.account_id, pm_id)
        return 200, payment_method_view(row, _default_id(conn, who.account_id))

    return mutate(request, who, key, print_body, action)


@router.patch("/payment-methods/{pm_id}", response_model=PaymentMethod, responses=errors(409))
def update_method(
    pm_id: ItemId,
    body: PaymentMethodUpdate,
    request: Request,
    who: CallerDep,
    key: OptionalKey = None,
) -> Response:
    """A reissued card's new expiry (and holder name); the number, brand and last 4 never change."""

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        _method(conn, who.account_id, pm_id)
        acct = billing.account(conn, who.account_id)
        today = billing.today_of(acct, clock.now(conn))
        if cards.is_expired(body.exp_month, body.exp_year, today):
            raise invalid(
                "exp_month" if body.exp_year == today.year else "exp_year",
                "That expiry date has passed; type the one printed on the reissued card.",
            )
        conn.execute(
            "UPDATE payment_methods SET exp_month = ?, exp_year = ?, "
            "holder_name = coalesce(?, holder_name) WHERE id = ?",
            (body.exp_month, body.exp_year, body.holder_name, pm_id),
        )
        row = _method(conn, who.account_id, pm_id)
        return 200, payment_method_view(row, _default_id(conn, who.account_id))

    return mutate(request, who, key, body.model_dump(mode="json"), action)


@router.post(
    "/payment-methods/{pm_id}/default", response_model=PaymentMethod, responses=errors(409)
)
def make_default(
    pm_id: ItemId, request: Request, who: CallerDep, key: OptionalKey = None
) -> Response:
    """Make this card the one renewals and retries charge."""

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        row = _method(conn, who.account_id, pm_id)
        conn.execute(
            "UPDATE accounts SET default_payment_method_id = ? WHERE id = ?",
            (pm_id, who.account_id),
        )
        return 200, payment_method_view(row, pm_id)

    return mutate(request, who, key, None, action)


@router.delete(
    "/payment-methods/{pm_id}", response_model=RemovedPaymentMethod, responses=errors(409)
)
def remove_method(
    pm_id: ItemId, request: Request, who: CallerDep, key: OptionalKey = None
) -> Response:
    """Remove a card; refused (409) for the default one while invoices are open.

    Removing the default card makes the most recently added remaining card the
    default, named in ``new_default`` (``null`` when the default did not change or
    no card is left), so renewals keep a card to charge.
    """

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        _method(conn, who.account_id, pm_id)
        open_invoices = conn.execute(
            "SELECT count(*) FROM invoices WHERE account_id = ? AND status IN ('open', 'past_due')",
            (who.account_id,),
        ).fetchone()[0]
        if pm_id == _default_id(conn, who.account_id) and open_invoices:
            raise conflict(
                "conflict",
                "This is the default card and invoices are open; make another card the default "
                "or pay the open invoices first.",
            )
        was_default = pm_id == _default_id(conn, who.account_id)
        conn.execute("DELETE FROM payment_methods WHERE id = ?", (pm_id,))
        if not was_default:
            return 200, {"new_default": None}
        successor = conn.execute(
            "SELECT * FROM payment_methods WHERE account_id = ? ORDER BY seq DESC LIMIT 1",
            (who.account_id,),
        ).fetchone()
        if successor is None:
            return 200, {"new_default": None}
        conn.execute(
            "UPDATE accounts SET default_payment_method_id = ? WHERE id = ?",
            (successor["id"], who.account_id),
        )
        return 200, {"new_default": payment_method_view(successor, successor["id"])}

    return mutate(request, who, key, None, action)


@router.get("/financial-contacts", response_model=FinancialContactList, responses=errors())
def list_contacts(request: Request, who: CallerDep) -> JSONResponse:
    """The people who receive billing notifications."""
    with request.app.state.store.read() as conn:
        rows = conn.execute(
            "SELECT * FROM contacts WHERE account_id = ? ORDER BY seq", (who.account_id,)
        ).fetchall()
    return JSONResponse({"data": [contact_view(r) for r in rows]})


@router.post("/financial-contacts", response_model=FinancialContact, responses=errors(409))
def add_contact(
    body: NewFinancialContact, request: Request, who: CallerDep, key: OptionalKey = None
) -> Response:
    """Add a financial contact; 409 when that email already is one."""

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        exists = conn.execute(
            "SELECT 1 FROM contacts WHERE account_id = ? AND email = ?",
            (who.account_id, body.email),
        ).fetchone()
        if exists:
            raise conflict("conflict", "That email is already a financial contact.", field="email")
        fc_id = new_id("fc")
        conn.execute(
            "INSERT INTO contacts (id, account_id, name, email) VALUES (?, ?, ?, ?)",
            (fc_id, who.account_id, body.name, body.email),
        )
        return 200, {"id": fc_id, "name": body.name, "email": body.email}

    return mutate(request, who, key, body.model_dump(mode="json"), action)


@router.patch("/financial-contacts/{fc_id}", response_model=FinancialContact, responses=errors(409))
def update_contact(
    fc_id: ItemId,
    body: FinancialContactUpdate,
    request: Request,
    who: CallerDep,
    key: OptionalKey = None,
) -> Response:
    """Correct a contact's name or email; 409 when the new email is already another contact's."""

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        row = conn.execute(
            "SELECT * FROM contacts WHERE id = ? AND account_id = ?", (fc_id, who.account_id)
        ).fetchone()
        if row is None:
            raise not_found("financial contact")
        if body.name is None and body.email is None:
            raise invalid(None, "Send the new name or email of the contact.")
        if body.email is not None:
            taken = conn.execute(
                "SELECT 1 FROM contacts WHERE account_id = ? AND email = ? AND id != ?",
                (who.account_id, body.email, fc_id),
            ).fetchone()
            if taken:
                raise conflict(
                    "conflict", "That email is already another financial contact.", field="email"
                )
        conn.execute(
            "UPDATE contacts SET name = coalesce(?, name), email = coalesce(?, email) WHERE id = ?",
            (body.name, body.email, fc_id),
        )
        updated = conn.execute("SELECT * FROM contacts WHERE id = ?", (fc_id,)).fetchone()
        return 200, contact_view(updated)

    return mutate(request, who, key, body.model_dump(mode="json"), action)


@router.delete("/financial-contacts/{fc_id}", status_code=204, responses=errors(409))
def remove_contact(
    fc_id: ItemId, request: Request, who: CallerDep, key: OptionalKey = None
) -> Response:
    """Stop sending billing notifications to this contact."""

    def action(conn: sqlite3.Connection) -> tuple[int, object]:
        deleted = conn.execute(
            "DELETE FROM contacts WHERE id = ? AND account_id = ?", (fc_id, who.account_id)
        ).rowcount
        if not deleted:
            raise not_found("financial contact")
        return 204, None

    return mutate(request, who, key, None, action)
