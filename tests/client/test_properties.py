"""Whatever a server sends, the client answers with a model or an ApiError, never a traceback."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mktui.api import failures
from mktui.api.errors import ApiError
from mktui.api.http import Answer
from mktui.api.models import Account, InvoicePage

from .conftest import ACCOUNT, CARD

json_ish = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
bodies = st.binary(max_size=300) | json_ish.map(lambda v: httpx.Response(200, json=v).content)
error_bodies = st.builds(
    lambda code, message, field: (
        httpx.Response(
            400, json={"error": {"code": code, "message": message, "field": field}}
        ).content
    ),
    st.text(max_size=30),
    st.text(max_size=200) | st.just(f"card {CARD} refused"),
    st.none() | st.text(max_size=20),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.integers(300, 599),
    body=bodies | error_bodies,
    location=st.binary(max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b)
    | st.sampled_from(
        [b"https://[::1", b"http://a b/", b"//evil.example/x", b"https://evil.example:99999/"]
    ),
)
def test_any_failure_status_and_body_is_an_api_error_with_a_sentence(status, body, location):
    request = httpx.Request("GET", "https://billing.test/v1/account")
    headers = [(b"location", location)]
    response = httpx.Response(status, content=body, headers=headers, request=request)
    error = failures.from_response(response, body, what="the account")
    assert isinstance(error, ApiError)
    assert error.message and not error.message[0].islower()
    assert error.message.endswith((".", "?", "…"))
    assert CARD not in error.message
    assert error.message.isprintable()


@settings(max_examples=300)
@given(body=bodies, content_type=st.sampled_from(["application/json", "text/html", ""]))
def test_any_2xx_body_parses_or_is_an_api_error(body, content_type):
    answer = Answer(200, httpx.Headers({"content-type": content_type}), body)
    for model in (Account, InvoicePage):
        try:
            answer.parse(model)
        except ApiError as error:
            assert error.__cause__ is None
            assert error.message.endswith(".")


header_junk = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    st.sampled_from(["0", "2", "31", "99999999999999999999", "Thu, 01 Jan 1970 00:00:00 GMT"]),
    st.sampled_from(["Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 32 Foo 2026 25:61:61 GMT", "-1"]),
)


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(
                [200, 201, 204, 301, 400, 401, 402, 404, 409, 422, 429, 500, 502, 503, 504]
            ),
            st.just(httpx.Response(200, json=ACCOUNT).content) | bodies | error_bodies,
            st.sampled_from(["application/json", "text/html", "application/problem+json", ""]),
            header_junk,
        ),
        # Enough for the longest path: 3 attempts × (401, refresh, repeat).
        min_size=9,
        max_size=9,
    )
)
async def test_the_client_never_raises_anything_but_api_error(steps):
    from mktui.api.auth import TokenHolder
    from mktui.api.client import BillingClient
    from mktui.api.retry import RetryPolicy

    script = list(steps)

    def server(request: httpx.Request) -> httpx.Response:
        status, body, content_type, retry_after = script.pop(0)
        headers = {"content-type": content_type, "retry-after": retry_after}
        return httpx.Response(status, content=body, headers=headers)

    async def no_sleep(seconds: float) -> None:
        assert 0 <= seconds <= 30

    async with BillingClient(
        "https://billing.test",
        transport=httpx.MockTransport(server),
        tokens=TokenHolder("a", "r"),
        sleep=no_sleep,
        retry_policy=RetryPolicy(max_retries=2),
    ) as client:
        try:
            account = await client.account()
        except ApiError as error:
            assert error.message.endswith((".", "?", "…"))
        else:
            assert account.id == ACCOUNT["id"]
