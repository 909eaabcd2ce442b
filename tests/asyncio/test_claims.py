"""Claims on session objects, and the claim validation of get_session, against the core."""

from __future__ import annotations

import time
from typing import Any, Optional

import pytest

from authclient._compat import ASYNC
from authclient.asyncio import (
    AsyncSession,
    AsyncSessionRecipe,
    ClaimsValidationResult,
    Overrides,
    SessionConfig,
)
from authclient.claims import (
    BooleanClaim,
    PrimitiveArrayClaim,
    PrimitiveClaim,
    SessionClaimValidator,
)
from authclient.errors import ClaimValidationError, InvalidClaimError
from tests.asyncio.conftest import AppClient, new_user_id

if ASYNC:
    pytestmark = pytest.mark.anyio

REGENERATE = "POST /recipe/session/regenerate"


class Fetcher:
    """A fetch_value that returns ``value`` and records every call's arguments."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.calls: list[tuple[Any, ...]] = []

    def __call__(
        self,
        user_id: str,
        recipe_user_id: str,
        tenant_id: str,
        payload: dict[str, Any],
        user_context: dict[str, Any],
    ) -> Any:
        self.calls.append((user_id, recipe_user_id, tenant_id, payload, user_context))
        return self.value


def stale(value: object, seconds: float) -> dict[str, Any]:
    return {"v": value, "t": int(time.time() * 1000) - int(seconds * 1000)}


async def test_fetch_and_set_claim_puts_the_value_into_a_new_access_token(
    app_client: AppClient,
) -> None:
    """The fetched value is in a regenerated token, stored with its v and t."""
    is_admin = BooleanClaim("is_admin", Fetcher(True))
    async with app_client() as (client, calls):
        session = await client.create_new_session(new_user_id("amy"))
        old_token = session.tokens.access_token
        await session.fetch_and_set_claim(is_admin)
        assert calls[-1] == REGENERATE
        assert session.tokens.access_token_updated
        assert session.tokens.access_token != old_token
        verified = await client.get_session(session.tokens.access_token)
        assert await verified.get_claim_value(is_admin) is True
        assert set(verified.access_token_payload["is_admin"]) == {"v", "t"}


async def test_fetch_value_gets_the_session_and_the_same_user_context(
    app_client: AppClient,
) -> None:
    """fetch_value(user_id, recipe_user_id, tenant_id, payload, user_context), context by identity."""
    fetch = Fetcher("editor")
    role = PrimitiveClaim("role", fetch)
    context = {"request_id": "r1"}
    async with app_client() as (client, _):
        user = new_user_id("ben")
        session = await client.create_new_session(user, {"theme": "dark"})
        await session.fetch_and_set_claim(role, context)
    [(user_id, recipe_user_id, tenant_id, payload, user_context)] = fetch.calls
    assert (user_id, recipe_user_id, tenant_id, payload) == (
        user,
        user,
        "public",
        {"theme": "dark"},
    )
    assert user_context is context


async def test_a_fetched_none_changes_nothing(app_client: AppClient) -> None:
    """fetch_value returning None: the payload stays, and the core is not asked."""
    async with app_client() as (client, calls):
        session = await client.create_new_session(new_user_id("cy"))
        before = list(calls)
        await session.fetch_and_set_claim(BooleanClaim("is_admin", Fetcher(None)))
        assert calls == before
        assert session.access_token_payload == {}


async def test_set_get_and_remove_a_claim_value(app_client: AppClient) -> None:
    """set_claim_value, get_claim_value and remove_claim, seen again after a verification."""
    roles = PrimitiveArrayClaim("roles", Fetcher(None))
    async with app_client() as (client, _):
        session = await client.create_new_session(new_user_id("di"), {"keep": 1})
        await session.set_claim_value(roles, ["admin", "staff"])
        assert await session.get_claim_value(roles) == ["admin", "staff"]
        again = await client.get_session(session.tokens.access_token)
        assert await again.get_claim_value(roles) == ["admin", "staff"]
        await again.remove_claim(roles)
        assert await again.get_claim_value(roles) is None
        assert again.access_token_payload == {"keep": 1}


async def test_assert_claims_passes_on_fresh_values_without_a_core_call(
    app_client: AppClient,
) -> None:
    """Fresh valid values: nothing is fetched, nothing sent to the core."""
    fetch = Fetcher(True)
    is_admin = BooleanClaim("is_admin", fetch)
    async with app_client() as (client, calls):
        session = await client.create_new_session(new_user_id("ed"))
        await session.set_claim_value(is_admin, True)
        fetch.calls.clear()
        before = list(calls)
        await session.assert_claims([is_admin.validators.is_true(max_age=300)])
        assert calls == before
        assert fetch.calls == []


async def test_assert_claims_raises_with_every_failed_validator(app_client: AppClient) -> None:
    """InvalidClaimError lists each failed validator with the official reason."""
    is_admin = BooleanClaim("st-adm", Fetcher(None))
    roles = PrimitiveArrayClaim("st-role", Fetcher(None))
    async with app_client() as (client, _):
        session = await client.create_new_session(new_user_id("flo"))
        await session.set_claim_value(is_admin, False)
        await session.set_claim_value(roles, ["user"])
        with pytest.raises(InvalidClaimError) as raised:
            await session.assert_claims(
                [is_admin.validators.is_true(), roles.validators.includes("admin")]
            )
    assert raised.value.claim_validation_errors == [
        ClaimValidationError(
            "st-adm", {"message": "wrong value", "expectedValue": True, "actualValue": False}
        ),
        ClaimValidationError(
            "st-role",
            {"message": "wrong value", "expectedToInclude": "admin", "actualValue": ["user"]},
        ),
    ]


async def test_a_stale_value_is_refetched_once(app_client: AppClient) -> None:
    """Older than max_age: fetched again, once, stored in a new token, then validated."""
    fetch = Fetcher(True)
    is_admin = BooleanClaim("is_admin", fetch)
    async with app_client() as (client, calls):
        session = await client.create_new_session(
            new_user_id("gus"), {"is_admin": stale(False, 600)}
        )
        validators = [
            is_admin.validators.is_true(max_age=60),
            is_admin.validators.is_true(max_age=60),
        ]
        await session.assert_claims(validators)
        assert len(fetch.calls) == 1
        assert calls.count(REGENERATE) == 1
        verified = await client.get_session(session.tokens.access_token)
        assert await verified.get_claim_value(is_admin) is True
        assert is_admin.get_last_refetch_time(verified.access_token_payload) is not None


async def test_a_missing_value_is_fetched_and_kept_even_when_invalid(app_client: AppClient) -> None:
    """The fetched value goes into the token; the validator then judges it."""
    is_admin = BooleanClaim("is_admin", Fetcher(False))
    async with app_client() as (client, _):
        session = await client.create_new_session(new_user_id("hal"))
        with pytest.raises(InvalidClaimError):
            await session.assert_claims([is_admin.validators.is_true()])
        assert await session.get_claim_value(is_admin) is False
        assert session.tokens.access_token_updated


async def test_a_stale_value_that_cannot_be_refetched_is_expired(app_client: AppClient) -> None:
    """A stale value whose fetch gives None stays, and fails as expired."""
    is_admin = BooleanClaim("is_admin", Fetcher(None))
    async with app_client() as (client, _):
        session = await client.create_new_session(
            new_user_id("ida"), {"is_admin": stale(True, 600)}
        )
        with pytest.raises(InvalidClaimError) as raised:
            await session.assert_claims([is_admin.validators.is_true(max_age=60)])
    [error] = raised.value.claim_validation_errors
    assert error.reason is not None
    assert error.reason["message"] == "expired"


async def test_get_session_applies_the_global_validators(app_client: AppClient) -> None:
    """SessionConfig.global_claim_validators: get_session raises InvalidClaimError on failure."""
    is_admin = BooleanClaim("is_admin", Fetcher(None))
    config = SessionConfig(global_claim_validators=[is_admin.validators.is_true()])
    async with app_client(session=config) as (client, _):
        admin = await client.create_new_session(new_user_id("jo"), {"is_admin": stale(True, 1)})
        user = await client.create_new_session(new_user_id("kim"), {"is_admin": stale(False, 1)})
        assert (await client.get_session(admin.tokens.access_token)).handle == admin.handle
        with pytest.raises(InvalidClaimError) as raised:
            await client.get_session(user.tokens.access_token)
    assert [e.id for e in raised.value.claim_validation_errors] == ["is_admin"]


async def test_override_global_claim_validators_sees_validators_session_and_context(
    app_client: AppClient,
) -> None:
    """The override gets the global validators, the session and the call's user_context."""
    is_admin = BooleanClaim("is_admin", Fetcher(None))
    config = SessionConfig(global_claim_validators=[is_admin.validators.is_true()])
    seen: list[tuple[list[SessionClaimValidator], AsyncSession, dict[str, Any]]] = []

    def none_needed(
        validators: list[SessionClaimValidator], session: AsyncSession, user_context: dict[str, Any]
    ) -> list[SessionClaimValidator]:
        seen.append((validators, session, user_context))
        return []

    context: dict[str, Any] = {"path": "/public"}
    async with app_client(session=config) as (client, _):
        created = await client.create_new_session(new_user_id("lu"))
        session = await client.get_session(
            created.tokens.access_token,
            override_global_claim_validators=none_needed,
            user_context=context,
        )
    [(validators, given, user_context)] = seen
    assert [v.id for v in validators] == ["is_admin"]
    assert given is session
    assert user_context is context


async def test_get_global_claim_validators_can_be_overridden(app_client: AppClient) -> None:
    """A recipe subclass decides the global validators per tenant and user."""
    is_admin = BooleanClaim("is_admin", Fetcher(None))

    class AdminsOnly(AsyncSessionRecipe):
        async def get_global_claim_validators(
            self, tenant_id: str, user_id: str, recipe_user_id: str, user_context: dict[str, Any]
        ) -> list[SessionClaimValidator]:
            return [] if user_id.startswith("root") else [is_admin.validators.is_true()]

    overrides = Overrides(session=AdminsOnly.from_original)
    async with app_client(overrides=overrides) as (client, _):
        root = await client.create_new_session(new_user_id("root"))
        other = await client.create_new_session(new_user_id("max"))
        assert (await client.get_session(root.tokens.access_token)).handle == root.handle
        with pytest.raises(InvalidClaimError):
            await client.get_session(other.tokens.access_token)


async def test_assert_claims_goes_through_an_overridden_validate_claims(
    app_client: AppClient,
) -> None:
    """session.assert_claims asks the (overridden) recipe's validate_claims."""
    seen: list[list[SessionClaimValidator]] = []

    class Auditing(AsyncSessionRecipe):
        async def validate_claims(
            self,
            user_id: str,
            recipe_user_id: str,
            tenant_id: str,
            access_token_payload: dict[str, Any],
            claim_validators: Any,
            user_context: dict[str, Any],
        ) -> ClaimsValidationResult:
            seen.append(list(claim_validators))
            return ClaimsValidationResult([])

    is_admin = BooleanClaim("is_admin", Fetcher(None))
    async with app_client(overrides=Overrides(session=Auditing.from_original)) as (client, _):
        session = await client.create_new_session(new_user_id("ned"))
        await session.assert_claims([is_admin.validators.is_true()])  # the override says valid
    assert [[v.id for v in validators] for validators in seen] == [["is_admin"]]


async def test_getters_are_methods_too(app_client: AppClient) -> None:
    """get_user_id() and the other getters return the session's attributes."""
    context: Optional[dict[str, Any]] = {"k": 1}
    async with app_client() as (client, _):
        session = await client.create_new_session(new_user_id("ola"), {"p": 1})
        assert session.get_user_id(context) == session.user_id
        assert session.get_recipe_user_id() == session.recipe_user_id
        assert session.get_tenant_id() == "public"
        assert session.get_handle() == session.handle
        assert session.get_access_token() == session.tokens.access_token
        assert session.get_access_token_payload() == {"p": 1}
        assert session.get_all_session_tokens_dangerously() is session.tokens
