# Generated from tests/asyncio/test_web_create.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""FDI.md §9 rows 1-6, 32 and 33: sessions created into a web response, and user contexts."""

from __future__ import annotations

import time
from typing import Any

import attrs
import pytest

from authclient.syncio import Overrides, SessionRecipe, WebApi, WebSessions
from authclient.web import InsecureSessionCookieError, WebConfig
from tests.syncio.web_support import MakeWeb, login, make_web, route
from tests.web.wire import (
    INSECURE_CROSS_SITE,
    ONE_YEAR,
    REFRESH_PATH,
    A,
    E,
    T,
    X,
    request,
)

__all__ = ["make_web"]
COOKIE_MODE = [("st-auth-mode", "cookie")]


def test_row1_create_in_cookie_mode_sets_both_cookies(make_web: MakeWeb) -> None:
    """Row 1: cookies with the FDI attributes, a front token, and nothing else."""
    with make_web(A) as web:
        session, answer = login(web, request(headers=COOKIE_MODE))
        expiry = session.get_expiry()
    access, refresh = answer.cookies["sAccessToken"], answer.cookies["sRefreshToken"]
    assert (access.path, access.http_only, access.secure, access.same_site) == (
        "/",
        True,
        False,
        "lax",
    )
    assert abs(access.expires - (time.time() + ONE_YEAR)) < 120
    assert (refresh.path, refresh.http_only, refresh.secure) == (REFRESH_PATH, True, False)
    assert int(refresh.expires) == expiry // 1000
    assert access.domain is None and refresh.domain is None
    assert answer.exposed == ["front-token"]
    assert answer.front_token is not None
    assert {name for name in answer.session_headers} == {"set-cookie", "front-token"}


@pytest.mark.parametrize("mode", [[("st-auth-mode", "header")], []], ids=["header", "no-mode"])
def test_row2_create_in_header_mode_sends_st_headers(
    make_web: MakeWeb, mode: list[tuple[str, str]]
) -> None:
    """Row 2: header mode (also with no st-auth-mode): st-* headers and no cookies."""
    with make_web(A) as web:
        session, answer = login(web, request(headers=mode))
    assert answer.header("st-access-token") == session.tokens.access_token
    assert answer.header("st-refresh-token") == session.tokens.refresh_token
    assert answer.exposed == ["front-token", "st-access-token", "st-refresh-token"]
    assert answer.front_token is not None
    assert answer.cookies == {}


def test_row3_header_create_clears_the_cookie_session(make_web: MakeWeb) -> None:
    """Row 3: a header-mode create with an sAccessToken cookie expires the cookies."""
    with make_web(A) as web:
        old, _ = login(web, request(headers=COOKIE_MODE))
        cookies = [("sAccessToken", old.tokens.access_token)]
        headers = [("st-auth-mode", "header")]
        new, answer = login(web, request(cookies=cookies, headers=headers))
    assert answer.cookies["sAccessToken"].expired and answer.cookies["sRefreshToken"].expired
    assert answer.header("st-access-token") == new.tokens.access_token
    assert answer.header("st-refresh-token") == new.tokens.refresh_token
    assert answer.front_token is not None and answer.front_token["uid"] == "u1"


def test_row4_cross_site_cookies_are_samesite_none_and_secure(make_web: MakeWeb) -> None:
    """Row 4: https cross-site: SameSite=None; Secure on both cookies."""
    with make_web(X) as web:
        _, answer = login(web, request(headers=COOKIE_MODE))
    for name in ("sAccessToken", "sRefreshToken"):
        cookie = answer.cookies[name]
        assert (cookie.same_site, cookie.secure) == ("none", True)


def test_row5_insecure_cross_site_cookies_are_refused(make_web: MakeWeb) -> None:
    """Row 5: SameSite=None without Secure is an error (a 500), and no session is made."""
    with make_web(INSECURE_CROSS_SITE) as web:
        with pytest.raises(InsecureSessionCookieError, match="Secure"):
            web.create_new_session(request(headers=COOKIE_MODE), "u1")


def test_row5_guard_spares_localhost_sites(make_web: MakeWeb) -> None:
    """§3: the create guard does not apply when both sites are localhost or an IP."""
    config = WebConfig(
        api_domain="http://localhost:3001",
        website_domain="http://127.0.0.1:3000",
        cookie_same_site="none",
    )
    with make_web(config) as web:
        _, answer = login(web, request(headers=COOKIE_MODE))
    assert answer.cookies["sAccessToken"].same_site == "none"


def test_row5_guard_spares_header_mode(make_web: MakeWeb) -> None:
    """§3: insecure cross-site settings do not matter when no cookie is set."""
    with make_web(INSECURE_CROSS_SITE) as web:
        _, answer = login(web, request(headers=[("st-auth-mode", "header")]))
    assert answer.header("st-access-token")


def test_row6_via_token_sends_an_anti_csrf_token(make_web: MakeWeb) -> None:
    """Row 6: VIA_TOKEN: the core's anti-CSRF token is sent and exposed."""
    with make_web(T, client_anti_csrf="VIA_TOKEN") as web:
        session, answer = login(web, request(headers=COOKIE_MODE))
    assert session.tokens.anti_csrf_token
    assert answer.header("anti-csrf") == session.tokens.anti_csrf_token
    assert answer.exposed == ["front-token", "anti-csrf"]
    assert set(answer.cookies) == {"sAccessToken", "sRefreshToken"}


def test_row6_via_token_needs_the_client_to_mint_tokens(make_web: MakeWeb) -> None:
    """VIA_TOKEN in WebConfig with a client that does not ask the core for tokens: ValueError."""
    with make_web(A) as web:
        with pytest.raises(ValueError, match="SessionConfig"):
            WebSessions(web.client(), T)


def test_row33_expose_flag_copies_the_access_token_to_a_header(make_web: MakeWeb) -> None:
    """Row 33: cookie mode with the expose flag: an st-access-token copy, no st-refresh-token."""
    with make_web(E) as web:
        session, answer = login(web, request(headers=COOKIE_MODE))
    assert answer.header("st-access-token") == session.tokens.access_token
    assert answer.header("st-refresh-token") is None
    assert answer.exposed == ["front-token", "st-access-token"]
    assert set(answer.cookies) == {"sAccessToken", "sRefreshToken"}


def test_front_token_carries_the_whole_payload(make_web: MakeWeb) -> None:
    """§2: up is the whole decoded JWT payload (iat, sub, custom claims), ate in ms."""
    with make_web(A) as web:
        _, answer = login(web, request(), access_token_payload={"k": "v"})
    front = answer.front_token
    assert front is not None
    assert front["uid"] == "u1" and front["up"]["sub"] == "u1" and front["up"]["k"] == "v"
    assert {"iat", "exp", "sessionHandle", "tId", "rsub", "antiCsrfToken"} <= set(front["up"])
    assert front["ate"] == front["up"]["exp"] * 1000


def test_row32_overrides_see_this_request_in_a_fresh_context(make_web: MakeWeb) -> None:
    """Row 32: each call's user_context is a new dict whose _default.request is this request."""
    seen: list[dict[str, Any]] = []

    def spy(original: SessionRecipe) -> SessionRecipe:
        create, verify = original.create_new_session, original.get_session

        def create_new_session(*args: Any) -> Any:
            seen.append(args[-1])
            return create(*args)

        def get_session(*args: Any) -> Any:
            seen.append(args[-1])
            return verify(*args)

        original.create_new_session = create_new_session  # type: ignore[method-assign,assignment]
        original.get_session = get_session  # type: ignore[method-assign,assignment]
        return original

    with make_web(A, client_options={"overrides": Overrides(session=spy)}) as web:
        first, second = object(), object()
        session, _ = login(web, request(original=first))
        token = session.tokens.access_token
        route(web, request(bearer=token, original=second))
        route(web, request(bearer=token, original=second))
    assert [context["_default"]["request"] for context in seen] == [first, second, second]
    assert all(context["_default"]["keep_cache_alive"] is True for context in seen)
    assert len({id(context) for context in seen}) == 3


def test_row32_a_web_api_override_gets_the_request_context(make_web: MakeWeb) -> None:
    """Row 32: an WebApi override runs for verify_session, with _default.request set."""
    seen: list[Any] = []

    def spy(original: WebApi) -> WebApi:
        verify = original.verify_session

        def verify_session(*args: Any) -> Any:
            seen.append(args[-1]["_default"]["request"])
            return verify(*args)

        original.verify_session = verify_session  # type: ignore[method-assign,assignment]
        return original

    with make_web(A, overrides=spy) as web:
        marker = object()
        session, _ = login(web, request())
        route(web, request(bearer=session.tokens.access_token, original=marker))
    assert seen == [marker]


def test_a_passed_user_context_is_used_and_marked(make_web: MakeWeb) -> None:
    """A caller's own user_context is the one the call uses, with _default.request set."""
    with make_web(A) as web:
        context: dict[str, Any] = {"mine": 1}
        marker = object()
        web.create_new_session(request(original=marker), "u1", user_context=context)
    assert context["mine"] == 1 and context["_default"]["request"] is marker


def test_the_default_request_is_the_view_without_a_framework_object(
    make_web: MakeWeb,
) -> None:
    """With no framework object, _default.request is the WebRequest itself."""
    with make_web(A) as web:
        context: dict[str, Any] = {}
        view = request()
        web.create_new_session(view, "u1", user_context=context)
    assert context["_default"]["request"] is view


def test_a_configured_transfer_method_wins_over_st_auth_mode(make_web: MakeWeb) -> None:
    """token_transfer_method='cookie' ignores the frontend's st-auth-mode at create."""
    with make_web(attrs.evolve(A, token_transfer_method="cookie")) as web:
        _, answer = login(web, request(headers=[("st-auth-mode", "header")]))
    assert set(answer.cookies) == {"sAccessToken", "sRefreshToken"}
    assert answer.header("st-access-token") is None
