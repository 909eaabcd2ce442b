"""When to retry, how long to wait, and how one call's time budget is shared out.

The clock and the randomness are passed in, so every rule here is a plain function of its inputs.
"""

from __future__ import annotations

import email.utils
from typing import Any, Callable, Optional

import attrs

from authclient._protocol.wire import CoreRequest

BACKOFF_BASE_SECONDS = 0.1
BACKOFF_CAP_SECONDS = 5.0
MAX_RETRY_AFTER_SECONDS = 30.0
"""A Retry-After longer than this is not waited for: the error goes to the caller instead."""


@attrs.frozen
class Timeouts:
    """Per-attempt limits of each phase (seconds, ``None`` = none) and the whole call's ``total``.

    A number ``t`` gives every phase ``t`` and the whole call ``t``: every attempt on every
    host, the waits between retries included, ends within ``t`` seconds of the call's start.
    An object with ``connect`` / ``read`` / ``write`` / ``pool`` (an ``httpx.Timeout``) sets the
    phases as given, and the whole call is bounded by the largest of them.
    """

    connect: Optional[float]
    read: Optional[float]
    write: Optional[float]
    pool: Optional[float]
    total: Optional[float]

    @classmethod
    def from_value(cls, value: Any) -> Timeouts:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not value > 0:
                raise ValueError("timeout must be a number of seconds > 0, or an httpx.Timeout")
            seconds = float(value)
            return cls(seconds, seconds, seconds, seconds, seconds)
        phases = [getattr(value, name, False) for name in ("connect", "read", "write", "pool")]
        if any(p is False or (p is not None and not _positive(p)) for p in phases):
            raise ValueError("timeout must be a number of seconds > 0, or an httpx.Timeout")
        given = [float(p) for p in phases if p is not None]
        connect, read, write, pool = (None if p is None else float(p) for p in phases)
        return cls(connect, read, write, pool, max(given) if given else None)

    def deadline(self, now: float) -> Optional[float]:
        """When a call that starts ``now`` must be over (``None``: never)."""
        return None if self.total is None else now + self.total

    def for_attempt(self, now: float, deadline: Optional[float]) -> dict[str, Optional[float]]:
        """The phase limits of an attempt that must end by ``deadline``."""
        left = None if deadline is None else max(0.0, deadline - now)

        def cut(limit: Optional[float]) -> Optional[float]:
            if left is None:
                return limit
            return left if limit is None else min(limit, left)

        return {
            "connect": cut(self.connect),
            "read": cut(self.read),
            "write": cut(self.write),
            "pool": cut(self.pool),
        }


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def attempt_deadline(
    now: float, deadline: Optional[float], hosts_left: int, request: CoreRequest
) -> Optional[float]:
    """When one attempt must end, so that a hung host cannot eat the whole call.

    An idempotent request may go to the next host, so each host still to try in this pass gets
    an equal share of the time left; a request that must not be sent twice gets all of it.
    """
    if deadline is None or not request.idempotent or hosts_left <= 1:
        return deadline
    return now + (deadline - now) / hosts_left


def should_retry_status(status_code: int, request: CoreRequest) -> bool:
    return status_code == 429 or (status_code >= 500 and request.idempotent)


def backoff_delay(
    attempt: int,
    retry_after: Optional[str],
    *,
    uniform: Callable[[float, float], float],
    now: float,
) -> Optional[float]:
    """Seconds to wait before retry number ``attempt`` (1-based); ``None`` means do not retry.

    Retry-After (seconds or an HTTP date, compared with ``now``, epoch seconds) wins when
    present; otherwise exponential backoff with full jitter drawn by ``uniform(low, high)``, so
    that many clients retrying at once spread out.
    """
    if retry_after is not None:
        delay = parse_retry_after(retry_after, now)
        if delay is not None:
            return delay if delay <= MAX_RETRY_AFTER_SECONDS else None
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
    return uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str, now: float) -> Optional[float]:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)
