"""The documented "User Context" example, and overrides seen from session objects."""

from __future__ import annotations

from typing import Any, Optional

import pytest

from authclient._compat import ASYNC
from authclient.asyncio import (
    AsyncEmptySession,
    AsyncSession,
    AsyncSessionRecipe,
    Overrides,
    SessionInformation,
)
from tests.asyncio.conftest import AppClient, new_user_id

if ASYNC:
    pytestmark = pytest.mark.anyio


# The documented example: sign-up marks user_context, and create_new_session then makes no session.
def no_session_on_sign_up(original: AsyncSessionRecipe) -> AsyncSessionRecipe:
    original_create = original.create_new_session

    async def create_new_session(
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> AsyncSession:
        if user_context.get("is_sign_up"):
            return AsyncEmptySession(original, user_id, tenant_id)
        return await original_create(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id,
            disable_anti_csrf,
            user_context,
        )

    original.create_new_session = create_new_session  # type: ignore[method-assign]
    return original


async def test_user_context_example_skips_the_session_on_sign_up(
    app_client: AppClient, newest_cdi_version: str
) -> None:
    overrides = Overrides(session=no_session_on_sign_up)
    amy = new_user_id("amy")
    async with app_client(overrides=overrides, cdi_version=newest_cdi_version) as (client, calls):
        signed_up = await client.create_new_session(amy, user_context={"is_sign_up": True})
        assert isinstance(signed_up, AsyncEmptySession)
        assert (signed_up.user_id, signed_up.handle, signed_up.tokens.access_token) == (
            amy,
            "",
            "",
        )
        await signed_up.revoke_session()
        assert await signed_up.get_session_data_from_database() == {}
        assert calls == []  # no core call at all
        signed_in = await client.create_new_session(amy, user_context={"is_sign_in": True})
        assert not isinstance(signed_in, AsyncEmptySession)
        assert signed_in.handle
        assert calls == ["POST /public/recipe/session"]
        assert await client.get_all_session_handles_for_user(amy) == [signed_in.handle]


async def test_session_objects_use_a_wrapping_override(app_client: AppClient) -> None:
    """An override that returns a different object is still what session methods call."""
    seen: list[dict[str, Any]] = []

    class Auditing(AsyncSessionRecipe):
        async def get_session_information(
            self, session_handle: str, user_context: dict[str, Any]
        ) -> Optional[SessionInformation]:
            seen.append(user_context)
            return await super().get_session_information(session_handle, user_context)

    def audit(original: AsyncSessionRecipe) -> AsyncSessionRecipe:
        return Auditing(original.transport, original.config)

    async with app_client(overrides=Overrides(session=audit)) as (client, _):
        session = await client.create_new_session("ben", session_data_in_database={"k": 1})
        context = {"request_id": "r1"}
        assert await session.get_session_data_from_database(context) == {"k": 1}
        # merge_into_access_token_payload looks the session up through the override too.
        assert await client.merge_into_access_token_payload(session.handle, {"x": 1})
    assert seen[0] is context
    assert len(seen) == 2


async def test_an_empty_session_needs_no_recipe() -> None:
    """AsyncEmptySession(user_id=...) works alone: nothing to revoke, data empty, payload local."""
    session = AsyncEmptySession(user_id="nora")
    await session.revoke_session()
    await session.update_session_data_in_database({"x": 1})
    await session.merge_into_access_token_payload({"role": "admin", "gone": None})
    assert session.access_token_payload == {"role": "admin"}
    assert await session.get_session_data_from_database() == {}
    assert session.user_id == "nora"
