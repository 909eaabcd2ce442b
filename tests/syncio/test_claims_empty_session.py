# Generated from tests/asyncio/test_claims_empty_session.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

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

from authclient.claims import BooleanClaim
from authclient.syncio import EmptySession, Overrides, Session, SessionRecipe
from tests.syncio.conftest import AppClient, new_user_id


# The seed's example, with the typed override: no method assignment, no type: ignore.
class NoSessionOnSignUp(SessionRecipe):
    def create_new_session(
        self,
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> Session:
        if user_context.get("is_sign_up"):
            return EmptySession(self, user_id, tenant_id, access_token_payload)
        return super().create_new_session(
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


def test_the_sixteen_method_empty_session_calls_no_core(
    app_client: AppClient, newest_cdi_version: str
) -> None:
    """Every method of the seed's list works on the empty session, with the seed's values."""
    overrides = Overrides(session=NoSessionOnSignUp.from_original)
    amy = new_user_id("amy")
    with app_client(overrides=overrides, cdi_version=newest_cdi_version) as (client, calls):
        session = client.create_new_session(
            amy, {"plan": "free"}, user_context={"is_sign_up": True}
        )
        assert isinstance(session, EmptySession)
        assert session.get_access_token() == ""
        assert session.get_access_token_payload() == {"plan": "free"}
        assert session.get_expiry() == -1
        assert session.get_handle() == ""
        assert session.get_session_data_from_database() == {}  # getSessionData
        assert session.get_time_created() == -1
        assert session.get_user_id() == amy
        session.revoke_session()
        session.merge_into_access_token_payload({"plan": None})  # updateAccessTokenPayload
        session.update_session_data_in_database({"cart": [1]})  # updateSessionData
        session.merge_into_access_token_payload({"seen": True})
        session.assert_claims([IsAdmin.validators.is_true()])
        session.fetch_and_set_claim(IsAdmin)
        assert session.get_claim_value(IsAdmin) is None
        session.set_claim_value(IsAdmin, True)
        session.remove_claim(IsAdmin)
        assert session.get_claim_value(IsAdmin) is None
        assert session.get_access_token_payload() == {"seen": True}
        assert calls == []
        signed_in = client.create_new_session(amy, user_context={"is_sign_in": True})
        assert not isinstance(signed_in, EmptySession)
        assert calls == ["POST /public/recipe/session"]


def test_an_empty_session_has_the_other_getters_too() -> None:
    """Recipe user id, tenant, tokens and session information of an empty session."""
    session = EmptySession(user_id="nora", tenant_id="shop")
    assert (session.get_recipe_user_id(), session.get_tenant_id()) == ("nora", "shop")
    tokens = session.get_all_session_tokens_dangerously()
    assert (tokens.access_token, tokens.refresh_token, tokens.access_token_updated) == (
        "",
        None,
        False,
    )
    info = session.get_session_information()
    assert (info.expiry, info.time_created, info.session_data_in_database) == (-1, -1, {})
