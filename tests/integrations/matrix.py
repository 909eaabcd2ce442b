"""The seed's route over the session matrix, for every ASGI framework adapter.

``SessionMatrix`` is subclassed once per framework (``make_app`` builds ``tests.integrations.apps``
for it); every test runs on asyncio and trio through ``httpx.ASGITransport``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Callable, ClassVar

import attrs
import pytest

from authclient.asyncio import SessionConfig
from authclient.web import WebConfig
from tests.integrations.apps import WEBSITE
from tests.integrations.conftest import (
    CONFIG_A,
    EXPIRED,
    Clock,
    Frontend,
    Tokens,
    cleared,
    cookie_attributes,
    forged,
    no_session_headers,
    set_cookies,
)
from tests.integrations.websocket import websocket_messages

Unauth = {"message": "unauthorised"}
Try = {"message": "try refresh token"}


def user(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}"


@pytest.mark.anyio
class SessionMatrix:
    make_app: ClassVar[Callable[..., Any]]

    @pytest.fixture
    def frontend_for(self, auth_client_for: Callable[..., Any]) -> Callable[..., Any]:
        """``async with frontend_for(config=..., **client_options) as frontend``."""

        @asynccontextmanager
        async def make(
            config: WebConfig = CONFIG_A, with_cors: bool = False, **options: Any
        ) -> AsyncGenerator[Frontend, None]:
            async with auth_client_for(**options) as client:
                background: list[str] = []
                app = type(self).make_app(client, config, background, with_cors=with_cors)
                frontend = Frontend(app, client)
                frontend.background = background  # type: ignore[attr-defined]
                yield frontend

        return make

    @pytest.fixture
    async def frontend(self, frontend_for: Callable[..., Any]) -> AsyncIterator[Frontend]:
        async with frontend_for() as frontend:
            yield frontend

    # --- creating a session ----------------------------------------------------------------------

    async def test_login_in_cookie_mode_sets_the_session_cookies(self, frontend: Frontend) -> None:
        """st-auth-mode: cookie gives both cookies (FDI.md §9 row 1) and a front token."""
        response = await frontend.call(
            "POST", "/login", headers={"st-auth-mode": "cookie"}, json={"userId": "ann"}
        )
        assert response.json() == {"userId": "ann"}
        assert set(set_cookies(response)) == {"sAccessToken", "sRefreshToken"}
        assert cookie_attributes(response, "sRefreshToken")["path"] == "/auth/session/refresh"
        assert response.headers["front-token"]
        assert response.headers["access-control-expose-headers"] == "front-token"
        assert "st-access-token" not in response.headers

    async def test_login_in_header_mode_sends_the_tokens_in_headers(
        self, frontend: Frontend
    ) -> None:
        """st-auth-mode: header gives st-* headers and no cookies (row 2)."""
        response = await frontend.call(
            "POST", "/login", headers={"st-auth-mode": "header"}, json={"userId": "ann"}
        )
        assert response.headers["st-access-token"] and response.headers["st-refresh-token"]
        assert "set-cookie" not in response.headers
        exposed = response.headers["access-control-expose-headers"]
        assert exposed == "front-token, st-access-token, st-refresh-token"

    # --- the seed's route ------------------------------------------------------------------------

    @pytest.mark.parametrize("mode", ["cookie", "header"])
    async def test_updateinfo_answers_the_users_preferences(
        self, frontend: Frontend, mode: str
    ) -> None:
        """A valid session (cookie or header transfer) reaches the route with its user id."""
        name = user("bob")
        await frontend.client.update_user_metadata(name, {"preferences": {"theme": "dark"}})
        tokens = await frontend.login(name, mode)
        response = await frontend.call("POST", "/updateinfo", tokens)
        assert (response.status_code, response.json()) == (200, {"preferences": {"theme": "dark"}})
        assert no_session_headers(response)

    async def test_updateinfo_without_a_session_is_unauthorised_without_a_clear(
        self, frontend: Frontend
    ) -> None:
        """No tokens on a required route: 401 unauthorised and nothing cleared (row 13)."""
        response = await frontend.call("POST", "/updateinfo")
        assert (response.status_code, response.json()) == (401, Unauth)
        assert no_session_headers(response)

    async def test_optional_route_without_a_session_gets_none(self, frontend: Frontend) -> None:
        """session_required=False and no tokens: the route runs without a session (row 14)."""
        response = await frontend.call("POST", "/optional")
        assert (response.status_code, response.json()) == (200, {"userId": None})

    async def test_optional_route_with_a_session_gets_it(self, frontend: Frontend) -> None:
        """session_required=False still verifies the tokens that are there."""
        tokens = await frontend.login("cy")
        response = await frontend.call("POST", "/optional", tokens)
        assert response.json() == {"userId": "cy"}

    async def test_expired_token_gets_try_refresh_then_the_retry_succeeds(
        self, frontend: Frontend, clock: Clock
    ) -> None:
        """An expired access token: 401 try refresh; refresh; the retry with new tokens works."""
        clock.offset = EXPIRED
        tokens = await frontend.login("dee")
        clock.offset = 0.0
        first = await frontend.call("POST", "/updateinfo", tokens)
        assert (first.status_code, first.json()) == (401, Try)
        assert no_session_headers(first)
        refreshed = await frontend.refresh(tokens)
        assert (refreshed.status_code, refreshed.json()) == (200, {})
        new = tokens.updated(refreshed)
        assert new.access != tokens.access and new.refresh != tokens.refresh
        assert refreshed.headers["front-token"] != "remove"
        retry = await frontend.call("POST", "/updateinfo", new)
        assert (retry.status_code, retry.json()) == (200, {"preferences": None})

    @pytest.mark.parametrize("route", ["/updateinfo", "/optional"])
    async def test_tampered_token_gets_try_refresh(self, frontend: Frontend, route: str) -> None:
        """A forged signature is try-refresh, on required and optional routes (row 17)."""
        tokens = await frontend.login("eve")
        response = await frontend.call(
            "POST", route, attrs.evolve(tokens, access=forged(tokens.access))
        )
        assert (response.status_code, response.json()) == (401, Try)

    async def test_revoked_session_with_check_database_is_unauthorised_and_cleared(
        self, frontend: Frontend
    ) -> None:
        """check_database=True asks the core: a revoked session is 401 with a full clear."""
        name = user("fay")
        tokens = await frontend.login(name)
        assert (await frontend.call("POST", "/checkdb", tokens)).status_code == 200
        await frontend.client.revoke_all_sessions_for_user(name)
        response = await frontend.call("POST", "/checkdb", tokens)
        assert (response.status_code, response.json()) == (401, Unauth)
        assert cleared(response)

    async def test_revoked_session_without_check_database_still_verifies_locally(
        self, frontend: Frontend
    ) -> None:
        """Without check_database a revoked session's access token works until it expires."""
        name = user("gil")
        tokens = await frontend.login(name)
        await frontend.client.revoke_all_sessions_for_user(name)
        response = await frontend.call("POST", "/updateinfo", tokens)
        assert response.status_code == 200

    # --- the refresh endpoint --------------------------------------------------------------------

    async def test_refresh_without_tokens_is_unauthorised_with_a_full_clear(
        self, frontend: Frontend
    ) -> None:
        """A first visit's refresh: 401 unauthorised plus the clear of both methods (row 25)."""
        response = await frontend.call("POST", "/auth/session/refresh")
        assert (response.status_code, response.json()) == (401, Unauth)
        assert cleared(response)

    @pytest.mark.parametrize("mode", ["cookie", "header"])
    async def test_theft_on_refresh_is_401_and_revokes_the_session(
        self, frontend: Frontend, mode: str
    ) -> None:
        """An old refresh token replayed: 401 token theft detected, clear, session revoked."""
        name = user("gus")
        old = await frontend.login(name, mode)
        new = old.updated(await frontend.refresh(old))
        assert (await frontend.call("POST", "/updateinfo", new)).status_code == 200
        response = await frontend.refresh(old)
        assert (response.status_code, response.json()) == (401, {"message": "token theft detected"})
        assert cleared(response)
        assert await frontend.client.get_all_session_handles_for_user(name) == []

    async def test_get_on_the_refresh_path_reaches_the_app(self, frontend: Frontend) -> None:
        """Only POST is the endpoint: GET /auth/session/refresh is the app's (404)."""
        response = await frontend.call("GET", "/auth/session/refresh")
        assert response.status_code == 404

    # --- anti-CSRF -------------------------------------------------------------------------------

    async def test_anti_csrf_none_accepts_a_cookie_post_without_rid(
        self, frontend: Frontend
    ) -> None:
        """Config A (NONE): a cookie POST without rid is fine (row 7)."""
        tokens = await frontend.login("hal")
        assert (await frontend.call("POST", "/updateinfo", tokens)).status_code == 200

    @pytest.mark.parametrize(("rid", "status"), [(None, 401), ("anything", 200)])
    async def test_anti_csrf_custom_header_needs_a_rid_for_cookies(
        self, frontend_for: Callable[..., Any], rid: Any, status: int
    ) -> None:
        """VIA_CUSTOM_HEADER: a cookie POST needs any rid, else try refresh (row 8)."""
        config = attrs.evolve(CONFIG_A, anti_csrf="VIA_CUSTOM_HEADER")
        async with frontend_for(config) as frontend:
            tokens = await frontend.login("ida")
            headers = {"rid": rid} if rid else {}
            response = await frontend.call("POST", "/updateinfo", tokens, headers=headers)
        assert response.status_code == status

    async def test_anti_csrf_custom_header_is_not_checked_in_header_mode(
        self, frontend_for: Callable[..., Any]
    ) -> None:
        """VIA_CUSTOM_HEADER never applies to header transfer (row 10)."""
        config = attrs.evolve(CONFIG_A, anti_csrf="VIA_CUSTOM_HEADER")
        async with frontend_for(config) as frontend:
            tokens = await frontend.login("ida", "header")
            assert (await frontend.call("POST", "/updateinfo", tokens)).status_code == 200

    @pytest.mark.parametrize(("sent", "status"), [("none", 401), ("wrong", 401), ("right", 200)])
    async def test_anti_csrf_via_token_needs_the_token_for_cookies(
        self, frontend_for: Callable[..., Any], sent: str, status: int
    ) -> None:
        """VIA_TOKEN: a cookie POST must echo the anti-csrf header it got (rows 6, 11)."""
        config = attrs.evolve(CONFIG_A, anti_csrf="VIA_TOKEN")
        session = SessionConfig(anti_csrf="VIA_TOKEN")
        async with frontend_for(config, session=session) as frontend:
            tokens = await frontend.login("jo")
            assert tokens.anti_csrf
            value = {"none": None, "wrong": "nope", "right": tokens.anti_csrf}[sent]
            headers = {"anti-csrf": value} if value else {}
            response = await frontend.call("POST", "/updateinfo", tokens, headers=headers)
        assert response.status_code == status

    # --- in the handler --------------------------------------------------------------------------

    @pytest.mark.parametrize("mode", ["cookie", "header"])
    async def test_merge_in_the_handler_writes_the_new_access_token(
        self, frontend: Frontend, mode: str
    ) -> None:
        """merge_into_access_token_payload in a route: a new access token and front token."""
        tokens = await frontend.login("kim", mode)
        response = await frontend.call("POST", "/merge", tokens)
        new = Tokens.of(response)
        assert response.status_code == 200
        assert new.access and new.access != tokens.access and new.refresh is None
        assert new.front and new.front != "remove"
        session = await frontend.client.get_session(new.access)
        assert session is not None and session.access_token_payload["m"] == 1

    async def test_revoke_in_the_handler_clears_the_cookies(self, frontend: Frontend) -> None:
        """revoke_session in a route: the route's body, expired cookies, front-token remove."""
        tokens = await frontend.login(user("lu"))
        response = await frontend.call("POST", "/revoke", tokens)
        assert (response.status_code, response.json()) == (200, {"ok": True})
        assert set_cookies(response) == {"sAccessToken": "", "sRefreshToken": ""}
        assert response.headers["front-token"] == "remove"
        assert "st-access-token" not in response.headers

    # --- sign-out --------------------------------------------------------------------------------

    @pytest.mark.parametrize("mode", ["cookie", "header"])
    async def test_sign_out_revokes_the_session_and_clears_its_tokens(
        self, frontend: Frontend, mode: str
    ) -> None:
        """POST /auth/signout: 200 OK, the request's method cleared, the session gone (row 31)."""
        name = user("max")
        tokens = await frontend.login(name, mode)
        response = await frontend.call("POST", "/auth/signout", tokens, headers={"rid": "session"})
        assert (response.status_code, response.json()) == (200, {"status": "OK"})
        assert response.headers["front-token"] == "remove"
        if mode == "cookie":
            assert set_cookies(response) == {"sAccessToken": "", "sRefreshToken": ""}
        else:
            assert response.headers["st-access-token"] == ""
        assert await frontend.client.get_all_session_handles_for_user(name) == []
        refreshed = await frontend.refresh(tokens)
        assert refreshed.status_code == 401

    # --- the middleware leaves the app's responses alone -----------------------------------------

    async def test_a_streaming_response_streams_through(self, frontend: Frontend) -> None:
        """A streaming route behind the middleware sends its whole body."""
        tokens = await frontend.login("ned")
        response = await frontend.call("GET", "/stream", tokens)
        assert (response.status_code, response.content) == (200, b"one,two,three")

    async def test_a_background_task_runs(self, frontend: Frontend) -> None:
        """A background task attached to the response still runs."""
        tokens = await frontend.login("ola")
        response = await frontend.call("POST", "/background", tokens)
        assert response.status_code == 200
        assert frontend.background == ["ola"]  # type: ignore[attr-defined]

    async def test_expose_headers_are_appended_to_the_apps_own(self, frontend: Frontend) -> None:
        """The app's Access-Control-Expose-Headers stays; the session's names are appended."""
        response = await frontend.call(
            "POST", "/login-exposing", headers={"st-auth-mode": "header"}, json={"userId": "pat"}
        )
        exposed = response.headers["access-control-expose-headers"]
        assert exposed == "x-app, front-token, st-access-token, st-refresh-token"

    # --- CORS outside the middleware -------------------------------------------------------------

    async def test_cors_outside_answers_the_refresh_preflight(
        self, frontend_for: Callable[..., Any]
    ) -> None:
        """The browser's OPTIONS for the refresh path gets CORSMiddleware's answer (FDI §8.20)."""
        async with frontend_for(with_cors=True) as frontend:
            headers = {
                "origin": WEBSITE,
                "access-control-request-method": "POST",
                "access-control-request-headers": "rid,fdi-version,st-auth-mode",
            }
            response = await frontend.call("OPTIONS", "/auth/session/refresh", headers=headers)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == WEBSITE
        assert response.headers["access-control-allow-credentials"] == "true"
        allowed = response.headers["access-control-allow-headers"].lower()
        assert {"rid", "fdi-version", "st-auth-mode"} <= {h.strip() for h in allowed.split(",")}

    async def test_cors_outside_covers_the_refresh_answer(
        self, frontend_for: Callable[..., Any]
    ) -> None:
        """The refresh answer itself carries the CORS headers and the exposed session headers."""
        async with frontend_for(with_cors=True) as frontend:
            tokens = await frontend.login("quin", "header", origin=WEBSITE)
            response = await frontend.refresh(tokens, origin=WEBSITE)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == WEBSITE
        exposed = response.headers["access-control-expose-headers"]
        assert exposed == "front-token, st-access-token, st-refresh-token"

    # --- WebSocket -------------------------------------------------------------------------------

    @pytest.mark.parametrize("mode", ["cookie", "header"])
    async def test_websocket_is_authenticated_by_cookie_or_header(
        self, frontend: Frontend, mode: str
    ) -> None:
        """A WebSocket with a valid session (cookie, or Bearer header) gets its user."""
        tokens = await frontend.login("rae", mode)
        messages = await websocket_messages(frontend.app, "/ws", tokens.access_headers())
        assert [m["type"] for m in messages] == [
            "websocket.accept",
            "websocket.send",
            "websocket.close",
        ]
        assert messages[1]["text"] == '{"userId":"rae"}'

    async def test_websocket_without_a_session_closes_with_4401(self, frontend: Frontend) -> None:
        """A WebSocket that needs a session and has none closes with 4401 "unauthorised"."""
        messages = await websocket_messages(frontend.app, "/ws", {})
        assert messages == [{"type": "websocket.close", "code": 4401, "reason": "unauthorised"}]

    async def test_websocket_with_a_tampered_token_closes_with_4401(
        self, frontend: Frontend
    ) -> None:
        """A forged token closes the handshake with 4401 "try refresh token", never a 500."""
        tokens = await frontend.login("sam")
        cookie = {"cookie": f"sAccessToken={forged(tokens.access)}"}
        messages = await websocket_messages(frontend.app, "/ws", cookie)
        assert messages == [
            {"type": "websocket.close", "code": 4401, "reason": "try refresh token"}
        ]
