"""Session claims: typed values in the access-token payload, and validators that check them.

Shared by both flavors and I/O-free. A claim is stored as the official SDKs store it, so a claim
set here is read by supertokens-python and supertokens-node, and back::

    {"<key>": {"v": <value>, "t": <when it was set, ms since the epoch>}}

``fetch_value(user_id, recipe_user_id, tenant_id, current_payload, user_context)`` gives a
claim's current value (``None``: leave the payload alone). In ``authclient.asyncio`` it may be a
plain or an ``async`` function; in ``authclient.syncio`` it must be plain (an awaitable result is
a ``TypeError``: authclient never runs an event loop for you). The session methods and recipe
functions that use claims are in each flavor (``session.fetch_and_set_claim(IsAdmin)``, ...).

A validator checks a payload. When its value is missing or older than ``max_age`` seconds, a
session's ``assert_claims`` refetches it once (a new access token) before validating.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, Callable, Generic, Optional, TypeVar, Union, cast

import attrs

from authclient import errors
from authclient._protocol import tokens
from authclient.errors import ClaimValidationError

__all__ = [
    "BooleanClaim",
    "BooleanClaimValidators",
    "ClaimValidationError",
    "ClaimValidationResult",
    "FetchValue",
    "JSONPrimitive",
    "MaybeAwaitable",
    "PrimitiveArrayClaim",
    "PrimitiveArrayClaimValidators",
    "PrimitiveClaim",
    "PrimitiveClaimValidators",
    "SessionClaim",
    "SessionClaimValidator",
    "invalid_claim_body",
]

_T = TypeVar("_T")
JSONPrimitive = Union[str, int, float, bool]
"""What a primitive claim holds: a JSON string, number or boolean."""
_P = TypeVar("_P", bound=JSONPrimitive)
MaybeAwaitable = Union[_T, Awaitable[_T]]
"""A value, or (in the async flavor only) an awaitable of it."""
FetchValue = Callable[[str, str, str, dict[str, Any], dict[str, Any]], MaybeAwaitable[Optional[_T]]]
"""``fetch_value(user_id, recipe_user_id, tenant_id, current_payload, user_context)``."""


# Claims are shared objects that belong to no client, so their clock is the module's:
# authclient.testing sets it to the test's clock for the duration of a test.
_clock: Callable[[], float] = time.time


def _now_ms() -> int:
    """The time a claim value is stamped with (``"t"``) and aged by, ms since the epoch."""
    return int(_clock() * 1000)


def _check_key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"a claim key must be a str, not {type(key).__name__}")
    if not key:
        raise ValueError("a claim key must not be empty")
    if key in tokens.PROTECTED_CLAIMS:
        raise ValueError(f"{key!r} is one of the core's own claims: choose another claim key")
    return key


class SessionClaim(ABC, Generic[_T]):
    """A value kept in the access-token payload under ``key``, and how to fetch it.

    Subclass it to store a claim another way; ``PrimitiveClaim``, ``BooleanClaim`` and
    ``PrimitiveArrayClaim`` use the official SDKs' ``{"v": value, "t": ms}`` shape. The payload
    methods never change the payload they are given: they return a new one.
    """

    def __init__(self, key: str, fetch_value: FetchValue[_T]) -> None:
        if not callable(fetch_value):
            raise TypeError("fetch_value must be a function")
        self.key: str = _check_key(key)
        self.fetch_value: FetchValue[_T] = fetch_value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.key!r})"

    @abstractmethod
    def add_to_payload(
        self, payload: Mapping[str, Any], value: _T, user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        """``payload`` with this claim set to ``value`` (stamped now)."""

    @abstractmethod
    def remove_from_payload_by_merge(
        self, payload: Mapping[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        """``payload`` with this claim set to ``None``: an update that deletes it when merged."""

    @abstractmethod
    def remove_from_payload(
        self, payload: Mapping[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        """``payload`` without this claim."""

    @abstractmethod
    def get_value_from_payload(
        self, payload: Mapping[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> Optional[_T]:
        """This claim's value in ``payload``, or ``None`` when it is not there."""

    def build(
        self, value: Optional[_T], user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        """The payload update that stores a fetched ``value`` (``{}`` for ``None``: no change)."""
        return {} if value is None else self.add_to_payload({}, value, user_context)


class _StoredClaim(SessionClaim[_T]):
    """A claim kept as ``{"v": value, "t": ms}``, as the official SDKs keep theirs."""

    def __init__(
        self, key: str, fetch_value: FetchValue[_T], *, default_max_age: Optional[float] = None
    ) -> None:
        super().__init__(key, fetch_value)
        self.default_max_age: Optional[float] = _check_max_age(default_max_age)

    def add_to_payload(
        self, payload: Mapping[str, Any], value: _T, user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        return {**payload, self.key: {"v": value, "t": _now_ms()}}

    def remove_from_payload_by_merge(
        self, payload: Mapping[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        return {**payload, self.key: None}

    def remove_from_payload(
        self, payload: Mapping[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> dict[str, Any]:
        return {name: value for name, value in payload.items() if name != self.key}

    def get_value_from_payload(
        self, payload: Mapping[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> Optional[_T]:
        value: Optional[_T] = _entry(payload, self.key).get("v")
        return value

    def get_last_refetch_time(
        self, payload: Mapping[str, Any], user_context: Optional[dict[str, Any]] = None
    ) -> Optional[int]:
        """When the value in ``payload`` was set (ms since the epoch), or ``None``."""
        stamp = _entry(payload, self.key).get("t")
        return stamp if isinstance(stamp, int) and not isinstance(stamp, bool) else None


def _entry(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The ``{"v": ..., "t": ...}`` object of a stored claim, or ``{}``."""
    entry = payload.get(key)
    return cast("Mapping[str, Any]", entry) if isinstance(entry, dict) else {}


def _check_max_age(max_age: Optional[float]) -> Optional[float]:
    if max_age is None:
        return None
    if isinstance(max_age, bool) or not isinstance(max_age, (int, float)):
        raise TypeError(f"max_age must be a number of seconds, not {type(max_age).__name__}")
    if not max_age >= 0:
        raise ValueError("max_age must be >= 0 seconds")
    return max_age


def _same(a: object, b: object) -> bool:
    """JSON equality: ``True`` is not ``1`` (as in JavaScript), ``1`` is ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def _contains(values: Sequence[object], item: object) -> bool:
    return any(_same(value, item) for value in values)


# --- validators ----------------------------------------------------------------------------------


@attrs.frozen
class ClaimValidationResult:
    """What a validator found: valid, or not and why (a JSON object, or ``None``)."""

    is_valid: bool
    reason: Optional[dict[str, Any]] = None


class SessionClaimValidator(ABC):
    """Checks an access-token payload. ``id`` names it in a ``ClaimValidationError``.

    ``claim`` is the claim it reads, if any: ``assert_claims`` refetches that claim when
    ``should_refetch`` says so. In the async flavor ``validate`` and ``should_refetch`` may also
    return awaitables.
    """

    def __init__(self, id: str, claim: Optional[SessionClaim[Any]] = None) -> None:
        if not isinstance(id, str) or not id:
            raise TypeError("a validator id must be a non-empty str")
        self.id: str = id
        self.claim: Optional[SessionClaim[Any]] = claim

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r})"

    @abstractmethod
    def validate(
        self, payload: Mapping[str, Any], user_context: dict[str, Any]
    ) -> MaybeAwaitable[ClaimValidationResult]:
        """Whether ``payload`` passes."""

    def should_refetch(
        self, payload: Mapping[str, Any], user_context: dict[str, Any]
    ) -> MaybeAwaitable[bool]:
        """Whether ``claim`` must be fetched again before validating (never, by default)."""
        return False


class _ValueValidator(SessionClaimValidator, Generic[_T]):
    """The built-in validators: a stored claim's value, fresh enough, passes ``_check``."""

    expected_key = "expectedValue"

    def __init__(
        self, claim: _StoredClaim[Any], expected: _T, max_age: Optional[float], id: Optional[str]
    ) -> None:
        super().__init__(claim.key if id is None else id, claim)
        self.stored: _StoredClaim[Any] = claim
        self.expected: _T = expected
        self.max_age: Optional[float] = _check_max_age(max_age)

    def _age(self, payload: Mapping[str, Any]) -> Optional[float]:
        """Seconds since the value was set; ``None`` without a usable time stamp."""
        stamp = self.stored.get_last_refetch_time(payload)
        return None if stamp is None else (_now_ms() - stamp) / 1000

    def should_refetch(self, payload: Mapping[str, Any], user_context: dict[str, Any]) -> bool:
        if self.stored.get_value_from_payload(payload) is None:
            return True
        if self.max_age is None:
            return False
        age = self._age(payload)
        return age is None or age > self.max_age

    def validate(
        self, payload: Mapping[str, Any], user_context: dict[str, Any]
    ) -> ClaimValidationResult:
        value = self.stored.get_value_from_payload(payload)
        if value is None:
            return self._invalid("value does not exist", None)
        if self.max_age is not None:
            age = self._age(payload)
            if age is None or age > self.max_age:
                reason = {
                    "message": "expired",
                    "ageInSeconds": age,
                    "maxAgeInSeconds": self.max_age,
                }
                return ClaimValidationResult(False, reason)
        if not self._check(value):
            return self._invalid("wrong value", value)
        return ClaimValidationResult(True)

    def _invalid(self, message: str, actual: object) -> ClaimValidationResult:
        reason = {"message": message, self.expected_key: self.expected, "actualValue": actual}
        return ClaimValidationResult(False, reason)

    @abstractmethod
    def _check(self, value: Any) -> bool: ...


class _HasValue(_ValueValidator[Any]):
    def _check(self, value: Any) -> bool:
        return _same(value, self.expected)


class _ArrayValidator(_ValueValidator[Any]):
    def __init__(
        self,
        claim: _StoredClaim[Any],
        expected: Any,
        max_age: Optional[float],
        id: Optional[str],
        *,
        wanted: Callable[[Sequence[object], Sequence[object]], bool],
        expected_key: str,
    ) -> None:
        super().__init__(claim, expected, max_age, id)
        self.wanted = wanted
        self.expected_key = expected_key

    def _check(self, value: Any) -> bool:
        if not isinstance(value, list):
            return False
        expected: object = self.expected
        items = cast("list[object]", expected) if isinstance(expected, list) else [expected]
        return self.wanted(cast("list[object]", value), items)


def _all_in(values: Sequence[object], items: Sequence[object]) -> bool:
    return all(_contains(values, item) for item in items)


def _none_in(values: Sequence[object], items: Sequence[object]) -> bool:
    return not any(_contains(values, item) for item in items)


def _any_in(values: Sequence[object], items: Sequence[object]) -> bool:
    return any(_contains(values, item) for item in items)


class PrimitiveClaimValidators(Generic[_P]):
    """``claim.validators`` of a ``PrimitiveClaim``."""

    def __init__(self, claim: PrimitiveClaim[_P]) -> None:
        self.claim = claim

    def _max_age(self, max_age: Optional[float]) -> Optional[float]:
        return self.claim.default_max_age if max_age is None else max_age

    def has_value(
        self, value: _P, max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The claim equals ``value`` (and was set at most ``max_age`` seconds ago)."""
        return _HasValue(self.claim, value, self._max_age(max_age), id)


class BooleanClaimValidators(PrimitiveClaimValidators[bool]):
    """``claim.validators`` of a ``BooleanClaim``."""

    def is_true(
        self, max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The claim is ``True`` (and was set at most ``max_age`` seconds ago)."""
        return self.has_value(True, max_age, id=id)

    def is_false(
        self, max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The claim is ``False`` (and was set at most ``max_age`` seconds ago)."""
        return self.has_value(False, max_age, id=id)


class PrimitiveArrayClaimValidators(Generic[_P]):
    """``claim.validators`` of a ``PrimitiveArrayClaim``."""

    def __init__(self, claim: PrimitiveArrayClaim[_P]) -> None:
        self.claim = claim

    def _make(
        self,
        expected: Any,
        max_age: Optional[float],
        id: Optional[str],
        wanted: Callable[[Sequence[object], Sequence[object]], bool],
        expected_key: str,
    ) -> SessionClaimValidator:
        max_age = self.claim.default_max_age if max_age is None else max_age
        return _ArrayValidator(
            self.claim, expected, max_age, id, wanted=wanted, expected_key=expected_key
        )

    def includes(
        self, value: _P, max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The list holds ``value``."""
        return self._make(value, max_age, id, _all_in, "expectedToInclude")

    def excludes(
        self, value: _P, max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The list does not hold ``value``."""
        return self._make(value, max_age, id, _none_in, "expectedToNotInclude")

    def includes_all(
        self, values: Sequence[_P], max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The list holds every one of ``values``."""
        return self._make(list(values), max_age, id, _all_in, "expectedToInclude")

    def includes_any(
        self, values: Sequence[_P], max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The list holds at least one of ``values``."""
        return self._make(list(values), max_age, id, _any_in, "expectedToIncludeAtLeastOneOf")

    def excludes_all(
        self, values: Sequence[_P], max_age: Optional[float] = None, *, id: Optional[str] = None
    ) -> SessionClaimValidator:
        """The list holds none of ``values``."""
        return self._make(list(values), max_age, id, _none_in, "expectedToNotInclude")


# --- the claims ----------------------------------------------------------------------------------


class PrimitiveClaim(_StoredClaim[_P]):
    """A claim holding one JSON string, number or boolean: ``PrimitiveClaim("role", fetch_role)``.

    ``default_max_age`` (seconds) is the ``max_age`` of its validators when they are given none.
    """

    def __init__(
        self, key: str, fetch_value: FetchValue[_P], *, default_max_age: Optional[float] = None
    ) -> None:
        super().__init__(key, fetch_value, default_max_age=default_max_age)

    @property
    def validators(self) -> PrimitiveClaimValidators[_P]:
        """``has_value(value, max_age=None)``."""
        return PrimitiveClaimValidators(self)


class BooleanClaim(PrimitiveClaim[bool]):
    """A claim holding ``True`` or ``False``: ``BooleanClaim("is_admin", fetch_is_admin)``."""

    @property
    def validators(self) -> BooleanClaimValidators:
        """``is_true(max_age=None)``, ``is_false(...)``, ``has_value(...)``."""
        return BooleanClaimValidators(self)


class PrimitiveArrayClaim(_StoredClaim[list[_P]], Generic[_P]):
    """A claim holding a list of JSON primitives: ``PrimitiveArrayClaim("roles", fetch_roles)``.

    ``PrimitiveArrayClaim[str]`` holds a ``list[str]``.
    """

    def __init__(
        self,
        key: str,
        fetch_value: FetchValue[list[_P]],
        *,
        default_max_age: Optional[float] = None,
    ) -> None:
        super().__init__(key, fetch_value, default_max_age=default_max_age)

    @property
    def validators(self) -> PrimitiveArrayClaimValidators[_P]:
        """``includes``, ``excludes``, ``includes_all``, ``includes_any``, ``excludes_all``."""
        return PrimitiveArrayClaimValidators(self)


def invalid_claim_body(error: errors.InvalidClaimError) -> dict[str, Any]:
    """The JSON body of the HTTP 403 that answers ``error`` (FDI: what the frontend SDKs read)."""
    return {
        "message": "invalid claim",
        "claimValidationErrors": [failed.to_json() for failed in error.claim_validation_errors],
    }
