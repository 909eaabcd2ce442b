"""The sync limiter under gevent's monkey-patching, each case in a fresh interpreter.

These tests skip when gevent is not installed for the Python running them.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GEVENT_PROLOGUE = """
import json
{early}
import gevent
from gevent import monkey
monkey.patch_all()
import threading
from authclient._compat import Limiter

class Interrupted(Exception):
    pass

def queue_in_order(limiter, names, entered):
    greenlets = []
    for name in names:
        def enter(name=name):
            try:
                with limiter:
                    entered.append(name)
                    gevent.sleep(0)
            except Interrupted:
                pass
        greenlets.append(gevent.spawn(enter))
        gevent.idle()
        assert limiter.waiting == len(greenlets), (name, limiter.waiting)
    return greenlets

def free_slots(limiter, limit):
    inside, leave = [], gevent.event.Event()
    def hold():
        with limiter:
            inside.append(1)
            leave.wait()
    holders = [gevent.spawn(hold) for _ in range(limit)]
    gevent.idle()
    leave.set()
    return len(inside)
"""

EARLY = "from authclient._compat import Limiter as Early; early = Early(1)"


def _under_gevent(body: str, *, early: bool = False) -> object:
    """Run ``body`` after monkey-patching, in a fresh interpreter; what it prints, as JSON."""
    if importlib.util.find_spec("gevent") is None:
        pytest.skip("gevent is not installed for this Python")
    script = GEVENT_PROLOGUE.format(early=EARLY if early else "") + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_greenlets_enter_in_arrival_order_under_gevent() -> None:
    """Monkey-patched, queued greenlets get the slot in the order they asked for it."""
    entered = _under_gevent(
        """
        limiter, entered = Limiter(2), []
        with limiter, limiter:
            greenlets = queue_in_order(limiter, [f"g{i}" for i in range(8)], entered)
        gevent.joinall(greenlets)
        print(json.dumps([entered, free_slots(limiter, 2)]))
        """
    )
    assert entered == [[f"g{i}" for i in range(8)], 2]


def test_limiter_made_before_gevent_patches_still_lets_greenlets_wait() -> None:
    """Made before monkey-patching, a waiting greenlet does not block the others."""
    entered = _under_gevent(
        """
        limiter, entered = early, []  # made before monkey-patching
        with limiter:
            greenlets = queue_in_order(limiter, ["g0", "g1", "g2"], entered)
            gevent.sleep(0.01)  # the hub keeps running while they wait
            entered.append("holder")
        gevent.joinall(greenlets)
        print(json.dumps(entered))
        """,
        early=True,
    )
    assert entered == ["holder", "g0", "g1", "g2"]


def test_killed_greenlet_gives_up_its_place_under_gevent() -> None:
    """A greenlet killed in the queue never enters; the next one does; no slot leaks."""
    outcome = _under_gevent(
        """
        limiter, entered = Limiter(1), []
        with limiter:
            greenlets = queue_in_order(limiter, ["g0", "g1"], entered)
            greenlets[0].kill(Interrupted)
            waiting = limiter.waiting
        gevent.joinall(greenlets)
        print(json.dumps([entered, waiting, free_slots(limiter, 1)]))
        """
    )
    assert outcome == [["g1"], 1, 1]


def test_slot_handed_to_a_killed_greenlet_is_passed_on_under_gevent() -> None:
    """Killed just as it was handed the slot, a greenlet passes it on rather than losing it."""
    outcome = _under_gevent(
        """
        limiter, entered = Limiter(1), []
        limiter.__enter__()
        greenlets = queue_in_order(limiter, ["g0", "g1"], entered)
        greenlets[0].kill(Interrupted, block=False)  # lands before g0 learns it has the slot
        limiter.__exit__(None, None, None)
        gevent.joinall(greenlets)
        print(json.dumps([entered, free_slots(limiter, 1)]))
        """
    )
    assert outcome == [["g1"], 1]
