"""A JWT minted from a session's payload is that session (supertokens-python's own three tests).

supertokens-python's ``tests/sessions/test_jwks.py`` builds a JWT from a session's access-token
payload (``iat`` and ``exp`` dropped) and verifies it as a session: locally, with
``check_database``, and with a dynamic key against a static-key configuration.
"""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from authclient._compat import ASYNC
from authclient.asyncio import AsyncClient, SessionConfig
from authclient.errors import TryRefreshTokenError
from tests.asyncio.conftest import AppClient, new_user_id

if ASYNC:
    pytestmark = pytest.mark.anyio

API = SessionConfig(api_domain="http://localhost:8000")


async def session_payload(client: AsyncClient, user_id: str) -> dict[str, Any]:
    """A new session's whole access-token payload (the SDK's ``get_access_token_payload()``),
    without the times the core sets."""
    session = await client.create_new_session(user_id)
    token = session.tokens.access_token
    payload: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    del payload["iat"], payload["exp"]
    return payload


async def test_a_jwt_of_a_sessions_payload_verifies_as_that_session(
    app_client: AppClient,
) -> None:
    """get_session accepts it (verified locally) and names the session's user."""
    user_id = new_user_id("jay")
    async with app_client(session=API) as (client, calls):
        payload = await session_payload(client, user_id)
        result = await client.create_jwt(payload, 60, use_static_signing_key=False)
        calls.clear()
        session = await client.get_session(result.jwt)
    assert (session.user_id, session.handle) == (user_id, payload["sessionHandle"])
    assert "POST /recipe/session/verify" not in calls


async def test_the_core_verifies_it_too_with_check_database(app_client: AppClient) -> None:
    """With check_database the core reads it as its own access token and knows the session."""
    user_id = new_user_id("kim")
    async with app_client(session=API) as (client, calls):
        payload = await session_payload(client, user_id)
        result = await client.create_jwt(payload, 60, use_static_signing_key=False)
        session = await client.get_session(result.jwt, check_database=True)
    assert calls[-1] == "POST /recipe/session/verify"
    assert session.user_id == user_id


async def test_only_the_configured_kind_of_key_makes_it_a_session(app_client: AppClient) -> None:
    """Static-key sessions: the dynamically signed JWT must be refreshed, the static one works."""
    static_sessions = SessionConfig(
        api_domain="http://localhost:8000", use_dynamic_access_token_signing_key=False
    )
    user_id = new_user_id("lee")
    async with app_client(session=static_sessions) as (client, _):
        payload = await session_payload(client, user_id)
        dynamic = await client.create_jwt(payload, 60, use_static_signing_key=False)
        static = await client.create_jwt(payload, 60, use_static_signing_key=True)
        with pytest.raises(TryRefreshTokenError):
            await client.get_session(dynamic.jwt)
        session = await client.get_session(static.jwt)
    assert session.user_id == user_id
