"""The user-metadata recipe on the wire (CDI: /recipe/user/metadata)."""

from __future__ import annotations

from typing import Any

from authclient._protocol.jsonvalue import check_json_object, check_user_id
from authclient._protocol.wire import CoreRequest, CoreResponse
from authclient.types import ClearUserMetadataResult, MetadataResult

RECIPE_ID = "usermetadata"
PATH = "/recipe/user/metadata"


def get_request(user_id: str) -> CoreRequest:
    check_user_id(user_id)
    return CoreRequest("GET", PATH, {"userId": user_id}, recipe_id=RECIPE_ID)


def update_request(user_id: str, metadata_update: dict[str, Any]) -> CoreRequest:
    check_user_id(user_id)
    check_json_object(metadata_update, "metadata_update")
    body = {"userId": user_id, "metadataUpdate": metadata_update}
    # The core's shallow merge gives the same result however often it is applied.
    return CoreRequest.with_json("PUT", PATH, body, recipe_id=RECIPE_ID, idempotent=True)


def clear_request(user_id: str) -> CoreRequest:
    check_user_id(user_id)
    body = {"userId": user_id}
    return CoreRequest.with_json(
        "POST", PATH + "/remove", body, recipe_id=RECIPE_ID, idempotent=True
    )


def metadata_result(response: CoreResponse) -> MetadataResult:
    response.require_ok()
    return MetadataResult(metadata=response.field("metadata", dict))


def clear_result(response: CoreResponse) -> ClearUserMetadataResult:
    response.require_ok()
    return ClearUserMetadataResult()
