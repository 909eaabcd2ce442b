"""Flask: the seed's route and the session matrix (both ways in), plus what is Flask's own."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Callable

import httpx
import pytest
from flask import Flask, Request, request
from werkzeug.test import TestResponse

from authclient.errors import TryRefreshTokenError
from authclient.integrations.flask import (
    AuthMiddleware,
    FlaskAuth,
    create_new_session,
    current_session,
    verify_session,
)
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client, Overrides, SessionRecipe
from tests.integrations.client_matrix import FrameworkMatrix
from tests.integrations.conftest import CONFIG_A
from tests.integrations.cycles import authclient_cycles
from tests.integrations.flask_apps import extension_app, middleware_app


class TestFlaskExtension(FrameworkMatrix):
    """``FlaskAuth(app, ...)``; with CORS, flask-cors inside the app covers the endpoints."""

    make_send = staticmethod(extension_app)


class TestFlaskMiddleware(FrameworkMatrix):
    """``app.wsgi_app = AuthMiddleware(app.wsgi_app, ...)``."""

    make_send = staticmethod(middleware_app)

    # A CORS layer must wrap the WSGI middleware; flask-cors, inside Flask, cannot (the
    # extension's rows cover flask-cors).
    test_cors_outside_answers_the_refresh_preflight = None  # type: ignore[assignment]
    test_cors_outside_covers_the_refresh_answer = None  # type: ignore[assignment]


@pytest.fixture
def client(web_core: LocalCore, shared_app: str) -> Generator[Client, None, None]:
    with httpx.Client(transport=LocalCoreTransport(web_core)) as transport:
        with Client(shared_app, http_client=transport) as client:
            yield client


def bearer(response: TestResponse) -> dict[str, str]:
    return {"authorization": f"Bearer {response.headers['st-access-token']}"}


def recording(contexts: list[dict[str, Any]]) -> Callable[[SessionRecipe], SessionRecipe]:
    """A session override that records the user_context of every create and get."""

    def override(original: SessionRecipe) -> SessionRecipe:
        create, get = original.create_new_session, original.get_session

        def create_new_session(*args: Any) -> Any:
            contexts.append(args[-1])
            return create(*args)

        def get_session(*args: Any) -> Any:
            contexts.append(args[-1])
            return get(*args)

        original.create_new_session = create_new_session  # type: ignore[method-assign,assignment]
        original.get_session = get_session  # type: ignore[method-assign,assignment]
        return original

    return override


def small_app(client: Client, *, extension: bool = True) -> Flask:
    """``POST /login`` (header mode) and ``POST /me`` behind verify_session."""
    app = Flask("small")
    if extension:
        FlaskAuth(app, client=client, config=CONFIG_A)
    else:
        app.wsgi_app = AuthMiddleware(app.wsgi_app, client=client, config=CONFIG_A)  # type: ignore[method-assign]

    @app.post("/login")
    def login() -> dict[str, str]:
        return {"userId": create_new_session(request, "amy").user_id}

    @app.post("/me")
    @verify_session()
    def me() -> dict[str, str]:
        return {"userId": current_session.user_id}

    return app


def test_every_call_gets_a_fresh_user_context_with_its_request(
    web_core: LocalCore, shared_app: str
) -> None:
    """Each request's calls see a new user_context whose _default.request is Flask's request."""
    contexts: list[dict[str, Any]] = []
    with httpx.Client(transport=LocalCoreTransport(web_core)) as transport:
        overrides = Overrides(session=recording(contexts))
        with Client(shared_app, http_client=transport, overrides=overrides) as client:
            browser = small_app(client).test_client()
            login = browser.post("/login", headers={"st-auth-mode": "header"})
            browser.post("/me", headers=bearer(login))
            browser.post("/me", headers=bearer(login))
    assert len({id(context) for context in contexts}) == len(contexts) == 3
    requests = [context["_default"]["request"] for context in contexts]
    assert all(isinstance(found, Request) for found in requests)
    assert [found.path for found in requests] == ["/login", "/me", "/me"]
    assert requests[1] is not requests[2]


def test_verify_session_without_the_middleware_is_a_clear_error() -> None:
    """A decorated view in an app without FlaskAuth or AuthMiddleware says what to add."""
    app = Flask("bare")

    @app.post("/me")
    @verify_session()
    def me() -> str:
        raise AssertionError("not reached")

    app.testing = True
    with pytest.raises(RuntimeError, match="FlaskAuth"):
        app.test_client().post("/me")


def test_current_session_outside_verify_session_is_a_clear_error(client: Client) -> None:
    """current_session in a view without @verify_session() says what is missing."""
    app = small_app(client)
    app.testing = True

    @app.get("/undecorated")
    def undecorated() -> str:
        return current_session.user_id

    with pytest.raises(RuntimeError, match=r"@verify_session\(\)"):
        app.test_client().get("/undecorated")


def test_the_extension_answers_the_endpoints_preflight_only(client: Client) -> None:
    """OPTIONS on the refresh path is 200 (for a CORS extension); elsewhere Flask decides."""
    browser = small_app(client).test_client()
    preflight = browser.options("/auth/session/refresh")
    elsewhere = browser.options("/nowhere")
    assert (preflight.status_code, preflight.headers["allow"]) == (200, "POST, OPTIONS")
    assert elsewhere.status_code == 404


def test_the_extension_behind_the_middleware_writes_tokens_once(client: Client) -> None:
    """FlaskAuth behind an AuthMiddleware: one front token, one of each token header."""
    app = small_app(client)
    app.wsgi_app = AuthMiddleware(app.wsgi_app, client=client, config=CONFIG_A)  # type: ignore[method-assign]
    login = app.test_client().post("/login", headers={"st-auth-mode": "header"})
    assert [len(login.headers.getlist(n)) for n in ("front-token", "st-access-token")] == [1, 1]
    assert login.headers["access-control-expose-headers"].count("front-token") == 1


@pytest.mark.parametrize("extension", [True, False])
def test_a_session_gone_inside_the_view_is_answered(client: Client, extension: bool) -> None:
    """The session revoked elsewhere, then used in the view: 401 unauthorised and a clear."""
    app = small_app(client, extension=extension)

    @app.post("/stale")
    @verify_session()
    def stale() -> str:
        client.revoke_session(current_session.handle)
        current_session.merge_into_access_token_payload({"m": 1})
        raise AssertionError("not reached")

    browser = app.test_client()
    login = browser.post("/login", headers={"st-auth-mode": "header"})
    response = browser.post("/stale", headers=bearer(login))
    assert (response.status_code, response.json) == (401, {"message": "unauthorised"})
    assert response.headers["front-token"] == "remove"


def test_a_session_error_in_an_undecorated_view_is_answered_by_the_extension(
    client: Client,
) -> None:
    """FlaskAuth's error handler answers a SessionError from any view as FDI.md §5.4 says."""
    app = small_app(client)

    @app.get("/raises")
    def raises() -> str:
        raise TryRefreshTokenError("expired")

    response = app.test_client().get("/raises")
    assert (response.status_code, response.json) == (401, {"message": "try refresh token"})


def test_an_async_view_gets_the_session(client: Client) -> None:
    """verify_session on an async Flask view (Flask runs it in its own loop)."""
    pytest.importorskip("asgiref")
    app = small_app(client)

    @app.post("/async-me")
    @verify_session()
    async def async_me() -> dict[str, str]:
        return {"userId": current_session.user_id}

    browser = app.test_client()
    login = browser.post("/login", headers={"st-auth-mode": "header"})
    assert browser.post("/async-me", headers=bearer(login)).json == {"userId": "amy"}
    assert browser.post("/async-me").status_code == 401


@pytest.mark.parametrize("extension", [True, False], ids=["extension", "middleware"])
def test_a_request_leaves_no_reference_cycles(client: Client, extension: bool) -> None:
    """The extension (teardown) and the middleware (the response's close) close each
    request's sessions: nothing waits for the cyclic GC."""
    browser = small_app(client, extension=extension).test_client()
    tokens = bearer(browser.post("/login", headers={"st-auth-mode": "header"}))
    browser.post("/me", headers=tokens)
    with authclient_cycles() as found:
        for _ in range(3):
            response = browser.post("/me", headers=tokens)
            assert response.status_code == 200
            response.close()  # what a WSGI server does once the response is sent
    assert found == []
