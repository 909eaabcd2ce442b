"""The bound on requests in flight: first come, first served, in both flavors.

The same under gevent is in test_limiter_gevent.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections.abc import Generator
from typing import Callable

import anyio
import anyio.lowlevel
import pytest

from authclient._acompat import AsyncLimiter
from authclient._compat import Limiter

PATIENCE = 10.0  # seconds to wait for something that must happen; never a speed limit


class Interrupted(Exception):
    """Raised into a waiter, as KeyboardInterrupt or a greenlet kill would be."""


# --- async ------------------------------------------------------------------------------------


async def _queue_in_order(
    group: anyio.abc.TaskGroup, limiter: AsyncLimiter, names: list[str], entered: list[str]
) -> list[anyio.CancelScope]:
    """One task per name, each queued before the next starts; their cancel scopes, in order."""

    async def wait(name: str, *, task_status: anyio.abc.TaskStatus[anyio.CancelScope]) -> None:
        with anyio.CancelScope() as scope:
            task_status.started(scope)
            async with limiter:
                entered.append(name)
                await anyio.lowlevel.checkpoint()

    scopes: list[anyio.CancelScope] = []
    for name in names:
        scopes.append(await group.start(wait, name))
        await anyio.wait_all_tasks_blocked()
    return scopes


async def _async_slots_free(limiter: AsyncLimiter, limit: int) -> int:
    """How many of ``limit`` tasks get in at once (``limit`` unless a slot leaked)."""
    inside = 0
    got = 0
    done = anyio.Event()

    async def hold() -> None:
        nonlocal inside
        async with limiter:
            inside += 1
            await done.wait()

    async with anyio.create_task_group() as group:
        for _ in range(limit):
            group.start_soon(hold)
        await anyio.wait_all_tasks_blocked()
        got = inside
        group.cancel_scope.cancel()
    return got


@pytest.mark.anyio
async def test_async_waiters_enter_in_arrival_order() -> None:
    """Queued tasks get the slot in the order they asked for it."""
    limiter = AsyncLimiter(1)
    entered: list[str] = []
    with anyio.fail_after(PATIENCE):  # a lost slot would hang the group
        async with anyio.create_task_group() as group:
            async with limiter:
                await _queue_in_order(group, limiter, [f"w{i}" for i in range(6)], entered)
    assert entered == [f"w{i}" for i in range(6)]


@pytest.mark.anyio
async def test_async_holder_reentering_does_not_overtake_waiters() -> None:
    """A task that releases and at once enters again queues behind the waiting ones."""
    limiter = AsyncLimiter(1)
    entered: list[str] = []
    with anyio.fail_after(PATIENCE):  # a lost slot would hang the group
        async with anyio.create_task_group() as group:
            async with limiter:
                await _queue_in_order(group, limiter, ["w0", "w1"], entered)
            async with limiter:  # no checkpoint since the release: the fast path must say no
                entered.append("again")
    assert entered == ["w0", "w1", "again"]


@pytest.mark.anyio
async def test_async_limit_is_never_exceeded() -> None:
    """However many tasks contend, at most ``limit`` are inside at once, and all get in."""
    limiter, inside, most, done = AsyncLimiter(3), 0, 0, 0

    async def work() -> None:
        nonlocal inside, most, done
        for _ in range(5):
            async with limiter:
                inside += 1
                most = max(most, inside)
                await anyio.lowlevel.checkpoint()
                inside -= 1
            done += 1

    with anyio.fail_after(PATIENCE):  # a lost slot would hang the group
        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(work)
    assert (most, done) == (3, 100)


@pytest.mark.anyio
async def test_cancelled_async_waiter_gives_up_its_place() -> None:
    """A waiter cancelled in the queue never enters; the next one does; no slot leaks."""
    limiter = AsyncLimiter(1)
    entered: list[str] = []
    with anyio.fail_after(PATIENCE):  # a lost slot would hang the group
        async with anyio.create_task_group() as group:
            async with limiter:
                scopes = await _queue_in_order(group, limiter, ["w0", "w1"], entered)
                scopes[0].cancel()
                await anyio.wait_all_tasks_blocked()
                assert limiter.waiting == 1
    assert entered == ["w1"]
    assert await _async_slots_free(limiter, 1) == 1


@pytest.mark.anyio
async def test_slot_handed_to_a_cancelled_async_waiter_is_passed_on() -> None:
    """Cancelled just as it was handed the slot, a waiter does not lose it."""
    limiter = AsyncLimiter(1)
    entered: list[str] = []
    with anyio.fail_after(PATIENCE):  # a lost slot would hang the group
        async with anyio.create_task_group() as group:
            async with limiter:
                scopes = await _queue_in_order(group, limiter, ["w0", "w1"], entered)
            scopes[0].cancel()  # right after the release handed w0 its slot, before w0 ran
    # (On trio the hand-off cannot be undone: w0 enters and leaves at its first checkpoint.)
    assert entered[-1:] == ["w1"]
    assert await _async_slots_free(limiter, 1) == 1


def test_slot_handed_to_a_natively_cancelled_asyncio_waiter_is_passed_on() -> None:
    """``task.cancel()`` (as ``asyncio.wait_for`` does) right after the hand-off passes it on."""
    limiter = AsyncLimiter(1)
    entered: list[str] = []

    async def enter(name: str) -> None:
        async with limiter:
            entered.append(name)

    async def main() -> None:
        async with limiter:
            first = asyncio.create_task(enter("w0"))
            second = asyncio.create_task(enter("w1"))
            await asyncio.sleep(0)  # both are queued now
            assert limiter.waiting == 2
        first.cancel()  # right after the release handed w0 its slot, before w0 ran
        await asyncio.wait_for(asyncio.gather(first, second, return_exceptions=True), PATIENCE)
        assert first.cancelled()

    asyncio.run(main())
    assert entered == ["w1"]


# --- sync (threads) ---------------------------------------------------------------------------


def _eventually(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.001)


def _enter_and_record(limiter: Limiter, name: str, entered: list[str]) -> None:
    with limiter:
        entered.append(name)


def _queue_threads(
    limiter: Limiter, names: list[str], entered: list[str]
) -> list[threading.Thread]:
    """One started thread per name, each queued (behind any already waiting) before the next."""
    threads: list[threading.Thread] = []
    before = limiter.waiting
    for name in names:
        thread = threading.Thread(target=_enter_and_record, args=(limiter, name, entered))
        thread.start()
        threads.append(thread)
        queued = before + len(threads)
        _eventually(lambda: limiter.waiting == queued, f"{name} is queued")  # noqa: B023
    return threads


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(PATIENCE)
    assert not any(thread.is_alive() for thread in threads), "a thread never got a slot"


def _sync_slots_free(limiter: Limiter, limit: int) -> int:
    """How many of ``limit`` threads get in at once (``limit`` unless a slot leaked)."""
    inside, done, lock = [0], threading.Event(), threading.Lock()

    def hold() -> None:
        with limiter:
            with lock:
                inside[0] += 1
            done.wait()

    threads = [threading.Thread(target=hold, daemon=True) for _ in range(limit)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(AssertionError):
        _eventually(lambda: inside[0] == limit, "every thread is inside")
    got = inside[0]
    done.set()
    return got


def test_threads_enter_in_arrival_order() -> None:
    """Queued threads get the slot in the order they asked for it."""
    limiter = Limiter(1)
    entered: list[str] = []
    with limiter:
        threads = _queue_threads(limiter, [f"t{i}" for i in range(6)], entered)
    _join(threads)
    assert entered == [f"t{i}" for i in range(6)]


def test_thread_reentering_does_not_overtake_waiters() -> None:
    """A thread that releases and at once enters again queues behind the waiting ones."""
    limiter = Limiter(1)
    entered: list[str] = []
    with limiter:
        threads = _queue_threads(limiter, ["t0", "t1"], entered)
    _enter_and_record(limiter, "again", entered)
    _join(threads)
    assert entered == ["t0", "t1", "again"]


def test_thread_limit_is_never_exceeded() -> None:
    """However many threads contend, at most ``limit`` are inside at once, and all get in."""
    limiter, lock = Limiter(3), threading.Lock()
    inside, most, done = [0], [0], [0]

    def work() -> None:
        for _ in range(20):
            with limiter:
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.0005)  # let the others pile up at the limiter
                with lock:
                    inside[0] -= 1
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    _join(threads)
    assert (most[0], done[0]) == (3, 240)


def test_releasing_more_than_entered_is_an_error() -> None:
    """An unbalanced exit raises ValueError instead of raising the limit."""
    limiter = Limiter(1)
    with pytest.raises(ValueError, match="released more often"):
        limiter.__exit__(None, None, None)


@contextlib.contextmanager
def _interrupt_main_on(signum: int, handler: Callable[[], None]) -> Generator[None, None, None]:
    """While inside, ``signum`` runs ``handler`` and then raises Interrupted in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach only the main thread, and this test is not running in it")

    def raise_interrupted(signum: int, frame: object) -> None:
        handler()
        raise Interrupted

    previous = signal.signal(signum, raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signum, previous)


def _signal_main_after(prepare: Callable[[], None], signum: int) -> threading.Thread:
    """A thread that runs ``prepare`` and then sends ``signum`` to the main thread."""
    main = threading.main_thread().ident
    assert main is not None

    def watch() -> None:
        prepare()
        signal.pthread_kill(main, signum)

    thread = threading.Thread(target=watch)
    thread.start()
    return thread


def _holder(limiter: Limiter) -> tuple[threading.Thread, threading.Event]:
    """A thread inside ``limiter`` until the event is set."""
    inside, leave = threading.Event(), threading.Event()

    def hold() -> None:
        with limiter:
            inside.set()
            leave.wait()

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(PATIENCE)
    return thread, leave


def test_interrupted_thread_gives_up_its_place() -> None:
    """A thread interrupted in the queue never enters; the next one does; no slot leaks."""
    limiter = Limiter(1)
    entered: list[str] = []
    with _interrupt_main_on(signal.SIGUSR1, lambda: None):
        holder, leave = _holder(limiter)
        main_queued = lambda: _eventually(lambda: limiter.waiting == 1, "main is queued")  # noqa: E731
        watcher = _signal_main_after(main_queued, signal.SIGUSR1)
        with pytest.raises(Interrupted):
            _enter_and_record(limiter, "main", entered)
    assert limiter.waiting == 0
    threads = _queue_threads(limiter, ["t0"], entered)
    leave.set()
    _join([holder, watcher, *threads])
    assert entered == ["t0"]
    assert _sync_slots_free(limiter, 1) == 1


def test_slot_handed_to_an_interrupted_thread_is_passed_on() -> None:
    """Interrupted just as it was handed the slot, a thread passes it on rather than losing it."""
    limiter = Limiter(1)
    entered: list[str] = []
    behind: list[threading.Thread] = []

    def queue_one_behind_main() -> None:
        _eventually(lambda: limiter.waiting == 1, "main is queued")
        behind.extend(_queue_threads(limiter, ["t0"], entered))

    def hand_over() -> None:  # runs in the main thread, inside its wait
        leave.set()
        holder.join(PATIENCE)  # the holder's exit has handed its slot to the main thread

    with _interrupt_main_on(signal.SIGUSR1, hand_over):
        holder, leave = _holder(limiter)
        watcher = _signal_main_after(queue_one_behind_main, signal.SIGUSR1)
        with pytest.raises(Interrupted):
            _enter_and_record(limiter, "main", entered)
    _join([holder, watcher, *behind])
    assert entered == ["t0"]
    assert _sync_slots_free(limiter, 1) == 1
