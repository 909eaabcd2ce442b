"""What each flavor does with the user's claim code: the async one awaits coroutine functions,
the sync one runs plain functions only and refuses an awaitable (it never runs an event loop)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from authclient import asyncio as aio
from authclient import syncio
from authclient.claims import BooleanClaim, ClaimValidationResult, SessionClaimValidator
from authclient.errors import InvalidClaimError
from authclient.localcore import LocalCore, LocalCoreTransport
from tests.asyncio.conftest import new_app


def _fetch_true(*args: Any) -> bool:
    return True


def _fetch_false(*args: Any) -> bool:
    return False


@pytest.fixture(scope="module")
def core() -> Iterator[LocalCore]:
    with LocalCore() as local:
        yield local


@pytest.fixture
async def async_client(core: LocalCore) -> AsyncIterator[aio.AsyncClient]:
    async with httpx.AsyncClient(transport=LocalCoreTransport(core)) as http:
        async with aio.AsyncClient(new_app(core), http_client=http) as client:
            yield client


@pytest.fixture
def sync_client(core: LocalCore) -> Iterator[syncio.Client]:
    with httpx.Client(transport=LocalCoreTransport(core)) as http:
        with syncio.Client(new_app(core), http_client=http) as client:
            yield client


async def fetch_true(*args: Any) -> bool:
    return True


class AsyncValidator(SessionClaimValidator):
    """A custom validator whose checks are coroutine functions."""

    def __init__(self, claim: BooleanClaim) -> None:
        super().__init__("async-check", claim)
        self.stored = claim

    async def should_refetch(self, payload: Any, user_context: dict[str, Any]) -> bool:
        return self.stored.get_value_from_payload(payload) is None

    async def validate(self, payload: Any, user_context: dict[str, Any]) -> ClaimValidationResult:
        valid = self.stored.get_value_from_payload(payload) is True
        return ClaimValidationResult(valid, None if valid else {"message": "not true"})


@pytest.mark.anyio
async def test_async_flavor_awaits_a_coroutine_fetch_value(async_client: aio.AsyncClient) -> None:
    """On asyncio and trio, an async fetch_value is awaited: by the session and by handle."""
    flag = BooleanClaim("flag", fetch_true)
    session = await async_client.create_new_session("amy")
    await session.fetch_and_set_claim(flag)
    assert await session.get_claim_value(flag) is True
    other = await async_client.create_new_session("ben")
    assert await async_client.fetch_and_set_claim(other.handle, flag)
    assert await async_client.get_claim_value(other.handle, flag) == aio.ClaimValueResult(True)


@pytest.mark.anyio
async def test_async_flavor_awaits_async_validators(async_client: aio.AsyncClient) -> None:
    """A validator's async should_refetch and validate are awaited; a refetch happens first."""
    flag = BooleanClaim("flag", fetch_true)
    session = await async_client.create_new_session("cy")
    await session.assert_claims([AsyncValidator(flag)])
    assert await session.get_claim_value(flag) is True


@pytest.mark.anyio
async def test_async_flavor_awaits_an_async_override(async_client: aio.AsyncClient) -> None:
    """override_global_claim_validators may be a coroutine function in the async flavor."""
    flag = BooleanClaim("flag", _fetch_false)

    async def require_flag(
        validators: list[SessionClaimValidator], session: aio.AsyncSession, ctx: dict[str, Any]
    ) -> list[SessionClaimValidator]:
        return [flag.validators.is_true()]

    created = await async_client.create_new_session("di")
    with pytest.raises(InvalidClaimError):
        await async_client.get_session(
            created.tokens.access_token, override_global_claim_validators=require_flag
        )


def test_sync_flavor_refuses_a_coroutine_fetch_value(sync_client: syncio.Client) -> None:
    """An async fetch_value is a clear TypeError, and the coroutine is closed (no warning)."""
    flag = BooleanClaim("flag", fetch_true)
    session = sync_client.create_new_session("ed")
    with pytest.raises(TypeError, match=r"fetch_value of claim 'flag' returned an awaitable"):
        session.fetch_and_set_claim(flag)
    with pytest.raises(TypeError, match="never runs an event loop"):
        sync_client.fetch_and_set_claim(session.handle, flag)
    gc.collect()  # a coroutine left unawaited would warn here (warnings are errors)
    assert session.access_token_payload == {}


def test_sync_flavor_refuses_async_validators(sync_client: syncio.Client) -> None:
    """An awaitable from should_refetch or validate is a TypeError in the sync flavor."""
    session = sync_client.create_new_session("flo")
    with pytest.raises(TypeError, match="should_refetch of validator 'async-check'"):
        session.assert_claims([AsyncValidator(BooleanClaim("flag", _fetch_true))])
    gc.collect()


def test_sync_flavor_refuses_an_async_override(sync_client: syncio.Client) -> None:
    """An async override_global_claim_validators is a TypeError, before any validation."""

    async def override(*args: Any) -> list[SessionClaimValidator]:
        return []

    created = sync_client.create_new_session("gus")
    with pytest.raises(TypeError, match="override_global_claim_validators returned an awaitable"):
        sync_client.get_session(
            created.tokens.access_token,
            override_global_claim_validators=override,  # type: ignore[arg-type]
        )
    gc.collect()


def test_sync_claims_work_inside_a_running_event_loop(sync_client: syncio.Client) -> None:
    """Plain claim code runs inside a thread that runs a loop: no loop is started or joined."""
    flag: BooleanClaim = BooleanClaim("flag", _fetch_true)

    async def handler() -> bool:
        session = sync_client.create_new_session("hal")
        session.fetch_and_set_claim(flag)
        session.assert_claims([flag.validators.is_true()])
        return bool(session.get_claim_value(flag))  # type: ignore[arg-type]

    assert asyncio.run(handler()) is True
