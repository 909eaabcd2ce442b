"""§5.1 routing of the jwt and openid recipes' GET endpoints, next to the session's POST ones."""

from __future__ import annotations

from typing import Optional

import pytest

from authclient._protocol.fdi import rules
from tests.web.wire import request

JWKS = "/auth/jwt/jwks.json"
DISCOVERY = "/auth/.well-known/openid-configuration"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (JWKS, "jwks"),
        (DISCOVERY, "openid_configuration"),
        ("/auth/jwt/jwks.json/", "jwks"),
        ("/auth/jwt/jwks.json?x=1", "jwks"),
        ("/auth/t1/jwt/jwks.json", "jwks"),
        ("/auth/t1/.well-known/openid-configuration", "openid_configuration"),
        ("/auth/t1/t2/jwt/jwks.json", None),
        ("/jwt/jwks.json", None),
        ("/.well-known/openid-configuration", None),
        ("/auth/jwks.json", None),
        ("/auth/session/refresh", None),
    ],
)
def test_get_routing(path: str, expected: Optional[str]) -> None:
    """GET: the JWKS and discovery paths under the base path, also below a tenant id."""
    assert rules.match_endpoint(request("GET", path), "/auth") == expected


@pytest.mark.parametrize("path", [JWKS, DISCOVERY])
@pytest.mark.parametrize("method", ["POST", "HEAD", "PUT", "DELETE", "OPTIONS"])
def test_the_jwt_endpoints_are_get_only(method: str, path: str) -> None:
    """Any other method on the JWKS or discovery path passes through, as in the official SDKs."""
    assert rules.match_endpoint(request(method, path), "/auth") is None


@pytest.mark.parametrize("path", ["/auth/session/refresh", "/auth/signout"])
def test_the_session_endpoints_stay_post_only(path: str) -> None:
    """A GET to refresh or sign-out passes through (FDI.md §5.1: the app's 404)."""
    assert rules.match_endpoint(request("GET", path), "/auth") is None


def test_any_method_matches_the_path_alone() -> None:
    """``any_method``: the endpoint a path names, whatever the method."""
    assert rules.match_endpoint(request("POST", JWKS), "/auth", any_method=True) == "jwks"
    assert rules.match_endpoint(request("GET", "/auth/signout"), "/auth", any_method=True) == (
        "signout"
    )


@pytest.mark.parametrize("rid", ["session", "jwt", "openid", "anti-csrf", "emailpassword"])
@pytest.mark.parametrize("path", [JWKS, DISCOVERY])
def test_no_rid_keeps_a_get_endpoint_from_its_recipe(rid: str, path: str) -> None:
    """The recipes served here, anti-csrf and unknown rids never block the JWT endpoints."""
    view = request("GET", path, headers=[("rid", rid)])
    assert rules.match_endpoint(view, "/auth", known_recipe_ids=("session", "jwt", "openid"))


@pytest.mark.parametrize("rid", ["jwt", "openid"])
def test_a_jwt_or_openid_rid_does_not_take_the_session_endpoints(rid: str) -> None:
    """§5.1: the jwt and openid recipes claim no session path, so their rid counts as none."""
    view = request(path="/auth/signout", headers=[("rid", rid)])
    known = ("session", "jwt", "openid")
    assert rules.match_endpoint(view, "/auth", known_recipe_ids=known) == "signout"


def test_a_known_other_recipe_rid_takes_a_get_endpoint() -> None:
    """A rid naming another known recipe (served elsewhere) keeps the JWKS out of it too."""
    view = request("GET", JWKS, headers=[("rid", "emailpassword")])
    assert rules.match_endpoint(view, "/auth", known_recipe_ids=("emailpassword",)) is None


def test_disabled_get_endpoints_pass_through() -> None:
    """A disabled JWKS endpoint passes through; the discovery document is still served."""
    disabled: tuple[rules.Endpoint, ...] = ("jwks",)
    assert rules.match_endpoint(request("GET", JWKS), "/auth", disabled=disabled) is None
    assert rules.match_endpoint(request("GET", DISCOVERY), "/auth", disabled=disabled) == (
        "openid_configuration"
    )


def test_the_gateway_path_goes_in_front() -> None:
    """§3: the request path is matched with the gateway path in front, for GET too."""
    view = request("GET", "/auth/jwt/jwks.json")
    assert rules.match_endpoint(view, "/gw/auth", gateway_path="/gw") == "jwks"


def test_other_gets_do_not_touch_the_path_cache() -> None:
    """A GET to an app route is refused before the path cache (which it would crowd)."""
    before = rules._endpoint_at.cache_info()  # pyright: ignore[reportPrivateUsage]
    for number in range(50):
        assert rules.match_endpoint(request("GET", f"/items/{number}"), "/auth") is None
    after = rules._endpoint_at.cache_info()  # pyright: ignore[reportPrivateUsage]
    assert (after.hits, after.misses) == (before.hits, before.misses)
