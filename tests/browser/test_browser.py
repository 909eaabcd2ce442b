"""Sessions in a real browser: headless Chromium, the official frontend SDK, two backends.

The page (examples/web, on its own port) loads supertokens-web-js and calls the API on another
port: the official backend (supertokens-python's FastAPI integration) and authclient's example
apps (examples/fastapi_app.py under uvicorn, examples/flask_app.py under werkzeug's threaded
WSGI server), all on one local core whose access tokens live 2 seconds. Each
test runs in cookie and in header mode (the SDK's tokenTransferMethod). What the backend saw is
counted on the server side, by a recorder in front of the app.
"""

from __future__ import annotations

import time

import pytest

from tests.browser import prerequisites

if not prerequisites.opted_in():
    pytest.skip(
        f"browser tests run with `nox -s browser` (or {prerequisites.OPT_IN_ENV}=1)",
        allow_module_level=True,
    )
if prerequisites.missing():
    reason = "; ".join(prerequisites.missing())
    if prerequisites.in_ci():
        pytest.fail(f"in CI the browser tests must run, but {reason}", pytrace=False)
    pytest.skip(f"the browser tests cannot run here: {reason}", allow_module_level=True)

from tests.browser.page import ExamplePage
from tests.browser.servers import Backend, Exchange

REFRESH = ("POST", "/auth/session/refresh")
# Past the front token's ate by this much, the access token is expired for every backend.
EXPIRY_MARGIN_MS = 300
# Cookie mode: the tokens are HttpOnly cookies of the API. Header mode: the SDK keeps them itself.
TOKEN_COOKIES = {
    "cookie": {"sAccessToken", "sRefreshToken"},
    "header": {"st-access-token", "st-refresh-token"},
}


def calls(exchanges: list[Exchange]) -> list[tuple[str, str, int]]:
    return [(e.method, e.path, e.status) for e in exchanges]


def refreshes(exchanges: list[Exchange]) -> list[Exchange]:
    return [e for e in exchanges if (e.method, e.path) == REFRESH]


def log_in(page: ExamplePage, user_id: str) -> None:
    page.open()
    assert page.login(user_id) == {"status": 200, "body": {"userId": user_id}}
    assert page.session_exists()


def test_first_visit_asks_for_a_refresh_and_finds_no_session(
    page: ExamplePage, backend: Backend
) -> None:
    """On a first visit the SDK probes with one refresh, gets 401, and knows there is no session."""
    mark = backend.recorder.mark()
    page.open()
    assert calls(backend.recorder.since(mark)) == [(*REFRESH, 401)]
    assert not page.session_exists()
    assert not TOKEN_COOKIES["cookie"] & page.cookies().keys()


def test_login_then_updateinfo_answers_the_users_preferences(
    page: ExamplePage, backend: Backend, mode: str, user_id: str
) -> None:
    """After login, POST /updateinfo answers the user's preferences, the token sent the mode's way."""
    log_in(page, user_id)
    held = page.cookies().keys()
    assert TOKEN_COOKIES[mode] <= held
    assert not TOKEN_COOKIES[{"cookie": "header", "header": "cookie"}[mode]] & held

    mark = backend.recorder.mark()
    answer = page.updateinfo()
    assert answer == {"status": 200, "body": {"preferences": {"theme": "dark", "mode": mode}}}
    seen = backend.recorder.since(mark)
    assert calls(seen) == [("POST", "/updateinfo", 200)]
    assert seen[0].carried == mode


def test_expired_access_token_is_refreshed_once_by_the_sdk(
    page: ExamplePage, backend: Backend, mode: str, user_id: str
) -> None:
    """Once the access token expires, the SDK refreshes by itself exactly once and the call succeeds."""
    log_in(page, user_id)
    assert page.updateinfo()["status"] == 200
    expiry_ms = page.access_token_expiry_ms()
    while time.time() * 1000 < expiry_ms + EXPIRY_MARGIN_MS:
        time.sleep(0.05)

    mark = backend.recorder.mark()
    answer = page.updateinfo()
    assert answer == {"status": 200, "body": {"preferences": {"theme": "dark", "mode": mode}}}
    seen = backend.recorder.since(mark)
    assert calls(seen) == [
        ("POST", "/updateinfo", 401),
        (*REFRESH, 200),
        ("POST", "/updateinfo", 200),
    ]
    assert [e.carried for e in refreshes(seen)] == [mode]
    assert page.access_token_expiry_ms() > expiry_ms
    assert page.session_exists()


def test_sign_out_ends_the_session(
    page: ExamplePage, backend: Backend, mode: str, user_id: str
) -> None:
    """After sign-out there is no session: no token is kept and POST /updateinfo is 401."""
    log_in(page, user_id)
    mark = backend.recorder.mark()
    page.sign_out()
    assert calls(backend.recorder.since(mark)) == [("POST", "/auth/signout", 200)]
    assert not page.session_exists()
    assert not (TOKEN_COOKIES["cookie"] | TOKEN_COOKIES["header"]) & page.cookies().keys()

    mark = backend.recorder.mark()
    assert page.updateinfo()["status"] == 401
    assert calls(backend.recorder.since(mark)) == [("POST", "/updateinfo", 401)]
