"""The hosts of a connection URI, and which to try first (per client, never global)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import attrs

HOST_COOLDOWN_SECONDS = 5.0
"""How long a host that failed goes to the back of the line; doubled for each failure in a row."""

MAX_HOST_COOLDOWN_SECONDS = 60.0


@attrs.frozen
class Host:
    """One core: ``domain`` (scheme://host:port) and an optional ``base_path`` such as /appid-x."""

    domain: str
    base_path: str = ""

    def url(self, path: str) -> str:
        return self.domain + self.base_path + path

    def __str__(self) -> str:
        return self.domain + self.base_path


def parse_connection_uri(connection_uri: str) -> tuple[Host, ...]:
    """Split ``a;b;c`` into hosts (empty parts dropped, each stripped), as the core's SDKs do."""
    if not isinstance(connection_uri, str):
        raise TypeError(f"connection_uri must be a str, not {type(connection_uri).__name__}")
    hosts = tuple(_parse_host(part.strip()) for part in connection_uri.split(";") if part.strip())
    if not hosts:
        raise ValueError("connection_uri names no host")
    return hosts


def _parse_host(text: str) -> Host:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"connection_uri part {text!r} must look like http(s)://host[:port][/path]"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"connection_uri part {text!r} must not have a query or fragment")
    if "@" in parts.netloc:
        raise ValueError("connection_uri must not carry credentials: pass api_key= instead")
    return Host(f"{parts.scheme}://{parts.netloc.lower()}", parts.path.rstrip("/"))


class HostHealth:
    """The order to try hosts in: as configured, but hosts that recently failed go last.

    A host fails when it refuses a connection, times out, or drops a request unanswered. It then
    rests for ``cooldown`` seconds, twice as long for each further failure in a row (at most
    ``max_cooldown``), so a hung host costs one slow attempt now and then, not one per call.
    Resting hosts are still tried, last, when every other host has failed.
    """

    def __init__(
        self,
        hosts: Sequence[Host],
        cooldown: float = HOST_COOLDOWN_SECONDS,
        max_cooldown: float = MAX_HOST_COOLDOWN_SECONDS,
    ) -> None:
        self._hosts = tuple(hosts)
        self._cooldown = cooldown
        self._max_cooldown = max_cooldown
        self._down_until: dict[Host, float] = {}
        self._failures_in_a_row: dict[Host, int] = {}

    def order(self, now: float) -> tuple[Host, ...]:
        if not self._down_until:
            return self._hosts
        down = self._down_until
        healthy = [host for host in self._hosts if down.get(host, 0.0) <= now]
        resting = sorted(
            (host for host in self._hosts if down.get(host, 0.0) > now), key=lambda h: down[h]
        )
        return (*healthy, *resting)

    def failed(self, host: Host, now: float) -> None:
        count = self._failures_in_a_row.get(host, 0) + 1
        self._failures_in_a_row[host] = count
        rest = min(self._max_cooldown, self._cooldown * 2 ** (count - 1))
        self._down_until[host] = now + rest

    def succeeded(self, host: Host) -> None:
        if self._down_until:
            self._down_until.pop(host, None)
            self._failures_in_a_row.pop(host, None)
