# Generated from authclient/asyncio/_client.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""``Client``: one configured connection to the core, with every recipe on it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Callable, Optional, TypeVar

import httpx

from authclient._protocol.config import ClientConfig, TimeoutTypes
from authclient.syncio._transport import RequestHook, Transport
from authclient.syncio.usermetadata import UserMetadataRecipe
from authclient.types import ClearUserMetadataResult, MetadataResult, Overrides

R = TypeVar("R")


def _apply(override: Optional[Callable[[Any], Any]], original: R, name: str) -> R:
    if override is None:
        return original
    implementation = override(original)
    if implementation is None:
        raise TypeError(f"the {name} override returned None: return the implementation to use")
    return implementation  # type: ignore[no-any-return]


class Client:
    """A client for the core. Cheap to construct (no I/O); share one per application.

    Use it as ``with Client(...) as client:`` or call ``client.close()``.
    """

    def __init__(
        self,
        connection_uri: str = "http://localhost:3567",
        *,
        api_key: Optional[str] = None,
        timeout: TimeoutTypes = 10.0,
        max_retries: int = 2,
        cdi_version: Optional[str] = None,
        http_client: Optional[httpx.Client] = None,
        overrides: Optional[Overrides] = None,
        on_request: Optional[RequestHook] = None,
    ) -> None:
        self._config = ClientConfig.build(
            connection_uri,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            cdi_version=cdi_version,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError("http_client must be an httpx.AsyncClient")
        if overrides is not None and not isinstance(overrides, Overrides):
            raise TypeError("overrides must be an authclient.Overrides")
        overrides = overrides or Overrides()
        self._transport = Transport(self._config, http_client, on_request)
        self.usermetadata: UserMetadataRecipe = _apply(
            overrides.usermetadata, UserMetadataRecipe(self._transport), "usermetadata"
        )

    def __repr__(self) -> str:
        key = ", api_key='***'" if self._config.api_key else ""
        return f"{type(self).__name__}({self._config.connection_uri!r}{key})"

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections this client opened (an ``http_client`` you passed stays open)."""
        self._transport.close()

    def get_user_metadata(
        self, user_id: str, user_context: Optional[dict[str, Any]] = None
    ) -> MetadataResult:
        """The user's metadata (``{}`` when none is stored)."""
        return self.usermetadata.get_user_metadata(
            user_id, {} if user_context is None else user_context
        )

    def update_user_metadata(
        self,
        user_id: str,
        metadata_update: dict[str, Any],
        user_context: Optional[dict[str, Any]] = None,
    ) -> MetadataResult:
        """Merge ``metadata_update`` into the stored metadata and return the result.

        The merge is shallow: top-level keys replace, a top-level ``None`` deletes the key.
        """
        return self.usermetadata.update_user_metadata(
            user_id, metadata_update, {} if user_context is None else user_context
        )

    def clear_user_metadata(
        self, user_id: str, user_context: Optional[dict[str, Any]] = None
    ) -> ClearUserMetadataResult:
        """Delete all of the user's metadata."""
        return self.usermetadata.clear_user_metadata(
            user_id, {} if user_context is None else user_context
        )
