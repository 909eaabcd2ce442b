"""What does a whole short process cost, import + construct + first call, against raw httpx?

Usage: ``python benchmarks/bench_startup.py [--rounds R] [--calls N]``

Each call starts a fresh interpreter (``python -c ...``, this checkout first on its path) that
imports the library, constructs a client and makes one ``get_user_metadata("alice")`` call to
the stand-in core (``server.py``, in its own process), then exits. What is measured is the CPU
time (user + system) of that child process, as ``resource.getrusage(RUSAGE_CHILDREN)`` counts
it, so the rates are processes per CPU-second: authclient's sync and async flavors against raw
httpx doing the same request in the same flavor (the async one on its httpx transport,
``AUTHCLIENT_AIOHTTP=0``), and, with aiohttp installed, the async client as it runs by default
with the ``aiohttp`` extra against raw aiohttp (it pays for importing both). A bare ``python -c pass`` is shown for
reference: every contender pays for it. It prints a table and always exits 0: a benchmark
reports, it does not assert.

The children write and read their bytecode under a temporary ``PYTHONPYCACHEPREFIX`` (and
``PYTHONDONTWRITEBYTECODE`` is dropped for them), so the warm-up round compiles every module
once and the measured processes load bytecode, as an installed package does: without that, an
environment whose ``__pycache__`` cannot be written would measure the compiler instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Callable, Optional

import httpx
from _harness import (
    REPO_ROOT,
    Comparison,
    Contender,
    format_table,
    loop_parser,
    measure_blocking,
    parse_loop,
    sync_loop,
)
from server import serve_in_subprocess

CDI_VERSION = "5.4"
REQUEST = "'/recipe/user/metadata', params={'userId': 'alice'}, " + (
    f"headers={{'cdi-version': '{CDI_VERSION}', 'rid': 'usermetadata'}}"
)

SYNC_AUTHCLIENT = "authclient.syncio"
SYNC_RAW = "httpx.Client"
ASYNC_AUTHCLIENT = "authclient.asyncio"
ASYNC_RAW = "httpx.AsyncClient"
AIOHTTP_AUTHCLIENT = "authclient.asyncio[aiohttp]"
AIOHTTP_RAW = "aiohttp.ClientSession"
BARE = "python -c pass"
AIOHTTP_INSTALLED = importlib.util.find_spec("aiohttp") is not None

# Each prints the metadata it got, which the parent checks once before measuring.
PROGRAMS = {
    SYNC_AUTHCLIENT: """
from authclient.syncio import Client
with Client(URL, cdi_version=CDI) as client:
    print(client.get_user_metadata('alice').metadata['plan'])
""",
    SYNC_RAW: """
import httpx
with httpx.Client(base_url=URL) as http:
    print(http.get(REQUEST).json()['metadata']['plan'])
""",
    ASYNC_AUTHCLIENT: """
import asyncio, os
os.environ['AUTHCLIENT_AIOHTTP'] = '0'  # on httpx, as the baseline: the aiohttp rows follow
from authclient.asyncio import AsyncClient
async def main():
    async with AsyncClient(URL, cdi_version=CDI) as client:
        print((await client.get_user_metadata('alice')).metadata['plan'])
asyncio.run(main())
""",
    ASYNC_RAW: """
import asyncio
import httpx
async def main():
    async with httpx.AsyncClient(base_url=URL) as http:
        print((await http.get(REQUEST)).json()['metadata']['plan'])
asyncio.run(main())
""",
    BARE: "print('pro')",
}
AIOHTTP_PROGRAMS = {
    AIOHTTP_AUTHCLIENT: """
import asyncio
from authclient.asyncio import AsyncClient
async def main():
    async with AsyncClient(URL, cdi_version=CDI) as client:
        print((await client.get_user_metadata('alice')).metadata['plan'])
asyncio.run(main())
""",
    AIOHTTP_RAW: """
import asyncio
import aiohttp
async def main():
    async with aiohttp.ClientSession(URL) as http:
        async with http.get(REQUEST) as response:
            print((await response.json())['metadata']['plan'])
asyncio.run(main())
""",
}
if AIOHTTP_INSTALLED:
    PROGRAMS = {**PROGRAMS, **AIOHTTP_PROGRAMS}

COMPARISONS = [
    Comparison(SYNC_AUTHCLIENT, SYNC_RAW, target=1 / 1.1),
    Comparison(ASYNC_AUTHCLIENT, ASYNC_RAW, target=1 / 1.1),
]
if AIOHTTP_INSTALLED:
    COMPARISONS.append(Comparison(AIOHTTP_AUTHCLIENT, AIOHTTP_RAW))
    COMPARISONS.append(Comparison(AIOHTTP_AUTHCLIENT, ASYNC_RAW))


def children_cpu() -> float:
    """CPU seconds (user + system) of every child process that has ended and been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _program(source: str, url: str) -> str:
    replaced = source.replace("REQUEST", REQUEST).replace("URL", repr(url))
    return replaced.replace("CDI", repr(CDI_VERSION))


def child_environment(pycache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def _process(source: str, env: dict[str, str]) -> Callable[[], str]:
    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", source],
            cwd=REPO_ROOT,  # '' (the cwd) comes first on the child's path: this checkout
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"a child process failed:\n{done.stderr}")
        return done.stdout.strip()

    return run


def _contenders(url: str, env: dict[str, str]) -> list[Contender]:
    contenders = []
    for name, source in PROGRAMS.items():
        run = _process(_program(source, url), env)
        got = run()
        if got != "pro":
            raise SystemExit(f"{name} printed {got!r}, expected 'pro'")
        contenders.append(Contender(name, sync_loop(run)))
    return contenders


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = loop_parser(
        "whole-process CPU: authclient vs raw httpx.",
        rounds=10,
        calls=5,
        counted="processes per contender",
    )
    return parse_loop(parser, argv)


def _describe(args: argparse.Namespace, url: str) -> str:
    return (
        f"one process each: import + construct + first get_user_metadata against {url}\n"
        f"Python {platform.python_version()}, httpx {httpx.__version__}, {os.cpu_count()} CPUs; "
        f"{args.rounds} rounds x {args.calls} processes per contender "
        f"(+{args.warmup_rounds} warm-up); rates are processes per CPU-second of the child"
    )


LEGEND = """\
ratio: median over the rounds of (contender processes per CPU-second / baseline's in the same
round); a ratio of 0.909 is 1.1x the baseline's CPU time. middle half: the 25th-75th
percentiles of those per-round ratios (the noise)."""


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    started = time.perf_counter()
    with serve_in_subprocess() as url, tempfile.TemporaryDirectory() as pycache:
        print(_describe(args, url), flush=True)
        results = measure_blocking(
            _contenders(url, child_environment(pycache)),
            rounds=args.rounds,
            calls=args.calls,
            warmup_rounds=args.warmup_rounds,
            clock=children_cpu,
        )
    print()
    print(format_table(results, COMPARISONS, section="start-up (CPU per process)"))
    print()
    for name, result in results.items():
        print(f"  {name}: {1000 / result.median:.1f} ms CPU per process (median)")
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
