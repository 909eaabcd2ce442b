from __future__ import annotations

from collections.abc import Iterator
from typing import Union

import httpx
import pytest

from authclient.localcore import LocalCore, LocalCoreTransport
from tests.realcore import RealCoreError, RealCores, real_cores_from

CORE_MARKS = ("localcore_only", "realcore_xfail")
REAL_CORES = pytest.StashKey[RealCores]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--core",
        choices=("local", "real"),
        default="local",
        help="the core app_client talks to: the in-process local core (default), or a real "
        "SuperTokens core (see tests/realcore.py); 'real' runs only the tests that use a core",
    )


def on_real_core(config: pytest.Config) -> bool:
    """Whether this run is ``--core=real``."""
    return bool(config.getoption("--core") == "real")


def pytest_configure(config: pytest.Config) -> None:
    if on_real_core(config):
        try:
            config.stash[REAL_CORES] = real_cores_from()  # finds a core; starts none yet
        except RealCoreError as error:
            raise pytest.UsageError(str(error)) from None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    real = on_real_core(config)
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        for name in CORE_MARKS:
            mark = item.get_closest_marker(name)
            if mark is None:
                continue
            reason = mark.kwargs.get("reason")
            if not isinstance(reason, str) or not reason.strip() or mark.args:
                raise pytest.UsageError(f"{item.nodeid}: @{name} takes only reason='why'")
            if real and name == "localcore_only":
                item.add_marker(pytest.mark.skip(reason=f"local core only: {reason}"))
            elif real:
                item.add_marker(pytest.mark.xfail(strict=True, reason=f"real core: {reason}"))
        # On the real core, run only what talks to a core; the rest ran in the plain suite.
        talks_to_a_core = "app_client" in getattr(item, "fixturenames", ())
        runs = (talks_to_a_core or not real) and not _aiohttp_on_trio(item)
        (kept if runs else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _aiohttp_on_trio(item: pytest.Item) -> bool:
    """aiohttp runs on asyncio only: trio never uses it, so that pair is not a case to run."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return params.get("own_connections") == "aiohttp" and params.get("anyio_backend") == "trio"


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Every async test runs on asyncio and on trio (the generated sync tests need neither)."""
    return str(request.param)


@pytest.fixture(autouse=True)
def httpx_for_own_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """authclient's own async connections use httpx (which respx mocks) unless a test asks for
    ``own_connections``: with the aiohttp extra installed they would otherwise use aiohttp."""
    monkeypatch.setenv("AUTHCLIENT_AIOHTTP", "0")


@pytest.fixture(params=["httpx", "aiohttp"])
def own_connections(
    request: pytest.FixtureRequest, httpx_for_own_connections: None, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The library under the async clients authclient builds: the test runs with each."""
    if request.param == "aiohttp":
        pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed")
        monkeypatch.setenv("AUTHCLIENT_AIOHTTP", "1")
    return str(request.param)


@pytest.fixture(scope="session")
def real_cores(request: pytest.FixtureRequest) -> Iterator[RealCores]:
    """The real cores of a ``--core=real`` run (started on first use, stopped at the end)."""
    cores = request.config.stash[REAL_CORES]
    try:
        yield cores
    finally:
        cores.close()


class HTTPTransports(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Real HTTP for ``httpx.Client`` and ``httpx.AsyncClient`` alike (one pool for each)."""

    def __init__(self) -> None:
        self._sync = httpx.HTTPTransport()
        self._async = httpx.AsyncHTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._sync.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._async.handle_async_request(request)

    def close(self) -> None:
        self._sync.close()

    async def aclose(self) -> None:
        await self._async.aclose()


class BreakableTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """The chosen core's transport, except for paths listed in ``broken``: connection refused.

    Several clients in a test may share it: closing a client leaves it open (the fixture
    ``breakable_transport`` closes ``inner`` at the end).
    """

    def __init__(self, core: Union[LocalCore, HTTPTransports]) -> None:
        self.inner = LocalCoreTransport(core) if isinstance(core, LocalCore) else core
        self.broken: set[str] = set()

    def _check(self, request: httpx.Request) -> None:
        if any(request.url.path.endswith(path) for path in self.broken):
            raise httpx.ConnectError("connection refused (test)", request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._check(request)
        return self.inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._check(request)
        return await self.inner.handle_async_request(request)

    def close(self) -> None:
        pass

    async def aclose(self) -> None:
        pass
