"""supertokens-node's ``Session.createJWT`` against the local core, and authclient side by side.

supertokens-node runs in a Node.js process (``tests/node_interop/jwt.js``) against a local core
served over real HTTP, with ``apiDomain`` ``http://localhost:8000`` and the default base path;
authclient's sync client uses the same core and the same API domain. Install the SDK with
``npm install`` in ``tests/node_interop`` (Node 20+); without it this module is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from authclient.localcore import start_in_thread
from authclient.syncio import Client, SessionConfig
from tests.node_sdk import NOT_INSTALLED, node_caller, node_executable

NODE = node_executable()
if NODE is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)

ISSUER = "http://localhost:8000/auth"


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


@pytest.fixture(scope="module")
def client(core_url: str) -> Iterator[Client]:
    with Client(core_url, session=SessionConfig(api_domain="http://localhost:8000")) as authclient:
        yield authclient


@pytest.fixture
def node(core_url: str) -> Any:
    """``node(operation, **argument)``: one operation of supertokens-node, its JSON answer."""
    return node_caller(NODE, "jwt.js", core_url)


def verified_by_the_jwks(token: str, core_url: str) -> dict[str, Any]:
    """The claims of a JWT that PyJWT verifies with the core's JWKS, and nothing else."""
    key_set = jwt.PyJWKSet.from_dict(httpx.get(f"{core_url}/.well-known/jwks.json").json())
    key = key_set[jwt.get_unverified_header(token)["kid"]]
    claims: dict[str, Any] = jwt.decode(token, key, algorithms=["RS256"], issuer=ISSUER)
    return claims


def test_nodes_create_jwt_works_against_the_local_core(node: Any, core_url: str) -> None:
    """Session.createJWT gets an OK and a JWT that the core's JWKS verifies."""
    created = node("createJWT", payload={"role": "gateway"}, validitySeconds=120)
    assert created["status"] == "OK"
    claims = verified_by_the_jwks(created["jwt"], core_url)
    assert (claims["iss"], claims["role"], claims["exp"] - claims["iat"]) == (
        ISSUER,
        "gateway",
        120,
    )


def test_nodes_dynamically_signed_jwt_verifies_too(node: Any, core_url: str) -> None:
    """useStaticSigningKey false: a d- key, listed in the same JWKS."""
    created = node("createJWT", payload={}, validitySeconds=None, useStaticSigningKey=False)
    assert jwt.get_unverified_header(created["jwt"])["kid"].startswith("d-")
    assert verified_by_the_jwks(created["jwt"], core_url)["iss"] == ISSUER


def test_authclients_jwt_is_nodes_jwt(client: Client, node: Any, core_url: str) -> None:
    """Same input, same JWT but for its times: key, issuer, claims and lifetime (100 years)."""
    theirs = node("createJWT", payload={"sub": "svc", "scope": ["a"]})["jwt"]
    ours = client.create_jwt({"sub": "svc", "scope": ["a"]}).jwt
    assert jwt.get_unverified_header(ours) == jwt.get_unverified_header(theirs)
    their_claims, our_claims = (verified_by_the_jwks(t, core_url) for t in (theirs, ours))
    for claims in (their_claims, our_claims):
        claims["lifetime"] = claims.pop("exp") - claims.pop("iat")
    expected = {"iss": ISSUER, "sub": "svc", "scope": ["a"], "lifetime": 3_153_600_000}
    assert our_claims == their_claims == expected


def test_the_discovery_document_is_nodes(client: Client, node: Any) -> None:
    """authclient's document is the one supertokens-node publishes for the same API."""
    theirs = node("discovery")
    assert theirs.pop("status") == "OK"
    assert client.get_open_id_discovery_configuration().to_dict() == theirs
