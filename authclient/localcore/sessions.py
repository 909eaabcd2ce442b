"""Session tokens: create, verify, refresh and regenerate, as the real core's ``Session.java``
does them (CDI.md §1.3).

Each endpoint takes a resolved ``Call`` and returns the JSON answer (HTTP 200 with a
``status``). Malformed input raises ``HttpError`` and a protected claim in a payload raises
``ProtectedClaimError``; the handler turns both into HTTP 400.
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

import attrs

from authclient.localcore._wire import Call, not_found
from authclient.localcore.config import access_token_version
from authclient.localcore.keys import lifetime_ms
from authclient.localcore.store import PUBLIC, SessionRow, Transaction
from authclient.localcore.tokens import (
    AccessToken,
    ProtectedClaimError,
    RefreshToken,
    TokenError,
    check_payload,
    parse_access_token,
    same_json,
    sha256hex,
    whole_seconds,
)

Answer = dict[str, Any]


class Unauthorised(Exception):
    pass


class TokenTheft(Exception):
    def __init__(self, row: SessionRow) -> None:
        super().__init__("token theft detected")
        self.row = row


def status_answer(status: str, message: str) -> Answer:
    return {"status": status, "message": message}


def tenant_of(handle: str) -> str:
    """Handles of non-public tenants end in ``_<tenantId>``."""
    parts = handle.split("_")
    return parts[1] if len(parts) > 1 else PUBLIC


def require_known_tenant(tx: Transaction, app_id: str, tenant_id: str) -> None:
    """A handle's tenant suffix names a tenant: HTTP 400 if it does not exist (as the core)."""
    if tenant_id != PUBLIC and tx.tenant_config(app_id, tenant_id) is None:
        raise not_found(app_id, tenant_id)


def live_row(tx: Transaction, call: Call, tenant_id: str, handle: str) -> SessionRow:
    """The session, or ``Unauthorised`` if it does not exist or has expired."""
    require_known_tenant(tx, call.app_id, tenant_id)
    row = tx.get_session(call.app_id, tenant_id, handle)
    if row is None or row.expiry_ms <= call.now_ms:
        raise Unauthorised("Session does not exist.")
    return row


def _session(
    call: Call, handle: str, user_id: str, recipe_user_id: str, payload: Answer, tenant: str
) -> Answer:
    session = {
        "handle": handle,
        "userId": user_id,
        "recipeUserId": recipe_user_id,
        "userDataInJWT": payload,
        "tenantId": tenant,
    }
    if call.cdi < (3, 0):
        del session["tenantId"]
    if call.cdi < (4, 0):
        del session["recipeUserId"]
    return session


def _token_session(call: Call, token: AccessToken, payload: Answer) -> Answer:
    return _session(
        call, token.session_handle, token.user_id, token.recipe_user_id, payload, token.tenant_id
    )


def _row_session(call: Call, row: SessionRow) -> Answer:
    return _session(call, row.handle, row.user_id, row.recipe_user_id, row.jwt_data, row.tenant_id)


def _fresh_times(call: Call, version: int) -> tuple[int, int]:
    """(expiry, creation) of an access token created now, valid for access_token_validity."""
    expiry = call.now_ms + call.config.access_token_validity_ms
    return whole_seconds(version, expiry), whole_seconds(version, call.now_ms)


def _signed(call: Call, token: AccessToken, *, static: bool) -> Answer:
    key = call.keys.signing_key(call.app_id, call.config, call.now_ms, static=static)
    return {
        "token": token.sign(key),
        "expiry": token.expiry_ms,
        "createdTime": token.time_created_ms,
    }


def _new_refresh_token(call: Call, content: RefreshToken) -> Answer:
    expiry = call.now_ms + call.config.refresh_token_validity_ms
    return {
        "token": content.seal(call.refresh_secret),
        "expiry": expiry,
        "createdTime": call.now_ms,
    }


def _legacy_key_info(call: Call) -> Answer:
    """The signing-key fields that responses carried before CDI 2.21."""
    dynamic = call.keys.dynamic(call.app_id, call.config, call.now_ms)
    interval = call.config.signing_key_interval_ms
    info: Answer = {
        "jwtSigningPublicKey": dynamic.signing.public_key_base64(),
        "jwtSigningPublicKeyExpiryTime": dynamic.signing.created_ms + interval,
    }
    if (2, 9) <= call.cdi <= (2, 21):
        info["jwtSigningPublicKeyList"] = [
            {
                "publicKey": key.public_key_base64(),
                "expiryTime": key.created_ms + lifetime_ms(call.config),
                "createdAt": key.created_ms,
            }
            for key in dynamic.keys
        ]
    return info


def _tokens_answer(
    call: Call,
    session: Answer,
    access: Answer,
    refresh: Answer,
    anti_csrf: Optional[str],
    *,
    with_keys: bool,
) -> Answer:
    answer: Answer = {
        "status": "OK",
        "session": session,
        "accessToken": access,
        "refreshToken": refresh,
    }
    if anti_csrf is not None:
        answer["antiCsrfToken"] = anti_csrf
    if call.cdi < (2, 21):
        answer["idRefreshToken"] = {**refresh, "token": str(uuid.uuid4())}
        if with_keys:
            answer.update(_legacy_key_info(call))
    return answer


def create(call: Call) -> Answer:
    body = call.body()
    user_id = body.string("userId")
    enable_anti_csrf = body.boolean("enableAntiCsrf")
    payload = body.object("userDataInJWT")
    session_data = body.object("userDataInDatabase")
    static = call.cdi >= (2, 21) and body.optional_boolean("useDynamicSigningKey") is False
    call.require_tenant()
    version = access_token_version(call.cdi)

    tenant = call.tenant_id
    handle = str(uuid.uuid4()) + ("" if tenant == PUBLIC else f"_{tenant}")
    anti_csrf = str(uuid.uuid4()) if enable_anti_csrf else None
    refresh = _new_refresh_token(call, RefreshToken(handle, user_id, None, anti_csrf))
    expiry, created = _fresh_times(call, version)
    access = AccessToken(
        version=version,
        session_handle=handle,
        user_id=user_id,
        recipe_user_id=user_id,
        tenant_id=tenant,
        refresh_token_hash1=sha256hex(refresh["token"]),
        parent_refresh_token_hash1=None,
        anti_csrf_token=anti_csrf,
        user_data=payload,
        expiry_ms=expiry,
        time_created_ms=created,
    )
    access_answer = _signed(call, access, static=static)
    row = SessionRow(
        app_id=call.app_id,
        tenant_id=tenant,
        handle=handle,
        user_id=user_id,
        recipe_user_id=user_id,  # the local core has no account linking
        refresh_token_hash2=sha256hex(sha256hex(refresh["token"])),
        session_data=session_data,
        jwt_data=payload,
        expiry_ms=refresh["expiry"],
        time_created_ms=call.now_ms,
        use_static_key=static,
    )
    with call.store.transaction() as tx:
        tx.insert_session(row)
    session = _row_session(call, row)
    return _tokens_answer(call, session, access_answer, refresh, anti_csrf, with_keys=True)


def _verified_token(call: Call, token: str, *, needs_anti_csrf: bool) -> AccessToken:
    """Check the signature and expiry of an access token (``TokenError`` = try refresh)."""
    parsed = parse_access_token(token)
    keys = call.keys.verification_keys(call.app_id, call.config, call.now_ms)
    if parsed.version >= 3:
        key = next((key for key in keys if key.kid == parsed.kid), None)
        if key is None:
            raise TokenError("Key not found")
        if not parsed.signed_by(key):
            raise TokenError("JWT verification failed")
    elif not any(parsed.signed_by(key) for key in keys):
        raise TokenError("JWT verification failed")
    info = parsed.info()
    if info.expiry_ms < call.now_ms:
        raise TokenError("Access token expired")
    if needs_anti_csrf and info.anti_csrf_token is None:
        raise TokenError(
            "Access token does not contain all the information. Maybe the structure has changed?"
        )
    return info


def verify(call: Call) -> Answer:
    body = call.body()
    token = body.string("accessToken")
    anti_csrf = body.optional_string("antiCsrfToken")
    check_anti_csrf = body.boolean("doAntiCsrfCheck") and body.boolean("enableAntiCsrf")
    check_database = call.cdi >= (2, 21) and body.boolean("checkDatabase")
    try:
        info = _verified_token(call, token, needs_anti_csrf=check_anti_csrf)
        if check_anti_csrf and (anti_csrf is None or anti_csrf != info.anti_csrf_token):
            raise TokenError("anti-csrf check failed")
    except TokenError as error:
        answer = status_answer("TRY_REFRESH_TOKEN", str(error))
        return {**answer, **_legacy_key_info(call)} if call.cdi < (2, 21) else answer
    try:
        answer = _verify_session(call, info, check_database)
    except Unauthorised as error:
        return status_answer("UNAUTHORISED", str(error))
    return {**answer, **_legacy_key_info(call)} if call.cdi < (2, 21) else answer


def _verify_session(call: Call, info: AccessToken, check_database: bool) -> Answer:
    unchanged = {"status": "OK", "session": _token_session(call, info, info.user_data)}
    payload_changed = False
    if check_database:
        with call.store.transaction() as tx:
            row = tx.get_session(call.app_id, info.tenant_id, info.session_handle)
        if row is None:
            raise Unauthorised("Either the session has ended or has been blacklisted")
        payload_changed = not same_json(info.user_data, row.jwt_data)
    parent = info.parent_refresh_token_hash1
    if parent is None and not payload_changed:
        return unchanged

    with call.store.transaction() as tx:
        row = tx.get_session(call.app_id, info.tenant_id, info.session_handle)
        if row is None:
            raise Unauthorised("Session missing in db")
        # The first use of an access token from a refresh makes its refresh token the current one.
        promote = parent is not None and row.refresh_token_hash2 == sha256hex(parent)
        if promote:
            tx.set_refresh_state(
                row,
                refresh_token_hash2=sha256hex(info.refresh_token_hash1),
                expiry_ms=call.now_ms + call.config.refresh_token_validity_ms,
                use_static_key=row.use_static_key,
            )
    current = row.refresh_token_hash2 == sha256hex(info.refresh_token_hash1)
    if not (promote or current or payload_changed):
        return unchanged
    expiry, created = _fresh_times(call, info.version)
    access = attrs.evolve(
        info,
        parent_refresh_token_hash1=None,
        user_data=row.jwt_data,
        expiry_ms=expiry,
        time_created_ms=created,
    )
    return {
        "status": "OK",
        "session": _token_session(call, info, row.jwt_data),
        "accessToken": _signed(call, access, static=row.use_static_key),
    }


def refresh(call: Call) -> Answer:
    body = call.body()
    token = body.string("refreshToken")
    anti_csrf = body.optional_string("antiCsrfToken")
    enable_anti_csrf = body.boolean("enableAntiCsrf")
    dynamic: Optional[bool] = None
    if call.cdi >= (5, 0):
        dynamic = body.boolean("useDynamicSigningKey")
    elif call.cdi >= (2, 21):
        dynamic = body.optional_boolean("useDynamicSigningKey")
    call.require_tenant()
    try:
        return _refresh(call, token, anti_csrf, enable_anti_csrf, dynamic)
    except (TokenError, Unauthorised, ProtectedClaimError) as error:
        return status_answer("UNAUTHORISED", str(error))
    except TokenTheft as theft:
        session = {"handle": theft.row.handle, "userId": theft.row.user_id}
        if call.cdi >= (4, 0):
            session["recipeUserId"] = theft.row.recipe_user_id
        return {"status": "TOKEN_THEFT_DETECTED", "session": session}


def _refresh(
    call: Call,
    token: str,
    anti_csrf: Optional[str],
    enable_anti_csrf: bool,
    dynamic: Optional[bool],
) -> Answer:
    content = RefreshToken.open(token, call.refresh_secret)
    expected = content.anti_csrf_token
    if enable_anti_csrf and expected is not None and expected != anti_csrf:
        raise Unauthorised("Anti CSRF token missing, or not matching")
    handle = content.session_handle
    hash1 = sha256hex(token)
    with call.store.transaction() as tx:
        row = tx.get_session(call.app_id, tenant_of(handle), handle)
        if row is None or row.expiry_ms < call.now_ms:
            raise Unauthorised("Session missing in db or has expired")
        static = row.use_static_key if dynamic is None else not dynamic
        if row.refresh_token_hash2 != sha256hex(hash1):
            parent = content.parent_refresh_token_hash1
            if parent is None or sha256hex(parent) != row.refresh_token_hash2:
                raise TokenTheft(row)
            # The token's parent is current: no verify promoted this token yet, so do it now.
            tx.set_refresh_state(
                row,
                refresh_token_hash2=sha256hex(hash1),
                expiry_ms=call.now_ms + call.config.refresh_token_validity_ms,
                use_static_key=static,
            )
        elif static != row.use_static_key:
            tx.set_refresh_state(
                row,
                refresh_token_hash2=row.refresh_token_hash2,
                expiry_ms=row.expiry_ms,
                use_static_key=static,
            )
    # The row is not moved on to the new refresh token: that happens when it is first used.
    new_anti_csrf = str(uuid.uuid4()) if enable_anti_csrf else None
    new_refresh = _new_refresh_token(
        call, RefreshToken(handle, row.recipe_user_id, hash1, new_anti_csrf)
    )
    version = access_token_version(call.cdi)
    expiry, created = _fresh_times(call, version)
    access = AccessToken(
        version=version,
        session_handle=handle,
        user_id=row.user_id,
        recipe_user_id=row.recipe_user_id,
        tenant_id=row.tenant_id,
        refresh_token_hash1=sha256hex(new_refresh["token"]),
        parent_refresh_token_hash1=hash1,
        anti_csrf_token=new_anti_csrf,
        user_data=row.jwt_data,
        expiry_ms=expiry,
        time_created_ms=created,
    )
    access_answer = _signed(call, access, static=static)
    return _tokens_answer(
        call, _row_session(call, row), access_answer, new_refresh, new_anti_csrf, with_keys=False
    )


def regenerate(call: Call) -> Answer:
    body = call.body()
    token = body.string("accessToken")
    new_payload = body.optional_object("userDataInJWT")
    try:
        # The signature is not checked: the token may be expired or signed by a retired key.
        info = parse_access_token(token).info()
        with call.store.transaction() as tx:
            row = live_row(tx, call, info.tenant_id, info.session_handle)
            payload = row.jwt_data if new_payload is None else new_payload
            check_payload(payload, info.version)
            tx.set_session_data(row, "jwt_data", payload)
    except (TokenError, Unauthorised) as error:
        return status_answer("UNAUTHORISED", str(error))
    answer: Answer = {"status": "OK", "session": _token_session(call, info, payload)}
    if info.expiry_ms >= call.now_ms:
        # Same expiry, hashes, anti-CSRF token and version: only the payload changes.
        access = attrs.evolve(
            info, user_data=payload, time_created_ms=whole_seconds(info.version, call.now_ms)
        )
        answer["accessToken"] = _signed(call, access, static=row.use_static_key)
    return answer
