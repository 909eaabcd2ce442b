# Generated from authclient/asyncio/_metadata_functions.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Module-level user-metadata functions, on the default client."""

from __future__ import annotations

from typing import Any, Optional

from authclient.syncio._default import default_client
from authclient.types import ClearUserMetadataResult, MetadataResult


def get_user_metadata(
    user_id: str, user_context: Optional[dict[str, Any]] = None
) -> MetadataResult:
    """The user's metadata (``{}`` when none is stored).

    Example::

        from authclient.syncio import get_user_metadata

        result = get_user_metadata("alice")
        theme = result.metadata.get("theme")
    """
    client = default_client()
    return client.get_user_metadata(user_id, user_context)


def update_user_metadata(
    user_id: str, metadata_update: dict[str, Any], user_context: Optional[dict[str, Any]] = None
) -> MetadataResult:
    """Shallow-merge ``metadata_update`` into the user's metadata (``None`` deletes a key)."""
    client = default_client()
    return client.update_user_metadata(user_id, metadata_update, user_context)


def clear_user_metadata(
    user_id: str, user_context: Optional[dict[str, Any]] = None
) -> ClearUserMetadataResult:
    """Delete all of the user's metadata."""
    client = default_client()
    return client.clear_user_metadata(user_id, user_context)
