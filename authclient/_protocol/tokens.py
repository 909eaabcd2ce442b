"""Access tokens, client side: parse (v2 to v5), verify locally against the core's keys, read.

Sans-I/O: the caller supplies the keys (its cached JWKS) and the time. The token format is in
``token_format.py``; what the SDK *accepts* is its policy, here (``sdk_header_policy``,
``sdk_claims_policy``; CDI.md §3.1 "SDK parsing", §6.6-6.8). Error messages never contain the
token, its signature or its claims (the key id at most).
"""

from __future__ import annotations

import base64
import json
import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Optional, cast

import attrs

from authclient._protocol import rs256
from authclient._protocol import token_format as fmt
from authclient._protocol.rs256 import public_key_from_jwk as public_key_from_jwk  # callers' path
from authclient._protocol.token_format import V2_HEADER as V2_HEADER  # where callers import it

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey


class TokenParseError(Exception):
    """The token is malformed (the caller reports "Token parsing failed")."""


class TokenVerifyError(Exception):
    """The token is well formed but not acceptable: signature, key, expiry or claims."""


class UnknownKidError(TokenVerifyError):
    """The token's key id is not among the given keys: refetching the JWKS may help."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        super().__init__(f"Access token signed with an unknown key {kid[:100]!r}")


# The header of v3+ tokens from one core repeats: its checked form is kept, keyed by the header
# segment. Bounded (cleared when full) and limited to short headers, so it cannot grow.
_HEADER_CACHE: dict[str, tuple[int, str, str]] = {}
_HEADER_CACHE_SIZE = 64
_HEADER_CACHE_MAX_LENGTH = 512
known_header: Callable[[str], Optional[tuple[int, str, str]]] = _HEADER_CACHE.get
"""(version, alg, kid) of a header segment parsed and accepted before, or ``None``."""


# Not frozen, but never changed once made. The usual token is verified without one
# (token_cache.verify_usual_token); every other token verified makes one.
@attrs.define
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


# Not frozen, but never changed once made (the sessions of one token share it): the verified-
# token cache keeps a thousand of them, and plain slots are one small object, filled fastest.
@attrs.define
class AccessTokenInfo:
    """What a verified token says. Times are in ms; ``payload`` holds the custom claims only.

    ``refreshTokenHash1`` is checked but not kept: only the core uses it.
    """

    version: int
    session_handle: str
    user_id: str
    recipe_user_id: str
    tenant_id: str
    parent_refresh_token_hash1: Optional[str]
    anti_csrf_token: Optional[str] = attrs.field(repr=False)
    expiry_ms: int
    time_created_ms: int
    payload: dict[str, Any]
    kid: Optional[str]


# --- the SDK's acceptance policy (CDI.md §3.1 "SDK parsing", §6.6-6.8) -----------------------

SDK_MISSING_VERSION = 3
"""A v3+ header without ``version`` is v3 to the SDK (the core reads it as v5)."""

PROTECTED_CLAIMS = frozenset((*fmt.CORE_CLAIMS[fmt.LATEST_VERSION], "stt"))
"""What the SDK never counts as a custom claim, whatever the version, and keeps out of custom
payloads: the core's claims of the latest version, and ``stt`` (which marks OAuth2 tokens)."""


def _sdk_version(value: object) -> Optional[int]:
    # The reference SDK reads the version with int(): a JSON number, or digits with leading
    # zeros, name a version too.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 4:
        value = str(int(value))
    return fmt.named_version(value)


def sdk_header_policy(header: Mapping[str, Any]) -> tuple[int, str, str]:
    """(version, alg, kid) of a v3+ header the SDK accepts; ``ValueError`` for any other.

    ``typ`` must be JWT and ``kid`` a string; ``crit`` is refused; ``alg`` is only required to
    be a string here (``verify_access_token`` requires RS256).
    """
    if header.get("typ") != fmt.TYP:
        raise ValueError("the header's typ is not JWT")
    if "crit" in header:
        raise ValueError("the header has critical extensions")
    alg = header.get("alg")
    if not isinstance(alg, str):
        raise ValueError("the header has no alg")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise ValueError("the header has no kid")
    version = _sdk_version(header.get("version", SDK_MISSING_VERSION))
    if version is None:
        raise ValueError("the header has an unsupported version")
    return version, alg, kid


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


# The claims of the latest version's usual token, in one C call, and the types they may have
# together: one tuple compared against the accepted combinations checks them all.
_LATEST = fmt.LAYOUTS[fmt.LATEST_VERSION]
assert _LATEST.tenant_id is not None and _LATEST.recipe_user_id is not None  # v4+, v5+
_USUAL_CLAIMS = operator.itemgetter(
    _LATEST.user_id,
    _LATEST.recipe_user_id,
    _LATEST.tenant_id,
    "sessionHandle",
    "refreshTokenHash1",
    "parentRefreshTokenHash1",
    "antiCsrfToken",
    _LATEST.expiry,
    _LATEST.time_created,
)
_MS_PER_UNIT = _LATEST.ms_per_time_unit
_USUAL_TYPES = frozenset(
    (str, str, str, str, str, parent, anti_csrf, int, int)
    for parent in (str, type(None))
    for anti_csrf in (str, type(None))
)


def usual_claims(claims: dict[str, Any], kid: str) -> Optional[AccessTokenInfo]:
    """``sdk_claims_policy`` for the usual token's ``claims``, of the latest version and
    signed with ``kid``: every claim present with exactly its JSON type, no ``stt``. ``None``
    for any other (``sdk_claims_policy`` then says what is wrong, if anything is)."""
    if "stt" in claims:
        return None
    try:
        values = _USUAL_CLAIMS(claims)
    except KeyError:
        return None
    if tuple(map(type, values)) not in _USUAL_TYPES:
        return None
    user_id, recipe_user_id, tenant_id, handle, _, parent_hash, anti_csrf, expiry, created = values
    # One string where two are equal: a cache keeps fewer objects per token.
    if recipe_user_id == user_id:
        recipe_user_id = user_id
    if tenant_id == "public":
        tenant_id = "public"
    # The custom claims, found in one pass in C; in the token's order when there are several.
    custom = claims.keys() - PROTECTED_CLAIMS
    if len(custom) < 2:
        payload = {name: claims[name] for name in custom}
    else:
        payload = {name: value for name, value in claims.items() if name in custom}
    return AccessTokenInfo(
        fmt.LATEST_VERSION,
        handle,
        user_id,
        recipe_user_id,
        tenant_id,
        parent_hash,
        anti_csrf,
        expiry * _MS_PER_UNIT,
        created * _MS_PER_UNIT,
        payload,
        kid,
    )


def sdk_claims_policy(parsed: ParsedAccessToken) -> AccessTokenInfo:
    """The claims of a token as the SDK reads them; ``TokenVerifyError`` if it refuses them.

    Every claim the version has is type-checked (times are integers, ids strings); a missing
    or null ``parentRefreshTokenHash1`` / ``antiCsrfToken`` is tolerated; a token with a
    non-zero ``stt`` is not a session token. Checks no signature or time: use
    ``verify_access_token`` for tokens from a caller.
    """
    claims = parsed.payload
    stt = claims.get("stt", 0)
    if isinstance(stt, bool) or stt != 0:
        raise TokenVerifyError("Access token is not a session token (stt)")
    layout = fmt.LAYOUTS[parsed.version]
    if layout.user_data is None:
        payload = {name: value for name, value in claims.items() if name not in PROTECTED_CLAIMS}
    else:
        user_data = claims.get(layout.user_data)
        if not isinstance(user_data, dict):
            raise TokenVerifyError(
                f"Access token claim {layout.user_data!r} is missing or not an object"
            )
        payload = cast("dict[str, Any]", user_data)
    user_id = _str_claim(claims, layout.user_id)
    _str_claim(claims, "refreshTokenHash1")  # checked, not kept: the client never reads it
    return AccessTokenInfo(
        version=parsed.version,
        session_handle=_str_claim(claims, "sessionHandle"),
        user_id=user_id,
        recipe_user_id=_str_claim(claims, layout.recipe_user_id)
        if layout.recipe_user_id
        else user_id,
        tenant_id=_str_claim(claims, layout.tenant_id) if layout.tenant_id else "public",
        parent_refresh_token_hash1=_optional_str_claim(claims, "parentRefreshTokenHash1"),
        anti_csrf_token=_optional_str_claim(claims, "antiCsrfToken"),
        expiry_ms=_int_claim(claims, layout.expiry) * layout.ms_per_time_unit,
        time_created_ms=_int_claim(claims, layout.time_created) * layout.ms_per_time_unit,
        payload=payload,
        kid=parsed.kid,
    )


# --- parsing and verifying ---------------------------------------------------------------------


def _parse_header(segment: str) -> tuple[int, str, str]:
    cached = _HEADER_CACHE.get(segment)
    if cached is not None:
        return cached
    result = sdk_header_policy(fmt.json_object(fmt.b64url_decode(segment), "header"))
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
    if header == V2_HEADER:
        claims = fmt.json_object(fmt.b64std_decode(payload), "payload")
        return ParsedAccessToken(
            2, None, f"{header}.{payload}".encode(), fmt.b64std_decode(signature), claims, fmt.ALG
        )
    version, alg, kid = _parse_header(header)
    claims = fmt.json_object(fmt.b64url_decode(payload), "payload")
    return ParsedAccessToken(
        version, kid, f"{header}.{payload}".encode(), fmt.b64url_decode(signature), claims, alg
    )


def parse_access_token(token: str) -> ParsedAccessToken:
    """Split a v2-v5 access token; ``TokenParseError`` if it is malformed. Checks no signature."""
    if not isinstance(token, str):
        raise TypeError(f"the access token must be a str, not {type(token).__name__}")
    try:
        return _parse(token)
    except ValueError as exc:  # our checks, and binascii/json/utf-8 errors
        raise TokenParseError(f"Access token parsing failed: {exc}") from None


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
    if parsed.alg != fmt.ALG:
        raise TokenVerifyError("Access token is not signed with RS256")
    if parsed.version == 2:  # v2 does not say which key signed it
        if not any(
            rs256.signed_by(key, parsed.signature, parsed.signing_input) for key in keys.values()
        ):
            raise TokenVerifyError("Access token signature matches none of the keys")
    else:
        if parsed.kid is None:
            raise TokenVerifyError("Access token has no key id")
        key = keys.get(parsed.kid)
        if key is None:
            raise UnknownKidError(parsed.kid)
        if not rs256.signed_by(key, parsed.signature, parsed.signing_input):
            raise TokenVerifyError("Access token signature is invalid")
    info = sdk_claims_policy(parsed)
    not_before = parsed.payload.get("nbf", NO_NBF) if parsed.version >= 3 else NO_NBF
    problem = time_problem(info, not_before, now=now, leeway=leeway, expiry_leeway=expiry_leeway)
    if problem is not None:
        raise TokenVerifyError(problem)
    return info


NO_NBF: Any = object()
"""``time_problem``'s ``not_before`` for a token without an ``nbf`` claim (v2 tokens have none)."""


def time_problem(
    info: AccessTokenInfo,
    not_before: object,
    *,
    now: float,
    leeway: float,
    expiry_leeway: float,
) -> Optional[str]:
    """Why the token's times refuse it ``now`` (``verify_access_token``'s rules), or ``None``.

    ``not_before`` is a v3+ token's ``nbf`` claim, ``NO_NBF`` when it has none.
    """
    if info.expiry_ms < (now - expiry_leeway) * 1000:
        return "Access token expired"
    if info.time_created_ms > (now + leeway) * 1000:
        return "Access token issued in the future"
    if not_before is not NO_NBF:
        if isinstance(not_before, bool) or not isinstance(not_before, (int, float)):
            return "Access token claim 'nbf' is not a number"
        if not_before > now + leeway:
            return "Access token is not valid yet (nbf)"
    return None


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
    """The expiry a token claims, in ms, unverified; 0 if it claims none (as an integer)."""
    layout = fmt.LAYOUTS[parsed.version]
    value = parsed.payload.get(layout.expiry)
    if isinstance(value, int) and not isinstance(value, bool):
        return value * layout.ms_per_time_unit
    return 0
