"""A consumer's code in both flavors: mypy --strict and pyright check it (it is never run)."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from typing_extensions import assert_type

import authclient
from authclient import asyncio as aio
from authclient import syncio
from authclient.claims import (
    BooleanClaim,
    ClaimValidationError,
    PrimitiveArrayClaim,
    PrimitiveClaim,
    SessionClaimValidator,
    invalid_claim_body,
)
from authclient.errors import InvalidClaimError


async def async_consumer() -> None:
    result = await aio.get_user_metadata("alice")
    assert_type(result, authclient.MetadataResult)
    assert_type(result.metadata, dict[str, Any])
    merged = await aio.update_user_metadata("alice", {"k": 1}, user_context={"x": 1})
    assert_type(merged, authclient.MetadataResult)
    cleared = await aio.clear_user_metadata("alice")
    assert_type(cleared, authclient.ClearUserMetadataResult)
    async with aio.AsyncClient("http://localhost:3567", api_key="k", timeout=3.0) as client:
        assert_type(await client.get_user_metadata("bob"), authclient.MetadataResult)
        assert_type(client.usermetadata_recipe, aio.AsyncUserMetadataRecipe)


def sync_consumer() -> None:
    result = syncio.get_user_metadata("alice")
    assert_type(result, authclient.MetadataResult)
    merged = syncio.update_user_metadata("alice", {"k": 1})
    assert_type(merged.metadata, dict[str, Any])
    assert_type(syncio.clear_user_metadata("alice"), authclient.ClearUserMetadataResult)
    with syncio.Client("http://localhost:3567") as client:
        assert_type(client.get_user_metadata("bob"), authclient.MetadataResult)
        assert_type(client.usermetadata_recipe, syncio.UserMetadataRecipe)


def override(original: syncio.UserMetadataRecipe) -> syncio.UserMetadataRecipe:
    return original


def configure() -> None:
    syncio.init(
        "http://a:3567;http://b:3567", overrides=authclient.Overrides(usermetadata=override)
    )
    aio.init(max_retries=0, cdi_version="5.4")
    assert_type(syncio.reset(), None)
    assert_type(aio.reset(), None)  # not awaited: the asyncio flavor's reset is a plain function


async def async_sessions(token: str) -> None:
    session = await aio.create_new_session("alice", {"role": "admin"}, tenant_id="public")
    assert_type(session, aio.AsyncSession)
    assert_type(session.tokens, authclient.SessionTokens)
    verified = await aio.get_session(token, check_database=True)
    assert_type(verified, aio.AsyncSession)
    assert_type(await aio.refresh_session("rt"), aio.AsyncSession)
    assert_type(await aio.revoke_session(session.handle), bool)
    assert_type(await aio.get_all_session_handles_for_user("alice"), list[str])
    info = await aio.get_session_information(session.handle)
    assert_type(info, Optional[authclient.SessionInformation])
    assert_type(await aio.get_jwks(), authclient.JWKS)
    await session.merge_into_access_token_payload({"x": None}, user_context={})
    assert_type(await session.get_expiry(), int)


def sync_sessions(token: str) -> None:
    with syncio.Client(session=authclient.SessionConfig(anti_csrf="VIA_TOKEN")) as client:
        session = client.create_new_session("alice")
        assert_type(session, syncio.Session)
        assert_type(client.get_session(token, session_required=False), Optional[syncio.Session])
        regenerated = client.regenerate_access_token(token, {"a": 1})
        assert_type(regenerated, Optional[authclient.RegenerateAccessTokenResult])
        assert_type(session.get_session_data_from_database(), dict[str, Any])


# --- types that narrow ---------------------------------------------------------------------------


async def narrowing(token: str, client: aio.AsyncClient) -> None:
    assert_type(await aio.get_session(token), aio.AsyncSession)
    assert_type(await aio.get_session(token, session_required=True), aio.AsyncSession)
    assert_type(await aio.get_session(token, session_required=False), Optional[aio.AsyncSession])
    assert_type(await client.get_session(token), aio.AsyncSession)
    assert_type(await client.get_session(None, session_required=False), Optional[aio.AsyncSession])
    required: bool = bool(token)
    assert_type(
        await client.get_session(token, session_required=required), Optional[aio.AsyncSession]
    )


def sync_narrowing(token: str, client: syncio.Client) -> None:
    assert_type(syncio.get_session(token), syncio.Session)
    assert_type(syncio.get_session(token, session_required=False), Optional[syncio.Session])
    assert_type(client.get_session(token, check_database=True), syncio.Session)


def module_functions_are_coroutines() -> None:
    result = asyncio.run(aio.get_user_metadata("alice"))
    assert_type(result, authclient.MetadataResult)
    assert_type(asyncio.run(aio.get_session("token")), aio.AsyncSession)
    assert_type(asyncio.run(aio.revoke_session("handle")), bool)


async def tasks() -> None:
    task = asyncio.create_task(aio.create_new_session("alice"))
    assert_type(await task, aio.AsyncSession)
    handles = asyncio.ensure_future(aio.get_all_session_handles_for_user("alice"))
    assert_type(await handles, list[str])


# --- claims ----------------------------------------------------------------------------------------


def fetch_roles(
    user_id: str, recipe_user_id: str, tenant_id: str, payload: dict[str, Any], ctx: dict[str, Any]
) -> list[str]:
    return ["admin"]


async def fetch_is_admin(
    user_id: str, recipe_user_id: str, tenant_id: str, payload: dict[str, Any], ctx: dict[str, Any]
) -> bool:
    return True


def fetch_level(
    user_id: str, recipe_user_id: str, tenant_id: str, payload: dict[str, Any], ctx: dict[str, Any]
) -> Optional[int]:
    return None


Roles = PrimitiveArrayClaim("roles", fetch_roles)
IsAdmin = BooleanClaim("is_admin", fetch_value=fetch_is_admin)
Level = PrimitiveClaim("level", fetch_level, default_max_age=300)


async def claims_on_sessions(session: aio.AsyncSession, client: aio.AsyncClient) -> None:
    assert_type(Roles, PrimitiveArrayClaim[str])
    assert_type(Level, PrimitiveClaim[int])
    assert_type(await session.get_claim_value(IsAdmin), Optional[bool])
    assert_type(await session.get_claim_value(Roles), Optional[list[str]])
    assert_type(await session.get_claim_value(Level), Optional[int])
    await session.fetch_and_set_claim(IsAdmin)
    await session.set_claim_value(IsAdmin, True)
    await session.set_claim_value(Roles, ["admin", "staff"])
    await session.remove_claim(Roles)
    validators: list[SessionClaimValidator] = [
        IsAdmin.validators.is_true(max_age=60),
        Roles.validators.includes("admin"),
        Roles.validators.excludes_all(["banned"]),
        Level.validators.has_value(3),
    ]
    try:
        await session.assert_claims(validators)
    except InvalidClaimError as error:
        assert_type(error.claim_validation_errors, list[ClaimValidationError])
        assert_type(invalid_claim_body(error), dict[str, Any])
    value = await aio.get_claim_value(session.get_handle(), IsAdmin)
    assert_type(value, Optional[authclient.ClaimValueResult[bool]])
    roles = await client.get_claim_value(session.get_handle(), Roles)
    assert_type(roles, Optional[authclient.ClaimValueResult[list[str]]])
    assert_type(await aio.set_claim_value(session.get_handle(), IsAdmin, False), bool)
    checked = await aio.validate_claims_for_session_handle(session.get_handle())
    assert_type(checked, Optional[authclient.ClaimsValidationResult])


def only_admins(
    validators: list[SessionClaimValidator], session: syncio.Session, user_context: dict[str, Any]
) -> list[SessionClaimValidator]:
    return [*validators, IsAdmin.validators.is_true()]


def sync_claims(token: str) -> None:
    config = authclient.SessionConfig(global_claim_validators=[Roles.validators.includes("a")])
    with syncio.Client(session=config) as client:
        session = client.get_session(token, override_global_claim_validators=only_admins)
        assert_type(session.get_claim_value(Roles), Optional[list[str]])
        assert_type(session.get_user_id(), str)
        assert_type(session.get_all_session_tokens_dangerously(), authclient.SessionTokens)
        assert_type(client.fetch_and_set_claim(session.get_handle(), Roles), bool)


# --- the override pattern, typed (no method assignment, no ignore) --------------------------------


class NoSessionOnSignUp(aio.AsyncSessionRecipe):
    async def create_new_session(
        self,
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> aio.AsyncSession:
        if user_context.get("is_sign_up"):
            return aio.AsyncEmptySession(self, user_id, tenant_id)  # nothing sent to the core
        return await super().create_new_session(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id,
            disable_anti_csrf,
            user_context,
        )


class SyncNoSessionOnSignUp(syncio.SessionRecipe):
    def create_new_session(
        self,
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> syncio.Session:
        if user_context.get("is_sign_up"):
            return syncio.EmptySession(self, user_id, tenant_id)
        return super().create_new_session(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id,
            disable_anti_csrf,
            user_context,
        )


async def overrides_type_check(url: str) -> None:
    client = aio.AsyncClient(
        url, overrides=authclient.Overrides(session=NoSessionOnSignUp.from_original)
    )
    await client.create_new_session("alice", user_context={"is_sign_up": True})
    overrides = authclient.Overrides(session=SyncNoSessionOnSignUp.from_original)
    with syncio.Client(url, overrides=overrides) as sync_client:
        assert_type(sync_client.session_recipe, syncio.SessionRecipe)
    both = authclient.Overrides(usermetadata=override, session=SyncNoSessionOnSignUp.from_original)
    syncio.init(url, overrides=both)


# --- the README tour, verbatim (each block in a function: it uses names the reader defines) -------


async def readme_tour_async() -> None:
    from authclient.asyncio import get_user_metadata, update_user_metadata

    result = await get_user_metadata("alice")  # MetadataResult(metadata={...}), {} when none
    await update_user_metadata(
        "alice", {"theme": "dark", "old": None}
    )  # shallow merge, None deletes
    assert_type(result, authclient.MetadataResult)


def readme_tour_sync() -> None:
    from authclient.syncio import get_user_metadata

    result = get_user_metadata("alice")
    assert_type(result, authclient.MetadataResult)


def readme_tour_sessions(access_token: str, refresh_token: str) -> None:
    from authclient.syncio import create_new_session, get_session, refresh_session

    def send_to_front_end(token: str) -> None: ...

    session = create_new_session("alice", {"role": "admin"})  # tokens for your front end
    tokens = session.get_all_session_tokens_dangerously()  # access_token, refresh_token, ...
    assert_type(tokens.refresh_token, Optional[str])

    session = get_session(access_token)  # verified locally (RS256, cached JWKS): no core call
    if session.tokens.access_token_updated:  # the core replaced it (first use after a refresh)
        send_to_front_end(session.tokens.access_token)
    session = refresh_session(refresh_token)  # TokenTheftError if an old refresh token is replayed


async def readme_tour_client(KEY: str) -> None:
    from authclient.asyncio import AsyncClient  # syncio: Client, `with`, close()

    # Two replicas of one core, both serving the app "shop": the second is used when the first fails.
    async with AsyncClient(
        "http://core-a:3567/appid-shop;http://core-b:3567/appid-shop", api_key=KEY
    ) as client:
        await client.clear_user_metadata("alice")
        await client.prefetch()  # warm the signing-key cache


async def readme_claims(access_token: str) -> None:
    from authclient.asyncio import get_session
    from authclient.claims import BooleanClaim

    async def fetch_is_admin(
        user_id: str,
        recipe_user_id: str,
        tenant_id: str,
        payload: dict[str, Any],
        ctx: dict[str, Any],
    ) -> bool:
        return user_id == "alice"

    IsAdmin = BooleanClaim("is_admin", fetch_value=fetch_is_admin)

    session = await get_session(access_token)
    await session.fetch_and_set_claim(IsAdmin)  # the value goes into a new access token
    if await session.get_claim_value(IsAdmin):  # Optional[bool]
        await session.assert_claims([IsAdmin.validators.is_true(max_age=300)])


async def readme_jwt(url: str) -> None:
    from authclient.asyncio import AsyncClient, SessionConfig

    client = AsyncClient(url, session=SessionConfig(api_domain="https://api.example.com"))
    result = await client.create_jwt({"sub": "svc-42", "role": "reader"}, validity_seconds=600)
    assert_type(result.jwt, str)
    discovery = await client.get_open_id_discovery_configuration()
    assert_type(discovery, authclient.OpenIdDiscoveryConfiguration)
    assert_type(discovery.to_dict(), dict[str, Any])
    assert_type(await aio.create_jwt({}, None, False, user_context={}), authclient.CreateJwtResult)
    assert_type(syncio.create_jwt({}), authclient.CreateJwtResult)
    assert_type(
        syncio.get_open_id_discovery_configuration(), authclient.OpenIdDiscoveryConfiguration
    )
