# Generated from authclient/asyncio/_functions.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The module-level functions: each is the ``Client`` method of that name, on the default client.

``get_user_metadata("alice")`` is ``(default client).get_user_metadata("alice")``:
same parameters, same result, same docstring. They are written out (not generated from the
methods) so that type checkers see real coroutine functions, overloads and generics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Literal, Optional, TypeVar, overload

from authclient.claims import SessionClaim
from authclient.syncio._client import Client
from authclient.syncio._default import default_client
from authclient.syncio.session import (
    OverrideGlobalClaimValidators,
    OverrideGlobalClaimValidatorsForHandle,
)
from authclient.syncio.session_object import Session
from authclient.types import (
    JWKS,
    ClaimsValidationResult,
    ClaimValueResult,
    ClearUserMetadataResult,
    CreateJwtResult,
    MetadataResult,
    OpenIdDiscoveryConfiguration,
    RegenerateAccessTokenResult,
    SessionInformation,
)

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def _same_doc(method: Callable[..., Any]) -> Callable[[F], F]:
    """Give the function the docstring of the client method it calls."""

    def document(function: F) -> F:
        function.__doc__ = method.__doc__
        return function

    return document


@_same_doc(Client.get_user_metadata)
def get_user_metadata(
    user_id: str, user_context: Optional[dict[str, Any]] = None
) -> MetadataResult:
    client = default_client()
    return client.get_user_metadata(user_id, user_context)


@_same_doc(Client.update_user_metadata)
def update_user_metadata(
    user_id: str,
    metadata_update: dict[str, Any],
    user_context: Optional[dict[str, Any]] = None,
) -> MetadataResult:
    client = default_client()
    return client.update_user_metadata(user_id, metadata_update, user_context)


@_same_doc(Client.clear_user_metadata)
def clear_user_metadata(
    user_id: str, user_context: Optional[dict[str, Any]] = None
) -> ClearUserMetadataResult:
    client = default_client()
    return client.clear_user_metadata(user_id, user_context)


@_same_doc(Client.create_new_session)
def create_new_session(
    user_id: str,
    access_token_payload: Optional[dict[str, Any]] = None,
    session_data_in_database: Optional[dict[str, Any]] = None,
    *,
    tenant_id: str = "public",
    disable_anti_csrf: bool = False,
    user_context: Optional[dict[str, Any]] = None,
) -> Session:
    client = default_client()
    return client.create_new_session(
        user_id,
        access_token_payload,
        session_data_in_database,
        tenant_id=tenant_id,
        disable_anti_csrf=disable_anti_csrf,
        user_context=user_context,
    )


@overload
def get_session(
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
    access_token: Optional[str],
    anti_csrf_token: Optional[str] = None,
    *,
    anti_csrf_check: Optional[bool] = None,
    session_required: bool,
    check_database: bool = False,
    override_global_claim_validators: Optional[OverrideGlobalClaimValidators] = None,
    user_context: Optional[dict[str, Any]] = None,
) -> Optional[Session]: ...


@_same_doc(Client.get_session)
def get_session(
    access_token: Optional[str],
    anti_csrf_token: Optional[str] = None,
    *,
    anti_csrf_check: Optional[bool] = None,
    session_required: bool = True,
    check_database: bool = False,
    override_global_claim_validators: Optional[OverrideGlobalClaimValidators] = None,
    user_context: Optional[dict[str, Any]] = None,
) -> Optional[Session]:
    client = default_client()
    return client.get_session(
        access_token,
        anti_csrf_token,
        anti_csrf_check=anti_csrf_check,
        session_required=session_required,
        check_database=check_database,
        override_global_claim_validators=override_global_claim_validators,
        user_context=user_context,
    )


@_same_doc(Client.refresh_session)
def refresh_session(
    refresh_token: str,
    anti_csrf_token: Optional[str] = None,
    *,
    disable_anti_csrf: bool = False,
    user_context: Optional[dict[str, Any]] = None,
) -> Session:
    client = default_client()
    return client.refresh_session(
        refresh_token,
        anti_csrf_token,
        disable_anti_csrf=disable_anti_csrf,
        user_context=user_context,
    )


@_same_doc(Client.revoke_session)
def revoke_session(session_handle: str, *, user_context: Optional[dict[str, Any]] = None) -> bool:
    client = default_client()
    return client.revoke_session(session_handle, user_context=user_context)


@_same_doc(Client.revoke_all_sessions_for_user)
def revoke_all_sessions_for_user(
    user_id: str,
    *,
    tenant_id: Optional[str] = None,
    revoke_sessions_for_linked_accounts: bool = True,
    user_context: Optional[dict[str, Any]] = None,
) -> list[str]:
    client = default_client()
    return client.revoke_all_sessions_for_user(
        user_id,
        tenant_id=tenant_id,
        revoke_sessions_for_linked_accounts=revoke_sessions_for_linked_accounts,
        user_context=user_context,
    )


@_same_doc(Client.get_all_session_handles_for_user)
def get_all_session_handles_for_user(
    user_id: str,
    *,
    tenant_id: Optional[str] = None,
    fetch_sessions_for_linked_accounts: bool = True,
    user_context: Optional[dict[str, Any]] = None,
) -> list[str]:
    client = default_client()
    return client.get_all_session_handles_for_user(
        user_id,
        tenant_id=tenant_id,
        fetch_sessions_for_linked_accounts=fetch_sessions_for_linked_accounts,
        user_context=user_context,
    )


@_same_doc(Client.revoke_multiple_sessions)
def revoke_multiple_sessions(
    session_handles: Sequence[str], *, user_context: Optional[dict[str, Any]] = None
) -> list[str]:
    client = default_client()
    return client.revoke_multiple_sessions(session_handles, user_context=user_context)


@_same_doc(Client.get_session_information)
def get_session_information(
    session_handle: str, *, user_context: Optional[dict[str, Any]] = None
) -> Optional[SessionInformation]:
    client = default_client()
    return client.get_session_information(session_handle, user_context=user_context)


@_same_doc(Client.update_session_data_in_database)
def update_session_data_in_database(
    session_handle: str,
    new_session_data: dict[str, Any],
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> bool:
    client = default_client()
    return client.update_session_data_in_database(
        session_handle, new_session_data, user_context=user_context
    )


@_same_doc(Client.merge_into_access_token_payload)
def merge_into_access_token_payload(
    session_handle: str,
    access_token_payload_update: dict[str, Any],
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> bool:
    client = default_client()
    return client.merge_into_access_token_payload(
        session_handle, access_token_payload_update, user_context=user_context
    )


@_same_doc(Client.regenerate_access_token)
def regenerate_access_token(
    access_token: str,
    new_access_token_payload: Optional[dict[str, Any]] = None,
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> Optional[RegenerateAccessTokenResult]:
    client = default_client()
    return client.regenerate_access_token(
        access_token, new_access_token_payload, user_context=user_context
    )


@_same_doc(Client.get_jwks)
def get_jwks(*, user_context: Optional[dict[str, Any]] = None) -> JWKS:
    client = default_client()
    return client.get_jwks(user_context=user_context)


@_same_doc(Client.create_jwt)
def create_jwt(
    payload: dict[str, Any],
    validity_seconds: Optional[int] = None,
    use_static_signing_key: Optional[bool] = None,
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> CreateJwtResult:
    client = default_client()
    return client.create_jwt(
        payload, validity_seconds, use_static_signing_key, user_context=user_context
    )


@_same_doc(Client.get_open_id_discovery_configuration)
def get_open_id_discovery_configuration(
    *, user_context: Optional[dict[str, Any]] = None
) -> OpenIdDiscoveryConfiguration:
    client = default_client()
    return client.get_open_id_discovery_configuration(user_context=user_context)


@_same_doc(Client.fetch_and_set_claim)
def fetch_and_set_claim(
    session_handle: str,
    claim: SessionClaim[Any],
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> bool:
    client = default_client()
    return client.fetch_and_set_claim(session_handle, claim, user_context=user_context)


@_same_doc(Client.set_claim_value)
def set_claim_value(
    session_handle: str,
    claim: SessionClaim[T],
    value: T,
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> bool:
    client = default_client()
    return client.set_claim_value(session_handle, claim, value, user_context=user_context)


@_same_doc(Client.get_claim_value)
def get_claim_value(
    session_handle: str,
    claim: SessionClaim[T],
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> Optional[ClaimValueResult[T]]:
    client = default_client()
    return client.get_claim_value(session_handle, claim, user_context=user_context)


@_same_doc(Client.remove_claim)
def remove_claim(
    session_handle: str,
    claim: SessionClaim[Any],
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> bool:
    client = default_client()
    return client.remove_claim(session_handle, claim, user_context=user_context)


@_same_doc(Client.validate_claims_for_session_handle)
def validate_claims_for_session_handle(
    session_handle: str,
    override_global_claim_validators: Optional[OverrideGlobalClaimValidatorsForHandle] = None,
    *,
    user_context: Optional[dict[str, Any]] = None,
) -> Optional[ClaimsValidationResult]:
    client = default_client()
    return client.validate_claims_for_session_handle(
        session_handle, override_global_claim_validators, user_context=user_context
    )
