"""Where the client agrees to send a token: https, or plain http only to this machine."""

from __future__ import annotations

import httpx
import pytest

from mktui.api.client import BillingClient
from mktui.api.errors import ApiError, ErrorKind, InvalidBaseUrl

from .conftest import ACCOUNT, Script, json_response


@pytest.mark.parametrize(
    "url",
    [
        "http://billing.example.com",
        "http://10.0.0.1:8000",
        "http://192.168.88.1",
        "http://localhost.evil.example",
        "http://[2001:db8::1]/",
    ],
)
async def test_plain_http_to_another_host_is_refused(url):
    with pytest.raises(InvalidBaseUrl) as caught:
        BillingClient(url)
    exc = caught.value
    assert isinstance(exc, ApiError) and isinstance(exc, ValueError)
    assert exc.kind is ErrorKind.VALIDATION
    assert exc.field == "api_url"
    assert "unencrypted" in exc.message and "https://" in exc.message


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8765", "http://127.9.9.9", "http://[::1]:8765", "http://localhost:8765"],
)
async def test_plain_http_to_this_machine_is_allowed(url):
    async with BillingClient(url) as client:
        assert client.base_url.startswith("http://")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://billing.example.com", "must start with https://"),
        ("https://", "must start with https://"),
        ("billing.example.com", "must start with https://"),
        ("https://admin:hunter2@billing.example.com", "must not contain a user name or password"),
    ],
)
async def test_unusable_urls_are_refused_with_a_sentence(url, words):
    with pytest.raises(InvalidBaseUrl) as caught:
        BillingClient(url)
    assert words in caught.value.message
    assert "hunter2" not in caught.value.message


async def test_insecure_http_needs_an_in_process_transport():
    with pytest.raises(InvalidBaseUrl):
        BillingClient("http://sandbox.local", allow_insecure_http=True)
    transport = httpx.MockTransport(lambda r: json_response(ACCOUNT))
    async with BillingClient(
        "http://sandbox.local", transport=transport, allow_insecure_http=True
    ) as client:
        assert (await client.account()).id == "acct_1"


async def test_a_base_path_is_kept(make_client):
    script = Script([json_response(ACCOUNT)])
    transport = script.transport
    async with BillingClient("https://api.example.com/billing", transport=transport) as client:
        await client.account()
    assert script.requests[0].url == "https://api.example.com/billing/v1/account"


def test_plain_http_to_this_machine_loads_no_trust_store_and_trusts_no_certificate():
    import ssl

    from mktui.api.client import _tls_for

    context = _tls_for(httpx.URL("http://127.0.0.1:8000"))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() == []  # nothing trusted: a TLS answer could never pass
    assert _tls_for(httpx.URL("https://billing.example.com")) is True  # the system's store
