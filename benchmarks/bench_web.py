"""Requests/s of a FastAPI route behind authclient's ``verify_session``, unprotected, and behind
supertokens-python's.

Usage: ``python benchmarks/bench_web.py [--rounds R] [--calls N] [--caller asgi|httpx]``

Four FastAPI apps, identical but for the session layer, serve ``POST /updateinfo`` answering
``{"userId": ...}`` (no core call inside the route, so only the auth overhead is measured):

- ``unprotected``: the plain route;
- ``depends-floor``: a do-nothing ASGI middleware + a do-nothing ``Depends`` (FastAPI's own
  price for any guard built that way);
- ``minimal-guard``: the same plus, by hand, the least a guard on authclient's verified-token
  cache does (find the Bearer header, look the token up, check ``exp``, make the session);
- ``authclient``: ``AuthMiddleware`` + ``Depends(authclient.integrations.fastapi.verify_session())``;
- ``supertokens-python``: its ``get_middleware()`` + ``Depends(verify_session())``.

Both authed apps use one local core served over HTTP on 127.0.0.1, header transfer
(``Authorization: Bearer <access token>``, among the headers a browser running the frontend SDK
sends) and anti-CSRF ``NONE``. One session per SDK is made up
front and its access token (valid 1 h) is sent on every request: both verify it locally against
cached JWKS. The core counts the requests it gets; any during the measured rounds is reported.
Every app is called in-process by the same caller (a minimal ASGI caller, or httpx's
``ASGITransport`` with ``--caller httpx``). It prints a table and always exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, Callable, Optional

import anyio
import fastapi
import httpx
from _harness import (
    Comparison,
    Contender,
    Result,
    async_loop,
    format_table,
    loop_parser,
    measure,
    parse_loop,
)
from _web import (
    API_DOMAIN,
    AUTHCLIENT,
    EXPECTED_BODY,
    RATE_TARGET,
    ROUTE,
    SUPERTOKENS,
    UNPROTECTED,
    USER_ID,
    WEBSITE_DOMAIN,
    CountingCore,
    browser_headers,
    core_report,
    overhead_report,
)
from fastapi import Depends, FastAPI
from starlette.requests import HTTPConnection
from supertokens_python import InputAppInfo, SupertokensConfig, init
from supertokens_python.framework.fastapi import get_middleware
from supertokens_python.recipe import session as st_session
from supertokens_python.recipe.session import SessionContainer
from supertokens_python.recipe.session.asyncio import create_new_session_without_request_response
from supertokens_python.recipe.session.framework.fastapi import verify_session as st_verify
from supertokens_python.types import RecipeUserId

from authclient.asyncio import AsyncClient, AsyncSession
from authclient.integrations.asgi import AuthMiddleware
from authclient.integrations.fastapi import verify_session
from authclient.localcore import start_in_thread
from authclient.web import WebConfig

FLOOR = "depends-floor"
MINIMAL = "minimal-guard"
SECTION = "web: FastAPI"

Scope = dict[str, Any]
ASGIApp = Callable[..., Awaitable[None]]


# --- the apps -------------------------------------------------------------------------------


def unprotected_app() -> FastAPI:
    app = FastAPI()

    @app.post(ROUTE)
    async def updateinfo() -> dict[str, str]:
        return {"userId": USER_ID}

    return app


class PassThrough:
    """A pure ASGI middleware that does nothing: what any middleware costs in FastAPI."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


def floor_app() -> FastAPI:
    """What any ``Depends`` guard behind a middleware costs, with no session work at all."""
    app = FastAPI()
    app.add_middleware(PassThrough)

    async def no_auth(request: HTTPConnection) -> str:
        return USER_ID

    @app.post(ROUTE)
    async def updateinfo(user_id: str = Depends(no_auth)) -> dict[str, str]:
        return {"userId": user_id}

    return app


def minimal_guard_app(client: AsyncClient) -> FastAPI:
    """The least any guard on authclient's verified-token cache does, written by hand: find the
    Bearer header, look the token up, check its expiry, make the session object (no anti-CSRF,
    no legacy or duplicate cookies, no overrides, no response effects). Behind a do-nothing
    middleware. It reaches into authclient's internals: a yardstick, not a way to write apps."""
    app = FastAPI()
    app.add_middleware(PassThrough)
    recipe = client.session_recipe
    kept_tokens = recipe.verified_tokens

    async def minimal_guard(request: HTTPConnection) -> AsyncSession:
        token = ""
        for name, value in request.scope["headers"]:
            if name == b"authorization":
                token = value.decode("latin-1")[len("Bearer ") :]
                break
        kept = kept_tokens.get(token)
        if kept is None or kept.info.expiry_ms < time.time() * 1000:
            return await client.get_session(token)  # the warm-up call: verified, then kept
        return AsyncSession._from_verified(recipe, kept, token, None)  # pyright: ignore[reportPrivateUsage]

    @app.post(ROUTE)
    async def updateinfo(
        session: AsyncSession = Depends(minimal_guard),  # noqa: B008
    ) -> dict[str, str]:
        return {"userId": session.user_id}

    return app


def authclient_app(client: AsyncClient) -> FastAPI:
    app = FastAPI()
    config = WebConfig(
        api_domain=API_DOMAIN,
        website_domain=WEBSITE_DOMAIN,
        token_transfer_method="header",
        anti_csrf="NONE",
    )
    app.add_middleware(AuthMiddleware, client=client, config=config)

    @app.post(ROUTE)
    async def updateinfo(
        session: AsyncSession = Depends(verify_session()),  # noqa: B008
    ) -> dict[str, str]:
        return {"userId": session.user_id}

    return app


def supertokens_app(core_url: str) -> FastAPI:
    """The official SDK keeps its configuration in globals: call this once per process."""
    init(
        app_info=InputAppInfo(
            app_name="bench", api_domain=API_DOMAIN, website_domain=WEBSITE_DOMAIN
        ),
        supertokens_config=SupertokensConfig(connection_uri=core_url),
        framework="fastapi",
        mode="asgi",
        recipe_list=[
            st_session.init(anti_csrf="NONE", get_token_transfer_method=lambda *_: "header")
        ],
        telemetry=False,
    )
    app = FastAPI()
    app.add_middleware(get_middleware())  # type: ignore[no-untyped-call]

    @app.post(ROUTE)
    async def updateinfo(
        session: SessionContainer = Depends(st_verify()),  # noqa: B008
    ) -> dict[str, str]:
        return {"userId": session.get_user_id()}

    return app


# --- the callers ----------------------------------------------------------------------------


def asgi_caller(app: ASGIApp, token: Optional[str]) -> Callable[[], Awaitable[None]]:
    """One ``POST /updateinfo`` straight into the ASGI app, as a minimal server would send it."""
    headers = [(name.encode(), value.encode()) for name, value in browser_headers(token)]
    template: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": ROUTE,
        "raw_path": ROUTE.encode(),
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 8000),
    }
    request_message = {"type": "http.request", "body": b"", "more_body": False}

    async def call() -> None:
        scope = {**template, "headers": list(headers), "state": {}}
        received = False
        status = 0
        body = b""

        async def receive() -> dict[str, Any]:
            nonlocal received
            if received:
                return {"type": "http.disconnect"}
            received = True
            return request_message

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, body
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body += message.get("body", b"")

        await app(scope, receive, send)
        if status != 200 or body != EXPECTED_BODY:
            raise SystemExit(f"POST {ROUTE} answered {status} {body!r}: nothing to measure")

    return call


def httpx_caller(client: httpx.AsyncClient, token: Optional[str]) -> Callable[[], Awaitable[None]]:
    """One ``POST /updateinfo`` through ``httpx.ASGITransport``."""
    headers = [pair for pair in browser_headers(token) if pair[0] != "host"]  # httpx sets Host

    async def call() -> None:
        response = await client.post(ROUTE, headers=headers)
        if response.status_code != 200 or response.content != EXPECTED_BODY:
            raise SystemExit(f"POST {ROUTE} answered {response.status_code} {response.text!r}")

    return call


# --- measuring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    results: dict[str, Result]
    core_calls_setup: list[str]
    core_calls_measured: list[str]
    authclient_calls_measured: int


async def _tokens(client: AsyncClient) -> tuple[str, str]:
    mine = await client.create_new_session(USER_ID)
    theirs = await create_new_session_without_request_response(
        "public", RecipeUserId(USER_ID), disable_anti_csrf=True
    )
    return mine.tokens.access_token, theirs.get_access_token()


async def _benchmark(args: argparse.Namespace) -> Outcome:
    core = CountingCore()
    with core, start_in_thread(core=core) as running:
        authclient_requests: list[object] = []
        async with AsyncClient(running.url, on_request=authclient_requests.append) as client:
            apps = {
                UNPROTECTED: unprotected_app(),
                FLOOR: floor_app(),
                MINIMAL: minimal_guard_app(client),
                AUTHCLIENT: authclient_app(client),
                SUPERTOKENS: supertokens_app(running.url),
            }
            mine, theirs = await _tokens(client)
            tokens = {
                UNPROTECTED: None,
                FLOOR: mine,
                MINIMAL: mine,
                AUTHCLIENT: mine,
                SUPERTOKENS: theirs,
            }
            async with contextlib.AsyncExitStack() as stack:
                calls = {
                    name: await _caller(stack, args.caller, app, tokens[name])
                    for name, app in apps.items()
                }
                for call in calls.values():  # each SDK fetches the JWKS on its first request
                    await call()
                setup, before = list(core.seen), len(authclient_requests)
                results = await measure(
                    [Contender(name, async_loop(call)) for name, call in calls.items()],
                    rounds=args.rounds,
                    calls=args.calls,
                    warmup_rounds=args.warmup_rounds,
                )
            measured = core.seen[len(setup) :]
            return Outcome(results, setup, measured, len(authclient_requests) - before)


async def _caller(
    stack: contextlib.AsyncExitStack, kind: str, app: FastAPI, token: Optional[str]
) -> Callable[[], Awaitable[None]]:
    if kind == "asgi":
        return asgi_caller(app, token)
    transport = httpx.ASGITransport(app)
    client = httpx.AsyncClient(transport=transport, base_url=API_DOMAIN)
    return httpx_caller(await stack.enter_async_context(client), token)


# --- reporting ------------------------------------------------------------------------------


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = loop_parser(__doc__.splitlines()[0], calls=1000, counted="requests per contender")
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    parser.add_argument(
        "--caller",
        choices=("asgi", "httpx"),
        default="asgi",
        help="minimal in-process ASGI caller (default), or httpx.ASGITransport",
    )
    return parse_loop(parser, argv)


def _describe(args: argparse.Namespace) -> str:
    return (
        f"POST {ROUTE} in FastAPI {fastapi.__version__}: unprotected vs authclient vs "
        f"supertokens-python {version('supertokens-python')} verify_session (header transfer, anti-CSRF NONE, JWKS cached)\n"
        f"PyJWT {version('pyjwt')} (supertokens-python verifies with it; its speed varies a lot "
        f"between versions), cryptography {version('cryptography')}\n"
        f"caller {args.caller}, Python {platform.python_version()}, backend {args.backend}, "
        f"{os.cpu_count()} CPUs; {args.rounds} rounds x {args.calls} requests per contender "
        f"(+{args.warmup_rounds} warm-up)"
    )


LEGEND = """\
calls/s: requests/s, median over the rounds.
ratio: median over the rounds of (contender req/s / baseline req/s in the same round).
depends-floor: the same route behind a do-nothing ASGI middleware and a do-nothing Depends: what
FastAPI itself charges any middleware + dependency guard, before any session work.
minimal-guard: depends-floor plus the least a guard on authclient's verified-token cache does
(Bearer header, lookup, expiry, session object), written by hand: a yardstick for the target.
auth overhead ratio: per round, (1/authclient - 1/unprotected) / (1/supertokens - 1/unprotected),
the time authclient's session layer adds to a request over the time supertokens-python's adds."""


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    started = time.perf_counter()
    print(_describe(args), flush=True)
    outcome = anyio.run(_benchmark, args, backend=args.backend)
    comparisons = [
        Comparison(AUTHCLIENT, UNPROTECTED, target=RATE_TARGET),
        Comparison(SUPERTOKENS, UNPROTECTED),
        Comparison(FLOOR, UNPROTECTED),
        Comparison(MINIMAL, UNPROTECTED),
        Comparison(AUTHCLIENT, FLOOR),
    ]
    print()
    print(format_table(outcome.results, comparisons, section=SECTION))
    print()
    print(overhead_report(outcome.results, SECTION, others=[FLOOR, MINIMAL]))
    print()
    print(
        core_report(
            outcome.core_calls_setup, outcome.core_calls_measured, outcome.authclient_calls_measured
        )
    )
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
