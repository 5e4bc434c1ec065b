"""Property-based: schemathesis sends generated requests to every operation in-process.

Bounded (a few examples per operation); every answer must be declared in the
OpenAPI document, match its schema, and never be a 5xx.

The schema is loaded when the module is collected, so each operation is a test
of its own (``test_api_conforms_to_its_schema[GET /v1/invoices]``…) that
pytest-xdist can run on any worker, instead of one test running the 32
operations one after the other (~80 s on one worker). Each test still gets a
fresh seeded sandbox: :class:`_TheTestsSandbox` is the ASGI app schemathesis
calls, and it forwards to the sandbox of the test that runs.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from mktui.sandbox import auth
from mktui.sandbox.app import create_app


class _TheTestsSandbox:
    """An ASGI app that forwards to the sandbox of the running test (set by ``sandbox_app``)."""

    app = None

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


_sandbox = _TheTestsSandbox()
with tempfile.TemporaryDirectory() as _folder:
    # The document is the app's own /openapi.json (the sandbox's routes do not depend on its data).
    _sandbox.app = create_app(Path(_folder) / "schema.db")
    schema = schemathesis.openapi.from_asgi("/openapi.json", _sandbox)
    _sandbox.app = None


@pytest.fixture
def sandbox_app(db_path):
    # No rate limit: hundreds of requests a second are the point here.
    _sandbox.app = create_app(db_path, rate_limit=None)
    yield _sandbox.app
    _sandbox.app = None


@pytest.fixture
def bearer(sandbox_app) -> dict[str, str]:
    store = sandbox_app.state.store
    with store.write() as conn:
        account_id = conn.execute(
            "SELECT id FROM accounts WHERE email = 'demo@mkcontroller.test'"
        ).fetchone()[0]
        tokens = auth.issue_tokens(conn, account_id, wall=time.time(), ttl=3600)
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, bearer):
    # A schema-valid request may still be refused for its meaning (a Luhn-invalid card, a clock
    # moved back, an unknown id): those 4xx are the contract, so "positive data acceptance" is off.
    case.call_and_validate(
        headers=_bearer_unless_it_mends(case, bearer), excluded_checks=[positive_data_acceptance]
    )


def _bearer_unless_it_mends(case, bearer: dict[str, str]) -> dict[str, str] | None:
    """The bearer to send, unless it would turn a request invalid on purpose into a valid one.

    Schemathesis judges a negative case by the headers it generated, not by those the test adds:
    a case whose only invalid header is a missing or malformed ``Authorization`` would reach the
    sandbox signed in, be answered 200, and be reported as "schema-violating request accepted".
    Such a case goes out as generated, and the sandbox must refuse it (401).
    """
    headers = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if headers is None or not headers.mode.is_negative:
        return bearer
    declared = case.operation.get_parameter_set(ParameterLocation.HEADER)
    signed_in = {name: str(value) for name, value in {**(case.headers or {}), **bearer}.items()}
    return None if declared.get_strict_validator().is_valid(signed_in) else bearer
