# Generated from authclient/asyncio/_client.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""``Client``: one configured connection to the core, with every recipe on it."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Callable, Literal, Optional, TypeVar, overload

import httpx

from authclient._protocol.config import DEFAULT_MAX_RESPONSE_SIZE, ClientConfig, TimeoutTypes
from authclient._protocol.wire import call_context
from authclient.claims import SessionClaim
from authclient.errors import UnauthorisedError
from authclient.syncio._transport import RequestHook, Transport
from authclient.syncio.session import (
    OverrideGlobalClaimValidators,
    OverrideGlobalClaimValidatorsForHandle,
    SessionRecipe,
)
from authclient.syncio.session_object import Session
from authclient.syncio.usermetadata import UserMetadataRecipe
from authclient.types import (
    JWKS,
    ClaimsValidationResult,
    ClaimValueResult,
    ClearUserMetadataResult,
    CreateJwtResult,
    MetadataResult,
    OpenIdDiscoveryConfiguration,
    Overrides,
    RegenerateAccessTokenResult,
    SessionConfig,
    SessionInformation,
)

R = TypeVar("R")
T = TypeVar("T")


def _apply(override: Optional[Callable[[R], R]], original: R, name: str) -> R:
    if override is None:
        return original
    implementation: Optional[R] = override(original)
    if implementation is None:
        raise TypeError(f"the {name} override returned None: return the implementation to use")
    return implementation


class Client:
    """A client for the core. Cheap to construct (no I/O); share one per application.

    Use it as ``with Client(...) as client:`` or call ``client.close()``.
    """

    def __init__(
        self,
        connection_uri: str = "http://localhost:3567",
        *,
        api_key: Optional[str] = None,
        timeout: TimeoutTypes = 10.0,
        max_retries: int = 2,
        cdi_version: Optional[str] = None,
        http_client: Optional[httpx.Client] = None,
        overrides: Optional[Overrides[UserMetadataRecipe, SessionRecipe]] = None,
        session: Optional[SessionConfig] = None,
        on_request: Optional[RequestHook] = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        self._config = ClientConfig.build(
            connection_uri,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            cdi_version=cdi_version,
            max_response_size=max_response_size,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            expected = f"{httpx.Client.__module__}.{httpx.Client.__qualname__}"
            raise TypeError(f"http_client must be an {expected}")
        if overrides is not None and not isinstance(overrides, Overrides):
            raise TypeError("overrides must be an authclient.Overrides")
        if session is not None and not isinstance(session, SessionConfig):
            raise TypeError("session must be an authclient.SessionConfig")
        overrides = overrides or Overrides()
        self._transport = Transport(self._config, http_client, on_request)
        self.usermetadata_recipe: UserMetadataRecipe = _apply(
            overrides.usermetadata, UserMetadataRecipe(self._transport), "usermetadata"
        )
        original = SessionRecipe(self._transport, session or SessionConfig())
        self.session_recipe: SessionRecipe = _apply(overrides.session, original, "session")
        # Session objects call back through whatever the override returned.
        original.implementation = self.session_recipe.implementation = self.session_recipe

    def __repr__(self) -> str:
        key = ", api_key='***'" if self._config.api_key else ""
        return f"{type(self).__name__}({self._config.connection_uri!r}{key})"

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections this client opened (an ``http_client`` you passed stays open)."""
        self._transport.close()

    def prefetch(self, user_context: Optional[dict[str, Any]] = None) -> None:
        """Fetch the core's signing keys now, so the first ``get_session`` does not wait."""
        self.session_recipe.jwks.keys(call_context(user_context))

    # --- user metadata ---------------------------------------------------------------------------

    def get_user_metadata(
        self, user_id: str, user_context: Optional[dict[str, Any]] = None
    ) -> MetadataResult:
        """The user's metadata (``{}`` when none is stored)."""
        return self.usermetadata_recipe.get_user_metadata(user_id, call_context(user_context))

    def update_user_metadata(
        self,
        user_id: str,
        metadata_update: dict[str, Any],
        user_context: Optional[dict[str, Any]] = None,
    ) -> MetadataResult:
        """Merge ``metadata_update`` into the stored metadata and return the result.

        The merge is shallow: top-level keys replace, a top-level ``None`` deletes the key.
        """
        return self.usermetadata_recipe.update_user_metadata(
            user_id, metadata_update, call_context(user_context)
        )

    def clear_user_metadata(
        self, user_id: str, user_context: Optional[dict[str, Any]] = None
    ) -> ClearUserMetadataResult:
        """Delete all of the user's metadata."""
        return self.usermetadata_recipe.clear_user_metadata(user_id, call_context(user_context))

    # --- sessions ------------------------------------------------------------------------------

    def create_new_session(
        self,
        user_id: str,
        access_token_payload: Optional[dict[str, Any]] = None,
        session_data_in_database: Optional[dict[str, Any]] = None,
        *,
        tenant_id: str = "public",
        disable_anti_csrf: bool = False,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Session:
        """Start a session for ``user_id``; its ``tokens`` are what the front end gets."""
        return self.session_recipe.create_new_session(
            user_id,
            {} if access_token_payload is None else access_token_payload,
            {} if session_data_in_database is None else session_data_in_database,
            tenant_id,
            disable_anti_csrf,
            call_context(user_context),
        )

    @overload
    def get_session(
        self,
        access_token: Optional[str],
        anti_csrf_token: Optional[str] = None,
        *,
        anti_csrf_check: Optional[bool] = None,
        session_required: Literal[True] = True,
        check_database: bool = False,
        override_global_claim_validators: Optional[OverrideGlobalClaimValidators] = None,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Session: ...

    @overload
    def get_session(
        self,
        access_token: Optional[str],
        anti_csrf_token: Optional[str] = None,
        *,
        anti_csrf_check: Optional[bool] = None,
        session_required: bool,
        check_database: bool = False,
        override_global_claim_validators: Optional[OverrideGlobalClaimValidators] = None,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Optional[Session]: ...

    def get_session(
        self,
        access_token: Optional[str],
        anti_csrf_token: Optional[str] = None,
        *,
        anti_csrf_check: Optional[bool] = None,
        session_required: bool = True,
        check_database: bool = False,
        override_global_claim_validators: Optional[OverrideGlobalClaimValidators] = None,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Optional[Session]:
        """Verify an access token, locally when possible (RS256 against the cached JWKS).

        Raises ``TryRefreshTokenError`` (refresh and retry) or ``UnauthorisedError``; returns
        ``None`` only when no token was given and ``session_required`` is false. When the core
        issues a replacement access token, ``session.tokens.access_token_updated`` is true.
        The session's claims are then asserted: ``SessionConfig.global_claim_validators``, or
        what ``override_global_claim_validators(validators, session, user_context)`` returns
        (``InvalidClaimError``; a refetched claim also gives a new access token).
        """
        context = call_context(user_context)
        recipe = self.session_recipe
        session = recipe.get_session(
            access_token,
            anti_csrf_token,
            anti_csrf_check,
            session_required,
            check_database,
            context,
        )
        if session is None:
            if session_required:
                raise UnauthorisedError(
                    "the session recipe returned no session", clear_tokens=False
                )
            return None
        if override_global_claim_validators is None and recipe.verifies_as_shipped():
            return session  # nothing to assert
        recipe.assert_required_claims(session, override_global_claim_validators, context)
        return session

    def refresh_session(
        self,
        refresh_token: str,
        anti_csrf_token: Optional[str] = None,
        *,
        disable_anti_csrf: bool = False,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Session:
        """New tokens for a refresh token. A reused old refresh token raises ``TokenTheftError``."""
        return self.session_recipe.refresh_session(
            refresh_token, anti_csrf_token, disable_anti_csrf, call_context(user_context)
        )

    def revoke_session(
        self, session_handle: str, *, user_context: Optional[dict[str, Any]] = None
    ) -> bool:
        """End one session; ``True`` if it existed."""
        return self.session_recipe.revoke_session(session_handle, call_context(user_context))

    def revoke_all_sessions_for_user(
        self,
        user_id: str,
        *,
        tenant_id: Optional[str] = None,
        revoke_sessions_for_linked_accounts: bool = True,
        user_context: Optional[dict[str, Any]] = None,
    ) -> list[str]:
        """End the user's sessions (in every tenant when ``tenant_id`` is None); the handles."""
        return self.session_recipe.revoke_all_sessions_for_user(
            user_id, tenant_id, revoke_sessions_for_linked_accounts, call_context(user_context)
        )

    def get_all_session_handles_for_user(
        self,
        user_id: str,
        *,
        tenant_id: Optional[str] = None,
        fetch_sessions_for_linked_accounts: bool = True,
        user_context: Optional[dict[str, Any]] = None,
    ) -> list[str]:
        """The handles of the user's live sessions (every tenant when ``tenant_id`` is None)."""
        return self.session_recipe.get_all_session_handles_for_user(
            user_id, tenant_id, fetch_sessions_for_linked_accounts, call_context(user_context)
        )

    def revoke_multiple_sessions(
        self, session_handles: Sequence[str], *, user_context: Optional[dict[str, Any]] = None
    ) -> list[str]:
        """End these sessions; the handles that existed."""
        return self.session_recipe.revoke_multiple_sessions(
            session_handles, call_context(user_context)
        )

    def get_session_information(
        self, session_handle: str, *, user_context: Optional[dict[str, Any]] = None
    ) -> Optional[SessionInformation]:
        """What the core stores about a session, or ``None`` if it does not exist."""
        return self.session_recipe.get_session_information(
            session_handle, call_context(user_context)
        )

    def update_session_data_in_database(
        self,
        session_handle: str,
        new_session_data: dict[str, Any],
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> bool:
        """Replace a session's database data; ``False`` if the session does not exist."""
        return self.session_recipe.update_session_data_in_database(
            session_handle, new_session_data, call_context(user_context)
        )

    def merge_into_access_token_payload(
        self,
        session_handle: str,
        access_token_payload_update: dict[str, Any],
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> bool:
        """Merge into the payload the next access token carries (``None`` deletes a key)."""
        return self.session_recipe.merge_into_access_token_payload(
            session_handle, access_token_payload_update, call_context(user_context)
        )

    def regenerate_access_token(
        self,
        access_token: str,
        new_access_token_payload: Optional[dict[str, Any]] = None,
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Optional[RegenerateAccessTokenResult]:
        """A new access token with a new payload (same expiry); ``None`` if the session is gone."""
        return self.session_recipe.regenerate_access_token(
            access_token, new_access_token_payload, call_context(user_context)
        )

    def get_jwks(self, *, user_context: Optional[dict[str, Any]] = None) -> JWKS:
        """The core's public signing keys (from the cache while fresh); ``max_age`` is the
        seconds they stay fresh from now."""
        return self.session_recipe.get_jwks(call_context(user_context))

    # --- JWTs for other services ---------------------------------------------------------------

    def create_jwt(
        self,
        payload: dict[str, Any],
        validity_seconds: Optional[int] = None,
        use_static_signing_key: Optional[bool] = None,
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> CreateJwtResult:
        """A JWT for another service, signed by the core; it verifies with ``get_jwks()``.

        Its ``iss`` is ``SessionConfig.api_domain + api_base_path`` unless ``payload`` names
        one (``ConfigurationError`` without ``api_domain``); ``exp`` and ``iat`` come from
        ``validity_seconds`` (default 100 years). Signed with the static key unless
        ``use_static_signing_key`` is ``False``.
        """
        return self.session_recipe.create_jwt(
            payload, validity_seconds, use_static_signing_key, call_context(user_context)
        )

    def get_open_id_discovery_configuration(
        self, *, user_context: Optional[dict[str, Any]] = None
    ) -> OpenIdDiscoveryConfiguration:
        """The OpenID discovery document naming the issuer of ``create_jwt`` and its ``jwks_uri``."""
        return self.session_recipe.get_open_id_discovery_configuration(call_context(user_context))

    # --- session claims, by session handle -----------------------------------------------------

    def fetch_and_set_claim(
        self,
        session_handle: str,
        claim: SessionClaim[Any],
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> bool:
        """Fetch the claim's value and store it for the session's next access token.

        ``False`` if the session does not exist.
        """
        return self.session_recipe.fetch_and_set_claim(
            session_handle, claim, call_context(user_context)
        )

    def set_claim_value(
        self,
        session_handle: str,
        claim: SessionClaim[T],
        value: T,
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> bool:
        """Store ``value`` as the claim's value; ``False`` if the session does not exist."""
        return self.session_recipe.set_claim_value(
            session_handle, claim, value, call_context(user_context)
        )

    def get_claim_value(
        self,
        session_handle: str,
        claim: SessionClaim[T],
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Optional[ClaimValueResult[T]]:
        """The claim's stored value (``result.value``), or ``None`` if the session does not exist."""
        return self.session_recipe.get_claim_value(
            session_handle, claim, call_context(user_context)
        )

    def remove_claim(
        self,
        session_handle: str,
        claim: SessionClaim[Any],
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> bool:
        """Remove the claim from the stored payload; ``False`` if the session does not exist."""
        return self.session_recipe.remove_claim(session_handle, claim, call_context(user_context))

    def validate_claims_for_session_handle(
        self,
        session_handle: str,
        override_global_claim_validators: Optional[OverrideGlobalClaimValidatorsForHandle] = None,
        *,
        user_context: Optional[dict[str, Any]] = None,
    ) -> Optional[ClaimsValidationResult]:
        """Check a stored session against the global validators; ``None`` if it does not exist.

        Stale claims are refetched and stored first. ``override_global_claim_validators(
        validators, session_information, user_context)`` may change the validators.
        """
        return self.session_recipe.validate_claims_for_session_handle(
            session_handle, override_global_claim_validators, call_context(user_context)
        )
