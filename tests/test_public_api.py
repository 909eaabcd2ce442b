"""The public surface, pinned: every exported name of authclient and its two flavors.

A name added or removed here is a change of the public API: do it on purpose.
"""

from __future__ import annotations

import re
import types

import pytest

import authclient
import authclient.asyncio
import authclient.claims
import authclient.errors
import authclient.syncio
import authclient.types

SHARED_TYPES = [
    "ClaimValueResult",
    "ClaimsValidationResult",
    "ClearUserMetadataResult",
    "CreateJwtResult",
    "JWKS",
    "JsonWebKey",
    "MetadataResult",
    "OpenIdDiscoveryConfiguration",
    "Overrides",
    "RegenerateAccessTokenResult",
    "RequestInfo",
    "SessionConfig",
    "SessionInformation",
    "SessionTokens",
]

FUNCTIONS = [
    "clear_user_metadata",
    "create_jwt",
    "create_new_session",
    "fetch_and_set_claim",
    "get_all_session_handles_for_user",
    "get_claim_value",
    "get_jwks",
    "get_open_id_discovery_configuration",
    "get_session",
    "get_session_information",
    "get_user_metadata",
    "init",
    "merge_into_access_token_payload",
    "refresh_session",
    "regenerate_access_token",
    "remove_claim",
    "reset",
    "revoke_all_sessions_for_user",
    "revoke_multiple_sessions",
    "revoke_session",
    "set_claim_value",
    "update_session_data_in_database",
    "update_user_metadata",
    "validate_claims_for_session_handle",
]

ASYNC_CLASSES = [
    "AsyncClient",
    "AsyncEmptySession",
    "AsyncSession",
    "AsyncSessionRecipe",
    "AsyncTransport",
    "AsyncUserMetadataRecipe",
    "AsyncWebApi",
    "AsyncWebSessions",
]

ERRORS = [
    "AuthClientError",
    "ClaimValidationError",
    "ClientClosedError",
    "ConfigurationError",
    "CoreResponseError",
    "CoreTimeoutError",
    "CoreUnavailableError",
    "IncompatibleCoreError",
    "InvalidClaimError",
    "ResponseTooLargeError",
    "SessionError",
    "TokenTheftError",
    "TryRefreshTokenError",
    "UnauthorisedError",
]

CLAIMS = [
    "BooleanClaim",
    "BooleanClaimValidators",
    "ClaimValidationError",
    "ClaimValidationResult",
    "FetchValue",
    "JSONPrimitive",
    "MaybeAwaitable",
    "PrimitiveArrayClaim",
    "PrimitiveArrayClaimValidators",
    "PrimitiveClaim",
    "PrimitiveClaimValidators",
    "SessionClaim",
    "SessionClaimValidator",
    "invalid_claim_body",
]

EXPECTED = {
    authclient: sorted([*ERRORS, *SHARED_TYPES, "__version__"]),
    authclient.asyncio: sorted([*ASYNC_CLASSES, *SHARED_TYPES, *FUNCTIONS]),
    authclient.syncio: sorted(
        [*(re.sub(r"^Async", "", name) for name in ASYNC_CLASSES), *SHARED_TYPES, *FUNCTIONS]
    ),
    authclient.errors: sorted(ERRORS),
    authclient.claims: sorted(CLAIMS),
    authclient.types: sorted([*SHARED_TYPES, "AntiCsrfMode"]),
}


@pytest.mark.parametrize("module", list(EXPECTED), ids=lambda m: m.__name__)
def test_all_is_pinned(module: types.ModuleType) -> None:
    """``__all__`` lists exactly the names this file pins."""
    assert sorted(module.__all__) == EXPECTED[module]


@pytest.mark.parametrize("module", list(EXPECTED), ids=lambda m: m.__name__)
def test_every_public_name_is_in_all(module: types.ModuleType) -> None:
    """No public name (not starting with ``_``, not a submodule) is left out of ``__all__``."""
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", module.__name__).startswith("authclient")
        and name not in {"annotations", "TYPE_CHECKING"}
    }
    assert public <= set(module.__all__)


def test_both_flavors_export_the_same_names() -> None:
    """The sync flavor exports each async name with ``Async`` dropped, and nothing else."""
    renamed = {re.sub(r"^Async", "", name) for name in authclient.asyncio.__all__}
    assert renamed == set(authclient.syncio.__all__)


def test_shared_types_are_the_same_objects_in_both_flavors() -> None:
    """Result types and config come from authclient.types: isinstance works across flavors."""
    for name in SHARED_TYPES:
        assert getattr(authclient.asyncio, name) is getattr(authclient.syncio, name)
        assert getattr(authclient.asyncio, name) is getattr(authclient.types, name)


def test_claim_validation_error_is_one_class_everywhere() -> None:
    """The value InvalidClaimError carries is the same class in authclient, .errors and .claims."""
    assert authclient.ClaimValidationError is authclient.errors.ClaimValidationError
    assert authclient.claims.ClaimValidationError is authclient.errors.ClaimValidationError
