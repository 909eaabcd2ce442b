"""Response effects: cookies, headers, expose lists and answers as a response carries them."""

from __future__ import annotations

from authclient._protocol.fdi import rules
from authclient._protocol.fdi.rules import CookieSettings
from authclient.web import Cookie, ResponseEffects
from tests.web.wire import is_full_clear, parse_set_cookie, read, request

LAX = CookieSettings("lax", False, None, "/auth/session/refresh")


def test_cookie_header_value() -> None:
    """§1.2: quoted value, Expires in real UTC (GMT), Path, Domain, HttpOnly, Secure, SameSite."""
    cookie = Cookie("sAccessToken", "a b;c", 1796116509, "/", ".example.com", True, "none")
    assert cookie.header_value() == (
        "sAccessToken=a%20b%3Bc; Expires=Tue, 01 Dec 2026 09:15:09 GMT; Path=/; "
        "Domain=.example.com; HttpOnly; Secure; SameSite=None"
    )
    assert parse_set_cookie(cookie.header_value()).value == "a b;c"


def test_expose_is_appended_to_the_apps_list_without_duplicates() -> None:
    """§1.3/§8.8: names are appended to the app's Access-Control-Expose-Headers, once each."""
    effects = ResponseEffects()
    for name in ("front-token", "x-app", "front-token", "st-access-token"):
        effects.expose(name)
    headers = effects.apply_headers([("Access-Control-Expose-Headers", "X-App")])
    assert headers == [("Access-Control-Expose-Headers", "X-App, front-token, st-access-token")]


def test_set_replaces_and_remove_drops() -> None:
    """A set header replaces every earlier value (the app's too); remove drops them all."""
    effects = ResponseEffects()
    effects.set_header("front-token", "one")
    effects.set_header("Front-Token", "two")
    effects.remove_header("anti-csrf")
    headers = effects.apply_headers([("front-token", "app"), ("Anti-CSRF", "x"), ("a", "b")])
    assert headers == [("a", "b"), ("front-token", "two")]


def test_a_later_cookie_replaces_an_earlier_one_in_the_same_slot() -> None:
    """Two writes of one cookie (name, path, domain) leave only the last."""
    effects = ResponseEffects()
    effects.set_cookie(Cookie("sAccessToken", "old", 1, "/", None, False, "lax"))
    effects.set_cookie(Cookie("sAccessToken", "x", 1, "/", "other.com", False, "lax"))
    effects.set_cookie(Cookie("sAccessToken", "new", 1, "/", None, False, "lax"))
    assert [cookie.value for cookie in effects.cookies] == ["x", "new"]


def test_raw_headers_for_asgi() -> None:
    """apply_raw_headers works on latin-1 byte pairs."""
    effects = ResponseEffects()
    effects.set_header("front-token", "ft")
    assert effects.apply_raw_headers([(b"content-length", b"2")]) == [
        (b"content-length", b"2"),
        (b"front-token", b"ft"),
    ]


def test_answer_json_is_compact_utf8() -> None:
    """§5.1: compact JSON, not ASCII-escaped, with the charset in the content type."""
    effects = ResponseEffects().answer_json(401, {"message": "é x"})
    assert (effects.status, effects.body) == (401, '{"message":"é x"}'.encode())
    assert effects.apply_headers([]) == [("content-type", "application/json; charset=utf-8")]


def test_the_full_clear() -> None:
    """§1.5: both methods: expired cookies with the same attributes, empty st-*, remove."""
    effects = ResponseEffects()
    rules.write_anti_csrf(effects, "tok")
    rules.clear_session(effects, LAX)
    answer = read(effects)
    assert is_full_clear(answer)
    assert answer.cookies["sAccessToken"].expires == 0
    assert answer.exposed == ["anti-csrf", "front-token", "st-access-token", "st-refresh-token"]


def test_older_domain_clears_only_the_duplicated_names() -> None:
    """§1.6: each duplicated name is expired on the older domain; "" is host-only."""
    view = request(cookies=[("sRefreshToken", "a"), ("sRefreshToken", "b"), ("sAccessToken", "c")])
    effects = ResponseEffects()
    rules.clear_older_domain_cookies(effects, LAX, view, "")
    assert [(c.name, c.domain, c.path) for c in effects.cookies] == [
        ("sRefreshToken", None, "/auth/session/refresh")
    ]


def test_the_expose_flag_copies_the_access_token() -> None:
    """§1.7: cookie mode with the flag also sends st-access-token."""
    effects = ResponseEffects()
    settings = CookieSettings("lax", False, None, "/r", expose_access_token=True)
    rules.write_access_token(effects, settings, "cookie", "tok", now=0)
    answer = read(effects)
    assert answer.header("st-access-token") == "tok" and "sAccessToken" in answer.cookies


def test_repr_shows_no_values() -> None:
    """Effects and their operations show names, never token values."""
    effects = ResponseEffects()
    rules.write_tokens(
        effects,
        LAX,
        "header",
        front_token="FT",
        access_token="AT-SECRET",
        refresh_token=("RT-SECRET", 0),
        anti_csrf_token="CSRF-SECRET",
        now=0,
    )
    rules.write_access_token(effects, LAX, "cookie", "AT-SECRET", now=0)
    text = repr(effects) + repr(effects.operations) + repr(effects.cookies)
    assert "SECRET" not in text and "st-access-token" in text
