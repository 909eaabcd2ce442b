"""Finding the reference cycles a request leaves: objects only the cyclic GC would free."""

from __future__ import annotations

import gc
from collections.abc import Generator
from contextlib import contextmanager

PER_REQUEST = frozenset(
    {"AsyncRequestSessions", "RequestSessions", "WebRequest", "RequestState", "Tracked"}
)


@contextmanager
def authclient_cycles() -> Generator[list[str], None, None]:
    """The names of the web layer's per-request types among the cyclic garbage made inside
    the block.

    A busy app pays for every such object on each GC pass, so an adapter must leave none (it
    closes its request's sessions when the framework is done with the request). The session
    handed to the app is not counted: a framework's own request cycles (Django's test client
    makes some) carry it along.
    """
    found: list[str] = []
    gc.collect()
    gc.disable()
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(
            sorted(
                {
                    type(item).__qualname__
                    for item in gc.garbage
                    if type(item).__qualname__ in PER_REQUEST
                }
            )
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
