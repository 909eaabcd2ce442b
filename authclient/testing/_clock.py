"""``AuthClock``: the controllable time shared by the local core and the bound clients."""

from __future__ import annotations

import math
import time


class AuthClock:
    """``time.time()`` plus an offset that only moves forward (seconds since the epoch).

    The ``local_core`` fixture and both bound clients read the time from one ``AuthClock``, so
    ``advance(3601)`` makes every access token minted an hour ago expired, for the core (its
    refresh and verify) and for the clients' own verification alike, without sleeping. Time
    still runs between calls, as it does in production.
    """

    def __init__(self) -> None:
        self._offset = 0.0

    def __repr__(self) -> str:
        return f"AuthClock(offset={self._offset!r})"

    def __call__(self) -> float:
        return time.time() + self._offset

    @property
    def offset(self) -> float:
        """Seconds this clock runs ahead of ``time.time()``."""
        return self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` (a finite number, at least 0) forward."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(f"seconds must be a number, not {type(seconds).__name__}")
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("seconds must be a finite number, at least 0: time never goes back")
        self._offset += float(seconds)
