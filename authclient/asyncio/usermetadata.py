"""The user-metadata recipe: the implementation users can override with ``Overrides``."""

from __future__ import annotations

from typing import Any

from authclient._protocol import metadata
from authclient.asyncio._transport import AsyncTransport
from authclient.types import ClearUserMetadataResult, MetadataResult


class AsyncUserMetadataRecipe:
    """Talks to the core for user metadata. ``Overrides(usermetadata=fn)`` receives this object.

    To override a method, keep the original and assign a replacement on the instance::

        def override(original: AsyncUserMetadataRecipe) -> AsyncUserMetadataRecipe:
            original_get = original.get_user_metadata

            async def get_user_metadata(user_id: str, user_context: dict[str, Any]) -> MetadataResult:
                result = await original_get(user_id, user_context)
                return MetadataResult({**result.metadata, "seen": True})

            original.get_user_metadata = get_user_metadata
            return original

    Or subclass it and return ``MyRecipe(original.transport)``.
    """

    def __init__(self, transport: AsyncTransport) -> None:
        self.transport = transport

    async def get_user_metadata(self, user_id: str, user_context: dict[str, Any]) -> MetadataResult:
        request = metadata.get_request(user_id)
        return metadata.metadata_result(await self.transport.send(request, user_context))

    async def update_user_metadata(
        self, user_id: str, metadata_update: dict[str, Any], user_context: dict[str, Any]
    ) -> MetadataResult:
        request = metadata.update_request(user_id, metadata_update)
        return metadata.metadata_result(await self.transport.send(request, user_context))

    async def clear_user_metadata(
        self, user_id: str, user_context: dict[str, Any]
    ) -> ClearUserMetadataResult:
        request = metadata.clear_request(user_id)
        return metadata.clear_result(await self.transport.send(request, user_context))
