# Generated from authclient/asyncio/usermetadata.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The user-metadata recipe: the implementation users can override with ``Overrides``."""

from __future__ import annotations

from typing import Any

from authclient._protocol import metadata
from authclient.syncio._transport import Transport
from authclient.types import ClearUserMetadataResult, MetadataResult


class UserMetadataRecipe:
    """Talks to the core for user metadata. ``Overrides(usermetadata=fn)`` receives this object.

    To override a method, keep the original and assign a replacement on the instance::

        def override(original: UserMetadataRecipe) -> UserMetadataRecipe:
            original_get = original.get_user_metadata

            def get_user_metadata(user_id: str, user_context: dict[str, Any]) -> MetadataResult:
                result = original_get(user_id, user_context)
                return MetadataResult({**result.metadata, "seen": True})

            original.get_user_metadata = get_user_metadata
            return original

    Or subclass it and return ``MyRecipe(original.transport)``.
    """

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def get_user_metadata(self, user_id: str, user_context: dict[str, Any]) -> MetadataResult:
        request = metadata.get_request(user_id)
        return metadata.metadata_result(self.transport.send(request, user_context))

    def update_user_metadata(
        self, user_id: str, metadata_update: dict[str, Any], user_context: dict[str, Any]
    ) -> MetadataResult:
        request = metadata.update_request(user_id, metadata_update)
        return metadata.metadata_result(self.transport.send(request, user_context))

    def clear_user_metadata(
        self, user_id: str, user_context: dict[str, Any]
    ) -> ClearUserMetadataResult:
        request = metadata.clear_request(user_id)
        return metadata.clear_result(self.transport.send(request, user_context))
