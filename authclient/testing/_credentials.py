"""``SessionCredentials``: a session's tokens as a test client sends them (sans-I/O)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Literal, Optional

import attrs

from authclient.types import SessionTokens

Transfer = Literal["cookie", "header"]
"""How the tokens travel: as cookies (``sAccessToken``...) or as ``Authorization`` headers."""

ACCESS_TOKEN_COOKIE = "sAccessToken"
REFRESH_TOKEN_COOKIE = "sRefreshToken"
DEFAULT_API_BASE_PATH = "/auth"


def check_transfer(transfer: object) -> Transfer:
    if transfer == "cookie":
        return "cookie"
    if transfer == "header":
        return "header"
    raise ValueError(f"transfer must be 'cookie' or 'header', not {transfer!r}")


def check_api_base_path(path: object) -> str:
    if not isinstance(path, str):
        raise TypeError(f"api_base_path must be a str, not {type(path).__name__}")
    if path and not path.startswith("/"):
        raise ValueError("api_base_path must start with '/' (or be empty)")
    return path.rstrip("/")


@attrs.frozen
class SessionCredentials:
    """What a logged-in frontend holds for one session, ready for a test client.

    ``cookies`` and ``headers`` are what a request to a protected route carries (in cookie
    mode the tokens are cookies and ``headers`` holds only the anti-CSRF token and ``rid``; in
    header mode ``headers`` holds ``Authorization: Bearer <access token>``). The refresh
    endpoint takes ``refresh_cookies`` / ``refresh_headers`` instead. The tokens are secrets:
    the repr shows none of them.
    """

    user_id: str
    handle: str
    transfer: Transfer
    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    front_token: str = attrs.field(repr=False)
    anti_csrf_token: Optional[str] = attrs.field(default=None, repr=False)
    api_base_path: str = DEFAULT_API_BASE_PATH

    @classmethod
    def of(
        cls,
        user_id: str,
        handle: str,
        tokens: SessionTokens,
        transfer: Transfer,
        api_base_path: str = DEFAULT_API_BASE_PATH,
    ) -> SessionCredentials:
        """The credentials of a session just created or refreshed (its tokens)."""
        if tokens.refresh_token is None:
            raise ValueError("these tokens have no refresh token: they come from a verify")
        return cls(
            user_id=user_id,
            handle=handle,
            transfer=transfer,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            front_token=tokens.front_token,
            anti_csrf_token=tokens.anti_csrf_token,
            api_base_path=api_base_path,
        )

    @property
    def refresh_path(self) -> str:
        """The path of the refresh endpoint (where the refresh cookie is sent)."""
        return f"{self.api_base_path}/session/refresh"

    @property
    def access_token_expiry(self) -> int:
        """When the access token expires, in ms since the epoch (from the front token)."""
        return int(self._front()["ate"])

    @property
    def access_token_payload(self) -> dict[str, Any]:
        """The access token's payload, as the frontend reads it from the front token."""
        payload: dict[str, Any] = self._front()["up"]
        return payload

    @property
    def cookies(self) -> dict[str, str]:
        """The cookies of a request to a protected route (none in header mode)."""
        if self.transfer == "header":
            return {}
        return {ACCESS_TOKEN_COOKIE: self.access_token}

    @property
    def refresh_cookies(self) -> dict[str, str]:
        """The cookies of a request to the refresh endpoint (none in header mode)."""
        if self.transfer == "header":
            return {}
        return {ACCESS_TOKEN_COOKIE: self.access_token, REFRESH_TOKEN_COOKIE: self.refresh_token}

    @property
    def headers(self) -> dict[str, str]:
        """The headers of a request to a protected route."""
        return self._headers(self.access_token)

    @property
    def refresh_headers(self) -> dict[str, str]:
        """The headers of a request to the refresh endpoint."""
        return self._headers(self.refresh_token)

    def _headers(self, token: str) -> dict[str, str]:
        headers = {"rid": "anti-csrf"} if self.transfer == "cookie" else {}
        if self.transfer == "header":
            headers["authorization"] = f"Bearer {token}"
        if self.anti_csrf_token is not None:
            headers["anti-csrf"] = self.anti_csrf_token
        return headers

    def _front(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(base64.b64decode(self.front_token))
        except (binascii.Error, ValueError):
            raise ValueError("the front token is not base64 JSON") from None
        return data
