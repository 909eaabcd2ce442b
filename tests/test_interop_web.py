"""The official supertokens-python FastAPI app and authclient's, on one local core, in web requests.

Both apps are the seed's route (``POST /login``, ``POST /updateinfo``) with their SDK's refresh and
sign-out endpoints under ``/auth``, as in the browser test (tests/browser/official_app.py and
examples/fastapi_app.py). A session made by one app is carried to the other exactly as a browser
or a frontend SDK would carry it: cookies (the jar) or headers (``Authorization: Bearer``,
``st-refresh-token``). Each must accept the other's tokens, refresh them, sign them out, and answer
the same errors with the same statuses and bodies.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import Literal, Optional

import httpx
import pytest

from authclient.localcore import start_in_thread
from authclient.syncio import Client

pytest.importorskip(
    "supertokens_python", reason="supertokens-python could not be installed in this environment"
)
pytest.importorskip("fastapi", reason="the web interop tests need FastAPI")

from fastapi import FastAPI

from examples.fastapi_app import create_app
from tests.browser.official_app import create_official_app, reset_official_sdk

API = "http://localhost:8000"
WEBSITE = "http://localhost:3000"  # same site as the API: both SDKs choose no anti-CSRF token
Mode = Literal["cookie", "header"]
PAIRS = [("official", "authclient"), ("authclient", "official")]


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the official SDK runs on asyncio only


Apps = dict[str, httpx.AsyncClient]


@pytest.fixture
async def apps(core_url: str) -> AsyncIterator[Apps]:
    """Both apps (their lifespans run) behind httpx's ASGI transport; the official SDK reset after."""
    try:
        built = {
            "official": create_official_app(core_url, API, WEBSITE),
            "authclient": create_app(core_url, API, WEBSITE),
        }
        async with AsyncExitStack() as stack:
            callers = {}
            for name, app in built.items():
                await stack.enter_async_context(_lifespan(app))
                transport = httpx.ASGITransport(app=app)
                callers[name] = await stack.enter_async_context(
                    httpx.AsyncClient(transport=transport, base_url=API)
                )
            yield callers
    finally:
        reset_official_sdk()


def _lifespan(app: FastAPI) -> AbstractAsyncContextManager[object]:
    return app.router.lifespan_context(app)


@pytest.fixture
def user_id(core_url: str) -> str:
    user = f"web-interop-{uuid.uuid4()}"
    with Client(core_url) as client:
        client.update_user_metadata(user, {"preferences": {"theme": "dark"}})
    return user


class Browser:
    """What a frontend SDK keeps between requests: the cookie jar, or the tokens of headers."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.cookies: dict[str, str] = {}
        self.access = ""
        self.refresh = ""

    async def send(
        self, app: httpx.AsyncClient, path: str, json: Optional[dict[str, str]] = None
    ) -> httpx.Response:
        headers = {"rid": "session", "st-auth-mode": self.mode}
        if self.mode == "header":
            token = self.refresh if path == "/auth/session/refresh" else self.access
            if token:
                headers["authorization"] = f"Bearer {token}"
        if self.cookies:
            headers["cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        app.cookies.clear()  # the client's own jar would send cookies of the other mode
        response = await app.post(path, headers=headers, json=json)
        self._keep(response)
        return response

    def _keep(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=thu, 01 jan 1970" not in header.lower():
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        if "st-access-token" in response.headers:
            self.access = response.headers["st-access-token"]
        if "st-refresh-token" in response.headers:
            self.refresh = response.headers["st-refresh-token"]


def status_and_body(response: httpx.Response) -> tuple[int, object]:
    return response.status_code, response.json()


async def logged_in(apps: Apps, maker: str, mode: Mode, user_id: str) -> Browser:
    browser = Browser(mode)
    response = await browser.send(apps[maker], "/login", json={"userId": user_id})
    assert status_and_body(response) == (200, {"userId": user_id})
    if mode == "cookie":
        assert {"sAccessToken", "sRefreshToken"} <= set(browser.cookies)
    else:
        assert browser.access and browser.refresh
    return browser


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["cookie", "header"])
@pytest.mark.parametrize(("maker", "reader"), PAIRS)
async def test_a_session_made_by_one_app_is_accepted_by_the_other(
    apps: Apps, user_id: str, mode: Mode, maker: str, reader: str
) -> None:
    """The seed's route on one app answers for a session the other app logged in."""
    browser = await logged_in(apps, maker, mode, user_id)
    answer = await browser.send(apps[reader], "/updateinfo")
    assert status_and_body(answer) == (200, {"preferences": {"theme": "dark"}})


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["cookie", "header"])
@pytest.mark.parametrize(("maker", "refresher"), PAIRS)
async def test_a_session_made_by_one_app_is_refreshed_by_the_other(
    apps: Apps, user_id: str, mode: Mode, maker: str, refresher: str
) -> None:
    """The other app's refresh endpoint rotates the tokens; both apps accept the new ones."""
    browser = await logged_in(apps, maker, mode, user_id)
    old_access = browser.cookies.get("sAccessToken") or browser.access
    refreshed = await browser.send(apps[refresher], "/auth/session/refresh")
    assert refreshed.status_code == 200
    assert "front-token" in refreshed.headers
    assert (browser.cookies.get("sAccessToken") or browser.access) != old_access
    for app in (maker, refresher):
        answer = await browser.send(apps[app], "/updateinfo")
        assert status_and_body(answer) == (200, {"preferences": {"theme": "dark"}})


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["cookie", "header"])
@pytest.mark.parametrize(("maker", "closer"), PAIRS)
async def test_a_session_made_by_one_app_is_signed_out_by_the_other(
    apps: Apps, user_id: str, mode: Mode, maker: str, closer: str
) -> None:
    """Sign-out on the other app clears the tokens and revokes the session in the core."""
    browser = await logged_in(apps, maker, mode, user_id)
    kept = Browser(mode)  # a copy of the tokens from before the sign-out
    kept.cookies, kept.access, kept.refresh = dict(browser.cookies), browser.access, browser.refresh
    signed_out = await browser.send(apps[closer], "/auth/signout")
    assert status_and_body(signed_out) == (200, {"status": "OK"})
    assert not browser.cookies.get("sAccessToken")
    refreshed = await kept.send(apps[maker], "/auth/session/refresh")
    assert refreshed.status_code == 401


def tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    return f"{header}.{payload}.{signature[:-4]}AAAA"


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["cookie", "header"])
@pytest.mark.parametrize(
    "case", ["no session", "tampered access token", "refresh without a token", "reused refresh"]
)
async def test_both_apps_answer_the_same_errors(
    apps: Apps, user_id: str, mode: Mode, case: str
) -> None:
    """Status and body of each failure are the official SDK's, byte for byte in JSON."""
    answers = {}
    for name in ("official", "authclient"):
        app = apps[name]
        if case == "no session":
            answers[name] = status_and_body(await Browser(mode).send(app, "/updateinfo"))
            continue
        browser = await logged_in(apps, name, mode, user_id)
        if case == "tampered access token":
            if mode == "cookie":
                browser.cookies["sAccessToken"] = tamper(browser.cookies["sAccessToken"])
            else:
                browser.access = tamper(browser.access)
            answers[name] = status_and_body(await browser.send(app, "/updateinfo"))
        elif case == "refresh without a token":
            answers[name] = status_and_body(await Browser(mode).send(app, "/auth/session/refresh"))
        else:  # the old refresh token after a rotation was used: both revoke the session
            kept = dict(browser.cookies), browser.refresh
            assert (await browser.send(app, "/auth/session/refresh")).status_code == 200
            assert (await browser.send(app, "/updateinfo")).status_code == 200
            browser.cookies, browser.refresh = kept
            answers[name] = status_and_body(await browser.send(app, "/auth/session/refresh"))
    assert answers["official"][0] == 401
    assert answers["authclient"] == answers["official"]
