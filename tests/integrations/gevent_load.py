"""A load run of the Flask example under gevent, in an interpreter of its own.

``python -m tests.integrations.gevent_load CORE_URL [--incumbent-style] [--eventlet]``

It monkey-patches first (gevent, or eventlet with ``--eventlet``), counts every asyncio event
loop created from then on, serves ``examples/flask_app.py`` on 127.0.0.1:0 (gevent's
``WSGIServer``, or ``eventlet.wsgi``) and runs ``CLIENTS`` concurrent green clients against
it: each stores its user's preferences (a metadata call), logs in and calls the seed's
``POST /updateinfo`` ``ROUNDS`` times (``verify_session`` and a metadata call per request).
``--incumbent-style`` routes those calls to a view that runs ``asyncio.run`` as the incumbent's
sync adapters do, to show that the loop counter sees it. Prints one JSON line.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable


def untyped(name: str) -> Any:
    """gevent and eventlet, which ship no complete type information."""
    return importlib.import_module(name)


EVENTLET = "--eventlet" in sys.argv
if EVENTLET:
    # httpcore imports trio when it is installed (the test environment has it), and trio
    # cannot be imported under eventlet's patched socket (GreenSocket has no sendmsg): run
    # as an eventlet deployment without trio does.
    sys.modules["trio"] = None  # type: ignore[assignment]  # any import of it fails
    untyped("eventlet").monkey_patch()
else:
    untyped("gevent.monkey").patch_all()

CLIENTS = 50
ROUNDS = 5


def count_event_loops() -> list[int]:
    """A one-item list counting the asyncio event loops created from now on."""
    import asyncio.base_events

    created = [0]
    original = asyncio.base_events.BaseEventLoop.__init__

    def counting(self: asyncio.base_events.BaseEventLoop) -> None:
        created[0] += 1
        original(self)

    asyncio.base_events.BaseEventLoop.__init__ = counting  # type: ignore[method-assign,assignment]
    return created


def main() -> None:
    import functools
    import json
    import math
    import socket
    import ssl
    import time
    import uuid

    import httpx

    from authclient.syncio import Client
    from examples.flask_app import create_app

    loops = count_event_loops()
    core_url = sys.argv[1]
    incumbent_style = "--incumbent-style" in sys.argv
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(512)
    api = f"http://127.0.0.1:{listener.getsockname()[1]}"
    app = create_app(core_url, api, "http://127.0.0.1:1")
    if incumbent_style:
        add_incumbent_style_view(app)

    flight = {"now": 0, "max": 0}
    inner = app.wsgi_app

    def counted(environ: dict[str, Any], start_response: Any) -> Any:
        flight["now"] += 1
        flight["max"] = max(flight["max"], flight["now"])
        try:
            return inner(environ, start_response)
        finally:
            flight["now"] -= 1

    app.wsgi_app = counted  # type: ignore[method-assign]
    stop = serve(listener, app)
    latencies: list[float] = []
    failures: list[str] = []
    route = "/incumbent-style" if incumbent_style else "/updateinfo"

    def timed(call: Callable[[], httpx.Response]) -> httpx.Response:
        started = time.perf_counter()
        response = call()
        latencies.append(time.perf_counter() - started)
        return response

    tls = ssl.create_default_context()  # one for all clients: each loads the CA bundle (CPU)
    with Client(core_url) as admin:

        def one_client(number: int) -> None:
            user = f"green-{number}-{uuid.uuid4().hex[:8]}"
            mode = "header" if number % 2 else "cookie"
            try:
                admin.update_user_metadata(user, {"preferences": {"n": number}})
                with httpx.Client(base_url=api, timeout=60, verify=tls) as http:
                    login = timed(
                        lambda: http.post(
                            "/login", json={"userId": user}, headers={"st-auth-mode": mode}
                        )
                    )
                    http.cookies.clear()
                    if login.status_code != 200:
                        failures.append(f"login {login.status_code}")
                        return
                    if mode == "header":
                        headers = {"authorization": f"Bearer {login.headers['st-access-token']}"}
                    else:
                        headers = {"cookie": f"sAccessToken={login.cookies['sAccessToken']}"}
                    for _ in range(ROUNDS):
                        answer = timed(lambda: http.post(route, headers=headers))
                        expected = {"preferences": {"n": number}}
                        if answer.status_code != 200 or answer.json() != expected:
                            failures.append(f"{route} {answer.status_code} {answer.text[:80]}")
            except Exception as error:
                failures.append(f"{type(error).__name__}: {error}")

        started = time.perf_counter()
        run_concurrently([functools.partial(one_client, number) for number in range(CLIENTS)])
        seconds = time.perf_counter() - started
    stop()
    ordered = sorted(latencies)
    p99 = ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)] if ordered else float("nan")
    result = {
        "server": "eventlet" if EVENTLET else "gevent",
        "clients": CLIENTS,
        "requests": len(latencies),
        "failures": len(failures),
        "first_failures": failures[:3],
        "p99_ms": round(p99 * 1000, 1),
        "seconds": round(seconds, 2),
        "max_in_flight": flight["max"],
        "event_loops": loops[0],
    }
    print(json.dumps(result))


def add_incumbent_style_view(app: Any) -> None:
    """``/incumbent-style``: ``/updateinfo`` behind an ``asyncio.run`` per call, as the official
    SDK's sync adapters run their async code."""
    import asyncio

    view = app.view_functions["updateinfo"]

    async def nothing() -> None:
        await asyncio.sleep(0)

    def incumbent_style() -> Any:
        asyncio.run(nothing())
        return view()

    app.add_url_rule("/incumbent-style", "incumbent_style", incumbent_style, methods=["POST"])


def serve(listener: Any, app: Any) -> Callable[[], None]:
    """Serve ``app`` on ``listener`` from a green thread; returns what stops it."""
    if EVENTLET:
        thread = untyped("eventlet").spawn(
            untyped("eventlet.wsgi").server, listener, app, log_output=False
        )
        stop: Callable[[], None] = thread.kill
        return stop
    server = untyped("gevent.pywsgi").WSGIServer(listener, app, log=None)
    server.start()
    stop = server.stop
    return stop


def run_concurrently(calls: list[Callable[[], None]]) -> None:
    if EVENTLET:
        pool = untyped("eventlet").GreenPool(len(calls))
        for call in calls:
            pool.spawn_n(call)
        pool.waitall()
        return
    gevent = untyped("gevent")
    gevent.joinall([gevent.spawn(call) for call in calls], raise_error=True)


if __name__ == "__main__":
    main()
