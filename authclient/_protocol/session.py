"""The session recipe on the wire (CDI rows 5-14 and 18): requests built, answers parsed."""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping, Sequence
from typing import Any, Optional, cast

import attrs

from authclient._protocol.jsonvalue import check_json_object, check_user_id
from authclient._protocol.merge import shallow_merge
from authclient._protocol.tokens import (
    PROTECTED_CLAIMS,
    AccessTokenInfo,
    front_token,
    front_token_payload,
)
from authclient._protocol.wire import CoreRequest, CoreResponse
from authclient.errors import TokenTheftError, TryRefreshTokenError, UnauthorisedError
from authclient.types import (
    JWKS,
    JsonWebKey,
    RegenerateAccessTokenResult,
    SessionInformation,
    SessionTokens,
)

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


# --- answers -----------------------------------------------------------------------------------


@attrs.frozen
class IssuedToken:
    token: str = attrs.field(repr=False)
    expiry: int
    created_time: int


@attrs.frozen
class CoreSession:
    """The ``session`` object of create / refresh / verify / regenerate answers."""

    handle: str
    user_id: str
    recipe_user_id: str
    tenant_id: str
    access_token_payload: dict[str, Any]


@attrs.frozen
class SessionAnswer:
    """A create, refresh or verify answer: the session and whatever tokens came with it."""

    session: CoreSession
    access_token: Optional[IssuedToken]
    refresh_token: Optional[IssuedToken]
    anti_csrf_token: Optional[str] = attrs.field(repr=False)


def _session(response: CoreResponse) -> CoreSession:
    raw = response.field("session", dict)
    try:
        return CoreSession(
            handle=_str(raw, "handle"),
            user_id=_str(raw, "userId"),
            recipe_user_id=raw.get("recipeUserId") or _str(raw, "userId"),
            tenant_id=raw.get("tenantId") or "public",
            access_token_payload=dict(raw.get("userDataInJWT") or {}),
        )
    except (KeyError, TypeError) as exc:
        raise response.unexpected(f"session.{exc.args[0]} is missing or not a string") from None


def _str(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise KeyError(key)
    return value


def _object(value: object) -> Optional[dict[str, Any]]:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def _issued(response: CoreResponse, name: str) -> Optional[IssuedToken]:
    if response.data.get(name) is None:
        return None
    raw = _object(response.data[name])
    if not (
        raw is not None
        and isinstance(raw.get("token"), str)
        and isinstance(raw.get("expiry"), int)
        and isinstance(raw.get("createdTime"), int)
    ):
        raise response.unexpected(f"{name} is not a token object")
    return IssuedToken(raw["token"], raw["expiry"], raw["createdTime"])


def _answer(response: CoreResponse) -> SessionAnswer:
    anti_csrf = response.data.get("antiCsrfToken")
    return SessionAnswer(
        _session(response),
        _issued(response, "accessToken"),
        _issued(response, "refreshToken"),
        anti_csrf if isinstance(anti_csrf, str) else None,
    )


def _message(response: CoreResponse) -> str:
    message = response.data.get("message")
    return message if isinstance(message, str) else str(response.data.get("status"))


def created(response: CoreResponse) -> SessionAnswer:
    response.require_ok()
    answer = _answer(response)
    if answer.access_token is None or answer.refresh_token is None:
        raise response.unexpected("the new session has no access or refresh token")
    return answer


def verified(response: CoreResponse) -> SessionAnswer:
    status = response.data.get("status")
    if status == "OK":
        return _answer(response)
    if status == "UNAUTHORISED":
        raise UnauthorisedError(_message(response))
    raise TryRefreshTokenError(_message(response))


def refreshed(response: CoreResponse) -> SessionAnswer:
    status = response.data.get("status")
    if status == "OK":
        return created(response)
    if status == "UNAUTHORISED":
        raise UnauthorisedError(_message(response))
    # TOKEN_THEFT_DETECTED, and (as the reference SDK does) any other status.
    raw = _object(response.data.get("session")) or {}
    raise TokenTheftError(
        user_id=str(raw.get("userId", "")),
        recipe_user_id=str(raw.get("recipeUserId") or raw.get("userId", "")),
        session_handle=str(raw.get("handle", "")),
    )


def session_information(response: CoreResponse) -> Optional[SessionInformation]:
    if response.data.get("status") == "UNAUTHORISED":
        return None
    data = response.require_ok()
    try:
        return SessionInformation(
            session_handle=_str(data, "sessionHandle"),
            user_id=_str(data, "userId"),
            recipe_user_id=data.get("recipeUserId") or _str(data, "userId"),
            session_data_in_database=dict(data.get("userDataInDatabase") or {}),
            expiry=int(data["expiry"]),
            custom_claims_in_access_token_payload=dict(data.get("userDataInJWT") or {}),
            time_created=int(data["timeCreated"]),
            tenant_id=data.get("tenantId") or "public",
        )
    except (KeyError, TypeError, ValueError):
        raise response.unexpected("the session information is incomplete") from None


def ok_or_unauthorised(response: CoreResponse) -> bool:
    """True for OK, False for UNAUTHORISED (the session does not exist)."""
    if response.data.get("status") == "UNAUTHORISED":
        return False
    response.require_ok()
    return True


def regenerated(response: CoreResponse) -> Optional[RegenerateAccessTokenResult]:
    if response.data.get("status") == "UNAUTHORISED":
        return None
    response.require_ok()
    answer = _answer(response)
    session = answer.session
    return RegenerateAccessTokenResult(
        session_handle=session.handle,
        user_id=session.user_id,
        recipe_user_id=session.recipe_user_id,
        tenant_id=session.tenant_id,
        access_token_payload=session.access_token_payload,
        access_token=answer.access_token.token if answer.access_token else None,
        access_token_expiry=answer.access_token.expiry if answer.access_token else None,
    )


def handles(response: CoreResponse, field: str) -> list[str]:
    response.require_ok()
    values = response.field(field, list)
    if not all(isinstance(value, str) for value in values):
        raise response.unexpected(f"{field} is not a list of strings")
    return list(values)


def jwks(response: CoreResponse, max_age: int) -> JWKS:
    """The RSA keys of a JWKS answer (others are skipped: only RS256 verifies sessions)."""
    raw_keys: list[object] = response.field("keys", list)
    keys = tuple(
        JsonWebKey(kid=raw["kid"], n=raw["n"], e=raw["e"])
        for raw in map(_object, raw_keys)
        if raw is not None
        and raw.get("kty") == "RSA"
        and all(isinstance(raw.get(k), str) for k in ("kid", "n", "e"))
    )
    return JWKS(keys=keys, max_age=max_age)


def merge_payload(current: Mapping[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """``current`` with ``update`` applied by the core's shallow-merge rule (``merge.py``): a
    ``None`` in ``update`` deletes a key, ``None`` values already in ``current`` stay.

    The caller has checked ``update`` (``check_access_token_payload``).
    """
    return shallow_merge(current, update)


def dynamic_key_mismatch(kid: Optional[str], use_dynamic_key: bool) -> bool:
    """A token signed with the other kind of key must be refreshed (CDI.md §3.2)."""
    return kid is not None and kid.startswith("d-") != use_dynamic_key


def anti_csrf_matches(given: Optional[str], expected: Optional[str]) -> bool:
    return given is not None and expected is not None and hmac.compare_digest(given, expected)


# --- what a session object is made of ------------------------------------------------------------


@attrs.frozen
class SessionParts:
    """A session's fields, as a flavor's session object takes them (it adds the recipe)."""

    user_id: str
    recipe_user_id: str
    tenant_id: str
    handle: str
    access_token_payload: dict[str, Any]
    tokens: SessionTokens


def parts_from_token(
    access_token: str,
    info: AccessTokenInfo,
    anti_csrf_token: Optional[str],
    claims: Optional[Mapping[str, Any]] = None,
) -> SessionParts:
    """A session verified locally: the token stays, and there is no refresh token to hand out.

    ``claims`` is the token's whole decoded payload (the front token's ``up`` for v3+ tokens);
    without it the token is decoded again.
    """
    if info.version < 3:
        claims = info.payload
    elif claims is None:
        claims = front_token_payload(access_token, info.payload)
    tokens = SessionTokens(
        access_token=access_token,
        refresh_token=None,
        anti_csrf_token=anti_csrf_token,
        front_token=front_token(info.user_id, info.expiry_ms, claims),
        access_token_updated=False,
    )
    return SessionParts(
        info.user_id, info.recipe_user_id, info.tenant_id, info.session_handle, info.payload, tokens
    )


def parts_from_answer(
    answer: SessionAnswer,
    anti_csrf_token: Optional[str],
    current: Optional[tuple[str, int]] = None,
) -> SessionParts:
    """A session from the core's answer; a new access token there replaces ``current``.

    ``current`` is the access token sent to the core and its expiry (ms), if any.
    """
    session = answer.session
    if answer.access_token is not None:
        access_token, expiry = answer.access_token.token, answer.access_token.expiry
    elif current is not None:
        access_token, expiry = current
    else:
        raise TryRefreshTokenError("the core returned no access token")
    tokens = SessionTokens(
        access_token=access_token,
        refresh_token=answer.refresh_token.token if answer.refresh_token else None,
        anti_csrf_token=anti_csrf_token,
        front_token=front_token(
            session.user_id, expiry, front_token_payload(access_token, session.access_token_payload)
        ),
        access_token_updated=answer.access_token is not None,
        refresh_token_expiry=answer.refresh_token.expiry if answer.refresh_token else None,
    )
    return SessionParts(
        session.user_id,
        session.recipe_user_id,
        session.tenant_id,
        session.handle,
        session.access_token_payload,
        tokens,
    )


def with_new_access_token(
    tokens: SessionTokens, user_id: str, result: RegenerateAccessTokenResult
) -> SessionTokens:
    """``tokens`` after a regenerate; unchanged when the core issued no new access token."""
    if result.access_token is None or result.access_token_expiry is None:
        return tokens
    return attrs.evolve(
        tokens,
        access_token=result.access_token,
        front_token=front_token(
            user_id,
            result.access_token_expiry,
            front_token_payload(result.access_token, result.access_token_payload),
        ),
        access_token_updated=True,
    )
