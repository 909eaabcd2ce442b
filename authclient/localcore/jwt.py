"""``POST /recipe/jwt``: a JWT for another service, as the real core's ``JWTSigningAPI`` mints it.

Compared answer by answer with the real core (11.1.3):

- The body's fields are read as the core's Gson-based ``InputParser`` reads them, in its
  order: ``algorithm``, ``jwksDomain`` (strings), ``payload`` (an object), ``validity`` (a
  64-bit integer: a number, truncated; or a decimal string), then ``useStaticSigningKey``
  (from CDI 2.21; optional, and a number reads as ``false``). A JSON array holding a single
  value stands for that value, as with Gson. Anything else: HTTP 400 ``Field name 'x' is
  invalid in JSON input``; a validity of 0 or less: HTTP 400 in the core's own words.
- App-wide: under a tenant prefix, HTTP 403 from CDI 5.0 on (only once the body was read).
- An algorithm other than RS256 (any case) is ``UNSUPPORTED_ALGORITHM_ERROR``.
- The JWT: header ``{"kid","typ","alg"}`` (no ``version``), claims ``iat`` and ``exp`` (seconds,
  from the core's millisecond arithmetic on 64-bit integers, which wraps for absurd validities),
  ``iss = jwksDomain``, then the payload's own claims, which override all three. Signed with
  the static key (``s-…``) unless ``useStaticSigningKey`` is false (then the dynamic key that
  signs access tokens); both are in the JWKS.
- An integer claim of 19 digits or more fails in the core's JWT library (its JSON reader makes
  it a ``BigInteger``, which the library refuses): HTTP 500 with the library's message.

``GET /recipe/jwt/jwks`` is the deprecated JWKS of the jwt recipe: the keys of
``/.well-known/jwks.json`` with ``"status": "OK"``, behind the api key, without Cache-Control.
"""

from __future__ import annotations

from typing import Any, Optional, cast

from authclient._protocol import token_format as fmt
from authclient.localcore._wire import Call, HttpError, JsonBody, bad_request

UNSUPPORTED_ALGORITHM = {"status": "UNSUPPORTED_ALGORITHM_ERROR"}
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_BIG_INTEGER = 10**18  # 19 digits: read as a BigInteger by the real core's JSON library
_UNSUPPORTED_CLAIM = (
    "java.lang.IllegalArgumentException: Claim values must only be of types Map, List, "
    "Boolean, Integer, Long, Double, String, Date, Instant, and Null"
)
_MISSING = object()


def _invalid(name: str) -> HttpError:
    return bad_request(f"Field name '{name}' is invalid in JSON input")


def _single(value: object) -> object:
    """What Gson reads from a value: an array of exactly one element reads as that element."""
    while isinstance(value, list):
        items = cast("list[object]", value)
        if len(items) != 1:
            return items
        value = items[0]
    return value


def _wrap_long(value: int) -> int:
    """``value`` as a Java ``long``: its low 64 bits, signed."""
    return (value - _LONG_MIN) % 2**64 + _LONG_MIN


def _string(body: JsonBody, name: str) -> str:
    value = _single(body.value(name, _MISSING))
    if not isinstance(value, str):
        raise _invalid(name)
    return value


def _long(body: JsonBody, name: str) -> int:
    value = _single(body.value(name, _MISSING))
    if isinstance(value, bool):
        raise _invalid(name)
    if isinstance(value, (int, float)):
        return _wrap_long(int(value))  # a fraction is cut off, as Java's longValue() does
    if isinstance(value, str) and value.isascii():
        digits = value[1:] if value[:1] in ("+", "-") else value
        if digits.isdigit() and _LONG_MIN <= int(value) <= _LONG_MAX:
            return int(value)
    raise _invalid(name)


def _optional_boolean(body: JsonBody, name: str) -> Optional[bool]:
    if not body.has(name):
        return None
    value = _single(body.value(name))
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return False  # Boolean.parseBoolean of a number's text
    raise _invalid(name)


def _java_seconds(ms: int) -> int:
    """Milliseconds to the seconds of a JWT date: Java's division, which rounds towards zero."""
    return abs(ms) // 1000 * (1 if ms >= 0 else -1)


def _fits_the_jwt_library(value: object) -> bool:
    if isinstance(value, dict):
        return all(map(_fits_the_jwt_library, cast("dict[str, object]", value).values()))
    if isinstance(value, list):
        return all(map(_fits_the_jwt_library, cast("list[object]", value)))
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) < _BIG_INTEGER
    return True


def sign(call: Call) -> dict[str, Any]:
    body = call.body()
    algorithm = _string(body, "algorithm")
    jwks_domain = _string(body, "jwksDomain")
    payload = body.object("payload")
    validity = _long(body, "validity")
    if validity <= 0:
        raise bad_request("validity must be greater than or equal to 0")
    static = True
    if call.cdi >= (2, 21):
        static = _optional_boolean(body, "useStaticSigningKey") is not False
    call.require_public_tenant()
    if algorithm.upper() != fmt.ALG:
        return UNSUPPORTED_ALGORITHM
    if not _fits_the_jwt_library(payload):
        raise HttpError(500, _UNSUPPORTED_CLAIM)
    key = call.keys.signing_key(call.app_id, call.config, call.now_ms, static=static)
    expires_ms = _wrap_long(call.now_ms + _wrap_long(validity * 1000))
    claims = {
        "iat": _java_seconds(call.now_ms),
        "exp": _java_seconds(expires_ms),
        "iss": jwks_domain,
        **payload,
    }
    header = fmt.b64url_encode(fmt.dumps({"kid": key.kid, "typ": fmt.TYP, "alg": fmt.ALG}))
    content = fmt.b64url_encode(fmt.dumps(claims))
    signature = fmt.b64url_encode(key.sign(fmt.signing_input(header, content)))
    return {"status": "OK", "jwt": f"{header}.{content}.{signature}"}


def jwks(call: Call) -> dict[str, Any]:
    call.require_public_tenant()
    document, _ = call.keys.jwks(call.app_id, call.config, call.now_ms)
    return {**document, "status": "OK"}
