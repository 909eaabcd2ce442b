"""Minting and reading session tokens, server side (CDI.md §1.3 and §3.1).

Access tokens are JWTs signed with RS256, in the format of ``authclient/_protocol/
token_format.py`` (shared with the SDK): v3 to v5 carry the core's claims and the custom claims
flattened at the top level; v2 is the legacy format with a fixed header, standard base64 and
the custom claims under ``userData``. What the core *accepts* is its own policy, here
(``core_header_policy``, ``core_claims_policy``). Refresh tokens are opaque to everyone but the
core: AES-GCM-encrypted JSON, ``<ciphertext>.<nonce>.V2``.
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

from authclient._protocol import token_format as fmt
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
    if any(name in payload for name in fmt.CORE_CLAIMS[version]):
        raise ProtectedClaimError


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
        layout = fmt.LAYOUTS[self.version]
        unit = layout.ms_per_time_unit
        claims: dict[str, Any] = {
            layout.user_id: self.user_id,
            layout.expiry: self.expiry_ms // unit,
            layout.time_created: self.time_created_ms // unit,
        }
        if layout.tenant_id is not None:
            claims[layout.tenant_id] = self.tenant_id
        if layout.recipe_user_id is not None:
            claims[layout.recipe_user_id] = self.recipe_user_id
        claims["sessionHandle"] = self.session_handle
        claims["refreshTokenHash1"] = self.refresh_token_hash1
        for name, value in (
            ("parentRefreshTokenHash1", self.parent_refresh_token_hash1),
            ("antiCsrfToken", self.anti_csrf_token),
        ):
            if value is not None or not layout.nulls_omitted:
                claims[name] = value
        if layout.user_data is not None:
            claims[layout.user_data] = self.user_data
            return claims
        for name, value in self.user_data.items():
            if name in claims:
                raise ProtectedClaimError
            claims[name] = value
        return claims

    def sign(self, key: SigningKey) -> str:
        return fmt.encode_token(self.version, key.kid, self.claims(), key.sign)


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
        """The token's content by ``core_claims_policy``; ``TokenError`` if it refuses it."""
        return core_claims_policy(self)


# --- the core's acceptance policy (CDI.md §3.1 "fromJSON", §6.6-6.8) -------------------------

CORE_MISSING_VERSION = 5
"""A v3+ header without ``version`` (e.g. from /recipe/jwt) is the latest version to the core
(the SDK reads it as v3)."""


def core_header_policy(header: dict[str, Any]) -> tuple[int, str]:
    """(version, kid) of a v3+ header the core accepts; ``ValueError`` for any other.

    ``typ`` JWT, ``alg`` RS256 and a string ``kid``; the version only as the string the core
    writes (a JSON number is refused).
    """
    if header.get("typ") != fmt.TYP:
        raise ValueError("JWT header mismatch - typ")
    if header.get("alg") != fmt.ALG:
        raise ValueError("JWT header mismatch - alg")
    version = fmt.named_version(header.get("version", str(CORE_MISSING_VERSION)))
    if version is None:
        raise ValueError("JWT header mismatch - version")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise ValueError("JWT header missing - kid")
    return version, kid


def core_claims_policy(parsed: ParsedToken) -> AccessToken:
    """The content of a token as the core reads it; ``TokenError`` if it refuses it.

    Every claim the core owns in that version must be present (``parentRefreshTokenHash1`` and
    ``antiCsrfToken`` of v3+ may be JSON null), ids strings and times whole numbers (a float
    such as ``1.7e9`` passes, as Gson reads it).
    """
    payload = parsed.payload
    layout = fmt.LAYOUTS[parsed.version]
    for name in layout.core_claims:
        if name not in payload:
            raise TokenError(
                "Access token does not contain all the information. "
                f"Maybe the structure has changed? {name}"
            )
    try:
        user_id = _str(payload[layout.user_id])
        if layout.user_data is not None:
            user_data = _dict(payload.get(layout.user_data))
        else:
            user_data = {k: v for k, v in payload.items() if k not in layout.core_claims}
        unit = layout.ms_per_time_unit
        return AccessToken(
            parsed.version,
            _str(payload["sessionHandle"]),
            user_id,
            _str(payload[layout.recipe_user_id]) if layout.recipe_user_id else user_id,
            _str(payload[layout.tenant_id]) if layout.tenant_id else "public",
            _str(payload["refreshTokenHash1"]),
            _opt_str(payload.get("parentRefreshTokenHash1")),
            _opt_str(payload.get("antiCsrfToken")),
            user_data,
            _int(payload[layout.expiry]) * unit,
            _int(payload[layout.time_created]) * unit,
        )
    except (TypeError, ValueError) as error:
        raise TokenError(f"Invalid access token: {error}") from None


def _read_segment(segment: str, layout: fmt.Layout) -> bytes:
    # Laxer than the SDK, as the local core always was: base64url padding is optional and the
    # unused low bits are ignored. A token so spelled fails its signature check anyway.
    if layout.base64url:
        return _lenient_b64url(segment)
    return base64.b64decode(segment, validate=True)


def _lenient_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


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
    try:
        header, payload, signature = fmt.split(token)
    except ValueError:
        raise TokenError("Invalid JWT") from None
    try:
        if header == fmt.V2_HEADER:
            version, kid = 2, None
        else:
            raw = fmt.json_object(_lenient_b64url(header), "header", read=load_json)
            version, kid = core_header_policy(raw)
        layout = fmt.LAYOUTS[version]
        claims = fmt.json_object(_read_segment(payload, layout), "payload", read=load_json)
        signature_bytes = _read_segment(signature, layout)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise TokenError(f"Invalid JWT: {error}") from None
    return ParsedToken(version, kid, fmt.signing_input(header, payload), signature_bytes, claims)


@attrs.frozen
class RefreshToken:
    """What a refresh token carries."""

    session_handle: str
    user_id: str
    parent_refresh_token_hash1: Optional[str]
    anti_csrf_token: Optional[str]

    def seal(self, secret: bytes) -> str:
        nonce = os.urandom(12)
        plain = fmt.dumps(attrs.asdict(self))
        sealed = AESGCM(secret).encrypt(nonce, plain, None)
        return f"{fmt.b64url_encode(sealed)}.{fmt.b64url_encode(nonce)}.V2"

    @classmethod
    def open(cls, token: str, secret: bytes) -> RefreshToken:
        """Decrypt a refresh token; ``TokenError`` if it was not made with ``secret`` or altered."""
        parts = token.split(".")
        try:
            if len(parts) != 3 or parts[2] != "V2":
                raise ValueError("not a refresh token")
            plain = AESGCM(secret).decrypt(
                _lenient_b64url(parts[1]), _lenient_b64url(parts[0]), None
            )
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
