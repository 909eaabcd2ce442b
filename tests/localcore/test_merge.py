"""The one shallow-merge rule (CDI.md §2), used by the core's metadata and the client's payload."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from authclient._protocol.merge import shallow_merge
from authclient._protocol.session import merge_payload
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client
from tests.localcore._helpers import ok

# PY tests/usermetadata/test_metadata.py::test_usermetadata_recipe_shallow_merge
STORED = {"updated": {"a": "x", "b": "y", "c": "z"}, "cleared": "…"}
UPDATE = {"updated": {"a": None, "c": 123, "n": "v"}, "cleared": None, "new": "r"}
MERGED = {"updated": {"a": None, "c": 123, "n": "v"}, "new": "r"}


def test_the_cdi_example() -> None:
    """Top-level None deletes, nested objects are replaced whole, nested None is kept."""
    assert shallow_merge(STORED, UPDATE) == MERGED


def test_stored_none_values_survive() -> None:
    """Only the update's None deletes: a None already stored stays (as in the official SDK)."""
    assert shallow_merge({"a": None, "b": 1}, {"b": 2}) == {"a": None, "b": 2}
    assert shallow_merge({"a": None}, {"a": None}) == {}


def test_the_arguments_are_not_changed() -> None:
    """The result is a new dict."""
    stored, update = {"a": 1, "b": 2}, {"a": None}
    assert shallow_merge(stored, update) == {"b": 2}
    assert (stored, update) == ({"a": 1, "b": 2}, {"a": None})


def test_an_updated_key_moves_to_the_end() -> None:
    """As the core does it (remove, then add back)."""
    assert list(shallow_merge({"a": 1, "b": 2}, {"a": 3})) == ["b", "a"]


@pytest.mark.parametrize(
    ("stored", "update"),
    [
        (STORED, UPDATE),
        ({"a": 1, "b": {"c": None}}, {"b": None, "c": [None]}),
        ({"role": "x"}, {}),
        ({}, {"x": {"y": None}}),
    ],
)
def test_client_and_core_merge_alike(
    http: httpx.Client, user_id: str, stored: dict[str, Any], update: dict[str, Any]
) -> None:
    """The client's payload merge equals what the core answers for the same metadata merge."""
    ok(http.put("/recipe/user/metadata", json={"userId": user_id, "metadataUpdate": stored}))
    body = {"userId": user_id, "metadataUpdate": update}
    core_merged = ok(http.put("/recipe/user/metadata", json=body))["metadata"]
    assert core_merged == merge_payload(stored, update) == shallow_merge(stored, update)


def test_a_stored_none_in_a_session_payload_survives_a_merge(core: LocalCore) -> None:
    """``merge_into_access_token_payload`` keeps the payload's own None values."""
    with httpx.Client(transport=LocalCoreTransport(core)) as http:
        with Client("http://localcore", http_client=http) as authclient:
            session = authclient.create_new_session("merger", {"kept": None, "b": 1})
            handle = session.handle
            assert authclient.merge_into_access_token_payload(handle, {"b": None, "c": 2})
            info = authclient.get_session_information(handle)
            assert info is not None
            assert info.custom_claims_in_access_token_payload == {"kept": None, "c": 2}
            # The session object merges into the payload of its own token.
            session.merge_into_access_token_payload({"b": None, "d": 3})
            assert session.access_token_payload == {"kept": None, "d": 3}
