"""WebConfig: normalisation, validation and the per-request auto rules (FDI.md §3)."""

from __future__ import annotations

from typing import Any, Literal

import attrs
import pytest

from authclient.types import AntiCsrfMode
from authclient.web import WebConfig, WebRequest, cors_allowed_headers
from authclient.web import top_level_domain as tld
from tests.web.wire import A, X, request


def config(**changes: Any) -> WebConfig:
    return attrs.evolve(A, **changes)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("api.example.com", "https://api.example.com"),
        ("API.Example.com/some/path", "https://api.example.com"),
        ("localhost:3001", "http://localhost:3001"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://api.example.com:8080/x?y=1", "http://api.example.com:8080"),
    ],
)
def test_domains_get_a_scheme_and_lose_their_path(given: str, expected: str) -> None:
    """api_domain: https by default, http for localhost/IP; path and query dropped."""
    assert config(api_domain=given).api_domain == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("/auth", "/auth"), ("auth/", "/auth"), ("/", ""), ("", ""), ("/a/b/", "/a/b")],
)
def test_base_paths_are_normalised(given: str, expected: str) -> None:
    """api_base_path: a leading /, no trailing /, and / becomes empty."""
    assert config(api_base_path=given).api_base_path == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://API.Example.com:3000/x", "api.example.com"),
        (".Example.com", ".example.com"),
        (".localhost", "localhost"),
        ("127.0.0.1", "127.0.0.1"),
        ("", ""),
        (None, None),
    ],
)
def test_cookie_domains_are_normalised(given: Any, expected: Any) -> None:
    """cookie_domain: host only, lower-cased, a leading dot kept except for localhost/IP."""
    assert config(cookie_domain=given).cookie_domain == expected
    assert config(older_cookie_domain=given).older_cookie_domain == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"api_domain": "ftp://x.com"},
        {"api_domain": ""},
        {"website_domain": "http://exa mple.com"},
        {"cookie_same_site": "sometimes"},
        {"token_transfer_method": "pigeon"},
        {"anti_csrf": "VIA_MAGIC"},
        {"session_expired_status_code": 200},
        {"invalid_claim_status_code": 401},
        {"api_base_path": "/auth?x=1"},
    ],
)
def test_bad_settings_are_value_errors(changes: dict[str, Any]) -> None:
    """Each bad setting is a ValueError naming the problem."""
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        config(**changes)


def test_wrong_types_are_type_errors() -> None:
    """A setting of the wrong type is a TypeError."""
    with pytest.raises(TypeError, match="api_domain"):
        config(api_domain=3)


def test_equal_status_codes_are_refused() -> None:
    """The expired and claim status codes must differ (the frontend tells them apart)."""
    with pytest.raises(ValueError, match="differ"):
        config(session_expired_status_code=440, invalid_claim_status_code=440)


@pytest.mark.parametrize(
    ("api", "web", "same_site"),
    [
        ("http://api.example.com", "http://example.com", "lax"),
        ("https://api.example.com", "http://example.com", "none"),  # schemes differ
        ("https://api.example.com", "https://example.org", "none"),
        ("https://a.vercel.app", "https://b.vercel.app", "none"),  # a private suffix
        ("https://api.example.co.uk", "https://www.example.co.uk", "lax"),
        ("http://localhost:3001", "http://127.0.0.1:3000", "lax"),
    ],
)
def test_same_site_auto_rule(api: str, web: str, same_site: str) -> None:
    """SameSite is none when the sites (PSL, private suffixes included) or schemes differ."""
    assert WebConfig(api_domain=api, website_domain=web).same_site(request()) == same_site


def test_same_site_is_resolved_per_request() -> None:
    """With a website_domain function, each request gets its own SameSite."""

    def origin(view: WebRequest) -> str:
        return view.header("origin") or "http://example.com"

    web = config(website_domain=origin)
    assert web.same_site(request(headers=[("origin", "http://example.com")])) == "lax"
    assert web.same_site(request(headers=[("origin", "http://other.org")])) == "none"


def test_an_explicit_same_site_wins() -> None:
    """cookie_same_site set: no auto rule (case-insensitive value)."""
    assert attrs.evolve(X, cookie_same_site="Strict").same_site(request()) == "strict"


def test_secure_follows_the_api_scheme_unless_set() -> None:
    """cookie_secure None: Secure when the API is https."""
    assert (A.secure(), X.secure(), config(cookie_secure=True).secure()) == (False, True, True)


def test_bare_aws_hosts_and_intranet_names_are_their_own_site() -> None:
    """A bare *.amazonaws.com host and a dotless name are used as they are."""
    host = "https://ec2-1-2-3-4.compute-1.amazonaws.com"
    assert tld(host) == "ec2-1-2-3-4.compute-1.amazonaws.com"
    assert tld("http://intranet") == "intranet"


def test_a_public_suffix_is_not_a_site() -> None:
    """A domain that is a public suffix itself is a ValueError."""
    with pytest.raises(ValueError, match="public suffix"):
        tld("https://co.uk")


@pytest.mark.parametrize(
    ("setting", "client", "expected"),
    [
        (None, "NONE", "NONE"),
        (None, "VIA_TOKEN", "VIA_TOKEN"),
        ("VIA_CUSTOM_HEADER", "NONE", "VIA_CUSTOM_HEADER"),
        ("NONE", "VIA_TOKEN", "NONE"),
    ],
)
def test_anti_csrf_mode(setting: Any, client: Any, expected: str) -> None:
    """WebConfig.anti_csrf wins; auto takes VIA_TOKEN from the client, else the SameSite rule."""
    assert config(anti_csrf=setting).anti_csrf_mode(request(), client) == expected


def test_anti_csrf_auto_is_custom_header_when_cross_site() -> None:
    """Auto: SameSite none gives VIA_CUSTOM_HEADER."""
    assert X.anti_csrf_mode(request(), "NONE") == "VIA_CUSTOM_HEADER"


def test_anti_csrf_function_is_called_with_the_request() -> None:
    """anti_csrf may be a function of the request; VIA_TOKEN needs a VIA_TOKEN client."""

    def by_method(view: WebRequest) -> AntiCsrfMode:
        return "VIA_TOKEN" if view.method == "PUT" else "NONE"

    web = config(anti_csrf=by_method)
    assert web.anti_csrf_mode(request("POST"), "NONE") == "NONE"
    with pytest.raises(ValueError, match="SessionConfig"):
        web.anti_csrf_mode(request("PUT"), "NONE")


def test_transfer_method_function_sees_create() -> None:
    """token_transfer_method may be a function of (request, for_create_new_session)."""

    def by_create(view: WebRequest, create: bool) -> Literal["cookie", "header"]:
        return "cookie" if create else "header"

    web = config(token_transfer_method=by_create)
    assert (
        web.allowed_transfer_method(request(), True),
        web.allowed_transfer_method(request(), False),
    ) == ("cookie", "header")


def test_cookie_settings_for_a_request() -> None:
    """Cookie attributes: resolved SameSite/Secure, the domain, gateway + base refresh path."""
    settings = config(cookie_domain=".example.com", api_gateway_path="/gw").cookie_settings(
        request()
    )
    assert (settings.same_site, settings.secure, settings.domain) == ("lax", False, ".example.com")
    assert settings.refresh_path == "/gw/auth/session/refresh"


def test_cors_allowed_headers() -> None:
    """§5.5: the request headers to allow, in the official SDKs' order."""
    assert cors_allowed_headers() == [
        "rid",
        "fdi-version",
        "anti-csrf",
        "authorization",
        "st-auth-mode",
    ]
