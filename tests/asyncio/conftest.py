from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx

import authclient.asyncio._default
from authclient.asyncio import AsyncClient
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
async def client(core: FakeCore) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(CORE_URL, api_key="test-api-key-123") as client:
        yield client


@pytest.fixture(autouse=True)
def fresh_default_client() -> Iterator[None]:
    """Tests that call init() must not leak their default client into the next test."""
    yield
    authclient.asyncio._default._factory = None
    authclient.asyncio._default._slot.reset()
