"""Access tokens verified locally, kept so that verifying one again costs a lookup.

A web app verifies the same access token on every request of a user until it expires. What a
full local verification produced is a ``VerifiedToken``; a client keeps the latest ones in its
``VerifiedTokens``, keyed by the token itself. A kept token is used again only while a full
verification would accept it too:

- its times are checked again, against the caller's clock, with the same rules and leeways
  (``tokens.time_problem``): an expired token is never served from here;
- the key that verified it must still be the one the current key set holds for its ``kid``: a
  JWKS refresh that drops or replaces that key makes the entry useless (the caller drops it);
- the caller never looks here, and never stores, where the core must answer: with
  ``check_database``, and for a token used for the first time after a refresh (it has a
  ``parentRefreshTokenHash1``); and v2 tokens, which name no key, are not kept at all.

Per-request checks (anti-CSRF) are the caller's, on every call. Revocation is not seen here, as
it is not by a local verification either: only ``check_database`` asks the core.

The tokens are secrets: they are dictionary keys here and appear in no repr or message.
Lookups and changes take no lock: each is one or two C dict operations (``VerifiedTokens``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Optional, cast

from authclient._protocol import rs256
from authclient._protocol import token_format as fmt
from authclient._protocol.tokens import (
    NO_NBF,
    AccessTokenInfo,
    ParsedAccessToken,
    TokenVerifyError,
    front_token,
    front_token_payload,
    known_header,
    time_problem,
    usual_claims,
)
from authclient.types import SessionConfig

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey


class VerifiedToken:
    """What one local verification produced: the token's claims, the key, its front token.

    Kept small (a cache holds a thousand of them): the whole payload the front token shows
    is decoded again from the token when a front token is first asked for.
    """

    __slots__ = ("_front_token", "info", "key", "not_before")

    def __init__(self, info: AccessTokenInfo, key: object, not_before: object) -> None:
        self.info = info
        self.key = key  # the key that verified it; None for v2 tokens, which are never kept
        self.not_before = not_before  # the nbf claim, or tokens.NO_NBF
        self._front_token: Optional[str] = None

    @classmethod
    def of(
        cls, parsed: ParsedAccessToken, info: AccessTokenInfo, keys: Mapping[str, object]
    ) -> VerifiedToken:
        """What ``verify_access_token(parsed, keys, ...)`` verified as ``info``."""
        if parsed.version < 3:  # names no key (never kept)
            return cls(info, None, NO_NBF)
        assert parsed.kid is not None  # a v3+ token that verified names its key
        return cls(info, keys[parsed.kid], parsed.payload.get("nbf", NO_NBF))

    def __repr__(self) -> str:
        return f"VerifiedToken(kid={self.info.kid!r}, expiry_ms={self.info.expiry_ms})"

    def usable(self, keys: Mapping[str, object], now: float, config: SessionConfig) -> bool:
        """Would a full verification accept the token ``now`` (epoch seconds), with ``keys``
        (kid -> key) and ``config``'s leeways?"""
        info = self.info
        kid = info.kid
        if kid is None or keys.get(kid) is not self.key:
            return False
        if (
            self.not_before is NO_NBF
            and info.expiry_ms >= (now - config.expiry_leeway) * 1000
            and info.time_created_ms <= (now + config.clock_skew_leeway) * 1000
        ):  # time_problem's checks, for the usual token (no nbf) and without a call
            return True
        problem = time_problem(
            info,
            self.not_before,
            now=now,
            leeway=config.clock_skew_leeway,
            expiry_leeway=config.expiry_leeway,
        )
        return problem is None

    def custom_claims(self) -> dict[str, Any]:
        """The token's custom claims, as a new copy: what a session object may change."""
        payload = self.info.payload
        copied = payload.copy()
        for name, value in payload.items():
            if type(value) is dict or type(value) is list:  # the rest is immutable
                copied[name] = _copy(value)
        return copied

    def front_token(self, access_token: str) -> str:
        """The front token of ``access_token`` (the token verified; FDI.md §2), made when
        first asked for."""
        made = self._front_token
        if made is None:
            info = self.info
            up = front_token_payload(access_token, info.payload)
            made = self._front_token = front_token(info.user_id, info.expiry_ms, up)
        return made


def verify_usual_token(
    token: str,
    keys: Mapping[str, RSAPublicKey],
    *,
    now: float,
    leeway: float,
    expiry_leeway: float,
) -> Optional[VerifiedToken]:
    """``verify_access_token(parse_access_token(token), keys, ...)`` and ``VerifiedToken.of``
    in one pass, for the usual token: the latest version, a header accepted before, a key in
    ``keys``, the usual claims (``usual_claims``), no ``nbf``, within its times.

    ``None`` for any other token, before its signature is checked: the careful path then
    verifies it, and says what is wrong if anything is. Raises ``TokenVerifyError`` for a bad
    signature, as the careful path would.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, payload, signature = parts
    known = known_header(header)
    if known is None:
        return None
    version, alg, kid = known
    if version != fmt.LATEST_VERSION or alg != fmt.ALG:
        return None
    key = keys.get(kid)
    if key is None:
        return None
    try:
        text = fmt.b64url_decode(payload).decode()
        claims, end = fmt.scan_json(text, 0)
        signature_bytes = fmt.b64url_decode(signature)
    except (ValueError, RecursionError, StopIteration):
        return None
    if end != len(text) or type(claims) is not dict or "nbf" in claims:
        return None
    info = usual_claims(claims, kid)  # pyright: ignore[reportUnknownArgumentType]
    if (
        info is None
        or info.expiry_ms < (now - expiry_leeway) * 1000
        or info.time_created_ms > (now + leeway) * 1000
    ):  # time_problem's checks, inline (no nbf here); the careful path says what failed
        return None
    if not rs256.signed_by(key, signature_bytes, f"{header}.{payload}".encode()):
        raise TokenVerifyError("Access token signature is invalid")
    return VerifiedToken(info, key, NO_NBF)


def _copy(value: Any) -> Any:
    """A JSON value, its dicts and lists copied (the rest is immutable)."""
    if type(value) is dict:
        return {name: _copy(item) for name, item in cast("dict[str, object]", value).items()}
    if type(value) is list:
        return [_copy(item) for item in cast("list[object]", value)]
    return value


class VerifiedTokens:
    """A client's bounded map of access token -> ``VerifiedToken``; the oldest go first.

    ``size`` 0 keeps nothing. Entries are also dropped by the caller when
    ``VerifiedToken.usable`` says no.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        # Every change is one or two operations of the C OrderedDict, each whole under the GIL:
        # threads (and greenlets) share a cache without a lock. Two puts at once may both drop
        # an entry; the size is still never exceeded for long, by more than one per thread.
        self._entries: OrderedDict[str, VerifiedToken] = OrderedDict()
        # The lookup every verification starts with: the dict's own method, no Python frame.
        self.get: Callable[[str], Optional[VerifiedToken]] = self._entries.get

    def __repr__(self) -> str:
        return f"VerifiedTokens(size={self._size}, kept={len(self._entries)})"

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, token: object) -> bool:
        return token in self._entries

    @property
    def size(self) -> int:
        """How many tokens are kept at most."""
        return self._size

    def put(self, token: str, verified: VerifiedToken) -> None:
        """Keep ``verified`` for ``token``, dropping the oldest entry to make room."""
        if self._size == 0 or verified.key is None:
            return
        entries = self._entries
        entries[token] = verified  # a token kept already keeps its place
        if len(entries) > self._size:
            try:  # noqa: SIM105 - contextlib.suppress would cost a call on every new token
                entries.popitem(last=False)
            except KeyError:  # emptied meanwhile by clear() in another thread
                pass

    def discard(self, token: str) -> None:
        self._entries.pop(token, None)

    def clear(self) -> None:
        self._entries.clear()
