# Generated from authclient/asyncio/_transport.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Sending core requests: hosts and failover, retries, CDI negotiation, deadlines, logging."""

from __future__ import annotations

import logging
import random
import ssl
import time
from collections.abc import Generator, Mapping
from typing import Any, Callable, Optional, Union, cast

import attrs
import httpx

from authclient import __version__
from authclient._compat import Limiter, Lock, call_deadline, sleep
from authclient._protocol import versions
from authclient._protocol.config import MAX_IN_FLIGHT, ClientConfig
from authclient._protocol.hosts import Host, HostHealth
from authclient._protocol.redact import Redactor
from authclient._protocol.retry import attempt_deadline, backoff_delay, should_retry_status
from authclient._protocol.wire import CoreRequest, CoreResponse, parse_response
from authclient._tls import ssl_context_for
from authclient.errors import (
    ClientClosedError,
    CoreTimeoutError,
    CoreUnavailableError,
    ResponseTooLargeError,
)
from authclient.syncio._network import AnswerTooLarge, DeadlineBackend, connection
from authclient.types import RequestInfo

logger = logging.getLogger("authclient.transport")

RequestHook = Callable[[RequestInfo], None]


@attrs.define
class _Connection:
    http: httpx.Client
    backend: Optional[DeadlineBackend]


@attrs.frozen
class _Failure:
    reason: str
    timed_out: bool


@attrs.frozen
class _Answer:
    status_code: int
    headers: Mapping[str, str]
    content: bytes


class _DeadlinePassed(Exception):
    """The attempt's time ran out between two reads of the answer."""


class Transport:
    """Sends ``CoreRequest``s to the core: hosts in order, retries, CDI negotiation.

    Every call has one deadline (``timeout`` after it starts) that bounds all its attempts,
    retries and waits. Connections are pooled per client (one per request in flight, reused),
    or come from the ``http_client`` the user passed.
    """

    def __init__(
        self,
        config: ClientConfig,
        http_client: Optional[httpx.Client] = None,
        on_request: Optional[RequestHook] = None,
    ) -> None:
        self._config = config
        self._user_http = http_client
        # Our own connections: one single-connection httpx client per request in flight, made
        # as needed and reused. httpx's pool, given many concurrent requests, hands one idle
        # connection to several of them and makes the losers spin; a private connection each
        # avoids that, so 50 concurrent callers go at least as fast as one.
        self._idle: list[_Connection] = []
        self._all: list[_Connection] = []
        self._ssl_context: Optional[ssl.SSLContext] = None
        self._on_request = on_request
        self._health = HostHealth(config.hosts)
        self._in_flight = Limiter(MAX_IN_FLIGHT)
        self._cdi_version = config.cdi_version
        self._cdi_lock = Lock()
        self._closed = False
        self._redact = Redactor((config.api_key,) if config.api_key else ())
        self._base_headers = {"user-agent": f"authclient/{__version__}"}
        if config.api_key:
            self._base_headers["api-key"] = config.api_key

    def _checkout(self, deadline: Optional[float]) -> _Connection:
        """A connection for one request; call only while holding ``self._in_flight``."""
        if self._user_http is not None:
            return _Connection(self._user_http, None)
        try:
            chosen = self._idle.pop()
        except IndexError:
            if self._ssl_context is None:
                self._ssl_context = ssl_context_for(self._config.hosts)
            chosen = _Connection(*connection(self._ssl_context))
            self._all.append(chosen)
        if chosen.backend is not None:
            chosen.backend.start(deadline, self._config.max_response_size)
        return chosen

    def _checkin(self, chosen: _Connection) -> None:
        if chosen.http is not self._user_http and not self._closed:
            self._idle.append(chosen)

    def close(self) -> None:
        """Close the connections this transport opened (never a user's ``http_client``)."""
        self._closed = True
        owned, self._all, self._idle = self._all, [], []
        for chosen in owned:
            chosen.http.close()

    def send(self, request: CoreRequest, user_context: dict[str, Any]) -> CoreResponse:
        """Send ``request``; return its 2xx JSON answer or raise an ``AuthClientError``."""
        if self._closed:
            raise ClientClosedError("this client has been closed")
        deadline = self._config.timeouts.deadline(time.monotonic())
        cdi_version = None
        if request.versioned:
            cdi_version = self._negotiated_version(user_context, deadline)
        return self._send(request, user_context, cdi_version, deadline)

    def _negotiated_version(self, user_context: dict[str, Any], deadline: Optional[float]) -> str:
        if self._cdi_version is None:
            with self._cdi_lock:
                if self._cdi_version is None:
                    request = versions.apiversion_request()
                    response = self._send(request, user_context, None, deadline)
                    self._cdi_version = versions.choose_cdi_version(response)
        return self._cdi_version

    def _send(
        self,
        request: CoreRequest,
        user_context: dict[str, Any],
        cdi_version: Optional[str],
        deadline: Optional[float],
    ) -> CoreResponse:
        headers = request.headers(cdi_version, self._base_headers)
        redact = self._redact.with_secrets(request.secrets)
        failures: dict[str, str] = {}
        timeouts: set[str] = set()  # hosts whose last failure was a timeout
        answer: Optional[tuple[Host, _Answer]] = None
        attempt = 0
        while True:
            attempt += 1
            answer = self._first_answer(
                request, headers, user_context, attempt, failures, timeouts, deadline
            )
            if answer is not None and not should_retry_status(answer[1].status_code, request):
                break
            if attempt > self._config.max_retries:
                break
            retry_after = answer[1].headers.get("retry-after") if answer is not None else None
            delay = backoff_delay(attempt, retry_after, uniform=random.uniform, now=time.time())
            if delay is None or _past(deadline, time.monotonic() + delay):
                break
            sleep(delay)
        if answer is None:
            if _past(deadline, time.monotonic()) or timeouts == set(failures):
                raise CoreTimeoutError(
                    method=request.method,
                    path=request.path,
                    host=", ".join(failures),
                    detail=redact("; ".join(failures.values())),
                )
            raise CoreUnavailableError(
                [(host, redact(reason)) for host, reason in failures.items()],
                method=request.method,
                path=request.path,
            )
        host, response = answer
        # A 2xx becomes a CoreResponse; anything else (including a 429/5xx out of retries) raises.
        return parse_response(
            request,
            str(host),
            response.status_code,
            response.content,
            response.headers,
            redact=redact,
            api_key_sent=self._config.api_key is not None,
        )

    def _first_answer(
        self,
        request: CoreRequest,
        headers: dict[str, str],
        user_context: dict[str, Any],
        attempt: int,
        failures: dict[str, str],
        timeouts: set[str],
        deadline: Optional[float],
    ) -> Optional[tuple[Host, _Answer]]:
        """Try the hosts in order until one answers; ``None`` (and ``failures``) if none did."""
        hosts = self._health.order(time.monotonic())
        for index, host in enumerate(hosts):
            now = time.monotonic()
            if _past(deadline, now):
                break
            until = attempt_deadline(now, deadline, len(hosts) - index, request)
            outcome = self._attempt(host, request, headers, user_context, attempt, until)
            if isinstance(outcome, _Answer):
                return host, outcome
            failures[str(host)] = outcome.reason
            (timeouts.add if outcome.timed_out else timeouts.discard)(str(host))
        return None

    def _attempt(
        self,
        host: Host,
        request: CoreRequest,
        headers: dict[str, str],
        user_context: dict[str, Any],
        attempt: int,
        deadline: Optional[float],
    ) -> Union[_Answer, _Failure]:
        """One try on one host: the answer, or why the host could not be reached.

        Raises when the failure must end the call: a request that must not be sent twice
        timed out or went unanswered, or the answer is too large.
        """
        url = host.url(request.path)
        if self._on_request is not None:
            self._on_request(request.info(url, headers, user_context, attempt))
        started = time.perf_counter()
        try:
            with call_deadline(deadline):
                with self._in_flight:
                    answer = self._exchange_once(host, request, url, headers, deadline)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # Not sent: any request may go to the next host.
            return self._failed(host, request, started, attempt, _reason(exc))
        except (httpx.TimeoutException, TimeoutError, _DeadlinePassed) as exc:
            reason = _reason(exc) if isinstance(exc, httpx.TimeoutException) else "ReadTimeout"
            failure = self._failed(host, request, started, attempt, reason, timed_out=True)
            if request.idempotent:
                return failure
            raise CoreTimeoutError(
                method=request.method, path=request.path, host=str(host), detail=failure.reason
            ) from None
        except httpx.HTTPError as exc:
            # Sent but not answered (connection reset, protocol error): the core may have acted,
            # so only an idempotent request may go elsewhere.
            failure = self._failed(host, request, started, attempt, _reason(exc))
            if request.idempotent:
                return failure
            raise CoreUnavailableError(
                [(str(host), failure.reason)],
                method=request.method,
                path=request.path,
            ) from None
        except RuntimeError:
            if self._user_http is not None and self._user_http.is_closed:
                raise ClientClosedError("the http_client passed to this client is closed") from None
            raise
        self._health.succeeded(host)
        self._log(request, host, answer.status_code, started, attempt)
        return answer

    def _exchange_once(
        self,
        host: Host,
        request: CoreRequest,
        url: str,
        headers: dict[str, str],
        deadline: Optional[float],
    ) -> _Answer:
        """One request and its answer, on a connection of our own or the user's http_client."""
        chosen = self._checkout(deadline)
        try:
            return self._exchange(chosen.http, host, request, url, headers, deadline)
        finally:
            self._checkin(chosen)

    def _exchange(
        self,
        http: httpx.Client,
        host: Host,
        request: CoreRequest,
        url: str,
        headers: dict[str, str],
        deadline: Optional[float],
    ) -> _Answer:
        """Send, then read the answer within the size limit and the deadline."""
        limits = self._config.timeouts.for_attempt(time.monotonic(), deadline)
        query = request.query
        if query and not http.params:
            # The query written into the URL: httpx then parses the URL once, where
            # params= parses it a second time to add them.
            url, query = f"{url}?{httpx.QueryParams(query)}", None
        outgoing = http.build_request(
            request.method,
            url,
            params=query,
            content=request.body,
            headers=headers,
            timeout=httpx.Timeout(**limits),
        )
        try:
            response = http.send(outgoing, stream=True)
            try:
                content = _read_within(response, self._config.max_response_size, deadline)
            finally:
                response.close()
        except AnswerTooLarge:
            raise self._too_large(request, host) from None
        if content is None:
            raise self._too_large(request, host)
        return _Answer(response.status_code, response.headers, content)

    def _too_large(self, request: CoreRequest, host: Host) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            method=request.method,
            path=request.path,
            host=str(host),
            limit=self._config.max_response_size,
        )

    def _failed(
        self,
        host: Host,
        request: CoreRequest,
        started: float,
        attempt: int,
        reason: str,
        *,
        timed_out: bool = False,
    ) -> _Failure:
        self._health.failed(host, time.monotonic())
        reason = self._redact.with_secrets(request.secrets)(reason)
        self._log(request, host, reason, started, attempt)
        return _Failure(reason, timed_out)

    def _log(
        self, request: CoreRequest, host: Host, status: object, started: float, attempt: int
    ) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.debug(
                "%s %s -> %s in %.1f ms (attempt %d, host %s)",
                request.method,
                request.path,
                status,
                elapsed_ms,
                attempt,
                host,
            )


def _read_within(
    response: httpx.Response, limit: int, deadline: Optional[float]
) -> Optional[bytes]:
    """The decoded body, or ``None`` once it is past ``limit`` bytes (the rest is never read).

    Our own connections stop a large answer at the socket already (``AnswerTooLarge``); this
    also bounds a user's ``http_client``, and what a compressed answer expands to.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    pieces = cast(Generator[bytes, None, None], response.iter_bytes())
    try:
        for chunk in pieces:
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if _past(deadline, time.monotonic()):
                raise _DeadlinePassed
    finally:
        pieces.close()
    return b"".join(chunks)


def _past(deadline: Optional[float], now: float) -> bool:
    return deadline is not None and now >= deadline


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
