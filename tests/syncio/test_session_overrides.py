# Generated from tests/asyncio/test_session_overrides.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The documented "User Context" example, and overrides seen from session objects."""

from __future__ import annotations

from typing import Any, Optional

from authclient.syncio import (
    EmptySession,
    Overrides,
    Session,
    SessionInformation,
    SessionRecipe,
)
from tests.syncio.conftest import AppClient, new_user_id


# The documented example: sign-up marks user_context, and create_new_session then makes no session.
def no_session_on_sign_up(original: SessionRecipe) -> SessionRecipe:
    original_create = original.create_new_session

    def create_new_session(
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> Session:
        if user_context.get("is_sign_up"):
            return EmptySession(original, user_id, tenant_id)
        return original_create(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id,
            disable_anti_csrf,
            user_context,
        )

    original.create_new_session = create_new_session  # type: ignore[method-assign]
    return original


def test_user_context_example_skips_the_session_on_sign_up(
    app_client: AppClient, newest_cdi_version: str
) -> None:
    overrides = Overrides(session=no_session_on_sign_up)
    amy = new_user_id("amy")
    with app_client(overrides=overrides, cdi_version=newest_cdi_version) as (client, calls):
        signed_up = client.create_new_session(amy, user_context={"is_sign_up": True})
        assert isinstance(signed_up, EmptySession)
        assert (signed_up.user_id, signed_up.handle, signed_up.tokens.access_token) == (
            amy,
            "",
            "",
        )
        signed_up.revoke_session()
        assert signed_up.get_session_data_from_database() == {}
        assert calls == []  # no core call at all
        signed_in = client.create_new_session(amy, user_context={"is_sign_in": True})
        assert not isinstance(signed_in, EmptySession)
        assert signed_in.handle
        assert calls == ["POST /public/recipe/session"]
        assert client.get_all_session_handles_for_user(amy) == [signed_in.handle]


def test_session_objects_use_a_wrapping_override(app_client: AppClient) -> None:
    """An override that returns a different object is still what session methods call."""
    seen: list[dict[str, Any]] = []

    class Auditing(SessionRecipe):
        def get_session_information(
            self, session_handle: str, user_context: dict[str, Any]
        ) -> Optional[SessionInformation]:
            seen.append(user_context)
            return super().get_session_information(session_handle, user_context)

    def audit(original: SessionRecipe) -> SessionRecipe:
        return Auditing(original.transport, original.config)

    with app_client(overrides=Overrides(session=audit)) as (client, _):
        session = client.create_new_session("ben", session_data_in_database={"k": 1})
        context = {"request_id": "r1"}
        assert session.get_session_data_from_database(context) == {"k": 1}
        # merge_into_access_token_payload looks the session up through the override too.
        assert client.merge_into_access_token_payload(session.handle, {"x": 1})
    assert seen[0] is context
    assert len(seen) == 2


def test_an_empty_session_needs_no_recipe() -> None:
    """EmptySession(user_id=...) works alone: nothing to revoke, data empty, payload local."""
    session = EmptySession(user_id="nora")
    session.revoke_session()
    session.update_session_data_in_database({"x": 1})
    session.merge_into_access_token_payload({"role": "admin", "gone": None})
    assert session.access_token_payload == {"role": "admin"}
    assert session.get_session_data_from_database() == {}
    assert session.user_id == "nora"
