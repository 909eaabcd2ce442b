"""Requests/s of a Flask route behind authclient's ``verify_session``, unprotected, and behind
supertokens-python's.

Usage: ``python benchmarks/bench_flask.py [--rounds R] [--calls N]``

The Flask twin of ``bench_web.py`` (its own process: supertokens-python is initialised for one
framework per process). Four Flask apps, identical but for the session layer, serve
``POST /updateinfo`` answering ``{"userId": ...}`` with no core call inside the route:

- ``unprotected``: the plain view;
- ``hooks-floor``: do-nothing before/after-request hooks and view decorator (Flask's own price
  for any extension guarding a view);
- ``authclient``: ``FlaskAuth`` + ``@authclient.integrations.flask.verify_session()``, on the
  sync flavor (no event loop anywhere);
- ``supertokens-python``: its Flask ``Middleware`` + ``@verify_session()``.

Both authed apps use one local core served over HTTP on 127.0.0.1, header transfer and
anti-CSRF ``NONE``; one session per SDK is made up front and its access token is sent on every
request, so both verify locally against cached JWKS. Every app is called in-process as a WSGI
server calls it (``app(environ, start_response)``, the body read and closed). It prints a table
and always exits 0.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import platform
import time
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from typing import Any, Callable, Optional

from _harness import (
    Comparison,
    Contender,
    format_table,
    loop_parser,
    measure_blocking,
    parse_loop,
    sync_loop,
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
from flask import Flask, g
from supertokens_python import InputAppInfo, SupertokensConfig, init
from supertokens_python.framework.flask import Middleware
from supertokens_python.recipe import session as st_session
from supertokens_python.recipe.session.framework.flask import verify_session as st_verify
from supertokens_python.recipe.session.syncio import create_new_session_without_request_response
from supertokens_python.types import RecipeUserId

from authclient.integrations.flask import FlaskAuth, current_session, verify_session
from authclient.localcore import start_in_thread
from authclient.syncio import Client
from authclient.web import WebConfig

SECTION = "web: Flask"
FLOOR = "hooks-floor"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def unprotected_app() -> Flask:
    app = Flask("unprotected")

    @app.post(ROUTE)
    def updateinfo() -> dict[str, str]:
        return {"userId": USER_ID}

    return app


def floor_app() -> Flask:
    """What any extension guarding a view costs in Flask (a before- and an after-request hook
    and a view decorator), with no session work at all."""
    app = Flask("floor")
    app.before_request(lambda: None)
    app.after_request(lambda response: response)

    def no_auth(view: Callable[[], Any]) -> Callable[[], Any]:
        @functools.wraps(view)
        def guarded() -> Any:
            return view()

        return guarded

    @app.post(ROUTE)
    @no_auth
    def updateinfo() -> dict[str, str]:
        return {"userId": USER_ID}

    return app


def authclient_app(client: Client) -> Flask:
    app = Flask("authclient")
    config = WebConfig(
        api_domain=API_DOMAIN,
        website_domain=WEBSITE_DOMAIN,
        token_transfer_method="header",
        anti_csrf="NONE",
    )
    FlaskAuth(app, client=client, config=config)

    @app.post(ROUTE)
    @verify_session()
    def updateinfo() -> dict[str, str]:
        return {"userId": current_session.user_id}

    return app


def supertokens_app(core_url: str) -> Flask:
    """The official SDK keeps its configuration in globals: call this once per process."""
    init(
        app_info=InputAppInfo(
            app_name="bench", api_domain=API_DOMAIN, website_domain=WEBSITE_DOMAIN
        ),
        supertokens_config=SupertokensConfig(connection_uri=core_url),
        framework="flask",
        recipe_list=[
            st_session.init(anti_csrf="NONE", get_token_transfer_method=lambda *_: "header")
        ],
        telemetry=False,
    )
    app = Flask("supertokens")
    Middleware(app)

    @app.post(ROUTE)
    @st_verify()
    def updateinfo() -> dict[str, str]:
        return {"userId": g.supertokens.get_user_id()}

    return app


def wsgi_caller(app: WSGIApp, token: Optional[str]) -> Callable[[], None]:
    """One ``POST /updateinfo`` straight into the WSGI app, as a WSGI server calls it."""
    template: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": ROUTE,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in browser_headers(token):
        if name == "content-length":
            template["CONTENT_LENGTH"] = value
        else:
            template["HTTP_" + name.upper().replace("-", "_")] = value
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Callable[..., Any]:
        statuses.append(status)
        return lambda data: None

    def call() -> None:
        environ = {**template, "wsgi.input": io.BytesIO(b"")}
        statuses.clear()
        chunks = app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if statuses != ["200 OK"] or body.strip() != EXPECTED_BODY:
            raise SystemExit(f"POST {ROUTE} answered {statuses} {body!r}: nothing to measure")

    return call


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = loop_parser(__doc__.splitlines()[0], calls=1000, counted="requests per contender")
    return parse_loop(parser, argv)


LEGEND = """\
calls/s: requests/s, median over the rounds.
ratio: median over the rounds of (contender req/s / baseline req/s in the same round).
hooks-floor: the same view behind a do-nothing before_request, after_request and decorator: what
Flask itself charges an extension that guards views, before any session work.
auth overhead ratio: per round, (1/authclient - 1/unprotected) / (1/supertokens - 1/unprotected),
the time authclient's session layer adds to a request over the time supertokens-python's adds."""


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    started = time.perf_counter()
    print(
        f"POST {ROUTE} in Flask {version('flask')}: unprotected vs authclient vs "
        f"supertokens-python {version('supertokens-python')} verify_session (header transfer, "
        f"anti-CSRF NONE, JWKS cached)\nPython {platform.python_version()}, {os.cpu_count()} "
        f"CPUs; {args.rounds} rounds x {args.calls} requests per contender "
        f"(+{args.warmup_rounds} warm-up), in-process WSGI calls",
        flush=True,
    )
    core = CountingCore()
    with core, start_in_thread(core=core) as running:
        requests: list[object] = []
        with Client(running.url, on_request=requests.append) as client:
            mine = client.create_new_session(USER_ID).tokens.access_token
            apps = {
                UNPROTECTED: unprotected_app(),
                FLOOR: floor_app(),
                AUTHCLIENT: authclient_app(client),
                SUPERTOKENS: supertokens_app(running.url),
            }
            theirs = create_new_session_without_request_response(
                "public", RecipeUserId(USER_ID), disable_anti_csrf=True
            ).get_access_token()
            tokens = {UNPROTECTED: None, FLOOR: mine, AUTHCLIENT: mine, SUPERTOKENS: theirs}
            calls = {name: wsgi_caller(app, tokens[name]) for name, app in apps.items()}
            for call in calls.values():  # each SDK fetches the JWKS on its first request
                call()
            setup, before = list(core.seen), len(requests)
            results = measure_blocking(
                [Contender(name, sync_loop(call)) for name, call in calls.items()],
                rounds=args.rounds,
                calls=args.calls,
                warmup_rounds=args.warmup_rounds,
            )
            measured, from_authclient = core.seen[len(setup) :], len(requests) - before
    comparisons = [
        Comparison(AUTHCLIENT, UNPROTECTED, target=RATE_TARGET),
        Comparison(SUPERTOKENS, UNPROTECTED),
        Comparison(FLOOR, UNPROTECTED),
        Comparison(AUTHCLIENT, FLOOR),
    ]
    print()
    print(format_table(results, comparisons, section=SECTION))
    print()
    print(overhead_report(results, SECTION, others=[FLOOR]))
    print()
    print(core_report(setup, measured, from_authclient))
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
