"""Sessions in web requests, shared by both flavors and every framework adapter (FDI.md).

``WebConfig`` holds the settings (with the FDI auto rules for SameSite, Secure and anti-CSRF,
resolved per request); ``WebRequest`` is the neutral view of a request an adapter builds;
``ResponseEffects`` is what the layer adds to a response (or answers with), applied by the
adapter in one call. The request-level operations are ``authclient.asyncio.AsyncWebSessions``
and ``authclient.syncio.WebSessions``.

Anti-CSRF for web requests: ``WebConfig.anti_csrf`` decides (``None`` is the auto rule:
``VIA_TOKEN`` when the client's ``SessionConfig.anti_csrf`` is ``VIA_TOKEN``, else
``VIA_CUSTOM_HEADER`` when SameSite resolves to ``none``, else ``NONE``). ``VIA_TOKEN`` needs the
core to mint anti-CSRF tokens, which the client's ``SessionConfig(anti_csrf="VIA_TOKEN")``
turns on: asking for it in ``WebConfig`` with a client configured otherwise is a ``ValueError``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional, Union
from urllib.parse import urlsplit

import attrs

from authclient._protocol.fdi.effects import Cookie, ResponseEffects, SameSite
from authclient._protocol.fdi.request import WebRequest
from authclient._protocol.fdi.rules import (
    AllowedMethod,
    CookieSettings,
    Endpoint,
    default_allowed,
)
from authclient._protocol.urls import (
    HOST_RE,
    is_ip,
    is_local,
    normalise_base_path,
    normalise_domain,
)
from authclient.errors import AuthClientError, SessionError
from authclient.types import AntiCsrfMode

__all__ = [
    "ClearDuplicateSessionCookiesError",
    "Cookie",
    "DuplicateSessionCookiesError",
    "ErrorHandlers",
    "InsecureSessionCookieError",
    "ResponseEffects",
    "WebConfig",
    "WebRequest",
    "cors_allowed_headers",
]

TransferMethodSetting = Union[AllowedMethod, Callable[[WebRequest, bool], AllowedMethod]]
AntiCsrfSetting = Union[AntiCsrfMode, Callable[[WebRequest], AntiCsrfMode], None]
WebsiteDomain = Union[str, Callable[[WebRequest], str]]


class InsecureSessionCookieError(AuthClientError):
    """A session cookie would be ``SameSite=None`` without ``Secure`` (FDI.md §3): browsers
    drop it. Serve the API over https (or set ``cookie_secure``), or use header transfer."""


class DuplicateSessionCookiesError(AuthClientError):
    """The refresh request carries a session cookie twice and no ``older_cookie_domain`` says
    which to clear (FDI.md §1.6); it surfaces as a 500, as in the official SDKs."""


class ClearDuplicateSessionCookiesError(SessionError):
    """The refresh request carries a session cookie twice; the copies on
    ``older_cookie_domain`` are cleared and the next refresh works (200, FDI.md §1.6)."""


def normalise_cookie_domain(value: Optional[str], name: str) -> Optional[str]:
    """Host only, lower-cased; a leading ``.`` kept except for localhost or an IP."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, not {type(value).__name__}")
    text = value.strip().lower()
    if not text:
        return ""
    dotted = text.startswith(".")
    text = text.lstrip(".")
    host = urlsplit(text if "://" in text else "http://" + text).hostname
    if not host or not HOST_RE.match(host):
        raise ValueError(f"{name} must be a domain like '.example.com', not {value!r}")
    return host if (host == "localhost" or is_ip(host) or not dotted) else "." + host


@functools.lru_cache(maxsize=1)
def _public_suffix_list() -> Any:
    try:
        from publicsuffixlist import PublicSuffixList
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise ImportError(
            "the SameSite auto rule needs the publicsuffixlist package "
            "(pip install 'authclient[web]'), or set cookie_same_site explicitly"
        ) from None
    return PublicSuffixList(only_icann=False)


@functools.lru_cache(maxsize=256)
def top_level_domain(domain: str) -> str:
    """The registrable domain of a normalised domain (Public Suffix List, private suffixes
    included: ``a.vercel.app`` is not ``b.vercel.app``); ``localhost`` for localhost and IPs."""
    host = urlsplit(domain).hostname or ""
    if is_local(host):
        return "localhost"
    registrable = _public_suffix_list().privatesuffix(host)
    if isinstance(registrable, str):
        return registrable
    if "." not in host or host.endswith(".amazonaws.com"):
        return host  # an intranet name, or a bare AWS host (as the official SDKs do)
    raise ValueError(f"{domain!r} is a public suffix, not a site's domain")


def _api_domain(value: str) -> str:
    return normalise_domain(value, "api_domain")


def _api_base_path(value: str) -> str:
    return normalise_base_path(value, "api_base_path")


def _api_gateway_path(value: str) -> str:
    return normalise_base_path(value, "api_gateway_path")


def _cookie_domain(value: Optional[str]) -> Optional[str]:
    return normalise_cookie_domain(value, "cookie_domain")


def _older_cookie_domain(value: Optional[str]) -> Optional[str]:
    return normalise_cookie_domain(value, "older_cookie_domain")


_SAME_SITES: tuple[SameSite, ...] = ("lax", "strict", "none")


def _same_site(value: Optional[str]) -> Optional[SameSite]:
    if value is None:
        return None
    lowered = value.lower() if isinstance(value, str) else value
    for same_site in _SAME_SITES:
        if lowered == same_site:
            return same_site
    raise ValueError("cookie_same_site must be 'lax', 'strict', 'none' or None (auto)")


def _check_transfer(value: object) -> None:
    if not callable(value) and value not in ("any", "cookie", "header"):
        raise ValueError("token_transfer_method must be 'any', 'cookie', 'header' or a function")


def _check_anti_csrf(value: object) -> None:
    valid = value is None or callable(value) or value in ("VIA_TOKEN", "VIA_CUSTOM_HEADER", "NONE")
    if not valid:
        raise ValueError(
            "anti_csrf must be 'VIA_TOKEN', 'VIA_CUSTOM_HEADER', 'NONE', None (auto) "
            "or a function of the request"
        )


def _check_website(value: object) -> None:
    if not callable(value):
        normalise_domain(value, "website_domain")  # type: ignore[arg-type]


def _check_status(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 400 <= value <= 599:
        raise ValueError("status codes must be int between 400 and 599")


@attrs.frozen
class WebConfig:
    """How sessions travel in web requests (FDI.md §3). Checked and normalised on construction.

    - ``api_domain``: where the API is served (``https://`` unless localhost or an IP).
    - ``website_domain``: the website's origin, or a function of the request returning it
      (SameSite is then resolved per request).
    - ``api_base_path`` / ``api_gateway_path``: the endpoints live at gateway + base.
    - ``cookie_domain``: ``None`` keeps cookies host-only; ``older_cookie_domain`` is where
      duplicated cookies of an earlier setting are cleared (``""``: they were host-only).
    - ``cookie_same_site`` / ``cookie_secure``: ``None`` is the auto rule (``none`` when the
      sites or schemes differ, else ``lax``; Secure when the API is https).
    - ``token_transfer_method``: ``"any"`` (the default: ``st-auth-mode`` at create, header then
      cookie otherwise), ``"cookie"``, ``"header"``, or ``fn(request, for_create_new_session)``.
    - ``anti_csrf``: see the module docstring; ``None`` is the auto rule.
    - ``expose_access_token_to_frontend_in_cookie_based_auth``: also send the access token as
      an ``st-access-token`` header in cookie mode.
    - ``disable_refresh_endpoint`` / ``disable_signout_endpoint``: let those requests through
      to the app.
    """

    api_domain: str = attrs.field(converter=_api_domain)
    website_domain: WebsiteDomain
    api_base_path: str = attrs.field(default="/auth", converter=_api_base_path)
    api_gateway_path: str = attrs.field(default="", converter=_api_gateway_path)
    cookie_domain: Optional[str] = attrs.field(default=None, converter=_cookie_domain)
    older_cookie_domain: Optional[str] = attrs.field(default=None, converter=_older_cookie_domain)
    cookie_same_site: Optional[SameSite] = attrs.field(default=None, converter=_same_site)
    cookie_secure: Optional[bool] = None
    token_transfer_method: TransferMethodSetting = "any"
    anti_csrf: AntiCsrfSetting = None
    session_expired_status_code: int = 401
    invalid_claim_status_code: int = 403
    expose_access_token_to_frontend_in_cookie_based_auth: bool = False
    disable_refresh_endpoint: bool = False
    disable_signout_endpoint: bool = False

    def __attrs_post_init__(self) -> None:
        _check_website(self.website_domain)
        _check_transfer(self.token_transfer_method)
        _check_anti_csrf(self.anti_csrf)
        _check_status(self.session_expired_status_code)
        _check_status(self.invalid_claim_status_code)
        if self.session_expired_status_code == self.invalid_claim_status_code:
            raise ValueError(
                "session_expired_status_code and invalid_claim_status_code must differ "
                "(the frontend refreshes on the first and reports claims on the second)"
            )
        if self.cookie_secure is not None and not isinstance(self.cookie_secure, bool):
            raise TypeError("cookie_secure must be a bool or None (auto)")

    # --- per request ---------------------------------------------------------------------------

    @property
    def base_path(self) -> str:
        """Where the endpoints are: gateway + base (what the refresh cookie's Path starts with)."""
        return self.api_gateway_path + self.api_base_path

    def website_domain_for(self, request: WebRequest) -> str:
        """The website's normalised origin for this request."""
        if callable(self.website_domain):
            return _normalised_website(self.website_domain(request))
        return _normalised_website(self.website_domain)

    def secure(self) -> bool:
        """Whether cookies are Secure: ``cookie_secure``, else whether the API is https."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.api_domain.startswith("https://")

    def same_site(self, request: WebRequest) -> SameSite:
        """SameSite for this request: the setting, else the auto rule (FDI.md §3)."""
        if self.cookie_same_site is not None:
            return self.cookie_same_site
        return _auto_same_site(self.api_domain, self.website_domain_for(request))

    def both_local(self, request: WebRequest) -> bool:
        """Whether the API and the website are both on localhost or an IP."""
        website = self.website_domain_for(request)
        return top_level_domain(self.api_domain) == top_level_domain(website) == "localhost"

    def cookie_settings(self, request: WebRequest) -> CookieSettings:
        """The cookie attributes for this request."""
        return CookieSettings(
            same_site=self.same_site(request),
            secure=self.secure(),
            domain=self.cookie_domain or None,
            refresh_path=self.base_path + "/session/refresh",
            expose_access_token=self.expose_access_token_to_frontend_in_cookie_based_auth,
        )

    def allowed_transfer_method(
        self, request: WebRequest, for_create_new_session: bool
    ) -> AllowedMethod:
        """``token_transfer_method`` for this request (a function is called with it)."""
        setting = self.token_transfer_method
        if callable(setting):
            value = setting(request, for_create_new_session)
            _check_transfer(value)
            return value
        if setting == "any":
            return default_allowed(request, for_create_new_session)
        return setting

    def anti_csrf_mode(self, request: WebRequest, client_mode: AntiCsrfMode) -> AntiCsrfMode:
        """The anti-CSRF mode for this request; ``client_mode`` is the client's SessionConfig's."""
        setting = self.anti_csrf
        mode = setting(request) if callable(setting) else setting
        _check_anti_csrf(mode)
        if mode is None:
            if client_mode == "VIA_TOKEN":
                return "VIA_TOKEN"
            return "VIA_CUSTOM_HEADER" if self.same_site(request) == "none" else "NONE"
        if mode == "VIA_TOKEN" and client_mode != "VIA_TOKEN":
            raise ValueError(
                "anti_csrf='VIA_TOKEN' needs the client's SessionConfig(anti_csrf='VIA_TOKEN'), "
                "which has the core mint anti-CSRF tokens"
            )
        return mode

    def check_client_anti_csrf(self, client_mode: AntiCsrfMode) -> None:
        """``ValueError`` when ``anti_csrf="VIA_TOKEN"`` meets a client that does not have the
        core mint anti-CSRF tokens (``client_mode``: its ``SessionConfig.anti_csrf``)."""
        if self.anti_csrf == "VIA_TOKEN" and client_mode != "VIA_TOKEN":
            raise ValueError(
                "WebConfig(anti_csrf='VIA_TOKEN') needs the client's "
                "SessionConfig(anti_csrf='VIA_TOKEN'), which has the core mint anti-CSRF tokens"
            )

    def endpoints_disabled(self) -> tuple[Endpoint, ...]:
        disabled: list[Endpoint] = []
        if self.disable_refresh_endpoint:
            disabled.append("refresh")
        if self.disable_signout_endpoint:
            disabled.append("signout")
        return tuple(disabled)


@functools.lru_cache(maxsize=256)
def _normalised_website(value: str) -> str:
    """Remembered: the website's origin is asked for on every request."""
    return normalise_domain(value, "website_domain")


@functools.lru_cache(maxsize=256)
def _auto_same_site(api_domain: str, website_domain: str) -> SameSite:
    if api_domain.split(":", 1)[0] != website_domain.split(":", 1)[0]:
        return "none"
    return "lax" if top_level_domain(api_domain) == top_level_domain(website_domain) else "none"


@attrs.frozen
class ErrorHandlers:
    """Replacements for the default answers to session errors (FDI.md §5.4).

    Each is ``fn(request, error, effects) -> effects``: ``effects`` already holds the clears
    the error calls for; the handler sets the answer (``effects.answer_json(status, body)``)
    and returns the effects to send. In ``authclient.asyncio`` a handler may be async; in
    ``authclient.syncio`` it must be a plain function. ``on_token_theft_detected`` replaces the
    default one, which revokes the session in the core: a replacement must revoke it itself.
    """

    on_unauthorised: Optional[Callable[..., Any]] = None
    on_try_refresh_token: Optional[Callable[..., Any]] = None
    on_token_theft_detected: Optional[Callable[..., Any]] = None
    on_invalid_claim: Optional[Callable[..., Any]] = None
    on_clear_duplicate_session_cookies: Optional[Callable[..., Any]] = None


def cors_allowed_headers() -> list[str]:
    """The request headers a CORS layer must allow for the session endpoints (FDI.md §5.5).

    Allow credentials and ``Content-Type`` too; expose-headers are set per response.
    """
    return ["rid", "fdi-version", "anti-csrf", "authorization", "st-auth-mode"]
