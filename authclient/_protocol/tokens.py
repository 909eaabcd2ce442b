"""Access tokens: parse (v2 to v5), verify locally against the core's keys, and read the claims.

Sans-I/O: the caller supplies the keys (its cached JWKS) and the time. See CDI.md §3.
Error messages never contain the token, its signature or its claims (the key id at most).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any, NoReturn, Optional, cast

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey, RSAPublicNumbers
from cryptography.hazmat.primitives.hashes import SHA256


class TokenParseError(Exception):
    """The token is malformed (the caller reports "Token parsing failed")."""


class TokenVerifyError(Exception):
    """The token is well formed but not acceptable: signature, key, expiry or claims."""


class UnknownKidError(TokenVerifyError):
    """The token's key id is not among the given keys: refetching the JWKS may help."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        super().__init__(f"Access token signed with an unknown key {kid[:100]!r}")


V2_HEADER = base64.b64encode(b'{"alg":"RS256","typ":"JWT","version":"2"}').decode()
"""The only header a v2 token may have, compared as a string (standard base64, padded)."""

_V3_CORE_CLAIMS = (
    "sub",
    "exp",
    "iat",
    "sessionHandle",
    "refreshTokenHash1",
    "parentRefreshTokenHash1",
    "antiCsrfToken",
)
CORE_CLAIMS: dict[int, tuple[str, ...]] = {
    2: ("userId", "expiryTime", "timeCreated", "sessionHandle", "refreshTokenHash1"),
    3: _V3_CORE_CLAIMS,
    4: (*_V3_CORE_CLAIMS, "tId"),
    5: (*_V3_CORE_CLAIMS, "tId", "rsub"),
}
"""The claims the core owns, per access-token version: a payload may not set them."""

PROTECTED_CLAIMS = frozenset((*CORE_CLAIMS[5], "stt"))
"""What the client keeps out of custom payloads (``stt`` marks OAuth2 tokens)."""
"""The core's own claims of a v3+ token; every other top-level claim is a custom one."""

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_BASE64STD = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_URL_TO_STD = bytes.maketrans(b"-_", b"+/")
# The last character of an encoding whose length is 2 or 3 (mod 4) has unused low bits; they
# must be zero, or several strings would decode to the same bytes.
_CANONICAL_LAST = {2: "AQgw", 3: "AEIMQUYcgkosw048"}
_PADDING = {2: b"==", 3: b"="}


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)
_PKCS1V15 = PKCS1v15()
_SHA256 = SHA256()

# The header of v3+ tokens from one core repeats: its checked form is kept, keyed by the header
# segment. Bounded (cleared when full) and limited to short headers, so it cannot grow.
_HEADER_CACHE: dict[str, tuple[int, str, str]] = {}
_HEADER_CACHE_SIZE = 64
_HEADER_CACHE_MAX_LENGTH = 512


@attrs.frozen
class ParsedAccessToken:
    """A token split into its parts; nothing about it is verified yet.

    ``alg`` is the header's algorithm, not checked until ``verify_access_token`` (v2: RS256).
    """

    version: int
    kid: Optional[str]
    signing_input: bytes = attrs.field(repr=False)
    signature: bytes = attrs.field(repr=False)
    payload: dict[str, Any] = attrs.field(repr=False)
    alg: str


@attrs.frozen
class AccessTokenInfo:
    """What a verified token says. Times are in ms; ``payload`` holds the custom claims only."""

    version: int
    session_handle: str
    user_id: str
    recipe_user_id: str
    tenant_id: str
    refresh_token_hash1: str
    parent_refresh_token_hash1: Optional[str]
    anti_csrf_token: Optional[str] = attrs.field(repr=False)
    expiry_ms: int
    time_created_ms: int
    payload: dict[str, Any]
    kid: Optional[str]


def _b64decode(segment: str, *, url: bool) -> bytes:
    """Strict base64: only the one alphabet, canonical; url: no padding; std: padding optional."""
    if url:
        if _BASE64URL.fullmatch(segment) is None:
            raise ValueError("a segment is not base64url")
        data = segment.encode().translate(_URL_TO_STD)
    else:
        if _BASE64STD.fullmatch(segment) is None:
            raise ValueError("a segment is not base64")
        unpadded = segment.rstrip("=")
        if len(unpadded) != len(segment) and len(segment) % 4:
            raise ValueError("a segment has wrong base64 padding")
        segment = unpadded
        data = segment.encode()
    rest = len(segment) % 4
    if rest:
        if rest == 1 or segment[-1] not in _CANONICAL_LAST[rest]:
            raise ValueError("a segment has a wrong base64 length or ending")
        data += _PADDING[rest]
    return binascii.a2b_base64(data)


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = _JSON.decode(data.decode())
    except (ValueError, RecursionError):
        raise ValueError(f"the {what} is not JSON") from None
    if not isinstance(value, dict):
        raise ValueError(f"the {what} is not a JSON object")
    return cast("dict[str, Any]", value)


def _parse_header(segment: str) -> tuple[int, str, str]:
    """(version, alg, kid) of a v3+ header."""
    cached = _HEADER_CACHE.get(segment)
    if cached is not None:
        return cached
    header = _json_object(_b64decode(segment, url=True), "header")
    if header.get("typ") != "JWT":
        raise ValueError("the header's typ is not JWT")
    if "crit" in header:
        raise ValueError("the header has critical extensions")
    alg = header.get("alg")
    if not isinstance(alg, str):
        raise ValueError("the header has no alg")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise ValueError("the header has no kid")
    version = header.get("version", 3)
    if isinstance(version, str) and version.isascii() and version.isdigit() and len(version) < 4:
        version = int(version)
    if isinstance(version, bool) or not isinstance(version, int) or not 3 <= version <= 5:
        raise ValueError("the header has an unsupported version")
    result = (version, alg, kid)
    if len(segment) <= _HEADER_CACHE_MAX_LENGTH:
        if len(_HEADER_CACHE) >= _HEADER_CACHE_SIZE:
            _HEADER_CACHE.clear()
        _HEADER_CACHE[segment] = result
    return result


def _parse(token: str) -> ParsedAccessToken:
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("the token does not have 3 dot-separated parts")
    header, payload, signature = parts
    kid: Optional[str]
    if header == V2_HEADER:  # v2 segments are standard base64
        version, alg, kid, url = 2, "RS256", None, False
    else:
        version, alg, kid = _parse_header(header)
        url = True
    claims = _json_object(_b64decode(payload, url=url), "payload")
    return ParsedAccessToken(
        version=version,
        kid=kid,
        signing_input=token[: len(header) + 1 + len(payload)].encode(),  # ASCII by now
        signature=_b64decode(signature, url=url),
        payload=claims,
        alg=alg,
    )


def parse_access_token(token: str) -> ParsedAccessToken:
    """Split a v2-v5 access token; ``TokenParseError`` if it is malformed. Checks no signature."""
    if not isinstance(token, str):
        raise TypeError(f"the access token must be a str, not {type(token).__name__}")
    try:
        return _parse(token)
    except ValueError as exc:  # our checks, and binascii/json/utf-8 errors
        raise TokenParseError(f"Access token parsing failed: {exc}") from None


def _str_claim(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str):
        raise TokenVerifyError(f"Access token claim {name!r} is missing or not a string")
    return value


def _int_claim(payload: Mapping[str, Any], name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TokenVerifyError(f"Access token claim {name!r} is missing or not an integer")
    return value


def _optional_str_claim(payload: Mapping[str, Any], name: str) -> Optional[str]:
    value = payload.get(name)
    if value is not None and not isinstance(value, str):
        raise TokenVerifyError(f"Access token claim {name!r} is not a string or null")
    return value


def access_token_info(parsed: ParsedAccessToken) -> AccessTokenInfo:
    """The claims of a token, type-checked per its version; ``TokenVerifyError`` if wrong.

    Checks no signature or time: use ``verify_access_token`` for tokens from a caller.
    """
    claims = parsed.payload
    stt = claims.get("stt", 0)
    if isinstance(stt, bool) or stt != 0:
        raise TokenVerifyError("Access token is not a session token (stt)")
    if parsed.version == 2:
        user_data = claims.get("userData")
        if not isinstance(user_data, dict):
            raise TokenVerifyError("Access token claim 'userData' is missing or not an object")
        user_id = _str_claim(claims, "userId")
        return AccessTokenInfo(
            version=2,
            session_handle=_str_claim(claims, "sessionHandle"),
            user_id=user_id,
            recipe_user_id=user_id,
            tenant_id="public",
            refresh_token_hash1=_str_claim(claims, "refreshTokenHash1"),
            parent_refresh_token_hash1=_optional_str_claim(claims, "parentRefreshTokenHash1"),
            anti_csrf_token=_optional_str_claim(claims, "antiCsrfToken"),
            expiry_ms=_int_claim(claims, "expiryTime"),
            time_created_ms=_int_claim(claims, "timeCreated"),
            payload=cast("dict[str, Any]", user_data),
            kid=parsed.kid,
        )
    user_id = _str_claim(claims, "sub")
    return AccessTokenInfo(
        version=parsed.version,
        session_handle=_str_claim(claims, "sessionHandle"),
        user_id=user_id,
        recipe_user_id=_str_claim(claims, "rsub") if parsed.version >= 5 else user_id,
        tenant_id=_str_claim(claims, "tId") if parsed.version >= 4 else "public",
        refresh_token_hash1=_str_claim(claims, "refreshTokenHash1"),
        parent_refresh_token_hash1=_optional_str_claim(claims, "parentRefreshTokenHash1"),
        anti_csrf_token=_optional_str_claim(claims, "antiCsrfToken"),
        expiry_ms=_int_claim(claims, "exp") * 1000,
        time_created_ms=_int_claim(claims, "iat") * 1000,
        payload={name: value for name, value in claims.items() if name not in PROTECTED_CLAIMS},
        kid=parsed.kid,
    )


def public_key_from_jwk(jwk: Mapping[str, Any]) -> RSAPublicKey:
    """The RSA key of one JWKS entry; ``ValueError`` for any other kind of key or a bad one."""
    if jwk.get("kty") != "RSA":
        raise ValueError("the JWK is not an RSA key")
    if jwk.get("alg", "RS256") != "RS256" or jwk.get("use", "sig") != "sig":
        raise ValueError("the JWK is not an RS256 signing key")
    n, e = jwk.get("n"), jwk.get("e")
    if not isinstance(n, str) or not isinstance(e, str):
        raise ValueError("the JWK has no n and e")
    modulus = int.from_bytes(_b64decode(n, url=True), "big")
    exponent = int.from_bytes(_b64decode(e, url=True), "big")
    return RSAPublicNumbers(exponent, modulus).public_key()


def _signed_by(key: RSAPublicKey, parsed: ParsedAccessToken) -> bool:
    try:
        key.verify(parsed.signature, parsed.signing_input, _PKCS1V15, _SHA256)
    except InvalidSignature:
        return False
    return True


def verify_access_token(
    parsed: ParsedAccessToken,
    keys: Mapping[str, RSAPublicKey],
    *,
    now: float,
    leeway: float,
    expiry_leeway: float = 0.0,
) -> AccessTokenInfo:
    """Check the RS256 signature with ``keys`` (kid -> key), the claims, and the token's times.

    ``now`` is seconds since the epoch; ``leeway`` (seconds) allows for clock skew on ``iat``
    and ``nbf``, ``expiry_leeway`` on ``exp`` (0 by default: expired means refused, as the core
    and the official SDKs do). Raises ``TokenVerifyError``, or ``UnknownKidError`` when the key id is
    not in ``keys`` (refetching the keys may help).
    """
    if parsed.alg != "RS256":
        raise TokenVerifyError("Access token is not signed with RS256")
    if parsed.version == 2:  # v2 does not say which key signed it
        if not any(_signed_by(key, parsed) for key in keys.values()):
            raise TokenVerifyError("Access token signature matches none of the keys")
    else:
        if parsed.kid is None:
            raise TokenVerifyError("Access token has no key id")
        key = keys.get(parsed.kid)
        if key is None:
            raise UnknownKidError(parsed.kid)
        if not _signed_by(key, parsed):
            raise TokenVerifyError("Access token signature is invalid")
    info = access_token_info(parsed)
    if info.expiry_ms < (now - expiry_leeway) * 1000:
        raise TokenVerifyError("Access token expired")
    if info.time_created_ms > (now + leeway) * 1000:
        raise TokenVerifyError("Access token issued in the future")
    if parsed.version >= 3 and "nbf" in parsed.payload:
        not_before = parsed.payload["nbf"]
        if isinstance(not_before, bool) or not isinstance(not_before, (int, float)):
            raise TokenVerifyError("Access token claim 'nbf' is not a number")
        if not_before > now + leeway:
            raise TokenVerifyError("Access token is not valid yet (nbf)")
    return info


def front_token_payload(access_token: str, custom: Mapping[str, Any]) -> Mapping[str, Any]:
    """The front token's ``up`` (FDI.md §2): a v3+ token's whole decoded payload (core claims
    included: the frontend reads ``iat`` for clock skew), a v2 token's ``userData``.

    ``custom`` (the custom claims) stands in for a token that cannot be decoded.
    """
    try:
        parsed = _parse(access_token)
    except ValueError:
        return custom
    if parsed.version == 2:
        user_data = parsed.payload.get("userData")
        return cast("dict[str, Any]", user_data) if isinstance(user_data, dict) else custom
    return parsed.payload


def front_token(user_id: str, expiry_ms: int, payload: Mapping[str, Any]) -> str:
    """The front token: what a browser may read of a session (FDI.md §2). ``payload`` is its
    ``up``: see ``front_token_payload``."""
    data = {"uid": user_id, "ate": expiry_ms, "up": payload}
    return base64.b64encode(
        json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    ).decode()


def claimed_expiry_ms(parsed: ParsedAccessToken) -> int:
    """The expiry a token claims (v2 ``expiryTime`` ms, v3+ ``exp`` s), unverified; 0 if none."""
    for name, scale in (("expiryTime", 1), ("exp", 1000)):
        value = parsed.payload.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value * scale
    return 0
