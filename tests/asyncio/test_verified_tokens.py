"""Verifying a token again: a lookup in the client's verified-token cache, with the same rules."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Sequence
from typing import Any

import pytest

from authclient._acompat import async_sleep
from authclient._compat import ASYNC
from authclient.asyncio import AsyncSession, AsyncSessionRecipe, Overrides, SessionConfig
from authclient.claims import SessionClaimValidator
from authclient.errors import TryRefreshTokenError, UnauthorisedError
from authclient.localcore import LocalCore
from authclient.types import ClaimsValidationResult
from tests.asyncio.conftest import AppClient

if ASYNC:
    pytestmark = pytest.mark.anyio

VERIFY = "POST /recipe/session/verify"
JWKS_FETCH = "GET /.well-known/jwks.json"


def _fields(session: AsyncSession) -> tuple[Any, ...]:
    return (
        session.user_id,
        session.recipe_user_id,
        session.tenant_id,
        session.handle,
        session.access_token_payload,
        session.tokens,
    )


def _forged(token: str) -> str:
    """``token`` with its payload changed and its signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}"


async def test_a_token_verified_again_gives_an_equal_session(app_client: AppClient) -> None:
    """The second verification of a token is served from the cache: the same session."""
    async with app_client() as (client, calls):
        created = await client.create_new_session("alice", {"role": {"names": ["admin"]}})
        token = created.tokens.access_token
        first = await client.get_session(token)
        assert token in client.session_recipe.verified_tokens
        second = await client.get_session(token)
        assert second is not first and _fields(second) == _fields(first)
        assert second.tokens.refresh_token is None and not second.tokens.access_token_updated
    assert VERIFY not in calls


async def test_sessions_from_the_cache_do_not_share_their_payload(app_client: AppClient) -> None:
    """Changing one session's payload, nested values too, changes no later session of the token."""
    async with app_client() as (client, _):
        created = await client.create_new_session("bea", {"role": {"names": ["user"]}})
        token = created.tokens.access_token
        first = await client.get_session(token)
        first.access_token_payload["role"]["names"].append("admin")
        first.access_token_payload["extra"] = True
        assert first.access_token_payload["extra"] is True  # one payload per session, kept
        second = await client.get_session(token)
        assert second.access_token_payload == {"role": {"names": ["user"]}}
        assert second.tokens.front_token == created.tokens.front_token


async def test_a_kept_token_is_refused_once_it_expires(app_client: AppClient) -> None:
    """After its exp a kept token needs a refresh, as an unkept one does, and is dropped."""
    # 2 s, as whole seconds: the token lives 1-2 s, long enough to verify it once first.
    async with app_client(core_config={"access_token_validity": 2}) as (client, _):
        created = await client.create_new_session("cara")
        token = created.tokens.access_token
        await client.get_session(token)
        assert token in client.session_recipe.verified_tokens
        claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        await async_sleep(max(0.0, claims["exp"] - time.time()) + 0.05)
        with pytest.raises(TryRefreshTokenError, match="expired"):
            await client.get_session(token)
        assert token not in client.session_recipe.verified_tokens


async def test_check_database_asks_the_core_even_for_a_kept_token(app_client: AppClient) -> None:
    """check_database always asks the core: a revoked session fails it though its token is kept."""
    async with app_client() as (client, calls):
        created = await client.create_new_session("dina")
        token = created.tokens.access_token
        await client.get_session(token)
        await client.revoke_session(created.handle)
        # Local verification, cached or not, cannot see a revocation: only the core can.
        assert await client.get_session(token) is not None
        with pytest.raises(UnauthorisedError):
            await client.get_session(token, check_database=True)
    assert calls.count(VERIFY) == 1


async def test_the_first_use_after_a_refresh_is_never_kept(app_client: AppClient) -> None:
    """A token fresh from a refresh goes to the core each time it is used, and is not kept."""
    async with app_client() as (client, calls):
        created = await client.create_new_session("ella")
        refreshed = await client.refresh_session(created.tokens.refresh_token or "")
        token = refreshed.tokens.access_token
        for _ in range(2):
            session = await client.get_session(token)
            assert session.tokens.access_token_updated is True
        assert token not in client.session_recipe.verified_tokens
    assert calls.count(VERIFY) == 2


async def test_a_tampered_token_is_never_served_from_the_cache(app_client: AppClient) -> None:
    """A kept token's payload changed under its signature is refused, and not kept."""
    async with app_client() as (client, _):
        created = await client.create_new_session("fay", {"role": "user"})
        await client.get_session(created.tokens.access_token)
        forged = _forged(created.tokens.access_token)
        with pytest.raises(TryRefreshTokenError):
            await client.get_session(forged)
        assert forged not in client.session_recipe.verified_tokens


async def test_anti_csrf_is_checked_on_every_use_of_a_kept_token(app_client: AppClient) -> None:
    """A kept token still needs its anti-CSRF token on each call (VIA_TOKEN)."""
    async with app_client(session=SessionConfig(anti_csrf="VIA_TOKEN")) as (client, _):
        created = await client.create_new_session("gail")
        token, anti_csrf = created.tokens.access_token, created.tokens.anti_csrf_token
        assert await client.get_session(token, anti_csrf) is not None
        assert token in client.session_recipe.verified_tokens
        for wrong in (None, "wrong"):
            with pytest.raises(TryRefreshTokenError, match="anti-csrf"):
                await client.get_session(token, wrong)
        kept = await client.get_session(token, anti_csrf)
        assert kept.tokens.anti_csrf_token == anti_csrf


async def test_a_cache_of_size_zero_keeps_no_token(app_client: AppClient) -> None:
    """verified_token_cache_size=0: every call verifies in full, and nothing is kept."""
    config = SessionConfig(verified_token_cache_size=0)
    async with app_client(session=config) as (client, _):
        created = await client.create_new_session("hope")
        for _ in range(2):
            assert await client.get_session(created.tokens.access_token) is not None
        assert len(client.session_recipe.verified_tokens) == 0


async def test_the_cache_keeps_at_most_its_size(app_client: AppClient) -> None:
    """A cache of 2 keeps the two tokens verified last."""
    config = SessionConfig(verified_token_cache_size=2)
    async with app_client(session=config) as (client, _):
        tokens = [(await client.create_new_session("iris")).tokens.access_token for _ in range(3)]
        for token in tokens:
            await client.get_session(token)
        kept = client.session_recipe.verified_tokens
        assert len(kept) == 2
        assert [token in kept for token in tokens] == [False, True, True]


@pytest.mark.localcore_only(reason="moves a local core's clock to retire its signing key")
async def test_a_token_whose_key_left_the_jwks_is_refused(app_client: AppClient) -> None:
    """Once a refreshed JWKS no longer has the key of a kept token, it needs a refresh."""
    clock = [time.time()]
    short = SessionConfig(jwks_min_max_age=0.01, jwks_max_max_age=0.01)
    with LocalCore(clock=lambda: clock[0]) as core:
        config = {"access_token_dynamic_signing_key_update_interval": 0.001}
        async with app_client(core=core, core_config=config, session=short) as (client, _):
            created = await client.create_new_session("jane")
            token = created.tokens.access_token
            await client.get_session(token)
            clock[0] += 3 * 3600  # the key is retired: it leaves the JWKS
            await async_sleep(0.05)  # the cached keys are stale now
            with pytest.raises(TryRefreshTokenError):
                await client.get_session(token)
            assert token not in client.session_recipe.verified_tokens


async def test_a_jwks_refresh_that_keeps_the_key_keeps_the_token(app_client: AppClient) -> None:
    """Fetching the same keys again leaves kept tokens usable: no call verifies them again."""
    short = SessionConfig(jwks_min_max_age=0.01, jwks_max_max_age=0.01)
    async with app_client(session=short) as (client, calls):
        created = await client.create_new_session("kate")
        token = created.tokens.access_token
        await client.get_session(token)
        await async_sleep(0.05)  # stale: the next call fetches the keys again
        assert await client.get_session(token) is not None
        assert token in client.session_recipe.verified_tokens
    assert calls.count(JWKS_FETCH) == 2 and VERIFY not in calls


def _counting_validate_claims(seen: list[int]) -> Any:
    def override(original: AsyncSessionRecipe) -> AsyncSessionRecipe:
        original_validate = original.validate_claims

        async def validate_claims(
            user_id: str,
            recipe_user_id: str,
            tenant_id: str,
            access_token_payload: dict[str, Any],
            claim_validators: Sequence[SessionClaimValidator],
            user_context: dict[str, Any],
        ) -> ClaimsValidationResult:
            seen.append(len(claim_validators))
            return await original_validate(
                user_id,
                recipe_user_id,
                tenant_id,
                access_token_payload,
                claim_validators,
                user_context,
            )

        original.validate_claims = validate_claims  # type: ignore[method-assign]
        return original

    return override


async def test_an_overridden_validate_claims_runs_on_every_verification(
    app_client: AppClient,
) -> None:
    """A validate_claims override is called by each get_session, kept token or not."""
    seen: list[int] = []
    overrides = Overrides(session=_counting_validate_claims(seen))
    async with app_client(overrides=overrides) as (client, _):
        created = await client.create_new_session("lily")
        for _ in range(2):
            await client.get_session(created.tokens.access_token)
    assert seen == [0, 0]
