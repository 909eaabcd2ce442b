"""Minting and reading session tokens, server side (CDI.md §1.3 and §3.1).

Access tokens are JWTs signed with RS256: v3 to v5 (CDI >= 2.21) carry the core's claims and
the custom claims flattened at the top level; v2 (CDI < 2.21) is the legacy format with a fixed
header, standard base64 and the custom claims under ``userData``. Refresh tokens are opaque to
everyone but the core: AES-GCM-encrypted JSON, ``<ciphertext>.<nonce>.V2``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from typing import Any, Optional, cast

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from authclient._protocol.tokens import CORE_CLAIMS as PROTECTED_CLAIMS
from authclient._protocol.tokens import V2_HEADER
from authclient.localcore._json import loads as load_json
from authclient.localcore.keys import SigningKey

PROTECTED_FIELD_MESSAGE = "The user payload contains protected field"


class TokenError(Exception):
    """A token that cannot be used; the message says why."""


class ProtectedClaimError(Exception):
    def __init__(self) -> None:
        super().__init__(PROTECTED_FIELD_MESSAGE)


def sha256hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def check_payload(payload: dict[str, Any], version: int) -> None:
    """``ProtectedClaimError`` if the custom payload sets a claim the core owns."""
    if any(name in payload for name in PROTECTED_CLAIMS[version]):
        raise ProtectedClaimError


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@attrs.frozen
class AccessToken:
    """What an access token says. Times are epoch milliseconds (whole seconds from v3 on)."""

    version: int
    session_handle: str
    user_id: str
    recipe_user_id: str
    tenant_id: str
    refresh_token_hash1: str
    parent_refresh_token_hash1: Optional[str]
    anti_csrf_token: Optional[str]
    user_data: dict[str, Any]
    expiry_ms: int
    time_created_ms: int

    def claims(self) -> dict[str, Any]:
        """The JWT payload; ``ProtectedClaimError`` if a custom claim clashes with the core's."""
        if self.version == 2:
            claims: dict[str, Any] = {
                "userId": self.user_id,
                "expiryTime": self.expiry_ms,
                "timeCreated": self.time_created_ms,
                "sessionHandle": self.session_handle,
                "refreshTokenHash1": self.refresh_token_hash1,
            }
            # v2 leaves these two out when null; v3+ always has them.
            if self.parent_refresh_token_hash1 is not None:
                claims["parentRefreshTokenHash1"] = self.parent_refresh_token_hash1
            if self.anti_csrf_token is not None:
                claims["antiCsrfToken"] = self.anti_csrf_token
            claims["userData"] = self.user_data
            return claims
        claims = {
            "sub": self.user_id,
            "exp": self.expiry_ms // 1000,
            "iat": self.time_created_ms // 1000,
        }
        if self.version >= 4:
            claims["tId"] = self.tenant_id
        if self.version >= 5:
            claims["rsub"] = self.recipe_user_id
        claims["sessionHandle"] = self.session_handle
        claims["refreshTokenHash1"] = self.refresh_token_hash1
        claims["parentRefreshTokenHash1"] = self.parent_refresh_token_hash1
        claims["antiCsrfToken"] = self.anti_csrf_token
        for name, value in self.user_data.items():
            if name in claims:
                raise ProtectedClaimError
            claims[name] = value
        return claims

    def sign(self, key: SigningKey) -> str:
        if self.version == 2:
            body = f"{V2_HEADER}.{base64.b64encode(_json(self.claims())).decode()}"
            return f"{body}.{base64.b64encode(key.sign(body.encode())).decode()}"
        header = {"alg": "RS256", "typ": "JWT", "kid": key.kid, "version": str(self.version)}
        body = f"{_b64url(_json(header))}.{_b64url(_json(self.claims()))}"
        return f"{body}.{_b64url(key.sign(body.encode()))}"


def whole_seconds(version: int, ms: int) -> int:
    """Token times as the core reports them: truncated to whole seconds from v3 on."""
    return ms if version == 2 else ms - ms % 1000


@attrs.frozen
class ParsedToken:
    """An access token split up, before (or without) its signature is checked."""

    version: int
    kid: Optional[str]
    signing_input: bytes
    signature: bytes
    payload: dict[str, Any]

    def signed_by(self, key: SigningKey) -> bool:
        return key.verifies(self.signature, self.signing_input)

    def info(self) -> AccessToken:
        """The token's content; ``TokenError`` if a required claim is missing or mistyped."""
        payload = self.payload
        for name in PROTECTED_CLAIMS[self.version]:
            if name not in payload:
                raise TokenError(
                    "Access token does not contain all the information. "
                    f"Maybe the structure has changed? {name}"
                )
        try:
            if self.version == 2:
                user_id = _str(payload["userId"])
                return AccessToken(
                    2,
                    _str(payload["sessionHandle"]),
                    user_id,
                    user_id,
                    "public",
                    _str(payload["refreshTokenHash1"]),
                    _opt_str(payload.get("parentRefreshTokenHash1")),
                    _opt_str(payload.get("antiCsrfToken")),
                    _dict(payload.get("userData")),
                    _int(payload["expiryTime"]),
                    _int(payload["timeCreated"]),
                )
            user_id = _str(payload["sub"])
            return AccessToken(
                self.version,
                _str(payload["sessionHandle"]),
                user_id,
                _str(payload["rsub"]) if self.version >= 5 else user_id,
                _str(payload["tId"]) if self.version >= 4 else "public",
                _str(payload["refreshTokenHash1"]),
                _opt_str(payload["parentRefreshTokenHash1"]),
                _opt_str(payload["antiCsrfToken"]),
                {k: v for k, v in payload.items() if k not in PROTECTED_CLAIMS[self.version]},
                _int(payload["exp"]) * 1000,
                _int(payload["iat"]) * 1000,
            )
        except (TypeError, ValueError) as error:
            raise TokenError(f"Invalid access token: {error}") from None


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a claim that must be a string is not")
    return value


def _opt_str(value: Any) -> Optional[str]:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise TypeError("a time claim is not a whole number")
    return int(value)


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("userData is not an object")
    return cast("dict[str, Any]", value)


def parse_access_token(token: str) -> ParsedToken:
    """Split and decode an access token without checking its signature (``TokenError``)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("Invalid JWT")
    try:
        if parts[0] == V2_HEADER:
            version, kid = 2, None
            payload = load_json(base64.b64decode(parts[1], validate=True))
            signature = base64.b64decode(parts[2], validate=True)
        else:
            version, kid = _read_header(load_json(_unb64url(parts[0])))
            payload = load_json(_unb64url(parts[1]))
            signature = _unb64url(parts[2])
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise TokenError(f"Invalid JWT: {error}") from None
    if not isinstance(payload, dict):
        raise TokenError("Invalid JWT: the payload is not a JSON object")
    signing_input = f"{parts[0]}.{parts[1]}".encode()
    return ParsedToken(version, kid, signing_input, signature, cast("dict[str, Any]", payload))


def _read_header(header: Any) -> tuple[int, str]:
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    header = cast("dict[str, Any]", header)
    if header.get("typ") != "JWT":
        raise ValueError("JWT header mismatch - typ")
    if header.get("alg") != "RS256":
        raise ValueError("JWT header mismatch - alg")
    # Tokens without a version (e.g. from /recipe/jwt) are read as the latest version.
    version = header.get("version", "5")
    if version not in ("3", "4", "5"):
        raise ValueError("JWT header mismatch - version")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise ValueError("JWT header missing - kid")
    return int(version), kid


@attrs.frozen
class RefreshToken:
    """What a refresh token carries."""

    session_handle: str
    user_id: str
    parent_refresh_token_hash1: Optional[str]
    anti_csrf_token: Optional[str]

    def seal(self, secret: bytes) -> str:
        nonce = os.urandom(12)
        plain = _json(attrs.asdict(self))
        return f"{_b64url(AESGCM(secret).encrypt(nonce, plain, None))}.{_b64url(nonce)}.V2"

    @classmethod
    def open(cls, token: str, secret: bytes) -> RefreshToken:
        """Decrypt a refresh token; ``TokenError`` if it was not made with ``secret`` or altered."""
        parts = token.split(".")
        try:
            if len(parts) != 3 or parts[2] != "V2":
                raise ValueError("not a refresh token")
            plain = AESGCM(secret).decrypt(_unb64url(parts[1]), _unb64url(parts[0]), None)
            fields = json.loads(plain)
            return cls(
                _str(fields["session_handle"]),
                _str(fields["user_id"]),
                _opt_str(fields["parent_refresh_token_hash1"]),
                _opt_str(fields["anti_csrf_token"]),
            )
        except (InvalidTag, binascii.Error, KeyError, TypeError, ValueError):
            raise TokenError("Invalid refresh token") from None


def same_json(a: object, b: object) -> bool:
    """JSON equality as the core's Gson sees it: ``1 == 1.0``, but ``true != 1``."""
    same_type = type(a) is type(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return same_type and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        a_map, b_map = cast("dict[str, Any]", a), cast("dict[str, Any]", b)
        return a_map.keys() == b_map.keys() and all(same_json(a_map[k], b_map[k]) for k in a_map)
    if isinstance(a, list) and isinstance(b, list):
        a_list, b_list = cast("list[Any]", a), cast("list[Any]", b)  # type: ignore[redundant-cast]
        return len(a_list) == len(b_list) and all(map(same_json, a_list, b_list))
    numbers = isinstance(a, (int, float)) and isinstance(b, (int, float))
    return (same_type or numbers) and a == b
