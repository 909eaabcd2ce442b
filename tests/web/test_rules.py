"""The sans-I/O FDI rules: the request view, reading tokens, anti-CSRF, routing (FDI.md §1, §4, §5)."""

from __future__ import annotations

import base64
import json
from typing import Any, Optional

import pytest

from authclient._protocol.fdi import rules
from authclient._protocol.fdi.request import auth_mode, token_from
from authclient._protocol.tokens import V2_HEADER, front_token_payload
from authclient.web import WebRequest
from tests.web.wire import request


def test_the_view_lower_cases_names_and_keeps_repeats() -> None:
    """str header names are lower-cased, values kept, repeats kept in order."""
    view = WebRequest("post", "/x", [("X-One", "1"), ("x-one", "2"), ("Cookie", "a=b")])
    assert view.method == "POST"
    assert view.headers == (("x-one", "1"), ("x-one", "2"), ("cookie", "a=b"))
    assert view.header("X-ONE") == "1"
    assert view.cookie("a") == "b"


def test_the_view_reads_asgi_bytes_headers_as_latin_1() -> None:
    """ASGI's bytes pairs (names lower-cased, as the ASGI spec has them) are read as latin-1."""
    view = WebRequest("GET", "/", [(b"x-one", b"caf\xe9"), (b"x-one", b"2"), (b"cookie", b"a=b")])
    assert view.headers == (("x-one", "caf\xe9"), ("x-one", "2"), ("cookie", "a=b"))
    assert view.header("X-One") == "caf\xe9"
    assert view.header("x-\u2603") is None  # a name no header can have
    assert view.cookie("a") == "b"


def test_cookies_are_unquoted_and_duplicates_counted() -> None:
    """§1.6: the raw Cookie header is split on ; and =, unquoted; repeats are seen."""
    view = WebRequest("GET", "/", [("cookie", "sAccessToken=a%3Db; junk; x=1=2; sAccessToken=c")])
    assert view.cookie_pairs() == [("sAccessToken", "a=b"), ("sAccessToken", "c")]
    assert view.cookie("sAccessToken") == "a=b"
    assert view.has_multiple_cookies("sAccessToken") and not view.has_multiple_cookies("x")


def test_the_repr_shows_no_header() -> None:
    """A request view's repr shows its method and path only."""
    view = request(bearer="secret-token", cookies=[("sAccessToken", "secret-cookie")])
    assert "secret" not in repr(view)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bearer tok", "tok"),
        ("Bearer  tok ", "tok"),
        ("bearer tok", None),
        ("Bearer ", None),
        ("Basic x", None),
    ],
)
def test_bearer_is_exact(value: str, expected: Optional[str]) -> None:
    """§1.1: only ``Bearer `` (that case, one space) counts; the rest is stripped."""
    view = WebRequest("GET", "/", [("authorization", value)])
    assert token_from(view, "access", "header") == expected
    assert token_from(view, "refresh", "header") == expected


def test_cookie_tokens_by_kind() -> None:
    """Cookies: sAccessToken for access, sRefreshToken for refresh; empty counts as none."""
    view = request(cookies=[("sAccessToken", "a"), ("sRefreshToken", "")])
    assert token_from(view, "access", "cookie") == "a"
    assert token_from(view, "refresh", "cookie") is None


@pytest.mark.parametrize(
    ("value", "expected"), [("cookie", "cookie"), ("HEADER", "header"), ("x", None)]
)
def test_auth_mode(value: str, expected: Optional[str]) -> None:
    """st-auth-mode counts when it is cookie or header (any case)."""
    assert auth_mode(request(headers=[("st-auth-mode", value)])) == expected


def test_default_transfer_method() -> None:
    """§1.4: st-auth-mode at create, else any; verify/refresh look at the header first."""
    view = request(headers=[("st-auth-mode", "cookie")])
    assert rules.default_allowed(view, True) == "cookie"
    assert rules.default_allowed(view, False) == "any"
    assert rules.default_allowed(request(), True) == "any"
    assert rules.verify_method("any") == ("header", "cookie")


@pytest.mark.parametrize(
    ("method", "headers", "requested", "transfer", "mode", "expected"),
    [
        ("POST", [], None, "cookie", "VIA_TOKEN", (True, False)),
        ("GET", [], None, "cookie", "VIA_TOKEN", (False, False)),
        ("HEAD", [], None, "cookie", "VIA_TOKEN", (True, False)),
        ("POST", [], None, "header", "VIA_TOKEN", (False, False)),
        ("POST", [], False, "cookie", "VIA_TOKEN", (False, False)),
        ("GET", [], True, "cookie", "VIA_TOKEN", (True, False)),
        ("POST", [], None, "cookie", "VIA_CUSTOM_HEADER", (False, True)),
        ("POST", [("rid", "")], None, "cookie", "VIA_CUSTOM_HEADER", (False, False)),
        ("OPTIONS", [], None, "cookie", "VIA_CUSTOM_HEADER", (False, True)),
        ("POST", [], None, "header", "VIA_CUSTOM_HEADER", (False, False)),
        ("POST", [], None, None, "VIA_CUSTOM_HEADER", (False, False)),
        ("POST", [], None, "cookie", "NONE", (False, False)),
    ],
)
def test_verify_anti_csrf_decision(
    method: str,
    headers: list[tuple[str, str]],
    requested: Any,
    transfer: Any,
    mode: Any,
    expected: Any,
) -> None:
    """§4 steps 6-7, §8.1-2: (compare the token, try-refresh for a missing rid)."""
    view = request(method, headers=headers)
    assert rules.anti_csrf_check(view, requested, transfer, mode) == expected


@pytest.mark.parametrize(
    ("headers", "transfer", "mode", "expected"),
    [
        ([], "header", "VIA_CUSTOM_HEADER", (True, False)),
        ([], "cookie", "VIA_CUSTOM_HEADER", (True, True)),
        ([("rid", "session")], "cookie", "VIA_CUSTOM_HEADER", (True, False)),
        ([], "cookie", "VIA_TOKEN", (False, False)),
        ([], "header", "VIA_TOKEN", (True, False)),
        ([], "cookie", "NONE", (True, False)),
    ],
)
def test_refresh_anti_csrf_decision(headers: Any, transfer: Any, mode: Any, expected: Any) -> None:
    """§5.2 step 4: (disable the core's check, unauthorised for a missing rid)."""
    assert rules.refresh_anti_csrf(request(headers=headers), transfer, mode) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/auth/session/refresh", "refresh"),
        ("/auth/signout", "signout"),
        ("/auth/signout?x=1", "signout"),
        ("/auth/t1/signout", "signout"),
        ("/auth/t1/t2/signout", None),
        ("/auth", None),
        ("/authx/signout", None),
    ],
)
def test_routing(path: str, expected: Optional[str]) -> None:
    """§5.1: the two paths, also below a tenant id; nothing else."""
    assert rules.match_endpoint(request(path=path), "/auth") == expected


def test_a_known_recipe_rid_takes_the_request() -> None:
    """§5.1: a rid naming another known recipe keeps the session endpoints out of it."""
    view = request(path="/auth/signout", headers=[("rid", "emailpassword")])
    assert (
        rules.match_endpoint(view, "/auth", known_recipe_ids=("session", "emailpassword")) is None
    )
    assert rules.match_endpoint(view, "/auth") == "signout"


def test_routing_puts_the_gateway_in_front() -> None:
    """§3: the request path is matched with the gateway path in front."""
    assert (
        rules.match_endpoint(request(path="/auth/signout"), "/gw/auth", gateway_path="/gw")
        == "signout"
    )


def test_claim_errors_body() -> None:
    """§5.4: the 403 body, reason left out when None."""
    reason = {"message": "wrong value", "expectedValue": True, "actualValue": False}
    assert rules.claim_errors_body([("st-adm", reason), ("x", None)]) == {
        "message": "invalid claim",
        "claimValidationErrors": [{"id": "st-adm", "reason": reason}, {"id": "x"}],
    }


def test_front_token_up_is_the_whole_v3_payload_and_v2_user_data() -> None:
    """§2: up is a v3+ token's whole payload, a v2 token's userData; garbage: the fallback."""

    def b64(value: Any, *, url: bool) -> str:
        raw = json.dumps(value).encode()
        return (
            base64.urlsafe_b64encode(raw).rstrip(b"=") if url else base64.b64encode(raw)
        ).decode()

    v3 = {"sub": "u", "iat": 1, "k": "v"}
    header = b64({"alg": "RS256", "typ": "JWT", "kid": "d-1", "version": "5"}, url=True)
    assert front_token_payload(f"{header}.{b64(v3, url=True)}.AAAA", {}) == v3
    v2 = f"{V2_HEADER}.{b64({'userId': 'u', 'userData': {'k': 1}}, url=False)}.AAAA"
    assert front_token_payload(v2, {}) == {"k": 1}
    assert front_token_payload("garbage", {"fallback": True}) == {"fallback": True}
