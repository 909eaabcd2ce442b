"""Result types and configuration shared by both flavors (I/O-free, frozen attrs classes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Optional

import attrs

__all__ = ["ClearUserMetadataResult", "MetadataResult", "Overrides", "RequestInfo"]


@attrs.frozen
class MetadataResult:
    """A user's metadata: a JSON object, ``{}`` when nothing is stored."""

    metadata: dict[str, Any]


@attrs.frozen
class ClearUserMetadataResult:
    """Returned by ``clear_user_metadata``; clearing always succeeds."""


@attrs.frozen
class Overrides:
    """Replace recipe implementations: each function receives the original and returns the one to use.

    The original is the flavor's recipe object (async methods in ``authclient.asyncio``, plain
    methods in ``authclient.syncio``). Either reassign methods on it and return it, or return a
    subclass instance that delegates to it.
    """

    usermetadata: Optional[Callable[[Any], Any]] = None


@attrs.frozen
class RequestInfo:
    """What an ``on_request`` hook sees before each attempt (the api key is redacted)."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: Any
    user_context: dict[str, Any]
    attempt: int
