"""supertokens-python's ``create_jwt`` against the local core, and authclient side by side.

The first three tests are the flows of supertokens-python's own ``tests/sessions/test_jwks.py``
(``test_session_verification_of_jwt_based_on_session_payload``, ``..._with_check_db`` and
``test_session_verification_of_jwt_with_dynamic_signing_key``), which need ``POST /recipe/jwt``.
"""
# The official SDK types its results as unions and its sessions as Optional: relaxed here.
# mypy: disable-error-code="union-attr,no-untyped-call"
# pyright: reportOptionalMemberAccess=false, reportAttributeAccessIssue=false, reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any, Callable

import httpx
import jwt
import pytest

from authclient.localcore import start_in_thread
from authclient.syncio import Client, SessionConfig

pytest.importorskip(
    "supertokens_python", reason="supertokens-python could not be installed in this environment"
)

from supertokens_python import InputAppInfo, SupertokensConfig, init
from supertokens_python.recipe import session
from supertokens_python.recipe.jwt.interfaces import CreateJwtOkResult
from supertokens_python.recipe.session import asyncio as st_session
from supertokens_python.recipe.session.exceptions import TryRefreshTokenError
from supertokens_python.types import RecipeUserId

from tests.test_interop import reset_sdk, run

API_DOMAIN = "http://localhost:8000"
ISSUER = "http://localhost:8000/auth"
StartSdk = Callable[..., None]


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


@pytest.fixture(scope="module")
def client(core_url: str) -> Iterator[Client]:
    with Client(core_url, session=SessionConfig(api_domain=API_DOMAIN)) as authclient:
        yield authclient


@pytest.fixture
def start_sdk(core_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[StartSdk]:
    """``start_sdk(dynamic=True)``: the SDK initialised against the local core, reset after."""
    monkeypatch.setenv("SUPERTOKENS_ENV", "testing")  # the SDK's reset() functions require it

    def start(dynamic: bool = True) -> None:
        init(
            app_info=InputAppInfo(
                app_name="interop", api_domain=API_DOMAIN, website_domain="http://localhost:3000"
            ),
            supertokens_config=SupertokensConfig(connection_uri=core_url),
            framework="fastapi",
            mode="asgi",
            recipe_list=[
                session.init(anti_csrf="NONE", use_dynamic_access_token_signing_key=dynamic)
            ],
            telemetry=False,
        )

    try:
        yield start
    finally:
        reset_sdk()


def sdk_session_payload(user_id: str) -> dict[str, Any]:
    """A new SDK session's access-token payload without iat and exp, as the SDK's tests do."""
    created = run(
        st_session.create_new_session_without_request_response(
            "public", RecipeUserId(user_id), {}, {}
        )
    )
    payload = dict(created.get_access_token_payload())
    del payload["iat"], payload["exp"]
    return payload


def sdk_jwt(payload: dict[str, Any], use_static_signing_key: bool) -> str:
    # The SDK's tests pass a time in ms as the validity (in s): a JWT for a very long time.
    validity = int(time.time() * 1000) + 10_000
    result = run(st_session.create_jwt(payload, validity, use_static_signing_key))
    assert isinstance(result, CreateJwtOkResult)
    return result.jwt


def test_sdk_jwt_of_a_session_payload_is_the_session(start_sdk: StartSdk) -> None:
    """supertokens-python verifies the JWT it built from a session's payload as that session."""
    start_sdk()
    user_id = f"interop-{uuid.uuid4()}"
    token = sdk_jwt(sdk_session_payload(user_id), use_static_signing_key=False)
    verified = run(st_session.get_session_without_request_response(token))
    assert verified.get_user_id() == user_id


def test_sdk_jwt_of_a_session_payload_passes_the_cores_check(start_sdk: StartSdk) -> None:
    """With check_database the local core itself accepts that JWT as the session's token."""
    start_sdk()
    user_id = f"interop-{uuid.uuid4()}"
    token = sdk_jwt(sdk_session_payload(user_id), use_static_signing_key=False)
    verified = run(st_session.get_session_without_request_response(token, check_database=True))
    assert verified.get_user_id() == user_id


def test_sdk_static_sessions_take_only_the_static_keys_jwt(start_sdk: StartSdk) -> None:
    """Static-key sessions: the dynamically signed JWT is refused, the static one accepted."""
    start_sdk(dynamic=False)
    user_id = f"interop-{uuid.uuid4()}"
    payload = {**sdk_session_payload(user_id), "tId": "public"}
    with pytest.raises(TryRefreshTokenError):
        run(st_session.get_session_without_request_response(sdk_jwt(payload, False)))
    verified = run(st_session.get_session_without_request_response(sdk_jwt(payload, True)))
    assert verified.get_user_id() == user_id


def test_authclients_jwt_is_the_sdks(start_sdk: StartSdk, client: Client, core_url: str) -> None:
    """Same payload: same key, issuer and claims; both verify with the core's JWKS alone."""
    start_sdk()
    theirs = run(st_session.create_jwt({"scope": "read"}, 300))
    assert isinstance(theirs, CreateJwtOkResult)
    ours = client.create_jwt({"scope": "read"}, 300).jwt
    key_set = jwt.PyJWKSet.from_dict(httpx.get(f"{core_url}/.well-known/jwks.json").json())
    claims = []
    for token in (theirs.jwt, ours):
        key = key_set[jwt.get_unverified_header(token)["kid"]]
        decoded = jwt.decode(token, key, algorithms=["RS256"], issuer=ISSUER)
        decoded["lifetime"] = decoded.pop("exp") - decoded.pop("iat")
        claims.append(decoded)
    assert jwt.get_unverified_header(ours) == jwt.get_unverified_header(theirs.jwt)
    assert claims[0] == claims[1] == {"iss": ISSUER, "scope": "read", "lifetime": 300}


def test_the_discovery_document_is_the_sdks(start_sdk: StartSdk, client: Client) -> None:
    """authclient's OpenID discovery document equals supertokens-python's for the same API."""
    start_sdk()
    theirs = run(st_session.get_open_id_discovery_configuration())
    assert client.get_open_id_discovery_configuration().to_dict() == theirs.to_json()
