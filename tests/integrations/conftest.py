"""Web apps on the in-process local core, and a frontend-like caller that keeps tokens apart.

The core runs on an adjustable clock (``clock.offset``, reset after each test): a core that
runs late mints access tokens that are already expired, with no sleeping.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Iterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie
from typing import Any, Callable, Optional

import attrs
import httpx
import pytest

from authclient.asyncio import AsyncClient
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.web import WebConfig
from tests.asyncio.conftest import new_app

API = "http://api.example.com"
CONFIG_A = WebConfig(api_domain=API, website_domain="http://example.com")  # FDI.md §9 config A
EXPIRED = 3603.0  # seconds a core runs late to mint expired tokens (default validity 3600 s)


class Clock:
    """``time.time()`` minus ``offset`` seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() - self.offset


@pytest.fixture(scope="session")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def web_core(clock: Clock) -> Iterator[LocalCore]:
    with LocalCore(clock=clock) as core:
        yield core


@pytest.fixture(autouse=True)
def _on_time(clock: Clock) -> Iterator[None]:
    yield
    clock.offset = 0.0


@attrs.define
class Tokens:
    """What a frontend keeps from a response: the session tokens, however they came."""

    access: Optional[str] = attrs.field(default=None, repr=False)
    refresh: Optional[str] = attrs.field(default=None, repr=False)
    front: Optional[str] = attrs.field(default=None, repr=False)
    anti_csrf: Optional[str] = attrs.field(default=None, repr=False)
    mode: str = "cookie"

    @classmethod
    def of(cls, response: httpx.Response) -> Tokens:
        cookies = set_cookies(response)
        headers = response.headers
        if "st-access-token" in headers:
            return cls(
                headers["st-access-token"] or None,
                headers.get("st-refresh-token") or None,
                headers.get("front-token"),
                headers.get("anti-csrf"),
                "header",
            )
        return cls(
            cookies.get("sAccessToken"),
            cookies.get("sRefreshToken"),
            headers.get("front-token"),
            headers.get("anti-csrf"),
            "cookie",
        )

    def updated(self, response: httpx.Response) -> Tokens:
        """These tokens, with what ``response`` replaced."""
        new = Tokens.of(response)
        return Tokens(
            new.access or self.access,
            new.refresh or self.refresh,
            new.front or self.front,
            new.anti_csrf or self.anti_csrf,
            self.mode,
        )

    def access_headers(self) -> dict[str, str]:
        """How the frontend sends the access token in its mode."""
        assert self.access
        if self.mode == "header":
            return {"authorization": f"Bearer {self.access}"}
        return {"cookie": f"sAccessToken={self.access}"}

    def refresh_headers(self) -> dict[str, str]:
        assert self.refresh
        if self.mode == "header":
            return {"authorization": f"Bearer {self.refresh}"}
        return {"cookie": f"sRefreshToken={self.refresh}"}


def forged(token: Optional[str]) -> str:
    """``token`` with one character of its signature changed: well-formed, wrongly signed."""
    assert token
    head, payload, signature = token.split(".")
    middle = len(signature) // 2
    swapped = "B" if signature[middle] == "A" else "A"
    return f"{head}.{payload}.{signature[:middle]}{swapped}{signature[middle + 1 :]}"


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """The response's ``Set-Cookie`` values by name (``""`` for a clear)."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return {name: morsel.value.strip('"') for name, morsel in jar.items()}


def cookie_attributes(response: httpx.Response, name: str) -> dict[str, str]:
    """The attributes (lower-cased names) of the ``Set-Cookie`` for ``name``."""
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        if first.split("=", 1)[0] == name:
            return {key.lower(): value for key, _, value in (a.partition("=") for a in attributes)}
    raise AssertionError(f"no Set-Cookie for {name}")


def cleared(response: httpx.Response) -> bool:
    """Whether the response clears the session in both methods (FDI.md §1.5)."""
    cookies = set_cookies(response)
    return (
        response.headers.get("front-token") == "remove"
        and cookies.get("sAccessToken") == ""
        and cookies.get("sRefreshToken") == ""
        and response.headers.get("st-access-token") == ""
    )


def no_session_headers(response: httpx.Response) -> bool:
    names = {"front-token", "st-access-token", "st-refresh-token", "anti-csrf", "set-cookie"}
    return not names & set(response.headers.keys())


class Frontend:
    """Calls an ASGI app like the frontend SDK would; no cookie jar (tokens passed by hand)."""

    def __init__(self, app: Any, client: AsyncClient) -> None:
        self.app = app
        transport = httpx.ASGITransport(app=app)
        self.http = httpx.AsyncClient(transport=transport, base_url=API)
        self.client = client

    async def call(
        self,
        method: str,
        path: str,
        tokens: Optional[Tokens] = None,
        *,
        headers: Optional[dict[str, str]] = None,
        json: Any = None,
    ) -> httpx.Response:
        sent = dict(tokens.access_headers() if tokens and tokens.access else {})
        sent.update(headers or {})
        response = await self.http.request(method, path, headers=sent, json=json)
        self.http.cookies.clear()
        return response

    async def login(self, user_id: str, mode: str = "cookie", **headers: str) -> Tokens:
        response = await self.call(
            "POST", "/login", headers={"st-auth-mode": mode, **headers}, json={"userId": user_id}
        )
        assert response.status_code == 200, response.text
        return Tokens.of(response)

    async def refresh(self, tokens: Tokens, **headers: str) -> httpx.Response:
        sent = {**tokens.refresh_headers(), "rid": "session", **headers}
        return await self.call("POST", "/auth/session/refresh", headers=sent)


MakeApp = Callable[[AsyncClient, WebConfig, list[str]], Any]


@pytest.fixture(scope="session")
def shared_app(web_core: LocalCore) -> str:
    """One app for the run (a new app makes signing keys, which is slow); tests use own users."""
    return new_app(web_core)


@pytest.fixture
def auth_client_for(web_core: LocalCore, shared_app: str) -> Callable[..., Any]:
    """``async with auth_client_for(**options) as client``: an AsyncClient on the shared app
    (on a fresh one with ``core_config``)."""

    @asynccontextmanager
    async def make(
        core_config: Optional[dict[str, Any]] = None, **options: Any
    ) -> AsyncGenerator[AsyncClient, None]:
        uri = new_app(web_core, **core_config) if core_config else shared_app
        async with httpx.AsyncClient(transport=LocalCoreTransport(web_core)) as http:
            async with AsyncClient(uri, http_client=http, **options) as client:
                yield client

    return make
