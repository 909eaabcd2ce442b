"""AuthMiddleware serves the JWKS and the OpenID discovery document: a service that trusts
``create_jwt`` JWTs finds the keys by following the served document through the same app."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

import httpx
import jwt
import pytest
from fastapi import FastAPI

from authclient.asyncio import AsyncClient, SessionConfig
from authclient.integrations.asgi import AuthMiddleware
from tests.integrations.apps import cors
from tests.integrations.conftest import API, CONFIG_A

pytestmark = pytest.mark.anyio

ISSUER = API + "/auth"
DISCOVERY = "/auth/.well-known/openid-configuration"


def jwks_app(client: AsyncClient) -> FastAPI:
    """A FastAPI app with the documented layers (CORS outside AuthMiddleware) and one route."""
    app = FastAPI()
    app.add_middleware(AuthMiddleware, client=client, config=CONFIG_A)
    app.user_middleware.insert(0, cors([])[0])

    @app.get("/items/{number}")
    async def item(number: int) -> dict[str, Any]:
        return {"number": number}

    return app


@asynccontextmanager
async def caller(
    auth_client_for: Callable[..., Any], api_domain: Optional[str]
) -> AsyncGenerator[tuple[httpx.AsyncClient, AsyncClient], None]:
    """An HTTP client on the app (whose client's SessionConfig names ``api_domain``), and a
    client that mints JWTs for the same core app."""
    async with auth_client_for(session=SessionConfig(api_domain=api_domain)) as served:
        async with auth_client_for(session=SessionConfig(api_domain=API)) as minting:
            transport = httpx.ASGITransport(app=jwks_app(served))
            async with httpx.AsyncClient(transport=transport, base_url=API) as http:
                yield http, minting


@pytest.mark.parametrize("api_domain", [API, None], ids=["session-config", "web-config-only"])
async def test_a_jwt_verifies_by_following_the_served_document(
    auth_client_for: Callable[..., Any], api_domain: Optional[str]
) -> None:
    """Document -> jwks_uri -> keys, all through the app; PyJWT verifies create_jwt's JWT with
    them and the document's issuer (with or without SessionConfig.api_domain)."""
    async with caller(auth_client_for, api_domain) as (http, minting):
        token = (await minting.create_jwt({"sub": "svc-1"}, 600)).jwt
        response = await http.get(DISCOVERY)
        document: dict[str, Any] = response.json()
        jwks_uri = urlsplit(str(document["jwks_uri"]))
        keys = await http.get(jwks_uri.path)
    assert response.status_code == 200 and document["issuer"] == ISSUER
    assert f"{jwks_uri.scheme}://{jwks_uri.netloc}" == API
    assert keys.status_code == 200
    key_set = jwt.PyJWKSet.from_dict(keys.json())
    key = key_set[jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=document["issuer"])
    assert claims["sub"] == "svc-1"


async def test_the_jwks_answer_is_cacheable_json(auth_client_for: Callable[..., Any]) -> None:
    """The JWKS over HTTP: JSON, Cache-Control max-age with must-revalidate, no session."""
    async with caller(auth_client_for, API) as (http, _):
        response = await http.get("/auth/jwt/jwks.json")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["cache-control"].endswith(", must-revalidate")
    assert int(response.headers["cache-control"].split("=", 1)[1].split(",")[0]) > 0
    assert "set-cookie" not in response.headers and "front-token" not in response.headers


async def test_another_origin_may_read_the_keys_behind_the_cors_layer(
    auth_client_for: Callable[..., Any],
) -> None:
    """A page on an origin the app's CORS layer does not allow still reads the JWKS (``*``)."""
    async with caller(auth_client_for, API) as (http, _):
        response = await http.get("/auth/jwt/jwks.json", headers={"origin": "https://svc.test"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


async def test_other_gets_and_methods_reach_the_app(auth_client_for: Callable[..., Any]) -> None:
    """The app's own GET routes answer; a POST to the JWKS path is the app's (no route: 404)."""
    async with caller(auth_client_for, API) as (http, _):
        item = await http.get("/items/7")
        posted = await http.post("/auth/jwt/jwks.json")
    assert (item.status_code, item.json()) == (200, {"number": 7})
    assert posted.status_code == 404
