"""The official supertokens-python SDK against the local core, side by side with authclient.

The SDK talks to a local core served over real HTTP, as it would to the real core; whatever
one side writes (metadata, sessions, tokens), the other must read. The nox ``tests`` session
installs the SDK when it can; without it this module is skipped.

Session claims cross too: a claim authclient sets is read and validated by the SDK, and back.

The SDK keeps its configuration in globals: the ``sdk`` fixture initialises it for one test and
resets it afterwards, so nothing of it leaks into the rest of the suite.
"""
# The official SDK types its sessions as Optional and its claim results loosely: these
# checks are relaxed for this file only.
# mypy: disable-error-code="union-attr,misc,no-untyped-call"
# pyright: reportOptionalMemberAccess=false, reportAttributeAccessIssue=false, reportUnknownMemberType=false, reportUnknownVariableType=false, reportUnknownArgumentType=false, reportUnknownLambdaType=false

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any, Final, TypeVar

import pytest

from authclient.claims import BooleanClaim, PrimitiveArrayClaim, invalid_claim_body
from authclient.errors import InvalidClaimError, TokenTheftError, UnauthorisedError
from authclient.localcore import start_in_thread
from authclient.syncio import ClaimValueResult, Client, SessionConfig

pytest.importorskip(
    "supertokens_python", reason="supertokens-python could not be installed in this environment"
)

from supertokens_python import InputAppInfo, Supertokens, SupertokensConfig, init
from supertokens_python.post_init_callbacks import PostSTInitCallbacks
from supertokens_python.process_state import ProcessState
from supertokens_python.recipe import session, usermetadata
from supertokens_python.recipe.session import asyncio as st_session
from supertokens_python.recipe.session import exceptions as st_errors
from supertokens_python.recipe.usermetadata import asyncio as st_metadata
from supertokens_python.recipe_module import RecipeModule
from supertokens_python.types import RecipeUserId

T = TypeVar("T")

# Header-based sessions on both sides: no anti-CSRF token, rotating signing keys.
ANTI_CSRF: Final = "NONE"
DYNAMIC_SIGNING_KEY: Final = True


def run(call: Coroutine[Any, Any, T]) -> T:
    """One call of the SDK's async API (it opens an httpx client per request: no loop state)."""
    return asyncio.run(call)


def tokens_of(sdk_session: Any) -> dict[str, Any]:
    """accessToken, refreshToken, accessAndFrontTokenUpdated, ... of an SDK session."""
    return dict(sdk_session.get_all_session_tokens_dangerously())


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


@pytest.fixture(scope="module")
def client(core_url: str) -> Iterator[Client]:
    config = SessionConfig(
        anti_csrf=ANTI_CSRF, use_dynamic_access_token_signing_key=DYNAMIC_SIGNING_KEY
    )
    with Client(core_url, session=config) as authclient:
        yield authclient


@pytest.fixture
def sdk(core_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The SDK initialised against the local core for one test, and reset after it."""
    monkeypatch.setenv("SUPERTOKENS_ENV", "testing")  # the SDK's reset() functions require it
    try:
        init(
            # localhost domains: the SDK then skips its public-suffix lookup (a download)
            app_info=InputAppInfo(
                app_name="interop",
                api_domain="http://localhost:8000",
                website_domain="http://localhost:3000",
            ),
            supertokens_config=SupertokensConfig(connection_uri=core_url),
            # Only a name: the *_without_request_response functions need no web framework.
            framework="fastapi",
            mode="asgi",
            recipe_list=[
                session.init(
                    anti_csrf=ANTI_CSRF,
                    use_dynamic_access_token_signing_key=DYNAMIC_SIGNING_KEY,
                ),
                usermetadata.init(),
            ],
            telemetry=False,
        )
        yield
    finally:
        reset_sdk()


def reset_sdk() -> None:
    """Forget everything init() set up, as the SDK's own tests do between tests.

    init() also makes recipes it was not given (jwt, openid, multitenancy, ...): reset every
    recipe class loaded. SessionRecipe.reset() also drops the module-level JWKS cache.
    """
    pending = list(RecipeModule.__subclasses__())
    while pending:
        recipe = pending.pop()
        pending.extend(recipe.__subclasses__())
        if "reset" in vars(recipe):
            recipe.reset()  # type: ignore[attr-defined]
    # Unannotated in the SDK. Supertokens.reset() also drops the Querier: the next init()
    # negotiates the CDI version again.
    Supertokens.reset()
    PostSTInitCallbacks.reset()
    ProcessState.get_instance().reset()


@pytest.fixture
def user_id() -> str:
    return f"interop-{uuid.uuid4()}"


@pytest.mark.usefixtures("sdk")
def test_metadata_written_by_one_is_read_by_the_other(client: Client, user_id: str) -> None:
    run(st_metadata.update_user_metadata(user_id, {"role": "admin", "prefs": {"theme": "dark"}}))
    assert client.get_user_metadata(user_id).metadata == {
        "role": "admin",
        "prefs": {"theme": "dark"},
    }

    # The core's merge: shallow, None deletes a key, a nested value replaces the old one whole.
    merged = client.update_user_metadata(user_id, {"role": None, "prefs": {"lang": "en"}, "n": 1})
    expected = {"prefs": {"lang": "en"}, "n": 1}
    assert merged.metadata == expected
    assert run(st_metadata.get_user_metadata(user_id)).metadata == expected

    run(st_metadata.clear_user_metadata(user_id))
    assert client.get_user_metadata(user_id).metadata == {}

    client.update_user_metadata(user_id, {"again": True})
    assert run(st_metadata.get_user_metadata(user_id)).metadata == {"again": True}
    client.clear_user_metadata(user_id)
    assert run(st_metadata.get_user_metadata(user_id)).metadata == {}


@pytest.mark.usefixtures("sdk")
def test_sdk_session_verifies_and_refreshes_in_authclient(client: Client, user_id: str) -> None:
    created = run(
        st_session.create_new_session_without_request_response(
            "public", RecipeUserId(user_id), {"role": "admin"}, {"cart": 1}
        )
    )
    handle = created.get_handle()
    tokens = tokens_of(created)

    verified = client.get_session(tokens["accessToken"])  # locally, against the JWKS
    assert verified is not None
    assert (verified.handle, verified.user_id) == (handle, user_id)
    assert verified.access_token_payload["role"] == "admin"
    assert not verified.tokens.access_token_updated
    checked = client.get_session(tokens["accessToken"], check_database=True)
    assert checked is not None
    assert checked.handle == handle

    refreshed = client.refresh_session(tokens["refreshToken"])
    assert refreshed.handle == handle
    assert refreshed.tokens.refresh_token not in (None, tokens["refreshToken"])
    assert refreshed.access_token_payload["role"] == "admin"

    # First use of the refreshed token: the SDK asks the core, which mints a new access token.
    used = run(st_session.get_session_without_request_response(refreshed.tokens.access_token))
    assert used is not None
    assert (used.get_handle(), used.get_user_id()) == (handle, user_id)
    assert used.get_access_token_payload()["role"] == "admin"
    new_tokens = tokens_of(used)
    assert new_tokens["accessAndFrontTokenUpdated"]
    assert new_tokens["accessToken"] != refreshed.tokens.access_token
    again = client.get_session(new_tokens["accessToken"])
    assert again is not None
    assert again.handle == handle


@pytest.mark.usefixtures("sdk")
def test_authclient_session_verifies_and_refreshes_in_sdk(client: Client, user_id: str) -> None:
    created = client.create_new_session(user_id, {"role": "admin"}, {"cart": 1})
    assert created.tokens.refresh_token is not None

    verified = run(st_session.get_session_without_request_response(created.tokens.access_token))
    assert verified is not None
    assert (verified.get_handle(), verified.get_user_id()) == (created.handle, user_id)
    assert verified.get_access_token_payload()["role"] == "admin"
    assert not tokens_of(verified)["accessAndFrontTokenUpdated"]
    checked = run(
        st_session.get_session_without_request_response(
            created.tokens.access_token, check_database=True
        )
    )
    assert checked is not None
    assert checked.get_handle() == created.handle

    refreshed = run(
        st_session.refresh_session_without_request_response(created.tokens.refresh_token)
    )
    assert refreshed.get_handle() == created.handle
    new_tokens = tokens_of(refreshed)
    assert new_tokens["refreshToken"] not in (None, created.tokens.refresh_token)

    # First use of the refreshed token: authclient asks the core for a new access token.
    used = client.get_session(new_tokens["accessToken"])
    assert used is not None
    assert (used.handle, used.user_id) == (created.handle, user_id)
    assert used.access_token_payload["role"] == "admin"
    assert used.tokens.access_token_updated
    assert used.tokens.access_token != new_tokens["accessToken"]
    again = run(st_session.get_session_without_request_response(used.tokens.access_token))
    assert again is not None
    assert again.get_handle() == created.handle


@pytest.mark.usefixtures("sdk")
def test_session_revoked_by_authclient_is_gone_for_the_sdk(client: Client, user_id: str) -> None:
    created = run(
        st_session.create_new_session_without_request_response("public", RecipeUserId(user_id))
    )
    tokens = tokens_of(created)

    assert client.revoke_session(created.get_handle())

    with pytest.raises(st_errors.UnauthorisedError):
        run(
            st_session.get_session_without_request_response(
                tokens["accessToken"], check_database=True
            )
        )
    with pytest.raises(st_errors.UnauthorisedError):
        run(st_session.refresh_session_without_request_response(tokens["refreshToken"]))


@pytest.mark.usefixtures("sdk")
def test_session_revoked_by_the_sdk_is_gone_for_authclient(client: Client, user_id: str) -> None:
    created = client.create_new_session(user_id)
    assert created.tokens.refresh_token is not None

    assert run(st_session.revoke_session(created.handle))

    with pytest.raises(UnauthorisedError):
        client.get_session(created.tokens.access_token, check_database=True)
    with pytest.raises(UnauthorisedError):
        client.refresh_session(created.tokens.refresh_token)


@pytest.mark.usefixtures("sdk")
def test_reusing_a_refresh_token_the_sdk_rotated_is_theft_in_authclient(
    client: Client, user_id: str
) -> None:
    created = run(
        st_session.create_new_session_without_request_response("public", RecipeUserId(user_id))
    )
    first = tokens_of(created)["refreshToken"]
    second = tokens_of(run(st_session.refresh_session_without_request_response(first)))
    # Refreshing with the second token confirms it: the first one is now spent.
    third = tokens_of(
        run(st_session.refresh_session_without_request_response(second["refreshToken"]))
    )

    with pytest.raises(TokenTheftError) as theft:
        client.refresh_session(first)
    assert theft.value.session_handle == created.get_handle()
    assert theft.value.user_id == user_id

    # At CDI 5.4 the core only reports the theft: the session lives on until the caller revokes
    # it (the SDK's default theft handler does), by the handle the error carries.
    alive = run(
        st_session.get_session_without_request_response(third["accessToken"], check_database=True)
    )
    assert alive is not None
    assert alive.get_handle() == created.get_handle()
    assert client.revoke_session(theft.value.session_handle)
    with pytest.raises(st_errors.UnauthorisedError):
        run(
            st_session.get_session_without_request_response(
                third["accessToken"], check_database=True
            )
        )
    with pytest.raises(st_errors.UnauthorisedError):
        run(st_session.refresh_session_without_request_response(third["refreshToken"]))


# --- session claims: the payload is the official SDKs' ({"<key>": {"v": value, "t": ms}}) -------


def st_claims() -> tuple[Any, Any]:
    """The SDK's BooleanClaim and PrimitiveArrayClaim classes."""
    from supertokens_python.recipe.session.claim_base_classes.boolean_claim import BooleanClaim
    from supertokens_python.recipe.session.claim_base_classes.primitive_array_claim import (
        PrimitiveArrayClaim,
    )

    return BooleanClaim, PrimitiveArrayClaim


def never(*args: Any) -> None:
    return None


@pytest.mark.usefixtures("sdk")
def test_claims_set_by_authclient_are_read_and_validated_by_the_sdk(
    client: Client, user_id: str
) -> None:
    """Claims authclient set are the SDK's claim values and pass its validators unrefetched."""
    st_boolean, st_array = st_claims()
    created = client.create_new_session(user_id)
    created.set_claim_value(BooleanClaim("st-adm", never), True)
    created.fetch_and_set_claim(PrimitiveArrayClaim("st-role", lambda *args: ["admin", "staff"]))

    seen = run(st_session.get_session_without_request_response(created.tokens.access_token))
    is_admin, roles = st_boolean("st-adm", never), st_array("st-role", never)
    assert run(seen.get_claim_value(is_admin)) is True
    assert run(seen.get_claim_value(roles)) == ["admin", "staff"]
    run(seen.assert_claims([is_admin.validators.is_true(60), roles.validators.includes("staff")]))
    assert not tokens_of(seen)["accessAndFrontTokenUpdated"]  # fresh values: nothing refetched


@pytest.mark.usefixtures("sdk")
def test_claims_set_by_the_sdk_are_read_and_validated_by_authclient(
    client: Client, user_id: str
) -> None:
    """Claims the SDK set are authclient's typed values; a failure gives the official body."""
    st_boolean, st_array = st_claims()
    created = run(
        st_session.create_new_session_without_request_response("public", RecipeUserId(user_id))
    )
    run(created.set_claim_value(st_boolean("st-adm", never), False))
    run(created.set_claim_value(st_array("st-role", never), ["user"]))

    session = client.get_session(tokens_of(created)["accessToken"])
    is_admin, roles = BooleanClaim("st-adm", never), PrimitiveArrayClaim[str]("st-role", never)
    assert session.get_claim_value(is_admin) is False
    assert session.get_claim_value(roles) == ["user"]
    session.assert_claims(
        [is_admin.validators.is_false(max_age=60), roles.validators.excludes("admin")]
    )
    with pytest.raises(InvalidClaimError) as raised:
        session.assert_claims([is_admin.validators.is_true()])
    assert invalid_claim_body(raised.value) == {
        "message": "invalid claim",
        "claimValidationErrors": [
            {
                "id": "st-adm",
                "reason": {"message": "wrong value", "expectedValue": True, "actualValue": False},
            }
        ],
    }


@pytest.mark.usefixtures("sdk")
def test_invalid_claim_reasons_match_the_sdks(client: Client, user_id: str) -> None:
    """The same failed validators give the SDK's and authclient's 403 body the same errors."""
    st_boolean, st_array = st_claims()
    created = client.create_new_session(user_id)
    created.set_claim_value(BooleanClaim("st-adm", never), False)
    created.set_claim_value(PrimitiveArrayClaim("st-role", never), ["user"])
    st_is_admin, st_roles = st_boolean("st-adm", never), st_array("st-role", never)
    seen = run(st_session.get_session_without_request_response(created.tokens.access_token))
    with pytest.raises(st_errors.InvalidClaimsError) as theirs:
        run(
            seen.assert_claims(
                [
                    st_is_admin.validators.is_true(None),
                    st_roles.validators.includes("admin"),
                    st_roles.validators.excludes_all(["user"]),
                ]
            )
        )
    is_admin, roles = BooleanClaim("st-adm", never), PrimitiveArrayClaim[str]("st-role", never)
    with pytest.raises(InvalidClaimError) as ours:
        created.assert_claims(
            [
                is_admin.validators.is_true(),
                roles.validators.includes("admin"),
                roles.validators.excludes_all(["user"]),
            ]
        )
    expected = [error.to_json() for error in theirs.value.payload]
    assert invalid_claim_body(ours.value)["claimValidationErrors"] == expected


@pytest.mark.usefixtures("sdk")
def test_a_stale_sdk_claim_is_refetched_by_authclient(client: Client, user_id: str) -> None:
    """A value the SDK stamped long ago is older than max_age for authclient: refetched once."""
    created = run(
        st_session.create_new_session_without_request_response(
            "public",
            RecipeUserId(user_id),
            {"st-adm": {"v": False, "t": int(time.time() * 1000) - 600_000}},
        )
    )
    fetched: list[str] = []

    def fetch(user: str, *rest: Any) -> bool:
        fetched.append(user)
        return True

    session = client.get_session(tokens_of(created)["accessToken"])
    session.assert_claims([BooleanClaim("st-adm", fetch).validators.is_true(max_age=60)])
    assert fetched == [user_id]
    st_boolean, _ = st_claims()
    again = run(st_session.get_session_without_request_response(session.tokens.access_token))
    run(again.assert_claims([st_boolean("st-adm", never).validators.is_true(60)]))


@pytest.mark.usefixtures("sdk")
def test_claims_by_handle_cross_both_ways(client: Client, user_id: str) -> None:
    """By-handle set / get / remove on one side is seen by the other."""
    st_boolean, st_array = st_claims()
    handle = client.create_new_session(user_id).handle
    assert client.set_claim_value(handle, PrimitiveArrayClaim("st-role", never), ["a", "b"])
    theirs = run(st_session.get_claim_value(handle, st_array("st-role", never)))
    assert theirs.value == ["a", "b"]

    assert run(st_session.set_claim_value(handle, st_boolean("st-adm", never), True))
    assert client.get_claim_value(handle, BooleanClaim("st-adm", never)) == ClaimValueResult(True)

    assert client.remove_claim(handle, PrimitiveArrayClaim("st-role", never))
    assert run(st_session.get_claim_value(handle, st_array("st-role", never))).value is None
