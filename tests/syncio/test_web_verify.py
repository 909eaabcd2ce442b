# Generated from tests/asyncio/test_web_verify.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""FDI.md §9 rows 7-22: the session of a request to an app route, and in-handler changes."""

from __future__ import annotations

from typing import Any, Optional

import pytest

from authclient.claims import BooleanClaim
from authclient.syncio import Session, WebSessions
from tests.syncio.web_support import MakeWeb, endpoint, login, make_web, route
from tests.web.wire import REFRESH_PATH, A, Answer, T, X, request

__all__ = ["make_web"]
COOKIE_MODE = [("st-auth-mode", "cookie")]
HEADER_MODE = [("st-auth-mode", "header")]
TRY = {"message": "try refresh token"}
UNAUTHORISED = {"message": "unauthorised"}


def is_try(answer: Answer) -> bool:
    return (answer.status, answer.body, answer.session_headers) == (401, TRY, [])


def is_unauthorised_without_clear(answer: Answer) -> bool:
    return (answer.status, answer.body, answer.session_headers) == (401, UNAUTHORISED, [])


def is_ok(answer: Answer) -> bool:
    return (answer.status, answer.session_headers) == (200, [])


def cookie_login(web: WebSessions) -> Session:
    session, _ = login(web, request(headers=COOKIE_MODE))
    return session


def with_cookie(session: Session, method: str = "POST", **options: Any) -> Any:
    return request(method, cookies=[("sAccessToken", session.tokens.access_token)], **options)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_row7_cookie_verify_needs_no_rid_without_anti_csrf(make_web: MakeWeb, method: str) -> None:
    """Row 7: config A (anti-CSRF NONE): a cookie verifies without rid; nothing is written."""
    with make_web(A) as web:
        session = cookie_login(web)
        found, answer = route(web, with_cookie(session, method))
    assert found is not None and found.handle == session.handle
    assert is_ok(answer)


def test_row8_cross_site_post_without_rid_must_refresh(make_web: MakeWeb) -> None:
    """Row 8: VIA_CUSTOM_HEADER: a POST without rid is try-refresh."""
    with make_web(X) as web:
        _, answer = route(web, with_cookie(cookie_login(web)))
    assert is_try(answer)


@pytest.mark.parametrize(
    ("method", "headers"),
    [("POST", [("rid", "anything")]), ("POST", [("rid", "")]), ("GET", [])],
    ids=["post-rid", "post-empty-rid", "get"],
)
def test_row8_any_rid_or_a_get_passes(
    make_web: MakeWeb, method: str, headers: list[tuple[str, str]]
) -> None:
    """Row 8: any rid value (even empty) satisfies VIA_CUSTOM_HEADER; GET is exempt."""
    with make_web(X) as web:
        session = cookie_login(web)
        found, answer = route(web, with_cookie(session, method, headers=headers))
    assert found is not None and is_ok(answer)


def test_row9_head_is_checked_too(make_web: MakeWeb) -> None:
    """Row 9: HEAD without rid is try-refresh, with rid it passes."""
    with make_web(X) as web:
        session = cookie_login(web)
        _, without = route(web, with_cookie(session, "HEAD"))
        found, with_rid = route(web, with_cookie(session, "HEAD", headers=[("rid", "x")]))
    assert is_try(without)
    assert found is not None and is_ok(with_rid)


def test_row10_header_mode_is_never_checked(make_web: MakeWeb) -> None:
    """Row 10: VIA_CUSTOM_HEADER does not apply to a Bearer token."""
    with make_web(X) as web:
        session, _ = login(web, request(headers=HEADER_MODE))
        found, answer = route(web, request(bearer=session.tokens.access_token))
    assert found is not None and is_ok(answer)


@pytest.mark.parametrize("given", [None, "wrong"], ids=["none", "wrong"])
def test_row11_via_token_needs_the_right_token(make_web: MakeWeb, given: Optional[str]) -> None:
    """Row 11: VIA_TOKEN: a missing or wrong anti-csrf header is try-refresh."""
    headers = [] if given is None else [("anti-csrf", given)]
    with make_web(T, client_anti_csrf="VIA_TOKEN") as web:
        _, answer = route(web, with_cookie(cookie_login(web), headers=headers))
    assert is_try(answer)


def test_row11_via_token_passes_with_the_token_or_on_get(make_web: MakeWeb) -> None:
    """Row 11: the right anti-csrf header passes a POST; a GET needs none."""
    with make_web(T, client_anti_csrf="VIA_TOKEN") as web:
        session = cookie_login(web)
        token = session.tokens.anti_csrf_token or ""
        right, posted = route(web, with_cookie(session, headers=[("anti-csrf", token)]))
        got, fetched = route(web, with_cookie(session, "GET"))
    assert right is not None and is_ok(posted)
    assert got is not None and is_ok(fetched)


def test_row11_a_route_can_skip_the_check(make_web: MakeWeb) -> None:
    """anti_csrf_check=False skips the VIA_TOKEN comparison on a POST."""
    with make_web(T, client_anti_csrf="VIA_TOKEN") as web:
        found, _ = route(web, with_cookie(cookie_login(web)), anti_csrf_check=False)
    assert found is not None


def test_row12_via_token_does_not_apply_to_header_mode(make_web: MakeWeb) -> None:
    """Row 12: header mode under VIA_TOKEN: no anti-csrf header needed."""
    with make_web(T, client_anti_csrf="VIA_TOKEN") as web:
        session, _ = login(web, request(headers=HEADER_MODE))
        found, answer = route(web, request(bearer=session.tokens.access_token))
    assert found is not None and is_ok(answer)


def test_row13_no_tokens_is_unauthorised_without_a_clear(make_web: MakeWeb) -> None:
    """Row 13: no tokens: 401 unauthorised and no session headers."""
    with make_web(A) as web:
        _, answer = route(web, request())
    assert is_unauthorised_without_clear(answer)


def test_row14_an_optional_route_without_tokens_has_no_session(make_web: MakeWeb) -> None:
    """Row 14: session_required=False and no tokens: None, and the route answers."""
    with make_web(A) as web:
        found, answer = route(web, request(), session_required=False)
    assert found is None and is_ok(answer)


def test_row15_a_malformed_bearer_is_no_token(make_web: MakeWeb) -> None:
    """Row 15: ``Bearer abc.def`` alone is 401 unauthorised, not a clear."""
    with make_web(A) as web:
        _, answer = route(web, request(bearer="abc.def"))
    assert is_unauthorised_without_clear(answer)


def test_row15_bearer_is_case_sensitive(make_web: MakeWeb) -> None:
    """Row 15: ``bearer <valid>`` is ignored."""
    with make_web(A) as web:
        session, _ = login(web, request())
        lower = [("authorization", f"bearer {session.tokens.access_token}")]
        _, answer = route(web, request(headers=lower))
    assert is_unauthorised_without_clear(answer)


def test_row16_the_header_is_used_before_the_cookie(make_web: MakeWeb) -> None:
    """Row 16: a valid header and a valid cookie: the header's session."""
    with make_web(A) as web:
        by_header, _ = login(web, request(), "h")
        by_cookie = cookie_login(web)
        both = with_cookie(by_cookie, bearer=by_header.tokens.access_token)
        found, answer = route(web, both)
    assert found is not None and found.user_id == "h" and is_ok(answer)


def test_row16_a_garbage_header_does_not_hide_the_cookie(make_web: MakeWeb) -> None:
    """Row 16: a garbage Bearer is dropped and the cookie verifies."""
    with make_web(A) as web:
        session = cookie_login(web)
        found, answer = route(web, with_cookie(session, bearer="garbage.x.y"))
    assert found is not None and found.handle == session.handle and is_ok(answer)


@pytest.mark.parametrize("required", [True, False], ids=["required", "optional"])
def test_row17_a_tampered_signature_must_refresh(make_web: MakeWeb, required: bool) -> None:
    """Row 17: a tampered signature is try-refresh, even on an optional route."""
    with make_web(A) as web:
        session, _ = login(web, request())
        token = session.tokens.access_token
        tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        _, answer = route(web, request(bearer=tampered), session_required=required)
    assert is_try(answer)


def test_row18_the_legacy_cookie_must_refresh(make_web: MakeWeb) -> None:
    """Row 18: a valid access cookie plus sIdRefreshToken is try-refresh."""
    with make_web(A) as web:
        session = cookie_login(web)
        cookies = [("sAccessToken", session.tokens.access_token), ("sIdRefreshToken", "x")]
        _, answer = route(web, request(cookies=cookies))
    assert is_try(answer)


def test_row18_duplicate_access_cookies_must_refresh(make_web: MakeWeb) -> None:
    """Row 18: two sAccessToken cookies in the raw Cookie header are try-refresh."""
    with make_web(A) as web:
        token = (cookie_login(web)).tokens.access_token
        _, answer = route(web, request(cookies=[("sAccessToken", token)] * 2))
    assert is_try(answer)


def test_row19_the_first_verify_after_a_refresh_sends_the_new_token(
    make_web: MakeWeb,
) -> None:
    """Row 19: the core replaces the token: a new access cookie and front token, no refresh
    cookie, and the request's anti-csrf echoed and exposed."""
    with make_web(A) as web:
        session = cookie_login(web)
        refresh = request(
            path=REFRESH_PATH, cookies=[("sRefreshToken", session.tokens.refresh_token or "")]
        )
        new_access = (endpoint(web, refresh)).tokens()["access"]
        cookies = [("sAccessToken", new_access)]
        found, answer = route(web, request(cookies=cookies, headers=[("anti-csrf", "echo-me")]))
    assert found is not None and found.tokens.access_token_updated
    assert answer.status == 200
    assert answer.cookies["sAccessToken"].value == found.tokens.access_token != new_access
    assert "sRefreshToken" not in answer.cookies
    assert answer.front_token is not None
    assert answer.header("anti-csrf") == "echo-me"
    assert answer.exposed == ["front-token", "anti-csrf"]


@pytest.mark.parametrize("mode", ["cookie", "header"])
def test_row20_a_merge_in_the_handler_sends_the_new_token(make_web: MakeWeb, mode: str) -> None:
    """Row 20: merge_into_access_token_payload in a handler writes the token and front token."""

    def handler(found: Optional[Session]) -> None:
        assert found is not None
        found.merge_into_access_token_payload({"m": 1})

    with make_web(A) as web:
        session, _ = login(web, request(headers=[("st-auth-mode", mode)]))
        token = session.tokens.access_token
        view = with_cookie(session) if mode == "cookie" else request(bearer=token)
        found, answer = route(web, view, handler)
    assert found is not None
    assert answer.front_token is not None and answer.front_token["up"]["m"] == 1
    if mode == "cookie":
        assert answer.cookies["sAccessToken"].value == found.tokens.access_token
        assert answer.exposed == ["front-token"]
    else:
        assert answer.header("st-access-token") == found.tokens.access_token
        assert answer.exposed == ["front-token", "st-access-token"]
        assert answer.cookies == {}


def test_row21_revoking_in_the_handler_clears_the_cookies(make_web: MakeWeb) -> None:
    """Row 21: revoke_session() in a handler: expired cookies, front-token remove, no st-*."""

    def handler(found: Optional[Session]) -> None:
        assert found is not None
        found.revoke_session()

    with make_web(A) as web:
        session = cookie_login(web)
        _, answer = route(web, with_cookie(session), handler)
        info = (web.client()).get_session_information(session.handle)
    assert answer.status == 200 and info is None
    assert answer.cookies["sAccessToken"].expired and answer.cookies["sRefreshToken"].expired
    assert answer.header("front-token") == "remove"
    assert answer.header("st-access-token") is None and answer.header("st-refresh-token") is None


def test_row22_an_invalid_claim_is_403(make_web: MakeWeb) -> None:
    """Row 22: a failing claim validator is 403 with claimValidationErrors and no clear."""

    def not_an_admin(*args: Any) -> bool:
        return False

    is_admin = BooleanClaim("st-adm", fetch_value=not_an_admin)

    def must_be_admin(validators: Any, session: Any, user_context: Any) -> list[Any]:
        return [is_admin.validators.is_true()]

    with make_web(X) as web:
        session = cookie_login(web)
        _, answer = route(
            web, with_cookie(session, "GET"), override_global_claim_validators=must_be_admin
        )
    assert answer.status == 403
    assert answer.body == {
        "message": "invalid claim",
        "claimValidationErrors": [
            {
                "id": "st-adm",
                "reason": {"message": "wrong value", "expectedValue": True, "actualValue": False},
            }
        ],
    }
    assert answer.cookies == {} and answer.header("front-token") is None


def test_check_database_sees_a_revoked_session(make_web: MakeWeb) -> None:
    """check_database=True: a revoked session's token is unauthorised, with a full clear."""
    with make_web(A) as web:
        session = cookie_login(web)
        (web.client()).revoke_session(session.handle)
        kept, locally = route(web, with_cookie(session))
        _, checked = route(web, with_cookie(session), check_database=True)
    assert kept is not None and is_ok(locally)
    assert (checked.status, checked.body) == (401, UNAUTHORISED)
    assert checked.header("front-token") == "remove"


def test_options_requests_have_no_session(make_web: MakeWeb) -> None:
    """verify_session on OPTIONS: None when optional, an error (500) when required."""
    with make_web(A) as web:
        found, _ = route(web, request("OPTIONS"), session_required=False)
        with pytest.raises(RuntimeError, match="OPTIONS"):
            web.verify_session(request("OPTIONS"))
    assert found is None


def test_tokens_stay_out_of_reprs(make_web: MakeWeb) -> None:
    """A request view and response effects never show a token in their repr."""
    with make_web(A) as web:
        session = cookie_login(web)
        view = with_cookie(session)
        found = web.verify_session(view)
        assert found is not None
        found.merge_into_access_token_payload({"m": 2})
        effects = web.finish(view)
    assert effects.operations
    texts = (repr(view), repr(effects), repr(effects.operations), repr(effects.cookies))
    for token in (session.tokens.access_token, found.tokens.access_token):
        assert not any(token in text for text in texts)
