"""authclient: a fast, typed client for SuperTokens-style auth cores, async and sync."""

from authclient.errors import (
    AuthClientError,
    ClientClosedError,
    CoreResponseError,
    CoreTimeoutError,
    CoreUnavailableError,
    IncompatibleCoreError,
    ResponseTooLargeError,
    SessionError,
    TokenTheftError,
    TryRefreshTokenError,
    UnauthorisedError,
)
from authclient.types import (
    JWKS,
    ClearUserMetadataResult,
    JsonWebKey,
    MetadataResult,
    Overrides,
    RegenerateAccessTokenResult,
    RequestInfo,
    SessionConfig,
    SessionInformation,
    SessionTokens,
)

__version__ = "0.1.0"

__all__ = [
    "JWKS",
    "AuthClientError",
    "ClearUserMetadataResult",
    "ClientClosedError",
    "CoreResponseError",
    "CoreTimeoutError",
    "CoreUnavailableError",
    "IncompatibleCoreError",
    "JsonWebKey",
    "MetadataResult",
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
