"""The web layer's JWKS and OpenID discovery endpoints, on the local core (both flavors)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any, Optional

import attrs
import jwt
import pytest

from authclient._compat import ASYNC
from authclient.asyncio import AsyncWebApi, AsyncWebSessions, SessionConfig
from authclient.types import JWKS, OpenIdDiscoveryConfiguration
from authclient.web import WebConfig, WebRequest
from tests.asyncio.conftest import AppClient
from tests.asyncio.web_support import endpoint
from tests.web.wire import A, X, request

if ASYNC:
    pytestmark = pytest.mark.anyio

JWKS_PATH = "/auth/jwt/jwks.json"
DISCOVERY_PATH = "/auth/.well-known/openid-configuration"
ISSUER = "http://api.example.com/auth"  # config A's API


@asynccontextmanager
async def web_on(
    app_client: AppClient,
    config: WebConfig = A,
    api_domain: Optional[str] = None,
    **options: Any,
) -> AsyncGenerator[AsyncWebSessions, None]:
    """A web layer on a fresh app's client, whose SessionConfig names ``api_domain``."""
    session = SessionConfig(api_domain=api_domain)
    async with app_client(session=session) as (client, _):
        yield AsyncWebSessions(client, config, **options)


def get(path: str, **options: Any) -> WebRequest:
    return request("GET", path, **options)


async def test_the_jwks_endpoint_serves_the_cores_keys(app_client: AppClient) -> None:
    """GET {base}/jwt/jwks.json: the client's JWKS as {"keys": [...]}, cacheable, any origin."""
    async with web_on(app_client) as web:
        answer = await endpoint(web, get(JWKS_PATH))
        jwks = await (await web.client()).get_jwks()
    assert (answer.status, answer.body) == (200, jwks.to_dict())
    assert answer.body["keys"] and {key["alg"] for key in answer.body["keys"]} == {"RS256"}
    served_max_age = {f"max-age={age}, must-revalidate" for age in (jwks.max_age, jwks.max_age + 1)}
    assert answer.header("cache-control") in served_max_age  # a second may tick in between
    assert answer.header("access-control-allow-origin") == "*"
    assert answer.header("content-type") == "application/json; charset=utf-8"


async def test_below_a_tenant_id_the_same_keys_are_served(app_client: AppClient) -> None:
    """GET {base}/<tenant>/jwt/jwks.json answers as the plain path does (as the SDKs do)."""
    async with web_on(app_client) as web:
        plain = await endpoint(web, get(JWKS_PATH))
        tenant = await endpoint(web, get("/auth/t1/jwt/jwks.json"))
    assert (tenant.status, tenant.body) == (200, plain.body)


async def test_the_document_is_the_recipes_with_a_session_api_domain(
    app_client: AppClient,
) -> None:
    """With SessionConfig.api_domain: the recipe's document, with the SDKs' "status": "OK"."""
    async with web_on(app_client, api_domain="http://api.example.com") as web:
        answer = await endpoint(web, get(DISCOVERY_PATH))
        document = await (await web.client()).get_open_id_discovery_configuration()
    assert (answer.status, answer.body) == (200, {"status": "OK", **document.to_dict()})
    assert answer.body["issuer"] == ISSUER
    assert answer.body["jwks_uri"] == ISSUER + "/jwt/jwks.json"
    assert answer.header("access-control-allow-origin") == "*"
    assert answer.header("cache-control") is None


async def test_without_a_session_api_domain_the_web_config_names_the_issuer(
    app_client: AppClient,
) -> None:
    """Without SessionConfig.api_domain: WebConfig's api_domain + gateway + base path."""
    config = attrs.evolve(A, api_gateway_path="/gw", api_base_path="/api/auth")
    async with web_on(app_client, config) as web:
        answer = await endpoint(web, get("/api/auth/.well-known/openid-configuration"))
    issuer = "http://api.example.com/gw/api/auth"
    assert answer.status == 200
    assert answer.body["issuer"] == issuer
    assert answer.body["jwks_uri"] == issuer + "/jwt/jwks.json"
    assert answer.body["token_endpoint"] == issuer + "/oauth/token"
    assert answer.body["id_token_signing_alg_values_supported"] == ["RS256"]


async def test_a_jwt_verifies_against_the_served_document_and_keys(
    app_client: AppClient,
) -> None:
    """A create_jwt JWT verifies with PyJWT against the served keys and the served issuer."""
    async with web_on(app_client, api_domain="http://api.example.com") as web:
        token = (await (await web.client()).create_jwt({"sub": "svc"}, 600)).jwt
        document = (await endpoint(web, get(DISCOVERY_PATH))).body
        keys = jwt.PyJWKSet.from_dict((await endpoint(web, get(JWKS_PATH))).body)
    key = keys[jwt.get_unverified_header(token)["kid"]]
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=document["issuer"])
    assert claims["sub"] == "svc"


async def test_no_session_and_no_anti_csrf_are_needed(app_client: AppClient) -> None:
    """Cross-site (VIA_CUSTOM_HEADER), no rid, a garbage token: served, no session headers."""
    view = get(JWKS_PATH, cookies=[("sAccessToken", "garbage")])
    async with web_on(app_client, X) as web:
        answer = await endpoint(web, view)
    assert answer.status == 200 and answer.session_headers == []


@pytest.mark.parametrize("method", ["POST", "HEAD", "PUT"])
async def test_other_methods_pass_through(app_client: AppClient, method: str) -> None:
    """Only GET is answered: any other method on the paths reaches the app."""
    async with web_on(app_client) as web:
        for path in (JWKS_PATH, DISCOVERY_PATH):
            assert await web.handle_endpoint(request(method, path)) is None


async def test_the_endpoints_go_through_overridable_steps(app_client: AppClient) -> None:
    """overrides=fn: jwks_get and openid_configuration_get answer, each call with a fresh
    user_context whose _default.request is the framework's request."""
    contexts: list[dict[str, Any]] = []

    def override(original: AsyncWebApi) -> AsyncWebApi:
        jwks_get, document_get = original.jwks_get, original.openid_configuration_get

        async def one_key(request: WebRequest, user_context: dict[str, Any]) -> JWKS:
            contexts.append(user_context)
            served = await jwks_get(request, user_context)
            return attrs.evolve(served, keys=served.keys[:1], max_age=5)

        async def renamed(
            request: WebRequest, user_context: dict[str, Any]
        ) -> OpenIdDiscoveryConfiguration:
            contexts.append(user_context)
            document = await document_get(request, user_context)
            return attrs.evolve(document, issuer="https://issuer.example.com")

        original.jwks_get = one_key  # type: ignore[method-assign]
        original.openid_configuration_get = renamed  # type: ignore[method-assign]
        return original

    frameworks = [object(), object(), object()]
    async with web_on(app_client, overrides=override) as web:
        first = await endpoint(web, get(JWKS_PATH, original=frameworks[0]))
        await endpoint(web, get(JWKS_PATH, original=frameworks[1]))
        document = await endpoint(web, get(DISCOVERY_PATH, original=frameworks[2]))
    assert len(first.body["keys"]) == 1 and first.header("cache-control") == (
        "max-age=5, must-revalidate"
    )
    assert document.body["issuer"] == "https://issuer.example.com"
    assert [context["_default"]["request"] for context in contexts] == frameworks
    assert len({id(context) for context in contexts}) == 3


async def test_a_session_config_naming_another_api_is_warned_about_once(
    app_client: AppClient, caplog: pytest.LogCaptureFixture
) -> None:
    """SessionConfig naming another API: its document is served, with one warning that its
    jwks_uri is not this layer's."""
    elsewhere = f"https://{uuid.uuid4().hex[:12]}.example.com"
    with caplog.at_level(logging.WARNING, logger="authclient.web"):
        async with web_on(app_client, api_domain=elsewhere) as web:
            answers = [await endpoint(web, get(DISCOVERY_PATH)) for _ in range(2)]
    assert {answer.body["jwks_uri"] for answer in answers} == {elsewhere + "/auth/jwt/jwks.json"}
    warnings = [
        record.getMessage() for record in caplog.records if elsewhere in record.getMessage()
    ]
    assert len(warnings) == 1 and ISSUER + "/jwt/jwks.json" in warnings[0]
