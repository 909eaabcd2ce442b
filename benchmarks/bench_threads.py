"""Tail latency of 64 threads sharing one sync client: authclient's ``Client`` vs raw httpx.

Usage: ``python benchmarks/bench_threads.py [--rounds R] [--calls N] [--threads T] [--load F]
[--mode both|threads|gevent]``

``--threads`` threads (default 64) share one client; each makes ``--calls`` calls of
``get_user_metadata`` against the loopback core stand-in (``server.py``, in its own process).
The contenders are one ``authclient.syncio.Client`` and one raw ``httpx.Client`` (default pool)
sending the same request. They take turns, round after round, in one run. Unpaced (the
default), every thread calls again as soon as it has an answer: the machine is saturated and
who waits how long shows how fairly the client serves its threads. ``--load F`` instead paces
both contenders at the same rate. Each round's p99 is compared with raw httpx's in the same
round. The gevent mode is the same in a child process that calls ``gevent.monkey.patch_all()``
before anything else (threads are then greenlets). It prints a table and always exits 0: a
benchmark reports, it does not assert.
"""

from __future__ import annotations

import sys

# The gevent worker must patch before anything imports socket, ssl or threading.
if __name__ == "__main__" and "--gevent-worker" in sys.argv:
    from gevent import monkey

    monkey.patch_all()

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Callable, Optional

import _harness  # first: puts this checkout first on sys.path
import httpx
from server import METADATA, serve_in_subprocess

from authclient.syncio import Client

USER_ID = "alice"
CDI_VERSION = "5.4"
PATH = "/recipe/user/metadata"
PARAMS = {"userId": USER_ID}
HEADERS = {"cdi-version": CDI_VERSION, "rid": "usermetadata"}

AUTHCLIENT = "authclient.syncio.Client"
RAW = "httpx.Client"
TARGET = 1.5  # authclient's p99 at most this many times raw httpx's
RESULT_PREFIX = "RESULT "

# One round of one contender: the latency of every call (seconds), the round's wall time and
# how many of its calls failed.
Round = tuple[list[float], float, int]


def _contenders(url: str, stack: contextlib.ExitStack) -> dict[str, Callable[[], object]]:
    client = stack.enter_context(Client(url, cdi_version=CDI_VERSION))
    raw = stack.enter_context(httpx.Client())
    target = url + PATH
    calls: dict[str, Callable[[], object]] = {
        AUTHCLIENT: lambda: client.get_user_metadata(USER_ID).metadata,
        # Send, then parse the JSON, as a caller must to use the answer.
        RAW: lambda: raw.get(target, params=PARAMS, headers=HEADERS).json()["metadata"],
    }
    for name, call in calls.items():
        if call() != METADATA:  # a broken server or contender must not produce numbers
            raise SystemExit(f"{name} did not get {METADATA!r}")
    return calls


def _one_round(call: Callable[[], object], threads: int, calls: int, rate: float) -> Round:
    """``threads`` threads start together; each makes ``calls`` calls.

    With ``rate`` > 0 the calls are paced: together the threads start ``rate`` calls a second,
    evenly spread, and a call's latency runs from when it was due (so a contender that falls
    behind pays for it). With ``rate`` 0 each thread calls again as soon as it has an answer.
    """
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[Exception] = []
    start = threading.Barrier(threads + 1)
    began = 0.0

    def work(index: int, mine: list[float]) -> None:
        start.wait()
        clock = time.perf_counter
        for number in range(calls):
            if rate:
                due = began + (number * threads + index) / rate
                delay = due - clock()
                if delay > 0:
                    time.sleep(delay)
            else:
                due = clock()
            try:
                call()
            except Exception as exc:  # counted and shown: it still took a caller this long
                errors.append(exc)
            mine.append(clock() - due)

    workers = [
        threading.Thread(target=work, args=(index, mine)) for index, mine in enumerate(latencies)
    ]
    for worker in workers:
        worker.start()
    # Paced, the first call is due a little later, when every thread is past the barrier.
    began = time.perf_counter() + (0.01 if rate else 0.0)
    start.wait()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - began
    return [x for mine in latencies for x in mine], wall, len(errors)


def measure(url: str, args: argparse.Namespace) -> tuple[float, dict[str, list[Round]]]:
    """The pace, and every contender once per round (the first one rotates).

    Warm-up rounds, not recorded, run unpaced: the pace is ``--load`` times the slower
    contender's rate in them.
    """
    with contextlib.ExitStack() as stack:
        calls = _contenders(url, stack)
        names = list(calls)
        warmup: dict[str, list[float]] = {name: [] for name in names}
        for _ in range(args.warmup_rounds):
            for name in names:
                latencies, wall, _ = _one_round(calls[name], args.threads, args.calls, 0.0)
                warmup[name].append(len(latencies) / wall)
        rate = args.load * min(statistics.median(rates) for rates in warmup.values())
        rounds: dict[str, list[Round]] = {name: [] for name in names}
        for index in range(args.rounds):
            shift = index % len(names)
            for name in [*names[shift:], *names[:shift]]:
                rounds[name].append(_one_round(calls[name], args.threads, args.calls, rate))
    return rate, rounds


def _measure_under_gevent(
    url: str, args: argparse.Namespace
) -> tuple[float, dict[str, list[Round]]]:
    """``measure`` in a child process that monkey-patches with gevent first."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--gevent-worker",
        url,
        *("--rounds", str(args.rounds), "--calls", str(args.calls), "--load", str(args.load)),
        *("--threads", str(args.threads), "--warmup-rounds", str(args.warmup_rounds)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the gevent worker failed ({done.returncode}):\n{done.stderr}")
    rate, rounds = json.loads(lines[-1][len(RESULT_PREFIX) :])
    return rate, {name: [tuple(r) for r in samples] for name, samples in rounds.items()}


# --- reporting --------------------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    low, _, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, high


def _rate(sample: Round) -> float:
    latencies, wall, _ = sample
    return len(latencies) / wall


def _rows(mode: str, rounds: dict[str, list[Round]]) -> list[tuple[str, ...]]:
    baseline = rounds[RAW]
    rows: list[tuple[str, ...]] = []
    for name, samples in rounds.items():
        every = [x for latencies, _, _ in samples for x in latencies]
        p50, p99 = (_percentile(every, q) * 1000 for q in (0.5, 0.99))
        errors = sum(failed for _, _, failed in samples)
        rate = statistics.median(_rate(sample) for sample in samples)
        cells: tuple[str, ...] = (
            mode,
            name,
            f"{rate:,.0f}",
            f"{p50:.0f}",
            f"{p99:.0f}",
            str(errors),
        )
        if name == RAW:
            rows.append(cells)
            continue
        pairs = list(zip(samples, baseline))
        rates = statistics.median(_rate(mine) / _rate(theirs) for mine, theirs in pairs)
        ratios = [
            _percentile(mine[0], 0.99) / _percentile(theirs[0], 0.99) for mine, theirs in pairs
        ]
        ratio = statistics.median(ratios)
        low, high = _quartiles(ratios)
        verdict = _harness.verdict(ratio, TARGET, at_most=True)
        _harness.record(f"threads: {mode}", f"p99 {name} / {RAW}", ratio, TARGET, at_most=True)
        cells += (f"{rates:.2f}", f"{ratio:.2f}", f"{low:.2f}-{high:.2f}", f"<= {TARGET}", verdict)
        rows.append(cells)
    return rows


HEADER = (
    "mode",
    "contender",
    "calls/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "calls/s ratio",
    "p99 ratio",
    "middle half",
    "target",
    "",
)


def format_table(rows: list[tuple[str, ...]]) -> str:
    table = [HEADER, *(row + ("",) * (len(HEADER) - len(row)) for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    numeric = {2, 3, 4, 5, 6, 7, 8}

    def line(row: tuple[str, ...]) -> str:
        cells = (
            c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))
        )
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(table[0]), rule, *(line(row) for row in table[1:])])


LEGEND = f"""\
calls/s: median over the rounds; p50/p99: over every call of every measured round;
calls/s ratio, p99 ratio: medians over the rounds of (contender / {RAW} in the same round);
middle half: the 25th-75th percentiles of the per-round p99 ratios (the noise);
errors: calls that raised (their time still counts).
Unpaced, a faster contender also waits less (mean latency = threads / calls/s): a p99 ratio
is a fair verdict when the calls/s ratio is at least 1. --load paces both at one rate."""


# --- command line -----------------------------------------------------------------------------


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Threads sharing one sync client: tail latency.")
    parser.add_argument("--rounds", type=int, default=6, help="measured rounds (default 6)")
    parser.add_argument("--calls", type=int, default=10, help="calls per thread per round (10)")
    parser.add_argument("--threads", type=int, default=64, help="threads (default 64)")
    parser.add_argument("--warmup-rounds", type=int, default=1, help="unrecorded rounds first")
    parser.add_argument(
        "--load",
        type=float,
        default=0.0,
        help="0 (default): unpaced, every thread calls again as soon as it has an answer; "
        "else pace both contenders at this times the slower one's unpaced warm-up rate",
    )
    parser.add_argument("--mode", choices=("both", "threads", "gevent"), default="both")
    parser.add_argument("--gevent-worker", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.calls < 1 or args.threads < 1 or args.warmup_rounds < 1:
        parser.error("need --rounds, --calls, --threads and --warmup-rounds >= 1")
    if args.load < 0:
        parser.error("need --load >= 0")
    return args


def _describe(args: argparse.Namespace, url: str) -> str:
    return (
        f"{args.threads} threads share each client, get_user_metadata against {url} "
        f"(server in its own process)\nPython {platform.python_version()}, "
        f"httpx {httpx.__version__}, {os.cpu_count()} CPUs; {args.rounds} rounds x "
        f"{args.threads} threads x {args.calls} calls per contender (+{args.warmup_rounds} warm-up)"
    )


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    if args.gevent_worker:
        print(RESULT_PREFIX + json.dumps(measure(args.gevent_worker, args)), flush=True)
        return
    started = time.perf_counter()
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []

    def report(mode: str, outcome: tuple[float, dict[str, list[Round]]]) -> None:
        rate, rounds = outcome
        rows.extend(_rows(mode, rounds))
        pace = f"paced at {rate:,.0f} calls/s ({args.load} x the slower warm-up rate)"
        notes.append(f"{mode}: {pace if rate else 'unpaced (closed loop)'}")

    with serve_in_subprocess() as url:
        print(_describe(args, url), flush=True)
        if args.mode in ("both", "threads"):
            report("threads", measure(url, args))
        if args.mode in ("both", "gevent"):
            if importlib.util.find_spec("gevent") is None:
                notes.append("gevent: skipped, gevent is not installed for this Python")
            else:
                report("gevent", _measure_under_gevent(url, args))
    print()
    print(format_table(rows))
    for note in notes:
        print(note)
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
