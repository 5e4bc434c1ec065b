"""The billing client's one request path: send, retry, cap, log, map failures.

Every endpoint method of ``BillingClient`` goes through ``ApiHttp.request``:

- GETs are retried with backoff and jitter on connection errors, timeouts,
  429 and 502/503/504; a POST/PATCH/DELETE only when it carries an
  ``Idempotency-Key``, sent again with the same key and the very same bytes.
- Bodies are streamed and capped (``JSON_LIMIT``, ``PDF_LIMIT``): a runaway
  answer is refused, never read whole into memory.
- Redirects are not followed, so the bearer token never travels to a host
  the profile did not name.
- Each attempt is logged as method, path, status and elapsed time only: no
  headers, no query, no body.
- Every failure leaves as an ``ApiError`` built in ``mktui.api.failures``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from mktui.api import failures
from mktui.api.retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after

log = logging.getLogger("mktui.api")

JSON_LIMIT = 2 * 1024 * 1024
"""The largest JSON answer read (2 MiB): a page of 200 invoices is far below it."""
PDF_LIMIT = 20 * 1024 * 1024
"""The largest receipt PDF read (20 MiB)."""

_LIMIT_KEY = "mktui_max_bytes"
M = TypeVar("M", bound=BaseModel)
Sleep = Callable[[float], Awaitable[object]]


class ResponseTooLarge(Exception):
    """An answer grew past the limit set for its request."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"answer larger than {limit} bytes")
        self.limit = limit


class _CappedStream(httpx.AsyncByteStream):
    """Passes chunks through until ``limit`` bytes, then raises ``ResponseTooLarge``."""

    def __init__(self, inner: httpx.AsyncByteStream, limit: int) -> None:
        self._inner = inner
        self._limit = limit

    async def __aiter__(self):  # noqa: ANN204 - an async generator of bytes
        seen = 0
        async for chunk in self._inner:
            seen += len(chunk)
            if seen > self._limit:
                raise ResponseTooLarge(self._limit)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


async def cap_response(response: httpx.Response) -> None:
    """Response hook: bound every body, including the ones httpx reads itself (auth retries)."""
    limit = response.request.extensions.get(_LIMIT_KEY, JSON_LIMIT)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(limit)
    response.stream = _CappedStream(response.stream, limit)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Answer:
    """A 2xx answer, read in full (and within its limit)."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def media_type(self) -> str:
        """The content type without parameters, lower case (``application/json``)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def parse(self, model: type[M]) -> M:
        """The body as ``model``, or an UNEXPECTED ``ApiError`` (never a pydantic traceback)."""
        if self.media_type != "application/json" and not self.media_type.endswith("+json"):
            shown = failures.clean(self.media_type, 40) or "no content type"
            raise failures.unreadable(self.status, f"expected JSON, got {shown}")
        try:
            return model.model_validate_json(self.body)
        except ValidationError as exc:
            raise failures.unreadable(self.status, _shape_problem(exc)) from None


def _shape_problem(exc: ValidationError) -> str:
    # Only locations and error types: the input values could hold anything.
    errors = exc.errors(include_input=False, include_url=False)
    if any(err["type"] in {"json_invalid", "json_type"} for err in errors):
        return "the JSON is malformed or cut short"
    where = ".".join(str(part) for part in errors[0]["loc"]) or "the body"
    return f"{failures.clean(where, 60)} is missing or has the wrong type"


@dataclass(frozen=True)
class _Call:
    """One API request as built once and sent on every attempt.

    Its repr names the method and path only: the body may hold a card number,
    a CVC or a password, and the query or headers an Idempotency-Key.
    """

    method: str
    path: str
    content: bytes | None = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    params: Mapping[str, str | int] | None = field(repr=False)
    authenticated: bool = field(repr=False)
    limit: int = field(repr=False)
    what: str = field(repr=False)
    hide: tuple[str, ...] = field(repr=False, default=())


class ApiHttp:
    """Sends requests for ``BillingClient`` and turns every failure into an ``ApiError``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        policy: RetryPolicy,
        sleep: Sleep,
        secrets: Callable[[], Iterable[str]] = tuple,
    ) -> None:
        """``secrets`` returns the session's current tokens, masked in any server text."""
        self._http = http
        self._policy = policy
        self._sleep = sleep
        self._secrets = secrets
        self._in_flight: dict[tuple[str, str, str, bytes | None], asyncio.Future[Answer]] = {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, object] | None = None,
        params: Mapping[str, str | int] | None = None,
        idempotency_key: str | None = None,
        authenticated: bool = True,
        accept: str = "application/json",
        limit: int = JSON_LIMIT,
        what: str = "that item",
        hide: Iterable[str] = (),
    ) -> Answer:
        """Send one API request (retrying where safe) and return its 2xx answer.

        Raises ``ApiError`` for everything else; ``what`` names the resource in
        a "not found" sentence; ``hide`` lists the secrets this request carries
        (a card number), masked should the server echo them. A second call
        with the same key and body while the first is still running (a double
        press of Pay) waits for the first one's answer instead of sending.
        """
        # Serialised once: every retry sends the same bytes with the same key.
        content = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        headers = {"Accept": accept, "Accept-Encoding": "identity"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        call = _Call(
            method, path, content, headers, params, authenticated, limit, what, tuple(hide)
        )
        if idempotency_key is None:
            return await self._attempts(call, retryable=method == "GET")
        flight = (method, path, idempotency_key, content)
        running = self._in_flight.get(flight)
        if running is None:
            running = asyncio.ensure_future(self._attempts(call, retryable=True))
            self._in_flight[flight] = running
            running.add_done_callback(lambda done: self._landed(flight, done))
        # Shielded: a screen that stops waiting must not cut a payment off mid-flight.
        return await asyncio.shield(running)

    def _landed(
        self, flight: tuple[str, str, str, bytes | None], done: asyncio.Future[Answer]
    ) -> None:
        self._in_flight.pop(flight, None)
        if not done.cancelled():
            done.exception()  # retrieved here so an abandoned failure is not reported as lost

    async def _attempts(self, call: _Call, *, retryable: bool) -> Answer:
        method, path = call.method, call.path
        attempt = 0
        while True:
            started = time.monotonic()
            try:
                response, data = await self._send_once(call)
            except ResponseTooLarge as exc:
                self._log(method, path, "too large", started)
                raise failures.unreadable(None, f"larger than {exc.limit // 1024} KiB") from None
            except httpx.TransportError as exc:
                self._log(method, path, type(exc).__name__, started)
                if retryable and self._policy.can_retry(attempt):
                    await self._sleep(self._policy.backoff(attempt))
                    attempt += 1
                    continue
                raise failures.from_transport(
                    exc, host=self._http.base_url.host, retried_safely=retryable, method=method
                ) from None
            except httpx.HTTPError as exc:  # decoding errors and the like
                self._log(method, path, type(exc).__name__, started)
                raise failures.unreadable(None, type(exc).__name__) from None
            status = response.status_code
            self._log(method, path, status, started)
            if 200 <= status < 300:
                return Answer(status, response.headers, data)
            hide = [*call.hide, *self._secrets()]
            if status not in RETRYABLE_STATUSES:
                raise failures.from_response(response, data, what=call.what, hide=hide)
            wait = parse_retry_after(response.headers.get("retry-after"))
            too_long = wait is not None and wait > self._policy.retry_after_cap
            if retryable and not too_long and self._policy.can_retry(attempt):
                await self._sleep(wait if wait is not None else self._policy.backoff(attempt))
                attempt += 1
                continue
            if status == 429:
                raise failures.rate_limited(wait)
            error = failures.from_response(response, data, what=call.what, hide=hide)
            error.retry_after = wait
            raise error

    async def _send_once(self, call: _Call) -> tuple[httpx.Response, bytes]:
        limit = call.limit
        request = self._http.build_request(
            call.method,
            call.path,
            content=call.content,
            headers=call.headers,
            params=call.params,
            extensions={_LIMIT_KEY: limit},
        )
        response = await self._http.send(
            request,
            auth=httpx.USE_CLIENT_DEFAULT if call.authenticated else None,
            stream=True,
            follow_redirects=False,
        )
        try:
            chunks: list[bytes] = []
            size = 0
            # Counted again after decoding, should a server compress despite identity.
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLarge(limit)
                chunks.append(chunk)
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    @staticmethod
    def _log(method: str, path: str, outcome: int | str, started: float) -> None:
        elapsed_ms = (time.monotonic() - started) * 1000
        log.info("%s %s -> %s in %.0f ms", method, path, outcome, elapsed_ms)


def default_timeout() -> httpx.Timeout:
    """Explicit timeouts: quick to connect, patient enough to read a charge's answer."""
    return httpx.Timeout(connect=5.0, read=30.0, write=15.0, pool=10.0)
