"""How fast is ``get_user_metadata`` compared with a raw httpx GET of the same request?

Usage: ``python benchmarks/bench_metadata.py [--rounds R] [--calls N] [--backend asyncio|trio]``

Measured in one interleaved run against a loopback core stand-in (``server.py``, in its own
process): authclient's sync and async clients against raw pooled httpx clients sending the same
URL, query and headers, sequentially and with 50 concurrent callers. With aiohttp installed (the
``aiohttp`` extra) and on asyncio, also the async client on aiohttp connections against raw
aiohttp, one at a time and with 10, 50 and 200 callers. It prints a table and always exits 0: a
benchmark reports, it does not assert.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.metadata
import importlib.util
import os
import platform
import time
from collections.abc import Sequence
from typing import Any, Callable, Optional

import anyio
import httpx
from _harness import (
    Comparison,
    Contender,
    Result,
    async_loop,
    concurrently,
    format_table,
    loop_parser,
    measure,
    parse_loop,
    sync_loop,
)
from server import METADATA, serve_in_subprocess

from authclient.asyncio import AsyncClient
from authclient.syncio import Client

USER_ID = "alice"
CDI_VERSION = "5.4"
PATH = "/recipe/user/metadata"
PARAMS = {"userId": USER_ID}
HEADERS = {"cdi-version": CDI_VERSION, "rid": "usermetadata"}

SYNC_AUTHCLIENT = "authclient.syncio.Client"
SYNC_RAW = "httpx.Client"
ASYNC_AUTHCLIENT = "authclient.asyncio.AsyncClient"
ASYNC_RAW = "httpx.AsyncClient"
AIOHTTP_AUTHCLIENT = "AsyncClient[aiohttp]"
AIOHTTP_RAW = "aiohttp.ClientSession"
AIOHTTP_CALLERS = (10, 50, 200)
AIOHTTP_TARGETS = {50: 0.4}  # issue #12: C=50 at least 0.4x raw aiohttp; the others for info
AIOHTTP_SWITCH = "AUTHCLIENT_AIOHTTP"  # read when a client is built

Part = tuple[list[Contender], list[Comparison]]


def _check(name: str, metadata: object) -> None:
    """Fail loudly if a contender does not get the expected answer (a broken server, say)."""
    if metadata != METADATA:
        raise SystemExit(f"{name} got {metadata!r}, expected {METADATA!r}")


def _sync_part(url: str, stack: contextlib.AsyncExitStack) -> Part:
    client = stack.enter_context(Client(url, cdi_version=CDI_VERSION))
    http = stack.enter_context(httpx.Client())
    target = url + PATH
    _check(SYNC_AUTHCLIENT, client.get_user_metadata(USER_ID).metadata)
    _check(SYNC_RAW, http.get(target, params=PARAMS, headers=HEADERS).json()["metadata"])
    contenders = [
        Contender(SYNC_AUTHCLIENT, sync_loop(lambda: client.get_user_metadata(USER_ID))),
        # Raw httpx does what a caller must do to use the answer: send, then parse the JSON.
        Contender(
            SYNC_RAW, sync_loop(lambda: http.get(target, params=PARAMS, headers=HEADERS).json())
        ),
    ]
    return contenders, [Comparison(SYNC_AUTHCLIENT, SYNC_RAW, target=0.9)]


def _async_client(url: str, *, aiohttp: bool) -> AsyncClient:
    """An AsyncClient whose own connections are aiohttp's, or httpx's (the default without it)."""
    previous = os.environ.get(AIOHTTP_SWITCH)
    os.environ[AIOHTTP_SWITCH] = "1" if aiohttp else "0"
    try:
        return AsyncClient(url, cdi_version=CDI_VERSION)
    finally:
        if previous is None:
            del os.environ[AIOHTTP_SWITCH]
        else:
            os.environ[AIOHTTP_SWITCH] = previous


async def _async_part(url: str, stack: contextlib.AsyncExitStack, callers: int) -> Part:
    """Sequential and ``callers``-concurrent, each contender on its own client (and pool)."""
    target = url + PATH
    clients = [await stack.enter_async_context(_async_client(url, aiohttp=False)) for _ in range(2)]
    raws = [await stack.enter_async_context(httpx.AsyncClient()) for _ in range(2)]
    for client in clients:
        _check(ASYNC_AUTHCLIENT, (await client.get_user_metadata(USER_ID)).metadata)
    for raw in raws:
        _check(
            ASYNC_RAW, (await raw.get(target, params=PARAMS, headers=HEADERS)).json()["metadata"]
        )

    def authclient_call(client: AsyncClient) -> Callable[[], Any]:
        return lambda: client.get_user_metadata(USER_ID)

    def raw_call(raw: httpx.AsyncClient) -> Callable[[], Any]:
        async def call() -> Any:  # send, then parse the JSON, as a caller must to use it
            return (await raw.get(target, params=PARAMS, headers=HEADERS)).json()

        return call

    authclient_many, raw_many = f"{ASYNC_AUTHCLIENT} x{callers}", f"{ASYNC_RAW} x{callers}"
    contenders = [
        Contender(ASYNC_AUTHCLIENT, async_loop(authclient_call(clients[0]))),
        Contender(ASYNC_RAW, async_loop(raw_call(raws[0]))),
        Contender(authclient_many, concurrently(authclient_call(clients[1]), callers)),
        Contender(raw_many, concurrently(raw_call(raws[1]), callers)),
    ]
    comparisons = [
        Comparison(ASYNC_AUTHCLIENT, ASYNC_RAW, target=0.9),
        Comparison(authclient_many, ASYNC_RAW, target=1.0),
        Comparison(authclient_many, raw_many),
        Comparison(raw_many, ASYNC_RAW),
    ]
    return contenders, comparisons


async def _aiohttp_part(url: str, stack: contextlib.AsyncExitStack) -> Part:
    """AsyncClient on aiohttp connections vs raw aiohttp, alone and at each of AIOHTTP_CALLERS."""
    import aiohttp

    target = url + PATH
    levels = (1, *AIOHTTP_CALLERS)
    clients = [await stack.enter_async_context(_async_client(url, aiohttp=True)) for _ in levels]
    sessions = [await stack.enter_async_context(aiohttp.ClientSession()) for _ in levels]

    def raw_call(session: aiohttp.ClientSession) -> Callable[[], Any]:
        async def call() -> Any:  # send, then parse the JSON, as a caller must to use it
            async with session.get(target, params=PARAMS, headers=HEADERS) as response:
                return await response.json()

        return call

    for client, session in zip(clients, sessions):
        _check(AIOHTTP_AUTHCLIENT, (await client.get_user_metadata(USER_ID)).metadata)
        _check(AIOHTTP_RAW, (await raw_call(session)())["metadata"])
    contenders = [
        Contender(AIOHTTP_AUTHCLIENT, async_loop(lambda: clients[0].get_user_metadata(USER_ID))),
        Contender(AIOHTTP_RAW, async_loop(raw_call(sessions[0]))),
    ]
    comparisons = [
        Comparison(AIOHTTP_AUTHCLIENT, ASYNC_RAW, target=1.5),
        Comparison(AIOHTTP_AUTHCLIENT, AIOHTTP_RAW),
    ]
    for level, client, session in zip(AIOHTTP_CALLERS, clients[1:], sessions[1:]):
        mine, raw = f"{AIOHTTP_AUTHCLIENT} x{level}", f"{AIOHTTP_RAW} x{level}"
        call = functools.partial(client.get_user_metadata, USER_ID)
        contenders += [
            Contender(mine, concurrently(call, level)),
            Contender(raw, concurrently(raw_call(session), level)),
        ]
        comparisons.append(Comparison(mine, raw, target=AIOHTTP_TARGETS.get(level)))
    return contenders, comparisons


def _aiohttp_skipped(args: argparse.Namespace) -> Optional[str]:
    """Why the aiohttp rows are left out of this run, or ``None``."""
    if args.backend != "asyncio":
        return "aiohttp rows: asyncio only (trio keeps httpx)"
    if importlib.util.find_spec("aiohttp") is None:
        return "aiohttp rows: aiohttp is not installed (pip install 'authclient[aiohttp]')"
    if args.calls < max(AIOHTTP_CALLERS):
        return f"aiohttp rows: need --calls >= {max(AIOHTTP_CALLERS)}"
    return None


async def _benchmark(
    url: str, args: argparse.Namespace
) -> tuple[dict[str, Result], list[Comparison]]:
    async with contextlib.AsyncExitStack() as stack:
        contenders: list[Contender] = []
        comparisons: list[Comparison] = []
        parts = [await _async_part(url, stack, args.callers)]
        if _aiohttp_skipped(args) is None:
            parts.append(await _aiohttp_part(url, stack))
        parts.insert(0, _sync_part(url, stack))
        for part_contenders, part_comparisons in parts:
            contenders += part_contenders
            comparisons += part_comparisons
        results = await measure(
            contenders, rounds=args.rounds, calls=args.calls, warmup_rounds=args.warmup_rounds
        )
    return results, comparisons


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = loop_parser("authclient get_user_metadata vs raw httpx.", calls=360)
    parser.add_argument("--callers", type=int, default=50, help="concurrent callers (default 50)")
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    args = parse_loop(parser, argv)
    if args.calls < args.callers:
        parser.error("need --calls >= --callers")
    return args


def _describe(args: argparse.Namespace, url: str) -> str:
    skipped = _aiohttp_skipped(args)
    aiohttp = "" if skipped else f", aiohttp {importlib.metadata.version('aiohttp')}"
    return (
        f"get_user_metadata against {url} (server in its own process)\n"
        f"Python {platform.python_version()}, httpx {httpx.__version__}{aiohttp}, "
        f"backend {args.backend}, {os.cpu_count()} CPUs; {args.rounds} rounds x {args.calls} "
        f"calls per contender (+{args.warmup_rounds} warm-up)" + (f"\n{skipped}" if skipped else "")
    )


LEGEND = """\
ratio: median over the rounds of (contender calls/s / baseline calls/s in the same round);
middle half: the 25th-75th percentiles of those per-round ratios (the noise)."""


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    started = time.perf_counter()
    with serve_in_subprocess() as url:
        print(_describe(args, url), flush=True)
        results, comparisons = anyio.run(_benchmark, url, args, backend=args.backend)
    print()
    print(format_table(results, comparisons, section=f"core calls ({args.backend})"))
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
