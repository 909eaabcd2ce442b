"""Session records: read one, replace its data, list a user's sessions, revoke sessions
(CDI.md §1.2 rows 8-10 and 12-14, §1.3 "Expiry and reads" and "Remove by ...")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from authclient.localcore._wire import Call, bad_request
from authclient.localcore.config import access_token_version
from authclient.localcore.sessions import (
    Answer,
    Unauthorised,
    live_row,
    require_known_tenant,
    status_answer,
    tenant_of,
)
from authclient.localcore.store import Transaction
from authclient.localcore.tokens import check_payload


def information(call: Call) -> Answer:
    handle = call.query("sessionHandle")
    try:
        with call.store.transaction() as tx:
            row = live_row(tx, call, tenant_of(handle), handle)
    except Unauthorised as error:
        return status_answer("UNAUTHORISED", str(error))
    answer: Answer = {
        "status": "OK",
        "sessionHandle": row.handle,
        "userId": row.user_id,
        "recipeUserId": row.recipe_user_id,
        "userDataInDatabase": row.session_data,
        # The session's (refresh token's) expiry, not the access token's.
        "expiry": row.expiry_ms,
        "userDataInJWT": row.jwt_data,
        "timeCreated": row.time_created_ms,
    }
    if call.cdi >= (3, 0):
        answer["tenantId"] = row.tenant_id
    if call.cdi < (4, 0):
        del answer["recipeUserId"]
    return answer


def _replace(call: Call, handle: str, column: str, value: dict[str, Any]) -> Answer:
    try:
        with call.store.transaction() as tx:
            tx.set_session_data(live_row(tx, call, tenant_of(handle), handle), column, value)
    except Unauthorised as error:
        return status_answer("UNAUTHORISED", str(error))
    return {"status": "OK"}


def replace_session_data(call: Call) -> Answer:
    body = call.body()
    handle = body.string("sessionHandle")
    return _replace(call, handle, "session_data", body.object("userDataInDatabase"))


def replace_jwt_data(call: Call) -> Answer:
    body = call.body()
    handle = body.string("sessionHandle")
    payload = body.object("userDataInJWT")
    check_payload(payload, access_token_version(call.cdi))
    return _replace(call, handle, "jwt_data", payload)


def user_handles(call: Call) -> Answer:
    user_id = call.query("userId")
    across_tenants = call.query_flag("fetchAcrossAllTenants", default=True)
    if across_tenants:
        call.require_public_tenant()
    else:
        call.require_tenant()
    tenant = None if across_tenants else call.tenant_id
    with call.store.transaction() as tx:
        handles = tx.live_session_handles(call.app_id, tenant, user_id, call.now_ms)
    return {"status": "OK", "sessionHandles": handles}


def remove(call: Call) -> Answer:
    body = call.body()
    user_id = body.optional_string("userId")
    handles = body.optional_strings("sessionHandles")
    if (user_id is None) == (handles is None):
        raise bad_request("Invalid JSON input - use one of userId or sessionHandles array")
    flags = {}
    for name in ("revokeAcrossAllTenants", "revokeSessionsForLinkedAccounts"):
        flags[name] = body.optional_boolean(name)
        if user_id is None and flags[name] is not None:
            raise bad_request(f"Invalid JSON input - {name} can only be set if userId is set")
    across_tenants = flags["revokeAcrossAllTenants"] is not False
    if user_id is not None and across_tenants:
        call.require_public_tenant()
    elif user_id is not None:
        call.require_tenant()
    with call.store.transaction() as tx:
        if user_id is not None:
            tenant = None if across_tenants else call.tenant_id
            handles = tx.live_session_handles(call.app_id, tenant, user_id, call.now_ms)
        assert handles is not None
        revoked = _revoke(tx, call.app_id, handles)
    return {"status": "OK", "sessionHandlesRevoked": revoked}


def _revoke(tx: Transaction, app_id: str, handles: Sequence[str]) -> list[str]:
    """Delete the handles, tenant by tenant, and report them as the core does."""
    by_tenant: dict[str, list[str]] = {}
    for handle in handles:
        by_tenant.setdefault(tenant_of(handle), []).append(handle)
    for tenant in by_tenant:
        require_known_tenant(tx, app_id, tenant)
    revoked: list[str] = []
    for tenant, group in by_tenant.items():
        # With one handle the delete count tells whether it existed; with several, look first.
        existed: set[str] = set()
        if len(group) > 1:
            existed = {h for h in group if tx.get_session(app_id, tenant, h) is not None}
        deleted = tx.delete_sessions(app_id, tenant, group)
        if deleted == len(group):
            revoked += group
        elif deleted:
            revoked += [handle for handle in group if handle in existed]
    return revoked
