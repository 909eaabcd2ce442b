"""The session recipe on the wire (authclient/_protocol/session*.py), without any I/O.

Answers in as plain ``CoreResponse`` data, results or typed errors out; requests out as plain
``CoreRequest`` data, bad input refused before anything is built.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Optional

import pytest

from authclient._protocol import session as protocol
from authclient._protocol.wire import CoreRequest, CoreResponse
from authclient.errors import (
    CoreResponseError,
    TokenTheftError,
    TryRefreshTokenError,
    UnauthorisedError,
)
from authclient.types import JWKS, JsonWebKey, RegenerateAccessTokenResult, SessionTokens

REQUEST = CoreRequest("POST", "/recipe/session/refresh")
SESSION = {"handle": "h-1", "userId": "u-1", "recipeUserId": "ru-1", "tenantId": "t-1"}
ACCESS = {"token": "at-secret", "expiry": 2000, "createdTime": 1000}
REFRESH = {"token": "rt-secret", "expiry": 9000, "createdTime": 1000}


def answer(**data: Any) -> CoreResponse:
    return CoreResponse(REQUEST, "http://core:3567", 200, data)


def new_session(**changes: Any) -> CoreResponse:
    """A create/refresh answer at CDI 5.4, with ``changes`` (None removes a field)."""
    data: dict[str, Any] = {
        "status": "OK",
        "session": {**SESSION, "userDataInJWT": {"role": "admin"}},
        "accessToken": ACCESS,
        "refreshToken": REFRESH,
        "antiCsrfToken": "csrf-1",
        **changes,
    }
    return CoreResponse(
        REQUEST, "http://core:3567", 200, {k: v for k, v in data.items() if v is not None}
    )


def body(request: CoreRequest) -> dict[str, Any]:
    assert request.body is not None
    result: dict[str, Any] = json.loads(request.body)
    return result


# --- create / refresh / verify answers -----------------------------------------------------------


def test_created_reads_the_session_and_its_tokens() -> None:
    """A create answer gives the session, both tokens and the anti-CSRF token."""
    result = protocol.created(new_session())
    assert result.session == protocol.CoreSession("h-1", "u-1", "ru-1", "t-1", {"role": "admin"})
    assert result.access_token == protocol.IssuedToken("at-secret", 2000, 1000)
    assert result.refresh_token == protocol.IssuedToken("rt-secret", 9000, 1000)
    assert result.anti_csrf_token == "csrf-1"


def test_created_fills_in_what_older_cdi_versions_leave_out() -> None:
    """No recipeUserId/tenantId/userDataInJWT (CDI < 4): the user id, public, an empty payload."""
    legacy = {"handle": "h-1", "userId": "u-1"}
    result = protocol.created(new_session(session=legacy, idRefreshToken=REFRESH))
    assert result.session == protocol.CoreSession("h-1", "u-1", "u-1", "public", {})


def test_created_without_anti_csrf_has_none() -> None:
    """The core leaves antiCsrfToken out when anti-CSRF is off; a non-string counts as none."""
    assert protocol.created(new_session(antiCsrfToken=None)).anti_csrf_token is None
    assert protocol.created(new_session(antiCsrfToken=5)).anti_csrf_token is None


def test_created_needs_both_tokens() -> None:
    """A new session without a refresh token is an unreadable answer."""
    with pytest.raises(CoreResponseError, match="no access or refresh token"):
        protocol.created(new_session(refreshToken=None))


def test_created_refuses_an_ill_typed_token() -> None:
    """An accessToken whose expiry is not an integer is an unreadable answer."""
    with pytest.raises(CoreResponseError, match="accessToken is not a token object"):
        protocol.created(new_session(accessToken={**ACCESS, "expiry": "2000"}))


def test_created_refuses_a_session_without_a_handle() -> None:
    """A session object whose handle is missing is an unreadable answer naming the field."""
    with pytest.raises(CoreResponseError, match=r"session\.handle"):
        protocol.created(new_session(session={"userId": "u-1"}))


def test_created_refuses_an_answer_without_a_session() -> None:
    """No session object at all is an unreadable answer."""
    with pytest.raises(CoreResponseError, match="'session'"):
        protocol.created(new_session(session=None))


def test_created_refuses_a_status_other_than_ok() -> None:
    """Create has no status but OK: anything else is an unreadable answer."""
    with pytest.raises(CoreResponseError, match="UNAUTHORISED"):
        protocol.created(answer(status="UNAUTHORISED", message="no"))


def test_an_unreadable_answer_does_not_quote_its_tokens() -> None:
    """The error for an unreadable answer masks the tokens the answer carries."""
    with pytest.raises(CoreResponseError) as caught:
        protocol.created(new_session(refreshToken=None))
    assert "at-secret" not in str(caught.value)
    assert "csrf-1" not in caught.value.body


def test_verified_ok_without_a_new_access_token() -> None:
    """A verify answer without accessToken means the token sent is still the one to use."""
    result = protocol.verified(new_session(accessToken=None, refreshToken=None))
    assert result.access_token is None
    assert result.session.handle == "h-1"


def test_verified_ok_with_a_replacement_access_token() -> None:
    """A verify answer after a refresh carries the access token that replaces the one sent."""
    assert protocol.verified(new_session(refreshToken=None)).access_token == protocol.IssuedToken(
        "at-secret", 2000, 1000
    )


def test_verified_unauthorised_is_an_unauthorised_error() -> None:
    """UNAUTHORISED from verify raises UnauthorisedError with the core's message."""
    with pytest.raises(UnauthorisedError, match="session has ended") as caught:
        protocol.verified(answer(status="UNAUTHORISED", message="the session has ended"))
    assert caught.value.clear_tokens


def test_verified_try_refresh_token_is_a_try_refresh_error() -> None:
    """TRY_REFRESH_TOKEN from verify raises TryRefreshTokenError with the core's message."""
    with pytest.raises(TryRefreshTokenError, match="Access token expired"):
        protocol.verified(answer(status="TRY_REFRESH_TOKEN", message="Access token expired"))


def test_verified_without_a_message_names_the_status() -> None:
    """A non-OK verify answer with no message is reported by its status."""
    with pytest.raises(UnauthorisedError, match="UNAUTHORISED"):
        protocol.verified(answer(status="UNAUTHORISED"))


def test_refreshed_ok_gives_the_new_tokens() -> None:
    """A refresh answer gives the new access and refresh tokens."""
    result = protocol.refreshed(new_session())
    assert (result.access_token, result.refresh_token) == (
        protocol.IssuedToken("at-secret", 2000, 1000),
        protocol.IssuedToken("rt-secret", 9000, 1000),
    )


def test_refreshed_ok_without_a_refresh_token_is_unreadable() -> None:
    """A refresh answer must carry both new tokens."""
    with pytest.raises(CoreResponseError):
        protocol.refreshed(new_session(refreshToken=None))


def test_refreshed_unauthorised_is_an_unauthorised_error() -> None:
    """UNAUTHORISED from refresh raises UnauthorisedError with the core's message."""
    with pytest.raises(UnauthorisedError, match="Session missing"):
        protocol.refreshed(answer(status="UNAUTHORISED", message="Session missing in db"))


def test_refreshed_token_theft_names_the_session() -> None:
    """TOKEN_THEFT_DETECTED raises TokenTheftError with the session's handle and users."""
    with pytest.raises(TokenTheftError) as caught:
        protocol.refreshed(answer(status="TOKEN_THEFT_DETECTED", session=SESSION))
    error = caught.value
    assert (error.session_handle, error.user_id, error.recipe_user_id) == ("h-1", "u-1", "ru-1")


def test_refreshed_token_theft_without_recipe_user_uses_the_user() -> None:
    """A theft answer without recipeUserId (older cores) names the user id twice."""
    with pytest.raises(TokenTheftError) as caught:
        protocol.refreshed(
            answer(status="TOKEN_THEFT_DETECTED", session={"handle": "h", "userId": "u"})
        )
    assert caught.value.recipe_user_id == "u"


def test_refreshed_unknown_status_counts_as_theft() -> None:
    """As in the reference SDK, any refresh status but OK/UNAUTHORISED is token theft."""
    with pytest.raises(TokenTheftError) as caught:
        protocol.refreshed(answer(status="SOMETHING_NEW"))
    assert caught.value.session_handle == ""


# --- other answers --------------------------------------------------------------------------------

INFO = {
    "status": "OK",
    "sessionHandle": "h-1",
    "userId": "u-1",
    "recipeUserId": "ru-1",
    "userDataInDatabase": {"db": 1},
    "userDataInJWT": {"jwt": 2},
    "expiry": 9000,
    "timeCreated": 1000,
    "tenantId": "t-1",
}


def test_session_information_reads_every_field() -> None:
    """GET /recipe/session gives the session's information, expiry being the session's."""
    info = protocol.session_information(answer(**INFO))
    assert info is not None
    assert (info.session_handle, info.user_id, info.recipe_user_id, info.tenant_id) == (
        "h-1",
        "u-1",
        "ru-1",
        "t-1",
    )
    assert (info.expiry, info.time_created) == (9000, 1000)
    assert info.session_data_in_database == {"db": 1}
    assert info.custom_claims_in_access_token_payload == {"jwt": 2}


def test_session_information_fills_in_legacy_fields() -> None:
    """Without recipeUserId and tenantId (older CDI): the user id and public."""
    data = {k: v for k, v in INFO.items() if k not in ("recipeUserId", "tenantId")}
    info = protocol.session_information(answer(**data))
    assert info is not None
    assert (info.recipe_user_id, info.tenant_id) == ("u-1", "public")


def test_session_information_of_an_unknown_session_is_none() -> None:
    """UNAUTHORISED from GET /recipe/session means there is no such session: None."""
    assert protocol.session_information(answer(status="UNAUTHORISED")) is None


@pytest.mark.parametrize(
    "change", [{"expiry": None}, {"expiry": "soon"}, {"userId": 5}, {"timeCreated": [1]}]
)
def test_session_information_refuses_missing_or_ill_typed_fields(change: dict[str, Any]) -> None:
    """A session information answer with a missing or ill-typed field is unreadable."""
    data = {k: v for k, v in {**INFO, **change}.items() if v is not None}
    with pytest.raises(CoreResponseError, match="incomplete"):
        protocol.session_information(answer(**data))


def test_ok_or_unauthorised() -> None:
    """OK is True, UNAUTHORISED False, and any other status an unreadable answer."""
    assert protocol.ok_or_unauthorised(answer(status="OK")) is True
    assert protocol.ok_or_unauthorised(answer(status="UNAUTHORISED")) is False
    with pytest.raises(CoreResponseError):
        protocol.ok_or_unauthorised(answer(status="TRY_REFRESH_TOKEN"))


def test_regenerated_with_a_new_access_token() -> None:
    """A regenerate answer gives the session, its payload and the re-signed token."""
    assert protocol.regenerated(new_session(refreshToken=None)) == RegenerateAccessTokenResult(
        session_handle="h-1",
        user_id="u-1",
        recipe_user_id="ru-1",
        tenant_id="t-1",
        access_token_payload={"role": "admin"},
        access_token="at-secret",
        access_token_expiry=2000,
    )


def test_regenerated_for_an_expired_token_has_no_access_token() -> None:
    """For an expired token the core updates the payload only: no access token comes back."""
    result = protocol.regenerated(new_session(accessToken=None, refreshToken=None))
    assert result is not None
    assert (result.access_token, result.access_token_expiry) == (None, None)


def test_regenerated_unauthorised_is_none() -> None:
    """UNAUTHORISED from regenerate means the session is gone: None."""
    assert protocol.regenerated(answer(status="UNAUTHORISED")) is None


def test_handles_reads_a_list_of_strings() -> None:
    """The handles answer's list comes back as it is."""
    assert protocol.handles(answer(status="OK", sessionHandles=["a", "b"]), "sessionHandles") == [
        "a",
        "b",
    ]


@pytest.mark.parametrize("value", [None, "a", ["a", 1]])
def test_handles_refuses_anything_but_a_list_of_strings(value: object) -> None:
    """A missing field, a string or a list holding a non-string is an unreadable answer."""
    with pytest.raises(CoreResponseError):
        protocol.handles(answer(status="OK", sessionHandles=value), "sessionHandles")


def test_jwks_keeps_the_rsa_keys_only() -> None:
    """A JWKS answer keeps the complete RSA keys and skips the others."""
    rsa = {"kty": "RSA", "kid": "d-1", "n": "nn", "e": "AQAB"}
    keys = [rsa, {**rsa, "kty": "EC"}, {**rsa, "n": 5}, "junk", {"kty": "RSA"}]
    assert protocol.jwks(answer(keys=keys), 60) == JWKS((JsonWebKey("d-1", "nn", "AQAB"),), 60)


def test_jwks_without_keys_is_unreadable() -> None:
    """A JWKS answer whose keys are not a list is an unreadable answer."""
    with pytest.raises(CoreResponseError, match="'keys'"):
        protocol.jwks(answer(keys={"kid": "d-1"}), 60)


# --- what a session object is made of -------------------------------------------------------------


def front(token: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(base64.b64decode(token))
    return result


def test_parts_from_answer_take_the_new_access_token() -> None:
    """A new access token in the answer becomes the session's, with its front token."""
    parts = protocol.parts_from_answer(protocol.created(new_session()), "csrf-1", ("old", 5))
    assert (parts.handle, parts.user_id, parts.recipe_user_id, parts.tenant_id) == (
        "h-1",
        "u-1",
        "ru-1",
        "t-1",
    )
    assert (parts.tokens.access_token, parts.tokens.refresh_token) == ("at-secret", "rt-secret")
    assert parts.tokens.access_token_updated
    assert front(parts.tokens.front_token) == {"uid": "u-1", "ate": 2000, "up": {"role": "admin"}}


def test_parts_from_answer_keep_the_token_sent() -> None:
    """Without a new access token, the one sent (and its expiry) stays."""
    verified = protocol.verified(new_session(accessToken=None, refreshToken=None))
    parts = protocol.parts_from_answer(verified, None, ("at-sent", 7000))
    assert (parts.tokens.access_token, parts.tokens.refresh_token) == ("at-sent", None)
    assert not parts.tokens.access_token_updated
    assert front(parts.tokens.front_token)["ate"] == 7000


def test_parts_from_answer_without_any_access_token_must_refresh() -> None:
    """No new token and none sent: there is nothing to use, so refresh."""
    verified = protocol.verified(new_session(accessToken=None, refreshToken=None))
    with pytest.raises(TryRefreshTokenError):
        protocol.parts_from_answer(verified, None)


def test_with_new_access_token_after_regenerate() -> None:
    """A regenerate result with a token replaces the session's token and front token."""
    tokens = SessionTokens("old", "rt", None, "front", False)
    result = protocol.regenerated(new_session(refreshToken=None))
    assert result is not None
    updated = protocol.with_new_access_token(tokens, "u-1", result)
    assert (updated.access_token, updated.refresh_token, updated.access_token_updated) == (
        "at-secret",
        "rt",
        True,
    )
    assert front(updated.front_token) == {"uid": "u-1", "ate": 2000, "up": {"role": "admin"}}


def test_with_new_access_token_without_one_changes_nothing() -> None:
    """A regenerate result without a token leaves the tokens as they were."""
    tokens = SessionTokens("old", "rt", None, "front", False)
    result = protocol.regenerated(new_session(accessToken=None, refreshToken=None))
    assert result is not None
    assert protocol.with_new_access_token(tokens, "u-1", result) is tokens


@pytest.mark.parametrize(
    ("kid", "dynamic", "mismatch"),
    [("d-1", True, False), ("s-1", True, True), ("d-1", False, True), (None, True, False)],
)
def test_dynamic_key_mismatch(kid: Optional[str], dynamic: bool, mismatch: bool) -> None:
    """A token signed with the other kind of key than configured must be refreshed (v2: never)."""
    assert protocol.dynamic_key_mismatch(kid, dynamic) is mismatch


@pytest.mark.parametrize(
    ("given", "expected", "matches"),
    [
        ("c", "c", True),
        ("c", "d", False),
        (None, "c", False),
        ("c", None, False),
        (None, None, False),
    ],
)
def test_anti_csrf_matches(given: Optional[str], expected: Optional[str], matches: bool) -> None:
    """Anti-CSRF tokens match only when both exist and are equal."""
    assert protocol.anti_csrf_matches(given, expected) is matches
