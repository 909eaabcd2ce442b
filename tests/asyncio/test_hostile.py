"""The client against a core that misbehaves: every call bounded, failover, size limits, secrets."""

from __future__ import annotations

import logging
import tracemalloc

import httpx
import pytest

from authclient._compat import ASYNC
from authclient.asyncio import AsyncClient, RequestInfo
from authclient.errors import (
    ClientClosedError,
    CoreResponseError,
    CoreTimeoutError,
    CoreUnavailableError,
    ResponseTooLargeError,
)
from tests.hostile import HostileCore, hostile_cores, refused_url

if ASYNC:
    # On asyncio each test runs on httpx and on aiohttp connections (the ``aiohttp`` extra).
    pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("own_connections")]

API_KEY = "an-api-key-of-twenty-chars"
REFRESH_TOKEN = "a-refresh-token.that-is-secret/with+odd=chars"


async def test_a_core_that_trickles_headers_cannot_hold_a_call() -> None:
    """Headers sent one byte at a time: the call ends at its timeout, not when the core is done."""
    with HostileCore("trickle-headers") as core:
        async with AsyncClient(core.url, cdi_version="5.4", timeout=1.0) as client:
            with pytest.raises(CoreTimeoutError):
                await client.get_user_metadata("alice")


async def test_a_core_that_trickles_the_body_cannot_hold_a_call() -> None:
    """A body sent one byte at a time: the call ends at its timeout."""
    with HostileCore("trickle-body") as core:
        async with AsyncClient(core.url, cdi_version="5.4", timeout=1.0) as client:
            with pytest.raises(CoreTimeoutError):
                await client.get_user_metadata("alice")


async def test_the_deadline_covers_retries_and_hosts() -> None:
    """Two hung hosts and retries: still one CoreTimeoutError, within the one timeout."""
    with hostile_cores("hung", "hung") as (first, second):
        uri = f"{first.url};{second.url}"
        async with AsyncClient(uri, cdi_version="5.4", timeout=1.0, max_retries=5) as client:
            with pytest.raises(CoreTimeoutError):
                await client.get_user_metadata("alice")


async def test_failover_passes_a_hung_host() -> None:
    """refused;hung;healthy: the call succeeds, and later calls go to the healthy host first."""
    with hostile_cores("hung", "ok") as (hung, healthy):
        seen: list[str] = []

        def record(info: RequestInfo) -> None:
            seen.append(info.url.split("/recipe")[0])

        uri = f"{refused_url()};{hung.url};{healthy.url}"
        async with AsyncClient(uri, cdi_version="5.4", timeout=2.0, on_request=record) as client:
            first = await client.get_user_metadata("alice")
            assert first.metadata == {"from": "hostile"}
            assert seen[-1] == healthy.url
            seen.clear()
            for _ in range(5):
                await client.get_user_metadata("alice")
        assert seen == [healthy.url] * 5


async def test_a_connection_the_core_closed_while_idle_is_not_used_again() -> None:
    """The core hangs up after each keep-alive answer: every later call opens a new
    connection and succeeds, with no retry to hide a failed send."""
    with HostileCore("close-after-answer") as core:
        async with AsyncClient(core.url, cdi_version="5.4", max_retries=0) as client:
            for _ in range(3):
                assert (await client.get_user_metadata("alice")).metadata == {"from": "hostile"}
                assert core.closed.acquire(timeout=5)  # the core has hung up before the next
        assert len(core.requests) == 3


async def test_a_create_is_never_sent_twice_after_a_timeout() -> None:
    """A POST that went unanswered is not repeated on the next host: the core may have acted."""
    with hostile_cores("hung", "ok") as (hung, healthy):
        uri = f"{hung.url};{healthy.url}"
        async with AsyncClient(uri, cdi_version="5.4", timeout=1.0) as client:
            with pytest.raises(CoreTimeoutError):
                await client.create_new_session("alice")
        assert len(hung.requests) == 1
        assert healthy.requests == []


async def test_a_reset_connection_fails_over_for_reads_only() -> None:
    """A reset GET goes to the next host; a reset refresh raises and is not sent again."""
    with hostile_cores("reset", "ok") as (reset, healthy):
        uri = f"{reset.url};{healthy.url}"
        async with AsyncClient(uri, cdi_version="5.4", max_retries=0) as client:
            assert (await client.get_user_metadata("alice")).metadata == {"from": "hostile"}
        async with AsyncClient(uri, cdi_version="5.4", max_retries=0) as client:
            healthy.requests.clear()
            with pytest.raises(CoreUnavailableError):
                await client.refresh_session(REFRESH_TOKEN)
        assert healthy.requests == []


@pytest.mark.parametrize("behaviour", ["huge", "huge-undeclared"])
async def test_a_huge_answer_is_refused_while_streaming(behaviour: str) -> None:
    """A 200 MB answer raises ResponseTooLargeError after reading at most the limit."""
    with HostileCore(behaviour) as core:  # type: ignore[arg-type]
        async with AsyncClient(core.url, cdi_version="5.4", timeout=30) as client:
            tracemalloc.start()
            try:
                with pytest.raises(ResponseTooLargeError) as caught:
                    await client.get_user_metadata("alice")
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    assert caught.value.limit == 4 * 1024 * 1024
    assert peak < 32 * 1024 * 1024


async def test_the_response_size_limit_is_configurable() -> None:
    """max_response_size=1024 refuses a larger answer; a small one passes."""
    with HostileCore("huge") as huge, HostileCore("ok") as ok:
        async with AsyncClient(huge.url, cdi_version="5.4", max_response_size=1024) as client:
            with pytest.raises(ResponseTooLargeError, match="1024 bytes"):
                await client.get_user_metadata("alice")
        async with AsyncClient(ok.url, cdi_version="5.4", max_response_size=1024) as client:
            assert (await client.get_user_metadata("alice")).metadata == {"from": "hostile"}
    with pytest.raises(ValueError, match="max_response_size"):
        AsyncClient(max_response_size=10)


async def test_an_echoed_request_shows_no_token_and_no_api_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A core that echoes the request (raw, JSON-quoted, URL-encoded) in a 500 leaks nothing."""
    caplog.set_level(logging.DEBUG, logger="authclient")
    with HostileCore("echo") as core:
        async with AsyncClient(core.url, api_key=API_KEY, cdi_version="5.4") as client:
            with pytest.raises(CoreResponseError) as caught:
                await client.refresh_session(REFRESH_TOKEN)
    error = caught.value
    shown = f"{error} {error!r} {error.body} {error.args} {caplog.text}"
    assert "refreshToken" in error.body  # the echo is there, minus the secrets
    for secret in (REFRESH_TOKEN, API_KEY, "secret%2Fwith%2Bodd"):
        assert secret not in shown


@pytest.mark.parametrize(
    "bad_key", ["key-from-a-file\n", " padded-key", "two\r\nlines", "ключ-api", "tab\tkey"]
)
async def test_an_api_key_that_is_not_a_header_value_is_refused_at_once(bad_key: str) -> None:
    """The client is not built, and the message does not show the key."""
    with pytest.raises(ValueError, match="api_key") as caught:
        AsyncClient(api_key=bad_key)
    assert bad_key.strip() not in str(caught.value)


async def test_a_closed_http_client_gives_client_closed_error() -> None:
    """A user's http_client closed under the client: a ClientClosedError, not httpx's error."""
    with HostileCore("ok") as core:
        http = httpx.AsyncClient()
        await http.aclose()
        async with AsyncClient(core.url, cdi_version="5.4", http_client=http) as client:
            with pytest.raises(ClientClosedError, match="http_client"):
                await client.get_user_metadata("alice")
