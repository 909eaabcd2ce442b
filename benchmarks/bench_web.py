"""Requests/s of a FastAPI route behind authclient's ``verify_session``, unprotected, and behind
supertokens-python's.

Usage: ``python benchmarks/bench_web.py [--rounds R] [--calls N] [--caller asgi|httpx]``

Three FastAPI apps, identical but for the session layer, serve ``POST /updateinfo`` answering
``{"userId": ...}`` (no core call inside the route, so only the auth overhead is measured):

- ``unprotected``: the plain route;
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
import statistics
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, Callable, Optional

import _harness
import anyio
import fastapi
import httpx
from _harness import Comparison, Contender, Result, async_loop, format_table, measure
from fastapi import Depends, FastAPI
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
from authclient.localcore import LocalCore, LocalRequest, LocalResponse, start_in_thread
from authclient.web import WebConfig

API_DOMAIN = "http://localhost:8000"
WEBSITE_DOMAIN = "http://localhost:3000"
ROUTE = "/updateinfo"
USER_ID = "alice"
EXPECTED_BODY = b'{"userId":"alice"}'

UNPROTECTED = "unprotected"
AUTHCLIENT = "authclient"
SUPERTOKENS = "supertokens-python"
RATE_TARGET = 0.7  # authclient req/s / unprotected req/s, at least
OVERHEAD_TARGET = 1 / 3  # the time authclient adds / the time supertokens-python adds, at most

Scope = dict[str, Any]
ASGIApp = Callable[..., Awaitable[None]]


class CountingCore(LocalCore):
    """A local core that remembers the method and path of every request it answers."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def handle(self, request: LocalRequest) -> LocalResponse:
        self.seen.append(f"{request.method} {request.path}")
        return super().handle(request)


# --- the apps -------------------------------------------------------------------------------


def unprotected_app() -> FastAPI:
    app = FastAPI()

    @app.post(ROUTE)
    async def updateinfo() -> dict[str, str]:
        return {"userId": USER_ID}

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


# What a browser sends with the frontend SDK in header mode (the same for every contender).
BROWSER_HEADERS = (
    ("host", "localhost:8000"),
    ("connection", "keep-alive"),
    ("content-length", "0"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"),
    ("accept", "*/*"),
    ("origin", WEBSITE_DOMAIN),
    ("referer", WEBSITE_DOMAIN + "/"),
    ("accept-encoding", "gzip, deflate, br"),
    ("accept-language", "en-GB,en;q=0.9"),
    ("rid", "anti-csrf"),
    ("fdi-version", "4.1"),
    ("st-auth-mode", "header"),
)


def _headers(token: Optional[str]) -> list[tuple[str, str]]:
    headers = list(BROWSER_HEADERS)
    if token is not None:
        headers.append(("authorization", f"Bearer {token}"))
    return headers


def asgi_caller(app: ASGIApp, token: Optional[str]) -> Callable[[], Awaitable[None]]:
    """One ``POST /updateinfo`` straight into the ASGI app, as a minimal server would send it."""
    headers = [(name.encode(), value.encode()) for name, value in _headers(token)]
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
    headers = [pair for pair in _headers(token) if pair[0] != "host"]  # httpx sets Host

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
                AUTHCLIENT: authclient_app(client),
                SUPERTOKENS: supertokens_app(running.url),
            }
            mine, theirs = await _tokens(client)
            tokens = {UNPROTECTED: None, AUTHCLIENT: mine, SUPERTOKENS: theirs}
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


def overhead_ratios(results: dict[str, Result]) -> list[float]:
    """Per round: (1/authclient - 1/unprotected) / (1/supertokens - 1/unprotected), i.e. the
    time authclient adds to a request over the time supertokens-python adds (rounds where the
    latter is not positive are left out)."""
    ratios = []
    for base, mine, theirs in zip(
        results[UNPROTECTED].rates, results[AUTHCLIENT].rates, results[SUPERTOKENS].rates
    ):
        added_theirs = 1 / theirs - 1 / base
        if added_theirs > 0:
            ratios.append((1 / mine - 1 / base) / added_theirs)
    return ratios


def added_microseconds(results: dict[str, Result], name: str) -> float:
    """The median over rounds of the time ``name`` adds to a request, in microseconds."""
    pairs = zip(results[name].rates, results[UNPROTECTED].rates)
    return statistics.median(1e6 * (1 / mine - 1 / base) for mine, base in pairs)


def overhead_report(results: dict[str, Result]) -> str:
    ratios = overhead_ratios(results)
    mine, theirs = added_microseconds(results, AUTHCLIENT), added_microseconds(results, SUPERTOKENS)
    lines = [
        f"time auth adds to a request (median over rounds): {AUTHCLIENT} {mine:.1f} us, "
        f"{SUPERTOKENS} {theirs:.1f} us"
    ]
    if not ratios:
        lines.append("auth overhead ratio: no round where supertokens-python added time (noise?)")
        return "\n".join(lines)
    ratio = statistics.median(ratios)
    low, high = _harness._quartiles(ratios)
    verdict = "PASS" if ratio <= OVERHEAD_TARGET else "MISS"
    dropped = len(results[UNPROTECTED].rates) - len(ratios)
    lines.append(
        f"auth overhead ratio {AUTHCLIENT}/{SUPERTOKENS}: {ratio:.3f} "
        f"(middle half {low:.3f}-{high:.3f}), target <= {OVERHEAD_TARGET:.3f}  {verdict}"
        + (f"; {dropped} round(s) left out" if dropped else "")
    )
    return "\n".join(lines)


def core_report(outcome: Outcome) -> str:
    setup = ", ".join(sorted(set(outcome.core_calls_setup)))
    lines = [f"core requests before measuring: {len(outcome.core_calls_setup)} ({setup})"]
    measured = outcome.core_calls_measured
    if not measured:
        lines.append("core requests while measured: none (both SDKs verified locally)")
        return "\n".join(lines)
    mine = outcome.authclient_calls_measured
    paths = ", ".join(sorted(set(measured)))
    lines += [
        "!" * 78,
        f"WARNING: the core got {len(measured)} request(s) while measured ({paths}):",
        f"  {mine} from {AUTHCLIENT}, {len(measured) - mine} from {SUPERTOKENS}.",
        "If that is more than a JWKS refetch now and then, the numbers are not local-only.",
        "!" * 78,
    ]
    return "\n".join(lines)


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="measured rounds (default 20)")
    parser.add_argument(
        "--calls", type=int, default=1000, help="requests per contender per round (default 1000)"
    )
    parser.add_argument("--warmup-rounds", type=int, default=1, help="unrecorded rounds first")
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    parser.add_argument(
        "--caller",
        choices=("asgi", "httpx"),
        default="asgi",
        help="minimal in-process ASGI caller (default), or httpx.ASGITransport",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.calls < 1 or args.warmup_rounds < 0:
        parser.error("need --rounds >= 1, --calls >= 1 and --warmup-rounds >= 0")
    return args


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
ratio: median over the rounds of (contender req/s / unprotected req/s in the same round).
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
    ]
    print()
    print(format_table(outcome.results, comparisons))
    print()
    print(overhead_report(outcome.results))
    print()
    print(core_report(outcome))
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
