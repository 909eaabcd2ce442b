"""What one request's session operations did, and what its response must therefore carry.

The request-level operations record here the sessions they verified, created or refreshed,
and the clears they decided; ``finish_effects`` turns that into the response's effects
(FDI.md §4 "Inside the handler": a token replaced in the handler is written, a revoked session
cleared). Pure: sessions are read through their ``tokens`` and ``revoked`` attributes.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Protocol

import attrs

from authclient._protocol.fdi import rules
from authclient._protocol.fdi.effects import ResponseEffects
from authclient._protocol.fdi.request import TransferMethod, WebRequest
from authclient.errors import SessionError, TokenTheftError, TryRefreshTokenError, UnauthorisedError
from authclient.types import SessionTokens


class SessionLike(Protocol):
    """What the effects are computed from: either flavor's session object."""

    @property
    def tokens(self) -> SessionTokens: ...

    def get_access_token(self) -> str: ...

    revoked: bool


@attrs.define(eq=False)
class Tracked:
    """A session used in this request, and what the response already says about it."""

    session: SessionLike
    method: TransferMethod
    written: Optional[str]  # the access token the frontend has (None: a new session)
    with_refresh: bool = False  # created or refreshed: the refresh token goes out too
    with_anti_csrf: bool = False  # the first write after verify/create/refresh (§4 step 10)
    done: bool = False


class RequestState:
    """The effects decided so far (clears) and the sessions of one request."""

    __slots__ = ("_effects", "tracked")

    def __init__(self) -> None:
        self._effects: Optional[ResponseEffects] = None  # made when a clear is first recorded
        self.tracked: list[Tracked] = []

    def __repr__(self) -> str:
        return f"RequestState(tracked={len(self.tracked)})"

    @property
    def effects(self) -> ResponseEffects:
        """The effects decided so far, to add to."""
        effects = self._effects
        if effects is None:
            effects = self._effects = ResponseEffects()
        return effects

    def track(self, session: SessionLike, method: TransferMethod, written: Optional[str]) -> None:
        """Record a session; ``written`` is the access token the request carried (None: new)."""
        new = written is None
        updated = new or session.get_access_token() != written  # the core replaced it
        self.tracked.append(Tracked(session, method, written, new, updated))

    def track_verified(self, session: SessionLike, method: TransferMethod, written: str) -> None:
        """``track`` for a session just verified from ``written``, its own access token."""
        self.tracked.append(Tracked(session, method, written, False, False))

    def settled(self) -> bool:
        """Whether the response needs nothing: no clear decided, every session as the frontend
        has it (most requests to an app route)."""
        if self._effects is not None:
            return False
        for tracked in self.tracked:
            session = tracked.session
            if not tracked.done and (
                session.revoked or session.get_access_token() != tracked.written
            ):
                return False
        return True

    def take_effects(self) -> ResponseEffects:
        effects, self._effects = self._effects, None
        return ResponseEffects() if effects is None else effects

    def abandon(self) -> ResponseEffects:
        """For an error response: the clears so far, and no token written later."""
        for tracked in self.tracked:
            tracked.done = True
        return self.take_effects()


def state_of(request: WebRequest) -> RequestState:
    if not isinstance(request.state, RequestState):
        request.state = RequestState()
    return request.state


def request_context(request: WebRequest, user_context: Optional[dict[str, Any]]) -> dict[str, Any]:
    """``user_context`` (a fresh dict when None) with ``_default.request`` set to the request's
    framework object (the view itself without one) and ``_default.keep_cache_alive`` (§7)."""
    context: dict[str, Any] = {} if user_context is None else user_context
    default = context.setdefault("_default", {})
    if isinstance(default, dict):
        default["request"] = request.original if request.original is not None else request
        default["keep_cache_alive"] = True
    return context


def finish_effects(
    state: RequestState, settings: Callable[[], rules.CookieSettings], clock: Callable[[], float]
) -> ResponseEffects:
    """The recorded clears, then each session's changes since the last call.

    ``settings`` gives the cookie attributes and ``clock`` the time (epoch seconds); they are
    called only when a token is written or cleared (most responses carry neither).
    """
    effects = state.take_effects()
    cookies: Optional[rules.CookieSettings] = None  # worked out on first need
    for tracked in state.tracked:
        session = tracked.session
        if tracked.done:
            continue
        if session.revoked:
            cookies = settings() if cookies is None else cookies
            rules.clear_session(effects, cookies, [tracked.method])
            tracked.done = True
            continue
        if session.get_access_token() == tracked.written:
            continue
        tokens = session.tokens
        refresh = None
        if tracked.with_refresh and tokens.refresh_token is not None:
            refresh = (tokens.refresh_token, tokens.refresh_token_expiry or 0)
        cookies = settings() if cookies is None else cookies
        rules.write_tokens(
            effects,
            cookies,
            tracked.method,
            front_token=tokens.front_token,
            access_token=tokens.access_token,
            refresh_token=refresh,
            anti_csrf_token=tokens.anti_csrf_token if tracked.with_anti_csrf else None,
            now=clock(),
        )
        tracked.written = tokens.access_token
        tracked.with_refresh = tracked.with_anti_csrf = False
    return effects


def clear_for_error(
    error: SessionError, effects: ResponseEffects, settings: rules.CookieSettings
) -> None:
    """§5.4: theft and unauthorised (with ``clear_tokens``) clear both methods."""
    if isinstance(error, TokenTheftError) or (
        isinstance(error, UnauthorisedError) and error.clear_tokens
    ):
        rules.clear_session(effects, settings)


def default_answer(
    error: SessionError, expired_status: int, claim_status: int
) -> Optional[tuple[int, dict[str, Any]]]:
    """The default status and exact body for a session error (§5.4); None if it has none."""
    if isinstance(error, TokenTheftError):
        return expired_status, rules.THEFT_BODY
    if isinstance(error, UnauthorisedError):
        return expired_status, rules.UNAUTHORISED_BODY
    if isinstance(error, TryRefreshTokenError):
        return expired_status, rules.TRY_REFRESH_BODY
    claim_errors = getattr(error, "claim_validation_errors", None)
    if claim_errors is not None:
        pairs = [(item.id, getattr(item, "reason", None)) for item in claim_errors]
        return claim_status, rules.claim_errors_body(pairs)
    return None
