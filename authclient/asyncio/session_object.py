"""``AsyncSession``: one user's session, as ``create_new_session`` / ``get_session`` return it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional, Protocol, TypeVar

from authclient._protocol import session as protocol
from authclient._protocol.token_cache import VerifiedToken
from authclient._protocol.wire import call_context
from authclient.asyncio._claims import fetch_claim_value, payload_changes
from authclient.claims import SessionClaim, SessionClaimValidator
from authclient.errors import InvalidClaimError, UnauthorisedError
from authclient.types import (
    ClaimsValidationResult,
    RegenerateAccessTokenResult,
    SessionInformation,
    SessionTokens,
)

T = TypeVar("T")


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

    async def validate_claims(
        self,
        user_id: str,
        recipe_user_id: str,
        tenant_id: str,
        access_token_payload: dict[str, Any],
        claim_validators: Sequence[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> ClaimsValidationResult: ...


class AsyncSession:
    """A session: who it belongs to, its access-token payload and the tokens to hand out.

    Its methods go through the session recipe in use, overrides included. ``tokens`` changes
    when the access token is replaced (``tokens.access_token_updated`` then says so): a new
    payload or claim value is a new access token, which the caller must hand out. ``revoked``
    turns true once ``revoke_session()`` ended it (a web response then clears it).
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
        self._payload: Optional[dict[str, Any]] = access_token_payload
        self._tokens: Optional[SessionTokens] = tokens
        self._verified: Optional[tuple[VerifiedToken, str, Optional[str]]] = None
        self.revoked = False

    @classmethod
    def _from_verified(
        cls,
        recipe: AsyncSessionMethods,
        verified: VerifiedToken,
        access_token: str,
        anti_csrf_token: Optional[str],
    ) -> AsyncSession:
        """A session verified locally: its payload (a copy) and tokens made when first read."""
        session = cls.__new__(cls)
        info = verified.info
        session.recipe = recipe
        session.user_id = info.user_id
        session.recipe_user_id = info.recipe_user_id
        session.tenant_id = info.tenant_id
        session.handle = info.session_handle
        session._payload = None
        session._tokens = None
        session._verified = (verified, access_token, anti_csrf_token)
        session.revoked = False
        return session

    @property
    def access_token_payload(self) -> dict[str, Any]:
        """The access token's custom claims, as this session last knew them (a copy of the
        verified token's, made when first read)."""
        payload = self._payload
        if payload is None:
            assert self._verified is not None
            payload = self._payload = self._verified[0].custom_claims()
        return payload

    @access_token_payload.setter
    def access_token_payload(self, payload: dict[str, Any]) -> None:
        self._payload = payload

    @property
    def tokens(self) -> SessionTokens:
        """The tokens to hand to the front end (``access_token_updated``: a new access token)."""
        tokens = self._tokens
        if tokens is None:
            assert self._verified is not None
            verified, access_token, anti_csrf_token = self._verified
            front_token = verified.front_token(access_token)  # no refresh token after a verify
            tokens = self._tokens = SessionTokens(
                access_token, None, anti_csrf_token, front_token, access_token_updated=False
            )
        return tokens

    @tokens.setter
    def tokens(self, tokens: SessionTokens) -> None:
        self._tokens = tokens

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

    # --- getters (the attributes, as the official SDKs' methods) ----------------------------------

    def get_user_id(self, user_context: Optional[dict[str, Any]] = None) -> str:
        return self.user_id

    def get_recipe_user_id(self, user_context: Optional[dict[str, Any]] = None) -> str:
        return self.recipe_user_id

    def get_tenant_id(self, user_context: Optional[dict[str, Any]] = None) -> str:
        return self.tenant_id

    def get_handle(self, user_context: Optional[dict[str, Any]] = None) -> str:
        return self.handle

    def get_access_token(self, user_context: Optional[dict[str, Any]] = None) -> str:
        tokens = self._tokens
        if tokens is None:  # verified and unchanged: the token given, no need to build tokens
            assert self._verified is not None
            return self._verified[1]
        return tokens.access_token

    def get_access_token_payload(
        self, user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        """The custom claims of the access token (the core's own claims left out)."""
        return self.access_token_payload

    def get_all_session_tokens_dangerously(
        self, user_context: Optional[dict[str, Any]] = None
    ) -> SessionTokens:
        """Every token of the session: secrets, for the caller to hand to its front end."""
        return self.tokens

    # --- claims -------------------------------------------------------------------------------

    async def assert_claims(
        self,
        claim_validators: Sequence[SessionClaimValidator],
        user_context: Optional[dict[str, Any]] = None,
    ) -> None:
        """Check the payload; raise ``InvalidClaimError`` listing every validator that failed.

        A claim a validator finds missing or older than its ``max_age`` is fetched again first
        (once), and the new value goes into a new access token.
        """
        context = call_context(user_context)
        result = await self.recipe.validate_claims(
            self.user_id,
            self.recipe_user_id,
            self.tenant_id,
            self.access_token_payload,
            claim_validators,
            context,
        )
        if result.access_token_payload_update is not None:
            update = payload_changes(self.access_token_payload, result.access_token_payload_update)
            if update:
                await self.merge_into_access_token_payload(update, context)
        if result.invalid_claims:
            raise InvalidClaimError(result.invalid_claims)

    async def fetch_and_set_claim(
        self, claim: SessionClaim[Any], user_context: Optional[dict[str, Any]] = None
    ) -> None:
        """Fetch the claim's value and put it into the access token (``None``: no change)."""
        context = call_context(user_context)
        value = await fetch_claim_value(
            claim,
            self.user_id,
            self.recipe_user_id,
            self.tenant_id,
            self.access_token_payload,
            context,
        )
        update = claim.build(value, context)
        if update:
            await self.merge_into_access_token_payload(update, context)

    async def set_claim_value(
        self, claim: SessionClaim[T], value: T, user_context: Optional[dict[str, Any]] = None
    ) -> None:
        """Put ``value`` into the access token as the claim's value."""
        context = call_context(user_context)
        await self.merge_into_access_token_payload(
            claim.add_to_payload({}, value, context), context
        )

    async def get_claim_value(
        self, claim: SessionClaim[T], user_context: Optional[dict[str, Any]] = None
    ) -> Optional[T]:
        """The claim's value in the access token, or ``None`` when it is not there."""
        return claim.get_value_from_payload(self.access_token_payload, call_context(user_context))

    async def remove_claim(
        self, claim: SessionClaim[Any], user_context: Optional[dict[str, Any]] = None
    ) -> None:
        """Take the claim out of the access token."""
        context = call_context(user_context)
        await self.merge_into_access_token_payload(
            claim.remove_from_payload_by_merge({}, context), context
        )


class AsyncEmptySession(AsyncSession):
    """A session that exists nowhere: what an override returns to create no session.

    Nothing is sent to the core; its methods change nothing and report an empty session:
    expiry and time created ``-1``, no session data, the access-token payload as given, claim
    values ``None`` (claims are neither fetched, set nor asserted). It needs no recipe:
    ``recipe`` is accepted (and kept) for overrides that pass theirs.
    """

    def __init__(
        self,
        recipe: Optional[AsyncSessionMethods] = None,
        user_id: str = "",
        tenant_id: str = "public",
        access_token_payload: Optional[dict[str, Any]] = None,
    ) -> None:
        super().__init__(
            recipe if recipe is not None else _NO_RECIPE,
            user_id=user_id,
            recipe_user_id=user_id,
            tenant_id=tenant_id,
            handle="",
            access_token_payload={} if access_token_payload is None else access_token_payload,
            tokens=SessionTokens("", None, None, "", access_token_updated=False),
        )

    async def revoke_session(self, user_context: Optional[dict[str, Any]] = None) -> None:
        return None

    async def get_session_information(
        self, user_context: Optional[dict[str, Any]] = None
    ) -> SessionInformation:
        return SessionInformation(
            "", self.user_id, self.recipe_user_id, {}, -1, {}, -1, self.tenant_id
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

    async def assert_claims(
        self,
        claim_validators: Sequence[SessionClaimValidator],
        user_context: Optional[dict[str, Any]] = None,
    ) -> None:
        return None

    async def fetch_and_set_claim(
        self, claim: SessionClaim[Any], user_context: Optional[dict[str, Any]] = None
    ) -> None:
        return None

    async def set_claim_value(
        self, claim: SessionClaim[T], value: T, user_context: Optional[dict[str, Any]] = None
    ) -> None:
        return None

    async def get_claim_value(
        self, claim: SessionClaim[T], user_context: Optional[dict[str, Any]] = None
    ) -> Optional[T]:
        return None

    async def remove_claim(
        self, claim: SessionClaim[Any], user_context: Optional[dict[str, Any]] = None
    ) -> None:
        return None


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

    async def validate_claims(
        self,
        user_id: str,
        recipe_user_id: str,
        tenant_id: str,
        access_token_payload: dict[str, Any],
        claim_validators: Sequence[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> ClaimsValidationResult:
        return ClaimsValidationResult([])


_NO_RECIPE = _AsyncNoRecipe()
