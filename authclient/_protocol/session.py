"""The session recipe on the wire (CDI rows 5-14 and 18), as the flavors import it.

Requests are built in ``session_requests.py`` and answers read in ``session_answers.py``; both
are re-exported here. This module holds what a flavor's session object is made of
(``SessionParts``) and the small session rules the flavors apply themselves.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any, Optional

import attrs

from authclient._protocol.merge import shallow_merge
from authclient._protocol.session_answers import (
    CoreSession,
    IssuedToken,
    SessionAnswer,
    created,
    handles,
    jwks,
    ok_or_unauthorised,
    refreshed,
    regenerated,
    session_information,
    verified,
)
from authclient._protocol.session_requests import (
    RECIPE_ID,
    check_access_token_payload,
    check_tenant_id,
    check_token,
    create_request,
    handles_for_user_request,
    info_request,
    jwks_request,
    refresh_request,
    regenerate_request,
    revoke_all_request,
    revoke_handles_request,
    update_access_token_payload_request,
    update_data_request,
    verify_request,
)
from authclient._protocol.tokens import front_token, front_token_payload
from authclient.errors import TryRefreshTokenError
from authclient.types import RegenerateAccessTokenResult, SessionTokens

__all__ = [
    "RECIPE_ID",
    "CoreSession",
    "IssuedToken",
    "SessionAnswer",
    "SessionParts",
    "anti_csrf_matches",
    "check_access_token_payload",
    "check_tenant_id",
    "check_token",
    "create_request",
    "created",
    "dynamic_key_mismatch",
    "handles",
    "handles_for_user_request",
    "info_request",
    "jwks",
    "jwks_request",
    "merge_payload",
    "ok_or_unauthorised",
    "parts_from_answer",
    "refresh_request",
    "refreshed",
    "regenerate_request",
    "regenerated",
    "revoke_all_request",
    "revoke_handles_request",
    "session_information",
    "update_access_token_payload_request",
    "update_data_request",
    "verified",
    "verify_request",
    "with_new_access_token",
]


# --- session rules a flavor applies itself ----------------------------------------------------


def merge_payload(current: Mapping[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """``current`` with ``update`` applied by the core's shallow-merge rule (``merge.py``): a
    ``None`` in ``update`` deletes a key, ``None`` values already in ``current`` stay.

    The caller has checked ``update`` (``check_access_token_payload``).
    """
    return shallow_merge(current, update)


def dynamic_key_mismatch(kid: Optional[str], use_dynamic_key: bool) -> bool:
    """A token signed with the other kind of key must be refreshed (CDI.md §3.2)."""
    return kid is not None and kid.startswith("d-") != use_dynamic_key


def anti_csrf_matches(given: Optional[str], expected: Optional[str]) -> bool:
    return given is not None and expected is not None and hmac.compare_digest(given, expected)


# --- what a session object is made of ------------------------------------------------------------


@attrs.frozen
class SessionParts:
    """A session's fields, as a flavor's session object takes them (it adds the recipe)."""

    user_id: str
    recipe_user_id: str
    tenant_id: str
    handle: str
    access_token_payload: dict[str, Any]
    tokens: SessionTokens


def parts_from_answer(
    answer: SessionAnswer,
    anti_csrf_token: Optional[str],
    current: Optional[tuple[str, int]] = None,
) -> SessionParts:
    """A session from the core's answer; a new access token there replaces ``current``.

    ``current`` is the access token sent to the core and its expiry (ms), if any.
    """
    session = answer.session
    if answer.access_token is not None:
        access_token, expiry = answer.access_token.token, answer.access_token.expiry
    elif current is not None:
        access_token, expiry = current
    else:
        raise TryRefreshTokenError("the core returned no access token")
    tokens = SessionTokens(
        access_token=access_token,
        refresh_token=answer.refresh_token.token if answer.refresh_token else None,
        anti_csrf_token=anti_csrf_token,
        front_token=front_token(
            session.user_id, expiry, front_token_payload(access_token, session.access_token_payload)
        ),
        access_token_updated=answer.access_token is not None,
        refresh_token_expiry=answer.refresh_token.expiry if answer.refresh_token else None,
    )
    return SessionParts(
        session.user_id,
        session.recipe_user_id,
        session.tenant_id,
        session.handle,
        session.access_token_payload,
        tokens,
    )


def with_new_access_token(
    tokens: SessionTokens, user_id: str, result: RegenerateAccessTokenResult
) -> SessionTokens:
    """``tokens`` after a regenerate; unchanged when the core issued no new access token."""
    if result.access_token is None or result.access_token_expiry is None:
        return tokens
    return attrs.evolve(
        tokens,
        access_token=result.access_token,
        front_token=front_token(
            user_id,
            result.access_token_expiry,
            front_token_payload(result.access_token, result.access_token_payload),
        ),
        access_token_updated=True,
    )
