# Generated from authclient/asyncio/__init__.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The async flavor of authclient (asyncio, uvloop and trio): ``get_user_metadata(...)``.

This package is the hand-written source; ``authclient.syncio`` is generated from it.
"""

from authclient.syncio._client import Client
from authclient.syncio._default import init
from authclient.syncio._metadata_functions import (
    clear_user_metadata,
    get_user_metadata,
    update_user_metadata,
)
from authclient.syncio._transport import Transport
from authclient.syncio.usermetadata import UserMetadataRecipe
from authclient.types import ClearUserMetadataResult, MetadataResult, Overrides, RequestInfo

__all__ = [
    "ClearUserMetadataResult",
    "Client",
    "MetadataResult",
    "Overrides",
    "RequestInfo",
    "Transport",
    "UserMetadataRecipe",
    "clear_user_metadata",
    "get_user_metadata",
    "init",
    "update_user_metadata",
]
