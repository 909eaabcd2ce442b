"""The core's answers to the session recipe, read: plain data in, results or typed errors out.

A status the SDK handles becomes its typed error (``UnauthorisedError``, ``TryRefreshTokenError``,
``TokenTheftError``); an answer that cannot be read is a ``CoreResponseError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional, cast

import attrs

from authclient._protocol.wire import CoreResponse
from authclient.errors import TokenTheftError, TryRefreshTokenError, UnauthorisedError
from authclient.types import JWKS, JsonWebKey, RegenerateAccessTokenResult, SessionInformation


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
