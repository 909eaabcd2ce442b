"""The async flavor of authclient (asyncio, uvloop and trio): ``await get_user_metadata(...)``.

This package is the hand-written source; ``authclient.syncio`` is generated from it.
"""

from authclient.asyncio._client import AsyncClient
from authclient.asyncio._default import init
from authclient.asyncio._metadata_functions import (
    clear_user_metadata,
    get_user_metadata,
    update_user_metadata,
)
from authclient.asyncio._transport import AsyncTransport
from authclient.asyncio.usermetadata import AsyncUserMetadataRecipe
from authclient.types import ClearUserMetadataResult, MetadataResult, Overrides, RequestInfo

__all__ = [
    "AsyncClient",
    "AsyncTransport",
    "AsyncUserMetadataRecipe",
    "ClearUserMetadataResult",
    "MetadataResult",
    "Overrides",
    "RequestInfo",
    "clear_user_metadata",
    "get_user_metadata",
    "init",
    "update_user_metadata",
]
