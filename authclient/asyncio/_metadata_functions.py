"""Module-level user-metadata functions, on the default client."""

from __future__ import annotations

from typing import Any, Optional

from authclient.asyncio._default import default_client
from authclient.types import ClearUserMetadataResult, MetadataResult


async def get_user_metadata(
    user_id: str, user_context: Optional[dict[str, Any]] = None
) -> MetadataResult:
    """The user's metadata (``{}`` when none is stored).

    Example::

        from authclient.asyncio import get_user_metadata

        result = await get_user_metadata("alice")
        theme = result.metadata.get("theme")
    """
    client = await default_client()
    return await client.get_user_metadata(user_id, user_context)


async def update_user_metadata(
    user_id: str, metadata_update: dict[str, Any], user_context: Optional[dict[str, Any]] = None
) -> MetadataResult:
    """Shallow-merge ``metadata_update`` into the user's metadata (``None`` deletes a key)."""
    client = await default_client()
    return await client.update_user_metadata(user_id, metadata_update, user_context)


async def clear_user_metadata(
    user_id: str, user_context: Optional[dict[str, Any]] = None
) -> ClearUserMetadataResult:
    """Delete all of the user's metadata."""
    client = await default_client()
    return await client.clear_user_metadata(user_id, user_context)
