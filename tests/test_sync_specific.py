"""What only the sync flavor has to get right: threads, running event loops, fork."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import trio

import authclient.syncio
from authclient.errors import ClientClosedError
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client, get_user_metadata
from authclient.syncio._default import default_client
from tests.recording import Calls, serve

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def core_url() -> Iterator[tuple[Calls, str]]:
    """A local core over loopback HTTP, recording what it receives; its URL."""
    with LocalCore() as core:
        calls = Calls(inner=LocalCoreTransport(core))
        with serve(calls) as url:
            yield calls, url
    authclient.syncio.reset()


def test_sixteen_threads_share_one_client(core_url: tuple[Calls, str]) -> None:
    calls, url = core_url
    errors: list[BaseException] = []

    def work(client: Client, n: int) -> None:
        try:
            for i in range(10):
                client.update_user_metadata(f"user-{n}", {"i": i})
                assert client.get_user_metadata(f"user-{n}").metadata == {"i": i}
        except BaseException as exc:
            errors.append(exc)

    with Client(url) as client:
        threads = [threading.Thread(target=work, args=(client, n)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert calls.count("GET /apiversion") == 1
    assert len(calls) == 1 + 16 * 10 * 2


def test_module_functions_share_one_default_client_across_threads(
    core_url: tuple[Calls, str],
) -> None:
    _, url = core_url
    authclient.syncio.init(url)
    seen: list[Client] = []

    def work() -> None:
        get_user_metadata("alice")
        seen.append(default_client())

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 16
    assert len({id(client) for client in seen}) == 1


def test_sync_call_inside_a_running_asyncio_loop(core_url: tuple[Calls, str]) -> None:
    _, url = core_url
    with Client(url) as client:
        client.update_user_metadata("alice", {"from": "asyncio"})

    async def handler() -> dict[str, object]:
        with Client(url) as client:  # e.g. Django or Flask code called from an async app
            return client.get_user_metadata("alice").metadata

    assert asyncio.run(handler()) == {"from": "asyncio"}


def test_sync_call_inside_trio_run(core_url: tuple[Calls, str]) -> None:
    _, url = core_url
    with Client(url) as client:
        client.update_user_metadata("alice", {"from": "trio"})
    authclient.syncio.init(url)

    async def handler() -> dict[str, object]:
        return get_user_metadata("alice").metadata

    assert trio.run(handler) == {"from": "trio"}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_default_client_is_rebuilt_after_fork(core_url: tuple[Calls, str]) -> None:
    _, url = core_url
    authclient.syncio.init(url)
    parent_client = default_client()
    get_user_metadata("alice")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads running
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit code
        ok = False
        try:
            child_client = default_client()
            ok = child_client is not parent_client and get_user_metadata("alice").metadata == {}
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert default_client() is parent_client
    assert get_user_metadata("alice").metadata == {}


def test_reset_closes_the_default_client_now(core_url: tuple[Calls, str]) -> None:
    """reset() closes the sync default client at once; the next call builds a new one."""
    _, url = core_url
    authclient.syncio.init(url)
    get_user_metadata("alice")
    before = default_client()
    authclient.syncio.reset()
    with pytest.raises(ClientClosedError):
        before.get_user_metadata("alice")
    authclient.syncio.init(url)
    assert get_user_metadata("alice").metadata == {}
    assert default_client() is not before


def test_a_cold_key_cache_is_fetched_once_for_16_threads() -> None:
    import httpx

    from authclient.localcore import LocalCore, LocalCoreTransport
    from authclient.types import RequestInfo

    fetches: list[RequestInfo] = []

    def count(info: RequestInfo) -> None:
        if info.url.endswith("/.well-known/jwks.json"):
            fetches.append(info)

    with LocalCore() as core, httpx.Client(transport=LocalCoreTransport(core)) as http:
        with Client("http://localcore.test", http_client=http) as creator:
            token = creator.create_new_session("sam").tokens.access_token
        with Client("http://localcore.test", http_client=http, on_request=count) as client:
            users: list[str] = []

            def verify() -> None:
                session = client.get_session(token)
                users.append(session.user_id if session else "")

            threads = [threading.Thread(target=verify) for _ in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    assert users == ["sam"] * 16
    assert len(fetches) == 1


def test_importing_the_sync_flavor_imports_no_async_stack() -> None:
    """``import authclient.syncio`` (and a sync client) loads neither asyncio, anyio nor trio."""
    script = (
        "import sys, authclient.syncio as s\n"
        "s.Client('http://localhost:1')\n"
        "print(sorted(m for m in ('asyncio', 'anyio', 'trio', 'sniffio') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
