"""The async flavor of authclient (asyncio, uvloop and trio): ``await get_user_metadata(...)``.

This package is the hand-written source; ``authclient.syncio`` is generated from it.
"""

from typing import TYPE_CHECKING

from authclient.asyncio._client import AsyncClient
from authclient.asyncio._default import init, reset
from authclient.asyncio._functions import (
    clear_user_metadata,
    create_jwt,
    create_new_session,
    fetch_and_set_claim,
    get_all_session_handles_for_user,
    get_claim_value,
    get_jwks,
    get_open_id_discovery_configuration,
    get_session,
    get_session_information,
    get_user_metadata,
    merge_into_access_token_payload,
    refresh_session,
    regenerate_access_token,
    remove_claim,
    revoke_all_sessions_for_user,
    revoke_multiple_sessions,
    revoke_session,
    set_claim_value,
    update_session_data_in_database,
    update_user_metadata,
    validate_claims_for_session_handle,
)
from authclient.asyncio._transport import AsyncTransport
from authclient.asyncio.session import AsyncSessionRecipe
from authclient.asyncio.session_object import AsyncEmptySession, AsyncSession
from authclient.asyncio.usermetadata import AsyncUserMetadataRecipe
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

if TYPE_CHECKING:
    from authclient.asyncio.web import AsyncWebApi, AsyncWebSessions

__all__ = [
    "JWKS",
    "AsyncClient",
    "AsyncEmptySession",
    "AsyncSession",
    "AsyncSessionRecipe",
    "AsyncTransport",
    "AsyncUserMetadataRecipe",
    "AsyncWebApi",
    "AsyncWebSessions",
    "ClaimValueResult",
    "ClaimsValidationResult",
    "ClearUserMetadataResult",
    "CreateJwtResult",
    "JsonWebKey",
    "MetadataResult",
    "OpenIdDiscoveryConfiguration",
    "Overrides",
    "RegenerateAccessTokenResult",
    "RequestInfo",
    "SessionConfig",
    "SessionInformation",
    "SessionTokens",
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


def __getattr__(name: str) -> object:
    # The web layer (the FDI rules, cookies, headers) is imported when first asked for: a
    # process that never serves web requests does not pay for it. Every other public name is
    # imported above, so a public name that gets here is one of the web layer's.
    if name in __all__:
        from authclient.asyncio import web

        return getattr(web, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
