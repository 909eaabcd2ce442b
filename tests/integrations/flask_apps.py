"""The matrix's app in Flask, behind the plain WSGI middleware or the ``FlaskAuth`` extension.

The routes are those of ``tests.integrations.apps`` (no WebSocket) and ``POST /admin`` (a
claim nobody has), with ``@verify_session()``,
``current_session`` and ``create_new_session(request, ...)``; ``POST /background`` runs its
task when the response closes (werkzeug's ``call_on_close``). With CORS, flask-cors is the
app's CORS layer (only the extension lets it cover the endpoints).
"""

from __future__ import annotations

from collections.abc import Generator
from contextlib import contextmanager
from typing import Any

import httpx
from flask import Flask, Response, jsonify, request
from flask_cors import CORS

from authclient.integrations.flask import (
    AuthMiddleware,
    FlaskAuth,
    create_new_session,
    current_session,
    verify_session,
)
from authclient.syncio import Client
from authclient.web import WebConfig, cors_allowed_headers
from tests.integrations.apps import CHUNKS, WEBSITE
from tests.integrations.client_matrix import Clients, Send, in_thread, must_be_admin


def flask_app(
    client: Client,
    config: WebConfig,
    background: list[str],
    *,
    extension: bool,
    with_cors: bool = False,
) -> Flask:
    app = Flask("authclient-tests")
    app.testing = True  # errors other than session errors reach the test
    if extension:
        if with_cors:
            CORS(
                app,
                origins=[WEBSITE],
                supports_credentials=True,
                allow_headers=["Content-Type", *cors_allowed_headers()],
            )
        FlaskAuth(app, client=client, config=config)
    else:
        app.wsgi_app = AuthMiddleware(app.wsgi_app, client=client, config=config)  # type: ignore[method-assign]

    def user_id() -> str:
        return str(request.get_json()["userId"])

    @app.post("/login")
    def login() -> dict[str, Any]:
        session = create_new_session(request, user_id())
        return {"userId": session.user_id}

    @app.post("/login-exposing")
    def login_exposing() -> tuple[dict[str, Any], int, dict[str, str]]:
        session = create_new_session(request, user_id())
        return {"userId": session.user_id}, 200, {"Access-Control-Expose-Headers": "x-app"}

    @app.post("/updateinfo")
    @verify_session()
    def updateinfo() -> dict[str, Any]:
        result = client.get_user_metadata(current_session.user_id)
        return {"preferences": result.metadata.get("preferences")}

    @app.post("/optional")
    @verify_session(session_required=False)
    def optional() -> dict[str, Any]:
        return {"userId": current_session.user_id if current_session else None}

    @app.post("/checkdb")
    @verify_session(check_database=True)
    def checkdb() -> dict[str, Any]:
        return {"userId": current_session.user_id}

    @app.post("/admin")
    @verify_session(override_global_claim_validators=must_be_admin)
    def admin() -> dict[str, Any]:
        raise AssertionError("not an admin: not reached")

    @app.post("/merge")
    @verify_session()
    def merge() -> dict[str, Any]:
        current_session.merge_into_access_token_payload({"m": 1})
        return {"ok": True}

    @app.post("/revoke")
    @verify_session()
    def revoke() -> dict[str, Any]:
        current_session.revoke_session()
        return {"ok": True}

    @app.get("/stream")
    @verify_session()
    def stream() -> Response:
        return Response(iter(CHUNKS), mimetype="text/plain")

    @app.post("/background")
    @verify_session()
    def with_background() -> Response:
        name = current_session.user_id
        response = jsonify(ok=True)
        response.call_on_close(lambda: background.append(name))
        return response

    return app


@contextmanager
def flask_send(app: Flask) -> Generator[Send, None, None]:
    """Requests through Flask's test client (no cookie jar: the rows pass tokens by hand)."""
    test_client = app.test_client(use_cookies=False)

    async def send(method: str, path: str, headers: dict[str, str], json: Any) -> httpx.Response:
        def call() -> httpx.Response:
            body: dict[str, Any] = {} if json is None else {"json": json}
            response = test_client.open(path, method=method, headers=headers, **body)
            try:
                return httpx.Response(
                    response.status_code,
                    headers=response.headers.to_wsgi_list(),
                    content=response.get_data(),
                )
            finally:
                response.close()

        return await in_thread(call)

    yield send


@contextmanager
def middleware_app(
    clients: Clients, config: WebConfig, background: list[str], with_cors: bool
) -> Generator[Send, None, None]:
    with flask_send(flask_app(clients.sync, config, background, extension=False)) as send:
        yield send


@contextmanager
def extension_app(
    clients: Clients, config: WebConfig, background: list[str], with_cors: bool
) -> Generator[Send, None, None]:
    app = flask_app(clients.sync, config, background, extension=True, with_cors=with_cors)
    with flask_send(app) as send:
        yield send
