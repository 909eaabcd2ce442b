"""authclient: a fast, typed client for SuperTokens-style auth cores, async and sync."""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from authclient.errors import (
        AuthClientError,
        ClaimValidationError,
        ClientClosedError,
        ConfigurationError,
        CoreResponseError,
        CoreTimeoutError,
        CoreUnavailableError,
        IncompatibleCoreError,
        InvalidClaimError,
        ResponseTooLargeError,
        SessionError,
        TokenTheftError,
        TryRefreshTokenError,
        UnauthorisedError,
    )
    from authclient.types import (
        JWKS,
        ClaimsValidationResult,
        ClaimValueResult,
        ClearUserMetadataResult,
        CreateJwtResult,
        JsonWebKey,
        MetadataResult,
        OpenIdDiscoveryConfiguration,
        Overrides,
        RegenerateAccessTokenResult,
        RequestInfo,
        SessionConfig,
        SessionInformation,
        SessionTokens,
    )

# Loaded on first use (PEP 562): importing the package, or a module of it (the pytest plugin
# authclient.testing, which pytest loads in every project where authclient is installed),
# costs next to nothing until a name is used.
_LAZY: dict[str, str] = {
    "AuthClientError": "authclient.errors",
    "ClaimValidationError": "authclient.errors",
    "ClientClosedError": "authclient.errors",
    "ConfigurationError": "authclient.errors",
    "CoreResponseError": "authclient.errors",
    "CoreTimeoutError": "authclient.errors",
    "CoreUnavailableError": "authclient.errors",
    "IncompatibleCoreError": "authclient.errors",
    "InvalidClaimError": "authclient.errors",
    "ResponseTooLargeError": "authclient.errors",
    "SessionError": "authclient.errors",
    "TokenTheftError": "authclient.errors",
    "TryRefreshTokenError": "authclient.errors",
    "UnauthorisedError": "authclient.errors",
    "JWKS": "authclient.types",
    "ClaimsValidationResult": "authclient.types",
    "ClaimValueResult": "authclient.types",
    "ClearUserMetadataResult": "authclient.types",
    "CreateJwtResult": "authclient.types",
    "JsonWebKey": "authclient.types",
    "MetadataResult": "authclient.types",
    "OpenIdDiscoveryConfiguration": "authclient.types",
    "Overrides": "authclient.types",
    "RegenerateAccessTokenResult": "authclient.types",
    "RequestInfo": "authclient.types",
    "SessionConfig": "authclient.types",
    "SessionInformation": "authclient.types",
    "SessionTokens": "authclient.types",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'authclient' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "JWKS",
    "AuthClientError",
    "ClaimValidationError",
    "ClaimValueResult",
    "ClaimsValidationResult",
    "ClearUserMetadataResult",
    "ClientClosedError",
    "ConfigurationError",
    "CoreResponseError",
    "CoreTimeoutError",
    "CoreUnavailableError",
    "CreateJwtResult",
    "IncompatibleCoreError",
    "InvalidClaimError",
    "JsonWebKey",
    "MetadataResult",
    "OpenIdDiscoveryConfiguration",
    "Overrides",
    "RegenerateAccessTokenResult",
    "RequestInfo",
    "ResponseTooLargeError",
    "SessionConfig",
    "SessionError",
    "SessionInformation",
    "SessionTokens",
    "TokenTheftError",
    "TryRefreshTokenError",
    "UnauthorisedError",
    "__version__",
]
