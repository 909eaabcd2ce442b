"""The session recipe's requests to the core (CDI rows 5-14 and 18): bad input refused first.

Each builder checks its arguments (``TypeError`` / ``ValueError``) before anything is built,
and says whether the request may be sent twice (``idempotent``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Optional, cast

from authclient._protocol.jsonvalue import check_json_object, check_user_id
from authclient._protocol.tokens import PROTECTED_CLAIMS
from authclient._protocol.wire import CoreRequest

RECIPE_ID = "session"
_TENANT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def check_tenant_id(tenant_id: object) -> str:
    if not isinstance(tenant_id, str):
        raise TypeError(f"tenant_id must be a str, not {type(tenant_id).__name__}")
    if not _TENANT_ID.match(tenant_id):
        raise ValueError(f"tenant_id {tenant_id!r} must be letters, digits and '-'")
    return tenant_id


def check_access_token_payload(payload: object, name: str = "access_token_payload") -> None:
    check_json_object(payload, name)
    protected = sorted(PROTECTED_CLAIMS.intersection(cast("dict[str, Any]", payload)))
    if protected:
        raise ValueError(f"{name} must not set the core's own claims: {', '.join(protected)}")


def check_token(token: object, name: str) -> None:
    if not isinstance(token, str):
        raise TypeError(f"{name} must be a str, not {type(token).__name__}")
    if not token:
        raise ValueError(f"{name} must not be empty")


def _post(path: str, body: Mapping[str, Any], *, idempotent: bool) -> CoreRequest:
    return CoreRequest.with_json("POST", path, body, recipe_id=RECIPE_ID, idempotent=idempotent)


def _put(path: str, body: Mapping[str, Any]) -> CoreRequest:
    return CoreRequest.with_json("PUT", path, body, recipe_id=RECIPE_ID, idempotent=True)


def _get(path: str, query: Mapping[str, str]) -> CoreRequest:
    return CoreRequest("GET", path, query, recipe_id=RECIPE_ID)


def create_request(
    user_id: str,
    access_token_payload: dict[str, Any],
    session_data_in_database: dict[str, Any],
    *,
    tenant_id: str,
    enable_anti_csrf: bool,
    use_dynamic_signing_key: bool,
) -> CoreRequest:
    check_user_id(user_id)
    check_access_token_payload(access_token_payload)
    check_json_object(session_data_in_database, "session_data_in_database")
    body = {
        "userId": user_id,
        "userDataInJWT": access_token_payload,
        "userDataInDatabase": session_data_in_database,
        "useDynamicSigningKey": use_dynamic_signing_key,
        "enableAntiCsrf": enable_anti_csrf,
    }
    # Not idempotent: a retried create after a lost answer would make a second session.
    return _post(f"/{check_tenant_id(tenant_id)}/recipe/session", body, idempotent=False)


def verify_request(
    access_token: str,
    anti_csrf_token: Optional[str],
    *,
    do_anti_csrf_check: bool,
    enable_anti_csrf: bool,
    check_database: bool,
) -> CoreRequest:
    body: dict[str, Any] = {
        "accessToken": access_token,
        "doAntiCsrfCheck": do_anti_csrf_check,
        "enableAntiCsrf": enable_anti_csrf,
        "checkDatabase": check_database,
    }
    if anti_csrf_token is not None:
        body["antiCsrfToken"] = anti_csrf_token
    return _post("/recipe/session/verify", body, idempotent=True)


def refresh_request(
    refresh_token: str,
    anti_csrf_token: Optional[str],
    *,
    enable_anti_csrf: bool,
    use_dynamic_signing_key: bool,
) -> CoreRequest:
    check_token(refresh_token, "refresh_token")
    body: dict[str, Any] = {
        "refreshToken": refresh_token,
        "enableAntiCsrf": enable_anti_csrf,
        "useDynamicSigningKey": use_dynamic_signing_key,
    }
    if anti_csrf_token is not None:
        body["antiCsrfToken"] = anti_csrf_token
    # Never retried: a refresh token replayed after a lost answer looks like theft to the core.
    return _post("/recipe/session/refresh", body, idempotent=False)


def info_request(session_handle: str) -> CoreRequest:
    check_token(session_handle, "session_handle")
    return _get("/recipe/session", {"sessionHandle": session_handle})


def update_data_request(session_handle: str, new_session_data: dict[str, Any]) -> CoreRequest:
    check_token(session_handle, "session_handle")
    check_json_object(new_session_data, "new_session_data")
    body = {"sessionHandle": session_handle, "userDataInDatabase": new_session_data}
    return _put("/recipe/session/data", body)


def update_access_token_payload_request(
    session_handle: str, access_token_payload: dict[str, Any]
) -> CoreRequest:
    check_token(session_handle, "session_handle")
    check_access_token_payload(access_token_payload)
    body = {"sessionHandle": session_handle, "userDataInJWT": access_token_payload}
    return _put("/recipe/jwt/data", body)


def regenerate_request(
    access_token: str, new_access_token_payload: Optional[dict[str, Any]]
) -> CoreRequest:
    check_token(access_token, "access_token")
    body: dict[str, Any] = {"accessToken": access_token}
    if new_access_token_payload is not None:
        check_access_token_payload(new_access_token_payload, "new_access_token_payload")
        body["userDataInJWT"] = new_access_token_payload
    return _post("/recipe/session/regenerate", body, idempotent=True)


def handles_for_user_request(
    user_id: str, *, tenant_id: Optional[str], fetch_sessions_for_linked_accounts: bool
) -> CoreRequest:
    check_user_id(user_id)
    query = {
        "userId": user_id,
        "fetchAcrossAllTenants": "true" if tenant_id is None else "false",
        "fetchSessionsForAllLinkedAccounts": "true"
        if fetch_sessions_for_linked_accounts
        else "false",
    }
    return _get(_tenant_path(tenant_id, "/recipe/session/user"), query)


def revoke_all_request(
    user_id: str, *, tenant_id: Optional[str], revoke_sessions_for_linked_accounts: bool
) -> CoreRequest:
    check_user_id(user_id)
    body = {
        "userId": user_id,
        "revokeAcrossAllTenants": tenant_id is None,
        "revokeSessionsForLinkedAccounts": revoke_sessions_for_linked_accounts,
    }
    return _post(_tenant_path(tenant_id, "/recipe/session/remove"), body, idempotent=True)


def revoke_handles_request(session_handles: Sequence[str]) -> CoreRequest:
    if isinstance(session_handles, str) or not isinstance(session_handles, Sequence):
        raise TypeError("session_handles must be a list of str")
    for handle in session_handles:
        check_token(handle, "each session handle")
    body = {"sessionHandles": list(session_handles)}
    return _post("/recipe/session/remove", body, idempotent=True)


def jwks_request() -> CoreRequest:
    # Served to anyone: no cdi-version, no rid (CDI row 15).
    return CoreRequest("GET", "/.well-known/jwks.json", versioned=False)


def _tenant_path(tenant_id: Optional[str], path: str) -> str:
    # No tenant means "across all tenants", which is the un-prefixed path (CDI.md §6.14).
    return path if tenant_id is None else f"/{check_tenant_id(tenant_id)}{path}"
