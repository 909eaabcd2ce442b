# Generated from tests/asyncio/test_overrides.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Overrides and user_context: one dict object flows through every step of a call."""

from __future__ import annotations

from typing import Any

import pytest

import authclient.syncio
from authclient.syncio import Client, MetadataResult, Overrides, UserMetadataRecipe
from authclient.types import RequestInfo
from tests.syncio.conftest import CORE_URL, Calls


def tagging_override(original: UserMetadataRecipe) -> UserMetadataRecipe:
    """The reference SDK's idiom: keep the original method, assign a replacement on the instance."""
    original_get = original.get_user_metadata

    def get_user_metadata(user_id: str, user_context: dict[str, Any]) -> MetadataResult:
        user_context["override_saw"] = user_id
        result = original_get(user_id, user_context)
        return MetadataResult({**result.metadata, "overridden": True})

    original.get_user_metadata = get_user_metadata  # type: ignore[method-assign]
    return original


def test_override_wraps_the_original_and_shares_user_context(client: Client) -> None:
    seen: list[RequestInfo] = []
    client.update_user_metadata("alice", {"a": 1})
    with Client(
        CORE_URL, overrides=Overrides(usermetadata=tagging_override), on_request=seen.append
    ) as overridden:
        context: dict[str, Any] = {"tenant": "t1"}
        result = overridden.get_user_metadata("alice", user_context=context)
    assert result.metadata == {"a": 1, "overridden": True}
    assert context == {"tenant": "t1", "override_saw": "alice"}
    assert seen[-1].user_context is context


@pytest.mark.usefixtures("calls")
def test_none_user_context_becomes_a_fresh_dict_per_call() -> None:
    contexts: list[dict[str, Any]] = []

    def remember(original: UserMetadataRecipe) -> UserMetadataRecipe:
        original_get = original.get_user_metadata

        def get_user_metadata(user_id: str, user_context: dict[str, Any]) -> MetadataResult:
            contexts.append(user_context)
            user_context["dirty"] = True
            return original_get(user_id, user_context)

        original.get_user_metadata = get_user_metadata  # type: ignore[method-assign]
        return original

    with Client(CORE_URL, overrides=Overrides(usermetadata=remember)) as client:
        client.get_user_metadata("alice")
        client.get_user_metadata("alice")
    assert contexts == [{"dirty": True}, {"dirty": True}]
    assert contexts[0] is not contexts[1]


def test_subclass_override_can_answer_without_the_core(calls: Calls) -> None:
    class CachedMetadata(UserMetadataRecipe):
        def get_user_metadata(self, user_id: str, user_context: dict[str, Any]) -> MetadataResult:
            if user_context.get("from_cache"):
                return MetadataResult({"cached": True})
            return super().get_user_metadata(user_id, user_context)

    def use_cache(original: UserMetadataRecipe) -> UserMetadataRecipe:
        return CachedMetadata(original.transport)

    with Client(CORE_URL, cdi_version="5.4", overrides=Overrides(usermetadata=use_cache)) as client:
        cached = client.get_user_metadata("alice", {"from_cache": True})
        assert calls == []
        fresh = client.get_user_metadata("alice")
    assert cached.metadata == {"cached": True}
    assert fresh.metadata == {}
    assert calls == ["GET /recipe/user/metadata"]


@pytest.mark.usefixtures("calls")
def test_module_functions_go_through_init_overrides() -> None:
    authclient.syncio.init(CORE_URL, overrides=Overrides(usermetadata=tagging_override))
    context: dict[str, Any] = {}
    result = authclient.syncio.get_user_metadata("zoe", context)
    assert result.metadata == {"overridden": True}
    assert context == {"override_saw": "zoe"}
