# Generated from tests/asyncio/conftest.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

from __future__ import annotations

import uuid
from collections.abc import Generator, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Callable, Optional

import httpx
import pytest
import respx

import authclient.syncio
from authclient._protocol.versions import SUPPORTED_CDI_VERSIONS
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client
from tests.conftest import BreakableTransport, HTTPTransports, on_real_core
from tests.realcore import RealCores
from tests.recording import Calls as Calls

CORE_URL = "http://core.test:3567"
LOCAL_CORE_URL = "http://localcore.test"
REAL_CORE_TIMEOUT = 30.0  # the first calls to a fresh JVM are slow


@pytest.fixture
def calls() -> Iterator[Calls]:
    """What reached a fresh local core behind respx at CORE_URL (it has an app ``x``, for
    base-path tests): any client at CORE_URL talks to it."""
    with LocalCore() as core, respx.mock(assert_all_called=False) as router:
        with httpx.Client(transport=LocalCoreTransport(core), base_url=LOCAL_CORE_URL) as http:
            http.put("/recipe/multitenancy/app/v2", json={"appId": "x"}).raise_for_status()
        recorder = Calls(CORE_URL, LocalCoreTransport(core))
        router.route(host="core.test").mock(side_effect=recorder.handle_request)
        yield recorder


@pytest.fixture
def client(calls: Calls) -> Iterator[Client]:
    """A client at CORE_URL (the ``calls`` fixture's core), with an api key."""
    with Client(CORE_URL, api_key="test-api-key-123") as client:
        yield client


@pytest.fixture(autouse=True)
def fresh_default_client() -> Iterator[None]:
    """Tests that call init() must not leak their default client into the next test."""
    yield
    authclient.syncio.reset()


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


AppClient = Callable[..., AbstractContextManager[tuple[Client, Calls]]]


def _real_cores(request: pytest.FixtureRequest) -> Optional[RealCores]:
    """The real cores on ``--core=real``, else None (the local core)."""
    if not on_real_core(request.config):
        return None
    cores: RealCores = request.getfixturevalue("real_cores")
    return cores


@pytest.fixture
def app_client(request: pytest.FixtureRequest) -> AppClient:
    """``with app_client(**options) as (client, calls)``: a client on the chosen core.

    On the local core (default) every client gets a fresh app; on ``--core=real`` clients share
    the real core's public app (tests keep apart with fresh user ids, ``new_user_id``).
    ``calls`` records every request sent (``Calls``); options go to Client, except
    ``core_config`` (the app's, or on the real core the core's, config), ``core`` (a LocalCore
    to use whichever core was chosen), ``uri`` (an existing app's, instead of a fresh one) and
    ``transport`` (instead of the plain one, e.g. ``breakable_transport``).
    """
    real_cores = _real_cores(request)

    @contextmanager
    def make(
        core: Optional[LocalCore] = None,
        core_config: Optional[dict[str, Any]] = None,
        uri: Optional[str] = None,
        transport: Optional[httpx.BaseTransport] = None,
        **options: Any,
    ) -> Generator[tuple[Client, Calls], None, None]:
        if real_cores is not None and core is None:
            if uri is None:
                try:
                    uri = real_cores.uri(core_config or {})
                except LookupError as why:
                    pytest.skip(str(why))
            if uri == real_cores.default_uri:
                options.setdefault("api_key", real_cores.api_key)
            options.setdefault("timeout", REAL_CORE_TIMEOUT)
        else:
            chosen = core or request.getfixturevalue("local_core")
            uri = uri or new_app(chosen, **(core_config or {}))
            transport = transport or LocalCoreTransport(chosen)
        calls = Calls(uri, transport or HTTPTransports())
        with httpx.Client(transport=calls) as http:
            with Client(uri, http_client=http, **options) as client:
                yield client, calls

    return make


@pytest.fixture
def breakable_transport(request: pytest.FixtureRequest) -> Iterator[BreakableTransport]:
    """A transport to the chosen core whose ``broken`` paths refuse connections."""
    inner = HTTPTransports() if _real_cores(request) else request.getfixturevalue("local_core")
    transport = BreakableTransport(inner)
    yield transport
    transport.inner.close()


@pytest.fixture
def newest_cdi_version(request: pytest.FixtureRequest) -> str:
    """The newest CDI version both the client and the chosen core speak."""
    real_cores = _real_cores(request)
    if real_cores is None:
        transport: httpx.BaseTransport = LocalCoreTransport(request.getfixturevalue("local_core"))
        uri = LOCAL_CORE_URL
    else:
        transport, uri = httpx.HTTPTransport(), real_cores.uri({})
    headers = {"api-key": real_cores.api_key} if real_cores and real_cores.api_key else {}
    with httpx.Client(transport=transport, timeout=REAL_CORE_TIMEOUT) as http:
        offered: dict[str, list[str]] = (
            http.get(f"{uri}/apiversion", headers=headers).raise_for_status().json()
        )
    common = set(offered["versions"]) & set(SUPPORTED_CDI_VERSIONS)
    return max(common, key=lambda v: tuple(int(part) for part in v.split(".")))


def new_user_id(name: str) -> str:
    """``name`` made unique: for tests that list or revoke a user's sessions on a shared core."""
    return f"{name}-{uuid.uuid4().hex[:12]}"
