"""Defects found by attacking the sandbox (issue 11), each pinned by a test.

No 500 for hostile input (and the keep-alive connection survives), the
sign-in limit per account, the whole-card attach fingerprint, card numbers
refused in names, a private data folder and database, the /sandbox guard.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from urllib.parse import urlsplit

import httpx
import pytest

from mktui.sandbox.app import create_app
from mktui.sandbox.signin_limit import FREE_FAILURES
from mktui.sandbox.store import Store
from tests.sandbox.helpers import assert_error, key

HOSTILE_BODIES = [
    # (path, raw JSON body, field named)
    ("/v1/auth/refresh", '{"refresh_token": "\\ud800"}', "refresh_token"),
    ("/v1/auth/token", '{"email": "demo@mkcontroller.test", "password": "\\udfff"}', "password"),
    ("/v1/financial-contacts", '{"name": "Ana", "email": "a\\ud800@example.com"}', "email"),
    ("/v1/financial-contacts", '{"name": "A\\u0000na", "email": "ana@example.com"}', "name"),
    ("/sandbox/clock", '{"now": "9999-12-31T23:59:59-14:00"}', "now"),
    ("/sandbox/clock", '{"now": "0001-01-01T00:00:00+01:00"}', "now"),
]


def _raw_exchange(base: str, requests: list[bytes]) -> list[bytes]:
    """Send ``requests`` one after another on ONE TCP connection; the raw answers."""
    url = urlsplit(base)
    answers = []
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        reader = sock.makefile("rb")
        for request in requests:
            sock.sendall(request)
            status = reader.readline()
            headers = {}
            while (line := reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = reader.read(int(headers.get("content-length", "0")))
            answers.append(status + body)
            if headers.get("connection", "").lower() == "close":
                break
    return answers


def _post(path: str, body: str, token: str | None = None) -> bytes:
    raw = body.encode()
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST {path} HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n{auth}"
        f"Idempotency-Key: k-{os.urandom(4).hex()}\r\nContent-Length: {len(raw)}\r\n\r\n"
    ).encode() + raw


@pytest.mark.parametrize(("path", "body", "field"), HOSTILE_BODIES)
async def test_hostile_input_is_a_4xx_naming_the_field(client, demo, path, body, field):
    headers = {**demo, **key(), "Content-Type": "application/json"}
    r = await client.post(path, headers=headers, content=body.encode())
    assert_error(r, 422, "validation_error", field)


def test_hostile_input_keeps_the_connection_usable(live_server):
    """The four 500s of the report dropped the keep-alive connection; now each is a 422."""
    token = httpx.post(
        f"{live_server}/v1/auth/token",
        json={"email": "demo@mkcontroller.test", "password": "sandbox"},
    ).json()["access_token"]
    requests = [_post(path, body, token) for path, body, _ in HOSTILE_BODIES]
    requests.append(b"GET /sandbox/clock HTTP/1.1\r\nHost: sandbox\r\n\r\n")
    answers = _raw_exchange(live_server, requests)
    assert len(answers) == len(requests)  # every answer came on the one connection
    statuses = [answer.split(b" ", 2)[1] for answer in answers]
    assert statuses == [b"422"] * len(HOSTILE_BODIES) + [b"200"]


async def test_an_unknown_field_named_with_a_surrogate_is_a_422(client, demo):
    r = await client.post(
        "/v1/financial-contacts",
        headers={**demo, "Content-Type": "application/json"},
        content=b'{"name": "Ana", "email": "ana@example.com", "\\ud800": 1}',
    )
    assert r.status_code == 422
    json.dumps(r.json(), ensure_ascii=False).encode()  # encodable: no surrogate came back


# ---------------------------------------------------------------- sign-in limits
async def test_wrong_passwords_for_one_account_back_off_with_retry_after(db_path):
    wall = [1_000_000.0]
    app = create_app(db_path, wall_clock=lambda: wall[0])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:

        async def attempt(password: str, email: str = "demo@mkcontroller.test") -> httpx.Response:
            return await client.post("/v1/auth/token", json={"email": email, "password": password})

        for _ in range(FREE_FAILURES):
            assert_error(await attempt("wrong"), 401, "unauthenticated")
        r = await attempt("sandbox")  # even the right password waits its turn
        assert_error(r, 429, "rate_limited")
        first_wait = int(r.headers["retry-after"])
        assert first_wait >= 1
        # Other accounts are not slowed down by it.
        assert (await attempt("sandbox", "annual@mkcontroller.test")).status_code == 200
        wall[0] += first_wait
        assert_error(await attempt("wrong"), 401, "unauthenticated")
        r = await attempt("wrong")
        assert_error(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) > first_wait  # the backoff grows
        wall[0] += int(r.headers["retry-after"])
        assert (await attempt("sandbox")).status_code == 200  # and a success resets it
        assert_error(await attempt("wrong"), 401, "unauthenticated")


# ---------------------------------------------------------------- the attach fingerprint
def _card(number: str, cvc: str = "123", exp_year: int = 2030) -> dict:
    return {
        "holder_name": "Test Holder",
        "number": number,
        "exp_month": 12,
        "exp_year": exp_year,
        "cvc": cvc,
    }


def _luhn_twin(number: str) -> str:
    """Another Luhn-valid number with the same last four digits."""
    from stdnum import luhn

    for first in "5432":
        for middle in range(100):
            candidate = f"{first}{middle:02d}" + number[3:]
            if candidate != number and luhn.is_valid(candidate):
                return candidate
    raise AssertionError("no twin")


@pytest.mark.parametrize(
    "other",
    [
        _card(_luhn_twin("4242424242424242")),
        _card("4242424242424242", cvc="999"),
        _card("4242424242424242", exp_year=2031),
    ],
    ids=["another number, same last four", "another CVC", "another expiry"],
)
async def test_a_key_reused_for_another_card_is_a_conflict_not_a_replay(client, demo, other):
    headers = {**demo, **key()}
    first = await client.post(
        "/v1/payment-methods", headers=headers, json=_card("4242424242424242")
    )
    assert first.status_code == 200, first.text
    again = await client.post("/v1/payment-methods", headers=headers, json=other)
    assert_error(again, 409, "idempotency_conflict", "Idempotency-Key")
    same = await client.post("/v1/payment-methods", headers=headers, json=_card("4242424242424242"))
    assert same.json() == first.json()
    assert same.headers.get("idempotent-replayed") == "true"


async def test_the_fingerprint_holds_no_plain_digest_of_the_number(client, demo, store):
    import hashlib

    number = "4242424242424242"
    r = await client.post("/v1/payment-methods", headers={**demo, **key()}, json=_card(number))
    assert r.status_code == 200
    with store.read() as conn:
        rows = [dict(r) for r in conn.execute("SELECT fingerprint, body FROM idempotency")]
    text = json.dumps(rows)
    assert number not in text
    assert hashlib.sha256(number.encode()).hexdigest() not in text


# ---------------------------------------------------------------- card numbers in names
CARD_IN_TEXT = ["4242424242424242", "4242 4242 4242 4242", "Ana 5555-5555-5555-4444 Silva"]


@pytest.mark.parametrize("text", CARD_IN_TEXT)
async def test_a_card_number_as_holder_name_is_refused(client, demo, store, text):
    counts = store.counts()
    body = _card("4242424242424242") | {"holder_name": text}
    r = await client.post("/v1/payment-methods", headers=demo, json=body)
    assert_error(r, 422, "validation_error", "holder_name")
    assert "card number" in r.json()["error"]["message"]
    assert "4242424242" not in r.text.replace(" ", "")
    assert store.counts() == counts


@pytest.mark.parametrize("text", CARD_IN_TEXT)
async def test_a_card_number_as_contact_name_is_refused(client, demo, store, text):
    counts = store.counts()
    r = await client.post(
        "/v1/financial-contacts", headers=demo, json={"name": text, "email": "x@example.com"}
    )
    assert_error(r, 422, "validation_error", "name")
    assert store.counts() == counts


@pytest.mark.parametrize("name", ["Filial 1234567890", "ACME 2026", "Rua 12, nº 3456789"])
async def test_names_with_ordinary_numbers_are_kept(client, demo, name):
    r = await client.post(
        "/v1/financial-contacts", headers=demo, json={"name": name, "email": "n@example.com"}
    )
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------- files
def test_a_new_data_folder_is_0700_and_the_database_0600(tmp_path):
    old = os.umask(0o022)
    try:
        Store(tmp_path / "data" / "mktui" / "sandbox.db")
    finally:
        os.umask(old)
    for folder in (tmp_path / "data", tmp_path / "data" / "mktui"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for path in (tmp_path / "data" / "mktui").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_existing_database_is_made_0600_and_its_folder_left_alone(tmp_path):
    db = tmp_path / "sandbox.db"
    db.touch(mode=0o644)
    os.chmod(db, 0o644)
    os.chmod(tmp_path, 0o755)
    Store(db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


# ---------------------------------------------------------------- the public sandbox's guard
async def test_a_public_sandbox_guards_the_clock_with_its_token(db_path):
    app = create_app(db_path, sandbox_token="s3cret-token")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        future = {"now": "2030-01-01T00:00:00+00:00"}
        assert_error(
            await client.post("/sandbox/clock", json=future),
            401,
            "unauthenticated",
            "X-Sandbox-Token",
        )
        r = await client.get("/sandbox/clock", headers={"X-Sandbox-Token": "wrong"})
        assert_error(r, 401, "unauthenticated", "X-Sandbox-Token")
        r = await client.get("/sandbox/clock", headers={"X-Sandbox-Token": "s3cret-token"})
        assert r.status_code == 200
        # /v1 is unaffected: the API itself needs its bearer tokens as always.
        r = await client.post(
            "/v1/auth/token", json={"email": "demo@mkcontroller.test", "password": "sandbox"}
        )
        assert r.status_code == 200
