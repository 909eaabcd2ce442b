"""What does the ``authclient.testing`` pytest plugin cost a project that does not use it?

Usage: ``python benchmarks/bench_plugin_startup.py [--rounds R] [--tests N]``

Writes a tiny project (``N`` trivial tests, no fixture of the plugin's) to a temporary folder
and times ``pytest --collect-only -q`` in a fresh interpreter, this checkout first on its path:
with the plugin turned off (``-p no:authclient.testing``) and loaded (``-p authclient.testing``,
which is what its entry point does when authclient is installed), alternating, ``R`` rounds
each after one warm-up. Wall time and the child's CPU time (user + system) are reported as
median and minimum, and the extra modules the plugin loads (``-X importtime`` of
``import authclient.testing``, the top of its cumulative list). It prints a table and always
exits 0: a benchmark reports, it does not assert.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _harness

ROOT = Path(__file__).resolve().parent.parent
NOT_SLOWER = 1.05  # "collection is not slowed": within the noise of a few per cent
MODES = {"off": ["-p", "no:authclient.testing"], "on": ["-p", "authclient.testing"]}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _once(project: Path, flags: list[str]) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one ``pytest --collect-only -q``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *flags],
        cwd=project,
        env=_env(),
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _importtime() -> list[tuple[int, str]]:
    """(cumulative µs, module) of what ``import authclient.testing`` loads, largest first."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pytest; import authclient.testing"],
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    rows: list[tuple[int, str]] = []
    seen_pytest = True  # until the line for pytest itself
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        if name.strip() == "pytest":
            seen_pytest = False  # everything before it (and it) was pytest's own start-up
            continue
        if not seen_pytest and not name.startswith("  "):  # top level: one space only
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        body = "".join(f"def test_{i}():\n    assert {i} == {i}\n\n" for i in range(args.tests))
        (project / "test_plain.py").write_text(body)
        results: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
        for flags in MODES.values():
            _once(project, flags)  # warm-up: bytecode written
        for _ in range(args.rounds):
            for mode, flags in MODES.items():
                results[mode].append(_once(project, flags))
    print(
        f"pytest --collect-only -q, {args.tests} tests, {args.rounds} rounds, {sys.version.split()[0]}"
    )
    print(f"{'plugin':8} {'wall median':>12} {'wall min':>10} {'cpu median':>11} {'cpu min':>9}")
    for mode, runs in results.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"{mode:8} {statistics.median(walls) * 1000:10.1f}ms {min(walls) * 1000:8.1f}ms"
            f" {statistics.median(cpus) * 1000:9.1f}ms {min(cpus) * 1000:7.1f}ms"
        )
    off = statistics.median(c for _, c in results["off"])
    on = statistics.median(c for _, c in results["on"])
    print(f"plugin loaded costs {(on - off) * 1000:+.1f} ms CPU (median against median)")
    ratios = [a[1] / b[1] for a, b in zip(results["on"], results["off"])]
    ratio = statistics.median(ratios)
    verdict = _harness.verdict(ratio, NOT_SLOWER, at_most=True)
    print(
        f"CPU with / without the plugin, median of per-round ratios: {ratio:.3f} "
        f"(target <= {NOT_SLOWER})  {verdict}"
    )
    _harness.record(
        "pytest plugin", "collection CPU: plugin loaded / off", ratio, NOT_SLOWER, at_most=True
    )
    print("\nimport authclient.testing after pytest (-X importtime, cumulative, top 8):")
    for micros, name in _importtime()[:8]:
        print(f"  {micros / 1000:7.2f} ms  {name}")


if __name__ == "__main__":
    main()
