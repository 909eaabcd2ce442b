"""A minimal adapter over ``AsyncWebSessions`` for the FDI tests: a web app on the local core."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Callable, Optional

import pytest

from authclient.asyncio import AsyncSession, AsyncWebSessions, SessionConfig
from authclient.errors import SessionError
from authclient.types import AntiCsrfMode
from authclient.web import WebConfig, WebRequest
from tests.asyncio.conftest import AppClient
from tests.web.wire import Answer, read

MakeWeb = Callable[..., AbstractAsyncContextManager[AsyncWebSessions]]


@pytest.fixture
def make_web(app_client: AppClient) -> MakeWeb:
    """``async with make_web(config, client_anti_csrf=..., client_options=...,
    session_options=..., **options)``: an ``AsyncWebSessions`` (``options``) on a fresh app's
    client (``client_options``, and ``session_options`` for its ``SessionConfig``)."""

    @asynccontextmanager
    async def make(
        config: WebConfig,
        *,
        client_anti_csrf: AntiCsrfMode = "NONE",
        client_options: Optional[dict[str, Any]] = None,
        session_options: Optional[dict[str, Any]] = None,
        **options: Any,
    ) -> AsyncGenerator[AsyncWebSessions, None]:
        session = SessionConfig(anti_csrf=client_anti_csrf, **(session_options or {}))
        async with app_client(session=session, **(client_options or {})) as (client, _):
            yield AsyncWebSessions(client, config, **options)

    return make


async def route(
    web: AsyncWebSessions,
    request: WebRequest,
    handler: Optional[Callable[[Optional[AsyncSession]], Any]] = None,
    **options: Any,
) -> tuple[Optional[AsyncSession], Answer]:
    """An app route behind ``verify_session(**options)``: the session and the response."""
    try:
        session = await web.verify_session(request, **options)
        if handler is not None:
            await handler(session)
    except SessionError as error:
        return None, read(await web.error_response(request, error))
    return session, read(web.finish(request))


async def login(
    web: AsyncWebSessions, request: WebRequest, user_id: str = "u1", **options: Any
) -> tuple[AsyncSession, Answer]:
    """A login route: ``create_new_session(request, user_id)`` and the response."""
    session = await web.create_new_session(request, user_id, **options)
    return session, read(web.finish(request))


async def endpoint(web: AsyncWebSessions, request: WebRequest) -> Answer:
    """What the layer answers for one of its endpoints (fails when it passes the request on)."""
    effects = await web.handle_endpoint(request)
    assert effects is not None, f"{request!r} was not served"
    return read(effects)
