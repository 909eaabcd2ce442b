"""Session claims between authclient and the official supertokens-node SDK, both ways.

supertokens-node runs in a Node.js process (``tests/node_interop/claims.js``) against a local
core served over real HTTP; authclient's sync client uses the same core. Install the SDK with
``npm install`` in ``tests/node_interop`` (Node 20+); without it this module is skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from authclient.claims import BooleanClaim, PrimitiveArrayClaim, invalid_claim_body
from authclient.errors import InvalidClaimError
from authclient.localcore import start_in_thread
from authclient.syncio import ClaimValueResult, Client
from tests.node_sdk import NOT_INSTALLED, node_caller, node_executable

NODE = node_executable()
if NODE is None:
    pytest.skip(NOT_INSTALLED, allow_module_level=True)


def never(*args: Any) -> None:
    return None


IsAdmin = BooleanClaim("st-adm", never)
Roles = PrimitiveArrayClaim[str]("st-role", never)


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


@pytest.fixture(scope="module")
def client(core_url: str) -> Iterator[Client]:
    with Client(core_url) as authclient:
        yield authclient


@pytest.fixture
def node(core_url: str) -> Any:
    """``node(operation, **argument)``: one operation of supertokens-node, its JSON answer."""
    return node_caller(NODE, "claims.js", core_url)


@pytest.fixture
def user_id() -> str:
    return f"node-{uuid.uuid4()}"


def test_claims_set_by_node_are_read_and_validated_by_authclient(
    client: Client, node: Any, user_id: str
) -> None:
    """Values node's session set are authclient's typed values, valid and fresh."""
    created = node("create", userId=user_id, isAdmin=True, roles=["admin", "staff"])
    session = client.get_session(created["accessToken"])
    assert session.get_claim_value(IsAdmin) is True
    assert session.get_claim_value(Roles) == ["admin", "staff"]
    session.assert_claims(
        [IsAdmin.validators.is_true(max_age=60), Roles.validators.includes_all(["staff"])]
    )
    assert not session.tokens.access_token_updated  # fresh values: nothing refetched


def test_claims_set_by_authclient_are_read_and_validated_by_node(
    client: Client, node: Any, user_id: str
) -> None:
    """Values authclient set are read by node and pass its validators without a refetch."""
    session = client.create_new_session(user_id)
    session.set_claim_value(IsAdmin, True)
    session.set_claim_value(Roles, ["admin"])
    read = node("read", accessToken=session.tokens.access_token)
    assert (read["isAdmin"], read["roles"]) == (True, ["admin"])
    assert set(read["payload"]["st-adm"]) == {"v", "t"}
    checked = node(
        "assert",
        accessToken=session.tokens.access_token,
        validators=[["isTrue", 60], ["includes", "admin"]],
    )
    assert checked == {"valid": True, "updated": False}


def test_the_403_errors_are_nodes(client: Client, node: Any, user_id: str) -> None:
    """The same failed validators: authclient's claimValidationErrors equal supertokens-node's."""
    session = client.create_new_session(user_id)
    session.set_claim_value(IsAdmin, False)
    session.set_claim_value(Roles, ["user"])
    theirs = node(
        "assert",
        accessToken=session.tokens.access_token,
        validators=[["isTrue", None], ["includes", "admin"], ["excludesAll", ["user"]]],
    )
    with pytest.raises(InvalidClaimError) as ours:
        session.assert_claims(
            [
                IsAdmin.validators.is_true(),
                Roles.validators.includes("admin"),
                Roles.validators.excludes_all(["user"]),
            ]
        )
    assert theirs["valid"] is False
    assert (
        invalid_claim_body(ours.value)["claimValidationErrors"] == theirs["claimValidationErrors"]
    )


def test_claims_by_handle_cross_both_ways(client: Client, node: Any, user_id: str) -> None:
    """set_claim_value by handle on one side is get_claim_value by handle on the other."""
    handle = client.create_new_session(user_id).handle
    assert client.set_claim_value(handle, Roles, ["a", "b"])
    assert node("getByHandle", handle=handle) == {
        "status": "OK",
        "isAdmin": None,
        "roles": ["a", "b"],
    }

    assert node("setByHandle", handle=handle, isAdmin=True, roles=["c"]) == {
        "isAdmin": True,
        "roles": True,
    }
    assert client.get_claim_value(handle, IsAdmin) == ClaimValueResult(True)
    assert client.get_claim_value(handle, Roles) == ClaimValueResult(["c"])
