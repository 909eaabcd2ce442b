"""The ASGI session matrix's rows, sent through a framework's own test client.

``FrameworkMatrix`` is ``SessionMatrix`` with another frontend: each call goes through the
framework's test client (Flask's, Django's ``Client`` in a worker thread, as a WSGI server
would run it; Django's ``AsyncClient`` on the test's event loop) and comes back as an
``httpx.Response``, so every row and helper applies unchanged. Apps get a sync ``Client``
and an ``AsyncClient`` on the same app of the test core; the rows use the async one.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any, Callable, ClassVar, Optional

import anyio.to_thread
import attrs
import httpx
import pytest

from authclient.asyncio import AsyncClient
from authclient.claims import BooleanClaim
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client
from authclient.web import WebConfig
from tests.integrations.conftest import CONFIG_A, Frontend, Tokens, no_session_headers
from tests.integrations.matrix import SessionMatrix, user

Send = Callable[[str, str, dict[str, str], Any], Awaitable[httpx.Response]]
"""``send(method, path, headers, json)``: one request through a test client."""


@attrs.frozen
class Clients:
    """The app's clients: the sync flavor's and the async flavor's, on one app of the core."""

    sync: Client
    asynchronous: AsyncClient


MakeSend = Callable[[Clients, WebConfig, list[str], bool], AbstractContextManager[Send]]
"""``make_send(clients, config, background, with_cors)``: an app behind a test client."""


def _not_an_admin(*args: Any) -> bool:
    return False


IS_ADMIN = BooleanClaim("st-adm", fetch_value=_not_an_admin)
INVALID_CLAIM = {
    "message": "invalid claim",
    "claimValidationErrors": [
        {
            "id": "st-adm",
            "reason": {"message": "wrong value", "expectedValue": True, "actualValue": False},
        }
    ],
}


def must_be_admin(validators: Any, session: Any, user_context: Any) -> list[Any]:
    """``override_global_claim_validators`` of the apps' ``POST /admin``: nobody is an admin."""
    return [IS_ADMIN.validators.is_true()]


def in_thread(call: Callable[[], httpx.Response]) -> Awaitable[httpx.Response]:
    """Run a blocking test-client call on a worker thread, as a WSGI server runs the app."""
    return anyio.to_thread.run_sync(call)


class ClientFrontend(Frontend):
    """``Frontend``'s calls, through ``send`` instead of an ASGI transport."""

    def __init__(self, send: Send, client: AsyncClient) -> None:
        self.app = None
        self.client = client
        self.send = send
        self.background: list[str] = []

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
        return await self.send(method, path, sent, json)


class FrameworkMatrix(SessionMatrix):
    """The matrix through a test client; ``make_send`` builds the app and its client."""

    make_send: ClassVar[Callable[..., AbstractContextManager[Send]]]  # a MakeSend

    @pytest.fixture
    def anyio_backend(self) -> str:
        """The rows drive the test client from asyncio (the app itself runs no event loop)."""
        return "asyncio"

    @pytest.fixture
    def clients_for(self, web_core: LocalCore, shared_app: str) -> Callable[..., Any]:
        """``async with clients_for(**client_options) as clients``: both flavors' clients on
        the shared app of the test core (as ``auth_client_for``)."""

        @asynccontextmanager
        async def make(**options: Any) -> AsyncGenerator[Clients, None]:
            with httpx.Client(transport=LocalCoreTransport(web_core)) as sync_http:
                with Client(shared_app, http_client=sync_http, **options) as sync:
                    async with httpx.AsyncClient(transport=LocalCoreTransport(web_core)) as http:
                        async with AsyncClient(shared_app, http_client=http, **options) as client:
                            yield Clients(sync, client)

        return make

    @pytest.fixture
    def frontend_for(self, clients_for: Callable[..., Any]) -> Callable[..., Any]:
        @asynccontextmanager
        async def make(
            config: WebConfig = CONFIG_A, with_cors: bool = False, **options: Any
        ) -> AsyncGenerator[Frontend, None]:
            async with clients_for(**options) as clients:
                background: list[str] = []
                with type(self).make_send(clients, config, background, with_cors) as send:
                    frontend = ClientFrontend(send, clients.asynchronous)
                    frontend.background = background
                    yield frontend

        return make

    # WebSockets are ASGI's: these rows have no WSGI counterpart.
    test_websocket_is_authenticated_by_cookie_or_header = None  # type: ignore[assignment]
    test_websocket_without_a_session_closes_with_4401 = None  # type: ignore[assignment]
    test_websocket_with_a_tampered_token_closes_with_4401 = None  # type: ignore[assignment]

    # --- claims (FDI.md §9 row 22; each app has POST /admin with must_be_admin) ---------------

    async def test_an_invalid_claim_is_403_with_the_claim_errors(self, frontend: Frontend) -> None:
        """A failing claim validator: 403 invalid claim with claimValidationErrors, no clear."""
        tokens = await frontend.login(user("ivy"))
        response = await frontend.call("POST", "/admin", tokens)
        assert (response.status_code, response.json()) == (403, INVALID_CLAIM)
        assert no_session_headers(response)
