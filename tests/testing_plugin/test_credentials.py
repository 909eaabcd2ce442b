"""SessionCredentials and AuthClock: what a test client is given, and the clock's rules."""

from __future__ import annotations

import pytest

from authclient.testing import AuthClock, AuthHelper


def test_cookie_mode_sends_cookies(auth_helper: AuthHelper) -> None:
    """In cookie mode the tokens are cookies; headers hold only rid (no anti-CSRF by default)."""
    made = auth_helper.session_for("alice")
    assert made.cookies == {"sAccessToken": made.access_token}
    assert made.refresh_cookies["sRefreshToken"] == made.refresh_token
    assert made.headers == {"rid": "anti-csrf"}


def test_header_mode_sends_bearer_tokens(auth_helper: AuthHelper) -> None:
    """In header mode the access (or refresh) token is an Authorization bearer header."""
    made = auth_helper.session_for("alice", transfer="header")
    assert made.cookies == made.refresh_cookies == {}
    assert made.headers == {"authorization": f"Bearer {made.access_token}"}
    assert made.refresh_headers == {"authorization": f"Bearer {made.refresh_token}"}


def test_payload_is_readable(auth_helper: AuthHelper) -> None:
    """The access token payload the frontend sees includes the custom claims."""
    assert auth_helper.session_for("alice", {"role": "x"}).access_token_payload["role"] == "x"


def test_repr_shows_no_token(auth_helper: AuthHelper) -> None:
    """The repr names the user and the handle, never a token."""
    made = auth_helper.session_for("alice", transfer="header")
    text = repr(made)
    assert "alice" in text and made.handle in text
    assert made.access_token not in text and made.refresh_token not in text


def test_unknown_transfer_is_refused(auth_helper: AuthHelper) -> None:
    """A transfer that is neither cookie nor header is a ValueError."""
    with pytest.raises(ValueError, match="transfer must be"):
        auth_helper.session_for("alice", transfer="query")  # type: ignore[arg-type]


def test_refresh_path_follows_the_api_base_path(auth_helper: AuthHelper) -> None:
    """The refresh cookie's path is under the app's api_base_path."""
    made = auth_helper.session_for("alice", api_base_path="/api/auth/")
    assert made.refresh_path == "/api/auth/session/refresh"


def test_clock_moves_forward_only() -> None:
    """advance adds to the offset; going back, or by a non-number, is refused."""
    clock = AuthClock()
    clock.advance(10)
    assert clock.offset == 10.0
    with pytest.raises(ValueError, match="never goes back"):
        clock.advance(-1)
    with pytest.raises(TypeError):
        clock.advance(True)
