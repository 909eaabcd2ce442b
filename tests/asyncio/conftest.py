from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Callable, Optional

import httpx
import pytest
import respx

import authclient.asyncio._default
from authclient.asyncio import AsyncClient, RequestInfo
from authclient.localcore import LocalCore, LocalCoreTransport
from tests.recording import RecordingCore

CORE_URL = "http://core.test:3567"


@pytest.fixture
def core() -> Iterator[RecordingCore]:
    """A fake core behind respx at CORE_URL (and under its /appid-x base path)."""
    with RecordingCore() as fake, respx.mock(assert_all_called=False) as router:
        router.route(host="core.test").mock(side_effect=fake.respx_side_effect)
        yield fake


@pytest.fixture
async def client(core: RecordingCore) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(CORE_URL, api_key="test-api-key-123") as client:
        yield client


@pytest.fixture(autouse=True)
def fresh_default_client() -> Iterator[None]:
    """Tests that call init() must not leak their default client into the next test."""
    yield
    authclient.asyncio._default._factory = None
    authclient.asyncio._default._slot.reset()


LOCAL_CORE_URL = "http://localcore.test"


@pytest.fixture(scope="session")
def local_core() -> Iterator[LocalCore]:
    """One in-process local core for the run (RSA keys are slow to make); tests use own apps."""
    with LocalCore() as core:
        yield core


def new_app(core: LocalCore, **core_config: Any) -> str:
    """A fresh app on ``core`` (isolated data and config); its connection URI."""
    app_id = uuid.uuid4().hex[:16]
    with httpx.Client(transport=LocalCoreTransport(core), base_url=LOCAL_CORE_URL) as http:
        body = {"appId": app_id, "coreConfig": core_config}
        http.put("/recipe/multitenancy/app/v2", json=body).raise_for_status()
    return f"{LOCAL_CORE_URL}/appid-{app_id}"


class BreakableTransport(LocalCoreTransport):
    """The local core in-process, except for paths listed in ``broken``: connection refused."""

    def __init__(self, core: LocalCore) -> None:
        super().__init__(core)
        self.broken: set[str] = set()

    def _respond(self, request: httpx.Request) -> httpx.Response:
        if any(request.url.path.endswith(path) for path in self.broken):
            raise httpx.ConnectError("connection refused (test)", request=request)
        return super()._respond(request)


class Calls(list[str]):
    """Every attempt a client made, as "METHOD /path" (``infos``: in full), and the app's URI."""

    def __init__(self, uri: str) -> None:
        super().__init__()
        self.uri = uri
        self.infos: list[RequestInfo] = []

    def bodies(self) -> list[Any]:
        return [json.loads(info.body) if info.body else None for info in self.infos]


AppClient = Callable[..., AbstractAsyncContextManager[tuple[AsyncClient, Calls]]]


@pytest.fixture
def app_client(local_core: LocalCore) -> AppClient:
    """``async with app_client(**options) as (client, calls)``: a client on a fresh app.

    ``calls`` records "METHOD /path" of every attempt; options go to AsyncClient, except
    ``core_config`` (the app's config), ``core`` (another LocalCore), ``uri`` (an existing
    app's, instead of a fresh one) and ``transport`` (instead of the plain in-process one).
    """

    @asynccontextmanager
    async def make(
        core: Optional[LocalCore] = None,
        core_config: Optional[dict[str, Any]] = None,
        uri: Optional[str] = None,
        transport: Optional[LocalCoreTransport] = None,
        **options: Any,
    ) -> AsyncIterator[tuple[AsyncClient, Calls]]:
        chosen = core or local_core
        uri = uri or new_app(chosen, **(core_config or {}))
        calls = Calls(uri)

        def record(info: RequestInfo) -> None:
            calls.append(f"{info.method} {info.url[len(uri) :].split('?')[0]}")
            calls.infos.append(info)

        async with httpx.AsyncClient(transport=transport or LocalCoreTransport(chosen)) as http:
            async with AsyncClient(uri, http_client=http, on_request=record, **options) as client:
                yield client, calls

    return make
