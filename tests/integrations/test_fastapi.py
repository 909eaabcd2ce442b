"""FastAPI: the seed's route and the session matrix, plus what is FastAPI's own."""

from __future__ import annotations

from typing import Annotated, Any, Callable

import httpx
import pytest
from fastapi import Depends, FastAPI, Request

from authclient.asyncio import (
    AsyncSession,
    AsyncSessionRecipe,
    AsyncWebApi,
    AsyncWebSessions,
    Overrides,
)
from authclient.integrations.asgi import AuthMiddleware
from authclient.integrations.fastapi import create_new_session, verify_session
from authclient.web import WebRequest
from tests.integrations.apps import fastapi_app
from tests.integrations.conftest import API, CONFIG_A, Frontend, Tokens
from tests.integrations.cycles import authclient_cycles
from tests.integrations.matrix import SessionMatrix

pytestmark = pytest.mark.anyio


class TestFastAPI(SessionMatrix):
    make_app = staticmethod(fastapi_app)


def recording(contexts: list[dict[str, Any]]) -> Callable[[AsyncSessionRecipe], AsyncSessionRecipe]:
    """A session override that records the user_context of every create and get."""

    def override(original: AsyncSessionRecipe) -> AsyncSessionRecipe:
        create, get = original.create_new_session, original.get_session

        async def create_new_session(*args: Any) -> AsyncSession:
            contexts.append(args[-1])
            return await create(*args)

        async def get_session(*args: Any) -> Any:
            contexts.append(args[-1])
            return await get(*args)

        original.create_new_session = create_new_session  # type: ignore[method-assign,assignment]
        original.get_session = get_session  # type: ignore[method-assign,assignment]
        return original

    return override


async def test_every_call_gets_a_fresh_user_context_with_its_request(
    auth_client_for: Callable[..., Any],
) -> None:
    """Each request's calls see a new user_context whose _default.request is that request."""
    contexts: list[dict[str, Any]] = []
    async with auth_client_for(overrides=Overrides(session=recording(contexts))) as client:
        frontend = Frontend(fastapi_app(client, CONFIG_A, []), client)
        tokens = await frontend.login("amy")
        await frontend.call("POST", "/updateinfo", tokens)
        await frontend.call("POST", "/updateinfo", tokens)
    assert len(contexts) == 3
    assert len({id(context) for context in contexts}) == 3
    requests = [context["_default"]["request"] for context in contexts]
    assert all(isinstance(request, Request) for request in requests)
    assert [request.url.path for request in requests] == ["/login", "/updateinfo", "/updateinfo"]
    assert requests[1] is not requests[2]


async def test_a_route_without_the_middleware_gets_a_clear_error(
    auth_client_for: Callable[..., Any],
) -> None:
    """verify_session with no AuthMiddleware in front says how to add it."""
    app = FastAPI()

    @app.post("/updateinfo")
    async def updateinfo(session: Annotated[AsyncSession, Depends(verify_session())]) -> None:
        raise AssertionError("not reached")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API) as http:
        with pytest.raises(RuntimeError, match="add_middleware"):
            await http.post("/updateinfo")


async def test_create_new_session_without_the_middleware_gets_a_clear_error() -> None:
    """create_new_session outside AuthMiddleware raises instead of losing the tokens."""
    request = Request({"type": "http", "method": "POST", "path": "/login", "headers": []})
    with pytest.raises(RuntimeError, match="no authclient AuthMiddleware"):
        await create_new_session(request, "amy")


async def test_two_dependencies_share_one_verification(
    auth_client_for: Callable[..., Any],
) -> None:
    """verify_session twice in one request gives the same session object."""
    async with auth_client_for() as client:
        app = FastAPI()
        app.add_middleware(AuthMiddleware, client=client, config=CONFIG_A)

        @app.post("/login")
        async def login(request: Request) -> None:
            await create_new_session(request, "amy")

        @app.post("/twice")
        async def twice(
            one: Annotated[AsyncSession, Depends(verify_session())],
            two: Annotated[AsyncSession, Depends(verify_session(session_required=False))],
        ) -> dict[str, bool]:
            return {"same": one is two}

        frontend = Frontend(app, client)
        response = await frontend.call("POST", "/login", headers={"st-auth-mode": "header"})
        bearer = {"authorization": f"Bearer {response.headers['st-access-token']}"}
        answer = await frontend.call("POST", "/twice", headers=bearer)
    assert answer.json() == {"same": True}


async def test_a_request_the_cache_cannot_answer_tries_it_once(
    auth_client_for: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No token on an optional route, then a token the cache has not kept: each request reads
    the cache shortcut once before the full path answers it."""
    tries: list[str] = []
    shortcut = AsyncWebSessions._verify_from_cache  # pyright: ignore[reportPrivateUsage]

    def counted(self: AsyncWebSessions, request: WebRequest, check: Any) -> Any:
        tries.append(request.path)
        return shortcut(self, request, check)

    monkeypatch.setattr(AsyncWebSessions, "_verify_from_cache", counted)
    async with auth_client_for() as client:
        app = FastAPI()
        app.add_middleware(AuthMiddleware, client=client, config=CONFIG_A)

        @app.get("/maybe")
        async def maybe(
            session: Annotated[Any, Depends(verify_session(session_required=False))],
        ) -> dict[str, bool]:
            return {"session": session is not None}

        token = (await client.create_new_session("amy")).tokens.access_token
        client.session_recipe.verified_tokens.clear()
        frontend = Frontend(app, client)
        assert (await frontend.call("GET", "/maybe")).json() == {"session": False}
        bearer = {"authorization": f"Bearer {token}"}
        assert (await frontend.call("GET", "/maybe", headers=bearer)).json() == {"session": True}
    assert tries == ["/maybe", "/maybe"]


async def test_the_refresh_endpoint_shows_a_starlette_request_in_the_user_context(
    auth_client_for: Callable[..., Any],
) -> None:
    """An override of the refresh endpoint finds this request, as Starlette's Request."""
    seen: list[Any] = []

    def overrides(original: AsyncWebApi) -> AsyncWebApi:
        refresh_post = original.refresh_post

        async def recorded(request: WebRequest, user_context: dict[str, Any]) -> AsyncSession:
            seen.append(user_context["_default"]["request"])
            return await refresh_post(request, user_context)

        original.refresh_post = recorded  # type: ignore[method-assign]
        return original

    async with auth_client_for() as client:
        app = FastAPI()
        app.add_middleware(AuthMiddleware, client=client, config=CONFIG_A, overrides=overrides)

        @app.post("/login")
        async def login(request: Request) -> None:
            await create_new_session(request, "amy")

        frontend = Frontend(app, client)
        login_response = await frontend.call("POST", "/login", headers={"st-auth-mode": "header"})
        response = await frontend.refresh(Tokens.of(login_response))
    assert response.status_code == 200
    assert len(seen) == 1 and isinstance(seen[0], Request)
    assert seen[0].url.path == "/auth/session/refresh"


async def test_a_request_leaves_no_reference_cycles(auth_client_for: Callable[..., Any]) -> None:
    """The middleware closes each request's sessions: nothing waits for the cyclic GC."""
    async with auth_client_for() as client:
        frontend = Frontend(fastapi_app(client, CONFIG_A, []), client)
        tokens = await frontend.login("amy", mode="header")
        await frontend.call("POST", "/updateinfo", tokens)
        with authclient_cycles() as found:
            for _ in range(3):
                response = await frontend.call("POST", "/updateinfo", tokens)
                assert response.status_code == 200
            assert (await frontend.refresh(tokens)).status_code == 200  # served by the middleware
    assert found == []
