"""The Flask example under gevent (and eventlet): 50 green clients, no event loop anywhere.

Each case runs ``tests/integrations/gevent_load.py`` in a fresh interpreter (monkey-patching
must come first) against a local core served from this process. The figures it prints
(requests, failures, p99) are shown with ``pytest -s``; speed is the benchmarks' business,
these tests assert only outcomes.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authclient.localcore import start_in_thread

ROOT = Path(__file__).resolve().parents[2]
CLIENTS, ROUNDS = 50, 5  # as in gevent_load.py


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


def load_run(core_url: str, *options: str) -> dict[str, Any]:
    """What one load run printed (its last line, JSON)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.integrations.gevent_load", core_url, *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(result)
    return result


def needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed for this Python")


def test_fifty_gevent_clients_all_succeed_without_an_event_loop(core_url: str) -> None:
    """Under gevent's WSGIServer, 50 concurrent clients: every call succeeds, no loop is made."""
    needs("gevent")
    result = load_run(core_url)
    assert result["failures"] == 0, result["first_failures"]
    assert result["requests"] == CLIENTS * (1 + ROUNDS)
    assert result["max_in_flight"] > 1  # the requests did overlap in the app
    assert result["event_loops"] == 0


def test_the_loop_counter_sees_an_incumbent_style_view(core_url: str) -> None:
    """The counter is not blind: a view running asyncio.run, as the incumbent's do, is seen."""
    needs("gevent")
    result = load_run(core_url, "--incumbent-style")
    assert result["event_loops"] > 0


def test_fifty_eventlet_clients_all_succeed_without_an_event_loop(core_url: str) -> None:
    """The same load under eventlet's WSGI server: every call succeeds, no loop is made."""
    needs("eventlet")
    result = load_run(core_url, "--eventlet")
    assert result["failures"] == 0, result["first_failures"]
    assert result["requests"] == CLIENTS * (1 + ROUNDS)
    assert result["max_in_flight"] > 1
    assert result["event_loops"] == 0
