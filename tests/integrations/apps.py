"""The same small app in FastAPI and in Starlette: the seed's ``POST /updateinfo`` and friends.

Routes (both frameworks):

- ``POST /login`` ``{"userId": ...}``: a new session (tokens into the response).
- ``POST /login-exposing``: the same, on a response that exposes ``x-app`` itself.
- ``POST /updateinfo``: the seed's route, ``{"preferences": <user metadata "preferences">}``.
- ``POST /optional``: ``session_required=False``, ``{"userId": <id or None>}``.
- ``POST /checkdb``: ``check_database=True``.
- ``POST /merge``, ``POST /revoke``: ``merge_into_access_token_payload`` / ``revoke_session``
  in the handler.
- ``GET /stream``: a streaming response; ``POST /background``: a background task.
- ``WS /ws``: the session's user id over a WebSocket.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Optional

from fastapi import Depends
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.types import ASGIApp
from starlette.websockets import WebSocket

from authclient.asyncio import AsyncClient, AsyncSession
from authclient.errors import UnauthorisedError
from authclient.integrations import fastapi as fa
from authclient.integrations import starlette as st
from authclient.integrations.asgi import AuthMiddleware
from authclient.web import WebConfig

WEBSITE = "http://example.com"
Session = Annotated[AsyncSession, Depends(fa.verify_session())]
OptionalSession = Annotated[
    Optional[AsyncSession], Depends(fa.verify_session(session_required=False))
]
CheckedSession = Annotated[AsyncSession, Depends(fa.verify_session(check_database=True))]
CHUNKS = [b"one,", b"two,", b"three"]


def cors(app_middleware: list[Middleware]) -> list[Middleware]:
    """CORS outside the auth middleware, as the docs say."""
    cors_layer = Middleware(
        CORSMiddleware,
        allow_origins=[WEBSITE],
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=[
            "content-type",
            "rid",
            "fdi-version",
            "anti-csrf",
            "authorization",
            "st-auth-mode",
        ],
    )
    return [cors_layer, *app_middleware]


async def _chunks() -> AsyncIterator[bytes]:
    for chunk in CHUNKS:
        yield chunk


async def _preferences(client: AsyncClient, session: AsyncSession) -> dict[str, Any]:
    result = await client.get_user_metadata(session.user_id)
    return {"preferences": result.metadata.get("preferences")}


def fastapi_app(
    client: AsyncClient, config: WebConfig, background: list[str], *, with_cors: bool = False
) -> ASGIApp:
    from fastapi import FastAPI

    app = FastAPI()
    app.add_middleware(AuthMiddleware, client=client, config=config)
    if with_cors:
        # What add_middleware does, without re-spelling the layer's options: first is outermost.
        app.user_middleware.insert(0, cors([])[0])

    async def user_id(request: Request) -> str:
        return str((await request.json())["userId"])

    @app.post("/login")
    async def login(request: Request) -> dict[str, Any]:
        session = await fa.create_new_session(request, await user_id(request))
        return {"userId": session.user_id}

    @app.post("/login-exposing")
    async def login_exposing(request: Request) -> JSONResponse:
        session = await fa.create_new_session(request, await user_id(request))
        headers = {"Access-Control-Expose-Headers": "x-app"}
        return JSONResponse({"userId": session.user_id}, headers=headers)

    @app.post("/updateinfo")
    async def updateinfo(
        session: AsyncSession = Depends(fa.verify_session()),  # noqa: B008 - the documented form
    ) -> dict[str, Any]:
        return await _preferences(client, session)

    @app.post("/optional")
    async def optional(
        session: OptionalSession,
    ) -> dict[str, Any]:
        return {"userId": session.user_id if session else None}

    @app.post("/checkdb")
    async def checkdb(
        session: CheckedSession,
    ) -> dict[str, Any]:
        return {"userId": session.user_id}

    @app.post("/merge")
    async def merge(session: Session) -> dict[str, Any]:
        await session.merge_into_access_token_payload({"m": 1})
        return {"ok": True}

    @app.post("/revoke")
    async def revoke(session: Session) -> dict[str, Any]:
        await session.revoke_session()
        return {"ok": True}

    @app.get("/stream")
    async def stream(session: Session) -> StreamingResponse:
        return StreamingResponse(_chunks(), media_type="text/plain")

    @app.post("/background")
    async def with_background(
        session: Session,
    ) -> JSONResponse:
        task = BackgroundTask(background.append, session.user_id)
        return JSONResponse({"ok": True}, background=task)

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, session: Session) -> None:
        await websocket.accept()
        await websocket.send_json({"userId": session.user_id})
        await websocket.close()

    return app


def starlette_app(
    client: AsyncClient, config: WebConfig, background: list[str], *, with_cors: bool = False
) -> ASGIApp:
    from starlette.applications import Starlette
    from starlette.routing import Route, WebSocketRoute

    async def user_id(request: Request) -> str:
        return str((await request.json())["userId"])

    async def login(request: Request) -> JSONResponse:
        session = await st.create_new_session(request, await user_id(request))
        return JSONResponse({"userId": session.user_id})

    async def login_exposing(request: Request) -> JSONResponse:
        session = await st.create_new_session(request, await user_id(request))
        headers = {"Access-Control-Expose-Headers": "x-app"}
        return JSONResponse({"userId": session.user_id}, headers=headers)

    @st.verify_session()
    async def updateinfo(request: Request) -> JSONResponse:
        return JSONResponse(await _preferences(client, request.auth))

    @st.verify_session(session_required=False)
    async def optional(request: Request) -> JSONResponse:
        user = request.user
        return JSONResponse({"userId": user.identity if user.is_authenticated else None})

    @st.verify_session(check_database=True)
    async def checkdb(request: Request) -> JSONResponse:
        return JSONResponse({"userId": request.auth.user_id})

    @st.verify_session()
    async def merge(request: Request) -> JSONResponse:
        await request.auth.merge_into_access_token_payload({"m": 1})
        return JSONResponse({"ok": True})

    @st.verify_session()
    async def revoke(request: Request) -> JSONResponse:
        await request.auth.revoke_session()
        return JSONResponse({"ok": True})

    @st.verify_session()
    async def stream(request: Request) -> StreamingResponse:
        return StreamingResponse(_chunks(), media_type="text/plain")

    @st.verify_session()
    async def with_background(request: Request) -> JSONResponse:
        task = BackgroundTask(background.append, request.auth.user_id)
        return JSONResponse({"ok": True}, background=task)

    async def ws(websocket: WebSocket) -> None:  # SessionBackend alone authenticates it
        if not websocket.user.is_authenticated:
            raise UnauthorisedError("no session", clear_tokens=False)
        await websocket.accept()
        await websocket.send_json({"userId": websocket.user.identity})
        await websocket.close()

    middleware = [
        Middleware(AuthMiddleware, client=client, config=config),
        Middleware(AuthenticationMiddleware, backend=st.SessionBackend()),
    ]
    routes = [
        Route("/login", login, methods=["POST"]),
        Route("/login-exposing", login_exposing, methods=["POST"]),
        Route("/updateinfo", updateinfo, methods=["POST"]),
        Route("/optional", optional, methods=["POST"]),
        Route("/checkdb", checkdb, methods=["POST"]),
        Route("/merge", merge, methods=["POST"]),
        Route("/revoke", revoke, methods=["POST"]),
        Route("/stream", stream),
        Route("/background", with_background, methods=["POST"]),
        WebSocketRoute("/ws", ws),
    ]
    return Starlette(routes=routes, middleware=cors(middleware) if with_cors else middleware)
