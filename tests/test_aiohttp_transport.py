"""The ``aiohttp`` extra: on asyncio the clients authclient builds send through aiohttp.

The hostile-core tests (tests/asyncio/test_hostile.py) and the cancellation test also run on
aiohttp connections (the ``own_connections`` fixture); these cover what is particular to it:
when it is used, that it sends what httpx sends, and that its sessions follow the event loops.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
import trio

import authclient.asyncio
from authclient.asyncio import AsyncClient
from authclient.errors import CoreUnavailableError, ResponseTooLargeError
from authclient.localcore import LocalCore, LocalCoreTransport
from tests.hostile import OK_BODY, HostileCore, refused_url
from tests.recording import Calls, serve

pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed")
pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "an-api-key-of-twenty-chars"
# httpx always sends this header and aiohttp never does: it tells which library sent a request.
HTTPX_MARK = b"\r\nConnection: keep-alive\r\n"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def aiohttp_on(httpx_for_own_connections: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTHCLIENT_AIOHTTP", "1")


@pytest.fixture(autouse=True)
def fresh_default_client() -> Iterator[None]:
    yield
    authclient.asyncio.reset()


async def _metadata(url: str, **options: object) -> object:
    async with AsyncClient(url, cdi_version="5.4", **options) as client:  # type: ignore[arg-type]
        return (await client.get_user_metadata("alice")).metadata


async def test_a_client_of_its_own_sends_through_aiohttp_on_asyncio() -> None:
    """AsyncClient(url) on asyncio: the request goes out through aiohttp, not httpx."""
    with HostileCore("ok") as core:
        assert await _metadata(core.url) == {"from": "hostile"}
    assert HTTPX_MARK not in core.requests[0]


async def test_the_default_client_sends_through_aiohttp_on_asyncio() -> None:
    """The module-level functions' default client uses aiohttp too."""
    with HostileCore("ok") as core:
        authclient.asyncio.init(core.url, cdi_version="5.4")
        assert (await authclient.asyncio.get_user_metadata("alice")).metadata == {"from": "hostile"}
    assert HTTPX_MARK not in core.requests[0]


def test_uvloop_sends_through_aiohttp() -> None:
    """uvloop is asyncio too: aiohttp is used."""
    pytest.importorskip("uvloop", reason="uvloop is not available on this platform")
    with HostileCore("ok") as core:
        result = anyio.run(_metadata, core.url, backend_options={"use_uvloop": True})
    assert result == {"from": "hostile"}
    assert HTTPX_MARK not in core.requests[0]


def test_trio_keeps_httpx() -> None:
    """On trio the same client sends through httpx."""
    with HostileCore("ok") as core:
        assert trio.run(_metadata, core.url) == {"from": "hostile"}
    assert HTTPX_MARK in core.requests[0]


async def test_a_users_http_client_is_used_as_given() -> None:
    """With http_client=, requests go through that httpx client, as without the extra."""
    with HostileCore("ok") as core:
        async with httpx.AsyncClient() as http:
            assert await _metadata(core.url, http_client=http) == {"from": "hostile"}
    assert HTTPX_MARK in core.requests[0]


async def test_the_switch_turns_aiohttp_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """AUTHCLIENT_AIOHTTP=0 keeps authclient's own connections on httpx."""
    monkeypatch.setenv("AUTHCLIENT_AIOHTTP", "0")
    with HostileCore("ok") as core:
        assert await _metadata(core.url) == {"from": "hostile"}
    assert HTTPX_MARK in core.requests[0]


async def test_aiohttp_sends_what_httpx_sends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Query, body and authclient's headers reach the core alike through either library."""
    user_id = "al ice/+&é%"
    seen: dict[str, list[tuple[str, str, dict[str, str], object, dict[str, str]]]] = {}
    with LocalCore() as core, serve(calls := Calls(inner=LocalCoreTransport(core))) as url:
        for switch in ("0", "1"):
            monkeypatch.setenv("AUTHCLIENT_AIOHTTP", switch)
            calls.clear()
            async with AsyncClient(url, api_key=API_KEY) as client:
                await client.update_user_metadata(user_id, {"k": [1, "два"]})
                assert (await client.get_user_metadata(user_id)).metadata == {"k": [1, "два"]}
                session = await client.create_new_session(user_id, {"r": 1})
                assert session.tokens.refresh_token is not None
                await client.refresh_session(session.tokens.refresh_token)
                await client.clear_user_metadata(user_id)
            ours = ("api-key", "cdi-version", "rid", "content-type", "user-agent")
            seen[switch] = [
                (
                    sent.method,
                    sent.path,
                    sent.query,
                    sent.json() if sent.path != "/recipe/session/refresh" else None,
                    {name: sent.headers[name] for name in ours if name in sent.headers},
                )
                for sent in calls.infos
            ]
    assert seen["1"] == seen["0"]
    gets = [sent[2] for sent in seen["1"] if sent[1] == "/recipe/user/metadata"]
    assert gets == [{}, {"userId": user_id}]  # the PUT has no query, the GET has the odd id


async def test_retry_after_is_read_from_aiohttp_headers() -> None:
    """A 429 with Retry-After: 0, then a 200: the call is retried and succeeds."""
    busy = _answer(429, b"busy", extra=b"Retry-After: 0\r\n")
    with canned_core([busy, _answer(200, OK_BODY)]) as (url, requests):
        assert await _metadata(url) == {"from": "hostile"}
    assert len(requests) == 2


async def test_a_compressed_answer_is_decoded() -> None:
    """A gzip answer is decompressed before it is parsed."""
    answer = _answer(200, gzip.compress(OK_BODY), extra=b"Content-Encoding: gzip\r\n")
    with canned_core([answer]) as (url, _):
        assert await _metadata(url) == {"from": "hostile"}


async def test_a_compressed_answer_that_expands_past_the_limit_is_refused() -> None:
    """The size limit counts the decompressed bytes: a small gzip of 8 MB is refused."""
    bomb = json.dumps({"status": "OK", "metadata": {"x": "0" * 8 * 1024 * 1024}}).encode()
    answer = _answer(200, gzip.compress(bomb), extra=b"Content-Encoding: gzip\r\n")
    with canned_core([answer]) as (url, _):
        with pytest.raises(ResponseTooLargeError):
            await _metadata(url)


async def test_a_refused_host_is_named_with_the_reason() -> None:
    """Connection refused: CoreUnavailableError names the host and says ConnectError."""
    url = refused_url()
    with pytest.raises(CoreUnavailableError, match="ConnectError") as caught:
        await _metadata(url, max_retries=0)
    assert url in str(caught.value)


def test_sessions_follow_event_loops_and_leave_no_warning() -> None:
    """One client across asyncio.run() calls, closed or not: it works, and nothing is left open."""
    script = textwrap.dedent(
        """
        import asyncio, gc
        from authclient.asyncio import AsyncClient
        from tests.hostile import HostileCore

        with HostileCore("ok") as core:
            kept, dropped = AsyncClient(core.url, cdi_version="5.4"), None

            async def call(client):
                return (await client.get_user_metadata("alice")).metadata

            async def drop():  # a client never closed: its session closes with the loop
                await call(AsyncClient(core.url, cdi_version="5.4"))

            async def many():  # clients closed in a loop that goes on leave nothing behind
                for _ in range(20):
                    async with AsyncClient(core.url, cdi_version="5.4") as client:
                        await call(client)

            results = [asyncio.run(call(kept)), asyncio.run(call(kept))]
            asyncio.run(drop())
            asyncio.run(many())
            asyncio.run(kept.aclose())
        gc.collect()
        assert results == [{"from": "hostile"}] * 2, results
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=ROOT,
        env={**os.environ, "AUTHCLIENT_AIOHTTP": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "ok", "")


def _answer(status: int, body: bytes, extra: bytes = b"") -> bytes:
    head = (
        f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
    )
    return head.encode() + extra + b"\r\n" + body


@contextmanager
def canned_core(answers: list[bytes]) -> Generator[tuple[str, list[bytes]], None, None]:
    """A loopback core that gives ``answers`` in turn, one per request (keep-alive)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()
    requests: list[bytes] = []
    pending = list(answers)

    def serve_one(conn: socket.socket) -> None:
        with conn:
            buffer = b""
            while pending:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                requests.append(head)
                conn.sendall(pending.pop(0))

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.settimeout(5)
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", requests
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
