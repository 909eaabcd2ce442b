# Generated from authclient/asyncio/__init__.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The sync flavor of authclient (scripts, threads, WSGI apps, gevent): ``get_user_metadata(...)``.

This package is generated from ``authclient.asyncio`` by tools/unasync.py: never edit it.
"""

from typing import TYPE_CHECKING

from authclient.syncio._client import Client
from authclient.syncio._default import init, reset
from authclient.syncio._functions import (
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
from authclient.syncio._transport import Transport
from authclient.syncio.session import SessionRecipe
from authclient.syncio.session_object import EmptySession, Session
from authclient.syncio.usermetadata import UserMetadataRecipe
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
    from authclient.syncio.web import WebApi, WebSessions

__all__ = [
    "JWKS",
    "ClaimValueResult",
    "ClaimsValidationResult",
    "ClearUserMetadataResult",
    "Client",
    "CreateJwtResult",
    "EmptySession",
    "JsonWebKey",
    "MetadataResult",
    "OpenIdDiscoveryConfiguration",
    "Overrides",
    "RegenerateAccessTokenResult",
    "RequestInfo",
    "Session",
    "SessionConfig",
    "SessionInformation",
    "SessionRecipe",
    "SessionTokens",
    "Transport",
    "UserMetadataRecipe",
    "WebApi",
    "WebSessions",
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
        from authclient.syncio import web

        return getattr(web, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
