"""The signing-key cache: one per client, fetched through the client's transport."""

from __future__ import annotations

import logging
import time
from typing import Any, Optional

from authclient._acompat import AsyncLock
from authclient._protocol import session as protocol
from authclient._protocol.jwks import KeySet, max_age
from authclient.asyncio._transport import AsyncTransport
from authclient.errors import AuthClientError
from authclient.types import SessionConfig

logger = logging.getLogger("authclient.jwks")


class AsyncJwksCache:
    """Keys for local verification: fresh for the core's max-age (within bounds), fetched once.

    Concurrent callers on a cold or expired cache share one fetch. An unknown kid refetches at
    most once per cooldown. When a refresh fails, keys that expired less than the grace period
    ago keep verifying (and the refresh is retried after the cooldown, not on every call).
    """

    def __init__(self, transport: AsyncTransport, config: SessionConfig) -> None:
        self._transport = transport
        self._config = config
        self._current: Optional[KeySet] = None
        self._lock = AsyncLock()
        self._next_attempt = 0.0  # after a failed refresh, or an unknown-kid refetch
        self._refetched_for_kid = float("-inf")

    def fresh(self) -> Optional[KeySet]:
        """The cached keys while they are fresh, else ``None`` (never any I/O)."""
        current = self._current
        if current is not None and current.is_fresh(time.monotonic()):
            return current
        return None

    async def keys(self, user_context: dict[str, Any]) -> KeySet:
        current = self.fresh()
        if current is not None:
            return current
        async with self._lock:
            now = time.monotonic()
            current = self._current
            if current is not None and (current.is_fresh(now) or now < self._next_attempt):
                return current  # fetched while we waited, or a failed refresh is cooling down
            return await self._fetch(user_context, current)

    async def keys_with(self, kid: str, user_context: dict[str, Any]) -> KeySet:
        """Keys after a token named a kid we don't know: refetch, at most once per cooldown."""
        async with self._lock:
            now = time.monotonic()
            current = self._current
            if current is not None and kid in current.keys:
                return current  # someone else's refetch already brought it
            if (
                current is not None
                and now < self._refetched_for_kid + self._config.jwks_refetch_cooldown
            ):
                return current
            self._refetched_for_kid = now
            return await self._fetch(user_context, current)

    async def _fetch(self, user_context: dict[str, Any], current: Optional[KeySet]) -> KeySet:
        try:
            response = await self._transport.send(protocol.jwks_request(), user_context)
        except AuthClientError as exc:
            now = time.monotonic()
            if current is None or not current.usable_when_refresh_fails(now, self._config):
                raise
            logger.warning("refreshing the JWKS failed (%s); still using the cached keys", exc)
            self._next_attempt = now + self._config.jwks_refetch_cooldown
            return current
        seconds = max_age(response.headers.get("cache-control"), self._config)
        fetched = KeySet.from_jwks(
            protocol.jwks(response, int(seconds)), time.monotonic() + seconds, current
        )
        self._current = fetched
        return fetched
