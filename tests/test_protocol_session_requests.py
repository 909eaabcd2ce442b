"""The session recipe's requests (authclient/_protocol/session_requests.py), without any I/O.

Each builder gives a plain ``CoreRequest`` (method, path, query, body, idempotency), and refuses
bad input with a ``TypeError`` / ``ValueError`` before anything is built.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import pytest

from authclient._protocol import session as protocol
from authclient._protocol.wire import CoreRequest


def body(request: CoreRequest) -> dict[str, Any]:
    assert request.body is not None
    result: dict[str, Any] = json.loads(request.body)
    return result


def create(**changes: Any) -> CoreRequest:
    arguments: dict[str, Any] = {
        "user_id": "u-1",
        "access_token_payload": {"role": "admin"},
        "session_data_in_database": {"db": 1},
        "tenant_id": "public",
        "enable_anti_csrf": False,
        "use_dynamic_signing_key": True,
        **changes,
    }
    return protocol.create_request(**arguments)


def test_create_request() -> None:
    """Create posts to the tenant's path (even public) and is never retried."""
    request = create()
    assert (request.method, request.path, request.query) == ("POST", "/public/recipe/session", None)
    assert not request.idempotent
    assert body(request) == {
        "userId": "u-1",
        "userDataInJWT": {"role": "admin"},
        "userDataInDatabase": {"db": 1},
        "useDynamicSigningKey": True,
        "enableAntiCsrf": False,
    }


def test_session_requests_carry_the_session_recipe_id() -> None:
    """Session requests name the session recipe in the rid header, with a JSON body."""
    headers = create(tenant_id="t-1").headers("5.4", {})
    assert headers == {
        "cdi-version": "5.4",
        "rid": "session",
        "content-type": "application/json; charset=utf-8",
    }


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"tenant_id": "a/b"}, ValueError),
        ({"tenant_id": ""}, ValueError),
        ({"tenant_id": None}, TypeError),
        ({"user_id": ""}, ValueError),
        ({"user_id": 5}, TypeError),
        ({"access_token_payload": {"sub": "admin"}}, ValueError),
        ({"access_token_payload": {"tId": "other"}}, ValueError),
        ({"access_token_payload": {"stt": 1}}, ValueError),
        ({"access_token_payload": {"x": {1, 2}}}, TypeError),
        ({"access_token_payload": {"x": float("nan")}}, ValueError),
        ({"access_token_payload": None}, TypeError),
        ({"session_data_in_database": [1]}, TypeError),
        ({"session_data_in_database": {1: "x"}}, TypeError),
    ],
)
def test_create_request_refuses_bad_input(changes: dict[str, Any], error: type[Exception]) -> None:
    """A bad tenant, user id, payload or session data is refused before a request exists."""
    with pytest.raises(error):
        create(**changes)


def test_verify_request() -> None:
    """Verify posts the token and the checks asked for; it may be retried."""
    request = protocol.verify_request(
        "at-1", None, do_anti_csrf_check=True, enable_anti_csrf=False, check_database=True
    )
    assert (request.method, request.path, request.idempotent) == (
        "POST",
        "/recipe/session/verify",
        True,
    )
    assert body(request) == {
        "accessToken": "at-1",
        "doAntiCsrfCheck": True,
        "enableAntiCsrf": False,
        "checkDatabase": True,
    }


def test_verify_request_sends_an_anti_csrf_token_only_when_given() -> None:
    """antiCsrfToken is in the body only when the caller has one, and counts as a secret."""
    request = protocol.verify_request(
        "at-1", "csrf-1", do_anti_csrf_check=True, enable_anti_csrf=True, check_database=False
    )
    assert body(request)["antiCsrfToken"] == "csrf-1"
    assert set(request.secrets) == {"at-1", "csrf-1"}


def test_refresh_request_is_never_retried() -> None:
    """Refresh posts the refresh token and is not idempotent (a replay looks like theft)."""
    request = protocol.refresh_request(
        "rt-1", "csrf-1", enable_anti_csrf=True, use_dynamic_signing_key=False
    )
    assert (request.method, request.path, request.idempotent) == (
        "POST",
        "/recipe/session/refresh",
        False,
    )
    assert body(request) == {
        "refreshToken": "rt-1",
        "enableAntiCsrf": True,
        "useDynamicSigningKey": False,
        "antiCsrfToken": "csrf-1",
    }


@pytest.mark.parametrize(
    ("token", "error"), [("", ValueError), (None, TypeError), (b"rt", TypeError)]
)
def test_refresh_request_refuses_a_bad_token(token: object, error: type[Exception]) -> None:
    """An empty or non-str refresh token is refused."""
    with pytest.raises(error):
        protocol.refresh_request(token, None, enable_anti_csrf=False, use_dynamic_signing_key=True)  # type: ignore[arg-type]


def test_info_request() -> None:
    """Session information is a GET with the handle in the query, and no body."""
    request = protocol.info_request("h-1")
    assert (request.method, request.path, request.query, request.body) == (
        "GET",
        "/recipe/session",
        {"sessionHandle": "h-1"},
        None,
    )


def test_update_data_request() -> None:
    """Session data is replaced with an idempotent PUT."""
    request = protocol.update_data_request("h-1", {"db": 2})
    assert (request.method, request.path, request.idempotent) == (
        "PUT",
        "/recipe/session/data",
        True,
    )
    assert body(request) == {"sessionHandle": "h-1", "userDataInDatabase": {"db": 2}}


def test_update_access_token_payload_request() -> None:
    """The access-token payload is replaced with an idempotent PUT to /recipe/jwt/data."""
    request = protocol.update_access_token_payload_request("h-1", {"role": "x"})
    assert (request.method, request.path) == ("PUT", "/recipe/jwt/data")
    assert body(request) == {"sessionHandle": "h-1", "userDataInJWT": {"role": "x"}}


BY_HANDLE: dict[str, Callable[[Any], CoreRequest]] = {
    "info": protocol.info_request,
    "update_data": lambda handle: protocol.update_data_request(handle, {}),
    "update_payload": lambda handle: protocol.update_access_token_payload_request(handle, {}),
}


@pytest.mark.parametrize("builder", sorted(BY_HANDLE))
@pytest.mark.parametrize(("handle", "error"), [("", ValueError), (5, TypeError)])
def test_by_handle_requests_refuse_a_bad_handle(
    builder: str, handle: object, error: type[Exception]
) -> None:
    """An empty or non-str session handle is refused."""
    with pytest.raises(error):
        BY_HANDLE[builder](handle)


def test_update_payload_request_refuses_protected_claims() -> None:
    """A new payload may not set the core's claims."""
    with pytest.raises(ValueError, match="rsub"):
        protocol.update_access_token_payload_request("h-1", {"rsub": "x"})


def test_update_data_request_refuses_non_json() -> None:
    """Session data that JSON cannot carry exactly is refused."""
    with pytest.raises(TypeError):
        protocol.update_data_request("h-1", {"when": object()})


def test_regenerate_request_without_a_payload() -> None:
    """Regenerate without a new payload sends only the token (the core keeps the payload)."""
    request = protocol.regenerate_request("at-1", None)
    assert (request.method, request.path, request.idempotent) == (
        "POST",
        "/recipe/session/regenerate",
        True,
    )
    assert body(request) == {"accessToken": "at-1"}


def test_regenerate_request_with_a_payload() -> None:
    """Regenerate with a new payload sends it as userDataInJWT."""
    assert body(protocol.regenerate_request("at-1", {"a": 1}))["userDataInJWT"] == {"a": 1}


def test_regenerate_request_refuses_protected_claims() -> None:
    """A regenerate payload setting a core claim is refused, naming the argument."""
    with pytest.raises(ValueError, match="new_access_token_payload"):
        protocol.regenerate_request("at-1", {"exp": 1})


def test_handles_for_user_across_all_tenants() -> None:
    """No tenant: the un-prefixed path, fetching across all tenants."""
    request = protocol.handles_for_user_request(
        "u-1", tenant_id=None, fetch_sessions_for_linked_accounts=True
    )
    assert (request.method, request.path) == ("GET", "/recipe/session/user")
    assert request.query == {
        "userId": "u-1",
        "fetchAcrossAllTenants": "true",
        "fetchSessionsForAllLinkedAccounts": "true",
    }


def test_handles_for_user_in_one_tenant() -> None:
    """A tenant, even public, gives the tenant's path and not across all tenants."""
    request = protocol.handles_for_user_request(
        "u-1", tenant_id="public", fetch_sessions_for_linked_accounts=False
    )
    assert request.path == "/public/recipe/session/user"
    assert request.query is not None
    assert request.query["fetchAcrossAllTenants"] == "false"
    assert request.query["fetchSessionsForAllLinkedAccounts"] == "false"


def test_revoke_all_across_all_tenants() -> None:
    """No tenant: the un-prefixed remove path, revoking across all tenants."""
    request = protocol.revoke_all_request(
        "u-1", tenant_id=None, revoke_sessions_for_linked_accounts=False
    )
    assert (request.method, request.path, request.idempotent) == (
        "POST",
        "/recipe/session/remove",
        True,
    )
    assert body(request) == {
        "userId": "u-1",
        "revokeAcrossAllTenants": True,
        "revokeSessionsForLinkedAccounts": False,
    }


def test_revoke_all_in_one_tenant() -> None:
    """A tenant gives the tenant's remove path and not across all tenants."""
    request = protocol.revoke_all_request(
        "u-1", tenant_id="t-1", revoke_sessions_for_linked_accounts=True
    )
    assert request.path == "/t-1/recipe/session/remove"
    assert body(request)["revokeAcrossAllTenants"] is False


def test_user_requests_refuse_a_bad_tenant() -> None:
    """A tenant id with other characters than letters, digits and '-' is refused."""
    with pytest.raises(ValueError, match="tenant_id"):
        protocol.revoke_all_request(
            "u-1", tenant_id="../x", revoke_sessions_for_linked_accounts=True
        )


def test_revoke_handles_request() -> None:
    """Handles are removed with an idempotent POST; a tuple is sent as a list."""
    request = protocol.revoke_handles_request(("h-1", "h-2"))
    assert (request.method, request.path, request.idempotent) == (
        "POST",
        "/recipe/session/remove",
        True,
    )
    assert body(request) == {"sessionHandles": ["h-1", "h-2"]}


@pytest.mark.parametrize(
    ("handles", "error"), [("h-1", TypeError), (None, TypeError), (["h-1", ""], ValueError)]
)
def test_revoke_handles_request_refuses_bad_handles(
    handles: object, error: type[Exception]
) -> None:
    """A single string, a non-sequence or an empty handle in the list is refused."""
    with pytest.raises(error):
        protocol.revoke_handles_request(handles)  # type: ignore[arg-type]


def test_jwks_request_is_unversioned_and_has_no_recipe() -> None:
    """The JWKS is fetched with a plain GET: no cdi-version, no rid."""
    request = protocol.jwks_request()
    assert (request.method, request.path) == ("GET", "/.well-known/jwks.json")
    assert request.headers("5.4", {}) == {}
