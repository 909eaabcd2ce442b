"""The signing-key cache: rotation, unknown kids, cooldown, and failing refreshes."""

from __future__ import annotations

import time

import attrs
import pytest

from authclient._acompat import async_sleep
from authclient._compat import ASYNC
from authclient.asyncio import SessionConfig
from authclient.errors import CoreUnavailableError, TryRefreshTokenError
from authclient.localcore import LocalCore
from tests.asyncio.conftest import AppClient
from tests.conftest import BreakableTransport

if ASYNC:
    pytestmark = pytest.mark.anyio

JWKS_FETCH = "GET /.well-known/jwks.json"


@pytest.mark.localcore_only(reason="moves a local core's clock two hours to rotate its keys")
async def test_a_rotated_key_is_fetched_when_a_token_names_it(app_client: AppClient) -> None:
    clock = [time.time() - 7200]  # the core starts two hours back, then catches up
    with LocalCore(clock=lambda: clock[0]) as core:
        config = {"access_token_dynamic_signing_key_update_interval": 0.5}
        async with app_client(core=core, core_config=config) as (client, calls):
            old_kids = {key.kid for key in (await client.get_jwks()).keys}
            clock[0] = time.time()  # four rotations later
            created = await client.create_new_session("pia")
            session = await client.get_session(created.tokens.access_token)
            assert session is not None
            new_kids = {key.kid for key in (await client.get_jwks()).keys}
    assert new_kids - old_kids
    assert calls.count(JWKS_FETCH) == 2  # the first fetch, then one for the unknown kid


async def test_an_unknown_kid_refetches_at_most_once_per_cooldown(
    app_client: AppClient,
) -> None:
    with LocalCore() as other_core:
        async with app_client(core=other_core) as (foreign, _):
            stranger = await foreign.create_new_session("quinn")
    async with app_client() as (client, calls):
        await client.prefetch()
        for _ in range(3):
            with pytest.raises(TryRefreshTokenError):
                await client.get_session(stranger.tokens.access_token)
    assert calls.count(JWKS_FETCH) == 2  # prefetch, then a single refetch for the strange kid


async def test_cached_keys_outlive_a_failing_refresh_within_the_grace(
    breakable_transport: BreakableTransport, app_client: AppClient
) -> None:
    short = SessionConfig(jwks_min_max_age=0.05, jwks_max_max_age=0.05, jwks_refetch_cooldown=60)
    transport = breakable_transport
    async with app_client(transport=transport, session=short, max_retries=0) as (
        client,
        calls,
    ):
        created = await client.create_new_session("rosa")
        await client.prefetch()
        await async_sleep(0.1)  # the keys are stale now
        transport.broken.add("/.well-known/jwks.json")
        for _ in range(3):
            assert await client.get_session(created.tokens.access_token) is not None
        assert calls.count(JWKS_FETCH) == 2  # one failed refresh, then the cooldown holds
        strict = attrs.evolve(short, jwks_stale_grace=0)
    async with app_client(uri=calls.uri, transport=transport, session=strict, max_retries=0) as (
        client,
        _,
    ):
        transport.broken.clear()
        await client.prefetch()
        await async_sleep(0.1)
        transport.broken.add("/.well-known/jwks.json")
        with pytest.raises(CoreUnavailableError):
            await client.get_session(created.tokens.access_token)


async def test_get_jwks_reports_the_time_the_cached_keys_have_left(
    app_client: AppClient,
) -> None:
    """A service caching what get_jwks (or the served JWKS endpoint) reports keeps the keys no
    longer than this client: max_age counts down from the fetch, with no new fetch."""
    three_seconds = SessionConfig(jwks_min_max_age=3, jwks_max_max_age=3)
    async with app_client(session=three_seconds) as (client, calls):
        assert (await client.get_jwks()).max_age == 3
        await async_sleep(1.2)
        later = await client.get_jwks()
    assert later.max_age == 2
    assert calls.count(JWKS_FETCH) == 1
