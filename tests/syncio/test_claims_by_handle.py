# Generated from tests/asyncio/test_claims_by_handle.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Claims of stored sessions, by session handle: client methods and module functions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import authclient.syncio
from authclient.claims import (
    BooleanClaim,
    PrimitiveArrayClaim,
    PrimitiveClaim,
    SessionClaimValidator,
)
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import (
    ClaimValueResult,
    Overrides,
    SessionConfig,
    SessionInformation,
    SessionRecipe,
)
from tests.syncio.conftest import AppClient, new_app, new_user_id

UNKNOWN_HANDLE = "00000000-0000-4000-8000-000000000000"


class Fetcher:
    """A fetch_value that returns ``value`` and records the tenant it was asked for."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.tenants: list[str] = []

    def __call__(self, user_id: str, recipe_user_id: str, tenant_id: str, *rest: Any) -> Any:
        self.tenants.append(tenant_id)
        return self.value


def stale(value: object, seconds: float) -> dict[str, Any]:
    return {"v": value, "t": int(time.time() * 1000) - int(seconds * 1000)}


def test_fetch_and_set_claim_by_handle_stores_it_for_the_next_token(
    app_client: AppClient,
) -> None:
    """The value is in the core's payload, and in the access token after a refresh."""
    roles = PrimitiveArrayClaim("roles", Fetcher(["admin"]))
    with app_client() as (client, _):
        session = client.create_new_session(new_user_id("amy"), {"keep": True})
        assert client.fetch_and_set_claim(session.handle, roles)
        info = client.get_session_information(session.handle)
        assert info is not None
        assert roles.get_value_from_payload(info.custom_claims_in_access_token_payload) == ["admin"]
        assert info.custom_claims_in_access_token_payload["keep"] is True
        refreshed = client.refresh_session(session.tokens.refresh_token or "")
        assert refreshed.get_claim_value(roles) == ["admin"]


def test_set_get_and_remove_by_handle(app_client: AppClient) -> None:
    """set_claim_value, get_claim_value (a ClaimValueResult) and remove_claim by handle."""
    level = PrimitiveClaim("level", Fetcher(None))
    with app_client() as (client, _):
        handle = (client.create_new_session(new_user_id("bo"))).handle
        assert client.get_claim_value(handle, level) == ClaimValueResult(None)
        assert client.set_claim_value(handle, level, 3)
        assert client.get_claim_value(handle, level) == ClaimValueResult(3)
        assert client.remove_claim(handle, level)
        assert client.get_claim_value(handle, level) == ClaimValueResult(None)


def test_an_unknown_handle_is_false_or_none(app_client: AppClient) -> None:
    """No session: the setters say False, the readers None, and fetch_value is not called."""
    fetch = Fetcher(True)
    flag = BooleanClaim("flag", fetch)
    with app_client() as (client, _):
        assert client.fetch_and_set_claim(UNKNOWN_HANDLE, flag) is False
        assert client.set_claim_value(UNKNOWN_HANDLE, flag, True) is False
        assert client.remove_claim(UNKNOWN_HANDLE, flag) is False
        assert client.get_claim_value(UNKNOWN_HANDLE, flag) is None
        assert client.validate_claims_for_session_handle(UNKNOWN_HANDLE) is None
    assert fetch.tenants == []


def test_fetch_by_handle_asks_for_the_sessions_tenant(app_client: AppClient) -> None:
    """By handle, fetch_value gets the tenant the core stores for the session."""
    fetch = Fetcher(True)
    with app_client() as (client, _):
        handle = (client.create_new_session(new_user_id("cy"))).handle
        client.fetch_and_set_claim(handle, BooleanClaim("flag", fetch))
    assert fetch.tenants == ["public"]


def test_validate_claims_for_session_handle_refetches_and_stores(
    app_client: AppClient,
) -> None:
    """Stale values are fetched again and written; the result lists what still fails."""
    is_admin = BooleanClaim("is_admin", Fetcher(True))
    roles = PrimitiveArrayClaim("roles", Fetcher(None))
    validators = [is_admin.validators.is_true(max_age=60), roles.validators.includes("admin")]
    config = SessionConfig(global_claim_validators=validators)
    with app_client(session=config) as (client, _):
        payload = {"is_admin": stale(False, 600), "roles": stale(["user"], 1)}
        handle = (client.create_new_session(new_user_id("di"), payload)).handle
        result = client.validate_claims_for_session_handle(handle)
        assert result is not None
        assert [error.id for error in result.invalid_claims] == ["roles"]
        stored = client.get_claim_value(handle, is_admin)
        assert stored == ClaimValueResult(True)


def test_the_by_handle_override_sees_the_session_information(app_client: AppClient) -> None:
    """The by-handle override gets the SessionInformation and can add validators."""
    is_admin = BooleanClaim("is_admin", Fetcher(None))
    seen: list[SessionInformation] = []

    def require_admin(
        validators: list[SessionClaimValidator], info: SessionInformation, ctx: dict[str, Any]
    ) -> list[SessionClaimValidator]:
        seen.append(info)
        return [*validators, is_admin.validators.is_true()]

    with app_client() as (client, _):
        handle = (client.create_new_session(new_user_id("ed"))).handle
        result = client.validate_claims_for_session_handle(handle, require_admin)
    assert result is not None
    assert [error.id for error in result.invalid_claims] == ["is_admin"]
    assert [info.session_handle for info in seen] == [handle]


def test_claims_by_handle_go_through_the_overridden_recipe(app_client: AppClient) -> None:
    """set_claim_value by handle merges through an overridden merge_into_access_token_payload."""
    merged: list[dict[str, Any]] = []

    class Recording(SessionRecipe):
        def merge_into_access_token_payload(
            self,
            session_handle: str,
            access_token_payload_update: dict[str, Any],
            user_context: dict[str, Any],
        ) -> bool:
            merged.append(access_token_payload_update)
            return super().merge_into_access_token_payload(
                session_handle, access_token_payload_update, user_context
            )

    flag = BooleanClaim("flag", Fetcher(None))
    with app_client(overrides=Overrides(session=Recording.from_original)) as (client, _):
        handle = (client.create_new_session(new_user_id("flo"))).handle
        client.set_claim_value(handle, flag, True)
        client.remove_claim(handle, flag)
    assert [list(update) for update in merged] == [["flag"], ["flag"]]
    assert merged[1] == {"flag": None}


@pytest.fixture
def default_client_on(local_core: LocalCore) -> Iterator[str]:
    """init() the default client on a fresh app of the local core; its URI."""
    uri = new_app(local_core)
    with httpx.Client(transport=LocalCoreTransport(local_core)) as http:
        authclient.syncio.init(uri, http_client=http)
        yield uri


def test_module_functions_work_by_handle(default_client_on: str) -> None:
    """The by-handle functions exist as module functions on the default client."""
    flag = BooleanClaim("flag", Fetcher(True))
    session = authclient.syncio.create_new_session(new_user_id("gus"))
    assert authclient.syncio.fetch_and_set_claim(session.handle, flag)
    assert authclient.syncio.get_claim_value(session.handle, flag) == ClaimValueResult(True)
    assert authclient.syncio.set_claim_value(session.handle, flag, False)
    result = authclient.syncio.validate_claims_for_session_handle(
        session.handle, lambda validators, info, ctx: [flag.validators.is_true()]
    )
    assert result is not None
    assert [error.id for error in result.invalid_claims] == ["flag"]
    assert authclient.syncio.remove_claim(session.handle, flag)
    assert authclient.syncio.get_claim_value(session.handle, flag) == ClaimValueResult(None)
