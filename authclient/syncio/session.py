# Generated from authclient/asyncio/session.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The session recipe: the implementation users can override with ``Overrides(session=...)``."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Optional

import attrs

from authclient._protocol import session as protocol
from authclient._protocol.tokens import (
    AccessTokenInfo,
    ParsedAccessToken,
    TokenParseError,
    TokenVerifyError,
    UnknownKidError,
    claimed_expiry_ms,
    parse_access_token,
    verify_access_token,
)
from authclient.errors import TryRefreshTokenError, UnauthorisedError
from authclient.syncio._jwks import JwksCache
from authclient.syncio._transport import Transport
from authclient.syncio.session_object import Session
from authclient.types import (
    JWKS,
    RegenerateAccessTokenResult,
    SessionConfig,
    SessionInformation,
)


class SessionRecipe:
    """Creates, verifies and manages sessions. ``Overrides(session=fn)`` receives this object.

    Override a method by keeping the original and assigning a replacement on the instance, or
    return a subclass built with ``MySessionRecipe(original.transport, original.config)``.
    Session objects call back into ``implementation``: whatever the override returned.
    """

    def __init__(self, transport: Transport, config: SessionConfig) -> None:
        self.transport = transport
        self.config = config
        self.jwks = JwksCache(transport, config)
        self.implementation: SessionRecipe = self

    def create_new_session(
        self,
        user_id: str,
        access_token_payload: dict[str, Any],
        session_data_in_database: dict[str, Any],
        tenant_id: str,
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> Session:
        request = protocol.create_request(
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id=tenant_id,
            enable_anti_csrf=self._anti_csrf_by_token() and not disable_anti_csrf,
            use_dynamic_signing_key=self.config.use_dynamic_access_token_signing_key,
        )
        answer = protocol.created(self.transport.send(request, user_context))
        return self._session(protocol.parts_from_answer(answer, answer.anti_csrf_token))

    def get_session(
        self,
        access_token: Optional[str],
        anti_csrf_token: Optional[str],
        anti_csrf_check: Optional[bool],
        session_required: bool,
        check_database: bool,
        user_context: dict[str, Any],
    ) -> Optional[Session]:
        if not access_token:
            if not session_required:
                return None
            raise UnauthorisedError("no access token was given", clear_tokens=False)
        try:
            parsed = parse_access_token(access_token)
        except TokenParseError:
            if not session_required:
                return None
            raise UnauthorisedError("Token parsing failed", clear_tokens=False) from None
        check_anti_csrf = self._anti_csrf_by_token() and anti_csrf_check is not False
        info = self._verify_locally(parsed, user_context)
        if info is not None:
            if check_anti_csrf and not protocol.anti_csrf_matches(
                anti_csrf_token, info.anti_csrf_token
            ):
                raise TryRefreshTokenError("anti-csrf check failed")
            if not check_database and info.parent_refresh_token_hash1 is None:
                parts = protocol.parts_from_token(
                    access_token, info, anti_csrf_token, parsed.payload
                )
                return self._session(parts)
        # The core must answer: first use after a refresh (it promotes the refresh token and
        # issues a new access token), check_database, or a legacy token we cannot verify.
        request = protocol.verify_request(
            access_token,
            anti_csrf_token,
            do_anti_csrf_check=check_anti_csrf,
            enable_anti_csrf=self._anti_csrf_by_token(),
            check_database=check_database,
        )
        answer = protocol.verified(self.transport.send(request, user_context))
        expiry = info.expiry_ms if info is not None else claimed_expiry_ms(parsed)
        return self._session(
            protocol.parts_from_answer(answer, anti_csrf_token, (access_token, expiry))
        )

    def refresh_session(
        self,
        refresh_token: str,
        anti_csrf_token: Optional[str],
        disable_anti_csrf: bool,
        user_context: dict[str, Any],
    ) -> Session:
        request = protocol.refresh_request(
            refresh_token,
            anti_csrf_token,
            enable_anti_csrf=self._anti_csrf_by_token() and not disable_anti_csrf,
            use_dynamic_signing_key=self.config.use_dynamic_access_token_signing_key,
        )
        answer = protocol.refreshed(self.transport.send(request, user_context))
        return self._session(protocol.parts_from_answer(answer, answer.anti_csrf_token))

    def revoke_session(self, session_handle: str, user_context: dict[str, Any]) -> bool:
        revoked = self.implementation.revoke_multiple_sessions([session_handle], user_context)
        return len(revoked) == 1

    def revoke_all_sessions_for_user(
        self,
        user_id: str,
        tenant_id: Optional[str],
        revoke_sessions_for_linked_accounts: bool,
        user_context: dict[str, Any],
    ) -> list[str]:
        request = protocol.revoke_all_request(
            user_id,
            tenant_id=tenant_id,
            revoke_sessions_for_linked_accounts=revoke_sessions_for_linked_accounts,
        )
        response = self.transport.send(request, user_context)
        return protocol.handles(response, "sessionHandlesRevoked")

    def get_all_session_handles_for_user(
        self,
        user_id: str,
        tenant_id: Optional[str],
        fetch_sessions_for_linked_accounts: bool,
        user_context: dict[str, Any],
    ) -> list[str]:
        request = protocol.handles_for_user_request(
            user_id,
            tenant_id=tenant_id,
            fetch_sessions_for_linked_accounts=fetch_sessions_for_linked_accounts,
        )
        return protocol.handles(self.transport.send(request, user_context), "sessionHandles")

    def revoke_multiple_sessions(
        self, session_handles: Sequence[str], user_context: dict[str, Any]
    ) -> list[str]:
        request = protocol.revoke_handles_request(session_handles)
        response = self.transport.send(request, user_context)
        return protocol.handles(response, "sessionHandlesRevoked")

    def get_session_information(
        self, session_handle: str, user_context: dict[str, Any]
    ) -> Optional[SessionInformation]:
        request = protocol.info_request(session_handle)
        return protocol.session_information(self.transport.send(request, user_context))

    def update_session_data_in_database(
        self, session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any]
    ) -> bool:
        request = protocol.update_data_request(session_handle, new_session_data)
        return protocol.ok_or_unauthorised(self.transport.send(request, user_context))

    def merge_into_access_token_payload(
        self,
        session_handle: str,
        access_token_payload_update: dict[str, Any],
        user_context: dict[str, Any],
    ) -> bool:
        """Merge into the payload stored in the core (used in the next access token)."""
        protocol.check_access_token_payload(
            access_token_payload_update, "access_token_payload_update"
        )
        info = self.implementation.get_session_information(session_handle, user_context)
        if info is None:
            return False
        merged = protocol.merge_payload(
            info.custom_claims_in_access_token_payload, access_token_payload_update
        )
        request = protocol.update_access_token_payload_request(session_handle, merged)
        return protocol.ok_or_unauthorised(self.transport.send(request, user_context))

    def regenerate_access_token(
        self,
        access_token: str,
        new_access_token_payload: Optional[dict[str, Any]],
        user_context: dict[str, Any],
    ) -> Optional[RegenerateAccessTokenResult]:
        request = protocol.regenerate_request(access_token, new_access_token_payload)
        try:
            parse_access_token(access_token)
        except TokenParseError:
            # Not an access token at all: it names no session. (The core would say UNAUTHORISED,
            # or, the real one, answer HTTP 500.)
            return None
        return protocol.regenerated(self.transport.send(request, user_context))

    def get_jwks(self, user_context: dict[str, Any]) -> JWKS:
        return (self.jwks.keys(user_context)).jwks

    # --- helpers --------------------------------------------------------------------------------

    def _anti_csrf_by_token(self) -> bool:
        return self.config.anti_csrf == "VIA_TOKEN"

    def _verify_locally(
        self, parsed: ParsedAccessToken, user_context: dict[str, Any]
    ) -> Optional[AccessTokenInfo]:
        """The token's claims if it verifies here; ``None`` for a legacy token the core must judge."""
        now, config = time.time(), self.config
        leeways = {"leeway": config.clock_skew_leeway, "expiry_leeway": config.expiry_leeway}
        try:
            key_set = self.jwks.keys(user_context)
            try:
                info = verify_access_token(parsed, key_set.keys, now=now, **leeways)
            except UnknownKidError as unknown:
                key_set = self.jwks.keys_with(unknown.kid, user_context)
                info = verify_access_token(parsed, key_set.keys, now=now, **leeways)
        except TokenVerifyError as exc:
            if parsed.version >= 3:
                raise TryRefreshTokenError(str(exc)) from None
            return None
        if protocol.dynamic_key_mismatch(
            parsed.kid, self.config.use_dynamic_access_token_signing_key
        ):
            raise TryRefreshTokenError("the token's signing key kind does not match the config")
        return info

    def _session(self, parts: protocol.SessionParts) -> Session:
        return Session(self.implementation, **attrs.asdict(parts, recurse=False))
