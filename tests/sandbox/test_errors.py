"""One error shape everywhere: malformed JSON, wrong types, huge bodies, unknown routes, crashes."""

from __future__ import annotations

import httpx

from tests.sandbox.helpers import assert_error, key


async def test_malformed_json_is_400(client, new, store):
    before = store.counts()
    for raw in (b"{", b'{"devices": }', b"\xff\xfe", b"[1,"):
        r = await client.post(
            "/v1/subscription/preview",
            headers={**new, "Content-Type": "application/json"},
            content=raw,
        )
        assert_error(r, 400, "malformed")
    r = await client.post(
        "/v1/auth/token", headers={"Content-Type": "application/json"}, content=b"{nope"
    )
    assert_error(r, 400, "malformed")
    assert store.counts() == before


async def test_bodies_that_are_not_objects_are_422(client, new):
    for body in ([1, 2], "devices", 5, None):
        r = await client.post("/v1/financial-contacts", headers=new, json=body)
        assert_error(r, 422, "validation_error", None)
    r = await client.post(
        "/v1/financial-contacts",
        headers={**new, "Content-Type": "text/plain"},
        content=b'{"name": "x", "email": "x@example.com"}',
    )
    assert_error(r, 422, "validation_error", None)


async def test_wrong_types_name_the_field(client, new, store):
    before = store.counts()
    cases = [
        (
            "/v1/subscription/preview",
            {"devices": True, "currency": "BRL", "plan": "monthly"},
            "devices",
        ),
        (
            "/v1/subscription/preview",
            {"devices": 1.5, "currency": "BRL", "plan": "monthly"},
            "devices",
        ),
        (
            "/v1/subscription/preview",
            {"devices": 2, "currency": "BRL", "plan": "monthly", "at": "tomorrow"},
            "at",
        ),
        (
            "/v1/payment-methods",
            {
                "holder_name": "A",
                "number": 4242424242424242,
                "exp_month": 1,
                "exp_year": 2030,
                "cvc": "123",
            },
            "number",
        ),
        ("/v1/auth/token", {"email": "demo@mkcontroller.test"}, "password"),
    ]
    for path, body, field in cases:
        assert_error(
            await client.post(path, headers=new, json=body), 422, "validation_error", field
        )
    assert store.counts() == before


async def test_messages_never_echo_the_input(client, new):
    r = await client.post(
        "/v1/payment-methods",
        headers=new,
        json={
            "holder_name": "A",
            "number": "4242424242424242",
            "exp_month": 1,
            "exp_year": 2030,
            "cvc": "1234567",
        },
    )
    assert_error(r, 422, "validation_error", "cvc")
    assert "1234567" not in r.text and "4242424242424242" not in r.text


async def test_bodies_over_64_kib_are_413_by_length_and_while_streaming(client, new, store):
    before = store.counts()
    big = b'{"name": "' + b"x" * (65 * 1024) + b'", "email": "a@example.com"}'
    r = await client.post(
        "/v1/financial-contacts", headers={**new, "Content-Type": "application/json"}, content=big
    )
    assert_error(r, 413, "payload_too_large")

    async def chunks():
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    r = await client.post(
        "/v1/financial-contacts",
        headers={**new, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert "content-length" not in r.request.headers
    assert_error(r, 413, "payload_too_large")
    r = await client.post("/v1/auth/token", json={"email": "x" * 70_000, "password": "p"})
    assert_error(r, 413, "payload_too_large")
    assert store.counts() == before
    ok = await client.post(
        "/v1/financial-contacts", headers=new, json={"name": "x" * 100, "email": "a@example.com"}
    )
    assert ok.status_code == 200


async def test_unknown_routes_and_methods_use_the_error_shape(client, new):
    assert_error(await client.get("/v1/nothing-here", headers=new), 404, "not_found")
    assert_error(await client.get("/", headers=new), 404, "not_found")
    r = await client.put("/v1/account", headers=new)
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["Allow"] == "GET, PATCH"
    # GET /v1/subscription and its POST and PATCH are in different routers.
    r = await client.delete("/v1/subscription", headers=new)
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["Allow"] == "GET, PATCH, POST"


async def test_a_crash_is_500_without_internals(app, new, monkeypatch):
    from mktui.sandbox import billing

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail /var/db/sandbox.db")

    monkeypatch.setattr(billing, "preview", boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.post("/v1/subscription/preview", headers=new, json={"devices": 1})
    assert_error(r, 500, "internal_error")
    assert "secret" not in r.text and "Traceback" not in r.text


async def test_idempotency_key_is_honoured_on_contacts(client, new):
    headers = {**new, **key()}
    body = {"name": "Rita", "email": "rita@example.com"}
    first = await client.post("/v1/financial-contacts", headers=headers, json=body)
    second = await client.post("/v1/financial-contacts", headers=headers, json=body)
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    fc = first.json()["id"]
    delete_headers = {**new, **key()}
    assert (
        await client.delete(f"/v1/financial-contacts/{fc}", headers=delete_headers)
    ).status_code == 204
    assert (
        await client.delete(f"/v1/financial-contacts/{fc}", headers=delete_headers)
    ).status_code == 204


async def test_unknown_query_parameters_are_refused(client, demo):
    r = await client.get("/v1/invoices?stauts=paid", headers=demo)
    assert_error(r, 422, "validation_error", "stauts")
    assert (await client.get("/v1/invoices?status=paid&limit=2", headers=demo)).status_code == 200
    assert_error(await client.get("/v1/account?x=1", headers=demo), 422, "validation_error", "x")
