# Generated from tests/asyncio/conftest.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

import authclient.syncio._default
from authclient.syncio import Client
from tests.fakecore import FakeCore

CORE_URL = "http://core.test:3567"


@pytest.fixture
def core() -> Iterator[FakeCore]:
    """A fake core behind respx at CORE_URL (and under its /appid-x base path)."""
    fake = FakeCore()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="core.test").mock(side_effect=fake.respx_side_effect)
        yield fake


@pytest.fixture
def client(core: FakeCore) -> Iterator[Client]:
    with Client(CORE_URL, api_key="test-api-key-123") as client:
        yield client


@pytest.fixture(autouse=True)
def fresh_default_client() -> Iterator[None]:
    """Tests that call init() must not leak their default client into the next test."""
    yield
    authclient.syncio._default._factory = None
    authclient.syncio._default._slot.reset()
