from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from authclient.localcore import LocalCore
from tests.localcore._helpers import FakeClock, client


@pytest.fixture(scope="session")
def core() -> Iterator[LocalCore]:
    """One in-memory core on the real clock, shared by the tests (RSA keys are slow to make).

    Tests keep out of each other's way with fresh user ids (``user_id``)."""
    with LocalCore() as shared:
        yield shared


@pytest.fixture(scope="session")
def http(core: LocalCore) -> Iterator[httpx.Client]:
    with client(core) as shared:
        yield shared


@pytest.fixture(scope="session")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def clocked_core(clock: FakeClock) -> Iterator[LocalCore]:
    """A shared core on a fake clock that tests may move forward (never back)."""
    with LocalCore(clock=clock) as shared:
        yield shared


@pytest.fixture(scope="session")
def clocked_http(clocked_core: LocalCore) -> Iterator[httpx.Client]:
    with client(clocked_core) as shared:
        yield shared


@pytest.fixture
def user_id() -> str:
    return f"user-{uuid.uuid4()}"
