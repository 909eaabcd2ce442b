"""AuthMiddleware as plain WSGI: what passes through, token writes, and when errors are answered.

Plain sync tests through ``httpx.WSGITransport``: no event loop is involved.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Generator, Iterable
from typing import Any, Callable

import attrs
import httpx
import pytest

import authclient.syncio
from authclient._protocol.fdi.request import EnvironRequest
from authclient.errors import TryRefreshTokenError, UnauthorisedError
from authclient.integrations.wsgi import (
    ENVIRON_KEY,
    AuthMiddleware,
    RequestSessions,
    request_sessions,
    status_line,
)
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client, WebApi
from authclient.web import WebRequest
from tests.asyncio.conftest import new_app
from tests.integrations.conftest import API, CONFIG_A, Tokens, cookie_attributes, set_cookies

Environ = dict[str, Any]
App = Callable[[Environ, Any], Iterable[bytes]]


def hello(seen: list[Environ]) -> App:
    def app(environ: Environ, start_response: Any) -> Iterable[bytes]:
        seen.append(environ)
        start_response("200 OK", [("x-app", "1"), ("content-type", "text/plain")])
        return [b"hello"]

    return app


def raising(error: Exception) -> App:
    def app(environ: Environ, start_response: Any) -> Iterable[bytes]:
        raise error

    return app


def logging_in(environ: Environ, start_response: Any) -> Iterable[bytes]:
    """A raw WSGI app that starts a session (header mode) for user "wes"."""
    request_sessions(environ).create_new_session(None, "wes")
    start_response("200 OK", [("content-type", "text/plain")])
    return [b"in"]


def http(app: App, **options: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=app, **options), base_url=API)


@pytest.fixture
def client(web_core: LocalCore, shared_app: str) -> Generator[Client, None, None]:
    with httpx.Client(transport=LocalCoreTransport(web_core)) as transport:
        with Client(shared_app, http_client=transport) as client:
            yield client


def test_each_request_sees_its_own_request_sessions() -> None:
    """Each request carries its own RequestSessions under environ["authclient.web"]."""
    seen: list[Environ] = []
    with http(AuthMiddleware(hello(seen), config=CONFIG_A)) as browser:
        response = browser.get("/anything")
        browser.get("/anything")
    assert (response.status_code, response.text, response.headers["x-app"]) == (200, "hello", "1")
    first, second = (environ[ENVIRON_KEY] for environ in seen)
    assert isinstance(first, RequestSessions) and first is not second


def test_a_session_created_in_the_app_is_written_into_its_response(client: Client) -> None:
    """Tokens of a session the app created go out with the app's own response."""
    with http(AuthMiddleware(logging_in, client=client, config=CONFIG_A)) as browser:
        response = browser.get("/login")
    assert response.text == "in"
    assert response.headers["st-access-token"] and response.headers["st-refresh-token"]
    assert response.headers["front-token"] != "remove"


def test_a_session_error_from_the_app_call_is_answered() -> None:
    """A session error escaping the app becomes the FDI answer (JSON, the expired status)."""
    middleware = AuthMiddleware(raising(TryRefreshTokenError("expired")), config=CONFIG_A)
    with http(middleware) as browser:
        response = browser.get("/")
    assert (response.status_code, response.json()) == (401, {"message": "try refresh token"})
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["content-length"] == str(len(response.content))


def test_an_unauthorised_error_from_the_app_clears_the_session() -> None:
    """UnauthorisedError (clear_tokens) is answered 401 with the clear of both methods."""
    middleware = AuthMiddleware(raising(UnauthorisedError("gone")), config=CONFIG_A)
    with http(middleware) as browser:
        response = browser.get("/")
    assert response.status_code == 401
    assert set_cookies(response) == {"sAccessToken": "", "sRefreshToken": ""}
    assert response.headers["front-token"] == "remove"


def test_other_errors_are_not_caught() -> None:
    """An error that is not a session outcome goes on to the server's error handling."""
    middleware = AuthMiddleware(raising(ValueError("boom")), config=CONFIG_A)
    with http(middleware) as browser, pytest.raises(ValueError, match="boom"):
        browser.get("/")


def test_the_endpoints_follow_the_configured_base_path() -> None:
    """With api_base_path="/api/auth" the refresh endpoint moves; /auth/... is the app's."""
    config = attrs.evolve(CONFIG_A, api_base_path="/api/auth")
    with http(AuthMiddleware(hello([]), config=config)) as browser:
        moved = browser.post("/api/auth/session/refresh")
        old = browser.post("/auth/session/refresh")
    assert (moved.status_code, moved.json()) == (401, {"message": "unauthorised"})
    assert cookie_attributes(moved, "sRefreshToken")["path"] == "/api/auth/session/refresh"
    assert (old.status_code, old.text) == (200, "hello")


def test_a_mounted_app_matches_the_path_the_browser_sees() -> None:
    """Under SCRIPT_NAME=/api, the endpoint is matched on /api + PATH_INFO."""
    config = attrs.evolve(CONFIG_A, api_base_path="/api/auth")
    middleware = AuthMiddleware(hello([]), config=config)
    with http(middleware, script_name="/api") as browser:  # PATH_INFO is the URL's path here
        response = browser.post("/auth/session/refresh")
    assert (response.status_code, response.json()) == (401, {"message": "unauthorised"})


def test_a_disabled_endpoint_reaches_the_app() -> None:
    """disable_signout_endpoint lets POST /auth/signout through to the app."""
    config = attrs.evolve(CONFIG_A, disable_signout_endpoint=True)
    with http(AuthMiddleware(hello([]), config=config)) as browser:
        response = browser.post("/auth/signout")
    assert (response.status_code, response.text) == (200, "hello")


def test_request_sessions_without_the_middleware_is_a_clear_error() -> None:
    """Outside AuthMiddleware, request_sessions says how to add it."""
    with pytest.raises(RuntimeError, match=r"app.wsgi_app = authclient.integrations.wsgi"):
        request_sessions({})


def test_status_lines_carry_the_reason_phrase() -> None:
    """WSGI status lines: the code and its phrase ("Unknown" for a code without one)."""
    assert [status_line(s) for s in (200, 401, 499)] == [
        "200 OK",
        "401 Unauthorized",
        "499 Unknown",
    ]


@pytest.fixture
def default_client_on(web_core: LocalCore) -> Generator[str, None, None]:
    """The sync default client bound to a fresh app of the test core (reset afterwards)."""
    uri = new_app(web_core)
    authclient.syncio.init(uri, http_client=httpx.Client(transport=LocalCoreTransport(web_core)))
    yield uri
    authclient.syncio.reset()


def test_client_none_uses_the_default_client(default_client_on: str) -> None:
    """AuthMiddleware(client=None) creates and refreshes sessions with the default client."""
    with http(AuthMiddleware(logging_in, config=CONFIG_A)) as browser:
        tokens = Tokens.of(browser.get("/login"))
        refreshed = browser.post(
            "/auth/session/refresh", headers={"authorization": f"Bearer {tokens.refresh}"}
        )
    assert refreshed.status_code == 200
    assert Tokens.of(refreshed).access not in (None, tokens.access)


def test_the_refresh_endpoint_shows_a_werkzeug_request_when_werkzeug_is_loaded(
    client: Client,
) -> None:
    """An override of the refresh endpoint finds this request (werkzeug's, here) in user_context."""
    from werkzeug.wrappers import Request

    seen: list[Any] = []

    def overrides(original: WebApi) -> WebApi:
        refresh_post = original.refresh_post

        def recorded(request: WebRequest, user_context: dict[str, Any]) -> Any:
            seen.append(user_context["_default"]["request"])
            return refresh_post(request, user_context)

        original.refresh_post = recorded  # type: ignore[method-assign]
        return original

    middleware = AuthMiddleware(logging_in, client=client, config=CONFIG_A, overrides=overrides)
    with http(middleware) as browser:
        tokens = Tokens.of(browser.get("/login"))
        browser.post("/auth/session/refresh", headers={"authorization": f"Bearer {tokens.refresh}"})
    assert len(seen) == 1 and isinstance(seen[0], Request)
    assert seen[0].path == "/auth/session/refresh"


def test_the_wsgi_middleware_imports_no_web_framework() -> None:
    """The WSGI middleware works without Flask, werkzeug or Django installed."""
    code = (
        "import sys, authclient.integrations.wsgi;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'werkzeug', 'django', 'rest_framework', 'starlette', 'fastapi')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_sync_adapters_import_no_event_loop_library() -> None:
    """Importing the WSGI and Flask adapters pulls in neither anyio nor trio."""
    code = (
        "import sys, authclient.integrations.wsgi, authclient.integrations.flask;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('anyio', 'trio')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_an_environ_view_reads_as_a_request_made_from_its_headers() -> None:
    """``EnvironRequest`` (the WSGI adapters' view) sets every field a ``WebRequest`` has, and
    reads each header, in any case, as a request made from the same header pairs does."""
    environ = {
        "REQUEST_METHOD": "post",
        "SCRIPT_NAME": "/app",
        "PATH_INFO": "/auth/session/refresh",
        "CONTENT_TYPE": "application/json",
        "HTTP_AUTHORIZATION": "Bearer t",
        "HTTP_ANTI_CSRF": "c",
        "HTTP_ST_AUTH_MODE": "header",
        "HTTP_RID": "session",
        "HTTP_COOKIE": "sAccessToken=a; sFrontToken=f",
        "HTTP_X_CUSTOM_NAME": "x",
    }
    pairs = [("content-type", "application/json")] + [
        (key[5:].replace("_", "-").lower(), value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    viewed, made = EnvironRequest(environ), WebRequest("POST", "/app/auth/session/refresh", pairs)
    for slot in WebRequest.__slots__:  # none left unset (reading one would raise)
        getattr(viewed, slot)
    assert (viewed.method, viewed.path, viewed.state) == (made.method, made.path, made.state)
    for name in ["authorization", "Authorization", "anti-csrf", "ST-Auth-Mode", "rid", "cookie"]:
        assert viewed.header(name) == made.header(name), name
    for name in ["content-type", "x-custom-name", "x-missing", "content-length"]:
        assert viewed.header(name) == made.header(name), name
    assert viewed.cookie("sAccessToken") == made.cookie("sAccessToken") == "a"
    assert sorted(viewed.headers) == sorted(made.headers)
