# Generated from tests/asyncio/web_support.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""A minimal adapter over ``WebSessions`` for the FDI tests: a web app on the local core."""

from __future__ import annotations

from collections.abc import Generator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Callable, Optional

import pytest

from authclient.errors import SessionError
from authclient.syncio import Session, SessionConfig, WebSessions
from authclient.types import AntiCsrfMode
from authclient.web import WebConfig, WebRequest
from tests.syncio.conftest import AppClient
from tests.web.wire import Answer, read

MakeWeb = Callable[..., AbstractContextManager[WebSessions]]


@pytest.fixture
def make_web(app_client: AppClient) -> MakeWeb:
    """``with make_web(config, client_anti_csrf=..., client_options=...,
    session_options=..., **options)``: an ``WebSessions`` (``options``) on a fresh app's
    client (``client_options``, and ``session_options`` for its ``SessionConfig``)."""

    @contextmanager
    def make(
        config: WebConfig,
        *,
        client_anti_csrf: AntiCsrfMode = "NONE",
        client_options: Optional[dict[str, Any]] = None,
        session_options: Optional[dict[str, Any]] = None,
        **options: Any,
    ) -> Generator[WebSessions, None, None]:
        session = SessionConfig(anti_csrf=client_anti_csrf, **(session_options or {}))
        with app_client(session=session, **(client_options or {})) as (client, _):
            yield WebSessions(client, config, **options)

    return make


def route(
    web: WebSessions,
    request: WebRequest,
    handler: Optional[Callable[[Optional[Session]], Any]] = None,
    **options: Any,
) -> tuple[Optional[Session], Answer]:
    """An app route behind ``verify_session(**options)``: the session and the response."""
    try:
        session = web.verify_session(request, **options)
        if handler is not None:
            handler(session)
    except SessionError as error:
        return None, read(web.error_response(request, error))
    return session, read(web.finish(request))


def login(
    web: WebSessions, request: WebRequest, user_id: str = "u1", **options: Any
) -> tuple[Session, Answer]:
    """A login route: ``create_new_session(request, user_id)`` and the response."""
    session = web.create_new_session(request, user_id, **options)
    return session, read(web.finish(request))


def endpoint(web: WebSessions, request: WebRequest) -> Answer:
    """What the layer answers for one of its endpoints (fails when it passes the request on)."""
    effects = web.handle_endpoint(request)
    assert effects is not None, f"{request!r} was not served"
    return read(effects)
