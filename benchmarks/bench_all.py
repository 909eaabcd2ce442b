"""Every benchmark, one after the other, then one table of every ratio with its target.

Usage: ``python benchmarks/bench_all.py [--rounds R] [--calls N] [--backend asyncio|trio]``
(what ``nox -s bench`` runs). The arguments go to the scripts measuring calls in a loop
(``bench_metadata``, ``bench_sessions``, ``bench_web``, ``bench_flask``; ``--backend`` not to
the Flask one); the others run with their defaults. Each script prints its own table as it
goes and adds its rows to a summary file; the summary printed at the end has one line per
ratio: PASS or FAIL against its target, "info" for a ratio shown for context. It always exits
0 unless a script fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

from _harness import SUMMARY_ENV

HERE = Path(__file__).resolve().parent
# (script, which of the loop arguments it takes)
SCRIPTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bench_metadata.py", ("--rounds", "--calls", "--backend")),
    ("bench_sessions.py", ("--rounds", "--calls", "--backend")),
    ("bench_web.py", ("--rounds", "--calls", "--backend")),
    ("bench_flask.py", ("--rounds", "--calls")),
    ("bench_oneshot.py", ()),
    ("bench_startup.py", ()),
    ("bench_threads.py", ()),  # 64 threads, and the same under gevent: p99 vs raw httpx
    ("bench_plugin_startup.py", ()),  # what the pytest plugin costs a project not using it
)


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, help="measured rounds (each script's default)")
    parser.add_argument("--calls", type=int, help="calls per contender per round")
    parser.add_argument("--backend", choices=("asyncio", "trio"))
    parser.add_argument("--only", nargs="+", metavar="SCRIPT", help="run only these scripts")
    return parser.parse_args(argv)


def _arguments(args: argparse.Namespace, accepted: tuple[str, ...]) -> list[str]:
    given = {"--rounds": args.rounds, "--calls": args.calls, "--backend": args.backend}
    return [
        part for flag in accepted if given[flag] is not None for part in (flag, str(given[flag]))
    ]


def _target(row: dict[str, Any]) -> str:
    target = row["target"]
    if target is None:
        return ""
    return f"{'<=' if row['at_most'] else '>='} {target:.2f}"


def summary_table(rows: list[dict[str, Any]]) -> str:
    """One aligned line per recorded row, in the order the scripts ran."""
    header = ("section", "measure", "value", "target", "")
    lines = [header] + [
        (row["section"], row["measure"], f"{row['value']:.3f}", _target(row), row["verdict"])
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def render(line: tuple[str, ...]) -> str:
        cells = (c.rjust(w) if i == 2 else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths)))
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    verdicts = [row["verdict"] for row in rows]
    passed, failed = verdicts.count("PASS"), verdicts.count("FAIL")
    return "\n".join(
        [
            render(header),
            rule,
            *(render(line) for line in lines[1:]),
            rule,
            f"{passed} PASS, {failed} FAIL, {len(rows) - passed - failed} info",
        ]
    )


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    started = time.perf_counter()
    scripts = [(name, accepted) for name, accepted in SCRIPTS if not args.only or name in args.only]
    with tempfile.TemporaryDirectory() as directory:
        summary = Path(directory) / "summary.jsonl"
        summary.touch()
        env = {**os.environ, SUMMARY_ENV: str(summary)}
        for name, accepted in scripts:
            command = [sys.executable, str(HERE / name), *_arguments(args, accepted)]
            print(f"\n=== {' '.join([name, *command[2:]])}", flush=True)
            subprocess.run(command, env=env, check=True)
        rows = [json.loads(line) for line in summary.read_text().splitlines() if line]
    print("\n=== summary: every ratio, measured side by side in this run")
    print(summary_table(rows))
    print(f"all benchmarks: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
