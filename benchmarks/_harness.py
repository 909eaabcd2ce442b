"""A tiny interleaved benchmark harness: calls/s per contender and ratios against a baseline.

Every round runs every contender once for ``calls`` calls (the starting contender rotates from
round to round), after some warm-up rounds that are not recorded. Because all contenders share
each round, a slow phase of the machine hits all of them alike; a ratio is therefore computed
per round (contender rate / baseline rate in that same round) and its median reported.

A contender is a name and a function ``run(n)`` making ``n`` calls. ``run`` is either plain
(``sync_loop``) or returns an awaitable (``async_loop``, ``concurrently``); both kinds can be
mixed, because everything runs inside one event loop (a plain contender simply blocks it while
it is timed, and nothing else is running then).

    results = run([Contender("mine", sync_loop(mine)), Contender("ref", sync_loop(ref))],
                  rounds=10, calls=1000)
    print(format_table(results, [Comparison("mine", "ref", target=0.9)]))
"""

from __future__ import annotations

import argparse
import functools
import gc
import inspect
import json
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import anyio

# Benchmarks import the harness first: from then on they measure this checkout's authclient,
# even when it is not installed.
REPO_ROOT = str(Path(__file__).resolve().parent.parent)
if REPO_ROOT not in sys.path:
    sys.path.insert(1, REPO_ROOT)


@dataclass(frozen=True)
class Contender:
    """``run(n)`` makes ``n`` calls; it may return an awaitable (an async contender)."""

    name: str
    run: Callable[[int], Optional[Awaitable[None]]]


@dataclass(frozen=True)
class Result:
    """The calls/s of one contender, one sample per round, in round order."""

    name: str
    rates: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


@dataclass(frozen=True)
class Comparison:
    """``contender`` against ``baseline``; ``target`` is the minimum ratio (``None``: info only)."""

    contender: str
    baseline: str
    target: Optional[float] = None

    def ratios(self, results: dict[str, Result]) -> list[float]:
        """Contender rate / baseline rate, round by round."""
        pairs = zip(results[self.contender].rates, results[self.baseline].rates)
        return [mine / theirs for mine, theirs in pairs]

    def verdict(self, ratio: float) -> str:
        if self.target is None:
            return "info"
        return "PASS" if ratio >= self.target else "FAIL"


# --- contender bodies -------------------------------------------------------------------------


def sync_loop(call: Callable[[], object]) -> Callable[[int], None]:
    """``run(n)``: ``call()`` ``n`` times."""

    def run(calls: int) -> None:
        for _ in range(calls):
            call()

    return run


def async_loop(
    call: Callable[[], Awaitable[object]],
) -> Callable[[int], Coroutine[Any, Any, None]]:
    """``run(n)``: ``await call()`` ``n`` times, one after the other."""

    async def run(calls: int) -> None:
        for _ in range(calls):
            await call()

    return run


def concurrently(
    call: Callable[[], Awaitable[object]], callers: int
) -> Callable[[int], Coroutine[Any, Any, None]]:
    """``run(n)``: ``callers`` tasks in one task group share the ``n`` calls (as evenly as can be)."""
    one_caller = async_loop(call)

    async def run(calls: int) -> None:
        share, extra = divmod(calls, callers)
        async with anyio.create_task_group() as group:
            for index in range(callers):
                group.start_soon(one_caller, share + (index < extra))

    return run


# --- measuring --------------------------------------------------------------------------------


async def _seconds(contender: Contender, calls: int) -> float:
    gc.collect()  # do not make the next contender pay for the previous one's garbage
    started = time.perf_counter()
    outcome = contender.run(calls)
    if inspect.isawaitable(outcome):
        await outcome
    return time.perf_counter() - started


async def measure(
    contenders: Sequence[Contender], *, rounds: int, calls: int, warmup_rounds: int = 1
) -> dict[str, Result]:
    """Run the contenders round-robin (inside a running event loop); calls/s per contender."""
    names = [contender.name for contender in contenders]
    if len(set(names)) != len(names):
        raise ValueError(f"contender names must be unique: {names}")
    for _ in range(warmup_rounds):
        for contender in contenders:
            await _seconds(contender, calls)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(rounds):
        shift = round_index % len(contenders)
        for contender in [*contenders[shift:], *contenders[:shift]]:
            rates[contender.name].append(calls / await _seconds(contender, calls))
    return {name: Result(name, tuple(samples)) for name, samples in rates.items()}


def measure_blocking(
    contenders: Sequence[Contender],
    *,
    rounds: int,
    calls: int,
    warmup_rounds: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Result]:
    """``measure`` outside any event loop, for plain contenders that may start their own
    (``asyncio.run`` per call) or start processes. ``clock`` is what a call costs: wall time by
    default; a CPU-time clock (children's, say) makes the rates calls per CPU-second."""
    names = [contender.name for contender in contenders]
    if len(set(names)) != len(names):
        raise ValueError(f"contender names must be unique: {names}")

    def seconds(contender: Contender) -> float:
        gc.collect()
        started = clock()
        if contender.run(calls) is not None:
            raise TypeError(f"{contender.name} is not a plain contender")
        return clock() - started

    for _ in range(warmup_rounds):
        for contender in contenders:
            seconds(contender)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(rounds):
        shift = round_index % len(contenders)
        for contender in [*contenders[shift:], *contenders[:shift]]:
            rates[contender.name].append(calls / seconds(contender))
    return {name: Result(name, tuple(samples)) for name, samples in rates.items()}


def run(
    contenders: Sequence[Contender],
    *,
    rounds: int,
    calls: int,
    warmup_rounds: int = 1,
    backend: str = "asyncio",
) -> dict[str, Result]:
    """``measure`` in a fresh event loop (for contenders that need no setup inside the loop)."""
    job = functools.partial(
        measure, contenders, rounds=rounds, calls=calls, warmup_rounds=warmup_rounds
    )
    return anyio.run(job, backend=backend)


# --- command line -----------------------------------------------------------------------------


def loop_parser(
    description: str, *, rounds: int = 20, calls: int, counted: str = "calls per contender"
) -> argparse.ArgumentParser:
    """The options every interleaved benchmark takes: ``--rounds``, ``--calls`` (``counted``
    per round) and ``--warmup-rounds``; a script adds its own, then calls ``parse_loop``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--rounds", type=int, default=rounds, help=f"measured rounds (default {rounds})"
    )
    parser.add_argument(
        "--calls", type=int, default=calls, help=f"{counted} per round (default {calls})"
    )
    parser.add_argument("--warmup-rounds", type=int, default=1, help="unrecorded rounds first")
    return parser


def parse_loop(
    parser: argparse.ArgumentParser, argv: Optional[Sequence[str]], *, min_calls: int = 1
) -> argparse.Namespace:
    """Parse ``argv`` and refuse rounds, calls or warm-up rounds that cannot be measured."""
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.calls < min_calls or args.warmup_rounds < 0:
        parser.error(f"need --rounds >= 1, --calls >= {min_calls} and --warmup-rounds >= 0")
    return args


# --- reporting --------------------------------------------------------------------------------

# ``bench_all.py`` sets this to a file: every row with a target (and every info row) is added
# there as a JSON line, and it prints them all as one table at the end.
SUMMARY_ENV = "AUTHCLIENT_BENCH_SUMMARY"


def verdict(value: float, target: Optional[float], *, at_most: bool = False) -> str:
    """PASS / FAIL against ``target`` (a minimum, or a maximum with ``at_most``), or info."""
    if target is None:
        return "info"
    return "PASS" if (value <= target if at_most else value >= target) else "FAIL"


def record(
    section: str, measure: str, value: float, target: Optional[float], *, at_most: bool = False
) -> None:
    """Add one row to the summary ``bench_all.py`` prints (nothing when run on its own)."""
    path = os.environ.get(SUMMARY_ENV)
    if not path:
        return
    row = {"section": section, "measure": measure, "value": value, "target": target}
    row["at_most"] = at_most
    row["verdict"] = verdict(value, target, at_most=at_most)
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(json.dumps(row) + "\n")


HEADER = ("contender", "calls/s", "vs", "ratio", "middle half", "target", "")


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    low, _, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, high


def _rows(results: dict[str, Result], comparisons: Sequence[Comparison]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for result in results.values():
        mine = [c for c in comparisons if c.contender == result.name]
        rate = f"{result.median:,.0f}"
        if not mine:
            rows.append((result.name, rate, "", "", "", "", ""))
        for comparison in mine:
            ratios = comparison.ratios(results)
            ratio = statistics.median(ratios)
            low, high = _quartiles(ratios)
            target = "" if comparison.target is None else f">= {comparison.target:.2f}"
            cells = (f"{ratio:.3f}", f"{low:.3f}-{high:.3f}", target, comparison.verdict(ratio))
            rows.append((result.name, rate, comparison.baseline, *cells))
    return rows


def format_table(
    results: dict[str, Result], comparisons: Sequence[Comparison], *, section: str = ""
) -> str:
    """One line per comparison (and per contender compared with nothing), aligned.

    With a ``section``, each comparison is also ``record``-ed for ``bench_all.py``'s summary.
    """
    if section:
        for comparison in comparisons:
            ratio = statistics.median(comparison.ratios(results))
            measure = f"{comparison.contender} / {comparison.baseline}"
            record(section, measure, ratio, comparison.target)
    rows = [HEADER, *_rows(results, comparisons)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    numeric = {1, 3, 4}

    def line(row: tuple[str, ...]) -> str:
        cells = (
            c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))
        )
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(HEADER), rule, *(line(row) for row in rows[1:])])
