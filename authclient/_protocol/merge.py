"""The one shallow-merge rule shared by the core and the client (CDI.md §2).

The real core merges a user-metadata update this way (``MetadataUtils.shallowMergeMetadataUpdate``)
and the reference SDK's ``merge_into_access_token_payload`` merges a session's payload the
same way on the client: each top-level key of the update replaces the stored one, a top-level
``None`` in the update deletes the key, and nested values replace the old ones whole (``None``
inside them is kept). ``None`` values already stored are not the update's: they stay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def shallow_merge(stored: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """A new dict: ``stored`` with ``update`` merged in; neither argument is changed.

    Like the core (remove the key, then add it back unless the update is ``None``), an updated
    key moves to the end.
    """
    merged = dict(stored)
    for key, value in update.items():
        merged.pop(key, None)
        if value is not None:
            merged[key] = value
    return merged
