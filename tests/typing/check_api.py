"""A consumer's code in both flavors: mypy --strict and pyright check it (it is never run)."""

from __future__ import annotations

from typing import Any, Optional

from typing_extensions import assert_type

import authclient
from authclient import asyncio as aio
from authclient import syncio


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
