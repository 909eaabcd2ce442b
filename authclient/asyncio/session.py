"""The session recipe: the implementation users can override with ``Overrides(session=...)``."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Sequence
from typing import Any, Callable, Optional, TypeVar, Union

import attrs

from authclient._protocol import session as protocol
from authclient._protocol.token_cache import VerifiedToken, VerifiedTokens, verify_usual_token
from authclient._protocol.tokens import (
    ParsedAccessToken,
    TokenParseError,
    TokenVerifyError,
    UnknownKidError,
    claimed_expiry_ms,
    parse_access_token,
    verify_access_token,
)
from authclient.asyncio import _claims
from authclient.asyncio._jwks import AsyncJwksCache
from authclient.asyncio._session_jwt import AsyncSessionJwtMethods
from authclient.asyncio._transport import AsyncTransport
from authclient.asyncio.session_object import AsyncSession
from authclient.claims import SessionClaim, SessionClaimValidator
from authclient.errors import TryRefreshTokenError, UnauthorisedError
from authclient.types import (
    JWKS,
    ClaimsValidationResult,
    ClaimValueResult,
    RegenerateAccessTokenResult,
    SessionConfig,
    SessionInformation,
)

T = TypeVar("T")
Validators = list[SessionClaimValidator]
OverrideGlobalClaimValidators = Callable[
    [Validators, AsyncSession, dict[str, Any]], Union[Validators, Awaitable[Validators]]
]
"""``fn(global_validators, session, user_context) -> validators`` for one ``get_session``."""
OverrideGlobalClaimValidatorsForHandle = Callable[
    [Validators, SessionInformation, dict[str, Any]], Union[Validators, Awaitable[Validators]]
]
"""``fn(global_validators, session_information, user_context) -> validators``, by handle."""


class AsyncSessionRecipe(AsyncSessionJwtMethods):
    """Creates, verifies and manages sessions, and mints JWTs for other services
    (``create_jwt``). ``Overrides(session=fn)`` receives this object.

    The typed way to override: subclass it, override methods (calling ``super()``), and have
    ``fn`` return ``MySessionRecipe.from_original(original)``. Session objects and the recipe's
    own calls go through ``implementation``: whatever the override returned.
    """

    def __init__(self, transport: AsyncTransport, config: SessionConfig) -> None:
        self.transport = transport
        self.config = config
        self.jwks: AsyncJwksCache = AsyncJwksCache(transport, config)
        # Tokens verified here, to verify again with a lookup (see token_cache.py for the rules).
        self.verified_tokens = VerifiedTokens(config.verified_token_cache_size)
        self.implementation: AsyncSessionRecipe = self
        # Every time read on the verification path; authclient.testing swaps it per client.
        self._clock: Callable[[], float] = time.time

    @classmethod
    def from_original(cls, original: AsyncSessionRecipe) -> AsyncSessionRecipe:
        """This (sub)class on the original's transport and configuration.

        Typed as the base recipe, so ``Overrides(session=MyRecipe.from_original)`` is the
        ``Overrides`` a client takes.
        """
        recipe = cls(original.transport, original.config)
        recipe._clock = original._clock
        return recipe

    async def create_new_session(
        self,
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> AsyncSession:
        request = protocol.create_request(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id=tenant_id,
            enable_anti_csrf=self._anti_csrf_by_token() and not disable_anti_csrf,
            use_dynamic_signing_key=self.config.use_dynamic_access_token_signing_key,
        )
        answer = protocol.created(await self.transport.send(request, user_context))
        return self._session(protocol.parts_from_answer(answer, answer.anti_csrf_token))

    async def get_session(
        self,
        access_token: Optional[str],
        anti_csrf_token: Optional[str],
        anti_csrf_check: Optional[bool],
        session_required: bool,
        check_database: bool,
        user_context: dict[str, Any],
    ) -> Optional[AsyncSession]:
        if access_token is not None and not isinstance(access_token, str):
            raise TypeError(
                f"access_token must be a str or None, not {type(access_token).__name__}"
            )
        if not access_token:
            if not session_required:
                return None
            raise UnauthorisedError("no access token was given", clear_tokens=False)
        check_anti_csrf = self._anti_csrf_by_token() and anti_csrf_check is not False
        kept = None if check_database else self.verified_tokens.get(access_token)
        if kept is not None:
            keys = (self.jwks.fresh() or await self.jwks.keys(user_context)).keys
            if not kept.usable(keys, self._clock(), self.config):
                self.verified_tokens.discard(access_token)  # expired, or its key is gone
                kept = None
        parsed: Optional[ParsedAccessToken] = None
        verified = kept
        if kept is None:
            verified = self._verify_usual(access_token)
        if verified is None:
            try:
                parsed = parse_access_token(access_token)
            except TokenParseError:
                if not session_required:
                    return None
                raise UnauthorisedError("Token parsing failed", clear_tokens=False) from None
            verified = await self._verify_locally(parsed, user_context)
        if verified is not None:
            info = verified.info
            if check_anti_csrf and not protocol.anti_csrf_matches(
                anti_csrf_token, info.anti_csrf_token
            ):
                raise TryRefreshTokenError("anti-csrf check failed")
            if not check_database and info.parent_refresh_token_hash1 is None:
                if verified is not kept:
                    self.verified_tokens.put(access_token, verified)
                return AsyncSession._from_verified(  # pyright: ignore[reportPrivateUsage]
                    self.implementation, verified, access_token, anti_csrf_token
                )
        # The core must answer: first use after a refresh (it promotes the refresh token and
        # issues a new access token), check_database, or a legacy token we cannot verify.
        request = protocol.verify_request(
            access_token,
            anti_csrf_token,
            do_anti_csrf_check=check_anti_csrf,
            enable_anti_csrf=self._anti_csrf_by_token(),
            check_database=check_database,
        )
        answer = protocol.verified(await self.transport.send(request, user_context))
        if verified is not None:
            expiry = verified.info.expiry_ms
        else:
            assert parsed is not None  # only a legacy token verifies as nothing
            expiry = claimed_expiry_ms(parsed)
        return self._session(
            protocol.parts_from_answer(answer, anti_csrf_token, (access_token, expiry))
        )

    def verifies_as_shipped(self) -> bool:
        """Whether ``get_session`` then ``assert_required_claims`` run only authclient's own
        code, with nothing to assert: no override on the way, no global claim validator."""
        return (
            type(self) is AsyncSessionRecipe
            and self.implementation is self
            and not self.config.global_claim_validators
            and _VERIFY_STEPS.isdisjoint(self.__dict__)
        )

    def cached_session(
        self, access_token: str, anti_csrf_token: Optional[str], anti_csrf_check: bool
    ) -> Optional[AsyncSession]:
        """What ``get_session`` then ``assert_required_claims`` give for a token verified here
        before, with no I/O: only when nothing on that path is overridden, no global claim
        validator is set and the keys are fresh. ``None``: take the full path (which also
        raises the errors).

        The web layer asks this first on every request: most of them carry a token it has
        seen. ``anti_csrf_check`` is ``get_session``'s (True: compare when VIA_TOKEN).
        """
        if not self.verifies_as_shipped():
            return None
        kept = self.verified_tokens.get(access_token)
        if kept is None:
            return None
        keys = self.jwks.fresh()
        if keys is None or not kept.usable(keys.keys, self._clock(), self.config):
            return None
        if (
            anti_csrf_check
            and self._anti_csrf_by_token()
            and not protocol.anti_csrf_matches(anti_csrf_token, kept.info.anti_csrf_token)
        ):
            return None
        return AsyncSession._from_verified(  # pyright: ignore[reportPrivateUsage]
            self, kept, access_token, anti_csrf_token
        )

    async def refresh_session(
        self,
        refresh_token: str,
        anti_csrf_token: Optional[str],
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> AsyncSession:
        if isinstance(refresh_token, str) and not refresh_token:
            # As get_session("") is: no token means no session, not bad input.
            raise UnauthorisedError("no refresh token was given")
        request = protocol.refresh_request(
            refresh_token,
            anti_csrf_token,
            enable_anti_csrf=self._anti_csrf_by_token() and not disable_anti_csrf,
            use_dynamic_signing_key=self.config.use_dynamic_access_token_signing_key,
        )
        answer = protocol.refreshed(await self.transport.send(request, user_context))
        return self._session(protocol.parts_from_answer(answer, answer.anti_csrf_token))

    async def revoke_session(self, session_handle: str, user_context: dict[str, Any]) -> bool:
        revoked = await self.implementation.revoke_multiple_sessions([session_handle], user_context)
        return len(revoked) == 1

    async def revoke_all_sessions_for_user(
        self,
        user_id: str,
        tenant_id: Optional[str],
        revoke_sessions_for_linked_accounts: bool,
        user_context: dict[str, Any],
    ) -> list[str]:
        request = protocol.revoke_all_request(
            user_id,
            tenant_id=tenant_id,
            revoke_sessions_for_linked_accounts=revoke_sessions_for_linked_accounts,
        )
        response = await self.transport.send(request, user_context)
        return protocol.handles(response, "sessionHandlesRevoked")

    async def get_all_session_handles_for_user(
        self,
        user_id: str,
        tenant_id: Optional[str],
        fetch_sessions_for_linked_accounts: bool,
        user_context: dict[str, Any],
    ) -> list[str]:
        request = protocol.handles_for_user_request(
            user_id,
            tenant_id=tenant_id,
            fetch_sessions_for_linked_accounts=fetch_sessions_for_linked_accounts,
        )
        return protocol.handles(await self.transport.send(request, user_context), "sessionHandles")

    async def revoke_multiple_sessions(
        self, session_handles: Sequence[str], user_context: dict[str, Any]
    ) -> list[str]:
        request = protocol.revoke_handles_request(session_handles)
        response = await self.transport.send(request, user_context)
        return protocol.handles(response, "sessionHandlesRevoked")

    async def get_session_information(
        self, session_handle: str, user_context: dict[str, Any]
    ) -> Optional[SessionInformation]:
        request = protocol.info_request(session_handle)
        return protocol.session_information(await self.transport.send(request, user_context))

    async def update_session_data_in_database(
        self, session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any]
    ) -> bool:
        request = protocol.update_data_request(session_handle, new_session_data)
        return protocol.ok_or_unauthorised(await self.transport.send(request, user_context))

    async def merge_into_access_token_payload(
        self,
        session_handle: str,
        access_token_payload_update: dict[str, Any],
        user_context: dict[str, Any],
    ) -> bool:
        """Merge into the payload stored in the core (used in the next access token)."""
        protocol.check_access_token_payload(
            access_token_payload_update, "access_token_payload_update"
        )
        info = await self.implementation.get_session_information(session_handle, user_context)
        if info is None:
            return False
        merged = protocol.merge_payload(
            info.custom_claims_in_access_token_payload, access_token_payload_update
        )
        request = protocol.update_access_token_payload_request(session_handle, merged)
        return protocol.ok_or_unauthorised(await self.transport.send(request, user_context))

    async def regenerate_access_token(
        self,
        access_token: str,
        new_access_token_payload: Optional[dict[str, Any]],
        user_context: dict[str, Any],
    ) -> Optional[RegenerateAccessTokenResult]:
        request = protocol.regenerate_request(access_token, new_access_token_payload)
        try:
            parse_access_token(access_token)
        except TokenParseError:
            # Not an access token at all: it names no session. (The core would say UNAUTHORISED,
            # or, the real one, answer HTTP 500.)
            return None
        return protocol.regenerated(await self.transport.send(request, user_context))

    async def get_jwks(self, user_context: dict[str, Any]) -> JWKS:
        return (await self.jwks.keys(user_context)).jwks_at(time.monotonic())

    # --- claims -------------------------------------------------------------------------------

    async def validate_claims(
        self,
        user_id: str,
        recipe_user_id: str,
        tenant_id: str,
        access_token_payload: dict[str, Any],
        claim_validators: Sequence[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> ClaimsValidationResult:
        """Refetch the claims the validators find missing or stale (once each), then validate.

        Nothing is written: ``access_token_payload_update`` is the payload with the refetched
        values (``None`` when nothing was refetched), for the caller to store.
        """
        return await _claims.validate_claims(
            user_id, recipe_user_id, tenant_id, access_token_payload, claim_validators, user_context
        )

    async def get_global_claim_validators(
        self, tenant_id: str, user_id: str, recipe_user_id: str, user_context: dict[str, Any]
    ) -> list[SessionClaimValidator]:
        """The validators every session is checked with: ``SessionConfig.global_claim_validators``."""
        return list(self.config.global_claim_validators)

    async def assert_required_claims(
        self,
        session: AsyncSession,
        override_global_claim_validators: Optional[OverrideGlobalClaimValidators],
        user_context: dict[str, Any],
    ) -> None:
        """Assert the global validators (or what the override makes of them) on ``session``.

        ``get_session`` and every ``verify_session`` call this; it raises ``InvalidClaimError``.
        """
        validators = await self.implementation.get_global_claim_validators(
            session.tenant_id, session.user_id, session.recipe_user_id, user_context
        )
        if override_global_claim_validators is not None:
            validators = await _claims.overridden(
                override_global_claim_validators, validators, session, user_context
            )
        if not validators and _asserts_as_shipped(session):
            return  # with no validator, the shipped assert_claims / validate_claims do nothing
        await session.assert_claims(validators, user_context)

    async def fetch_and_set_claim(
        self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]
    ) -> bool:
        info = await self.implementation.get_session_information(session_handle, user_context)
        if info is None:
            return False
        value = await _claims.fetch_claim_value(
            claim,
            info.user_id,
            info.recipe_user_id,
            info.tenant_id,
            info.custom_claims_in_access_token_payload,
            user_context,
        )
        update = claim.build(value, user_context)
        if not update:
            return True
        return await self.implementation.merge_into_access_token_payload(
            session_handle, update, user_context
        )

    async def set_claim_value(
        self, session_handle: str, claim: SessionClaim[T], value: T, user_context: dict[str, Any]
    ) -> bool:
        update = claim.add_to_payload({}, value, user_context)
        return await self.implementation.merge_into_access_token_payload(
            session_handle, update, user_context
        )

    async def get_claim_value(
        self, session_handle: str, claim: SessionClaim[T], user_context: dict[str, Any]
    ) -> Optional[ClaimValueResult[T]]:
        info = await self.implementation.get_session_information(session_handle, user_context)
        if info is None:
            return None
        payload = info.custom_claims_in_access_token_payload
        return ClaimValueResult(claim.get_value_from_payload(payload, user_context))

    async def remove_claim(
        self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]
    ) -> bool:
        update = claim.remove_from_payload_by_merge({}, user_context)
        return await self.implementation.merge_into_access_token_payload(
            session_handle, update, user_context
        )

    async def validate_claims_for_session_handle(
        self,
        session_handle: str,
        override_global_claim_validators: Optional[OverrideGlobalClaimValidatorsForHandle],
        user_context: dict[str, Any],
    ) -> Optional[ClaimsValidationResult]:
        implementation = self.implementation
        info = await implementation.get_session_information(session_handle, user_context)
        if info is None:
            return None
        validators = await implementation.get_global_claim_validators(
            info.tenant_id, info.user_id, info.recipe_user_id, user_context
        )
        validators = await _claims.overridden(
            override_global_claim_validators, validators, info, user_context
        )
        payload = info.custom_claims_in_access_token_payload
        result = await implementation.validate_claims(
            info.user_id, info.recipe_user_id, info.tenant_id, payload, validators, user_context
        )
        if result.access_token_payload_update is not None:
            update = _claims.payload_changes(payload, result.access_token_payload_update)
            merged = await implementation.merge_into_access_token_payload(
                session_handle, update, user_context
            )
            if not merged:
                return None
        return result

    # --- helpers --------------------------------------------------------------------------------

    def _anti_csrf_by_token(self) -> bool:
        return self.config.anti_csrf == "VIA_TOKEN"

    def _verify_usual(self, access_token: str) -> Optional[VerifiedToken]:
        """The usual token verified in one pass, with no I/O (``verify_usual_token``);
        ``None``: not the usual token, or no fresh keys (``_verify_locally`` then)."""
        keys = self.jwks.fresh()
        if keys is None:
            return None
        config = self.config
        try:
            verified = verify_usual_token(
                access_token,
                keys.keys,
                now=self._clock(),
                leeway=config.clock_skew_leeway,
                expiry_leeway=config.expiry_leeway,
            )
        except TokenVerifyError as exc:  # a bad signature: the usual token is v5
            raise TryRefreshTokenError(str(exc)) from None
        if verified is not None and protocol.dynamic_key_mismatch(
            verified.info.kid, config.use_dynamic_access_token_signing_key
        ):
            raise TryRefreshTokenError("the token's signing key kind does not match the config")
        return verified

    async def _verify_locally(
        self, parsed: ParsedAccessToken, user_context: dict[str, Any]
    ) -> Optional[VerifiedToken]:
        """What verifying the token here gave; ``None`` for a legacy token the core must judge."""
        now, config = self._clock(), self.config
        leeway, expiry_leeway = config.clock_skew_leeway, config.expiry_leeway
        try:
            keys = (self.jwks.fresh() or await self.jwks.keys(user_context)).keys
            try:
                info = verify_access_token(
                    parsed, keys, now=now, leeway=leeway, expiry_leeway=expiry_leeway
                )
            except UnknownKidError as unknown:
                keys = (await self.jwks.keys_with(unknown.kid, user_context)).keys
                info = verify_access_token(
                    parsed, keys, now=now, leeway=leeway, expiry_leeway=expiry_leeway
                )
        except TokenVerifyError as exc:
            if parsed.version >= 3:
                raise TryRefreshTokenError(str(exc)) from None
            return None
        if protocol.dynamic_key_mismatch(parsed.kid, config.use_dynamic_access_token_signing_key):
            raise TryRefreshTokenError("the token's signing key kind does not match the config")
        return VerifiedToken.of(parsed, info, keys)

    def _session(self, parts: protocol.SessionParts) -> AsyncSession:
        return AsyncSession(self.implementation, **attrs.asdict(parts, recurse=False))


# What get_session runs, and a user may replace on the recipe object itself.
_VERIFY_STEPS = frozenset(
    {"get_session", "assert_required_claims", "get_global_claim_validators", "validate_claims"}
)


def _asserts_as_shipped(session: AsyncSession) -> bool:
    """Whether asserting claims on ``session`` runs only authclient's own code: no subclass of
    the session, and the recipe's ``validate_claims`` neither overridden nor replaced."""
    recipe = session.recipe
    return (
        type(session) is AsyncSession
        and getattr(type(recipe), "validate_claims", None) is AsyncSessionRecipe.validate_claims
        and "validate_claims" not in getattr(recipe, "__dict__", ())
    )
