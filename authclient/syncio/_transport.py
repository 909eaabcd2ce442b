# Generated from authclient/asyncio/_transport.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Sending core requests: hosts and failover, retries, CDI negotiation, timeouts, logging."""

from __future__ import annotations

import itertools
import logging
import ssl
import time
from typing import Any, Callable, Optional

import httpx

from authclient import __version__
from authclient._compat import Limiter, Lock, sleep
from authclient._protocol import versions
from authclient._protocol.config import MAX_IN_FLIGHT, ClientConfig, Host, HostHealth
from authclient._protocol.wire import (
    CoreRequest,
    CoreResponse,
    backoff_delay,
    parse_response,
    should_retry_status,
)
from authclient.errors import (
    ClientClosedError,
    CoreTimeoutError,
    CoreUnavailableError,
)
from authclient.types import RequestInfo

logger = logging.getLogger("authclient.transport")

RequestHook = Callable[[RequestInfo], None]


class Transport:
    """Sends ``CoreRequest``s to the core: hosts in order, retries, CDI negotiation.

    Connections are pooled per client (one per request in flight, reused), or come from the
    ``http_client`` the user passed.
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
        self._idle_http: list[httpx.Client] = []
        self._all_http: list[httpx.Client] = []
        self._ssl_context: Optional[ssl.SSLContext] = None
        self._on_request = on_request
        self._health = HostHealth(config.hosts)
        self._in_flight = Limiter(MAX_IN_FLIGHT)
        self._cdi_version = config.cdi_version
        self._cdi_lock = Lock()
        self._closed = False
        self._secrets = (config.api_key,) if config.api_key else ()
        self._base_headers = {"user-agent": f"authclient/{__version__}"}
        if config.api_key:
            self._base_headers["api-key"] = config.api_key

    def _checkout(self) -> httpx.Client:
        """An httpx client for one request; call only while holding ``self._in_flight``."""
        if self._user_http is not None:
            return self._user_http
        try:
            return self._idle_http.pop()
        except IndexError:
            pass
        if self._ssl_context is None:
            self._ssl_context = httpx.create_ssl_context()
        http = httpx.Client(verify=self._ssl_context, limits=httpx.Limits(max_connections=1))
        self._all_http.append(http)
        return http

    def _checkin(self, http: httpx.Client) -> None:
        if http is not self._user_http and not self._closed:
            self._idle_http.append(http)

    def close(self) -> None:
        """Close the connections this transport opened (never a user's ``http_client``)."""
        self._closed = True
        owned, self._all_http, self._idle_http = self._all_http, [], []
        for http in owned:
            http.close()

    def send(self, request: CoreRequest, user_context: dict[str, Any]) -> CoreResponse:
        """Send ``request``; return its 2xx JSON answer or raise an ``AuthClientError``."""
        if self._closed:
            raise ClientClosedError("this client has been closed")
        cdi_version = self._negotiated_version() if request.versioned else None
        return self._send(request, user_context, cdi_version)

    def _negotiated_version(self) -> str:
        if self._cdi_version is None:
            with self._cdi_lock:
                if self._cdi_version is None:
                    response = self._send(versions.apiversion_request(), {}, None)
                    self._cdi_version = versions.choose_cdi_version(response)
        return self._cdi_version

    def _send(
        self, request: CoreRequest, user_context: dict[str, Any], cdi_version: Optional[str]
    ) -> CoreResponse:
        headers = request.headers(cdi_version, self._base_headers)
        failures: dict[str, str] = {}
        answer: Optional[tuple[str, httpx.Response]] = None
        for attempt in itertools.count(1):
            answer = self._first_answer(request, headers, user_context, attempt, failures)
            if answer is not None and not should_retry_status(answer[1].status_code, request):
                break
            retry_after = answer[1].headers.get("retry-after") if answer is not None else None
            if attempt > self._config.max_retries:
                break
            delay = backoff_delay(attempt, retry_after)
            if delay is None:
                break
            sleep(delay)
        if answer is None:
            raise CoreUnavailableError(
                list(failures.items()), method=request.method, path=request.path
            )
        host, response = answer
        # A 2xx becomes a CoreResponse; anything else (including a 429/5xx out of retries) raises.
        return parse_response(
            request, host, response.status_code, response.content, self._secrets, response.headers
        )

    def _first_answer(
        self,
        request: CoreRequest,
        headers: dict[str, str],
        user_context: dict[str, Any],
        attempt: int,
        failures: dict[str, str],
    ) -> Optional[tuple[str, httpx.Response]]:
        """Try the hosts in order until one answers; ``None`` (and ``failures``) if none did."""
        for host in self._health.order(time.monotonic()):
            outcome = self._attempt(host, request, headers, user_context, attempt)
            if isinstance(outcome, str):
                failures[str(host)] = outcome
            else:
                return str(host), outcome
        return None

    def _attempt(
        self,
        host: Host,
        request: CoreRequest,
        headers: dict[str, str],
        user_context: dict[str, Any],
        attempt: int,
    ) -> httpx.Response | str:
        """One try on one host: the response, or why the host could not be reached."""
        url = host.url(request.path)
        if self._on_request is not None:
            self._on_request(request.info(url, headers, user_context, attempt))
        started = time.perf_counter()
        try:
            with self._in_flight:
                http = self._checkout()
                try:
                    response = http.request(
                        request.method,
                        url,
                        params=request.query,
                        content=request.body,
                        headers=headers,
                        timeout=self._config.timeout,
                    )
                finally:
                    self._checkin(http)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            self._health.failed(host, time.monotonic())
            self._log(request, host, "connect failed", started, attempt)
            return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except httpx.TimeoutException as exc:
            self._log(request, host, "timed out", started, attempt)
            raise CoreTimeoutError(
                method=request.method, path=request.path, host=str(host), detail=type(exc).__name__
            ) from exc
        except httpx.HTTPError as exc:
            # Sent but not answered (connection reset, protocol error): the core may have acted,
            # so only an idempotent request may go elsewhere.
            self._log(request, host, type(exc).__name__, started, attempt)
            if request.idempotent:
                return f"{type(exc).__name__}: {exc}"
            raise CoreUnavailableError(
                [(str(host), f"{type(exc).__name__}: {exc}")],
                method=request.method,
                path=request.path,
            ) from exc
        self._health.succeeded(host)
        self._log(request, host, response.status_code, started, attempt)
        return response

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
