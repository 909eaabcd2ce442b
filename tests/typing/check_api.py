"""A consumer's code in both flavors: mypy --strict and pyright check it (it is never run)."""

from __future__ import annotations

from typing import Any

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
