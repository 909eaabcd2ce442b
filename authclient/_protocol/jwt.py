"""JWTs for other services (CDI row 17, ``POST /recipe/jwt``) and the OpenID discovery document.

As the official SDKs' session recipe does them (openid over jwt): the payload gets
``iss = api_domain + api_base_path`` unless it names its own, the core is asked for an RS256
JWT with ``jwksDomain = api_domain``, valid ``validity`` seconds (100 years by default), signed
with the static key unless ``use_static_signing_key`` is ``False``. The discovery document names
the same issuer and ``jwks_uri = issuer + "/jwt/jwks.json"``.
"""

from __future__ import annotations

from typing import Any, Optional, cast

from authclient._protocol.jsonvalue import check_json_object
from authclient._protocol.wire import CoreRequest, CoreResponse
from authclient.errors import ConfigurationError
from authclient.types import CreateJwtResult, OpenIdDiscoveryConfiguration, SessionConfig

RECIPE_ID = "jwt"
ALGORITHM = "RS256"
DEFAULT_VALIDITY_SECONDS = 3_153_600_000
"""100 years, the official SDKs' default (``jwt_validity_seconds``)."""
MAX_VALIDITY_SECONDS = 10**15
"""About 31 million years. The core works in milliseconds on 64-bit integers: from about
9.2e15 seconds on, the expiry wraps round into the past."""
JWKS_PATH = "/jwt/jwks.json"
# The core sets these from the validity; a payload that names them would override it.
_TIME_CLAIMS = ("exp", "iat")
LARGEST_INTEGER = 10**18 - 1
"""The core fails (HTTP 500) on an integer claim of 19 digits or more."""


def api_domain(config: SessionConfig) -> str:
    """The configured API domain; ``ConfigurationError`` if there is none."""
    if config.api_domain is None:
        raise ConfigurationError(
            "JWTs and the OpenID discovery document need the API's domain to name their "
            "issuer: pass SessionConfig(api_domain='https://api.example.com') to the client",
            setting="SessionConfig.api_domain",
        )
    return config.api_domain


def discovery_configuration(config: SessionConfig) -> OpenIdDiscoveryConfiguration:
    """The OpenID discovery document of the API ``config`` names."""
    return discovery_document(api_domain(config) + config.api_base_path)


def discovery_document(issuer: str) -> OpenIdDiscoveryConfiguration:
    """The OpenID discovery document of ``issuer`` (an API domain and its auth base path)."""
    # The /oauth/... endpoints are the official SDKs' OAuth2 provider recipe's.
    return OpenIdDiscoveryConfiguration(
        issuer=issuer,
        jwks_uri=issuer + JWKS_PATH,
        authorization_endpoint=issuer + "/oauth/auth",
        token_endpoint=issuer + "/oauth/token",
        userinfo_endpoint=issuer + "/oauth/userinfo",
        revocation_endpoint=issuer + "/oauth/revoke",
        token_introspection_endpoint=issuer + "/oauth/introspect",
        end_session_endpoint=issuer + "/oauth/end_session",
    )


def check_validity(validity_seconds: object) -> int:
    """The validity to ask for: the default for ``None``, else a whole number of seconds."""
    if validity_seconds is None:
        return DEFAULT_VALIDITY_SECONDS
    if isinstance(validity_seconds, bool) or not isinstance(validity_seconds, int):
        raise TypeError(
            f"validity_seconds must be an int or None, not {type(validity_seconds).__name__}"
        )
    if not 0 < validity_seconds <= MAX_VALIDITY_SECONDS:
        raise ValueError(f"validity_seconds must be between 1 and {MAX_VALIDITY_SECONDS}")
    return validity_seconds


def create_jwt_request(
    payload: dict[str, Any],
    validity_seconds: Optional[int],
    use_static_signing_key: Optional[bool],
    *,
    issuer: str,
    jwks_domain: str,
) -> CoreRequest:
    """``POST /recipe/jwt`` as the official SDKs send it; bad input is refused first."""
    check_json_object(payload, "payload")
    _check_integers(payload, "payload")
    clashing = [name for name in _TIME_CLAIMS if name in payload]
    if clashing:
        raise ValueError(
            f"payload must not set {' or '.join(clashing)}: the core sets them "
            "(give validity_seconds instead)"
        )
    validity = check_validity(validity_seconds)
    if use_static_signing_key is not None and not isinstance(use_static_signing_key, bool):
        raise TypeError(
            "use_static_signing_key must be a bool or None, "
            f"not {type(use_static_signing_key).__name__}"
        )
    body = {
        "payload": {"iss": issuer, **payload},
        "validity": validity,
        "useStaticSigningKey": use_static_signing_key is not False,
        "algorithm": ALGORITHM,
        "jwksDomain": jwks_domain,
    }
    # Minting stores nothing: asking twice after a lost answer only makes a second JWT.
    return CoreRequest.with_json("POST", "/recipe/jwt", body, recipe_id=RECIPE_ID, idempotent=True)


def _check_integers(value: object, where: str) -> None:
    if isinstance(value, dict):
        for key, item in cast("dict[str, object]", value).items():
            _check_integers(item, f"{where}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(cast("list[object]", value)):
            _check_integers(item, f"{where}[{index}]")
    elif isinstance(value, int) and abs(value) > LARGEST_INTEGER:
        raise ValueError(f"{where} has more digits than the core can sign (at most 18)")


def created_jwt(response: CoreResponse) -> CreateJwtResult:
    """The JWT of an OK answer; any other status (``UNSUPPORTED_ALGORITHM_ERROR`` for a core
    that does not sign RS256) is a ``CoreResponseError``."""
    response.require_ok()
    return CreateJwtResult(response.field("jwt", str))
