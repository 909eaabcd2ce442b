"""authclient.claims on plain data: the payload shape, the validators and the 403 body."""

from __future__ import annotations

import time
from typing import Any

import pytest

from authclient import SessionConfig
from authclient.claims import (
    BooleanClaim,
    ClaimValidationError,
    ClaimValidationResult,
    PrimitiveArrayClaim,
    PrimitiveClaim,
    SessionClaimValidator,
    invalid_claim_body,
)
from authclient.errors import InvalidClaimError, SessionError


def no_fetch(*args: Any) -> None:
    return None


IsAdmin = BooleanClaim("st-adm", no_fetch)
Role = PrimitiveClaim[str]("role", no_fetch)
Roles = PrimitiveArrayClaim[str]("st-role", no_fetch)


def now_ms() -> int:
    return int(time.time() * 1000)


def stored(value: object, age_seconds: float = 0) -> dict[str, Any]:
    return {"v": value, "t": now_ms() - int(age_seconds * 1000)}


# --- the payload -----------------------------------------------------------------------------------


def test_a_value_is_stored_as_the_official_sdks_store_it() -> None:
    """add_to_payload writes {"<key>": {"v": value, "t": ms now}}."""
    before = now_ms()
    payload = IsAdmin.add_to_payload({"other": 1}, True)
    assert payload["other"] == 1
    assert payload["st-adm"]["v"] is True
    assert before <= payload["st-adm"]["t"] <= now_ms()
    assert set(payload["st-adm"]) == {"v", "t"}


def test_payload_methods_leave_their_input_alone() -> None:
    """add / remove return a new payload; the one given is unchanged."""
    payload = {"st-adm": stored(False)}
    IsAdmin.add_to_payload(payload, True)
    IsAdmin.remove_from_payload(payload)
    assert payload["st-adm"]["v"] is False


def test_removing_by_merge_sets_the_key_to_none() -> None:
    """remove_from_payload_by_merge is the update that deletes the claim when merged."""
    assert IsAdmin.remove_from_payload_by_merge({"x": 1}) == {"x": 1, "st-adm": None}


def test_remove_from_payload_drops_the_key() -> None:
    """remove_from_payload gives the payload without the claim."""
    assert IsAdmin.remove_from_payload({"st-adm": stored(True), "x": 1}) == {"x": 1}


def test_get_value_reads_v() -> None:
    """get_value_from_payload is the stored "v", None when absent or not a claim object."""
    assert Roles.get_value_from_payload({"st-role": stored(["a"])}) == ["a"]
    assert Roles.get_value_from_payload({}) is None
    assert Roles.get_value_from_payload({"st-role": "not an object"}) is None


def test_last_refetch_time_is_t() -> None:
    """get_last_refetch_time is "t", None when missing or not an integer."""
    assert Role.get_last_refetch_time({"role": {"v": "x", "t": 123}}) == 123
    assert Role.get_last_refetch_time({"role": {"v": "x", "t": "123"}}) is None
    assert Role.get_last_refetch_time({"role": {"v": "x"}}) is None


def test_build_of_none_changes_nothing() -> None:
    """A fetched None is no update; a value is stored."""
    assert Role.build(None) == {}
    assert Role.build("admin")["role"]["v"] == "admin"


@pytest.mark.parametrize("key", ["sub", "exp", "sessionHandle", "tId", "rsub"])
def test_a_core_claim_is_no_claim_key(key: str) -> None:
    """The core owns these names: a claim cannot use them."""
    with pytest.raises(ValueError, match="core's own claims"):
        BooleanClaim(key, no_fetch)


def test_a_claim_needs_a_key_and_a_function() -> None:
    """An empty key is a ValueError; a key or fetch_value of the wrong type is a TypeError."""
    with pytest.raises(ValueError, match="empty"):
        BooleanClaim("", no_fetch)
    with pytest.raises(TypeError, match="key"):
        BooleanClaim(3, no_fetch)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="fetch_value"):
        BooleanClaim("k", True)  # type: ignore[arg-type]


# --- validators ------------------------------------------------------------------------------------


def check(validator: SessionClaimValidator, payload: dict[str, Any]) -> ClaimValidationResult:
    result = validator.validate(payload, {})
    assert isinstance(result, ClaimValidationResult)
    return result


def test_is_true_passes_on_true() -> None:
    """is_true() is valid when the value is True."""
    assert check(IsAdmin.validators.is_true(), {"st-adm": stored(True)}).is_valid


def test_is_true_fails_on_false_with_the_official_reason() -> None:
    """The reason is the one the frontend SDKs read: message, expectedValue, actualValue."""
    result = check(IsAdmin.validators.is_true(), {"st-adm": stored(False)})
    assert result == ClaimValidationResult(
        False, {"message": "wrong value", "expectedValue": True, "actualValue": False}
    )


def test_a_missing_value_does_not_exist() -> None:
    """Without the claim the reason says so, with the expected value."""
    result = check(IsAdmin.validators.is_false(), {})
    assert result.reason == {
        "message": "value does not exist",
        "expectedValue": False,
        "actualValue": None,
    }


def test_true_is_not_one() -> None:
    """JSON equality: a stored 1 is not True, and True is not 1."""
    assert not check(IsAdmin.validators.is_true(), {"st-adm": stored(1)}).is_valid
    assert not check(
        PrimitiveClaim[int]("n", no_fetch).validators.has_value(1), {"n": stored(True)}
    ).is_valid
    assert check(
        PrimitiveClaim[int]("n", no_fetch).validators.has_value(1), {"n": stored(1.0)}
    ).is_valid


def test_has_value_compares_the_value() -> None:
    """has_value(v) is valid for v only."""
    validator = Role.validators.has_value("admin")
    assert check(validator, {"role": stored("admin")}).is_valid
    assert not check(validator, {"role": stored("user")}).is_valid


def test_a_value_older_than_max_age_is_expired() -> None:
    """Past max_age the reason is "expired", with the age and the maximum in seconds."""
    result = check(IsAdmin.validators.is_true(max_age=60), {"st-adm": stored(True, 120)})
    assert not result.is_valid
    assert result.reason is not None
    assert result.reason["message"] == "expired"
    assert result.reason["maxAgeInSeconds"] == 60
    assert 119 < result.reason["ageInSeconds"] < 130


def test_a_value_within_max_age_is_valid() -> None:
    """A value set 10 s ago passes max_age=60."""
    assert check(IsAdmin.validators.is_true(max_age=60), {"st-adm": stored(True, 10)}).is_valid


def test_should_refetch_when_missing_or_stale() -> None:
    """should_refetch: no value, or older than max_age; a fresh value or no max_age is kept."""
    fresh, stale = {"st-adm": stored(True, 1)}, {"st-adm": stored(True, 120)}
    with_age, without_age = IsAdmin.validators.is_true(max_age=60), IsAdmin.validators.is_true()
    assert with_age.should_refetch({}, {}) is True
    assert with_age.should_refetch(stale, {}) is True
    assert with_age.should_refetch(fresh, {}) is False
    assert without_age.should_refetch(stale, {}) is False


def test_default_max_age_applies_when_none_is_given() -> None:
    """A claim's default_max_age is its validators' max_age unless they name one."""
    claim = BooleanClaim("fresh", no_fetch, default_max_age=5)
    payload = {"fresh": stored(True, 30)}
    assert not check(claim.validators.is_true(), payload).is_valid
    assert check(claim.validators.is_true(max_age=60), payload).is_valid


def test_a_validator_id_is_the_key_unless_given() -> None:
    """The id names the validator in errors: the claim key, or the id passed."""
    assert IsAdmin.validators.is_true().id == "st-adm"
    assert IsAdmin.validators.is_true(id="admins-only").id == "admins-only"


@pytest.mark.parametrize("max_age", [-1, "60", True])
def test_a_bad_max_age_is_refused(max_age: Any) -> None:
    """max_age is a number of seconds >= 0."""
    with pytest.raises((TypeError, ValueError), match="max_age"):
        IsAdmin.validators.is_true(max_age=max_age)


@pytest.mark.parametrize(
    ("make", "roles", "valid"),
    [
        (lambda: Roles.validators.includes("admin"), ["admin", "x"], True),
        (lambda: Roles.validators.includes("admin"), ["x"], False),
        (lambda: Roles.validators.excludes("banned"), ["x"], True),
        (lambda: Roles.validators.excludes("banned"), ["banned"], False),
        (lambda: Roles.validators.includes_all(["a", "b"]), ["b", "a", "c"], True),
        (lambda: Roles.validators.includes_all(["a", "b"]), ["a"], False),
        (lambda: Roles.validators.includes_any(["a", "b"]), ["b"], True),
        (lambda: Roles.validators.includes_any(["a", "b"]), ["c"], False),
        (lambda: Roles.validators.excludes_all(["a", "b"]), ["c"], True),
        (lambda: Roles.validators.excludes_all(["a", "b"]), ["c", "b"], False),
    ],
)
def test_array_validators(make: Any, roles: list[str], valid: bool) -> None:
    """includes / excludes / includes_all / includes_any / excludes_all on a stored list."""
    assert check(make(), {"st-role": stored(roles)}).is_valid is valid


def test_array_reasons_name_what_was_expected() -> None:
    """The reasons use the official keys (expectedToInclude, expectedToNotInclude, ...)."""
    payload = {"st-role": stored(["banned"])}
    assert check(Roles.validators.includes("admin"), payload).reason == {
        "message": "wrong value",
        "expectedToInclude": "admin",
        "actualValue": ["banned"],
    }
    assert check(Roles.validators.excludes_all(["banned"]), payload).reason == {
        "message": "wrong value",
        "expectedToNotInclude": ["banned"],
        "actualValue": ["banned"],
    }
    reason = check(Roles.validators.includes_any(["a"]), payload).reason
    assert reason is not None
    assert reason["expectedToIncludeAtLeastOneOf"] == ["a"]


def test_an_array_validator_refuses_a_value_that_is_no_list() -> None:
    """A stored string is no list of roles: wrong value."""
    assert not check(Roles.validators.includes("a"), {"st-role": stored("a")}).is_valid


# --- errors and the 403 body -----------------------------------------------------------------------


def test_the_403_body_is_the_official_one() -> None:
    """invalid_claim_body gives FDI §5.4's body; a None reason is left out."""
    error = InvalidClaimError(
        [
            ClaimValidationError(
                "st-adm", {"message": "wrong value", "expectedValue": True, "actualValue": False}
            ),
            ClaimValidationError("custom"),
        ]
    )
    assert invalid_claim_body(error) == {
        "message": "invalid claim",
        "claimValidationErrors": [
            {
                "id": "st-adm",
                "reason": {"message": "wrong value", "expectedValue": True, "actualValue": False},
            },
            {"id": "custom"},
        ],
    }


def test_invalid_claim_error_is_a_session_error_naming_the_ids() -> None:
    """Callers catching SessionError see it; its message names the failed validators."""
    error = InvalidClaimError([ClaimValidationError("st-adm"), ClaimValidationError("st-role")])
    assert isinstance(error, SessionError)
    assert str(error) == "invalid claims: st-adm, st-role"
    assert [e.id for e in error.claim_validation_errors] == ["st-adm", "st-role"]


# --- SessionConfig -------------------------------------------------------------------------------


def test_global_validators_are_kept_as_a_tuple() -> None:
    """A list given to SessionConfig cannot change the config afterwards."""
    validators = [IsAdmin.validators.is_true()]
    config = SessionConfig(global_claim_validators=validators)
    validators.append(Roles.validators.includes("a"))
    assert len(config.global_claim_validators) == 1
    assert isinstance(config.global_claim_validators, tuple)


@pytest.mark.parametrize("bad", ["st-adm", [IsAdmin], 3])
def test_global_validators_must_be_validators(bad: Any) -> None:
    """Anything but a list of validators is a TypeError (a claim is not its validator)."""
    with pytest.raises(TypeError, match="global_claim_validators"):
        SessionConfig(global_claim_validators=bad)
