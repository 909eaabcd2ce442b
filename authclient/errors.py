"""The exceptions authclient raises. Shared by both flavors, so ``isinstance`` works across them.

Secrets (the api key, tokens) never appear in these messages or reprs.

    AuthClientError
    ├── ClientClosedError          (also a RuntimeError)
    ├── CoreUnavailableError       no host answered
    ├── CoreTimeoutError           the call's time ran out
    ├── CoreResponseError          an error status, or an answer that cannot be read
    ├── ResponseTooLargeError      an answer over max_response_size
    ├── IncompatibleCoreError      no common CDI version
    ├── ConfigurationError         the client lacks a setting the call needs
    └── SessionError               outcomes a caller is expected to handle
        ├── TryRefreshTokenError
        ├── UnauthorisedError
        ├── TokenTheftError
        └── InvalidClaimError      the session's claims failed validation (HTTP 403 on the web)

``ClaimValidationError`` is no exception: it is the value ``InvalidClaimError`` carries, one
per failed validator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

import attrs

__all__ = [
    "AuthClientError",
    "ClaimValidationError",
    "ClientClosedError",
    "ConfigurationError",
    "CoreResponseError",
    "CoreTimeoutError",
    "CoreUnavailableError",
    "IncompatibleCoreError",
    "InvalidClaimError",
    "ResponseTooLargeError",
    "SessionError",
    "TokenTheftError",
    "TryRefreshTokenError",
    "UnauthorisedError",
]


class AuthClientError(Exception):
    """Base class of every error authclient raises on purpose."""


class ClientClosedError(AuthClientError, RuntimeError):
    """The client was used after ``close()`` / ``aclose()``."""


class CoreUnavailableError(AuthClientError):
    """No host of the connection URI could be reached (after retries).

    ``failures`` lists ``(host, reason)`` for the last attempt on each host.
    """

    def __init__(self, failures: Sequence[tuple[str, str]], *, method: str, path: str) -> None:
        self.failures: tuple[tuple[str, str], ...] = tuple(failures)
        self.method = method
        self.path = path
        reasons = "; ".join(f"{host}: {reason}" for host, reason in self.failures)
        super().__init__(f"core unavailable for {method} {path}: {reasons}")


class CoreTimeoutError(AuthClientError):
    """The call's time ran out (``timeout``: every attempt, retry and host included)."""

    def __init__(self, *, method: str, path: str, host: str, detail: str) -> None:
        self.method = method
        self.path = path
        self.host = host
        super().__init__(f"{method} {path} on {host} timed out ({detail})")


class CoreResponseError(AuthClientError):
    """The core answered with an error status, or with a body authclient cannot read."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: str,
        method: str,
        path: str,
        host: str,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.method = method
        self.path = path
        self.host = host
        super().__init__(
            f"{method} {path} on {host}: {message} (HTTP {status_code}): {body[:500].strip()}"
        )


class ResponseTooLargeError(AuthClientError):
    """The core's answer was larger than ``max_response_size``; it was not read further."""

    def __init__(self, *, method: str, path: str, host: str, limit: int) -> None:
        self.method = method
        self.path = path
        self.host = host
        self.limit = limit
        super().__init__(
            f"{method} {path} on {host}: the answer is larger than {limit} bytes "
            "(max_response_size); is this a SuperTokens core?"
        )


class IncompatibleCoreError(AuthClientError):
    """The core supports none of the CDI versions this client speaks."""

    def __init__(self, *, client_versions: Sequence[str], core_versions: Sequence[str]) -> None:
        self.client_versions: tuple[str, ...] = tuple(client_versions)
        self.core_versions: tuple[str, ...] = tuple(core_versions)
        super().__init__(
            f"no common CDI version: client speaks {', '.join(self.client_versions)}; "
            f"core offers {', '.join(self.core_versions) or 'none'}"
        )


class ConfigurationError(AuthClientError):
    """The client is not configured for this call; ``setting`` names what is missing.

    Raised before anything is sent, e.g. by ``create_jwt`` without
    ``SessionConfig(api_domain=...)``, which names the JWT's issuer.
    """

    def __init__(self, message: str, *, setting: str) -> None:
        self.setting = setting
        super().__init__(message)


class SessionError(AuthClientError):
    """Base class of the session outcomes a caller is expected to handle."""


class TryRefreshTokenError(SessionError):
    """The access token cannot be used as it is: refresh the session and retry."""


class UnauthorisedError(SessionError):
    """There is no valid session; ``clear_tokens`` says whether the caller should drop them."""

    def __init__(self, message: str, *, clear_tokens: bool = True) -> None:
        self.clear_tokens = clear_tokens
        super().__init__(message)


class TokenTheftError(SessionError):
    """A refresh token was used again after it had been replaced: it was probably stolen.

    The core does not end the session by itself (CDI 5.4): revoke it, e.g.
    ``revoke_session(error.session_handle)``, and ask the user to sign in again.
    """

    def __init__(self, *, user_id: str, recipe_user_id: str, session_handle: str) -> None:
        self.user_id = user_id
        self.recipe_user_id = recipe_user_id
        self.session_handle = session_handle
        super().__init__(f"token theft detected for session {session_handle}")


@attrs.frozen
class ClaimValidationError:
    """One failed claim validator: its ``id`` and why it failed.

    ``reason`` is a JSON object such as ``{"message": "wrong value", "expectedValue": True,
    "actualValue": False}``, or ``None``.
    """

    id: str
    reason: Optional[dict[str, Any]] = None

    def to_json(self) -> dict[str, Any]:
        """The official SDKs' shape: ``{"id": ..., "reason": ...}``, ``reason`` left out if None."""
        if self.reason is None:
            return {"id": self.id}
        return {"id": self.id, "reason": self.reason}


class InvalidClaimError(SessionError):
    """The session is valid, but some of its claims are not what the validators require.

    ``claim_validation_errors`` lists one ``ClaimValidationError`` per failed validator. A web
    layer answers it with HTTP 403 and ``authclient.claims.invalid_claim_body(error)``.
    """

    def __init__(self, claim_validation_errors: Sequence[ClaimValidationError]) -> None:
        self.claim_validation_errors: list[ClaimValidationError] = list(claim_validation_errors)
        ids = ", ".join(error.id for error in self.claim_validation_errors)
        super().__init__(f"invalid claims: {ids}")
