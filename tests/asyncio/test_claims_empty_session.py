"""The seed's "User Context" example, extended to the full sixteen-method empty session.

The seed builds, on sign-up, a session object with getAccessToken, getAccessTokenPayload,
getExpiry, getHandle, getSessionData, getTimeCreated, getUserId, revokeSession,
updateAccessTokenPayload, updateSessionData, mergeIntoAccessTokenPayload, assertClaims,
fetchAndSetClaim, getClaimValue, setClaimValue and removeClaim. The old Node names are the
modern ones: getSessionData is get_session_data_from_database, updateSessionData is
update_session_data_in_database, updateAccessTokenPayload is merge_into_access_token_payload.
"""

from __future__ import annotations

from typing import Any

import pytest

from authclient._compat import ASYNC
from authclient.asyncio import AsyncEmptySession, AsyncSession, AsyncSessionRecipe, Overrides
from authclient.claims import BooleanClaim
from tests.asyncio.conftest import AppClient, new_user_id

if ASYNC:
    pytestmark = pytest.mark.anyio


# The seed's example, with the typed override: no method assignment, no type: ignore.
class NoSessionOnSignUp(AsyncSessionRecipe):
    async def create_new_session(
        self,
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> AsyncSession:
        if user_context.get("is_sign_up"):
            return AsyncEmptySession(self, user_id, tenant_id, access_token_payload)
        return await super().create_new_session(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id,
            disable_anti_csrf,
            user_context,
        )


def never_fetched(*args: Any) -> bool:
    raise AssertionError("an empty session fetches no claim")


IsAdmin = BooleanClaim("is_admin", never_fetched)


async def test_the_sixteen_method_empty_session_calls_no_core(
    app_client: AppClient, newest_cdi_version: str
) -> None:
    """Every method of the seed's list works on the empty session, with the seed's values."""
    overrides = Overrides(session=NoSessionOnSignUp.from_original)
    amy = new_user_id("amy")
    async with app_client(overrides=overrides, cdi_version=newest_cdi_version) as (client, calls):
        session = await client.create_new_session(
            amy, {"plan": "free"}, user_context={"is_sign_up": True}
        )
        assert isinstance(session, AsyncEmptySession)
        assert session.get_access_token() == ""
        assert session.get_access_token_payload() == {"plan": "free"}
        assert await session.get_expiry() == -1
        assert session.get_handle() == ""
        assert await session.get_session_data_from_database() == {}  # getSessionData
        assert await session.get_time_created() == -1
        assert session.get_user_id() == amy
        await session.revoke_session()
        await session.merge_into_access_token_payload({"plan": None})  # updateAccessTokenPayload
        await session.update_session_data_in_database({"cart": [1]})  # updateSessionData
        await session.merge_into_access_token_payload({"seen": True})
        await session.assert_claims([IsAdmin.validators.is_true()])
        await session.fetch_and_set_claim(IsAdmin)
        assert await session.get_claim_value(IsAdmin) is None
        await session.set_claim_value(IsAdmin, True)
        await session.remove_claim(IsAdmin)
        assert await session.get_claim_value(IsAdmin) is None
        assert session.get_access_token_payload() == {"seen": True}
        assert calls == []
        signed_in = await client.create_new_session(amy, user_context={"is_sign_in": True})
        assert not isinstance(signed_in, AsyncEmptySession)
        assert calls == ["POST /public/recipe/session"]


async def test_an_empty_session_has_the_other_getters_too() -> None:
    """Recipe user id, tenant, tokens and session information of an empty session."""
    session = AsyncEmptySession(user_id="nora", tenant_id="shop")
    assert (session.get_recipe_user_id(), session.get_tenant_id()) == ("nora", "shop")
    tokens = session.get_all_session_tokens_dangerously()
    assert (tokens.access_token, tokens.refresh_token, tokens.access_token_updated) == (
        "",
        None,
        False,
    )
    info = await session.get_session_information()
    assert (info.expiry, info.time_created, info.session_data_in_database) == (-1, -1, {})
