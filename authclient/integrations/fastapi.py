"""Sessions in FastAPI routes (``pip install 'authclient[fastapi]'``).

::

    app.add_middleware(AuthMiddleware, client=client, config=WebConfig(...))

    @app.post("/updateinfo")
    async def updateinfo(session: AsyncSession = Depends(verify_session())):
        ...

The ``authclient.integrations.asgi.AuthMiddleware`` must be in front of the app: it serves the
refresh and sign-out endpoints, writes the tokens into the responses and answers the session
errors these functions raise. Both work on WebSocket routes too.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Callable, Optional

from fastapi.requests import HTTPConnection

from authclient.asyncio import AsyncSession
from authclient.integrations.asgi import request_sessions

__all__ = ["create_new_session", "verify_session"]


def verify_session(
    session_required: bool = True,
    anti_csrf_check: Optional[bool] = None,
    check_database: bool = False,
    override_global_claim_validators: Optional[Callable[..., Any]] = None,
) -> Callable[[HTTPConnection], Awaitable[Optional[AsyncSession]]]:
    """A dependency giving the request's session: ``Depends(verify_session())``.

    It is ``None`` only when ``session_required=False`` and the request has no session
    tokens. Otherwise a missing, expired or forged session raises the session error that the
    middleware answers (401 try refresh / unauthorised). ``anti_csrf_check=None`` checks every
    method but GET; ``check_database=True`` also asks the core whether the session still
    exists.
    """

    async def session_dependency(request: HTTPConnection) -> Optional[AsyncSession]:
        return await request_sessions(request.scope).verify_session(
            request,
            session_required=session_required,
            anti_csrf_check=anti_csrf_check,
            check_database=check_database,
            override_global_claim_validators=override_global_claim_validators,
        )

    return session_dependency


async def create_new_session(
    request: HTTPConnection,
    user_id: str,
    access_token_payload: Optional[dict[str, Any]] = None,
    session_data_in_database: Optional[dict[str, Any]] = None,
    *,
    tenant_id: str = "public",
    user_context: Optional[dict[str, Any]] = None,
) -> AsyncSession:
    """Start a session for ``user_id``; its tokens go into this request's response.

    Cookies or headers as the frontend asks (``st-auth-mode``) or ``WebConfig`` says.
    """
    return await request_sessions(request.scope).create_new_session(
        request,
        user_id,
        access_token_payload,
        session_data_in_database,
        tenant_id=tenant_id,
        user_context=user_context,
    )
