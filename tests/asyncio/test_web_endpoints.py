"""FDI.md §9 rows 23-31: the refresh and sign-out endpoints, routing, and error handlers."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import attrs
import pytest

from authclient._compat import ASYNC
from authclient.asyncio import AsyncSession, AsyncWebApi, AsyncWebSessions
from authclient.errors import SessionError, TryRefreshTokenError
from authclient.web import (
    DuplicateSessionCookiesError,
    ErrorHandlers,
    ResponseEffects,
    WebConfig,
    WebRequest,
)
from tests.asyncio.web_support import MakeWeb, endpoint, login, make_web, route
from tests.web.wire import REFRESH_PATH, A, D, T, X, is_full_clear, request

if ASYNC:
    pytestmark = pytest.mark.anyio

__all__ = ["make_web"]
COOKIE_MODE = [("st-auth-mode", "cookie")]
UNAUTHORISED = {"message": "unauthorised"}
SIGNOUT = "/auth/signout"


async def cookie_login(web: AsyncWebSessions) -> AsyncSession:
    session, _ = await login(web, request(headers=COOKIE_MODE))
    return session


def refresh(**options: Any) -> WebRequest:
    return request(path=REFRESH_PATH, **options)


def rt_cookie(session: AsyncSession) -> list[tuple[str, str]]:
    return [("sRefreshToken", session.tokens.refresh_token or "")]


async def test_row23_refresh_with_the_cookie(make_web: MakeWeb) -> None:
    """Row 23: a cookie RT without rid: 200 {} with new cookies and a front token."""
    async with make_web(A) as web:
        session = await cookie_login(web)
        answer = await endpoint(web, refresh(cookies=rt_cookie(session)))
    assert (answer.status, answer.body) == (200, {})
    assert answer.header("content-type") == "application/json; charset=utf-8"
    tokens = answer.tokens()
    assert tokens["refresh"] != session.tokens.refresh_token and tokens["access"]
    assert answer.cookies["sRefreshToken"].path == REFRESH_PATH
    assert answer.front_token is not None and answer.header("st-access-token") is None


async def test_row23_refresh_with_the_bearer(make_web: MakeWeb) -> None:
    """Row 23: a Bearer RT: 200 {} with new st-* headers and a front token, no cookies."""
    async with make_web(A) as web:
        session, _ = await login(web, request())
        answer = await endpoint(web, refresh(bearer=session.tokens.refresh_token))
    assert (answer.status, answer.body) == (200, {})
    assert answer.header("st-access-token") and answer.header("st-refresh-token")
    assert answer.front_token is not None and answer.cookies == {}


async def test_row24_both_methods_keep_the_new_front_token(make_web: MakeWeb) -> None:
    """Row 24: header and cookie RTs: new st-*, expired cookies, the new token's front token."""
    async with make_web(A) as web:
        by_cookie = await cookie_login(web)
        by_header, _ = await login(web, request(), "h")
        view = refresh(cookies=rt_cookie(by_cookie), bearer=by_header.tokens.refresh_token)
        answer = await endpoint(web, view)
    assert answer.status == 200
    assert answer.cookies["sAccessToken"].expired and answer.cookies["sRefreshToken"].expired
    new_access = answer.header("st-access-token")
    assert new_access and answer.header("st-refresh-token")
    assert answer.front_token is not None and answer.front_token["uid"] == "h"
    assert answer.headers.index(("st-access-token", new_access)) > answer.headers.index(
        next(h for h in answer.headers if h[0] == "set-cookie")
    )


@pytest.mark.parametrize("case", ["nothing", "access-cookie-only", "nonsense"])
async def test_row25_refresh_without_a_usable_token_clears(make_web: MakeWeb, case: str) -> None:
    """Row 25: no RT, only an access cookie, or a nonsense RT: 401 unauthorised + Clear."""
    async with make_web(A) as web:
        session = await cookie_login(web)
        cookies = {
            "nothing": [],
            "access-cookie-only": [("sAccessToken", session.tokens.access_token)],
            "nonsense": [("sRefreshToken", "nonsense")],
        }[case]
        answer = await endpoint(web, refresh(cookies=cookies))
    assert (answer.status, answer.body) == (401, UNAUTHORISED)
    assert is_full_clear(answer)


async def test_row26_a_replayed_refresh_token_is_theft(make_web: MakeWeb) -> None:
    """Row 26: an older, rotated RT: 401 theft + Clear, and the session is revoked."""
    async with make_web(A) as web:
        session = await cookie_login(web)
        second = (await endpoint(web, refresh(cookies=rt_cookie(session)))).tokens()["refresh"]
        await endpoint(web, refresh(cookies=[("sRefreshToken", second)]))
        answer = await endpoint(web, refresh(cookies=rt_cookie(session)))
        info = await (await web.client()).get_session_information(session.handle)
    assert (answer.status, answer.body) == (401, {"message": "token theft detected"})
    assert is_full_clear(answer)
    assert info is None


async def test_row27_cross_site_refresh_without_rid_clears(make_web: MakeWeb) -> None:
    """Row 27: VIA_CUSTOM_HEADER: a cookie refresh without rid is 401 + Clear (X attributes)."""
    async with make_web(X) as web:
        answer = await endpoint(web, refresh(cookies=rt_cookie(await cookie_login(web))))
    assert (answer.status, answer.body) == (401, UNAUTHORISED)
    assert is_full_clear(answer)
    assert all(c.same_site == "none" and c.secure for c in answer.cookies.values())


async def test_row27_cross_site_refresh_with_rid_works(make_web: MakeWeb) -> None:
    """A cookie refresh with ``rid: session`` under VIA_CUSTOM_HEADER gets new tokens."""
    async with make_web(X) as web:
        session = await cookie_login(web)
        answer = await endpoint(
            web, refresh(cookies=rt_cookie(session), headers=[("rid", "session")])
        )
    assert answer.status == 200 and "refresh" in answer.tokens()


async def test_row28_via_token_refresh_without_the_token_clears(make_web: MakeWeb) -> None:
    """Row 28: VIA_TOKEN, no anti-csrf header: 401 + Clear."""
    async with make_web(T, client_anti_csrf="VIA_TOKEN") as web:
        answer = await endpoint(web, refresh(cookies=rt_cookie(await cookie_login(web))))
    assert (answer.status, answer.body) == (401, UNAUTHORISED)
    assert is_full_clear(answer)


async def test_row28_via_token_refresh_with_the_token(make_web: MakeWeb) -> None:
    """Row 28: VIA_TOKEN with the right token: 200 and a new anti-csrf token."""
    async with make_web(T, client_anti_csrf="VIA_TOKEN") as web:
        session = await cookie_login(web)
        headers = [("anti-csrf", session.tokens.anti_csrf_token or "")]
        answer = await endpoint(web, refresh(cookies=rt_cookie(session), headers=headers))
    assert answer.status == 200
    new = answer.header("anti-csrf")
    assert new and new != session.tokens.anti_csrf_token
    assert "anti-csrf" in answer.exposed


async def test_row29_duplicates_are_cleared_from_the_older_domain(make_web: MakeWeb) -> None:
    """Row 29: duplicated cookies with older_cookie_domain: 200 with the message and two
    expired cookies on that domain, no front token."""
    cookies = [("sAccessToken", "a"), ("sAccessToken", "b"), ("sRefreshToken", "c")]
    cookies.append(("sRefreshToken", "d"))
    async with make_web(D) as web:
        answer = await endpoint(web, refresh(cookies=cookies))
    assert answer.status == 200
    assert answer.body == {
        "message": "The request contains multiple session cookies. We are clearing the cookie "
        "from older_cookie_domain. Session will be refreshed in the next refresh call."
    }
    access, refresh_cookie = answer.cookies["sAccessToken"], answer.cookies["sRefreshToken"]
    assert (access.domain, access.path, access.expired) == ("api.example.com", "/", True)
    assert (refresh_cookie.domain, refresh_cookie.path) == ("api.example.com", REFRESH_PATH)
    assert refresh_cookie.expired and answer.header("front-token") is None


async def test_row30_duplicates_without_an_older_domain_are_an_error(make_web: MakeWeb) -> None:
    """Row 30: a duplicated RT and no older_cookie_domain: an error (500)."""
    async with make_web(A) as web:
        session = await cookie_login(web)
        with pytest.raises(DuplicateSessionCookiesError):
            await web.handle_endpoint(refresh(cookies=rt_cookie(session) * 2))


async def test_row30_the_legacy_cookie_is_cleared_after_a_refresh(make_web: MakeWeb) -> None:
    """Row 30: a valid RT plus sIdRefreshToken: 200, and sIdRefreshToken expired on Path=/
    with the cookie domain."""
    async with make_web(D) as web:
        session = await cookie_login(web)
        answer = await endpoint(
            web, refresh(cookies=[*rt_cookie(session), ("sIdRefreshToken", "x")])
        )
    assert answer.status == 200 and answer.front_token is not None
    legacy = answer.cookies["sIdRefreshToken"]
    assert (legacy.value, legacy.path, legacy.domain, legacy.expired) == (
        "",
        "/",
        ".example.com",
        True,
    )


async def test_row30_only_the_legacy_cookie_is_unauthorised(make_web: MakeWeb) -> None:
    """Row 30: only sIdRefreshToken: 401 unauthorised + the legacy clear + Clear."""
    async with make_web(D) as web:
        answer = await endpoint(web, refresh(cookies=[("sIdRefreshToken", "x")]))
    assert (answer.status, answer.body) == (401, UNAUTHORISED)
    assert answer.cookies["sIdRefreshToken"].expired
    assert is_full_clear(answer, domain=".example.com")


async def test_row31_signout_in_header_mode(make_web: MakeWeb) -> None:
    """Row 31: a header AT: 200 OK, empty st-* and front-token remove; the session is gone."""
    async with make_web(A) as web:
        session, _ = await login(web, request())
        answer = await endpoint(web, request(path=SIGNOUT, bearer=session.tokens.access_token))
        info = await (await web.client()).get_session_information(session.handle)
    assert (answer.status, answer.body) == (200, {"status": "OK"})
    assert answer.header("st-access-token") == "" and answer.header("st-refresh-token") == ""
    assert answer.header("front-token") == "remove" and answer.cookies == {}
    assert info is None


async def test_row31_signout_with_cookies_and_rid(make_web: MakeWeb) -> None:
    """Row 31: X, cookie + ``rid: session``: 200 OK with expired cookies and remove."""
    async with make_web(X) as web:
        session = await cookie_login(web)
        cookies = [("sAccessToken", session.tokens.access_token)]
        answer = await endpoint(
            web, request(path=SIGNOUT, cookies=cookies, headers=[("rid", "session")])
        )
    assert (answer.status, answer.body) == (200, {"status": "OK"})
    assert answer.cookies["sAccessToken"].expired and answer.cookies["sRefreshToken"].expired
    assert answer.header("front-token") == "remove" and answer.header("st-access-token") is None


async def test_row31_signout_without_rid_must_refresh(make_web: MakeWeb) -> None:
    """Row 31: X, cookie without rid: try-refresh."""
    async with make_web(X) as web:
        cookies = [("sAccessToken", (await cookie_login(web)).tokens.access_token)]
        answer = await endpoint(web, request(path=SIGNOUT, cookies=cookies))
    assert (answer.status, answer.body) == (401, {"message": "try refresh token"})
    assert answer.session_headers == []


async def test_row31_signout_without_a_session_is_unauthorised(make_web: MakeWeb) -> None:
    """Row 31: no session: 401 unauthorised with no clear."""
    async with make_web(A) as web:
        answer = await endpoint(web, request(path=SIGNOUT))
    assert (answer.status, answer.body, answer.session_headers) == (401, UNAUTHORISED, [])


# --- routing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", REFRESH_PATH, []),
        ("POST", "/auth/session/other", []),
        ("POST", "/other/session/refresh", []),
    ],
)
async def test_other_requests_pass_through(
    make_web: MakeWeb, method: str, path: str, headers: list[tuple[str, str]]
) -> None:
    """§5.1: only POSTs to the two paths are served; everything else goes to the app."""
    async with make_web(A) as web:
        assert await web.handle_endpoint(request(method, path, headers=headers)) is None


@pytest.mark.parametrize("rid", ["session", "anti-csrf", "emailpassword", ""])
async def test_no_rid_value_keeps_a_request_from_the_endpoints(make_web: MakeWeb, rid: str) -> None:
    """§5.1: with the session recipe alone, any rid (an unknown one falls back) is served."""
    async with make_web(A) as web:
        answer = await endpoint(web, request(path=SIGNOUT, headers=[("rid", rid)]))
    assert (answer.status, answer.body) == (401, UNAUTHORISED)


@pytest.mark.parametrize(
    ("config", "path"),
    [
        (A, "/auth/tenant-1/session/refresh"),
        (A, "/auth/session/refresh/"),
        (attrs.evolve(A, api_gateway_path="/gw"), "/auth/session/refresh"),
        (attrs.evolve(A, api_base_path="/"), "/session/refresh"),
    ],
    ids=["tenant", "trailing-slash", "gateway", "root-base"],
)
async def test_refresh_is_served_on_each_form_of_its_path(
    make_web: MakeWeb, config: Any, path: str
) -> None:
    """§5.1: tenant ids, a trailing slash, a gateway path and a root base path all route."""
    async with make_web(config) as web:
        answer = await endpoint(web, request(path=path, headers=[("rid", "anti-csrf")]))
    assert (answer.status, answer.body) == (401, UNAUTHORISED)


async def test_a_gateway_path_is_in_the_refresh_cookie_path(make_web: MakeWeb) -> None:
    """§8.3: the refresh cookie's Path is gateway + base + /session/refresh."""
    async with make_web(attrs.evolve(A, api_gateway_path="/gw")) as web:
        _, answer = await login(web, request(headers=COOKIE_MODE))
    assert answer.cookies["sRefreshToken"].path == "/gw/auth/session/refresh"


@pytest.mark.parametrize(
    ("config", "path"),
    [
        (attrs.evolve(A, disable_refresh_endpoint=True), REFRESH_PATH),
        (attrs.evolve(A, disable_signout_endpoint=True), SIGNOUT),
    ],
    ids=["disable_refresh_endpoint", "disable_signout_endpoint"],
)
async def test_disabled_endpoints_pass_through(
    make_web: MakeWeb, config: WebConfig, path: str
) -> None:
    """A disabled endpoint is left to the app."""
    async with make_web(config) as web:
        assert await web.handle_endpoint(request(path=path)) is None


async def test_a_post_to_the_refresh_path_through_verify_session_refreshes(
    make_web: MakeWeb,
) -> None:
    """§4: verify_session on a POST to the refresh path runs the refresh."""
    async with make_web(A) as web:
        session = await cookie_login(web)
        found, answer = await route(web, refresh(cookies=rt_cookie(session)))
    assert found is not None and found.handle == session.handle
    assert answer.tokens()["refresh"] != session.tokens.refresh_token


# --- overrides and handlers ----------------------------------------------------------------------


async def test_an_api_override_replaces_the_sign_out_step(make_web: MakeWeb) -> None:
    """overrides=fn: a replaced signout_post runs instead of the revoke."""
    seen: list[str] = []

    def keep_sessions(original: AsyncWebApi) -> AsyncWebApi:
        async def signout_post(
            request: WebRequest, session: AsyncSession, user_context: dict[str, Any]
        ) -> None:
            seen.append(session.user_id)

        original.signout_post = signout_post  # type: ignore[method-assign]
        return original

    async with make_web(A, overrides=keep_sessions) as web:
        session, _ = await login(web, request())
        answer = await endpoint(web, request(path=SIGNOUT, bearer=session.tokens.access_token))
        info = await (await web.client()).get_session_information(session.handle)
    assert answer.body == {"status": "OK"} and seen == ["u1"] and info is not None


async def test_an_override_must_return_the_api(make_web: MakeWeb) -> None:
    """An overrides function that returns nothing is a TypeError."""
    async with make_web(A) as web:
        with pytest.raises(TypeError, match="WebApi"):
            AsyncWebSessions(await web.client(), A, overrides=lambda original: None)  # type: ignore[arg-type,return-value]


async def test_a_replaced_handler_answers_after_the_clear(make_web: MakeWeb) -> None:
    """A replaced on_unauthorised sets the answer; the clear is already in the effects."""

    def teapot(
        request: WebRequest, error: SessionError, effects: ResponseEffects
    ) -> ResponseEffects:
        return effects.answer_json(418, {"why": "custom"})

    handlers = ErrorHandlers(on_unauthorised=teapot)
    async with make_web(A, error_handlers=handlers) as web:
        answer = await endpoint(web, refresh())
    assert (answer.status, answer.body) == (418, {"why": "custom"})
    assert is_full_clear(answer)


async def test_a_handler_must_answer(make_web: MakeWeb) -> None:
    """A handler that leaves the effects without an answer is a TypeError."""

    def silent(request: WebRequest, error: SessionError, effects: ResponseEffects) -> None:
        return None

    handlers = ErrorHandlers(on_try_refresh_token=silent)
    async with make_web(A, error_handlers=handlers) as web:
        with pytest.raises(TypeError, match="answer"):
            await web.error_response(request(), TryRefreshTokenError("x"))


class Deferred:
    """An awaitable that is ready at once: what a coroutine handler gives back."""

    def __init__(self, effects: ResponseEffects) -> None:
        self.effects = effects

    def __await__(self) -> Generator[Any, None, ResponseEffects]:
        return self.effects
        yield  # a generator: the await finishes without suspending


async def test_an_awaitable_from_a_handler_is_awaited_here_only(make_web: MakeWeb) -> None:
    """A handler's awaitable is awaited where handlers may be coroutines, else refused."""

    def deferred(request: WebRequest, error: SessionError, effects: ResponseEffects) -> Any:
        return Deferred(effects.answer_json(418, {}))

    handlers = ErrorHandlers(on_try_refresh_token=deferred)
    async with make_web(A, error_handlers=handlers) as web:
        if ASYNC:
            answer = await web.error_response(request(), TryRefreshTokenError("x"))
            assert answer.status == 418
        else:
            with pytest.raises(TypeError, match="awaitable"):
                await web.error_response(request(), TryRefreshTokenError("x"))


async def test_a_coroutine_handler_answers(make_web: MakeWeb) -> None:
    """A coroutine handler (here; a plain function in the generated flavor) answers."""

    async def teapot(
        request: WebRequest, error: SessionError, effects: ResponseEffects
    ) -> ResponseEffects:
        return effects.answer_json(418, {"message": "tea"})

    async with make_web(A, error_handlers=ErrorHandlers(on_try_refresh_token=teapot)) as web:
        answer = await web.error_response(request(), TryRefreshTokenError("x"))
    assert (answer.status, answer.body) == (418, b'{"message":"tea"}')
