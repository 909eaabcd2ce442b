# Generated from tests/asyncio/test_jwt.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""JWTs for other services (``create_jwt``) and the OpenID discovery document, on either core."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Optional

import attrs
import httpx
import jwt
import pytest

import authclient.syncio
from authclient._protocol.session import jwks_request
from authclient.errors import ConfigurationError
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import (
    Client,
    CreateJwtResult,
    OpenIdDiscoveryConfiguration,
    Overrides,
    SessionConfig,
    SessionRecipe,
)
from tests.syncio.conftest import AppClient, new_app

API = SessionConfig(api_domain="https://api.example.com")
ISSUER = "https://api.example.com/auth"
HUNDRED_YEARS = 3_153_600_000


def served_jwks(client: Client) -> jwt.PyJWKSet:
    """The JWKS document exactly as the core serves it at /.well-known/jwks.json."""
    response = client.session_recipe.transport.send(jwks_request(), {})
    return jwt.PyJWKSet.from_dict(response.data)


def verified(token: str, key_set: jwt.PyJWKSet, issuer: str = ISSUER) -> dict[str, Any]:
    """The claims of a JWT that PyJWT verifies with ``key_set`` alone (RS256, its kid)."""
    key = key_set[jwt.get_unverified_header(token)["kid"]]
    claims: dict[str, Any] = jwt.decode(token, key, algorithms=["RS256"], issuer=issuer)
    return claims


def test_a_jwt_verifies_with_pyjwt_against_the_cores_jwks(app_client: AppClient) -> None:
    """PyJWT verifies the JWT with nothing but the JWKS the core serves."""
    with app_client(session=API) as (client, _):
        result = client.create_jwt({"role": "gateway", "n": [1, {"x": None}]}, 600)
        claims = verified(result.jwt, served_jwks(client))
    assert isinstance(result, CreateJwtResult)
    assert claims["iss"] == ISSUER
    assert (claims["role"], claims["n"]) == ("gateway", [1, {"x": None}])
    assert claims["exp"] - claims["iat"] == 600


def test_the_static_key_signs_unless_the_dynamic_one_is_asked_for(
    app_client: AppClient,
) -> None:
    """By default the static key (``s-``) signs; ``use_static_signing_key=False``: the dynamic."""
    with app_client(session=API) as (client, _):
        static = client.create_jwt({})
        dynamic = client.create_jwt({}, use_static_signing_key=False)
        key_set = served_jwks(client)
    assert jwt.get_unverified_header(static.jwt)["kid"].startswith("s-")
    assert jwt.get_unverified_header(dynamic.jwt)["kid"].startswith("d-")
    assert verified(static.jwt, key_set) and verified(dynamic.jwt, key_set)


def test_the_default_validity_is_a_hundred_years(app_client: AppClient) -> None:
    """Without validity_seconds the JWT lives 100 years, as with the official SDKs."""
    with app_client(session=API) as (client, _):
        claims = verified((client.create_jwt({})).jwt, served_jwks(client))
    assert claims["exp"] - claims["iat"] == HUNDRED_YEARS


def test_the_request_is_the_official_sdks(app_client: AppClient) -> None:
    """POST /recipe/jwt with the SDKs' body: iss added, RS256, jwksDomain the API domain."""
    with app_client(session=API) as (client, calls):
        client.create_jwt({"sub": "svc"}, 60, use_static_signing_key=True)
    assert calls[-1] == "POST /recipe/jwt"
    sent = calls.infos[-1]
    assert sent.json() == {
        "payload": {"iss": ISSUER, "sub": "svc"},
        "validity": 60,
        "useStaticSigningKey": True,
        "algorithm": "RS256",
        "jwksDomain": "https://api.example.com",
    }
    assert sent.headers["rid"] == "jwt"
    assert "cdi-version" in sent.headers


def test_the_payloads_own_issuer_wins(app_client: AppClient) -> None:
    """An ``iss`` in the payload replaces the configured issuer, as in the official SDKs."""
    with app_client(session=API) as (client, _):
        result = client.create_jwt({"iss": "https://other.example.com"})
        claims = verified(result.jwt, served_jwks(client), "https://other.example.com")
    assert claims["iss"] == "https://other.example.com"


def test_without_an_api_domain_nothing_is_sent(app_client: AppClient) -> None:
    """No SessionConfig.api_domain: ConfigurationError from both calls, before any request."""
    with app_client() as (client, calls):
        with pytest.raises(ConfigurationError) as raised:
            client.create_jwt({"role": "x"})
        with pytest.raises(ConfigurationError):
            client.get_open_id_discovery_configuration()
    assert raised.value.setting == "SessionConfig.api_domain"
    assert calls == []


@pytest.mark.parametrize(
    ("payload", "validity", "static", "error"),
    [
        ([("a", 1)], None, None, TypeError),
        ({"a": {1, 2}}, None, None, TypeError),
        ({"exp": 1}, None, None, ValueError),
        ({"iat": 1}, None, None, ValueError),
        ({}, 0, None, ValueError),
        ({}, -5, None, ValueError),
        ({}, 10**16, None, ValueError),
        ({}, 1.5, None, TypeError),
        ({}, True, None, TypeError),
        ({}, "60", None, TypeError),
        ({}, None, "yes", TypeError),
        ({}, None, 0, TypeError),
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(
    app_client: AppClient,
    payload: Any,
    validity: Any,
    static: Any,
    error: type[Exception],
) -> None:
    """A payload that is no JSON object, sets exp/iat, or a bad validity or key choice."""
    with app_client(session=API) as (client, calls):
        with pytest.raises(error):
            client.create_jwt(payload, validity, static)
    assert calls == []


def test_the_discovery_document_names_the_issuer_and_its_jwks(
    app_client: AppClient,
) -> None:
    """issuer = api_domain + api_base_path, jwks_uri below it; the core is not asked."""
    config = SessionConfig(api_domain="API.example.com:8443", api_base_path="/v1/auth/")
    with app_client(session=config) as (client, calls):
        discovery = client.get_open_id_discovery_configuration()
    assert calls == []
    issuer = "https://api.example.com:8443/v1/auth"
    assert discovery.to_dict() == {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/jwt/jwks.json",
        "authorization_endpoint": f"{issuer}/oauth/auth",
        "token_endpoint": f"{issuer}/oauth/token",
        "userinfo_endpoint": f"{issuer}/oauth/userinfo",
        "revocation_endpoint": f"{issuer}/oauth/revoke",
        "token_introspection_endpoint": f"{issuer}/oauth/introspect",
        "end_session_endpoint": f"{issuer}/oauth/end_session",
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "id_token token"],
    }


def test_a_root_base_path_makes_the_domain_the_issuer(app_client: AppClient) -> None:
    """api_base_path "/" leaves no trailing slash: the issuer is the domain itself."""
    config = SessionConfig(api_domain="http://localhost:8000", api_base_path="/")
    with app_client(session=config) as (client, _):
        discovery = client.get_open_id_discovery_configuration()
        claims = verified((client.create_jwt({})).jwt, served_jwks(client), "http://localhost:8000")
    assert discovery.issuer == claims["iss"] == "http://localhost:8000"
    assert discovery.jwks_uri == "http://localhost:8000/jwt/jwks.json"


def test_the_jwt_is_not_in_the_results_repr(app_client: AppClient) -> None:
    """The JWT is a bearer credential: the result's repr leaves it out."""
    with app_client(session=API) as (client, _):
        result = client.create_jwt({})
    assert result.jwt not in repr(result)


@pytest.fixture
def default_client_on(local_core: LocalCore) -> Iterator[str]:
    """init() the default client, with an API domain, on a fresh app of the local core."""
    uri = new_app(local_core)
    with httpx.Client(transport=LocalCoreTransport(local_core)) as http:
        authclient.syncio.init(uri, http_client=http, session=API)
        yield uri


def test_the_module_functions_use_the_default_client(default_client_on: str) -> None:
    """create_jwt and get_open_id_discovery_configuration at module level, after init()."""
    discovery = authclient.syncio.get_open_id_discovery_configuration()
    result = authclient.syncio.create_jwt({"k": "v"}, 30, False, user_context={})
    key_set = jwt.PyJWKSet.from_dict((authclient.syncio.get_jwks()).to_dict())
    claims = verified(result.jwt, key_set)
    assert discovery.issuer == claims["iss"] == ISSUER
    assert (claims["k"], claims["exp"] - claims["iat"]) == ("v", 30)


# --- overrides ------------------------------------------------------------------------------------


class ForGateway(SessionRecipe):
    """Names another issuer in the discovery document, and marks the JWTs of one context."""

    def get_open_id_discovery_configuration(
        self, user_context: dict[str, Any]
    ) -> OpenIdDiscoveryConfiguration:
        original = super().get_open_id_discovery_configuration(user_context)
        return attrs.evolve(original, issuer="https://issuer.example.com")

    def create_jwt(
        self,
        payload: dict[str, Any],
        validity_seconds: Optional[int],
        use_static_signing_key: Optional[bool],
        user_context: dict[str, Any],
    ) -> CreateJwtResult:
        user_context["seen"] = True
        if user_context.get("for_gateway"):
            payload = {**payload, "aud": "gateway"}
        return super().create_jwt(payload, validity_seconds, use_static_signing_key, user_context)


def test_an_overridden_discovery_document_names_the_jwts_issuer(
    app_client: AppClient,
) -> None:
    """create_jwt takes its issuer from the (overridden) discovery document."""
    overrides = Overrides(session=ForGateway.from_original)
    with app_client(session=API, overrides=overrides) as (client, _):
        discovery = client.get_open_id_discovery_configuration()
        result = client.create_jwt({})
        claims = verified(result.jwt, served_jwks(client), "https://issuer.example.com")
    assert discovery.issuer == claims["iss"] == "https://issuer.example.com"


def test_an_overridden_create_jwt_gets_the_callers_user_context(
    app_client: AppClient,
) -> None:
    """The override sees the caller's own user_context dict, and what it changes is minted."""
    overrides = Overrides(session=ForGateway.from_original)
    context: dict[str, Any] = {"for_gateway": True}
    with app_client(session=API, overrides=overrides) as (client, _):
        result = client.create_jwt({"role": "x"}, user_context=context)
        key_set = served_jwks(client)
    key = key_set[jwt.get_unverified_header(result.jwt)["kid"]]
    claims = jwt.decode(result.jwt, key, algorithms=["RS256"], audience="gateway")
    assert (claims["aud"], claims["role"], context["seen"]) == ("gateway", "x", True)
