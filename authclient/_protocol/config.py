"""Client configuration: validated once at construction, shared by both flavors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Union

import attrs

from authclient._protocol.hosts import Host, parse_connection_uri
from authclient._protocol.retry import Timeouts
from authclient._protocol.versions import SUPPORTED_CDI_VERSIONS

if TYPE_CHECKING:
    import httpx

TimeoutTypes = Union[float, int, "httpx.Timeout"]

MAX_IN_FLIGHT = 16
"""Requests one client sends at once, each on its own connection; more wait their turn."""

DEFAULT_MAX_RESPONSE_SIZE = 4 * 1024 * 1024
"""Bytes of one answer from the core, headers included (and after decompression); the core's
answers are a few KiB."""


@attrs.frozen
class ClientConfig:
    """Everything a client needs to talk to the core, checked before any I/O."""

    hosts: tuple[Host, ...]
    api_key: Optional[str] = attrs.field(repr=False)
    timeouts: Timeouts
    max_retries: int
    cdi_version: Optional[str]
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE

    @classmethod
    def build(
        cls,
        connection_uri: str,
        *,
        api_key: Optional[str],
        timeout: TimeoutTypes,
        max_retries: int,
        cdi_version: Optional[str],
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> ClientConfig:
        check_api_key(api_key)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError("max_retries must be an int >= 0")
        if cdi_version is not None and cdi_version not in SUPPORTED_CDI_VERSIONS:
            raise ValueError(
                f"cdi_version {cdi_version!r} is not one this client speaks: "
                f"{', '.join(SUPPORTED_CDI_VERSIONS)}"
            )
        if (
            isinstance(max_response_size, bool)
            or not isinstance(max_response_size, int)
            or max_response_size < 1024
        ):
            raise ValueError("max_response_size must be an int of at least 1024 (bytes)")
        return cls(
            hosts=parse_connection_uri(connection_uri),
            api_key=api_key,
            timeouts=Timeouts.from_value(timeout),
            max_retries=max_retries,
            cdi_version=cdi_version,
            max_response_size=max_response_size,
        )

    @property
    def connection_uri(self) -> str:
        return ";".join(str(host) for host in self.hosts)


def check_api_key(api_key: object) -> None:
    """Refuse a key that cannot be sent as a header value, without ever showing the key."""
    if api_key is None:
        return
    if not isinstance(api_key, str) or not api_key:
        raise TypeError("api_key must be a non-empty str or None")
    if api_key != api_key.strip():
        raise ValueError(
            "api_key starts or ends with white space (a newline from a file or an environment "
            "variable?): strip it"
        )
    if not all(" " <= char <= "~" for char in api_key):
        raise ValueError(
            "api_key holds a character that cannot be sent in a header (a control character "
            "or a non-ASCII letter): core api keys are printable ASCII"
        )
