# Generated from tests/asyncio/test_sessions.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Sessions end to end against the in-process local core: create, verify, refresh, revoke."""

from __future__ import annotations

import json
import time

import pytest

from authclient._compat import sleep
from authclient.errors import (
    CoreResponseError,
    TokenTheftError,
    TryRefreshTokenError,
    UnauthorisedError,
)
from authclient.localcore import LocalCore
from authclient.syncio import SessionConfig
from tests.syncio.conftest import AppClient, new_user_id

VERIFY = "POST /recipe/session/verify"
JWKS_FETCH = "GET /.well-known/jwks.json"


def test_create_sends_the_cdi_request_and_returns_tokens(app_client: AppClient) -> None:
    with app_client() as (client, calls):
        session = client.create_new_session("alice", {"role": "admin"}, {"cart": [1]})
    assert calls == ["GET /apiversion", "POST /public/recipe/session"]
    assert (session.user_id, session.recipe_user_id, session.tenant_id) == (
        "alice",
        "alice",
        "public",
    )
    assert session.access_token_payload == {"role": "admin"}
    tokens = session.tokens
    assert tokens.refresh_token and tokens.access_token and tokens.front_token
    assert tokens.access_token_updated is True
    assert tokens.anti_csrf_token is None  # anti-CSRF is off by default
    assert tokens.access_token not in repr(session) + repr(tokens)


def test_every_call_sends_what_the_core_expects(
    app_client: AppClient, newest_cdi_version: str
) -> None:
    zed = new_user_id("zed")
    with app_client(cdi_version=newest_cdi_version) as (client, calls):
        created = client.create_new_session(zed, {"p": 1}, {"d": 2}, tenant_id="public")
        refresh_token = created.tokens.refresh_token or ""
        refreshed = client.refresh_session(refresh_token)
        client.get_session(refreshed.tokens.access_token, check_database=True)
        handle = created.handle
        client.update_session_data_in_database(handle, {"d": 3})
        client.merge_into_access_token_payload(handle, {"p": 2})
        client.regenerate_access_token(refreshed.tokens.access_token, {"p": 3})
        client.get_all_session_handles_for_user(zed, fetch_sessions_for_linked_accounts=False)
        client.revoke_multiple_sessions([handle])
        client.revoke_all_sessions_for_user(zed, revoke_sessions_for_linked_accounts=False)
    assert calls == [
        "POST /public/recipe/session",
        "POST /recipe/session/refresh",
        JWKS_FETCH,
        VERIFY,
        "PUT /recipe/session/data",
        "GET /recipe/session",
        "PUT /recipe/jwt/data",
        "POST /recipe/session/regenerate",
        "GET /recipe/session/user",
        "POST /recipe/session/remove",
        "POST /recipe/session/remove",
    ]
    access = refreshed.tokens.access_token
    assert calls.bodies() == [
        {
            "userId": zed,
            "userDataInJWT": {"p": 1},
            "userDataInDatabase": {"d": 2},
            "useDynamicSigningKey": True,
            "enableAntiCsrf": False,
        },
        {"refreshToken": refresh_token, "enableAntiCsrf": False, "useDynamicSigningKey": True},
        None,
        {
            "accessToken": access,
            "doAntiCsrfCheck": False,
            "enableAntiCsrf": False,
            "checkDatabase": True,
        },
        {"sessionHandle": handle, "userDataInDatabase": {"d": 3}},
        None,
        {"sessionHandle": handle, "userDataInJWT": {"p": 2}},
        {"accessToken": access, "userDataInJWT": {"p": 3}},
        None,
        {"sessionHandles": [handle]},
        {"userId": zed, "revokeAcrossAllTenants": True, "revokeSessionsForLinkedAccounts": False},
    ]
    assert calls.infos[5].query == {"sessionHandle": handle}
    assert calls.infos[8].query == {
        "userId": zed,
        "fetchAcrossAllTenants": "true",
        "fetchSessionsForAllLinkedAccounts": "false",
    }
    session_headers = calls.infos[0].headers
    assert (session_headers["rid"], session_headers["cdi-version"]) == (
        "session",
        newest_cdi_version,
    )
    assert "cdi-version" not in calls.infos[2].headers  # the JWKS is served to anyone
    assert "rid" not in calls.infos[2].headers


def test_get_session_verifies_locally_after_one_jwks_fetch(app_client: AppClient) -> None:
    with app_client() as (client, calls):
        created = client.create_new_session("alice", {"role": "admin"})
        for _ in range(3):
            session = client.get_session(created.tokens.access_token)
            assert session is not None
            assert (session.user_id, session.handle) == ("alice", created.handle)
            assert session.access_token_payload == {"role": "admin"}
            assert session.tokens.access_token_updated is False
            assert session.tokens.refresh_token is None
    assert calls.count(JWKS_FETCH) == 1
    assert VERIFY not in calls


def test_first_use_after_refresh_asks_the_core_for_a_new_token(app_client: AppClient) -> None:
    with app_client() as (client, calls):
        created = client.create_new_session("bob")
        refreshed = client.refresh_session(created.tokens.refresh_token or "")
        assert refreshed.handle == created.handle
        assert refreshed.tokens.refresh_token != created.tokens.refresh_token
        client.prefetch()
        calls.clear()
        first = client.get_session(refreshed.tokens.access_token)
        assert first is not None and first.tokens.access_token_updated is True
        assert calls == [VERIFY]  # the core promotes the refresh token, issues a new access token
        calls.clear()
        second = client.get_session(first.tokens.access_token)
        assert second is not None and second.tokens.access_token_updated is False
        assert calls == []


def test_reusing_an_old_refresh_token_is_theft(app_client: AppClient) -> None:
    with app_client() as (client, _):
        created = client.create_new_session("carol")
        rt1 = created.tokens.refresh_token or ""
        rt2 = (client.refresh_session(rt1)).tokens.refresh_token or ""
        client.refresh_session(rt2)  # promotes rt2: rt1 is now an ancestor
        with pytest.raises(TokenTheftError) as caught:
            client.refresh_session(rt1)
    assert (caught.value.user_id, caught.value.session_handle) == ("carol", created.handle)
    assert rt1 not in str(caught.value)


def test_refresh_with_a_bad_token_is_unauthorised(app_client: AppClient) -> None:
    with app_client() as (client, _):
        with pytest.raises(UnauthorisedError):
            client.refresh_session("not-a-refresh-token")


def test_revoked_session_fails_a_database_check(app_client: AppClient) -> None:
    with app_client() as (client, _):
        created = client.create_new_session("dave")
        assert client.revoke_session(created.handle) is True
        assert client.revoke_session(created.handle) is False
        # Verified locally the token still stands until it expires; the database says otherwise.
        assert client.get_session(created.tokens.access_token) is not None
        with pytest.raises(UnauthorisedError):
            client.get_session(created.tokens.access_token, check_database=True)
        with pytest.raises(UnauthorisedError):
            client.refresh_session(created.tokens.refresh_token or "")


def test_handles_listing_and_revoking(app_client: AppClient) -> None:
    erin, frank = new_user_id("erin"), new_user_id("frank")
    with app_client() as (client, calls):
        one = client.create_new_session(erin)
        two = client.create_new_session(erin)
        other = client.create_new_session(frank)
        handles = client.get_all_session_handles_for_user(erin)
        assert sorted(handles) == sorted([one.handle, two.handle])
        assert "GET /recipe/session/user" in calls
        assert client.revoke_multiple_sessions([one.handle, "no-such-handle"]) == [one.handle]
        assert client.revoke_all_sessions_for_user(erin) == [two.handle]
        assert client.get_all_session_handles_for_user(erin) == []
        assert client.get_all_session_handles_for_user(frank, tenant_id="public") == [other.handle]
        assert "GET /public/recipe/session/user" in calls
        assert client.revoke_all_sessions_for_user(frank, tenant_id="public") == [other.handle]
        assert "POST /public/recipe/session/remove" in calls


def test_session_information_and_data(app_client: AppClient) -> None:
    with app_client() as (client, _):
        created = client.create_new_session("gina", {"a": 1}, {"secret": "s"})
        info = client.get_session_information(created.handle)
        assert info is not None
        assert (info.user_id, info.tenant_id, info.session_handle) == (
            "gina",
            "public",
            created.handle,
        )
        assert info.session_data_in_database == {"secret": "s"}
        assert info.custom_claims_in_access_token_payload == {"a": 1}
        assert info.expiry > info.time_created
        assert client.update_session_data_in_database(created.handle, {"secret": "t"})
        assert client.merge_into_access_token_payload(created.handle, {"a": None, "b": 2})
        info = client.get_session_information(created.handle)
        assert info is not None
        assert info.session_data_in_database == {"secret": "t"}
        assert info.custom_claims_in_access_token_payload == {"b": 2}
        # check_database picks up the changed payload with a new access token.
        checked = client.get_session(created.tokens.access_token, check_database=True)
        assert checked is not None and checked.tokens.access_token_updated is True
        assert checked.access_token_payload == {"b": 2}
        assert client.get_session_information("missing-handle") is None
        assert client.update_session_data_in_database("missing-handle", {}) is False
        assert client.merge_into_access_token_payload("missing-handle", {"x": 1}) is False


def test_regenerate_access_token_keeps_the_expiry(app_client: AppClient) -> None:
    with app_client() as (client, _):
        created = client.create_new_session("hana", {"v": 1})
        result = client.regenerate_access_token(created.tokens.access_token, {"v": 2})
        assert result is not None and result.access_token is not None
        assert result.access_token_payload == {"v": 2}
        session = client.get_session(result.access_token)
        assert session is not None and session.access_token_payload == {"v": 2}


def test_regenerate_with_a_malformed_token_is_none(app_client: AppClient) -> None:
    """A token that is not even a JWT regenerates nothing, and the core is not asked."""
    with app_client(cdi_version="5.3") as (client, calls):
        assert client.regenerate_access_token("a.b.c", {"v": 3}) is None
        assert client.regenerate_access_token("garbage") is None
    assert calls == []


def test_session_object_methods(app_client: AppClient) -> None:
    with app_client() as (client, _):
        session = client.create_new_session("ivan", {"theme": "dark"}, {"n": 1})
        assert session.get_session_data_from_database() == {"n": 1}
        session.update_session_data_in_database({"n": 2})
        assert session.get_session_data_from_database() == {"n": 2}
        old_token = session.tokens.access_token
        session.merge_into_access_token_payload({"theme": None, "lang": "fi"})
        assert session.access_token_payload == {"lang": "fi"}
        assert session.tokens.access_token != old_token
        verified = client.get_session(session.tokens.access_token)
        assert verified is not None and verified.access_token_payload == {"lang": "fi"}
        assert session.get_expiry() > session.get_time_created()
        session.revoke_session()
        with pytest.raises(UnauthorisedError):
            session.get_session_data_from_database()


def test_anti_csrf_via_token(app_client: AppClient) -> None:
    with app_client(session=SessionConfig(anti_csrf="VIA_TOKEN")) as (client, _):
        created = client.create_new_session("judy")
        token, anti_csrf = created.tokens.access_token, created.tokens.anti_csrf_token
        assert anti_csrf
        with pytest.raises(TryRefreshTokenError, match="anti-csrf"):
            client.get_session(token)
        with pytest.raises(TryRefreshTokenError, match="anti-csrf"):
            client.get_session(token, "wrong")
        assert client.get_session(token, anti_csrf) is not None
        assert client.get_session(token, anti_csrf_check=False) is not None
        refreshed = client.refresh_session(created.tokens.refresh_token or "", anti_csrf)
        assert refreshed.tokens.anti_csrf_token


def test_missing_or_malformed_tokens(app_client: AppClient) -> None:
    with app_client() as (client, calls):
        assert client.get_session(None, session_required=False) is None
        assert client.get_session("garbage", session_required=False) is None
        with pytest.raises(UnauthorisedError) as caught:
            client.get_session("garbage")
        assert caught.value.clear_tokens is False
        with pytest.raises(UnauthorisedError):
            client.get_session("")
    assert calls == []


def test_tampered_token_needs_a_refresh_without_asking_the_core(
    app_client: AppClient,
) -> None:
    with app_client() as (client, calls):
        created = client.create_new_session("kim", {"role": "user"})
        header, payload, signature = created.tokens.access_token.split(".")
        claims = json.loads(_b64decode(payload))
        claims["role"] = "admin"
        forged = ".".join([header, _b64encode(json.dumps(claims).encode()), signature])
        with pytest.raises(TryRefreshTokenError):
            client.get_session(forged)
    assert VERIFY not in calls


@pytest.mark.localcore_only(reason="runs a local core on a clock 63 s late")
def test_expired_token_needs_a_refresh(app_client: AppClient) -> None:
    """A token past its exp is refused at once by default; expiry_leeway can allow a little."""
    # A core whose clock runs 63 s behind mints tokens that expired 3 s ago (validity 60 s).
    with LocalCore(clock=lambda: time.time() - 63) as late_core:
        config = {"access_token_validity": 60}
        with app_client(core=late_core, core_config=config) as (client, _):
            created = client.create_new_session("lena")
            with pytest.raises(TryRefreshTokenError, match="expired"):
                client.get_session(created.tokens.access_token)
        lenient = SessionConfig(expiry_leeway=10)
        with app_client(core=late_core, core_config=config, session=lenient) as (client, _):
            created = client.create_new_session("lena")
            assert client.get_session(created.tokens.access_token) is not None


def test_a_token_past_its_core_set_validity_needs_a_refresh(app_client: AppClient) -> None:
    """A core configured for 1-second access tokens: once that second is over, refresh."""
    with app_client(core_config={"access_token_validity": 1}) as (client, _):
        created = client.create_new_session("lena")
        claims = json.loads(_b64decode(created.tokens.access_token.split(".")[1]))
        expiry = claims["exp"]
        assert expiry - claims["iat"] == 1
        sleep(max(0.0, expiry - time.time()) + 0.05)
        with pytest.raises(TryRefreshTokenError, match="expired"):
            client.get_session(created.tokens.access_token)


def test_bad_input_is_rejected_before_sending(app_client: AppClient) -> None:
    with app_client() as (client, calls):
        with pytest.raises(ValueError, match="sub"):
            client.create_new_session("mia", {"sub": "someone-else"})
        with pytest.raises(TypeError):
            client.create_new_session("mia", ["not", "a", "dict"])  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="tenant_id"):
            client.create_new_session("mia", tenant_id="../admin")
        with pytest.raises(ValueError, match="user_id"):
            client.create_new_session("")
        with pytest.raises(ValueError, match="exp"):
            client.merge_into_access_token_payload("h", {"exp": 1})
        with pytest.raises(TypeError, match="session_handles"):
            client.revoke_multiple_sessions("one-handle")
    assert calls == []


def test_an_empty_token_is_no_session_for_get_and_refresh(app_client: AppClient) -> None:
    """get_session("") and refresh_session("") both mean "no session"; a non-str is a TypeError."""
    with app_client() as (client, calls):
        with pytest.raises(UnauthorisedError):
            client.get_session("")
        with pytest.raises(UnauthorisedError):
            client.refresh_session("")
        with pytest.raises(TypeError, match="access_token"):
            client.get_session(123)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
        with pytest.raises(TypeError, match="refresh_token"):
            client.refresh_session(123)  # type: ignore[arg-type]
    assert calls == []


def test_get_jwks_and_prefetch(app_client: AppClient) -> None:
    with app_client() as (client, calls):
        client.prefetch()
        assert calls == [JWKS_FETCH]
        jwks = client.get_jwks()
        assert jwks.keys and all(key.kid.startswith(("d-", "s-")) for key in jwks.keys)
        assert jwks.max_age >= 1
        created = client.create_new_session("nora")
        assert client.get_session(created.tokens.access_token) is not None
    assert calls.count(JWKS_FETCH) == 1


def test_static_key_setting_forces_a_refresh_of_dynamic_tokens(
    app_client: AppClient,
) -> None:
    static = SessionConfig(use_dynamic_access_token_signing_key=False)
    with app_client() as (dynamic_client, calls):
        created = dynamic_client.create_new_session("omar")
    with app_client(uri=calls.uri, session=static) as (client, _):
        for _ in range(2):  # read in full, then in one pass (its header is known by then)
            with pytest.raises(TryRefreshTokenError):
                client.get_session(created.tokens.access_token)
        assert created.tokens.access_token not in client.session_recipe.verified_tokens
        refreshed = client.refresh_session(created.tokens.refresh_token or "")
        session = client.get_session(refreshed.tokens.access_token)
        assert session is not None
        assert _kid(session.tokens.access_token).startswith("s-")


def _b64decode(segment: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _b64encode(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _kid(token: str) -> str:
    return str(json.loads(_b64decode(token.split(".")[0]))["kid"])


def test_a_handle_of_an_unknown_tenant_is_a_core_error(app_client: AppClient) -> None:
    """Both cores answer HTTP 400 for a handle whose tenant suffix names no tenant."""
    with app_client() as (client, _):
        with pytest.raises(CoreResponseError) as caught:
            client.get_session_information("0c9d-not-a-session_nosuchtenant")
    assert caught.value.status_code == 400
    assert "nosuchtenant" in caught.value.body
