# Generated from authclient/asyncio/_claims.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""Running claim code the user wrote: ``fetch_value``, validators and override functions.

A plain function works in both flavors. The asynchronous flavor also awaits what a coroutine
function returns; the sync flavor refuses an awaitable with a ``TypeError``, as it never runs
an event loop.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional, TypeVar, cast

from authclient.claims import (
    ClaimValidationResult,
    MaybeAwaitable,
    SessionClaim,
    SessionClaimValidator,
)
from authclient.errors import ClaimValidationError
from authclient.types import ClaimsValidationResult

T = TypeVar("T")
S = TypeVar("S")


def resolve(value: MaybeAwaitable[T], what: str) -> T:
    """``value``, or what it resolves to if it is an awaitable (``what`` names it in errors)."""
    if inspect.isawaitable(value):
        if inspect.iscoroutine(value):
            value.close()  # never awaited, and no warning saying so
        raise TypeError(
            f"{what} returned an awaitable, but authclient.syncio never runs an event loop: "
            "make it a plain function (coroutine functions need authclient.asyncio)"
        )
    return value


def check_validators(validators: object, what: str) -> list[SessionClaimValidator]:
    if isinstance(validators, (str, bytes)) or not isinstance(validators, Sequence):
        raise TypeError(f"{what} must be a list of claim validators")
    checked = list(cast("Sequence[object]", validators))
    for validator in checked:
        if not isinstance(validator, SessionClaimValidator):
            raise TypeError(
                f"{what} must hold only claim validators, not {type(validator).__name__}"
            )
    return cast("list[SessionClaimValidator]", checked)


def overridden(
    override: Optional[
        Callable[
            [list[SessionClaimValidator], S, dict[str, Any]],
            MaybeAwaitable[list[SessionClaimValidator]],
        ]
    ],
    validators: list[SessionClaimValidator],
    subject: S,
    user_context: dict[str, Any],
) -> list[SessionClaimValidator]:
    """What ``override_global_claim_validators`` makes of the global ``validators``."""
    if override is None:
        return validators
    what = "override_global_claim_validators"
    return check_validators(resolve(override(validators, subject, user_context), what), what)


def fetch_claim_value(
    claim: SessionClaim[T],
    user_id: str,
    recipe_user_id: str,
    tenant_id: str,
    payload: Mapping[str, Any],
    user_context: dict[str, Any],
) -> Optional[T]:
    """The claim's current value from its ``fetch_value`` (``None``: leave the payload alone)."""
    fetched = claim.fetch_value(user_id, recipe_user_id, tenant_id, dict(payload), user_context)
    return resolve(fetched, f"fetch_value of claim {claim.key!r}")


def validate_claims(
    user_id: str,
    recipe_user_id: str,
    tenant_id: str,
    access_token_payload: Mapping[str, Any],
    claim_validators: Sequence[SessionClaimValidator],
    user_context: dict[str, Any],
) -> ClaimsValidationResult:
    """Refetch what the validators find missing or stale (once each), then validate."""
    validators = check_validators(claim_validators, "claim_validators")
    payload = dict(access_token_payload)
    refetched = False
    for validator in validators:
        claim = validator.claim
        if claim is None:
            continue
        stale = validator.should_refetch(payload, user_context)
        if resolve(stale, f"should_refetch of validator {validator.id!r}"):
            value = fetch_claim_value(
                claim, user_id, recipe_user_id, tenant_id, payload, user_context
            )
            if value is not None:
                payload = claim.add_to_payload(payload, value, user_context)
                refetched = True
    invalid: list[ClaimValidationError] = []
    for validator in validators:
        what = f"validate of validator {validator.id!r}"
        result = resolve(validator.validate(payload, user_context), what)
        if not isinstance(result, ClaimValidationResult):
            raise TypeError(f"{what} must return a ClaimValidationResult")
        if not result.is_valid:
            invalid.append(ClaimValidationError(validator.id, result.reason))
    return ClaimsValidationResult(invalid, payload if refetched else None)


def payload_changes(current: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The update that turns ``current`` into ``new`` under the merge rule (a key gone: None)."""
    update = {
        key: value for key, value in new.items() if key not in current or current[key] != value
    }
    update.update({key: None for key in current if key not in new})
    return update
