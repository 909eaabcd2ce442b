"""One request's sessions, as the middleware of every framework keeps them for its adapters."""

from __future__ import annotations

from typing import Any, Callable, Optional, Union

from authclient._protocol.fdi.effects import ResponseEffects
from authclient._protocol.fdi.request import WebRequest
from authclient.asyncio.session_object import AsyncSession
from authclient.asyncio.web import AsyncWebSessions
from authclient.errors import SessionError

__all__ = ["AsyncRequestSessions"]


class AsyncRequestSessions:
    """One request's sessions: what the adapters use, kept in the request by the middleware.

    ``web`` is the ``AsyncWebSessions`` in use; ``request`` the neutral view of this request
    (its ``original`` is the framework request of the latest call that gave one), or a
    function ``make_request(original)`` making it, called when first needed (most requests
    to an app never need it) with the framework request of that call, or None.
    """

    def __init__(
        self, web: AsyncWebSessions, request: Union[WebRequest, Callable[[Any], WebRequest]]
    ) -> None:
        self.web = web
        if isinstance(request, WebRequest):
            self._request: Optional[WebRequest] = request
            self._make_request: Optional[Callable[[Any], WebRequest]] = None
        else:
            self._request, self._make_request = None, request
        self._verified: dict[tuple[Any, ...], AsyncSession] = {}

    def __repr__(self) -> str:
        return f"RequestSessions({self._request!r})"

    @property
    def request(self) -> WebRequest:
        return self._request_for(None)

    def _request_for(self, original: Any) -> WebRequest:
        """The request's view, made on first need; ``original`` (not None) becomes its
        framework request (``make_request(None)`` makes one when the adapter can)."""
        request = self._request
        if request is None:
            if self._make_request is None:
                raise RuntimeError("this request is over: its sessions were closed")
            request = self._request = self._make_request(original)
        elif original is not None:
            request.original = original
        return request

    async def verify_session(
        self,
        original: Any,
        *,
        session_required: bool = True,
        anti_csrf_check: Optional[bool] = None,
        check_database: bool = False,
        override_global_claim_validators: Optional[Callable[..., Any]] = None,
    ) -> Optional[AsyncSession]:
        """The request's session (``None``: no token and none required); errors propagate.

        A second call with the same options returns the session the first one found.
        """
        key = (anti_csrf_check, check_database, override_global_claim_validators)
        session = self._verified.get(key)
        if session is not None:
            return session
        session = await self.web.verify_session(
            self._request_for(original),
            session_required=session_required,
            anti_csrf_check=anti_csrf_check,
            check_database=check_database,
            override_global_claim_validators=override_global_claim_validators,
        )
        if session is not None:
            self._verified[key] = session
        return session

    async def create_new_session(
        self,
        original: Any,
        user_id: str,
        access_token_payload: Optional[dict[str, Any]] = None,
        session_data_in_database: Optional[dict[str, Any]] = None,
        *,
        tenant_id: str = "public",
        user_context: Optional[dict[str, Any]] = None,
    ) -> AsyncSession:
        """A new session whose tokens go into this request's response."""
        return await self.web.create_new_session(
            self._request_for(original),
            user_id,
            access_token_payload,
            session_data_in_database,
            tenant_id=tenant_id,
            user_context=user_context,
        )

    async def error_response(self, error: SessionError) -> ResponseEffects:
        """The answer to ``error`` for this request (FDI.md §5.4)."""
        return await self.web.error_response(self.request, error)

    def close(self) -> None:
        """The request is over: let go of it and of its sessions.

        The adapters call this when the framework is done with the request; it breaks the
        reference cycles through the framework's request object (which holds the wrapped
        ``send``), so each request's objects are freed at once, not by the cyclic GC.
        """
        self._request = self._make_request = None
        self._verified.clear()

    def finish(self) -> ResponseEffects:
        """What this request's response must carry now (only what changed since last time):
        nothing when no session operation ran."""
        request = self._request
        if request is None or request.state is None:
            return ResponseEffects()
        return self.web.finish(request)
