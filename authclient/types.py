"""Result types and configuration shared by both flavors (I/O-free, frozen attrs classes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, Generic, Literal, Optional, TypeVar

import attrs

from authclient import claims, errors
from authclient._protocol import urls

__all__ = [
    "JWKS",
    "AntiCsrfMode",
    "ClaimValueResult",
    "ClaimsValidationResult",
    "ClearUserMetadataResult",
    "CreateJwtResult",
    "JsonWebKey",
    "MetadataResult",
    "OpenIdDiscoveryConfiguration",
    "Overrides",
    "RegenerateAccessTokenResult",
    "RequestInfo",
    "SessionConfig",
    "SessionInformation",
    "SessionTokens",
]


@attrs.frozen
class MetadataResult:
    """A user's metadata: a JSON object, ``{}`` when nothing is stored."""

    metadata: dict[str, Any]


@attrs.frozen
class ClearUserMetadataResult:
    """Returned by ``clear_user_metadata``; clearing always succeeds."""


if TYPE_CHECKING:
    from typing_extensions import TypeVar as TypeVarWithDefault

    _MetadataRecipeT = TypeVarWithDefault("_MetadataRecipeT", default=Any)
    _SessionRecipeT = TypeVarWithDefault("_SessionRecipeT", default=Any)
else:  # defaults matter to type checkers only, and typing_extensions is slow to import
    _MetadataRecipeT = TypeVar("_MetadataRecipeT")
    _SessionRecipeT = TypeVar("_SessionRecipeT")
_ValueT = TypeVar("_ValueT")


@attrs.frozen
class Overrides(Generic[_MetadataRecipeT, _SessionRecipeT]):
    """Replace recipe implementations: each function receives the original and returns the one to use.

    ``usermetadata`` gets the ``UserMetadataRecipe`` and ``session`` the ``SessionRecipe`` of the
    flavor (``AsyncUserMetadataRecipe`` / ``AsyncSessionRecipe`` in ``authclient.asyncio``,
    with async methods); a client takes ``Overrides`` of its own flavor's recipes. The typed way
    is a subclass whose methods call ``super()``, built from the original::

        class NoSessionOnSignUp(SessionRecipe):
            def create_new_session(self, user_id, ..., user_context) -> Session: ...

        def no_session_on_sign_up(original: SessionRecipe) -> SessionRecipe:
            return NoSessionOnSignUp.from_original(original)

    Session objects call back through whatever you return.
    """

    usermetadata: Optional[Callable[[_MetadataRecipeT], _MetadataRecipeT]] = None
    session: Optional[Callable[[_SessionRecipeT], _SessionRecipeT]] = None


@attrs.frozen
class RequestInfo:
    """What an ``on_request`` hook sees before each attempt (the api key is redacted).

    ``body`` is the JSON sent (bytes, or ``None``); it can hold tokens, so it is left out of
    the repr.
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: Optional[bytes] = attrs.field(repr=False)
    user_context: dict[str, Any]
    attempt: int


AntiCsrfMode = Literal["VIA_TOKEN", "VIA_CUSTOM_HEADER", "NONE"]


@attrs.frozen
class SessionConfig:
    """How sessions are created and verified. Bounds are checked at construction.

    - ``anti_csrf``: ``"VIA_TOKEN"`` has the core mint an anti-CSRF token that ``get_session``
      compares; ``"VIA_CUSTOM_HEADER"`` / ``"NONE"`` leave CSRF to the caller (cookie-less APIs).
    - ``use_dynamic_access_token_signing_key``: sign with rotating keys (``d-…``) or the static
      key (``s-…``); a token signed the other way must be refreshed.
    - ``clock_skew_leeway``: seconds a token's ``iat`` / ``nbf`` may lie in the future, for
      clock skew between this machine and the core (0 to 60).
    - ``expiry_leeway``: seconds an access token is still accepted past its ``exp`` (0 to 60).
      The default 0 refuses it at once, as the core and the official SDKs do.
    - ``jwks_min_max_age`` / ``jwks_max_max_age``: the core's ``Cache-Control: max-age`` is
      honoured within these bounds (seconds).
    - ``jwks_refetch_cooldown``: an unknown ``kid`` refetches the keys at most this often.
    - ``jwks_stale_grace``: when refreshing the keys fails, cached keys keep verifying for this
      long past their expiry.
    - ``global_claim_validators``: the claim validators every ``get_session`` (and every
      ``verify_session``) applies; ``get_global_claim_validators`` of the session recipe
      returns them and can be overridden, ``override_global_claim_validators`` changes them
      for one call.
    - ``api_domain`` / ``api_base_path``: where your API and its auth endpoints are served,
      as the official SDKs' ``apiDomain`` / ``apiBasePath`` (and ``WebConfig``'s, normalised
      the same way). ``create_jwt`` and ``get_open_id_discovery_configuration`` name
      ``api_domain + api_base_path`` as the issuer; without ``api_domain`` they raise
      ``ConfigurationError``.
    - ``verified_token_cache_size``: how many locally verified access tokens a client keeps, so
      that verifying one again (every request of a user) costs a lookup, not an RSA check.
      A kept token is used only while a full verification would accept it (its ``exp``, and
      its key still in the JWKS), never where the core must answer. 0 keeps none.
    """

    anti_csrf: AntiCsrfMode = "NONE"
    use_dynamic_access_token_signing_key: bool = True
    clock_skew_leeway: float = 5.0
    expiry_leeway: float = 0.0
    jwks_min_max_age: float = 30.0
    jwks_max_max_age: float = 4 * 3600.0
    jwks_refetch_cooldown: float = 5.0
    jwks_stale_grace: float = 3600.0
    global_claim_validators: Sequence[claims.SessionClaimValidator] = ()
    api_domain: Optional[str] = None
    api_base_path: str = "/auth"
    verified_token_cache_size: int = 1024

    def __attrs_post_init__(self) -> None:
        if self.api_domain is not None:
            object.__setattr__(
                self, "api_domain", urls.normalise_domain(self.api_domain, "api_domain")
            )
        base_path = urls.normalise_base_path(self.api_base_path, "api_base_path")
        object.__setattr__(self, "api_base_path", base_path)
        validators = self.global_claim_validators
        if isinstance(validators, (str, bytes)) or not isinstance(validators, Sequence):
            raise TypeError("global_claim_validators must be a list of claim validators")
        if not all(isinstance(validator, claims.SessionClaimValidator) for validator in validators):
            raise TypeError("global_claim_validators must hold only claim validators")
        # Kept as a tuple: a list given here cannot change the config afterwards.
        object.__setattr__(self, "global_claim_validators", tuple(validators))
        if self.anti_csrf not in ("VIA_TOKEN", "VIA_CUSTOM_HEADER", "NONE"):
            raise ValueError("anti_csrf must be 'VIA_TOKEN', 'VIA_CUSTOM_HEADER' or 'NONE'")
        if not 0 <= self.clock_skew_leeway <= 60:
            raise ValueError("clock_skew_leeway must be between 0 and 60 seconds")
        if not 0 <= self.expiry_leeway <= 60:
            raise ValueError("expiry_leeway must be between 0 and 60 seconds")
        if not 0 < self.jwks_min_max_age <= self.jwks_max_max_age:
            raise ValueError("need 0 < jwks_min_max_age <= jwks_max_max_age")
        if self.jwks_refetch_cooldown < 0 or self.jwks_stale_grace < 0:
            raise ValueError("jwks_refetch_cooldown and jwks_stale_grace must be >= 0")
        size = self.verified_token_cache_size
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError(f"verified_token_cache_size must be an int, not {type(size).__name__}")
        if size < 0:
            raise ValueError("verified_token_cache_size must be >= 0 (0 keeps no token)")


@attrs.frozen
class SessionTokens:
    """The tokens a caller hands to its front end. They are secrets: never shown in a repr.

    ``refresh_token`` is ``None`` after a plain verification; ``access_token_updated`` says the
    core issued a new access token that must replace the old one. ``refresh_token_expiry``
    (ms since the epoch) comes with a new refresh token: a refresh cookie's expiry.
    """

    access_token: str = attrs.field(repr=False)
    refresh_token: Optional[str] = attrs.field(repr=False)
    anti_csrf_token: Optional[str] = attrs.field(repr=False)
    front_token: str = attrs.field(repr=False)
    access_token_updated: bool
    refresh_token_expiry: Optional[int] = None


@attrs.frozen
class SessionInformation:
    """What the core stores about a session. ``expiry`` is the session's (refresh) expiry, ms."""

    session_handle: str
    user_id: str
    recipe_user_id: str
    session_data_in_database: dict[str, Any]
    expiry: int
    custom_claims_in_access_token_payload: dict[str, Any]
    time_created: int
    tenant_id: str


@attrs.frozen
class RegenerateAccessTokenResult:
    """The session after its access-token payload was replaced.

    ``access_token`` is the new token, or ``None`` when the input token had expired (the core
    then only updates its database).
    """

    session_handle: str
    user_id: str
    recipe_user_id: str
    tenant_id: str
    access_token_payload: dict[str, Any]
    access_token: Optional[str] = attrs.field(repr=False)
    access_token_expiry: Optional[int]


@attrs.frozen
class JsonWebKey:
    """One RSA public key of the core's JWKS."""

    kid: str
    n: str
    e: str
    kty: str = "RSA"
    alg: str = "RS256"
    use: str = "sig"

    def to_dict(self) -> dict[str, str]:
        return attrs.asdict(self)


@attrs.frozen
class JWKS:
    """The core's public signing keys and how long they may be cached (seconds).

    From ``get_jwks``, ``max_age`` is the time the client's cached copy stays fresh from now
    (the core's max-age when just fetched, counting down; 0 once stale), so a cache fed from
    it keeps the keys no longer than the client does.
    """

    keys: tuple[JsonWebKey, ...]
    max_age: int

    def to_dict(self) -> dict[str, Any]:
        return {"keys": [key.to_dict() for key in self.keys]}


@attrs.frozen
class ClaimsValidationResult:
    """What validating a session's claims found.

    ``invalid_claims`` lists the validators that failed; ``access_token_payload_update`` is the
    payload with refetched claim values, or ``None`` when nothing was refetched.
    """

    invalid_claims: list[errors.ClaimValidationError]
    access_token_payload_update: Optional[dict[str, Any]] = None


@attrs.frozen
class ClaimValueResult(Generic[_ValueT]):
    """A claim's value in a stored session (``None``: the session does not hold the claim)."""

    value: Optional[_ValueT]


@attrs.frozen
class CreateJwtResult:
    """A JWT for another service, signed with the core's keys (it is a secret: not in the repr).

    It verifies with the core's JWKS (``get_jwks()``, or ``jwks_uri`` of the discovery
    document); its ``iss`` is the issuer unless the payload set one.
    """

    jwt: str = attrs.field(repr=False)


@attrs.frozen
class OpenIdDiscoveryConfiguration:
    """The OpenID discovery document of your API, as the official SDKs publish it.

    ``issuer`` is ``api_domain + api_base_path`` and ``jwks_uri`` is ``issuer + "/jwt/jwks.json"``
    (serve ``get_jwks().to_dict()`` there); the ``/oauth/...`` endpoints are those of the
    official SDKs' OAuth2 provider recipe, listed for parity (authclient serves none of them).
    ``to_dict()`` is the document's JSON, for ``/.well-known/openid-configuration``.
    """

    issuer: str
    jwks_uri: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    revocation_endpoint: str
    token_introspection_endpoint: str
    end_session_endpoint: str
    subject_types_supported: tuple[str, ...] = ("public",)
    id_token_signing_alg_values_supported: tuple[str, ...] = ("RS256",)
    response_types_supported: tuple[str, ...] = ("code", "id_token", "id_token token")

    def to_dict(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": self.jwks_uri,
            "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": self.token_endpoint,
            "userinfo_endpoint": self.userinfo_endpoint,
            "revocation_endpoint": self.revocation_endpoint,
            "token_introspection_endpoint": self.token_introspection_endpoint,
            "end_session_endpoint": self.end_session_endpoint,
            "subject_types_supported": list(self.subject_types_supported),
            "id_token_signing_alg_values_supported": list(
                self.id_token_signing_alg_values_supported
            ),
            "response_types_supported": list(self.response_types_supported),
        }
