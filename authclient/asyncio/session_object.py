"""``AsyncSession``: one user's session, as ``create_new_session`` / ``get_session`` return it."""

from __future__ import annotations

from typing import Any, Optional, Protocol

from authclient._protocol import session as protocol
from authclient._protocol.wire import call_context
from authclient.errors import UnauthorisedError
from authclient.types import RegenerateAccessTokenResult, SessionInformation, SessionTokens


class AsyncSessionMethods(Protocol):
    """The few recipe methods a session object calls (``AsyncSessionRecipe`` has them all)."""

    async def revoke_session(self, session_handle: str, user_context: dict[str, Any]) -> bool: ...

    async def get_session_information(
        self, session_handle: str, user_context: dict[str, Any]
    ) -> Optional[SessionInformation]: ...

    async def update_session_data_in_database(
        self, session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any]
    ) -> bool: ...

    async def regenerate_access_token(
        self,
        access_token: str,
        new_access_token_payload: Optional[dict[str, Any]],
        user_context: dict[str, Any],
    ) -> Optional[RegenerateAccessTokenResult]: ...


class AsyncSession:
    """A session: who it belongs to, its access-token payload and the tokens to hand out.

    Its methods go through the session recipe in use, overrides included. ``tokens`` changes
    when the access token is replaced (``tokens.access_token_updated`` then says so);
    ``revoked`` turns true once ``revoke_session()`` ended it (a web response then clears it).
    """

    def __init__(
        self,
        recipe: AsyncSessionMethods,
        *,
        user_id: str,
        recipe_user_id: str,
        tenant_id: str,
        handle: str,
        access_token_payload: dict[str, Any],
        tokens: SessionTokens,
    ) -> None:
        self.recipe = recipe
        self.user_id = user_id
        self.recipe_user_id = recipe_user_id
        self.tenant_id = tenant_id
        self.handle = handle
        self.access_token_payload = access_token_payload
        self.tokens = tokens
        self.revoked = False

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(user_id={self.user_id!r}, tenant_id={self.tenant_id!r}, "
            f"handle={self.handle!r})"
        )

    async def revoke_session(self, user_context: Optional[dict[str, Any]] = None) -> None:
        """End this session in the core (its refresh token stops working)."""
        await self.recipe.revoke_session(self.handle, call_context(user_context))
        self.revoked = True

    async def get_session_information(
        self, user_context: Optional[dict[str, Any]] = None
    ) -> SessionInformation:
        info = await self.recipe.get_session_information(self.handle, call_context(user_context))
        if info is None:
            raise UnauthorisedError("the session does not exist anymore")
        return info

    async def get_session_data_from_database(
        self, user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        return (await self.get_session_information(user_context)).session_data_in_database

    async def update_session_data_in_database(
        self, new_session_data: dict[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> None:
        """Replace the session's data in the database (never sent to the front end)."""
        updated = await self.recipe.update_session_data_in_database(
            self.handle, new_session_data, call_context(user_context)
        )
        if not updated:
            raise UnauthorisedError("the session does not exist anymore")

    async def merge_into_access_token_payload(
        self,
        access_token_payload_update: dict[str, Any],
        user_context: Optional[dict[str, Any]] = None,
    ) -> None:
        """Merge into the payload (``None`` deletes a key) and get a new access token for it."""
        protocol.check_access_token_payload(
            access_token_payload_update, "access_token_payload_update"
        )
        payload = protocol.merge_payload(self.access_token_payload, access_token_payload_update)
        result = await self.recipe.regenerate_access_token(
            self.tokens.access_token, payload, call_context(user_context)
        )
        if result is None:
            raise UnauthorisedError("the session does not exist anymore")
        self.access_token_payload = result.access_token_payload
        self.tokens = protocol.with_new_access_token(self.tokens, self.user_id, result)

    async def get_time_created(self, user_context: Optional[dict[str, Any]] = None) -> int:
        """When the session was created, ms since the epoch."""
        return (await self.get_session_information(user_context)).time_created

    async def get_expiry(self, user_context: Optional[dict[str, Any]] = None) -> int:
        """When the session (its refresh token) expires, ms since the epoch."""
        return (await self.get_session_information(user_context)).expiry


class AsyncEmptySession(AsyncSession):
    """A session that exists nowhere: what an override returns to create no session.

    Nothing is sent to the core; its methods change nothing and report an empty session.
    It needs no recipe: ``recipe`` is accepted (and kept) for overrides that pass theirs.
    """

    def __init__(
        self,
        recipe: Optional[AsyncSessionMethods] = None,
        user_id: str = "",
        tenant_id: str = "public",
    ) -> None:
        super().__init__(
            recipe if recipe is not None else _NO_RECIPE,
            user_id=user_id,
            recipe_user_id=user_id,
            tenant_id=tenant_id,
            handle="",
            access_token_payload={},
            tokens=SessionTokens("", None, None, "", access_token_updated=False),
        )

    async def revoke_session(self, user_context: Optional[dict[str, Any]] = None) -> None:
        return None

    async def get_session_information(
        self, user_context: Optional[dict[str, Any]] = None
    ) -> SessionInformation:
        return SessionInformation(
            "", self.user_id, self.recipe_user_id, {}, 0, {}, 0, self.tenant_id
        )

    async def update_session_data_in_database(
        self, new_session_data: dict[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> None:
        return None

    async def merge_into_access_token_payload(
        self,
        access_token_payload_update: dict[str, Any],
        user_context: Optional[dict[str, Any]] = None,
    ) -> None:
        protocol.check_access_token_payload(
            access_token_payload_update, "access_token_payload_update"
        )
        self.access_token_payload = protocol.merge_payload(
            self.access_token_payload, access_token_payload_update
        )


class _AsyncNoRecipe:
    """What an empty session holds instead of a recipe: a session that exists nowhere."""

    async def revoke_session(self, session_handle: str, user_context: dict[str, Any]) -> bool:
        return False

    async def get_session_information(
        self, session_handle: str, user_context: dict[str, Any]
    ) -> Optional[SessionInformation]:
        return None

    async def update_session_data_in_database(
        self, session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any]
    ) -> bool:
        return False

    async def regenerate_access_token(
        self,
        access_token: str,
        new_access_token_payload: Optional[dict[str, Any]],
        user_context: dict[str, Any],
    ) -> Optional[RegenerateAccessTokenResult]:
        return None


_NO_RECIPE = _AsyncNoRecipe()
