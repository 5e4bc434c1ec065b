"""Property-based: schemathesis sends generated requests to every operation in-process.

Bounded (a few examples per operation); every answer must be declared in the
OpenAPI document, match its schema, and never be a 5xx.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from mktui.sandbox import auth
from mktui.sandbox.app import create_app


@pytest.fixture
def sandbox_app(db_path):
    return create_app(db_path, rate_limit=None)  # hundreds of requests a second are the point here


@pytest.fixture
def api_schema(sandbox_app):
    return schemathesis.openapi.from_asgi("/openapi.json", sandbox_app)


@pytest.fixture
def bearer(sandbox_app) -> dict[str, str]:
    store = sandbox_app.state.store
    with store.write() as conn:
        account_id = conn.execute(
            "SELECT id FROM accounts WHERE email = 'demo@mkcontroller.test'"
        ).fetchone()[0]
        tokens = auth.issue_tokens(conn, account_id, wall=time.time(), ttl=3600)
    return {"Authorization": f"Bearer {tokens['access_token']}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, bearer):
    # A schema-valid request may still be refused for its meaning (a Luhn-invalid card, a clock
    # moved back, an unknown id): those 4xx are the contract, so "positive data acceptance" is off.
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
