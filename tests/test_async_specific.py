"""What only the async flavor has to get right: event loops come and go."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import textwrap
import warnings
from importlib.metadata import version
from pathlib import Path

import anyio
import httpx
import pytest

import authclient.asyncio
from authclient.asyncio import AsyncClient
from authclient.asyncio._default import default_client
from authclient.errors import ClientClosedError
from authclient.localcore import LocalCore, LocalCoreTransport
from tests.hostile import Behaviour, HostileCore
from tests.recording import Calls, serve

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.usefixtures("own_connections")
def test_default_client_survives_repeated_event_loops_without_warnings() -> None:
    # In a fresh interpreter with every warning an error, so an unclosed socket or transport
    # left in a dead loop would show up on stderr or as a non-zero exit.
    script = textwrap.dedent(
        """
        import asyncio, gc, trio
        import authclient.asyncio as ac
        from authclient.asyncio._default import default_client
        from authclient.errors import ClientClosedError
        from authclient.localcore import LocalCore, LocalCoreTransport
        from tests.recording import serve

        clients = []

        async def main(n):
            await ac.update_user_metadata("alice", {"run": n})
            clients.append(await default_client())
            assert await default_client() is clients[-1]
            return (await ac.get_user_metadata("alice")).metadata["run"]

        with LocalCore() as core, serve(LocalCoreTransport(core)) as url:
            ac.init(url)
            results = [asyncio.run(main(1)), asyncio.run(main(2)), trio.run(main, 3), trio.run(main, 4)]
        gc.collect()
        assert results == [1, 2, 3, 4], results
        assert len({id(c) for c in clients}) == 4
        for client in clients:  # each was closed when its loop ended
            try:
                asyncio.run(client.get_user_metadata("alice"))
            except ClientClosedError:
                continue
            raise AssertionError(f"{client!r} is still open")
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "ok", "")


@pytest.mark.anyio
@pytest.mark.usefixtures("own_connections")
async def test_many_concurrent_calls_share_the_pool() -> None:
    results: list[object] = []
    with LocalCore() as core, serve(calls := Calls(inner=LocalCoreTransport(core))) as url:
        async with AsyncClient(url) as client:

            async def call(i: int) -> None:
                results.append((await client.get_user_metadata(f"user-{i}")).metadata)

            async with anyio.create_task_group() as group:
                for i in range(100):
                    group.start_soon(call, i)
    assert results == [{}] * 100
    assert calls.count("GET /apiversion") == 1


def test_async_client_needs_no_running_loop() -> None:
    client = AsyncClient("http://localhost:3567")  # constructing does no I/O, needs no loop
    assert repr(client) == "AsyncClient('http://localhost:3567')"
    authclient.asyncio.init("http://localhost:3567")
    authclient.asyncio.reset()


@pytest.mark.usefixtures("own_connections")
def test_reset_drops_the_default_client_which_closes_with_its_loop() -> None:
    """After reset() a loop gets a new default client; the dropped one closes with its loop."""

    async def main(url: str) -> tuple[AsyncClient, AsyncClient]:
        authclient.asyncio.init(url)
        await authclient.asyncio.get_user_metadata("alice")
        before = await default_client()
        authclient.asyncio.reset()
        assert (await before.get_user_metadata("alice")).metadata == {}  # open until the loop ends
        authclient.asyncio.init(url)
        await authclient.asyncio.get_user_metadata("alice")
        return before, await default_client()

    with LocalCore() as core, serve(LocalCoreTransport(core)) as url:
        try:
            before, after = asyncio.run(main(url))
        finally:
            authclient.asyncio.reset()
    assert after is not before
    with pytest.raises(ClientClosedError):
        asyncio.run(before.get_user_metadata("alice"))


@pytest.mark.anyio
async def test_a_cold_key_cache_is_fetched_once_for_100_concurrent_verifications() -> None:
    from authclient.localcore import LocalCore, LocalCoreTransport
    from authclient.types import RequestInfo

    fetches: list[RequestInfo] = []

    def count(info: RequestInfo) -> None:
        if info.url.endswith("/.well-known/jwks.json"):
            fetches.append(info)

    with LocalCore() as core:
        async with httpx.AsyncClient(transport=LocalCoreTransport(core)) as http:
            async with AsyncClient("http://localcore.test", http_client=http) as creator:
                token = (await creator.create_new_session("sam")).tokens.access_token
            async with AsyncClient(
                "http://localcore.test", http_client=http, on_request=count
            ) as client:
                verified: list[str] = []

                async def verify() -> None:
                    session = await client.get_session(token)
                    assert session is not None
                    verified.append(session.user_id)

                async with anyio.create_task_group() as group:
                    for _ in range(100):
                        group.start_soon(verify)
    assert verified == ["sam"] * 100
    assert len(fetches) == 1


def test_runs_on_uvloop() -> None:
    pytest.importorskip("uvloop", reason="uvloop is not available on this platform")
    from authclient.localcore import LocalCore, LocalCoreTransport

    async def main() -> tuple[str, dict[str, object]]:
        assert type(asyncio.get_running_loop()).__module__.startswith("uvloop")
        async with httpx.AsyncClient(transport=LocalCoreTransport(core)) as http:
            async with AsyncClient("http://localcore.test", http_client=http) as client:
                await client.update_user_metadata("uma", {"loop": "uvloop"})
                session = await client.create_new_session("uma")
                verified = await client.get_session(session.tokens.access_token)
                assert verified is not None
                return verified.user_id, (await client.get_user_metadata("uma")).metadata

    with LocalCore() as core:
        result = anyio.run(main, backend="asyncio", backend_options={"use_uvloop": True})
    assert result == ("uma", {"loop": "uvloop"})


@pytest.mark.anyio
@pytest.mark.usefixtures("own_connections")
@pytest.mark.parametrize("behaviour", ["trickle-headers", "trickle-body", "hung"])
async def test_cancelled_calls_leave_no_stream_behind(
    behaviour: Behaviour, anyio_backend: str
) -> None:
    """Calls cancelled mid-answer close every httpx stream: trio reports no ResourceWarning."""
    with warnings.catch_warnings():  # what earlier tests in this worker left is not ours to judge
        warnings.simplefilter("ignore")
        gc.collect()
    with warnings.catch_warnings():
        if _ANYIO_LEAKS_CANCELLED_CONNECTS and anyio_backend == "asyncio":
            warnings.filterwarnings("ignore", "unclosed", ResourceWarning)
        with HostileCore(behaviour) as core:
            async with AsyncClient(core.url, cdi_version="5.4", timeout=30) as client:
                for delay in (0.05, 0.5):
                    with anyio.move_on_after(delay):
                        async with anyio.create_task_group() as group:
                            for _ in range(10):
                                group.start_soon(client.get_user_metadata, "alice")
        gc.collect()  # an unclosed async generator warns here, and warnings are errors


# anyio 4.12 (the last for Python 3.9) leaks the socket of a connect_tcp() cancelled just as it
# connects: the garbage collector closes its socket or transport, with a ResourceWarning.
# anyio 4.13 closes it (`except BaseException: aclose_forcefully(connected_stream)`).
_ANYIO_VERSION = tuple(int(part) for part in version("anyio").split(".")[:2])
_ANYIO_LEAKS_CANCELLED_CONNECTS = _ANYIO_VERSION < (4, 13)
