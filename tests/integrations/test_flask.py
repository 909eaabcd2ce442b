"""Flask: the seed's route and the session matrix (both ways in), plus what is Flask's own."""

from __future__ import annotations

import pytest

from tests.integrations.client_matrix import FrameworkMatrix
from tests.integrations.flask_apps import extension_app, middleware_app

pytestmark = pytest.mark.anyio


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
