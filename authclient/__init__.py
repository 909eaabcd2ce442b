"""authclient: a fast, typed client for SuperTokens-style auth cores, async and sync."""

from authclient.errors import (
    AuthClientError,
    ClientClosedError,
    CoreResponseError,
    CoreTimeoutError,
    CoreUnavailableError,
    IncompatibleCoreError,
    SessionError,
    TokenTheftError,
    TryRefreshTokenError,
    UnauthorisedError,
)
from authclient.types import ClearUserMetadataResult, MetadataResult, Overrides, RequestInfo

__version__ = "0.1.0"

__all__ = [
    "AuthClientError",
    "ClearUserMetadataResult",
    "ClientClosedError",
    "CoreResponseError",
    "CoreTimeoutError",
    "CoreUnavailableError",
    "IncompatibleCoreError",
    "MetadataResult",
    "Overrides",
    "RequestInfo",
    "SessionError",
    "TokenTheftError",
    "TryRefreshTokenError",
    "UnauthorisedError",
    "__version__",
]
