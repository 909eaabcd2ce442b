"""Client configuration: validated once at construction, shared by both flavors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional, Union
from urllib.parse import urlsplit

import attrs
import httpx

from authclient._protocol.versions import SUPPORTED_CDI_VERSIONS

TimeoutTypes = Union[float, int, httpx.Timeout]

HOST_COOLDOWN_SECONDS = 5.0
"""How long a host that refused a connection goes to the back of the line."""

MAX_IN_FLIGHT = 16
"""Requests one client sends at once, each on its own connection; more wait their turn."""


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


@attrs.frozen
class ClientConfig:
    """Everything a client needs to talk to the core, checked before any I/O."""

    hosts: tuple[Host, ...]
    api_key: Optional[str] = attrs.field(repr=False)
    timeout: httpx.Timeout
    max_retries: int
    cdi_version: Optional[str]

    @classmethod
    def build(
        cls,
        connection_uri: str,
        *,
        api_key: Optional[str],
        timeout: TimeoutTypes,
        max_retries: int,
        cdi_version: Optional[str],
    ) -> ClientConfig:
        if api_key is not None and (not isinstance(api_key, str) or not api_key):
            raise TypeError("api_key must be a non-empty str or None")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError("max_retries must be an int >= 0")
        if cdi_version is not None and cdi_version not in SUPPORTED_CDI_VERSIONS:
            raise ValueError(
                f"cdi_version {cdi_version!r} is not one this client speaks: "
                f"{', '.join(SUPPORTED_CDI_VERSIONS)}"
            )
        return cls(
            hosts=parse_connection_uri(connection_uri),
            api_key=api_key,
            timeout=_timeout(timeout),
            max_retries=max_retries,
            cdi_version=cdi_version,
        )

    @property
    def connection_uri(self) -> str:
        return ";".join(str(host) for host in self.hosts)


def _timeout(value: TimeoutTypes) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError("timeout must be a number of seconds > 0, or an httpx.Timeout")
    return httpx.Timeout(float(value))


class HostHealth:
    """The order to try hosts in: as configured, but hosts that recently failed to connect go last.

    Per client (never global), so one client's dead host does not affect another's.
    """

    def __init__(self, hosts: Sequence[Host], cooldown: float = HOST_COOLDOWN_SECONDS) -> None:
        self._hosts = tuple(hosts)
        self._cooldown = cooldown
        self._down_until: dict[Host, float] = {}

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
        self._down_until[host] = now + self._cooldown

    def succeeded(self, host: Host) -> None:
        if self._down_until:
            self._down_until.pop(host, None)
