"""``AuthHelper`` / ``AsyncAuthHelper``: sessions, metadata, expiry and theft for tests.

The two flavors are thin and alike: each core call is one line on its client; what to do with
the answers (credentials, how far to move the clock, installing into a test client) is shared.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from authclient import asyncio as aio
from authclient import syncio
from authclient.errors import TokenTheftError
from authclient.testing._clock import AuthClock
from authclient.testing._credentials import (
    DEFAULT_API_BASE_PATH,
    SessionCredentials,
    Transfer,
    check_api_base_path,
    check_transfer,
)
from authclient.testing._frameworks import install

DEFAULT_ACCESS_TOKEN_VALIDITY = 3600
"""Seconds an access token of the local core lives (its default ``access_token_validity``)."""


def _seconds_to_expiry(
    clock: AuthClock, credentials: Optional[SessionCredentials], expiry_leeway: float
) -> float:
    """How far to move ``clock`` so the access token (or any minted by now) is expired."""
    if credentials is None:
        left = float(DEFAULT_ACCESS_TOKEN_VALIDITY)
    else:
        left = credentials.access_token_expiry / 1000 - clock()
    return max(0.0, left) + expiry_leeway + 1


def _no_theft() -> AssertionError:
    return AssertionError("the core did not detect the replayed refresh token as token theft")


class AuthHelper:
    """Session helpers on a ``syncio.Client`` bound to the test's local core.

    The ``auth_helper`` fixture is one, on ``auth_client`` and ``auth_clock``.
    """

    def __init__(self, client: syncio.Client, clock: AuthClock) -> None:
        self.client = client
        self.clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.client!r}, {self.clock!r})"

    def session_for(
        self,
        user_id: str,
        payload: Optional[dict[str, Any]] = None,
        *,
        session_data: Optional[dict[str, Any]] = None,
        transfer: Transfer = "cookie",
        tenant_id: str = "public",
        api_base_path: str = DEFAULT_API_BASE_PATH,
    ) -> SessionCredentials:
        """A new session for ``user_id`` (``payload`` in its access token), ready to send."""
        transfer, base = check_transfer(transfer), check_api_base_path(api_base_path)
        session = self.client.create_new_session(
            user_id, payload, session_data, tenant_id=tenant_id
        )
        return SessionCredentials.of(
            session.user_id, session.handle, session.tokens, transfer, base
        )

    def log_in_as(
        self,
        test_client: object,
        user: Union[str, SessionCredentials],
        payload: Optional[dict[str, Any]] = None,
        *,
        transfer: Transfer = "cookie",
        api_base_path: str = DEFAULT_API_BASE_PATH,
        domain: Optional[str] = None,
    ) -> SessionCredentials:
        """Make ``test_client`` (httpx / Starlette / FastAPI, Flask, Django) send a session.

        ``user`` is a user id (a new session is made) or credentials to send again (a stale
        refresh token, say). ``domain`` is the cookies' domain when the app's is not the test
        client's host. Returns the credentials sent.
        """
        credentials = (
            user
            if isinstance(user, SessionCredentials)
            else self.session_for(user, payload, transfer=transfer, api_base_path=api_base_path)
        )
        install(test_client, credentials, domain)
        return credentials

    def seed_metadata(self, user_id: str, metadata: dict[str, Any]) -> dict[str, Any]:
        """Merge ``metadata`` into the user's metadata in the core; the merged result."""
        return self.client.update_user_metadata(user_id, metadata).metadata

    def expire_access_token(self, credentials: Optional[SessionCredentials] = None) -> None:
        """Move the clock past the expiry of ``credentials``' access token (by default: of
        every access token minted so far with the default validity). No sleeping."""
        config = self.client.session_recipe.config
        self.clock.advance(_seconds_to_expiry(self.clock, credentials, config.expiry_leeway))

    def refresh(self, credentials: SessionCredentials) -> SessionCredentials:
        """Refresh the session with its refresh token, as the refresh endpoint would."""
        session = self.client.refresh_session(
            credentials.refresh_token, credentials.anti_csrf_token
        )
        return SessionCredentials.of(
            session.user_id,
            session.handle,
            session.tokens,
            credentials.transfer,
            credentials.api_base_path,
        )

    def replay_refresh_token(self, credentials: SessionCredentials) -> TokenTheftError:
        """Present ``credentials``' refresh token once the session has moved past it: the
        ``TokenTheftError`` the core answers. The session is then revoked, as the web layer's
        default theft handler does.

        If the session was not refreshed yet, it is first refreshed and its new access token
        used, as the real user's frontend would; then the old refresh token is a stolen one.
        """
        try:
            newer = self.refresh(credentials)
            self.client.get_session(newer.access_token, newer.anti_csrf_token)
            self.refresh(credentials)
        except TokenTheftError as theft:
            self.client.revoke_session(theft.session_handle)
            return theft
        raise _no_theft()

    def session_exists(self, credentials: Union[SessionCredentials, str]) -> bool:
        """Whether the core still has the session (credentials, or a session handle)."""
        handle = credentials.handle if isinstance(credentials, SessionCredentials) else credentials
        return self.client.get_session_information(handle) is not None


class AsyncAuthHelper:
    """``AuthHelper`` on an ``asyncio.AsyncClient``: the same methods, awaited where they call
    the core (``log_in_as`` and ``expire_access_token`` too, for one rule: await them all but
    the clock's own ``advance``). The ``async_auth_helper`` fixture is one."""

    def __init__(self, client: aio.AsyncClient, clock: AuthClock) -> None:
        self.client = client
        self.clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.client!r}, {self.clock!r})"

    async def session_for(
        self,
        user_id: str,
        payload: Optional[dict[str, Any]] = None,
        *,
        session_data: Optional[dict[str, Any]] = None,
        transfer: Transfer = "cookie",
        tenant_id: str = "public",
        api_base_path: str = DEFAULT_API_BASE_PATH,
    ) -> SessionCredentials:
        """A new session for ``user_id`` (``payload`` in its access token), ready to send."""
        transfer, base = check_transfer(transfer), check_api_base_path(api_base_path)
        session = await self.client.create_new_session(
            user_id, payload, session_data, tenant_id=tenant_id
        )
        return SessionCredentials.of(
            session.user_id, session.handle, session.tokens, transfer, base
        )

    async def log_in_as(
        self,
        test_client: object,
        user: Union[str, SessionCredentials],
        payload: Optional[dict[str, Any]] = None,
        *,
        transfer: Transfer = "cookie",
        api_base_path: str = DEFAULT_API_BASE_PATH,
        domain: Optional[str] = None,
    ) -> SessionCredentials:
        """Make ``test_client`` send a session: see ``AuthHelper.log_in_as``."""
        credentials = (
            user
            if isinstance(user, SessionCredentials)
            else await self.session_for(
                user, payload, transfer=transfer, api_base_path=api_base_path
            )
        )
        install(test_client, credentials, domain)
        return credentials

    async def seed_metadata(self, user_id: str, metadata: dict[str, Any]) -> dict[str, Any]:
        """Merge ``metadata`` into the user's metadata in the core; the merged result."""
        return (await self.client.update_user_metadata(user_id, metadata)).metadata

    async def expire_access_token(self, credentials: Optional[SessionCredentials] = None) -> None:
        """Move the clock past the access token's expiry: see ``AuthHelper``."""
        config = self.client.session_recipe.config
        self.clock.advance(_seconds_to_expiry(self.clock, credentials, config.expiry_leeway))

    async def refresh(self, credentials: SessionCredentials) -> SessionCredentials:
        """Refresh the session with its refresh token, as the refresh endpoint would."""
        session = await self.client.refresh_session(
            credentials.refresh_token, credentials.anti_csrf_token
        )
        return SessionCredentials.of(
            session.user_id,
            session.handle,
            session.tokens,
            credentials.transfer,
            credentials.api_base_path,
        )

    async def replay_refresh_token(self, credentials: SessionCredentials) -> TokenTheftError:
        """The ``TokenTheftError`` for a replayed refresh token (the session is then revoked):
        see ``AuthHelper``."""
        try:
            newer = await self.refresh(credentials)
            await self.client.get_session(newer.access_token, newer.anti_csrf_token)
            await self.refresh(credentials)
        except TokenTheftError as theft:
            await self.client.revoke_session(theft.session_handle)
            return theft
        raise _no_theft()

    async def session_exists(self, credentials: Union[SessionCredentials, str]) -> bool:
        """Whether the core still has the session (credentials, or a session handle)."""
        handle = credentials.handle if isinstance(credentials, SessionCredentials) else credentials
        return await self.client.get_session_information(handle) is not None
