"""Overrides and user_context: one dict object flows through every step of a call."""

from __future__ import annotations

from typing import Any

import pytest

import authclient.asyncio
from authclient._compat import ASYNC
from authclient.asyncio import AsyncClient, AsyncUserMetadataRecipe, MetadataResult, Overrides
from authclient.types import RequestInfo
from tests.asyncio.conftest import CORE_URL, Calls

if ASYNC:
    pytestmark = pytest.mark.anyio


def tagging_override(original: AsyncUserMetadataRecipe) -> AsyncUserMetadataRecipe:
    """The reference SDK's idiom: keep the original method, assign a replacement on the instance."""
    original_get = original.get_user_metadata

    async def get_user_metadata(user_id: str, user_context: dict[str, Any]) -> MetadataResult:
        user_context["override_saw"] = user_id
        result = await original_get(user_id, user_context)
        return MetadataResult({**result.metadata, "overridden": True})

    original.get_user_metadata = get_user_metadata  # type: ignore[method-assign]
    return original


async def test_override_wraps_the_original_and_shares_user_context(client: AsyncClient) -> None:
    seen: list[RequestInfo] = []
    await client.update_user_metadata("alice", {"a": 1})
    async with AsyncClient(
        CORE_URL, overrides=Overrides(usermetadata=tagging_override), on_request=seen.append
    ) as overridden:
        context: dict[str, Any] = {"tenant": "t1"}
        result = await overridden.get_user_metadata("alice", user_context=context)
    assert result.metadata == {"a": 1, "overridden": True}
    assert context == {"tenant": "t1", "override_saw": "alice"}
    assert seen[-1].user_context is context


@pytest.mark.usefixtures("calls")
async def test_none_user_context_becomes_a_fresh_dict_per_call() -> None:
    contexts: list[dict[str, Any]] = []

    def remember(original: AsyncUserMetadataRecipe) -> AsyncUserMetadataRecipe:
        original_get = original.get_user_metadata

        async def get_user_metadata(user_id: str, user_context: dict[str, Any]) -> MetadataResult:
            contexts.append(user_context)
            user_context["dirty"] = True
            return await original_get(user_id, user_context)

        original.get_user_metadata = get_user_metadata  # type: ignore[method-assign]
        return original

    async with AsyncClient(CORE_URL, overrides=Overrides(usermetadata=remember)) as client:
        await client.get_user_metadata("alice")
        await client.get_user_metadata("alice")
    assert contexts == [{"dirty": True}, {"dirty": True}]
    assert contexts[0] is not contexts[1]


async def test_subclass_override_can_answer_without_the_core(calls: Calls) -> None:
    class CachedMetadata(AsyncUserMetadataRecipe):
        async def get_user_metadata(
            self, user_id: str, user_context: dict[str, Any]
        ) -> MetadataResult:
            if user_context.get("from_cache"):
                return MetadataResult({"cached": True})
            return await super().get_user_metadata(user_id, user_context)

    def use_cache(original: AsyncUserMetadataRecipe) -> AsyncUserMetadataRecipe:
        return CachedMetadata(original.transport)

    async with AsyncClient(
        CORE_URL, cdi_version="5.4", overrides=Overrides(usermetadata=use_cache)
    ) as client:
        cached = await client.get_user_metadata("alice", {"from_cache": True})
        assert calls == []
        fresh = await client.get_user_metadata("alice")
    assert cached.metadata == {"cached": True}
    assert fresh.metadata == {}
    assert calls == ["GET /recipe/user/metadata"]


@pytest.mark.usefixtures("calls")
async def test_module_functions_go_through_init_overrides() -> None:
    authclient.asyncio.init(CORE_URL, overrides=Overrides(usermetadata=tagging_override))
    context: dict[str, Any] = {}
    result = await authclient.asyncio.get_user_metadata("zoe", context)
    assert result.metadata == {"overridden": True}
    assert context == {"override_saw": "zoe"}
