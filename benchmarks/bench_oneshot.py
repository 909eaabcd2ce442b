"""How fast is one ``asyncio.run(get_user_metadata(...))``, as a script or a serverless handler
makes it, compared with raw httpx doing the same?

Usage: ``python benchmarks/bench_oneshot.py [--rounds R] [--calls N]``

Each call is a whole ``asyncio.run(...)``: a new event loop, so a new default client (the async
default client lives as long as its loop), one request to the stand-in core (``server.py``, in
its own process), and the loop's shutdown, which closes the client. authclient's module-level
``get_user_metadata`` (its default client set up once with ``init(...)``) is compared with raw
httpx opening an ``httpx.AsyncClient(verify=context)`` with one SSL context made once for the
process, sending the same request and parsing the JSON. It prints a table and always exits 0:
a benchmark reports, it does not assert.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import ssl
import time
from collections.abc import Sequence
from typing import Any, Callable, Optional

import httpx
from _harness import (
    Comparison,
    Contender,
    format_table,
    loop_parser,
    measure_blocking,
    parse_loop,
    sync_loop,
)
from server import METADATA, serve_in_subprocess

import authclient.asyncio

USER_ID = "alice"
CDI_VERSION = "5.4"
PATH = "/recipe/user/metadata"
PARAMS = {"userId": USER_ID}
HEADERS = {"cdi-version": CDI_VERSION, "rid": "usermetadata"}

AUTHCLIENT = "asyncio.run(authclient.asyncio.get_user_metadata)"
RAW_SHARED = "asyncio.run(httpx.AsyncClient(verify=shared).get)"
RAW_OWN = "asyncio.run(httpx.AsyncClient().get)"

COMPARISONS = [
    Comparison(AUTHCLIENT, RAW_SHARED, target=0.8),
    Comparison(RAW_OWN, RAW_SHARED),
]


def _check(name: str, metadata: object) -> None:
    """Fail loudly if a contender does not get the expected answer (a broken server, say)."""
    if metadata != METADATA:
        raise SystemExit(f"{name} got {metadata!r}, expected {METADATA!r}")


def _authclient_call() -> Any:
    return asyncio.run(authclient.asyncio.get_user_metadata(USER_ID)).metadata


def _raw_call(url: str, verify: Callable[[], Any]) -> Callable[[], Any]:
    async def call() -> Any:  # send, then parse the JSON, as a caller must to use it
        async with httpx.AsyncClient(verify=verify()) as http:
            response = await http.get(url + PATH, params=PARAMS, headers=HEADERS)
            return response.json()["metadata"]

    return lambda: asyncio.run(call())


def _contenders(url: str) -> list[Contender]:
    authclient.asyncio.init(url, cdi_version=CDI_VERSION)
    shared = httpx.create_ssl_context()

    def shared_context() -> ssl.SSLContext:
        return shared

    calls = {
        AUTHCLIENT: _authclient_call,
        RAW_SHARED: _raw_call(url, shared_context),
        RAW_OWN: _raw_call(url, lambda: True),  # httpx makes its own context per client
    }
    for name, call in calls.items():
        _check(name, call())
    return [Contender(name, sync_loop(call)) for name, call in calls.items()]


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    return parse_loop(loop_parser("one asyncio.run(get_user_metadata) vs httpx.", calls=50), argv)


def _describe(args: argparse.Namespace, url: str) -> str:
    return (
        f"one asyncio.run(...) per call against {url} (server in its own process)\n"
        f"Python {platform.python_version()}, httpx {httpx.__version__}, {os.cpu_count()} CPUs; "
        f"{args.rounds} rounds x {args.calls} calls per contender (+{args.warmup_rounds} warm-up)"
    )


LEGEND = """\
ratio: median over the rounds of (contender calls/s / baseline calls/s in the same round);
middle half: the 25th-75th percentiles of those per-round ratios (the noise)."""


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    started = time.perf_counter()
    with serve_in_subprocess() as url:
        print(_describe(args, url), flush=True)
        results = measure_blocking(
            _contenders(url),
            rounds=args.rounds,
            calls=args.calls,
            warmup_rounds=args.warmup_rounds,
        )
    print()
    print(format_table(results, COMPARISONS, section="one-shot asyncio.run"))
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
