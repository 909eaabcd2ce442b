"""The CDI access-token format, written once for the SDK and the local core (CDI.md §3.1).

What a token of each version looks like on the wire: its header, the claims the core owns and
where each value sits, how the segments are encoded, and which bytes are signed. Nothing here
decides what to *accept*; each side names its own acceptance policy:

- the SDK's in ``authclient/_protocol/tokens.py`` (``sdk_header_policy``, ``sdk_claims_policy``),
- the core's in ``authclient/localcore/tokens.py`` (``core_header_policy``, ``core_claims_policy``).

They differ on purpose (CDI.md §6.6-6.8): a header without ``version`` is v3 to the SDK and
v5 to the core; the core needs every claim present (JSON null allowed) where the SDK tolerates
a missing ``parentRefreshTokenHash1`` / ``antiCsrfToken`` but checks every type.
"""

from __future__ import annotations

import base64
import binascii
import json
import json.scanner
import re
import string
import sys
from typing import Any, Callable, NoReturn, Optional

import attrs

ALG = "RS256"
TYP = "JWT"

V2_HEADER = base64.b64encode(b'{"alg":"RS256","typ":"JWT","version":"2"}').decode()
"""The only header a v2 token may have, compared as a string (standard base64, padded)."""

LATEST_VERSION = 5


@attrs.frozen
class Layout:
    """Where a token of one version keeps each of the core's values, and how it is encoded."""

    version: int
    user_id: str
    expiry: str
    time_created: str
    ms_per_time_unit: int
    """``expiry`` and ``time_created`` count milliseconds (v2) or seconds (v3+)."""
    tenant_id: Optional[str]
    """The claim naming the tenant (v4+); older tokens belong to ``public``."""
    recipe_user_id: Optional[str]
    """The claim naming the recipe user (v5); older tokens: the same as ``user_id``."""
    user_data: Optional[str]
    """v2 nests the custom claims under this claim; v3+ (``None``) flattens them at the top."""
    core_claims: tuple[str, ...]
    """The claims the core owns: a custom payload may not set them (CDI.md §1.3)."""
    nulls_omitted: bool
    """v2 leaves out a null ``parentRefreshTokenHash1`` / ``antiCsrfToken``; v3+ writes null."""
    base64url: bool
    """Payload and signature in base64url without padding (v3+), else standard base64 (v2)."""


_V3_CORE_CLAIMS = (
    "sub",
    "exp",
    "iat",
    "sessionHandle",
    "refreshTokenHash1",
    "parentRefreshTokenHash1",
    "antiCsrfToken",
)


def _v3_plus(version: int, *extra: str) -> Layout:
    return Layout(
        version=version,
        user_id="sub",
        expiry="exp",
        time_created="iat",
        ms_per_time_unit=1000,
        tenant_id="tId" if version >= 4 else None,
        recipe_user_id="rsub" if version >= 5 else None,
        user_data=None,
        core_claims=(*_V3_CORE_CLAIMS, *extra),
        nulls_omitted=False,
        base64url=True,
    )


LAYOUTS: dict[int, Layout] = {
    2: Layout(
        version=2,
        user_id="userId",
        expiry="expiryTime",
        time_created="timeCreated",
        ms_per_time_unit=1,
        tenant_id=None,
        recipe_user_id=None,
        user_data="userData",
        core_claims=("userId", "expiryTime", "timeCreated", "sessionHandle", "refreshTokenHash1"),
        nulls_omitted=True,
        base64url=False,
    ),
    3: _v3_plus(3),
    4: _v3_plus(4, "tId"),
    5: _v3_plus(5, "tId", "rsub"),
}
"""Every access-token version, v2 (CDI < 2.21) to v5 (CDI >= 4.0)."""

CORE_CLAIMS: dict[int, tuple[str, ...]] = {v: layout.core_claims for v, layout in LAYOUTS.items()}
"""The claims the core owns, per access-token version."""


def header(kid: str, version: int) -> dict[str, str]:
    """The JSON header of a v3+ token, in the core's key order."""
    return {"alg": ALG, "typ": TYP, "kid": kid, "version": str(version)}


def named_version(value: object) -> Optional[int]:
    """The version a v3+ header's ``version`` names: the decimal string ``"3"`` to ``"5"``."""
    return {"3": 3, "4": 4, "5": 5}.get(value) if isinstance(value, str) else None


# --- segments --------------------------------------------------------------------------------

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_BASE64STD = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_URL_TO_STD = bytes.maketrans(b"-_", b"+/")
# base64url to standard base64 for the fast reader; the standard alphabet's own "+/" and "="
# become "!", which no base64 reader accepts: one pass both translates and rules them out.
_URL_TO_STD_ONLY = bytes.maketrans(b"-_+/=", b"+/!!!")
# The last character of an encoding whose length is 2 or 3 (mod 4) has unused low bits; they
# must be zero, or several strings would decode to the same bytes.
_CANONICAL_LAST = {2: "AQgw", 3: "AEIMQUYcgkosw048"}
_PADDING = {2: b"==", 3: b"="}
_STRICT_A2B = sys.version_info >= (3, 11)


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64std_encode(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64url_decode_by_pattern(segment: str) -> bytes:
    """``b64url_decode`` on any Python: the alphabet checked by a pattern first."""
    if _BASE64URL.fullmatch(segment) is None:
        raise ValueError("a segment is not base64url")
    return _decode_canonical(segment, segment.encode().translate(_URL_TO_STD))


# The padding a segment takes before the fast reader, by its length (mod 4) and its last
# character; only canonical last characters are listed, and a length of 1 (mod 4) is no
# base64. Anything not listed is judged by the careful path.
_PADDING_BY_LAST: tuple[dict[str, bytes], ...] = (
    dict.fromkeys(string.ascii_letters + string.digits + "-_", b""),
    {},
    dict.fromkeys(_CANONICAL_LAST[2], _PADDING[2]),
    dict.fromkeys(_CANONICAL_LAST[3], _PADDING[3]),
)


def _b64url_decode_strict(segment: str) -> bytes:
    # Python 3.11+ decodes strictly itself (any byte out of the alphabet is an error), so the
    # usual segment needs no pattern match; what fails is judged by the careful path.
    padding = _PADDING_BY_LAST[len(segment) % 4].get(segment[-1:])
    if padding is not None:
        try:
            data = segment.encode().translate(_URL_TO_STD_ONLY) + padding
            return binascii.a2b_base64(data, strict_mode=True)  # type: ignore[call-arg,unused-ignore]
        except ValueError:
            pass
    return b64url_decode_by_pattern(segment)


b64url_decode = _b64url_decode_strict if _STRICT_A2B else b64url_decode_by_pattern
"""Canonical base64url without padding; ``ValueError`` for any other spelling."""


def b64std_decode(segment: str) -> bytes:
    """Canonical standard base64, padding optional; ``ValueError`` for any other spelling."""
    if _BASE64STD.fullmatch(segment) is None:
        raise ValueError("a segment is not base64")
    unpadded = segment.rstrip("=")
    if len(unpadded) != len(segment) and len(segment) % 4:
        raise ValueError("a segment has wrong base64 padding")
    return _decode_canonical(unpadded, unpadded.encode())


def _decode_canonical(segment: str, data: bytes) -> bytes:
    rest = len(segment) % 4
    if rest:
        if rest == 1 or segment[-1] not in _CANONICAL_LAST[rest]:
            raise ValueError("a segment has a wrong base64 length or ending")
        data += _PADDING[rest]
    return binascii.a2b_base64(data)


def encode_segment(data: bytes, layout: Layout) -> str:
    return b64url_encode(data) if layout.base64url else b64std_encode(data)


def decode_segment(segment: str, layout: Layout) -> bytes:
    """A payload or signature segment, read strictly (``ValueError``)."""
    return b64url_decode(segment) if layout.base64url else b64std_decode(segment)


def split(token: str) -> tuple[str, str, str]:
    """Header, payload and signature segments; ``ValueError`` unless there are exactly 3."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("the token does not have 3 dot-separated parts")
    return parts[0], parts[1], parts[2]


def signing_input(header_segment: str, payload_segment: str) -> bytes:
    """What the RS256 signature covers: the two segments as sent, joined by a dot."""
    return f"{header_segment}.{payload_segment}".encode()


# --- JSON --------------------------------------------------------------------------------------


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
# (typeshed types make_scanner's argument as a scanner: it reads a decoder's settings)
scan_json: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    _DECODER  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
)
"""``scan_json(text, 0)``: (the JSON value at the start of ``text``, where it ends), as ``loads``
reads it, with no Python frame; ``StopIteration`` or ``ValueError`` where there is none."""


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the core writes token parts."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def loads(data: bytes) -> Any:
    """UTF-8 JSON text; ``NaN`` and ``Infinity`` are not JSON (``ValueError``)."""
    text = data.decode()
    try:
        value, end = _DECODER.raw_decode(text)  # the usual text: one value, no white space
    except ValueError:
        return _DECODER.decode(text)  # white space first, or no value: the full reader says
    # Anything after the value (white space, extra data) gets the full reader's verdict too.
    return value if end == len(text) else _DECODER.decode(text)


def json_object(data: bytes, what: str, read: Callable[[bytes], Any] = loads) -> dict[str, Any]:
    """The JSON object a segment holds; ``ValueError`` naming ``what`` (never its content).

    ``read`` parses the JSON text: a side may bring a stricter reader.
    """
    try:
        value = read(data)
    except (ValueError, RecursionError):
        raise ValueError(f"the {what} is not JSON") from None
    if type(value) is not dict:  # json gives a dict for an object, never a subclass
        raise ValueError(f"the {what} is not a JSON object")
    # No typing.cast: it is a call, on every token.
    return value  # pyright: ignore[reportUnknownVariableType]


def encode_token(
    version: int, kid: str, claims: dict[str, Any], sign: Callable[[bytes], bytes]
) -> str:
    """A complete token of ``version`` with ``claims``, signed by ``sign`` (RS256 of its input)."""
    layout = LAYOUTS[version]
    head = V2_HEADER if version == 2 else b64url_encode(dumps(header(kid, version)))
    body = encode_segment(dumps(claims), layout)
    return f"{head}.{body}.{encode_segment(sign(signing_input(head, body)), layout)}"
