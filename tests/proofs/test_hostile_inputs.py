"""Proof: a catalogue of hostile inputs over every field of every write, and every screen.

The API half reads the sandbox's own OpenAPI document, so a write added
later is covered without editing this file: for each POST/PATCH/PUT/DELETE,
each body field (nested objects too), each path parameter and the
Idempotency-Key header gets every hostile value below, on top of a body that
is otherwise valid. Nothing may answer 5xx, and every refusal has the
contract's error shape. Whole-body attacks (malformed, deeply nested, NaN,
oversized) are tried on each write as well.

The console half plants hostile strings in every text the server sends that
a screen shows, opens every area and the invoice detail, and checks that no
escape sequence, bidi override or card number reaches the terminal.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from mktui.sandbox.app import create_app
from tests.proofs import figures
from tests.sandbox.helpers import T0

HOSTILE_STRINGS = [
    "\ud800",  # a lone surrogate
    "a\udfffb",
    "a\u0000b",  # NUL
    "\x1b[31mred\x1b[0m\x1b]0;PWNED\x07",  # SGR and a terminal title
    "\u202egpj.exe",  # bidi override
    "[bold red]x[/",  # markup
    "",
    "   ",
    "x" * 5_000,
    "4242 4242 4242 4242",  # a card number
    "Robert'); DROP TABLE accounts;--",
    "../../../etc/passwd",
    "${jndi:ldap://x/a}",
    "😀" * 40,
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+01:00",
    "2026-02-30",
    "-0",
    "1e999",
]
HOSTILE_OTHERS: list[Any] = [
    None,
    True,
    -1,
    0,
    2**63,
    10**30,
    -(10**30),
    1.5,
    1e308,
    [],
    {},
    {"$ne": 1},
    ["x"] * 1000,
]
HOSTILE_VALUES = HOSTILE_STRINGS + HOSTILE_OTHERS
RAW_BODIES = [
    b"{",
    b"null",
    b"[]",
    b'"x"',
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b"[" * 5_000 + b"]" * 5_000,
    b'{"a":' * 2_000 + b"1" + b"}" * 2_000,
    b'{"x": "' + b"a" * 70_000 + b'"}',  # over the 64 KiB limit
    b"\xff\xfe\x00",
    b'{"devices": 1, "devices": "x"}',
]
HEADER_VALUES = ["", "x" * 300, "\t", "k\u00e9y", "a b", "%00"]

# Valid bodies for the writes this file knows; others are built from their schema.
KNOWN: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/v1/auth/token"): {"email": "nobody@example.com", "password": "sandbox"},
    ("post", "/v1/auth/refresh"): {"refresh_token": "rt_none"},
    ("post", "/v1/auth/revoke"): {"refresh_token": "rt_none"},
    ("post", "/v1/subscription/preview"): {"devices": 12},
    ("patch", "/v1/subscription"): {"devices": 11, "expected_total": 0},
    ("post", "/v1/payment-methods"): {
        "holder_name": "Ana",
        "number": "4242424242424242",
        "exp_month": 12,
        "exp_year": 2030,
        "cvc": "123",
    },
    ("post", "/v1/financial-contacts"): {"name": "Ana", "email": "ana@example.com"},
    ("post", "/sandbox/clock"): {"now": T0.isoformat()},
}


def _resolve(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        schema = _resolve(options[0], document) if options else schema
    return schema


def _example(schema: dict, document: dict) -> Any:
    schema = _resolve(schema, document)
    kind = schema.get("type")
    if kind == "object":
        return {
            name: _example(prop, document)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if "enum" in schema:
        return schema["enum"][0]
    return {"integer": 1, "number": 1, "boolean": False, "array": []}.get(kind, "x")


def _fields(schema: dict, document: dict, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every property path of a body schema, nested objects included."""
    schema = _resolve(schema, document)
    out = []
    for name, prop in schema.get("properties", {}).items():
        out.append((*prefix, name))
        if _resolve(prop, document).get("type") == "object":
            out += _fields(prop, document, (*prefix, name))
    return out


def _with(body: dict, path: tuple[str, ...], value: Any) -> dict:
    body = json.loads(json.dumps(body))
    target = body
    for part in path[:-1]:
        target = target.setdefault(part, {}) if isinstance(target.get(part), dict) else target
        if not isinstance(target, dict):
            return body
    target[path[-1]] = value
    return body


def _shape_ok(response: httpx.Response) -> bool:
    if response.status_code < 400:
        return True
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return isinstance(error.get("code"), str) and isinstance(error.get("message"), str)


@pytest.fixture
def hostile_app(tmp_path):
    # No rate limit: the catalogue sends thousands of requests with one token.
    return create_app(tmp_path / "hostile.db", now=T0, rate_limit=None)


async def test_hostile_inputs_over_every_field_of_every_write(hostile_app):
    document = hostile_app.openapi()
    tried: Counter[str] = Counter()
    server_errors: list[str] = []
    bad_shapes: list[str] = []
    transport = httpx.ASGITransport(app=hostile_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
        token = (
            await client.post(
                "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "sandbox"}
            )
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        ids = {
            "invoice_id": (await client.get("/v1/invoices?status=past_due", headers=auth)).json()[
                "data"
            ][0]["id"],
            "pm_id": (await client.get("/v1/payment-methods", headers=auth)).json()["data"][1][
                "id"
            ],
            "fc_id": (await client.get("/v1/financial-contacts", headers=auth)).json()["data"][1][
                "id"
            ],
        }

        async def send(method, path, label, *, body=None, content=None, headers=None):
            extra = {"Content-Type": "application/json", **auth, **(headers or {})}
            if content is None and body is not None:
                content = json.dumps(body).encode()
            try:
                r = await client.request(method.upper(), path, content=content, headers=extra)
            except (UnicodeEncodeError, httpx.LocalProtocolError, ValueError):
                return  # not sendable over HTTP at all: nothing to try
            tried[label] += 1
            if r.status_code >= 500:
                server_errors.append(f"{method.upper()} {path} {label}: {r.status_code}")
            elif not _shape_ok(r):
                bad_shapes.append(f"{method.upper()} {path} {label}: {r.text[:80]}")

        for template, item in document["paths"].items():
            for method, operation in item.items():
                if method not in ("post", "patch", "put", "delete"):
                    continue
                params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
                path = template
                for name in params:
                    path = path.replace("{" + name + "}", ids.get(name, "x"))
                schema = (
                    operation.get("requestBody", {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema")
                )
                base = KNOWN.get((method, template))
                if base is None and schema is not None:
                    base = _example(schema, document)
                op = f"{method.upper()} {template}"
                if schema is not None:
                    for field in _fields(schema, document):
                        for value in HOSTILE_VALUES:
                            await send(
                                method,
                                path,
                                f"{op} body.{'.'.join(field)}",
                                body=_with(base, field, value),
                            )
                    for raw in RAW_BODIES:
                        await send(method, path, f"{op} (whole body)", content=raw)
                for name in params:
                    for value in HOSTILE_STRINGS:
                        hostile = template
                        for other in params:
                            segment = (
                                quote(value.encode("utf-8", "surrogatepass"), safe="")
                                if other == name
                                else ids.get(other, "x")
                            )
                            hostile = hostile.replace("{" + other + "}", segment or "%20")
                        await send(method, hostile, f"{op} path.{name}", body=base)
                for value in HEADER_VALUES:
                    await send(
                        method,
                        path,
                        f"{op} header.Idempotency-Key",
                        body=base,
                        headers={"Idempotency-Key": value},
                    )
        # The session itself is refused hostile tokens without a 5xx.
        for value in HEADER_VALUES + ["Bearer \u00e9", "Bearer " + "x" * 5000]:
            try:
                r = await client.get("/v1/account", headers={"Authorization": value})
            except (UnicodeEncodeError, httpx.LocalProtocolError):
                continue
            tried["GET /v1/account header.Authorization"] += 1
            if r.status_code >= 500:
                server_errors.append(f"Authorization {value[:20]!r}: {r.status_code}")

    writes = {label.split(" ", 2)[0] + " " + label.split(" ", 2)[1] for label in tried}
    figures.report(
        f"hostile-input catalogue: {sum(tried.values())} requests over {len(writes)} operations "
        f"and {len(tried)} fields/parameters (min {min(tried.values())} values each); "
        f"5xx {len(server_errors)}; answers outside the error shape {len(bad_shapes)}"
    )
    assert len(writes) >= 9
    assert server_errors == []
    assert bad_shapes == []
